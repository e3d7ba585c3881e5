#!/usr/bin/env bash
# Time to first audio: narrate beside espeak-ng, on the sample article and on
# a 1 MB article made of the corpus repeated. Usage:
#   bench/bench_first_audio.sh [NARRATE] [RUNS]
# (the bench target passes the built narrate; SHARED defaults to ../shared).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
NARRATE=${1:-${NARRATE:-$here/../build/narrate}}
RUNS=${2:-15}
SHARED=${SHARED:-$here/../../shared}
work=$(mktemp -d /tmp/narrate-bench.XXXXXX)
trap 'rm -rf "$work"' EXIT

# 1 MB: the corpus's articles, over and over, paragraphs apart.
while [ "$(stat -c %s "$work/1mb.txt" 2>/dev/null || echo 0)" -lt 1048576 ]; do
  for f in "$SHARED"/corpus/articles/*.txt; do cat "$f"; printf '\n\n'; done >>"$work/1mb.txt"
done
python3 "$here/first_audio.py" "$NARRATE" "$RUNS" \
  "sample=$here/../data/sample.txt" "1MB=$work/1mb.txt"
