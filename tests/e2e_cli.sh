#!/usr/bin/env bash
# End to end: the command on the sample article, live and to a file, and its errors.
. "$(dirname "$0")/lib.sh"
ART="$SHARED/corpus/articles"

# The embedded sample into a WAV file.
"$NARRATE" -o "$WORK/sample.wav" </dev/null
rate=$(soxi -r "$WORK/sample.wav" 2>/dev/null)
chans=$(soxi -c "$WORK/sample.wav" 2>/dev/null)
secs=$(soxi -D "$WORK/sample.wav" 2>/dev/null)
check "sample is 22.05 kHz mono ($rate Hz, $chans ch)" test "$rate" = 22050 -a "$chans" = 1
check "sample lasts 60..200 s ($secs s)" python3 -c "import sys; sys.exit(not 60 <= float('$secs') <= 200)"

# The plan parses as JSON with its format tag, and score-plan grades it.
"$NARRATE" "$ART/fr-afp-blinken.txt" --plan >"$WORK/plan.json"
check "plan is narrate-plan/1 JSON" python3 -c "
import json,sys; p=json.load(open('$WORK/plan.json')); sys.exit(p.get('format')!='narrate-plan/1' or not p['blocks'])"
"$SHARED/tools/score-plan" "$WORK/plan.json" "$ART/fr-afp-blinken.gold.json" >"$WORK/score" 2>&1
check "score-plan prints a score line: $(grep '^score:' "$WORK/score")" grep -q '^score: sentences F1=' "$WORK/score"

# Every span's offsets point at its text in the input.
check "span offsets index the input" python3 -c "
import json,sys,re
p=json.load(open('$WORK/plan.json')); raw=open('$ART/fr-afp-blinken.txt','rb').read()
fold=lambda b: re.sub(r'\s+',' ',b.decode()).strip()
bad=[s['text'] for b in p['blocks'] for se in b['sentences'] for s in [se]+se['spans']
     if fold(raw[s['start']:s['end']])!=s['text']]
print('mismatches:',bad[:3]); sys.exit(bool(bad))"

# Standard input: '-' and a pipe give the same plan as the file.
"$NARRATE" - --plan <"$ART/fr-afp-blinken.txt" | grep -v '"name"' >"$WORK/p1"
cat "$ART/fr-afp-blinken.txt" | "$NARRATE" --plan | grep -v '"name"' >"$WORK/p2"
grep -v '"name"' "$WORK/plan.json" >"$WORK/p0"
check "'-' reads standard input" cmp -s "$WORK/p0" "$WORK/p1"
check "a pipe is read as the article" cmp -s "$WORK/p0" "$WORK/p2"

# Live playback through ALSA's file plugin plays exactly what the export writes
# (exports are loudness-normalised by default; --loudness off keeps the raw level).
alsa_capture_home "$WORK/home" "$WORK/live.raw"
"$NARRATE" "$ART/fr-afp-blinken.txt" -o "$WORK/file.wav" --loudness off
HOME="$WORK/home" "$NARRATE" "$ART/fr-afp-blinken.txt" 2>"$WORK/live.err"
sox "$WORK/file.wav" -t raw -e signed -b 16 "$WORK/file.raw"
check "live playback equals the export, sample for sample ($(stat -c %s "$WORK/live.raw" 2>/dev/null) bytes)" \
  cmp -s "$WORK/file.raw" "$WORK/live.raw"
check "PortAudio's ALSA/JACK chatter never reaches the terminal" test ! -s "$WORK/live.err"

# Errors: one line naming the input, a documented status, no file left behind.
mkdir -p "$WORK/out"
: >"$WORK/empty.txt"
printf ' \n\t\n' >"$WORK/blank.txt"
expect_exit 3 "missing file" "$NARRATE" "$WORK/nope.txt" -o "$WORK/out/a.wav"
expect_exit 3 "a directory" "$NARRATE" "$WORK" -o "$WORK/out/a.wav"
expect_exit 3 "empty input" "$NARRATE" "$WORK/empty.txt" -o "$WORK/out/a.wav"
expect_exit 3 "blank input" "$NARRATE" "$WORK/blank.txt" -o "$WORK/out/a.wav"
expect_exit 4 "output into a missing folder" "$NARRATE" "$ART/fr-afp-blinken.txt" -o "$WORK/none/a.wav"
expect_exit 4 "output to a full disk" "$NARRATE" "$ART/fr-afp-blinken.txt" -o /dev/full
expect_exit 4 "unknown output format" "$NARRATE" "$ART/fr-afp-blinken.txt" -o "$WORK/out/a.xyz"
expect_exit 2 "bad rate" "$NARRATE" --rate fast --plan
expect_exit 2 "unknown voice" "$NARRATE" --voice nosuchvoice -o "$WORK/out/a.wav"
expect_exit 2 "unknown option" "$NARRATE" --frobnicate
if [ "$(id -u)" -ne 0 ]; then
  cp "$ART/fr-afp-blinken.txt" "$WORK/locked.txt"; chmod 000 "$WORK/locked.txt"
  expect_exit 3 "unreadable file" "$NARRATE" "$WORK/locked.txt" -o "$WORK/out/a.wav"
