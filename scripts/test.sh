#!/usr/bin/env bash
# Every test: install what is missing, build, run the test suite, then again under
# AddressSanitizer and UndefinedBehaviorSanitizer. `.ci/run` calls exactly this.
set -euo pipefail
cd "$(dirname "$0")/.."
LEO_EXTRA_PACKAGES="${LEO_EXTRA_PACKAGES:-} clang libclang-rt-14-dev clang-format clang-tidy" scripts/setup.sh
jobs=$(nproc)

echo "== build and test (RelWithDebInfo)"
cmake -S . -B build-test -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DLEO_BUILD_TESTS=ON >/dev/null
cmake --build build-test -j "$jobs"
ctest --test-dir build-test --output-on-failure -j "$jobs"

echo "== build and test under ASan/UBSan"
cmake -S . -B build-asan -G Ninja -DCMAKE_BUILD_TYPE=Debug -DLEO_BUILD_TESTS=ON -DLEO_BUILD_BENCH=OFF \
      -DLEO_SANITIZE=address,undefined >/dev/null
cmake --build build-asan -j "$jobs"
export LSAN_OPTIONS="suppressions=$PWD/tests/lsan.supp:print_suppressions=0"
ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
    ctest --test-dir build-asan --output-on-failure -j "$jobs" -LE no-sanitizer

echo "== fuzz the page parser and the query path (libFuzzer, clang, ASan/UBSan)"
cmake -S . -B build-fuzz -G Ninja -DCMAKE_CXX_COMPILER=clang++ -DCMAKE_BUILD_TYPE=RelWithDebInfo \
      -DLEO_BUILD_TESTS=OFF -DLEO_BUILD_BENCH=OFF -DLEO_BUILD_TOOLS=OFF -DLEO_INSTALL=OFF \
      -DLEO_BUILD_FUZZERS=ON -DLEO_SANITIZE=address,undefined >/dev/null
cmake --build build-fuzz -j "$jobs" --target fuzz_page_parser fuzz_query
seeds=$(mktemp -d)
trap 'rm -rf "$seeds"' EXIT
mkdir -p "$seeds/parser" "$seeds/query"
cp corpus/* tests/data/bad/* "$seeds/parser/"
cp tests/fuzz/queries/* "$seeds/query/"
fuzz_seconds=${LEO_FUZZ_SECONDS:-45}
for target in parser query; do
    binary=build-fuzz/tests/fuzz/fuzz_$([ $target = parser ] && echo page_parser || echo query)
    log="$seeds/$target.log"
    # A crash makes libFuzzer exit non-zero and leaves crash-* in build-fuzz: this step fails.
    if ! (cd build-fuzz && ASAN_OPTIONS=detect_leaks=1 "../$binary" -max_total_time="$fuzz_seconds" \
              -rss_limit_mb=4096 -max_len=65536 -print_final_stats=1 "$seeds/$target" >"$log" 2>&1); then
        tail -n 40 "$log"
        echo "fuzz: $target found a crash (input saved in build-fuzz/)"
        exit 1
    fi
    echo "fuzz $target: $(grep -E '^stat::number_of_executed_units' "$log" | awk '{print $2}') executions"
done
echo "fuzz: no crash found"
