#!/usr/bin/env bash
# The hostile-input table (issue 9): each row is an input or a situation
# narrate must survive. Every row is handled (exit 0, well-formed output) or
# gets a one-line error with its documented exit status, in bounded time and
# memory, with no partial output (nothing on stdout, no output file, no
# temporary file left). Big inputs are made at run time in $WORK and deleted.
#
# Under valgrind (NARRATE_VALGRIND=1, see `make test-valgrind`) the big
# inputs are scaled down and the time limits scaled up: every row still runs.
. "$(dirname "$0")/lib.sh"
ART="$SHARED/corpus/articles"
HOSTILE="${TESTDATA:-$(dirname "$0")/data}/hostile"
OUT="$WORK/out"
mkdir -p "$OUT"

# Scale: MB is the size of "big" inputs, TF multiplies time limits, MF memory limits.
# PKB is the size (KB) of the one-line input analysed in full: the analysis
# runs at about 3 s per MB today (docs/limits.md), so 100 MB is refused
# through --max-input rather than analysed within a test's time.
MB=100 PKB=5000 TF=1 MF=1 LW=10000
# The one-line input is refused at its limit after reading that much, so it
# keeps its size under valgrind too (a smaller one would be accepted).
ONELINE_MB=100
if [ -n "${NARRATE_VALGRIND:-}" ]; then
  MB=2 PKB=200 TF=40 MF=4 LW=2000
elif ldd "$NARRATE" 2>/dev/null | grep -q libasan; then
  PKB=2000 TF=4 MF=3
fi

# hostile NAME WANT SECONDS MAXMB [--in FILE] [--out FILE] -- ARGS...
# WANT: allowed exit statuses, e.g. "3" or "0|3". On success with --plan,
# stdout must be JSON in the plan format; on failure, stderr is one line
# "narrate: ...", stdout is empty and --out FILE does not exist.
hostile() {
  local name=$1 want=$2 secs=$3 maxmb=$4 stdin=/dev/null outfile=""
  local runas=() stdout="$WORK/.stdout"
  shift 4
  while [ "$1" != "--" ]; do
    case $1 in
      --in) stdin=$2; shift 2 ;;
      --out) outfile=$2; shift 2 ;;
      --stdout) stdout=$2; shift 2 ;;
      --nobody) runas=(setpriv --reuid=65534 --regid=65534 --clear-groups); shift ;;
      --xdg) runas=(env "XDG_CONFIG_HOME=$2"); shift 2 ;;
    esac
  done
  shift
  local limit=$((secs * TF)) mem=$((maxmb * MF))
  local t0 t1
  t0=$(date +%s.%N)
  /usr/bin/time -f %M -o "$WORK/.rss" timeout -s KILL "$limit" "${runas[@]}" "$NARRATE" "$@" \
    <"$stdin" >"$stdout" 2>"$WORK/.stderr"
  local got=$?
  [ "$stdout" = "$WORK/.stdout" ] || : >"$WORK/.stdout"
  t1=$(date +%s.%N)
  local rss_kb secs_taken lines why=""
  rss_kb=$(tail -1 "$WORK/.rss" 2>/dev/null | grep -o '^[0-9]*$')
  secs_taken=$(python3 -c "print('%.2f' % ($t1 - $t0))")
  lines=$(wc -l <"$WORK/.stderr")
  if ! printf '%s\n' "$want" | tr '|' '\n' | grep -qx "$got"; then
    why="exit $got, want $want"
    [ "$got" -eq 137 ] && why="$why (killed after ${limit} s)"
  elif [ -n "$rss_kb" ] && [ "$rss_kb" -gt $((mem * 1024)) ]; then
    why="used $((rss_kb / 1024)) MB, limit $mem MB"
  elif [ "$got" -ne 0 ]; then
    # one line; a usage error may add the usual "Try 'narrate --help'" hint
    if ! grep -q '^narrate: ' "$WORK/.stderr" || { [ "$lines" -ne 1 ] &&
      ! { [ "$lines" -eq 2 ] && tail -1 "$WORK/.stderr" | grep -qx "Try 'narrate --help' for more information."; }; }; then
      why="error is not one line 'narrate: ...': $(head -c 300 "$WORK/.stderr")"
    elif [ -s "$WORK/.stdout" ]; then
      why="partial output on stdout ($(wc -c <"$WORK/.stdout") bytes)"
    elif [ -n "$outfile" ] && [ -e "$outfile" ]; then
      why="partial output file $outfile left behind"
    fi
  else
    if grep -q -E 'AddressSanitizer|runtime error|LeakSanitizer' "$WORK/.stderr"; then
      why="sanitizer report: $(grep -m1 -E 'AddressSanitizer|runtime error' "$WORK/.stderr")"
    elif [[ " $* " == *" --plan "* ]] && ! plan_ok "$WORK/.stdout"; then
      why="stdout is not a narrate-plan/1 JSON plan"
    fi
  fi
  if [ -n "$(find "$OUT" -name '.*narrate-*' 2>/dev/null)" ]; then
    why="${why:+$why; }temporary file left in $OUT"
    find "$OUT" -name '.*narrate-*' -delete
  fi
  local info="exit $got, ${secs_taken} s, $((${rss_kb:-0} / 1024)) MB"
  [ "$got" -ne 0 ] && info="$info: $(head -c 160 "$WORK/.stderr" | head -1)"
  if [ -z "$why" ]; then ok "$name ($info)"; else not_ok "$name: $why ($info)"; fi
}

