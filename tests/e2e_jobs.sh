#!/usr/bin/env bash
# End to end: --jobs. The audio is the same whatever the number of synthesis
# workers, and an interrupted export leaves no worker process behind.
. "$(dirname "$0")/lib.sh"
ART="$SHARED/corpus/articles"

# A private copy of the command, so its workers can be found by name.
cp "$NARRATE" "$WORK/narrate-jobs"
N="$WORK/narrate-jobs"

for j in 1 2 5; do "$N" --jobs $j "$ART/fr-01-sncf-greve.txt" -o "$WORK/j$j.wav"; done
check "--jobs 2 writes the samples of --jobs 1" cmp -s "$WORK/j1.wav" "$WORK/j2.wav"
check "--jobs 5 writes the samples of --jobs 1" cmp -s "$WORK/j1.wav" "$WORK/j5.wav"
"$N" "$ART/fr-01-sncf-greve.txt" -o "$WORK/jdef.wav"
check "the default (one per core) writes the same samples" cmp -s "$WORK/j1.wav" "$WORK/jdef.wav"

expect_exit 2 "--jobs 0 is refused" "$N" --jobs 0 --plan
expect_exit 2 "--jobs many is refused" "$N" --jobs many --plan
expect_exit 2 "--jobs 65 is refused" "$N" -j 65 --plan

# SIGINT during a parallel export: exit 130, no file, no worker left.
mkdir -p "$WORK/out"
for i in $(seq 40); do cat "$ART/fr-afp-blinken.txt"; echo; done >"$WORK/long.txt"
"$N" --jobs 2 "$WORK/long.txt" -o "$WORK/out/long.wav" &
pid=$!
signal_when_writing INT $pid "$WORK/out"
wait $pid
code=$?
sleep 0.2
check "SIGINT during a parallel export exits 130 (got $code)" test "$code" -eq 130
check "SIGINT leaves no file behind" test -z "$(ls -A "$WORK/out")"
check "SIGINT leaves no worker process behind" test -z "$(pgrep -f "$WORK/narrate-jobs")"

# SIGKILL of the parent: the workers die with it.
"$N" --jobs 2 "$WORK/long.txt" -o "$WORK/out/long.wav" &
pid=$!
signal_when_writing KILL $pid "$WORK/out"
wait $pid 2>/dev/null
sleep 0.5
check "SIGKILL of narrate takes its workers with it" test -z "$(pgrep -f "$WORK/narrate-jobs")"
finish
