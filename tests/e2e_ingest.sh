#!/usr/bin/env bash
# End to end, ingest: page junk never read and captions read at most once in
# every gold article; the HTML and Markdown versions give the same sentences
# and quotations as the text version; Windows-1252 and UTF-16 copies of the
# French sample give the same plan as the UTF-8 original; the format is
# recognised from the content; --lang overrides the detected language.
. "$(dirname "$0")/lib.sh"
ART="$SHARED/corpus/articles"
DATA="${TESTDATA:-$(dirname "$0")/data}/ingest"

# Every gold article: all junk dropped, every caption at most once.
for gold in "$ART"/*.gold.json; do
  base=$(basename "$gold" .gold.json)
  "$NARRATE" "$ART/$base.txt" --plan >"$WORK/$base.json" 2>"$WORK/err"
  line=$("$SHARED/tools/score-plan" "$WORK/$base.json" "$gold" 2>&1 | grep '^score:')
  check "$base: $(echo "$line" | grep -o 'dropped=[0-9/]* once=[0-9/]*')" python3 -c "
import re,sys; m=re.search(r'dropped=(\d+)/(\d+) once=(\d+)/(\d+)', '''$line''')
sys.exit(not m or m.group(1)!=m.group(2) or m.group(3)!=m.group(4))"
done

# Body sentences and quotations of a plan, in order.
body() {
  python3 -c "
import json,sys,re
p=json.load(open(sys.argv[1]))
f=lambda s: re.sub(r'\s+',' ',s).strip()
for b in p['blocks']:
  if b['kind'] in ('paragraph','quote-block','list-item'):
    for s in b['sentences']:
      if s['text'] in ('A code block is not read.', 'Un bloc de code n’est pas lu.'): continue
      print('S', f(s['text']))
      for sp in s['spans']:
        if sp['kind']=='quote': print('Q', f(sp['text']))
" "$1"
}

n=0
for page in "$DATA"/*.html "$DATA"/*.md; do
  name=$(basename "$page"); base=${name%.*}
  # piped, without a name: the format comes from the content
  "$NARRATE" --plan <"$page" >"$WORK/$name.json" 2>"$WORK/err"
  body "$WORK/$base.json" >"$WORK/want"
  body "$WORK/$name.json" >"$WORK/got"
  check "$name reads the sentences and quotations of $base.txt ($(wc -l <"$WORK/want") lines)" cmp -s "$WORK/want" "$WORK/got"
  cmp -s "$WORK/want" "$WORK/got" || diff "$WORK/want" "$WORK/got" | head -5
  n=$((n + 1))
done
check "at least six HTML and two Markdown versions ($n files)" test "$n" -ge 8

# Encodings: the same plan from every copy of the French sample, but the
# "encoding" field.
SAMPLE="$SRCDIR/data/sample.txt"
"$NARRATE" "$SAMPLE" --plan | grep -v '"encoding"' | grep -v '"name"' >"$WORK/orig.plan"
for enc in WINDOWS-1252 UTF-16 UTF-16BE ISO-8859-15; do
  if [ "$enc" = UTF-16BE ]; then
    { printf '\376\377'; iconv -f UTF-8 -t UTF-16BE "$SAMPLE"; } >"$WORK/sample.$enc"
  else
    iconv -f UTF-8 -t "$enc" "$SAMPLE" >"$WORK/sample.$enc"
  fi
  "$NARRATE" "$WORK/sample.$enc" --plan | grep -v '"encoding"' | grep -v '"name"' >"$WORK/$enc.plan"
  check "the French sample in $enc gives the UTF-8 plan" cmp -s "$WORK/orig.plan" "$WORK/$enc.plan"
done

# --lang overrides the detected language.
lang=$("$NARRATE" "$ART/en-04-songbirds.txt" --plan --lang fr | python3 -c "import json,sys; print(json.load(sys.stdin)['lang'])")
check "--lang fr overrides English ($lang)" test "$lang" = fr
lang=$("$NARRATE" "$ART/en-04-songbirds.txt" --plan | python3 -c "import json,sys; print(json.load(sys.stdin)['lang'])")
check "English detected ($lang)" test "$lang" = en

finish
