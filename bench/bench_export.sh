#!/usr/bin/env bash
# Export cost per format and memory against length: the French AFP sample
# into every format (wall and CPU seconds, peak memory), then the same
# article repeated 1, 4 and 16 times into MP3 (memory must stay flat: the
# audio is streamed through a scratch file, never held).
set -u
N=${1:-${NARRATE:-build/narrate}}
ART=${SHARED:-../shared}/corpus/articles/fr-afp-blinken.txt
W=$(mktemp -d /tmp/narrate-bench-export.XXXXXX)
trap 'rm -rf "$W"' EXIT
printf '%-8s %8s %8s %8s\n' format wall_s cpu_s peak_MB
for f in wav flac ogg opus mp3; do
  /usr/bin/time -f "%e %U %M" -o "$W/t" "$N" "$ART" -o "$W/ep.$f" -q
  read -r wall cpu kb <"$W/t"
  printf '%-8s %8s %8s %8.1f\n' "$f" "$wall" "$cpu" "$(echo "$kb / 1024" | bc -l)"
done
printf '\n%-8s %8s %8s %8s\n' copies audio_s cpu_s peak_MB
for k in 1 4 16; do
  for i in $(seq "$k"); do cat "$ART"; echo; done >"$W/long.txt"
  /usr/bin/time -f "%e %U %M" -o "$W/t" "$N" "$W/long.txt" -o "$W/long.mp3" -q
  read -r wall cpu kb <"$W/t"
  secs=$(soxi -D "$W/long.wav" 2>/dev/null || python3 -c "import json;print(json.load(open('$W/long.chapters.json'))['chapters'][-1]['endTime'])")
  printf '%-8s %8.0f %8s %8.1f\n' "$k" "$secs" "$cpu" "$(echo "$kb / 1024" | bc -l)"
done
