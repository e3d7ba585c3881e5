#!/bin/sh
# Installs the Debian packages narrate needs to build, test and benchmark.
# Idempotent: does nothing when every package is already installed.
# Uses sudo only when not root.
set -eu

PKGS="build-essential cmake pkg-config clang llvm python3 \
  libespeak-ng-dev espeak-ng-data espeak-ng \
  libsndfile1-dev portaudio19-dev libasound2-dev \
  libxml2-dev libxml2-utils libmd4c-dev libmd4c-html0-dev libuchardet-dev libexttextcat-dev \
  libsoxr-dev libebur128-dev libjansson-dev libinih-dev libutf8proc-dev libmp3lame-dev \
  sox valgrind clang-format strace time"

missing=""
for p in $PKGS; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing="$missing $p"
  fi
done
[ -z "$missing" ] && exit 0

SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
echo "narrate: installing Debian packages:$missing" >&2
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
# shellcheck disable=SC2086
$SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null
