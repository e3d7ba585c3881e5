#!/bin/bash
# End-to-end tests of podcast exports: formats and options, sidecars,
# progress, batches with feed and shards, and interruptions.
. "$(dirname "$0")/lib.sh"
ART="$SHARED/corpus/articles"
N="$NARRATE"

# A short article.
article() { # article FILE TITLE
  printf '%s\n\nThe council met on Tuesday. It voted on the budget.\n\nResidents welcomed the decision. "We waited long enough," said one of them.\n\nWork starts in the spring.\n' "$2" >"$1"
}
mkdir -p "$WORK/one" "$WORK/in" "$WORK/out"
article "$WORK/one/budget.txt" "Town budget approved"

# One episode with metadata: every file beside it, an ID3 tag first.
"$N" "$WORK/one/budget.txt" -o "$WORK/one/ep.wav" --no-transcripts --no-chapters
"$N" "$WORK/one/budget.txt" -o "$WORK/one/ep.mp3" --author "Jane Doe" --show "Town news" \
  --date 2024-05-01 --source https://example.org/budget 2>"$WORK/err"
check "MP3 export succeeds" test -s "$WORK/one/ep.mp3"
for f in ep.vtt ep.srt ep.words.json ep.chapters.json ep.chapters.vtt; do
  check "sidecar $f written" test -s "$WORK/one/$f"
done
check "the MP3 starts with an ID3v2.3 tag" test "$(head -c 4 "$WORK/one/ep.mp3" | od -An -c | tr -d ' ')" = 'ID3003'
check "the tag holds title, author and year" \
  sh -c "head -c 2000 '$WORK/one/ep.mp3' | grep -aq 'TIT2' && head -c 2000 '$WORK/one/ep.mp3' | grep -aq 'Jane Doe' && head -c 2000 '$WORK/one/ep.mp3' | grep -aq '2024'"
check "the tag names the language in three letters (TLAN eng)" sh -c "head -c 2000 '$WORK/one/ep.mp3' | grep -aq 'TLAN.......eng'"
check "the tag holds chapters (CTOC, CHAP)" sh -c "head -c 4000 '$WORK/one/ep.mp3' | grep -aq CTOC && head -c 4000 '$WORK/one/ep.mp3' | grep -aq CHAP"
check "MP3 at 44.1 kHz mono ($(file -b "$WORK/one/ep.mp3" | cut -c1-60))" \
  sh -c "file -b '$WORK/one/ep.mp3' | grep -q '44.1 kHz, Monaural'"
check "chapters JSON: a version, chapters with increasing startTime" python3 -c '
import json, sys
c = json.load(open(sys.argv[1]))
t = [x["startTime"] for x in c["chapters"]]
sys.exit(not (c["version"] and t and t[0] == 0 and all(a < b for a, b in zip(t, t[1:]))))' "$WORK/one/ep.chapters.json"
check "WebVTT transcript: cues in order, the last ends with the audio" python3 -c '
import re, sys
cues = re.findall(r"(\d+):(\d+):(\d+)\.(\d+) --> (\d+):(\d+):(\d+)\.(\d+)", open(sys.argv[1]).read())
s = lambda h, m, x, ms: int(h) * 3600 + int(m) * 60 + int(x) + int(ms) / 1000
iv = [(s(*c[:4]), s(*c[4:])) for c in cues]
ok = all(a < b for a, b in iv) and all(iv[i][1] <= iv[i + 1][0] for i in range(len(iv) - 1))
sys.exit(not (len(iv) >= 5 and ok and abs(iv[-1][1] - float(sys.argv[2])) <= 0.05))' "$WORK/one/ep.vtt" "$(soxi -D "$WORK/one/ep.wav" 2>/dev/null || echo 0)"
check "no progress bar when stderr is not a terminal" test ! -s "$WORK/err"

# Format from --format, rates, bad values.
"$N" "$WORK/one/budget.txt" -o "$WORK/one/x.bin" --format flac --no-transcripts --no-chapters
check "--format flac writes FLAC whatever the extension" test "$(head -c 4 "$WORK/one/x.bin")" = fLaC
check "--no-transcripts, --no-chapters: the audio alone" test ! -e "$WORK/one/x.vtt" -a ! -e "$WORK/one/x.chapters.json"
"$N" "$WORK/one/budget.txt" -o "$WORK/one/r.flac" --sample-rate 48000 --no-transcripts --no-chapters
check "--sample-rate 48000" test "$(soxi -r "$WORK/one/r.flac")" = 48000
"$N" "$WORK/one/budget.txt" -o "$WORK/one/o.opus" --no-transcripts --no-chapters
check "Opus defaults to 48 kHz, mono" sh -c "file -b '$WORK/one/o.opus' | grep -q 'mono, 48000 Hz'"
expect_exit 2 "Opus cannot be 44.1 kHz" "$N" "$WORK/one/budget.txt" -o "$WORK/out/a.opus" --sample-rate 44100
expect_exit 2 "bad loudness" "$N" "$WORK/one/budget.txt" -o "$WORK/out/a.mp3" --loudness loud
expect_exit 2 "bad format" "$N" "$WORK/one/budget.txt" -o "$WORK/out/a.mp3" --format aac
expect_exit 2 "bad shard" "$N" --out-dir "$WORK/out" --shard 3/2 "$WORK/one"
expect_exit 2 "bad jobs" "$N" --out-dir "$WORK/out" --jobs 0 "$WORK/one"
expect_exit 2 "a feed needs a base URL" "$N" --out-dir "$WORK/out" --feed "$WORK/out/feed.xml" "$WORK/one"
expect_exit 2 "an option without its value" "$N" --loudness
check "no file left by refused exports" test -z "$(ls -A "$WORK/out")"

