#!/usr/bin/env bash
# Every test: install what is missing, build, run the test suite, then again under
# AddressSanitizer and UndefinedBehaviorSanitizer. `.ci/run` calls exactly this.
set -euo pipefail
cd "$(dirname "$0")/.."
LEO_EXTRA_PACKAGES="${LEO_EXTRA_PACKAGES:-} clang libclang-rt-14-dev" scripts/setup.sh
jobs=$(nproc)

echo "== build and test (RelWithDebInfo)"
cmake -S . -B build-test -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DLEO_BUILD_TESTS=ON >/dev/null
cmake --build build-test -j "$jobs"
ctest --test-dir build-test --output-on-failure -j "$jobs"

echo "== build and test under ASan/UBSan"
cmake -S . -B build-asan -G Ninja -DCMAKE_BUILD_TYPE=Debug -DLEO_BUILD_TESTS=ON -DLEO_BUILD_BENCH=OFF \
      -DLEO_SANITIZE=address,undefined >/dev/null
cmake --build build-asan -j "$jobs"
ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
    ctest --test-dir build-asan --output-on-failure -j "$jobs" -LE no-sanitizer
