#!/usr/bin/env bash
# Speed and memory of leo beside SQLite FTS5 and Xapian's omindex + quest, on the same generated
# pages, in one run. Prints one table with leo's ratio to each peer.
#
# usage: bench/speed/run.sh [--pages N] [--keep DIR]      (default 10000 pages)
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
pages=10000
keep=""
while [ $# -gt 0 ]; do
    case "$1" in
        --pages) pages=$2; shift ;;
        --keep) keep=$2; shift ;;
        *) echo "usage: $0 [--pages N] [--keep DIR]" >&2; exit 2 ;;
    esac
    shift
done
LEO_EXTRA_PACKAGES="libsqlite3-dev xapian-omega xapian-tools wamerican time python3" "$root/scripts/setup.sh"
build="$root/build-bench"
cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DLEO_BUILD_TESTS=OFF >/dev/null
cmake --build "$build" --target leo-index leo-ask query_latency fts5_peer >/dev/null

work=${keep:-$(mktemp -d)}
[ -n "$keep" ] || trap 'rm -rf "$work"' EXIT
mkdir -p "$work"
corpus="$work/pages"
queries="$work/queries.tsv"
[ -d "$corpus" ] || python3 "$root/bench/speed/gen_corpus.py" "$corpus" "$pages" "$queries"
leo_index="$build/indexer/leo-index"
leo_ask="$build/query/leo-ask"
T=/usr/bin/time

# seconds and peak RSS (KiB) of one command: "SECONDS RSS"
measure() {
    $T -f '%e %M' -o "$work/time.out" "$@" >/dev/null 2>&1 || true
    tail -n 1 "$work/time.out"
}
median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
size_mib() { du -sk "$1" | awk '{printf "%.1f", $1/1024}'; }
sync; echo 3 > /proc/sys/vm/drop_caches 2>/dev/null || true

# --- leo: full build (median of 3), re-index unchanged, re-index 1% changed, compaction -------
leo_times=(); leo_rss=()
for round in 1 2 3; do
    rm -rf "$work/leo"
    read -r s r < <(measure "$leo_index" -q --db "$work/leo" "$corpus")
    leo_times+=("$s"); leo_rss+=("$r")
done
leo_full=$(printf '%s\n' "${leo_times[@]}" | median)
leo_peak=$(printf '%s\n' "${leo_rss[@]}" | sort -n | tail -n 1)
leo_size=$(size_mib "$work/leo")
pairs=$("$leo_index" --json --db "$work/leo" "$corpus" | python3 -c 'import json,sys; print(json.load(sys.stdin)["total_pairs"])')
unchanged_times=()
for round in 1 2 3; do
    read -r s _ < <(measure "$leo_index" -q --db "$work/leo" "$corpus")
    unchanged_times+=("$s")
done
leo_unchanged=$(printf '%s\n' "${unchanged_times[@]}" | median)
changed_times=()
for round in 1 2 3; do
    python3 - "$corpus" "$round" <<'PY'
