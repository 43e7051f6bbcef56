#!/usr/bin/env bash
# Every test: install what is missing, build, run the test suite, then again under
# AddressSanitizer and UndefinedBehaviorSanitizer. `.ci/run` calls exactly this.
set -euo pipefail
cd "$(dirname "$0")/.."
LEO_EXTRA_PACKAGES="${LEO_EXTRA_PACKAGES:-} clang libclang-rt-14-dev clang-format clang-tidy" scripts/setup.sh
jobs=$(nproc)

echo "== build and test (RelWithDebInfo)"
# Optimised as users build it, without debug info: -g costs a fifth of the compile time, and a
# failing test is debugged in a developer's own tree.
cmake -S . -B build-test -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo "-DCMAKE_CXX_FLAGS_RELWITHDEBINFO=-O2 -DNDEBUG" \
      -DLEO_BUILD_TESTS=ON >/dev/null
cmake --build build-test -j "$jobs"
ctest --test-dir build-test --output-on-failure -j "$jobs"

echo "== build and test under ASan/UBSan, then fuzz (clang, libFuzzer in the same tree)"
# One sanitized tree serves both: the tests run against the fuzzers' coverage-instrumented
# library (ASan's runtime supplies the coverage hooks), which saves a third full build. Line
# tables are all a sanitizer's report needs, at a fraction of full debug info's compile time.
cmake -S . -B build-asan -G Ninja -DCMAKE_CXX_COMPILER=clang++ -DCMAKE_C_COMPILER=clang \
      -DCMAKE_BUILD_TYPE=Debug "-DCMAKE_CXX_FLAGS_DEBUG=-gline-tables-only -O1" -DLEO_BUILD_TESTS=ON \
      -DLEO_BUILD_BENCH=OFF -DLEO_BUILD_FUZZERS=ON -DLEO_SANITIZE=address,undefined >/dev/null
cmake --build build-asan -j "$jobs"
export LSAN_OPTIONS="suppressions=$PWD/tests/lsan.supp:print_suppressions=0"
ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
    ctest --test-dir build-asan --output-on-failure -j "$jobs" -LE no-sanitizer

seeds=$(mktemp -d)
trap 'rm -rf "$seeds"' EXIT
mkdir -p "$seeds/page_parser" "$seeds/query" "$seeds/config" "$seeds/stub" "$seeds/writers"
cp corpus/content/* tests/data/bad/* "$seeds/page_parser/"
cp tests/fuzz/queries/* "$seeds/query/"
cp tests/fuzz/configs/* "$seeds/config/"
cp tests/fuzz/stubs/* "$seeds/stub/"
cp tests/fuzz/queries/* tests/data/bad/* "$seeds/writers/"
# LEO_FUZZ_SECONDS (default 40) was the time of each of the two first targets: the five
# targets now share those 2 x LEO_FUZZ_SECONDS, so the test command takes no longer.
targets="page_parser query config stub writers"
fuzz_seconds=$(( ${LEO_FUZZ_SECONDS:-40} * 2 / 5 ))
[ "$fuzz_seconds" -ge 1 ] || fuzz_seconds=1
for target in $targets; do
    binary=build-asan/tests/fuzz/fuzz_$target
    log="$seeds/$target.log"
    # A crash makes libFuzzer exit non-zero and leaves crash-* in build-asan: this step fails.
    if ! (cd build-asan && ASAN_OPTIONS=detect_leaks=1 "../$binary" -max_total_time="$fuzz_seconds" \
              -rss_limit_mb=4096 -max_len=65536 -print_final_stats=1 "$seeds/$target" >"$log" 2>&1); then
        tail -n 40 "$log"
        echo "fuzz: $target found a crash (input saved in build-asan/)"
        exit 1
    fi
    echo "fuzz $target: $(grep -E '^stat::number_of_executed_units' "$log" | awk '{print $2}') executions"
done
echo "fuzz: no crash found"
