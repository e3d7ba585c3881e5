#!/usr/bin/env bash
# Runs every benchmark: the compiled bench_* programs in $BENCH_BIN (given the
# article corpus folder as their argument), then the
# bench_*.sh scripts beside this file. Each prints its own figures.
set -u
here=$(cd "$(dirname "$0")" && pwd)
status=0
for prog in "$BENCH_BIN"/bench_*; do
  [ -x "$prog" ] && [ -f "$prog" ] || continue
  echo "== $(basename "$prog")"
  "$prog" "$SHARED/corpus/articles" || status=1
done
for script in "$here"/bench_*.sh; do
  [ -f "$script" ] || continue
  echo "== $(basename "$script")"
  bash "$script" "$NARRATE" || status=1
done
exit $status
