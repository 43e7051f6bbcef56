#!/usr/bin/env bash
# Installs the Debian packages leo builds with, when any is missing. Sourced or run by
# scripts/run-example.sh and scripts/test.sh; safe to run again.
set -euo pipefail

packages=(cmake ninja-build g++ pkg-config libxapian-dev xapian-tools libtomlplusplus-dev libicu-dev
          catch2 libcmark-dev libyaml-cpp-dev libcli11-dev nlohmann-json3-dev libfmt-dev
          liblz4-dev libjemalloc-dev libhunspell-dev hunspell-en-us help2man man-db python3 hugo
          libcpp-httplib-dev chromium chromium-driver)
# shellcheck disable=SC2206
packages+=(${LEO_EXTRA_PACKAGES:-})

missing=()
for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -eq 0 ]; then
    as_root=()
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    as_root=(sudo)
else
    echo "leo needs these Debian packages: ${missing[*]}" >&2
    echo "install them with: sudo apt-get install -y ${missing[*]}" >&2
    exit 1
fi
echo "installing: ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
"${as_root[@]}" apt-get update -qq
"${as_root[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
