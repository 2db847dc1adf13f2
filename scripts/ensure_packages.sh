#!/usr/bin/env bash
# Install Debian packages the test suite or the benchmark runs (not Python ones: those come from
# requirements.lock). Arguments are command=package pairs, or font:<pattern>=package.
# Needs root (as in CI); otherwise says what to install and fails.
set -euo pipefail
need=()
for pair in "$@"; do
  what=${pair%%=*} package=${pair#*=}
  case "$what" in
    font:*) fc-list 2>/dev/null | grep -qi "${what#font:}" || need+=("$package") ;;
    *) command -v "$what" >/dev/null 2>&1 || need+=("$package") ;;
  esac
done
[ ${#need[@]} -eq 0 ] && exit 0
if [ "$(id -u)" != 0 ]; then
  echo "missing Debian packages: ${need[*]} (apt-get install ${need[*]})" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get install -y -q --no-install-recommends "${need[@]}" >/dev/null \
  || { apt-get update -q >/dev/null \
       && apt-get install -y -q --no-install-recommends "${need[@]}" >/dev/null; }
