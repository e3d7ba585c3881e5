#!/usr/bin/env bash
# bench_speed.sh: speed and memory of narrate against eSpeak NG, on French
# news text built from the shared corpus (issue 10). Prints figures, each
# with its bar; asserts nothing. Environment:
#   NARRATE     the narrate command (set by `make bench`)
#   SHARED      the shared folder (corpus)
#   BENCH_BIN   where bench_speed_* programs are built
#   BENCH_WORDS words of the article for the synthesis figures (100000)
#   BENCH_BIG   1 to also export the whole 1 MB input (about 15 hours of
#               audio: minutes), 0 otherwise
#   BENCH_PARTS the parts to run, of: text synth wav norm mp3 first rss
#               (all of them by default; mp3 needs wav)
# Wall-clock ratios are the bars; on a loaded machine they are noise, so
# CPU times are printed beside them.
set -u
: "${NARRATE:?NARRATE must name the narrate binary}"
: "${SHARED:=$(cd "$(dirname "$0")/../../shared" && pwd)}"
: "${BENCH_BIN:=$(dirname "$NARRATE")/bench}"
: "${BENCH_WORDS:=100000}"
: "${BENCH_BIG:=0}"
: "${BENCH_PARTS:=text synth wav norm mp3 first rss}"
part() { case " $BENCH_PARTS " in *" $1 "*) return 0 ;; esac; return 1; }
W=$(mktemp -d /tmp/narrate-bench.XXXXXX)
trap 'rm -rf "$W"' EXIT
cores=$(nproc)

# ---- inputs: corpus articles repeated, paragraphs kept --------------------
make_text() { # make_text OUT WORDS|BYTES N
  python3 - "$SHARED/corpus/articles" "$@" <<'PY'
import glob, sys
src, out, unit, n = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
texts = [open(f, encoding='utf-8').read().strip() + "\n\n"
         for f in sorted(glob.glob(src + '/fr-*.txt'))]
with open(out, 'w', encoding='utf-8') as f:
    done = 0
    while done < n:
        for t in texts:
            f.write(t)
            done += len(t.split()) if unit == 'words' else len(t.encode())
            if done >= n:
                break
PY
}
make_text "$W/article.txt" words "$BENCH_WORDS"
if part text || part rss; then
  for mb in 1 10 100; do make_text "$W/in${mb}m.txt" bytes $((mb * 1000000)); done
fi
words=$(wc -w <"$W/article.txt")

# measure NAME CMD...: runs CMD under /usr/bin/time; sets WALL CPU RSS_MB.
measure() {
  local name=$1; shift
  /usr/bin/time -f "%e %U %S %M" -o "$W/time" "$@" >"$W/$name.out" 2>"$W/$name.err"
  local code=$?
  read -r WALL u s rss <"$W/time" 2>/dev/null || { WALL=0 u=0 s=0 rss=0; }
  CPU=$(awk -v u="$u" -v s="$s" 'BEGIN{printf "%.2f", u+s}')
  RSS_MB=$(awk -v k="$rss" 'BEGIN{printf "%.1f", k/1024}')
  [ $code -eq 0 ] || echo "  ($name failed with status $code: $(head -c 200 "$W/$name.err"))"
  return $code
}
secs() { soxi -D "$1" 2>/dev/null || echo 0; }
div() { awk -v a="$1" -v b="$2" 'BEGIN{ if (b > 0) printf "%.2f", a/b; else print "n/a" }'; }
verdict() { # verdict VALUE OP BAR
  awk -v v="$1" -v b="$3" -v op="$2" 'BEGIN{
    if (v == "n/a") { print "n/a"; exit }
    ok = (op == ">=") ? (v >= b) : (v <= b); print (ok ? "meets" : "MISSES") " bar " op " " b }'
}

echo "machine: $cores cores; load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "input: $words words of French news ($(wc -c <"$W/article.txt") bytes), eSpeak NG $(espeak-ng --version | awk '{print $4; exit}')"

# ---- text pipeline ---------------------------------------------------------
if part text; then
  measure plan10 "$NARRATE" --max-input 200000000 "$W/in10m.txt" --plan
  mbs=$(div "$(stat -c %s "$W/in10m.txt" | awk '{print $1/1e6}')" "$WALL")
  echo "text pipeline (input to plan, 10 MB, narrate --plan): ${WALL} s, $mbs MB/s  [$(verdict "$mbs" '>=' 20)]"
fi

# ---- synthesis against eSpeak NG, same text, same run -----------------------
measure espeak espeak-ng -v fr -f "$W/article.txt" -w "$W/espeak.wav"
e_wall=$WALL e_cpu=$CPU
e_audio=$(secs "$W/espeak.wav")
echo "espeak-ng -v fr -f -w: ${e_wall} s wall, ${e_cpu} s CPU, $(div "$e_audio" "$e_wall")x real time"
if part synth; then
  for jobs in "$cores" 1; do
    measure "render$jobs" "$BENCH_BIN/bench_speed_render" "$W/article.txt" "$jobs"
    read -r r_wall r_audio <"$W/render$jobs.out" 2>/dev/null || r_wall=0 r_audio=0
    echo "narrate synthesis alone (nr_render, --jobs $jobs, reading and analysis included): ${r_wall} s wall, ${CPU} s CPU, $(div "$r_audio" "$r_wall")x real time; throughput / espeak-ng's: $(div "$e_wall" "$r_wall")"
  done