import os, random, sys
folder, round_ = sys.argv[1], sys.argv[2]
names = sorted(os.listdir(folder))
for name in random.Random(int(round_)).sample(names, max(1, len(names) // 100)):
    path = os.path.join(folder, name)
    with open(path, "a") as f:
        f.write(f"\nWhat changed in round {round_}?\n------------------------\n\nThis answer was added.\n")
    st = os.stat(path)
    os.utime(path, (st.st_atime, st.st_mtime + 10 * int(round_)))
PY
    read -r s _ < <(measure "$leo_index" -q --db "$work/leo" "$corpus")
    changed_times+=("$s")
done
leo_changed=$(printf '%s\n' "${changed_times[@]}" | median)
cp -r "$work/leo" "$work/leo-compact"
"$leo_index" -q --compact --db "$work/leo-compact" "$corpus" >/dev/null
leo_compact=$(size_mib "$work/leo-compact")
leo_q=$("$build/bench/relevance/query_latency" "$work/leo" - "$queries")
leo_bm25=$(printf '[ranking]\nmode = "bm25"\n' > "$work/bm25.toml"; "$build/bench/relevance/query_latency" "$work/leo" "$work/bm25.toml" "$queries")
# per process: leo-ask, 200 queries, each a fresh process
per_process() {
    local db=$1; shift
    python3 - "$queries" "$db" "$@" <<'PY'
import statistics, subprocess, sys, time
queries, db, *cmd = sys.argv[1:]
texts = [l.rstrip("\n").split("\t", 1)[1] for l in open(queries)][:200]
ms = []
for q in texts:
    start = time.perf_counter()
    subprocess.run([c.replace("{db}", db) for c in cmd] + [q], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    ms.append((time.perf_counter() - start) * 1000)
ms.sort()
print(f"median_ms {statistics.median(ms):.3f} p95_ms {ms[int(0.95 * (len(ms) - 1))]:.3f} p99_ms {ms[int(0.99 * (len(ms) - 1))]:.3f}")
PY
}
leo_proc=$(per_process "$work/leo" "$leo_ask" --db "{db}" -n 10 --color never)

# --- SQLite FTS5 --------------------------------------------------------------------------
fts_times=(); fts_rss=()
for round in 1 2 3; do
    rm -f "$work/fts.db"*
    read -r s r < <(measure "$build/bench/speed/fts5_peer" index "$corpus" "$work/fts.db")
    fts_times+=("$s"); fts_rss+=("$r")
done
fts_full=$(printf '%s\n' "${fts_times[@]}" | median)
fts_peak=$(printf '%s\n' "${fts_rss[@]}" | sort -n | tail -n 1)
fts_size=$(size_mib "$work/fts.db")
fts_q=$("$build/bench/speed/fts5_peer" query "$work/fts.db" "$queries")

# --- omindex + quest ------------------------------------------------------------------------
rm -rf "$work/omega"
read -r om_full om_peak < <(measure omindex --db "$work/omega" --url / "$corpus")
om_size=$(size_mib "$work/omega")
read -r om_unchanged _ < <(measure omindex --db "$work/omega" --url / "$corpus")
om_proc=$(per_process "$work/omega" quest -d "{db}" -m 10)

field() { echo "$1" | tr ' ' '\n' | grep -A1 "^$2\$" | tail -n 1; }
ratio() { python3 -c "print(f'{float($1)/float($2):.2f}x')"; }
printf '\n%s pages, %s pairs; %s cores (%s); %s\n' "$pages" "$pairs" "$(nproc)" \
    "$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)" "$(date -u +%F)"
printf '%-34s %12s %12s %12s %14s %14s\n' "" leo "SQLite FTS5" omindex "leo/FTS5" "leo/omindex"
row() { printf '%-34s %12s %12s %12s %14s %14s\n' "$@"; }
row "index, full (s, median of 3)" "$leo_full" "$fts_full" "$om_full" "$(ratio "$leo_full" "$fts_full")" "$(ratio "$leo_full" "$om_full")"
row "pairs per second" "$(python3 -c "print(int($pairs/$leo_full))")" "$(python3 -c "print(int($pairs/$fts_full))")" "-" "" ""
row "peak RSS (MiB)" "$((leo_peak/1024))" "$((fts_peak/1024))" "$((om_peak/1024))" "$(ratio "$leo_peak" "$fts_peak")" "$(ratio "$leo_peak" "$om_peak")"
row "index size (MiB)" "$leo_size" "$fts_size" "$om_size" "$(ratio "$leo_size" "$fts_size")" ""
row "index size after compaction (MiB)" "$leo_compact" "$fts_size" "" "$(ratio "$leo_compact" "$fts_size")" ""
row "re-index, nothing changed (s)" "$leo_unchanged" "" "$om_unchanged" "$(python3 -c "print(f'{100*$leo_unchanged/$leo_full:.1f}% of full')")" ""
row "re-index, 1% changed (s)" "$leo_changed" "" "" "$(python3 -c "print(f'{100*$leo_changed/$leo_full:.1f}% of full')")" ""
row "query in-process median (ms)" "$(field "$leo_q" median_ms)" "$(field "$fts_q" median_ms)" "" "$(ratio "$(field "$leo_q" median_ms)" "$(field "$fts_q" median_ms)")" ""
row "query in-process p95 (ms)" "$(field "$leo_q" p95_ms)" "$(field "$fts_q" p95_ms)" "" "" ""
row "query in-process p99 (ms)" "$(field "$leo_q" p99_ms)" "$(field "$fts_q" p99_ms)" "" "$(ratio "$(field "$leo_q" p99_ms)" "$(field "$fts_q" p99_ms)")" ""
row "  (leo, plain BM25: median/p99)" "$(field "$leo_bm25" median_ms)/$(field "$leo_bm25" p99_ms)" "" "" "" ""
row "query per process median (ms)" "$(field "$leo_proc" median_ms)" "" "$(field "$om_proc" median_ms)" "" "$(ratio "$(field "$leo_proc" median_ms)" "$(field "$om_proc" median_ms)")"
row "query per process p99 (ms)" "$(field "$leo_proc" p99_ms)" "" "$(field "$om_proc" p99_ms)" "" ""
