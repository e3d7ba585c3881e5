# lib.sh: helpers for the shell tests. Each check prints one line; the test
# ends with "N passed, N failed" and fails if any check did.
set -u
: "${NARRATE:?NARRATE must name the narrate binary}"
: "${SHARED:=$(cd "$(dirname "$0")/../../shared" && pwd)}"
passed=0
failed=0
WORK=$(mktemp -d /tmp/narrate-e2e.XXXXXX)
trap 'rm -rf "$WORK"' EXIT

ok() { passed=$((passed + 1)); echo "ok: $*"; }
not_ok() { failed=$((failed + 1)); echo "FAIL: $*"; }
check() { # check "description" command...
  local what=$1; shift
  if "$@"; then ok "$what"; else not_ok "$what"; fi
}
# expect_exit CODE "description" command... : runs it, checks the status and a one-line stderr
expect_exit() {
  local want=$1 what=$2; shift 2
  "$@" >"$WORK/.stdout" 2>"$WORK/.stderr"
  local got=$?
  local lines
  lines=$(wc -l <"$WORK/.stderr")
  if [ "$got" -eq "$want" ] && [ "$lines" -le 2 ] && grep -q '^narrate: ' "$WORK/.stderr"; then
    ok "$what (exit $got: $(head -1 "$WORK/.stderr"))"
  else
    not_ok "$what: exit $got (want $want), stderr: $(head -3 "$WORK/.stderr")"
  fi
}
finish() {
  echo "$passed passed, $failed failed"
  [ "$failed" -eq 0 ]
}
# An ALSA setup whose default device writes what it plays into $1 (raw s16).
alsa_capture_home() {
  local home=$1 file=$2
  mkdir -p "$home"
  printf 'pcm.!default { type file; slave.pcm "null"; file "%s"; format "raw" }\n' "$file" >"$home/.asoundrc"
}
# signal_when_writing SIGNAL PID DIR: sends SIGNAL to PID once a file (the
# export's temporary file) appears in DIR, so the signal lands mid-export
# however slowly the process starts (valgrind takes seconds; a background
# job ignores SIGINT until narrate installs its handler). Waits at most 120 s.
signal_when_writing() {
  local sig=$1 pid=$2 dir=$3 i
  for i in $(seq 1200); do
    [ -n "$(ls -A "$dir" 2>/dev/null)" ] && break
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  sleep 0.3
  kill "-$sig" "$pid" 2>/dev/null
}
