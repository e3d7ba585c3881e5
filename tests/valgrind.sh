#!/usr/bin/env bash
# tests/valgrind.sh BUILD_DIR: runs every unit test program and every
# end-to-end script (tests/e2e_*.sh) under valgrind memcheck, with leak
# checking. narrate is replaced by a wrapper that runs it under valgrind and
# logs each process to its own file; the run fails when any test fails or
# any log shows an error or a byte definitely lost. The e2e scripts see
# NARRATE_VALGRIND=1 and scale their big inputs down (never skipping a row).
set -u
BUILD=$(cd "${1:?usage: tests/valgrind.sh BUILD_DIR}" && pwd)
ROOT=$(cd "$(dirname "$0")/.." && pwd)
SHARED=${SHARED:-$ROOT/../shared}
LOGS="$BUILD/valgrind"
rm -rf "$LOGS"
mkdir -p "$LOGS"
chmod 1777 "$LOGS" # rows run as nobody (e2e_hostile's unreadable file) log here too
VG=(valgrind -q --tool=memcheck --leak-check=full --errors-for-leak-kinds=definite
  --show-leak-kinds=definite --error-exitcode=99 --num-callers=30
  --suppressions="$ROOT/tests/valgrind.supp")

cat >"$LOGS/narrate" <<WRAP
#!/bin/sh
exec ${VG[*]} --log-file="$LOGS/narrate.%p.log" "$BUILD/narrate" "\$@"
WRAP
chmod +x "$LOGS/narrate"

export SHARED SRCDIR="$ROOT" TESTDATA="$ROOT/tests/data" BUILDDIR="$BUILD"
passed=0
failed=0
run() { # NAME COMMAND...: one test
  local name=$1 t0=$SECONDS
  shift
  if "$@" >"$LOGS/$name.out" 2>&1; then
    passed=$((passed + 1))
    echo "ok: $name under valgrind ($((SECONDS - t0)) s)"
  else
    failed=$((failed + 1))
    echo "FAIL: $name under valgrind ($((SECONDS - t0)) s): see $LOGS/$name.out"
    grep -E 'FAIL|ERROR SUMMARY: [1-9]|definitely' "$LOGS/$name.out" | head -5 | sed 's/^/  /'
  fi
}
# VALGRIND_UNITS and VALGRIND_E2E (space-separated names) narrow the run;
# by default every unit test and every end-to-end script runs.
wanted() { # LIST NAME
  [ -z "$1" ] || [[ " $1 " == *" $2 "* ]]
}
for t in "$BUILD"/tests/test_*; do
  [ -x "$t" ] || continue
  name=$(basename "$t")
  wanted "${VALGRIND_UNITS:-}" "$name" || continue
  (cd "$ROOT/tests" && run "$name" "${VG[@]}" --log-file="$LOGS/$name.%p.log" "$t")
done 2>&1 | tee "$LOGS/unit.summary"
# The end-to-end scripts, VALGRIND_JOBS (default 2) at a time: each is
# mostly one narrate process after another.
{ for s in "$ROOT"/tests/e2e_*.sh; do
  name=$(basename "$s" .sh)
  wanted "${VALGRIND_E2E:-}" "$name" || continue
  while [ "$(jobs -rp | wc -l)" -ge "${VALGRIND_JOBS:-2}" ]; do sleep 1; done
  (mkdir -p "$LOGS/$name.wd" && cd "$LOGS/$name.wd" &&
    NARRATE="$LOGS/narrate" NARRATE_REAL="$BUILD/narrate" NARRATE_VALGRIND=1 run "$name" bash "$s") &
done; wait; } 2>&1 | tee "$LOGS/e2e.summary"
passed=$(cat "$LOGS"/*.summary | grep -c '^ok:')
failed=$(cat "$LOGS"/*.summary | grep -c '^FAIL:')

# Every process's log: errors and definite leaks (the wrapper's exit status
# is not seen by checks that look at output only).
bad=$(grep -l -E 'ERROR SUMMARY: [1-9]|definitely lost: [1-9]|are definitely lost|Invalid (read|write)|uninitialised|Conditional jump' "$LOGS"/*.log 2>/dev/null)
procs=$(ls "$LOGS"/*.log 2>/dev/null | wc -l)
if [ -n "$bad" ]; then
  failed=$((failed + 1))
  echo "FAIL: valgrind reported errors or definite leaks in:"
  for f in $bad; do echo "  $f"; grep -m3 -E '==[0-9]+== (Invalid|Conditional|.*definitely lost|.*uninitialised)' "$f" | sed 's/^/    /'; done
else
  passed=$((passed + 1))
  echo "ok: $procs processes under valgrind: 0 errors, 0 bytes definitely lost"
fi
echo "valgrind: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
