#!/usr/bin/env bash
# fuzz/run.sh SECONDS [TARGET...]: builds the libFuzzer targets with clang
# (ASan+UBSan) and runs each for SECONDS, seeded from ../shared/corpus and
# fuzz/seeds/. Corpora, crash artifacts and logs go under $FUZZ_BUILD
# (default build-fuzz/, never committed). Runs $FUZZ_JOBS targets at a time
# (default 2). Prints one line per target with its executions, then
# "N passed, N failed"; exits non-zero if any target found something.
set -u
SECONDS_EACH=${1:?usage: fuzz/run.sh SECONDS [TARGET...]}
shift
case $SECONDS_EACH in
  '' | *[!0-9]* | 0) echo "fuzz/run.sh: SECONDS must be a whole number above 0" >&2; exit 2 ;;
esac
ROOT=$(cd "$(dirname "$0")/.." && pwd)
SHARED=${SHARED:-$ROOT/../shared}
BUILD=${FUZZ_BUILD:-$ROOT/build-fuzz}
JOBS=${FUZZ_JOBS:-2}
mkdir -p "$BUILD"
BUILD=$(cd "$BUILD" && pwd)

cmake -S "$ROOT" -B "$BUILD" -DCMAKE_C_COMPILER=clang -DNARRATE_FUZZ=ON -DNARRATE_SANITIZE=ON \
  -DNARRATE_TESTS=OFF -DCMAKE_BUILD_TYPE=RelWithDebInfo >"$BUILD/cmake.log" 2>&1 ||
  { cat "$BUILD/cmake.log"; exit 1; }
cmake --build "$BUILD" --target fuzz -j "$JOBS" >"$BUILD/build.log" 2>&1 ||
  { tail -40 "$BUILD/build.log"; exit 1; }

if [ $# -eq 0 ]; then
  set -- $(cd "$ROOT/fuzz" && ls fuzz_*.c | sed 's/\.c$//')
fi

# Seeds: one folder per kind of input, rebuilt on every run.
SEEDS="$BUILD/seeds"
rm -rf "$SEEDS"
mkdir -p "$SEEDS/text" "$SEEDS/normalise" "$SEEDS/voices"
cp "$SHARED"/corpus/articles/*.txt "$SEEDS/text/" 2>/dev/null
cp "$ROOT"/fuzz/seeds/text/* "$SEEDS/text/" 2>/dev/null
python3 - "$SHARED/corpus/segmentation" "$SEEDS" "$ROOT/voices" <<'PY'
import glob, json, os, sys
seg, out, voices = sys.argv[1:4]
n = 0
for f in sorted(glob.glob(os.path.join(seg, '*.jsonl'))):
    for line in open(f, encoding='utf-8'):
        try:
            case = json.loads(line)
        except ValueError:
            continue
        text = case.get('text')
        if not isinstance(text, str):
            continue
        n += 1
        open(os.path.join(out, 'text', 'seg-%04d' % n), 'w', encoding='utf-8').write(text)
# normalise: a language byte (0 en, 1 fr, ...: fuzz_normalise.c's order), then text
langs = ['en', 'fr', 'en-us', 'en-gb', 'fr-ca', 'de', 'es', 'it']
for f in sorted(glob.glob(os.path.join(out, 'text', '*'))):
    data = open(f, 'rb').read()
    name = os.path.basename(f)
    lang = name[:2] if name[:2] in langs else 'en'
    for l in ('en', 'fr'):
        if name.startswith('seg-') or l == lang:
            b = bytes([langs.index(l)]) + data
            open(os.path.join(out, 'normalise', '%s-%s' % (l, name)), 'wb').write(b)
# voices: "PATH\n" + the built-in file's content
for f in sorted(glob.glob(os.path.join(voices, '**', '*'), recursive=True)):
    if os.path.isfile(f):
        rel = os.path.relpath(f, voices)
        data = open(f, 'rb').read()
        open(os.path.join(out, 'voices', rel.replace('/', '_')), 'wb').write(rel.encode() + b'\n' + data)
PY

seeds_for() { # the seed folders of a target
  case $1 in
    fuzz_normalise) echo "$SEEDS/normalise $ROOT/fuzz/seeds/text" ;;
    fuzz_voices) echo "$SEEDS/voices $ROOT/fuzz/seeds/voices" ;;
    fuzz_cast) echo "$ROOT/fuzz/seeds/cast" ;;
    fuzz_lexicon) echo "$ROOT/fuzz/seeds/lexicon" ;;
    fuzz_sanitize) echo "$SEEDS/text $ROOT/fuzz/seeds/sanitize" ;;
    *) echo "$SEEDS/text" ;;
  esac
}

run_one() { # target -> log, exit status
  local t=$1 corpus="$BUILD/corpus/$1" dirs d
  mkdir -p "$corpus" "$BUILD/artifacts"
  dirs=""
  for d in $(seeds_for "$t"); do [ -d "$d" ] && dirs="$dirs $d"; done
  # shellcheck disable=SC2086
  ASAN_OPTIONS=detect_leaks=1:allocator_may_return_null=1 \
    UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
    "$BUILD/fuzz/$t" -max_total_time="$SECONDS_EACH" -timeout=20 -rss_limit_mb=2048 \
    -print_final_stats=1 -artifact_prefix="$BUILD/artifacts/$t-" "$corpus" $dirs \
    >"$BUILD/$t.log" 2>&1
}

pids=()
names=()
for t in "$@"; do
  [ -x "$BUILD/fuzz/$t" ] || { echo "fuzz: no target $t"; exit 1; }
  run_one "$t" &
  pids+=($!)
  names+=("$t")
  while [ "$(jobs -rp | wc -l)" -ge "$JOBS" ]; do sleep 1; done
done

passed=0
failed=0
for i in "${!pids[@]}"; do
  t=${names[$i]}
  wait "${pids[$i]}"
  rc=$?
  execs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$BUILD/$t.log" | grep -o '[0-9]*$')
  units=$(find "$BUILD/corpus/$t" -type f | wc -l)
  if [ "$rc" -eq 0 ]; then
    passed=$((passed + 1))
    echo "ok: $t: ${SECONDS_EACH} s, ${execs:-?} executions, corpus $units inputs"
  else
    failed=$((failed + 1))
    echo "FAIL: $t (exit $rc): see $BUILD/$t.log; artifacts:"
    ls "$BUILD/artifacts/" | grep "^$t-" | sed 's/^/  /'
    grep -m3 -E 'ERROR|invariant|SUMMARY|runtime error' "$BUILD/$t.log" | sed 's/^/  /'
  fi
done
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
