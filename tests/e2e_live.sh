#!/usr/bin/env bash
# End to end: live listening driven from a pseudo-terminal (tests/e2e_live.py),
# and the device errors.
. "$(dirname "$0")/lib.sh"
ART="$SHARED/corpus/articles"

python3 "$(dirname "$0")/e2e_live.py"
code=$?
check "the pseudo-terminal session (e2e_live.py)" test "$code" -eq 0

# A long article starts on its first paragraphs while the rest is analysed;
# the stream goes on past them without a seam: live equals the export.
for f in "$ART"/en-0[1-3]*.txt; do cat "$f"; printf '\n\n'; done >"$WORK/long.txt"
alsa_capture_home "$WORK/longhome" "$WORK/long.raw"
# (the first run in a new HOME sets up PulseAudio's runtime link there, and
# its samples have been seen to differ from later runs': not tested here)
HOME="$WORK/longhome" "$NARRATE" "$WORK/long.txt" -o "$WORK/first.wav" --loudness off
HOME="$WORK/longhome" "$NARRATE" "$WORK/long.txt" --no-display </dev/null
HOME="$WORK/longhome" "$NARRATE" "$WORK/long.txt" -o "$WORK/long.wav" --loudness off
sox "$WORK/long.wav" -t raw -e signed -b 16 "$WORK/long-file.raw"
check "a long article, live past its head, equals the export ($(stat -c %s "$WORK/long.raw") bytes)" \
  cmp -s "$WORK/long.raw" "$WORK/long-file.raw"

# No device: a clear error that suggests -o, status 5.
mkdir -p "$WORK/nodev"
printf 'pcm.!default { type hw; card 31 }\n' >"$WORK/nodev/.asoundrc"
HOME="$WORK/nodev" expect_exit 5 "no output device" "$NARRATE" "$ART/fr-afp-blinken.txt" --no-display
check "no device: the message suggests -o" grep -q -- '-o FILE' "$WORK/.stderr"
alsa_capture_home "$WORK/home" "$WORK/cap.raw"
HOME="$WORK/home" expect_exit 5 "no device of that name" "$NARRATE" "$ART/fr-afp-blinken.txt" \
  --device no-such-card
check "--device: the message points at --list-devices" grep -q -- '--list-devices' "$WORK/.stderr"
HOME="$WORK/home" "$NARRATE" --list-devices >"$WORK/devices"
check "--list-devices names the default device" grep -q 'default' "$WORK/devices"

# A device that fails while playing (its file cannot be written): a clear
# message, status 5, the place saved.
mkdir -p "$WORK/full"
printf 'pcm.!default { type file; slave.pcm "null"; file "/dev/full"; format "raw" }\n' \
  >"$WORK/full/.asoundrc"
HOME="$WORK/full" XDG_STATE_HOME="$WORK/state" "$NARRATE" "$ART/fr-afp-blinken.txt" \
  2>"$WORK/full.err" </dev/null
code=$?
check "device failing mid-play: exit 5 (got $code)" test "$code" -eq 5
check "device failing mid-play: says so and that the place is saved" \
  grep -q '^narrate: the audio device failed.*place is saved' "$WORK/full.err"
check "device failing mid-play: the place is on disk" \
  grep -qs '^sentence [0-9]' "$WORK"/state/narrate/positions/*

# Bad values for the new options.
expect_exit 2 "--from 0" "$NARRATE" "$ART/fr-afp-blinken.txt" --from 0
HOME="$WORK/home" expect_exit 2 "--from past the end" "$NARRATE" "$ART/fr-afp-blinken.txt" --from 100000
HOME="$WORK/home" expect_exit 2 "--from-text not in the article" "$NARRATE" \
  "$ART/fr-afp-blinken.txt" --from-text "zzzz qqqq"
finish