# A progress bar with the time left when stderr is a terminal.
script -qec "'$N' '$ART/fr-afp-blinken.txt' -o '$WORK/one/tty.wav' --no-transcripts --no-chapters" /dev/null >"$WORK/tty.log" 2>&1
check "progress bar on a terminal" grep -aq '%' "$WORK/tty.log"

# A batch: a folder, parallel jobs, a feed.
for t in alpha beta gamma delta; do article "$WORK/in/$t.txt" "News about $t"; done
"$N" --out-dir "$WORK/out" --jobs 2 --feed "$WORK/out/feed.xml" --base-url https://example.org/pod \
  --show "Town news" "$WORK/in" 2>"$WORK/err"
code=$?
check "batch succeeds (exit $code)" test "$code" -eq 0
check "one episode per article" test "$(ls "$WORK/out"/*.mp3 | wc -l)" -eq 4
check "feed.xml is well-formed XML" xmllint --noout "$WORK/out/feed.xml"
ok_len=1
for f in "$WORK/out"/*.mp3; do
  b=$(basename "$f")
  grep -q "url=\"https://example.org/pod/$b\" length=\"$(stat -c %s "$f")\" type=\"audio/mpeg\"" "$WORK/out/feed.xml" || ok_len=0
done
check "the feed gives each episode's exact byte length" test "$ok_len" = 1
for tag in '<itunes:duration>' '<guid' '<pubDate>' '<itunes:author>' '<itunes:category'; do
  check "the feed has $tag" grep -q "$tag" "$WORK/out/feed.xml"
done
check "batch: nothing on stderr when it is not a terminal" test ! -s "$WORK/err"
before=$(stat -c %Y "$WORK/out"/*.mp3 | md5sum)
sleep 1
"$N" --out-dir "$WORK/out" --jobs 2 --show "Town news" "$WORK/in"
check "up-to-date episodes are skipped" test "$(stat -c %Y "$WORK/out"/*.mp3 | md5sum)" = "$before"
echo "Later, the mayor spoke." >>"$WORK/in/beta.txt"
"$N" --out-dir "$WORK/out" --jobs 2 --show "Town news" "$WORK/in"
changed=$(find "$WORK/out" -name '*.mp3' -newer "$WORK/out/feed.xml" | xargs -n1 basename 2>/dev/null | tr '\n' ' ')
check "only the changed article is remade ($changed)" test "$changed" = "beta.mp3 "

# Shards: every article in exactly one of them; a last run writes the feed.
mkdir -p "$WORK/s1" "$WORK/s2"
"$N" --out-dir "$WORK/s1" --shard 1/2 --format opus --no-transcripts "$WORK/in"
"$N" --out-dir "$WORK/s2" --shard 2/2 --format opus --no-transcripts "$WORK/in"
all=$( (ls "$WORK/s1"; ls "$WORK/s2") | grep '\.opus$' | sort | tr '\n' ' ')
check "shards 1/2 and 2/2 make every episode once ($all)" test "$all" = "alpha.opus beta.opus delta.opus gamma.opus "
cp "$WORK/s2"/* "$WORK/s1"/
"$N" --out-dir "$WORK/s1" --feed "$WORK/s1/feed.xml" --base-url https://example.org/p
check "a feed of the gathered shards" test "$(grep -c '<item>' "$WORK/s1/feed.xml")" -eq 4

# SIGINT during an export and during a batch: exit 130, nothing partial.
for i in $(seq 30); do cat "$ART/fr-afp-blinken.txt"; echo; done >"$WORK/long.txt"
mkdir -p "$WORK/int"
"$N" "$WORK/long.txt" -o "$WORK/int/long.mp3" &
pid=$!
signal_when_writing INT $pid "$WORK/int"
wait $pid
code=$?
check "SIGINT during an MP3 export exits 130 (got $code)" test "$code" -eq 130
check "SIGINT leaves no file, no temporary file ($(ls -A "$WORK/int" | tr '\n' ' '))" test -z "$(ls -A "$WORK/int")"
mkdir -p "$WORK/bin" "$WORK/bout"
for i in 1 2 3; do cp "$WORK/long.txt" "$WORK/bin/long$i.txt"; done
"$N" --out-dir "$WORK/bout" --jobs 2 "$WORK/bin" &
pid=$!
signal_when_writing INT $pid "$WORK/bout"
wait $pid
code=$?
check "SIGINT during a batch exits 130 (got $code)" test "$code" -eq 130
check "no temporary file after an interrupted batch" test -z "$(ls -A "$WORK/bout" | grep '^\.')"
check "no audio without its record after an interrupted batch" \
  sh -c "for f in '$WORK/bout'/*.mp3; do [ -e \"\$f\" ] || continue; [ -e \"\${f%.mp3}.episode.json\" ] || exit 1; done"
finish