fi
wav_wall=0
if part wav || part mp3; then
  for jobs in "$cores" 1; do
    measure "wav$jobs" "$NARRATE" --jobs "$jobs" --loudness off "$W/article.txt" -o "$W/narrate$jobs.wav"
    audio=$(secs "$W/narrate$jobs.wav")
    ratio=$(div "$e_wall" "$WALL")
    bar=1.6; [ "$jobs" = 1 ] && bar=0.9
    echo "narrate --jobs $jobs --loudness off -o .wav: ${WALL} s wall, ${CPU} s CPU, $(div "$audio" "$WALL")x real time, peak RSS ${RSS_MB} MB"
    echo "  WAV export throughput / espeak-ng's on the same text: $ratio  [$(verdict "$ratio" '>=' $bar)]; CPU time / espeak-ng's: $(div "$CPU" "$e_cpu")"
    eval "wav_wall_$jobs=$WALL"
  done
  wav_wall=$(eval echo "\$wav_wall_$cores")
  if cmp -s "$W/narrate$cores.wav" "$W/narrate1.wav"; then
    echo "  --jobs $cores and --jobs 1 wrote the same samples"
  else
    echo "  WARNING: --jobs $cores and --jobs 1 differ"
  fi
fi

if part norm; then
  measure wavnorm "$NARRATE" "$W/article.txt" -o "$W/normalised.wav"
  echo "narrate -o .wav with the default loudness normalisation: ${WALL} s wall, ${CPU} s CPU, peak RSS ${RSS_MB} MB ($(div "$e_wall" "$WALL") of espeak-ng's throughput; $(div "$WALL" "$wav_wall") x the time of --loudness off)"
fi

# ---- MP3 export: pipelined against synthesis followed by encoding ----------
# Without loudness normalisation on both sides: synthesis + encoding only.
# The baseline encodes the WAV export with narrate's own MP3 encoder and
# settings (bench_speed_encode: 44.1 kHz through libsoxr, 64 kbit/s, LAME
# with the bit reservoir off), as one LAME stream after the synthesis
# instead of in segments on every core during it. On a loaded machine with
# autogroup scheduling a process gets its group's share of the cores
# whatever its threads, so the wall-clock ratio then shows the CPU ratio.
if part mp3 && measure mp3 "$NARRATE" --loudness off "$W/article.txt" -o "$W/narrate.mp3"; then
  mp3_wall=$WALL mp3_cpu=$CPU mp3_rss=$RSS_MB
  enc=n/a
  if measure enc "$BENCH_BIN/bench_speed_encode" "$W/narrate$cores.wav" "$W/encoded.mp3"; then
    enc=$(cat "$W/enc.out") enc_cpu=$CPU
  fi
  audio=$(secs "$W/narrate$cores.wav")
  echo "narrate --loudness off -o .mp3: ${mp3_wall} s wall, ${mp3_cpu} s CPU, $(div "$audio" "$mp3_wall")x real time, peak RSS ${mp3_rss} MB"
  if [ "$enc" != n/a ]; then
    serial=$(awk -v a="$wav_wall" -v b="$enc" 'BEGIN{printf "%.2f", a+b}')
    ratio=$(div "$mp3_wall" "$serial")
    echo "  against WAV export ${wav_wall} s + the same MP3 encoding afterwards ${enc} s (${enc_cpu} s CPU) = ${serial} s: $ratio  [$(verdict "$ratio" '<=' 0.75)]"
  else
    echo "  (no MP3 encoding baseline: libsndfile cannot write MP3 here)"
  fi
elif part mp3; then
  echo "narrate -o .mp3: not available in this build"
fi

# ---- time to first audio -----------------------------------------------------
part first && for f in "$W/article.txt" "$SHARED/corpus/articles/fr-afp-blinken.txt"; do
  if out=$("$BENCH_BIN/bench_speed_first_audio" "$f" 2>&1); then
    read -r first analysis <<<"$out"
    echo "time to first audio, $(basename "$f") ($(wc -w <"$f") words): $first ms (of which reading and analysis $analysis ms)"
  else
    echo "time to first audio: failed: $out"
  fi
done

# ---- peak memory ---------------------------------------------------------------
part rss || exit 0
for mb in 1 10 100; do
  if ! measure "rss$mb" "$NARRATE" --max-input 200000000 "$W/in${mb}m.txt" --plan; then
    echo "peak RSS, ${mb} MB input, --plan: n/a"
    continue
  fi
  echo "peak RSS, ${mb} MB input, --plan: ${RSS_MB} MB in ${WALL} s ($(div $mb "$WALL") MB/s)  [$(verdict "$RSS_MB" '<=' 64)]"
done
# An export of 100 MB of text is weeks of audio: the export's peak is taken
# over its first BENCH_EXPORT_SECS seconds (reading, analysis and steady
# synthesis), then it is interrupted. BENCH_BIG=1 exports the 1 MB input whole.
: "${BENCH_EXPORT_SECS:=20}"
for mb in 1 10 100; do
  /usr/bin/time -f "%M" -o "$W/time" timeout -s INT "$BENCH_EXPORT_SECS" \
    "$NARRATE" --max-input 200000000 "$W/in${mb}m.txt" -o "$W/big.wav" >/dev/null 2>&1
  rss=$(tail -1 "$W/time" 2>/dev/null | awk '$1 ~ /^[0-9]+$/ {printf "%.1f", $1/1024}')
  [ -n "$rss" ] || rss=n/a
  echo "peak RSS, ${mb} MB input, WAV export (first ${BENCH_EXPORT_SECS} s): ${rss} MB  [$(verdict "$rss" '<=' 64)]"
done
if [ "$BENCH_BIG" = 1 ]; then
  measure exp1 "$NARRATE" --loudness off "$W/in1m.txt" -o /dev/null
  echo "peak RSS, 1 MB input, whole WAV export: ${RSS_MB} MB in ${WALL} s  [$(verdict "$RSS_MB" '<=' 64)]"
fi