fi
mkdir -p "$WORK/nodev"
printf 'pcm.!default { type hw; card 31 }\n' >"$WORK/nodev/.asoundrc"
HOME="$WORK/nodev" expect_exit 5 "no output device" "$NARRATE" "$ART/fr-afp-blinken.txt"
check "no device: the message suggests -o" grep -q -- '-o FILE' "$WORK/.stderr"
check "no file left behind by any failure" test -z "$(ls -A "$WORK/out")"

# SIGINT during an export: exit 130, no file, no temporary file.
for i in $(seq 40); do cat "$ART/fr-afp-blinken.txt"; echo; done >"$WORK/long.txt"
"$NARRATE" "$WORK/long.txt" -o "$WORK/out/long.wav" &
pid=$!
signal_when_writing INT $pid "$WORK/out"
wait $pid
code=$?
check "SIGINT during export exits 130 (got $code)" test "$code" -eq 130
check "SIGINT leaves no file behind" test -z "$(ls -A "$WORK/out")"

# A detected language eSpeak NG cannot speak falls back to English; a forced
# one is an error.
cp "${TESTDATA:-$(dirname "$0")/data}/hostile/dotted-chains.txt" "$WORK/rm.txt" # detected as Romansh
detected=$("$NARRATE" --plan "$WORK/rm.txt" | python3 -c "import json,sys; p=json.load(sys.stdin); print(p['lang'], p['speakers'][0]['voice']['espeak'])")
"$NARRATE" "$WORK/rm.txt" -o "$WORK/out/rm.wav" --loudness off
check "a language without an eSpeak voice is read in English ($detected)" \
  test -s "$WORK/out/rm.wav" -a "$detected" = "rm en"
rm -f "$WORK/out/rm."*
expect_exit 2 "a forced language without a voice" "$NARRATE" --lang rm "$WORK/rm.txt" -o "$WORK/out/rm.wav"
# A language eSpeak NG knows by its code but not as a voice's name ("zh":
# Mandarin and Cantonese both list it) is spoken, variant and all.
printf '新竹縣尖石鄉後山一帶的楓葉已經轉紅，吸引許多遊客前來賞楓。營區內除了露營以外，還有民宿與餐飲服務。\n' >"$WORK/zh.txt"
check "Chinese text is detected and read" \
  sh -c '"$1" "$2" -o "$3" --loudness off && test -s "$3"' - "$NARRATE" "$WORK/zh.txt" "$WORK/out/zh.wav"
check "--voice zh+f2 is spoken" \
  sh -c '"$1" --voice zh+f2 "$2" -o "$3" --loudness off && test -s "$3"' - "$NARRATE" "$WORK/zh.txt" "$WORK/out/zh2.wav"
rm -f "$WORK/out/zh"*

# Plain text over a window (1 MiB) is planned window by window: one JSON
# plan, its offsets into the whole input, every speaker a span names listed
# once, a speaker met again keeping its id (docs/limits.md).
python3 - "$SHARED/corpus/articles/fr-01-sncf-greve.txt" "$WORK/long.txt" <<'PY'
import sys
text = open(sys.argv[1], encoding='utf-8').read().strip() + "\n\n"
with open(sys.argv[2], 'w', encoding='utf-8') as f:
    f.write(text * (1300000 // len(text.encode()) + 1))
PY
"$NARRATE" "$WORK/long.txt" --plan >"$WORK/long.json"
check "a 1.3 MB text is planned in windows" python3 - "$WORK/long.txt" "$WORK/long.json" <<'PY'
import json, sys
raw = open(sys.argv[1], 'rb').read()
p = json.load(open(sys.argv[2], encoding='utf-8'))
ids = [s['id'] for s in p['speakers']]
assert len(ids) == len(set(ids)) and ids[0] == 'narrator', ids
spans = [sp for b in p['blocks'] for se in b['sentences'] for sp in se['spans']]
assert all(sp['voice'] in ids and sp.get('speaker') in ids + [None] for sp in spans)
last = spans[-1]
assert raw[last['start']:last['end']].decode().split()[0] == last['text'].split()[0], last
named = {}
for sp in spans:  # one name, one id, from the first copy of the article to the last
    if sp.get('speaker'):
        name = next(s['name'] for s in p['speakers'] if s['id'] == sp['speaker'])
        named.setdefault(name, set()).add(sp['speaker'])
assert named and all(len(v) == 1 for v in named.values()), named
assert p['title'] and sum(b['kind'] == 'title' for b in p['blocks']) == 1
PY

check "--help documents the exit statuses" sh -c "'$NARRATE' --help | grep -q 'Exit status'"
check "--version prints the version" sh -c "'$NARRATE' --version | grep -q '^narrate [0-9]'"
check "--list-voices lists French" sh -c "'$NARRATE' --list-voices | grep -q '^fr'"
finish