# A plan: JSON with the narrate-plan/1 tag. Large plans are checked by their
# head and tail only (a JSON parser would need several times their size).
plan_ok() {
  if [ "$(stat -c %s "$1")" -gt 50000000 ]; then
    head -c 200 "$1" | grep -q '"format": "narrate-plan/1"' && tail -c 20 "$1" | grep -q '}'
    return
  fi
  python3 -c "
import json,sys
p=json.load(open(sys.argv[1],encoding='utf-8'))
sys.exit(p.get('format')!='narrate-plan/1')" "$1" 2>/dev/null
}

# The plan's text of every sentence, one per line.
plan_text() {
  python3 -c "
import json,sys
p=json.load(open(sys.argv[1],encoding='utf-8'))
for b in p['blocks']:
    for s in b['sentences']: print(s['text'])" "$1"
}

wav_ok() { # a WAV file that soxi reads, at least 0.1 s long
  local d
  d=$(soxi -D "$1" 2>/dev/null) || return 1
  python3 -c "import sys; sys.exit(not float('$d') >= 0.1)"
}

py() { python3 -c "$@"; }

# ---- input bytes ----------------------------------------------------------------
: >"$WORK/empty.txt"
py "open('$WORK/blank.txt','w',encoding='utf-8').write(' \t\n\r\n\u00a0\u2003\u3000\u200b\ufeff \n\n')"
head -c 65536 /dev/urandom >"$WORK/binary.bin"
py "open('$WORK/nul-early.txt','wb').write(b'Hello\x00world. This is text.\n')"
py "open('$WORK/nul-late.txt','wb').write(b'A title\n\n' + b'Plain words here. '*400 + b'\x00\x00NUL\x00 inside.\n')"
py "open('$WORK/invalid-utf8.txt','wb').write(b'Caf\xc3 \xff\xfe bad \x80\x80 seq \xe2\x82 end. Trunc \xf0\x9f\x98\n')"
py "open('$WORK/overlong.txt','wb').write(b'Over\xc0\xaflong and \xe0\x80\xaf and \xf0\x80\x80\xaf and \xc1\xbf end. Slash\xc0\xaf\xc0\xae\xc0\xae\xc0\xafetc.\n')"
py "open('$WORK/surrogates.txt','wb').write(b'Lone \xed\xa0\x80 high and \xed\xbf\xbf low and pair \xed\xa0\xbd\xed\xb8\x80 CESU end.\n')"
py "
t='Hello world\n\nThe minister said the plan would go ahead. It cost 200 euros.\n'
open('$WORK/utf16le.txt','wb').write(t.encode('utf-16-le'))
open('$WORK/utf16be.txt','wb').write(t.encode('utf-16-be'))"
py "
w=b'lorem ipsum dolor sit amet, '
open('$WORK/oneline.txt','wb').write(w*($ONELINE_MB*1024*1024//len(w)))"
py "open('$WORK/quotes.txt','w').write('\"'*($MB*10000))"
py "open('$WORK/guillemets.txt','w',encoding='utf-8').write('Il a dit \u00ab '*($MB*2000) + 'fin.\n')"
py "open('$WORK/unbalanced.txt','w',encoding='utf-8').write('Title\n\n\"He said it would never end, and walked away.\n\nA new paragraph \u201cwith an opening mark. And \u00ab another one.\n\nClosing only\u201d here.\u00bb And \u201d reversed \u201c marks.\n')"
py "open('$WORK/nested.html','w').write('<!DOCTYPE html><html><body>' + '<div>'*100000 + 'Deep text here.' + '</div>'*100000 + '</body></html>')"
py "open('$WORK/nested.md','w').write('>'*100000 + ' quoted\n\n' + '- '*50000 + 'item\n\n' + '['*50000 + 'x' + ']'*50000 + '\n')"
cat >"$WORK/laughs.html" <<'EOF'
<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
 <!ENTITY xxe SYSTEM "file:///etc/passwd">
]>
<html><body><p>Laughs: &lol9; and &xxe; end.</p></body></html>
EOF
py "open('$WORK/longword.txt','w').write('A word: ' + 'x'*$LW + ' ends here.\n')"
py "
import sys
spaces=[0x20,0x09,0xa0,0x1680,0x180e]+list(range(0x2000,0x200c))+[0x2028,0x2029,0x202f,0x205f,0x2060,0x3000,0xfeff]
dashes=[0x2d,0x2010,0x2011,0x2012,0x2013,0x2014,0x2015,0x2212,0x2e3a,0x2e3b,0xfe58,0xfe63,0xff0d,0x2053,0x301c,0x30a0]
t='Spaces:' + ''.join('word'+chr(c) for c in spaces) + 'end.\n\nDashes: ' + ''.join('a'+chr(c)+'b ' for c in dashes) + 'end.\n'
open('$WORK/spaces.txt','w',encoding='utf-8').write(t)"
py "open('$WORK/rtl.txt','w',encoding='utf-8').write('Mixed scripts\n\nThe envoy said \u00ab\u0645\u0631\u062d\u0628\u0627 \u0628\u0627\u0644\u0639\u0627\u0644\u0645\u00bb and \u05e9\u05dc\u05d5\u05dd then \u202eevil override\u202c and \u2067isolate\u2069. \u041c\u043e\u0441\u043a\u0432\u0430, \u6771\u4eac, \u0908\u0918 and \u0e2a\u0e27\u0e31\u0e2a\u0e14\u0e35 together.\n')"
py "open('$WORK/emoji.txt','w',encoding='utf-8').write('Emoji \U0001F468\u200d\U0001F469\u200d\U0001F467\u200d\U0001F466 family, \U0001F1EB\U0001F1F7 flag, \U0001F44D\U0001F3FD thumbs, 1\ufe0f\u20e3 keycap, \u2764\ufe0f heart, \U0001F3F4\U000E0067\U000E0062\U000E0073\U000E0063\U000E0074\U000E007F tag flag. ' + '\U0001F600'*5000 + ' done.\n')"
py "open('$WORK/crashers.txt','w').write('Dotted ' + 'a.'*300 + ' and ' + 'A.'*120 + 'B and stacked s' + \"'s\"*300 + ' and ' + 'x'*49 + 'd. Control \x01\x02\x1b[0m\x7f bytes.\n')"
py "open('$WORK/manylines.txt','w').write('\n'*($MB*10000) + 'Last line.\n' + '.\n'*($MB*5000))"
py "open('$WORK/crlf.txt','wb').write(b'Title\r\n\r\nOne line.\rTwo line.\r\n\x0cFeed.\x0bTab.\n')"
printf '\xef\xbb\xbf' >"$WORK/bom-only.txt"
for i in $(seq 30); do cat "$ART/fr-afp-blinken.txt"; echo; done >"$WORK/long.txt"
py "
t='Plain words in a sentence, said Ann. '*2000
open('$WORK/bigplan.txt','w').write(('Title\n\n' + t + '\n\n')*20)"
mkfifo "$WORK/fifo"
mkdir -p "$WORK/adir"

# ---- the table ------------------------------------------------------------------
echo "# inputs"
hostile "empty file" 3 30 300 -- "$WORK/empty.txt" --plan
hostile "white space only (every kind)" 3 30 300 -- "$WORK/blank.txt" --plan
hostile "binary (random bytes)" 3 30 300 -- "$WORK/binary.bin" --plan
hostile "NUL byte early (binary)" "0|3" 30 300 -- "$WORK/nul-early.txt" --plan
hostile "NUL bytes after 4 KiB" "0|3" 30 300 -- "$WORK/nul-late.txt" --plan
check "NUL bytes never reach the plan" sh -c "! grep -q 'u0000' '$WORK/.stdout'"
hostile "invalid UTF-8" 0 30 300 -- "$WORK/invalid-utf8.txt" --plan
hostile "overlong UTF-8" 0 30 300 -- "$WORK/overlong.txt" --plan
check "overlong sequences are not decoded ('/' or '..' from C0 AF)" \
  python3 -c "
import json,sys
p=json.load(open('$WORK/.stdout'))
t=' '.join(s['text'] for b in p['blocks'] for s in b['sentences'])
sys.exit('Over/long' in t or '/../' in t or '/etc' in t)"
hostile "lone surrogates (CESU-8)" 0 30 300 -- "$WORK/surrogates.txt" --plan
check "no surrogate code point in the plan" python3 -c "
import sys
b=open('$WORK/.stdout','rb').read()
sys.exit(b'\xed\xa0' in b or b'\xed\xbf' in b or b'\\\\ud8' in b.lower())"
hostile "UTF-16LE without BOM" "0|3" 30 300 -- "$WORK/utf16le.txt" --plan
if [ -s "$WORK/.stdout" ]; then
  check "UTF-16LE read as its text, not as NUL-spaced bytes" grep -q 'The minister said' "$WORK/.stdout"
fi
hostile "UTF-16BE without BOM" "0|3" 30 300 -- "$WORK/utf16be.txt" --plan
if [ -s "$WORK/.stdout" ]; then
  check "UTF-16BE read as its text, not as NUL-spaced bytes" grep -q 'The minister said' "$WORK/.stdout"
fi
hostile "$ONELINE_MB MB on one line, over --max-input: refused at once" 3 10 200 \
  -- "$WORK/oneline.txt" --plan --max-input 10000000
check "the error names the limit" grep -q -- 'limit of 10000000 bytes' "$WORK/.stderr"
hostile "$ONELINE_MB MB on one line, at the default limit (16 MiB): refused at once" 3 20 200 \
  -- "$WORK/oneline.txt" --plan
head -c $((PKB * 1000)) "$WORK/oneline.txt" >"$WORK/oneline-part.txt"
hostile "$PKB KB on one line, analysed in full (plan)" 0 120 $((PKB / 100 + 200)) \
  -- "$WORK/oneline-part.txt" --plan
rm -f "$WORK/oneline-part.txt"
hostile "$ONELINE_MB MB on one line from standard input, over --max-input" 3 10 200 \
  --in "$WORK/oneline.txt" -- - --plan --max-input 1000000
rm -f "$WORK/oneline.txt"
hostile "a million quotation marks" "0|3" 120 1000 -- "$WORK/quotes.txt" --plan
hostile "unclosed guillemets, $((MB * 2000)) of them" 0 120 1000 -- "$WORK/guillemets.txt" --plan
hostile "unbalanced quotations" 0 30 300 -- "$WORK/unbalanced.txt" --plan
check "unbalanced: every sentence is read" grep -q 'Closing only' "$WORK/.stdout"
hostile "100 000 nested HTML elements" "0|3" 60 1000 -- "$WORK/nested.html" --plan
hostile "100 000 nested Markdown quotes, lists, links" "0|3" 60 1000 -- "$WORK/nested.md" --plan
hostile "entity expansion (billion laughs, external entity)" "0|3" 60 500 -- "$WORK/laughs.html" --plan
check "entities are not expanded a billion times (plan $(stat -c %s "$WORK/.stdout") bytes)" \
  test "$(stat -c %s "$WORK/.stdout")" -lt 1000000
check "an external entity is never read (no /etc/passwd content)" sh -c "! grep -q 'root:' '$WORK/.stdout'"
hostile "a $LW-character word (plan)" 0 30 300 -- "$WORK/longword.txt" --plan
hostile "a $LW-character word (export)" 0 300 500 --out "$OUT/longword.wav" \
  -- "$WORK/longword.txt" -o "$OUT/longword.wav"
check "$LW-character word: a WAV file" wav_ok "$OUT/longword.wav"
hostile "every Unicode space and dash" 0 60 500 -- "$WORK/spaces.txt" -o "$OUT/spaces.wav"
check "spaces and dashes: a WAV file" wav_ok "$OUT/spaces.wav"
hostile "right-to-left and mixed scripts" 0 60 500 -- "$WORK/rtl.txt" -o "$OUT/rtl.wav"
check "mixed scripts: a WAV file" wav_ok "$OUT/rtl.wav"
hostile "emoji sequences" 0 120 500 -- "$WORK/emoji.txt" -o "$OUT/emoji.wav"
check "emoji: a WAV file" wav_ok "$OUT/emoji.wav"
hostile "eSpeak NG 1.51 crashers: dotted letters, stacked 's, control bytes" 0 120 500 \
  -- "$WORK/crashers.txt" -o "$OUT/crashers.wav"
check "crashers: a WAV file" wav_ok "$OUT/crashers.wav"
hostile "$((MB * 15000)) empty lines and lone dots" "0|3" 120 1000 -- "$WORK/manylines.txt" --plan
hostile "CR, CRLF, form feed, vertical tab" 0 30 300 -- "$WORK/crlf.txt" --plan
hostile "a byte-order mark and nothing else" 3 30 300 -- "$WORK/bom-only.txt" --plan

echo "# files that are not articles"
hostile "a directory" 3 30 300 -- "$WORK/adir" --plan
hostile "a FIFO with no writer" 3 30 300 -- "$WORK/fifo" --plan
(sleep 1; timeout 30 sh -c "cat '$ART/en-04-songbirds.txt' >'$WORK/fifo'") &
hostile "a FIFO with a writer" 0 60 300 -- "$WORK/fifo" --plan
wait
hostile "/dev/zero (bounded read, clear limit)" 3 30 300 -- /dev/zero --plan --max-input 50000000
check "/dev/zero: the error names the limit" grep -q 'over the limit' "$WORK/.stderr"
hostile "/dev/zero at the default limit" 3 60 300 -- /dev/zero --plan
hostile "/dev/urandom" 3 30 300 -- /dev/urandom --plan --max-input 50000000
hostile "/dev/zero on standard input" 3 30 300 --in /dev/zero -- - --plan --max-input 50000000
hostile "a missing file" 3 30 300 -- "$WORK/no such file.txt" --plan
hostile "a file name with a newline" 3 30 300 -- "$WORK/new
line.txt" --plan
cp "$ART/en-04-songbirds.txt" "$WORK/locked.txt"
chmod 000 "$WORK/locked.txt"
if [ "$(id -u)" -eq 0 ]; then # root reads anything: this row runs as nobody
  chmod o+rx "$WORK"
  hostile "an unreadable file" 3 30 300 --nobody -- "$WORK/locked.txt" --plan
else
  hostile "an unreadable file" 3 30 300 -- "$WORK/locked.txt" --plan
fi

echo "# outputs"
SHORT="$WORK/short.txt"
printf 'A short title\n\nOne sentence to say.\n' >"$SHORT"
hostile "export to /dev/full (disk full)" 4 60 500 -- "$SHORT" -o /dev/full
hostile "plan to /dev/full (disk full)" 4 60 500 --stdout /dev/full -- "$WORK/bigplan.txt" --plan
hostile "export into a missing folder" 4 60 500 --out "$WORK/missing/a.wav" -- "$SHORT" -o "$WORK/missing/a.wav"
hostile "export onto a directory" 4 60 500 -- "$SHORT" -o "$WORK/adir"
hostile "export to an unknown format" 4 60 500 --out "$OUT/a.xyz" -- "$SHORT" -o "$OUT/a.xyz"
hostile "export with an empty file name" "2|4" 60 500 -- "$SHORT" -o ""

# Signals during an export: wait for the temporary file, then signal.
signal_row() { # SIGNAL
  local sig=$1 pid code i
  rm -rf "$OUT"/* "$OUT"/.[!.]* 2>/dev/null
  "$NARRATE" "$WORK/long.txt" -o "$OUT/long.wav" 2>"$WORK/.sigerr" &
  pid=$!
  for i in $(seq $((300 * TF))); do
    [ -n "$(ls -A "$OUT")" ] && break
    sleep 0.1
  done
  sleep 0.5
  kill "-$sig" "$pid"
  local t0=$SECONDS
  wait "$pid"
  code=$?
  local took=$((SECONDS - t0))
  if [ "$code" -eq 130 ] && [ -z "$(ls -A "$OUT")" ] && [ "$took" -le $((10 * TF)) ] &&
    [ "$(wc -l <"$WORK/.sigerr")" -le 1 ]; then
    ok "SIG$sig during an export (exit 130 after ${took} s, no file left)"
  else
    not_ok "SIG$sig during an export: exit $code after ${took} s, left: $(ls -A "$OUT"), stderr: $(head -c 200 "$WORK/.sigerr")"
  fi
}
echo "# signals"
signal_row INT
signal_row TERM
signal_row HUP

# SIGPIPE: the reader goes away; narrate stops at once and quietly.
t0=$SECONDS
timeout -s KILL $((60 * TF)) bash -c "'$NARRATE' '$WORK/bigplan.txt' --plan 2>'$WORK/.pipeerr' | head -c 100 >/dev/null; exit \${PIPESTATUS[0]}"
code=$?
took=$((SECONDS - t0))
if [ "$code" -ne 137 ] && { [ "$code" -eq 141 ] || [ "$code" -eq 4 ] || [ "$code" -eq 0 ]; } &&
  [ "$(wc -l <"$WORK/.pipeerr")" -le 1 ]; then
  ok "SIGPIPE on --plan | head (exit $code after $took s, $(wc -l <"$WORK/.pipeerr") line on stderr)"
else
  not_ok "SIGPIPE on --plan | head: exit $code after $took s, stderr: $(head -c 200 "$WORK/.pipeerr")"
fi

echo "# option values"
hostile "--rate 0" 2 10 300 -- "$SHORT" --plan --rate 0
hostile "--rate with 30 digits" 2 10 300 -- "$SHORT" --plan --rate 999999999999999999999999999999
hostile "--rate -100" 2 10 300 -- "$SHORT" --plan --rate -100
hostile "--rate 12abc" 2 10 300 -- "$SHORT" --plan --rate 12abc
hostile "--pitch 100" 2 10 300 -- "$SHORT" --plan --pitch 100
hostile "--pitch ''" 2 10 300 -- "$SHORT" --plan --pitch ''
hostile "--max-input 0" 2 10 300 -- "$SHORT" --plan --max-input 0
hostile "--max-input -1" 2 10 300 -- "$SHORT" --plan --max-input -1
hostile "--max-input 1e9" 2 10 300 -- "$SHORT" --plan --max-input 1e9
hostile "--max-input 99999999999999999999999" 2 10 300 -- "$SHORT" --plan --max-input 99999999999999999999999
hostile "--max-input 1 (below the input)" 3 10 300 -- "$SHORT" --plan --max-input 1
hostile "--lang ../../etc/passwd" 2 10 300 -- "$SHORT" --plan --lang ../../etc/passwd
hostile "--lang of 300 characters" 2 10 300 -- "$SHORT" --plan --lang "$(printf 'x%.0s' $(seq 300))"
hostile "--lang with a newline" 2 10 300 -- "$SHORT" --plan --lang "$(printf 'fr\nen')"
hostile "--voice with an SSML tag" 2 30 300 -- "$SHORT" --plan --voice '<voice name="x">'
hostile "--voice of 300 characters" 2 30 300 -- "$SHORT" --plan --voice "$(printf 'v%.0s' $(seq 300))"
hostile "--emoji shout" 2 10 300 -- "$SHORT" --plan --emoji shout
hostile "--voices on a file" 2 10 300 -- "$SHORT" --plan --voices "$SHORT"
hostile "--voices on a missing folder" 2 10 300 -- "$SHORT" --plan --voices "$WORK/none"
hostile "an option without its value" 2 10 300 -- "$SHORT" --plan --rate
hostile "two articles" 2 10 300 -- "$SHORT" "$SHORT" --plan
hostile "an unknown option" 2 10 300 -- "$SHORT" --plan --exec=/bin/sh

echo "# malformed user files"
cp "$HOSTILE"/cast-*.ini "$WORK/" 2>/dev/null
CASTART="$ART/en-04-songbirds.txt"
hostile "cast: binary file" "2|6" 30 300 -- "$CASTART" --plan --cast "$WORK/binary.bin"
hostile "cast: /dev/zero" "2|6" 30 300 -- "$CASTART" --plan --cast /dev/zero
hostile "cast: a FIFO with no writer" "2|6" 30 300 -- "$CASTART" --plan --cast "$WORK/fifo"
hostile "cast: a directory" "2|6" 30 300 -- "$CASTART" --plan --cast "$WORK/adir"
hostile "cast: a missing file" 2 30 300 -- "$CASTART" --plan --cast "$WORK/none.ini"
hostile "cast: a $MB MB line" "2|6" 60 500 -- "$CASTART" --plan --cast "$WORK/quotes.txt"
printf '[narrator]\nvoice\n' >"$WORK/cast-nokey.ini"
hostile "cast: a key without '='" 6 30 300 -- "$CASTART" --plan --cast "$WORK/cast-nokey.ini"
printf '[narrator]\nrate = fast\n' >"$WORK/cast-badrate.ini"
hostile "cast: a rate that is not a number" 6 30 300 -- "$CASTART" --plan --cast "$WORK/cast-badrate.ini"
printf '[narrator]\nvoice = nosuchvoice+zz\n' >"$WORK/cast-badvoice.ini"
hostile "cast: an unknown voice (export)" "2|6" 60 300 --out "$OUT/cv.wav" -- "$SHORT" -o "$OUT/cv.wav" --cast "$WORK/cast-badvoice.ini"
printf '[narrator]\nvoice = <speak><audio src="%s/canary.wav"/></speak>\n' "$WORK" >"$WORK/cast-ssml.ini"
hostile "cast: SSML as a voice name (export)" "2|6" 60 300 --out "$OUT/cs.wav" -- "$SHORT" -o "$OUT/cs.wav" --cast "$WORK/cast-ssml.ini"
for f in "$HOSTILE"/cast-*.ini; do
  [ -e "$f" ] || continue
  hostile "cast fixture $(basename "$f")" "0|6" 30 300 -- "$CASTART" --plan --cast "$f"
done
mkdir -p "$WORK/voices-bad/en" "$WORK/voices-bin" "$WORK/voices-fifo"
printf '[narrator]\nrate = 175\nnot a setting\n' >"$WORK/voices-bad/profiles.ini"
printf '[cast]\nnarrator\n' >"$WORK/voices-bad/en/cast.ini"
hostile "voices: malformed profiles.ini" 6 30 300 -- "$CASTART" --plan --voices "$WORK/voices-bad"
cp "$WORK/binary.bin" "$WORK/voices-bin/profiles.ini"
hostile "voices: binary profiles.ini" 6 30 300 -- "$CASTART" --plan --voices "$WORK/voices-bin"
mkfifo "$WORK/voices-fifo/profiles.ini"
hostile "voices: profiles.ini is a FIFO" "0|6" 30 300 -- "$CASTART" --plan --voices "$WORK/voices-fifo"
# a repetition repeated ("m+++...", found by fuzz_voices): POSIX leaves it
# undefined and glibc's regcomp took gigabytes; it is refused at load
mkdir -p "$WORK/voices-rep/de"
printf '[related article link]\n(mehr zum them%s ?:? ?)?[0-9]+ ?min\n' "$(printf '+%.0s' $(seq 80))" \
  >"$WORK/voices-rep/de/junk.txt"
hostile "voices: a junk pattern repeating a repetition" 6 30 300 -- "$CASTART" --plan --voices "$WORK/voices-rep"

mkdir -p "$WORK/xdg-bad/narrate" "$WORK/xdg-fifo/narrate" "$WORK/xdg-bin/narrate"
cp "$HOSTILE/lexicon-invalid-utf8.txt" "$WORK/xdg-bad/narrate/lexicon-en.txt"
mkfifo "$WORK/xdg-fifo/narrate/lexicon-en.txt"
cp "$WORK/binary.bin" "$WORK/xdg-bin/narrate/lexicon-en.txt"
hostile "lexicon: invalid UTF-8 (fuzz_lexicon crash)" 0 30 300 --xdg "$WORK/xdg-bad" -- "$CASTART" --plan
hostile "lexicon: a FIFO with no writer" 0 30 300 --xdg "$WORK/xdg-fifo" -- "$CASTART" --plan
hostile "lexicon: binary" 0 30 300 --xdg "$WORK/xdg-bin" -- "$CASTART" --plan

echo "# text is never markup, and never a command"
CANARY="$WORK/canary.wav"
cp "$OUT/spaces.wav" "$CANARY" 2>/dev/null || : >"$CANARY"
python3 - "$WORK" <<'PY'
import sys
w = sys.argv[1]
hostile = f'''Markup is only text

The page said <speak><audio src="{w}/canary.wav">fallback</audio><voice name="en+f3">other</voice><break time="10s"/></speak> and moved on.
Phonemes [[h@'loU]] and [[a]] here, and \x01 control \x01 bytes \x01 mark here.
Entities &amp; &lt;audio src="{w}/canary.wav"&gt; &#1; &#x1; &#0; here.
Shell $(touch {w}/pwned) and `touch {w}/pwned` and ; sh -c "touch {w}/pwned" here.
<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file://{w}/canary.wav">]><x>&e;</x>
Links file://{w}/canary.wav and <img src="{w}/canary.wav"> and <say-as interpret-as="characters">ab</say-as> done.
'''
harmless = '''Markup is only text

The page said nothing of note and moved on to other things that day.
Phonemes are sounds and letters are signs, and control is a word.
Entities and audio sources are words here too, with no more meaning.
Shell and touch and sh are words, said the man, and then he left.
A version of the document type is not a thing to be read aloud.
Links and images and characters are spoken as words, and that is done.
'''
open(f'{w}/markup.txt', 'w').write(hostile)
open(f'{w}/harmless.txt', 'w').write(harmless)
PY
hostile "SSML, XML, [[phonemes]], U+0001, entities, shell: plan" 0 60 300 -- "$WORK/markup.txt" --plan
check "markup is spoken as text, not parsed (plan keeps <audio src, [[, &amp;)" python3 -c "
import json,sys
p=json.load(open('$WORK/.stdout'))
t=' '.join(s['text'] for b in p['blocks'] for s in b['sentences'])
sys.exit(p['source']['format']=='text' and not ('<audio src=' in t and '[[h@' in t and '&amp;' in t))"
check "U+0001 never reaches the plan" sh -c "! grep -qi 'u0001' '$WORK/.stdout'"
REAL=${NARRATE_REAL:-$NARRATE}
trace() { # INPUT LOG: the files opened and programs run by an export of INPUT
  rm -f "$OUT/trace.wav"
  # LeakSanitizer cannot run under ptrace: leaks are checked by every other row
  ASAN_OPTIONS=detect_leaks=0 strace -f -qq -e trace=execve,execveat,open,openat,creat -o "$2" \
    "$REAL" "$1" -o "$OUT/trace.wav" >/dev/null 2>&1
}
if trace "$WORK/markup.txt" "$WORK/strace-hostile.log" && trace "$WORK/harmless.txt" "$WORK/strace-harmless.log"; then
  ok "exports of the hostile and the harmless input under strace"
else
  not_ok "exports under strace failed: $(tail -3 "$WORK/strace-hostile.log")"
fi
check "no program is run: one execve, narrate's own ($(grep -c 'execve(' "$WORK/strace-hostile.log"))" \
  test "$(grep -c 'execve(' "$WORK/strace-hostile.log")" -eq 1
check "nothing named in the text is opened (canary, pwned, passwd)" \
  sh -c "! grep -E 'canary|pwned|passwd' '$WORK/strace-hostile.log'"
check "no file created by the text" test ! -e "$WORK/pwned"
opened() { grep -oE '(open|openat|creat)\(.*"[^"]+"' "$1" | grep -oE '"[^"]+"' | sed -E 's/narrate-[A-Za-z0-9]{6}/narrate-X/' | sort -u; }
opened "$WORK/strace-harmless.log" >"$WORK/open-harmless"
# the program's own data (eSpeak's voices, the language models of the
# detector, the user's lexicon for the detected language), the input and
# the export's own files may differ; nothing else may
opened "$WORK/strace-hostile.log" |
  grep -v -E '/espeak-ng-data/|^"/usr/share/libexttextcat/|/narrate/lexicon-[a-z-]+\.txt"$' |
  grep -v -F -e "\"$WORK/markup.txt\"" -e "\"$OUT/" >"$WORK/open-hostile"
extra=$(comm -23 "$WORK/open-hostile" "$WORK/open-harmless")
check "the hostile input opens nothing the harmless one does not (beyond eSpeak's data): ${extra:-none}" \
  test -z "$extra"
check "the hostile export is a WAV file" wav_ok "$OUT/trace.wav"
rm -f "$OUT/trace.wav" "$OUT"/*.wav
finish
