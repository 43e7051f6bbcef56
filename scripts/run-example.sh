#!/usr/bin/env bash
# The main job: install what is missing, build, index corpus/ and ask the example question.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DLEO_BUILD_TESTS=OFF >/dev/null
cmake --build build
./build/indexer/leo-index corpus/
./build/query/leo-ask -n 5 "${@:-amur leopard population}"
