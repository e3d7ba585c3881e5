#!/usr/bin/env bash
# End to end, ingest: page junk never read and captions read at most once in
# every gold article; the HTML and Markdown versions give the same sentences
# and quotations as the text version; Windows-1252, ISO-8859-15 and UTF-16
# copies of the French sample give the same plan as the UTF-8 original; the
# format is recognised from the content; --lang overrides the detected language.
. "$(dirname "$0")/lib.sh"
ART="$SHARED/corpus/articles"
DATA="${TESTDATA:-$(dirname "$0")/data}/ingest"
SAMPLE="$SRCDIR/data/sample.txt"

# Plans first (one narrate run each), then one checker.
for gold in "$ART"/*.gold.json; do
  base=$(basename "$gold" .gold.json)
  "$NARRATE" "$ART/$base.txt" --plan >"$WORK/$base.json" 2>>"$WORK/err"
done
for page in "$DATA"/*.html "$DATA"/*.md; do
  # piped, without a name: the format comes from the content
  "$NARRATE" --plan <"$page" >"$WORK/$(basename "$page").json" 2>>"$WORK/err"
done
"$NARRATE" "$SAMPLE" --plan >"$WORK/sample.UTF-8.json"
for enc in WINDOWS-1252 UTF-16 UTF-16BE ISO-8859-15; do
  if [ "$enc" = UTF-16BE ]; then
    { printf '\376\377'; iconv -f UTF-8 -t UTF-16BE "$SAMPLE"; } >"$WORK/sample.$enc"
  else
    iconv -f UTF-8 -t "$enc" "$SAMPLE" >"$WORK/sample.$enc"
  fi
  "$NARRATE" "$WORK/sample.$enc" --plan >"$WORK/sample.$enc.json"
done
"$NARRATE" "$ART/en-04-songbirds.txt" --plan --lang fr >"$WORK/forced.json"

python3 - "$WORK" "$ART" "$DATA" "$SHARED/tools/score-plan" >"$WORK/checks" <<'PY'
import json, glob, os, re, subprocess, sys
work, art, data, score = sys.argv[1:5]
load = lambda p: json.load(open(p, encoding="utf-8"))
def report(ok, what):
    print(("ok " if ok else "FAIL ") + what)

# 1. junk never read, captions at most once
for gold in sorted(glob.glob(art + "/*.gold.json")):
    base = os.path.basename(gold)[:-len(".gold.json")]
    out = subprocess.run([score, f"{work}/{base}.json", gold], capture_output=True, text=True).stdout
    m = re.search(r"dropped=(\d+)/(\d+) once=(\d+)/(\d+)", out)
    report(bool(m) and m.group(1) == m.group(2) and m.group(3) == m.group(4),
           f"{base}: {m.group(0) if m else 'no score'}")

# 2. the markup versions read what the text version reads
notices = set()
for ini in glob.glob(os.environ.get("SRCDIR", ".") + "/voices/*/ingest.ini"):
    for line in open(ini, encoding="utf-8"):
        if line.startswith("code-block"):
            notices.add(line.split("=", 1)[1].strip())
def body(plan):
    f = lambda s: re.sub(r"\s+", " ", s).strip()
    out = []
    for b in plan["blocks"]:
        if b["kind"] in ("paragraph", "quote-block", "list-item"):
            for s in b["sentences"]:
                if f(s["text"]) in notices:
                    continue
                out.append("S " + f(s["text"]))
                out += ["Q " + f(sp["text"]) for sp in s["spans"] if sp["kind"] == "quote"]
    return out
n = 0
for page in sorted(glob.glob(data + "/*.html") + glob.glob(data + "/*.md")):
    name = os.path.basename(page)
    base = name.rsplit(".", 1)[0]
    want, got = body(load(f"{work}/{base}.json")), body(load(f"{work}/{name}.json"))
    diff = next((f"{w!r} / {g!r}" for w, g in zip(want, got) if w != g), "")
    report(want == got, f"{name} reads the {len(want)} sentences and quotations of {base}.txt {diff[:160]}")
    n += 1
report(n >= 8, f"at least six HTML and two Markdown versions ({n})")

# 3. encodings: the same plan but the "encoding" field
def strip(p):
    p = load(p)
    p["source"].pop("encoding", None)
    p["source"].pop("name", None)
    return p
orig = strip(f"{work}/sample.UTF-8.json")
for enc in ("WINDOWS-1252", "UTF-16", "UTF-16BE", "ISO-8859-15"):
    report(strip(f"{work}/sample.{enc}.json") == orig, f"the French sample in {enc} gives the UTF-8 plan")

# 4. language: detected, and --lang overrides it
report(load(f"{work}/en-04-songbirds.json")["lang"] == "en", "English detected")
report(load(f"{work}/forced.json")["lang"] == "fr", "--lang fr overrides English")
PY
while read -r status what; do
  if [ "$status" = ok ]; then ok "$what"; else not_ok "$what"; fi
done <"$WORK/checks"
# 5. code blocks: announced and skipped by default, read with --code read
printf '# Building it\n\nThe build takes one command, shown below.\n\n```\nmake all_targets_now\n```\n\nThen run it.\n' >"$WORK/code.md"
spoken() { # spoken PLAN WORD: a sentence of PLAN holds WORD
  python3 -c "import json,sys; p=json.load(open(sys.argv[1])); sys.exit(not any(sys.argv[2] in s['text'] for b in p['blocks'] for s in b['sentences']))" "$1" "$2"
}
"$NARRATE" --plan "$WORK/code.md" >"$WORK/code-skip.json"
"$NARRATE" --plan --code read "$WORK/code.md" >"$WORK/code-read.json"
check "a code block is announced" spoken "$WORK/code-skip.json" "code block"
not_spoken() { ! spoken "$@"; }
check "a code block is not read by default" not_spoken "$WORK/code-skip.json" "make all_targets_now"
check "--code read reads it" spoken "$WORK/code-read.json" "make all_targets_now"
expect_exit 2 "--code with a bad mode" "$NARRATE" --plan --code shout "$WORK/code.md"
check "the checker ran ($(wc -l <"$WORK/checks") checks)" test "$(wc -l <"$WORK/checks")" -ge 28
finish
