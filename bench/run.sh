#!/usr/bin/env bash
# Runs every benchmark from the project root (so ../shared is the shared
# corpus): the compiled bench_* programs in $BENCH_BIN, then the bench_*.sh
# scripts beside this file. Each prints its own figures.
set -u
here=$(cd "$(dirname "$0")" && pwd)
cd "$here/.."
status=0
for prog in "$BENCH_BIN"/bench_*; do
  [ -x "$prog" ] && [ -f "$prog" ] || continue
  echo "== $(basename "$prog")"
  "$prog" || status=1
done
for script in "$here"/bench_*.sh; do
  [ -f "$script" ] || continue
  echo "== $(basename "$script")"
  bash "$script" "$NARRATE" || status=1
done
exit $status
