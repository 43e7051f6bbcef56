#!/usr/bin/env bash
# Speed and memory of leo beside SQLite FTS5 and Xapian's omindex + quest, on the same generated
# pages, in one run. Prints one Markdown table with leo's ratio to each peer.
#
# usage: bench/speed/run.sh [--pages N] [--rounds R] [--keep DIR] [--no-omindex]
#   --pages N      pages to generate (default 10000)
#   --rounds R     runs of each timed step whose median is quoted (default 3)
#   --keep DIR     work in DIR and keep it (pages, queries, indexes); a DIR with pages is reused
#   --no-omindex   leave omindex out (at 100k pages it alone takes a quarter of an hour a build)
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
pages=10000
rounds=3
keep=""
tools="leo fts om"
while [ $# -gt 0 ]; do
    case "$1" in
        --pages) pages=$2; shift ;;
        --rounds) rounds=$2; shift ;;
        --keep) keep=$2; shift ;;
        --no-omindex) tools="leo fts" ;;
        -h|--help) sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) echo "usage: $0 [--pages N] [--rounds R] [--keep DIR] [--no-omindex]" >&2; exit 2 ;;
    esac
    shift
done
LEO_EXTRA_PACKAGES="sqlite3 libsqlite3-dev xapian-omega xapian-tools wamerican time python3" \
    "$root/scripts/setup.sh"

say() { printf '%s\n' "-- $*" >&2; }
build="$root/build-bench"
say "building leo (Release) in $build"
cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DLEO_BUILD_TESTS=OFF >/dev/null
# -j2: the machines this runs on are shared; the build is not what is measured.
cmake --build "$build" -j2 --target leo-index leo-ask query_latency fts5_peer >/dev/null

work=${keep:-$(mktemp -d)}
[ -n "$keep" ] || trap 'rm -rf "$work"' EXIT
mkdir -p "$work"
corpus="$work/pages"
queries="$work/queries.tsv"
if [ ! -d "$corpus" ]; then
    say "generating $pages pages and 1000 queries in $work"
    python3 "$root/bench/speed/gen_corpus.py" "$corpus" "$pages" "$queries"
fi
leo_index="$build/indexer/leo-index"
leo_ask="$build/query/leo-ask"
fts5="$build/bench/speed/fts5_peer"
latency="$build/bench/relevance/query_latency"

# Wall seconds and peak RSS (KiB) of one command, as "SECONDS KIB" (the clock read here, as
# time(1)'s %e has only centiseconds); stops the run when the command fails.
measure() {
    local start end
    start=$(date +%s%N)
    /usr/bin/time -f '%M' -o "$work/time.out" "$@" >"$work/cmd.out" 2>"$work/cmd.err" || {
        echo "failed: $*" >&2; cat "$work/cmd.err" >&2; kill $$; }
    end=$(date +%s%N)
    echo "$(( (end - start) / 1000000 ))e-3 $(tail -n 1 "$work/time.out")"
}
median() { python3 -c 'import statistics,sys; print(statistics.median(float(x) for x in sys.stdin.read().split()))'; }
maximum() { python3 -c 'import sys; print(max(int(x) for x in sys.stdin.read().split()))'; }
size_mib() { du -sk "$1" | awk '{printf "%.1f", $1/1024}'; }

# The three indexers, as functions of nothing: same pages, each its own database.
run_leo() { measure "$leo_index" -q --db "$work/leo" "$corpus"; }
run_fts() { measure "$fts5" index "$corpus" "$work/fts.db"; }
run_om() { measure omindex --db "$work/omega" --url / "$corpus"; }

# --- full builds: the median of R, each from nothing ------------------------------------------
declare -A full rss size compact updated unchanged changed changed_times
database() { case $1 in leo) echo "$work/leo" ;; fts) echo "$work/fts.db" ;; om) echo "$work/omega" ;; esac; }
for tool in $tools; do
    say "full build: $tool x $rounds"
    times=(); peaks=()
    for ((r = 1; r <= rounds; r++)); do
        rm -rf "$(database "$tool")"*
        read -r s k < <("run_$tool")
        times+=("$s"); peaks+=("$k")
    done
    full[$tool]=$(printf '%s\n' "${times[@]}" | median)
    rss[$tool]=$(printf '%s\n' "${peaks[@]}" | maximum)
    size[$tool]=$(size_mib "$(database "$tool")")
done
pairs=$("$leo_index" --json --db "$work/leo" "$corpus" | python3 -c 'import json,sys; print(json.load(sys.stdin)["total_pairs"])')

# --- queries, on each tool's index as its full build left it ----------------------------------
# In-process: a warm-up pass, then 3 rounds of all queries, each timed alone.
say "queries in-process"
leo_q=$("$latency" "$work/leo" - "$queries")
printf '[ranking]\nmode = "bm25"\n' >"$work/bm25.toml"
leo_bm25=$("$latency" "$work/leo" "$work/bm25.toml" "$queries")
# FTS5 scores every row a query's words match (no top-k pruning), most of a second a query at
# 100k pages: there it answers the first 200 queries, once after a warm-up, not all three rounds.
if [ "$pages" -gt 20000 ]; then
    head -n 200 "$queries" >"$work/queries-fts.tsv"
    fts_q=$("$fts5" query "$work/fts.db" "$work/queries-fts.tsv" 1)
else
    fts_q=$("$fts5" query "$work/fts.db" "$queries")
fi

# Per process: 200 queries after 20 unmeasured ones, each a fresh process.
say "queries per process"
per_process() {
    python3 - "$queries" "$@" <<'PY'
import re, statistics, subprocess, sys, time
queries, kind, *cmd = sys.argv[1:]
texts = [l.rstrip("\n").split("\t", 1)[1] for l in open(queries)][:220]
def argv(q):
    if kind == "sql":  # the FTS5 query the in-process peer runs: an OR of quoted words
        match = " OR ".join(f'"{w}"' for w in re.findall(r"[0-9A-Za-z\x80-\U0010ffff]+", q))
        return cmd + [f"SELECT id FROM pairs WHERE pairs MATCH '{match}' ORDER BY bm25(pairs) LIMIT 10"]
    return cmd + [q]
ms = []
for i, q in enumerate(texts):
    start = time.perf_counter()
    subprocess.run(argv(q), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    if i >= 20:
        ms.append((time.perf_counter() - start) * 1000)
ms.sort()
print(f"median_ms {statistics.median(ms):.3f} p95_ms {ms[int(0.95 * (len(ms) - 1))]:.3f} p99_ms {ms[int(0.99 * (len(ms) - 1))]:.3f}")
PY
}
leo_proc=$(per_process text "$leo_ask" --db "$work/leo" -n 10 --color never)
fts_proc=$(per_process sql sqlite3 -readonly "$work/fts.db")
om_proc="median_ms – p95_ms – p99_ms –"
case " $tools " in *" om "*) om_proc=$(per_process text quest -d "$work/omega" -m 10) ;; esac

# --- re-index with nothing changed ------------------------------------------------------------
for tool in $tools; do
    say "re-index, nothing changed: $tool x $rounds"
    times=()
    for ((r = 1; r <= rounds; r++)); do
        read -r s _ < <("run_$tool")
        times+=("$s")
    done
    unchanged[$tool]=$(printf '%s\n' "${times[@]}" | median)
done

# --- re-index after 1% of pages changed: each round changes another 1%, every tool follows ----
for ((r = 1; r <= rounds; r++)); do
    say "re-index, 1% of pages changed: round $r"
    python3 - "$corpus" "$r" <<'PY'
import os, random, sys
folder, round_ = sys.argv[1], int(sys.argv[2])
names = sorted(os.listdir(folder))
for name in random.Random(round_).sample(names, max(1, len(names) // 100)):
    path = os.path.join(folder, name)
    with open(path, "a") as f:
        f.write(f"\nWhat changed in round {round_}?\n------------------------\n\nThis answer was added.\n")
    st = os.stat(path)  # a later mtime even within the file system's timestamp granularity
    os.utime(path, (st.st_atime, st.st_mtime + 10 * round_))
PY
    for tool in $tools; do
        read -r s _ < <("run_$tool")
        changed_times[$tool]+="$s "
    done
done
for tool in $tools; do
    changed[$tool]=$(echo "${changed_times[$tool]}" | median)
    # B-tree blocks split, and old revisions' blocks wait on free lists: an updated Xapian index
    # is larger than a fresh, compacted one, and slower to read.
    updated[$tool]=$(size_mib "$(database "$tool")")
done
say "queries in-process after the updates"
leo_q_updated=$("$latency" "$work/leo" - "$queries")

# --- compaction: each tool's own way, on a copy -----------------------------------------------
say "compaction"
rm -rf "$work/leo-compact" "$work/fts-opt.db"* "$work/omega-compact"
cp -r "$work/leo" "$work/leo-compact"
"$leo_index" -q --compact --db "$work/leo-compact" "$corpus" >/dev/null
compact[leo]=$(size_mib "$work/leo-compact")
cp "$work/fts.db" "$work/fts-opt.db"
"$fts5" optimize "$work/fts-opt.db"
compact[fts]=$(size_mib "$work/fts-opt.db")
case " $tools " in *" om "*)
    xapian-compact "$work/omega" "$work/omega-compact" >/dev/null
    compact[om]=$(size_mib "$work/omega-compact") ;;
esac

# --- the table -------------------------------------------------------------------------------
# A missing figure (omindex left out) prints as "–" and so does any ratio to it.
num() { python3 -c "import sys; v=sys.argv[1]; print(v if v not in ('', '–') else '–')" "${1:-–}"; }
field() { echo "$1" | tr ' ' '\n' | grep -A1 "^$2\$" | tail -n 1 | python3 -c "import sys; v=sys.stdin.read().strip(); print(f'{float(v):.2f}' if v not in ('', '–') else '–')"; }
secs() { python3 -c "import sys; v=sys.argv[1]; print('–' if v in ('', '–') else (f'{float(v):.2f}' if float(v) >= 1 else f'{float(v):.3f}'))" "${1:-–}"; }
ratio() { python3 -c "import sys; a,b=sys.argv[1:3]; print('' if '–' in (a,b) or '' in (a,b) else f'{float(a)/float(b):.2f}×')" "${1:-–}" "${2:-–}"; }
pct() { python3 -c "import sys; a,b=sys.argv[1:3]; print('–' if '–' in (a,b) or '' in (a,b) else f'{float(a):.3f} ({100*float(a)/float(b):.1f}%)')" "${1:-–}" "${2:-–}"; }
mib() { python3 -c "import sys; v=sys.argv[1]; print('–' if v in ('', '–') else round(int(v)/1024))" "${1:-–}"; }
per_s() { python3 -c "import sys; v=sys.argv[1]; print('–' if v in ('', '–') else f'{int($pairs/float(v)):,}')" "${1:-–}"; }
row() { printf '| %s | %s | %s | %s | %s | %s |\n' "$@"; }
both() { row "$1" "$2" "$3" "$4" "$(ratio "$2" "$3")" "$(ratio "$2" "$4")"; }
lat() { # figure, key
    row "$1" "$(field "$leo_q" "$2")" "$(field "$fts_q" "$2")" "–" \
        "$(ratio "$(field "$leo_q" "$2")" "$(field "$fts_q" "$2")")" ""
}
proc() {
    both "$1" "$(field "$leo_proc" "$2")" "$(field "$fts_proc" "$2")" "$(field "$om_proc" "$2")"
}

printf '\n%s pages, %s pairs (%s MiB of text); %s cores, %s; %s; medians of %s runs\n\n' \
    "$pages" "$pairs" "$(size_mib "$corpus")" "$(nproc)" \
    "$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)" "$(date -u +%F)" "$rounds"
row "" leo "SQLite FTS5" "omindex + quest" "leo / FTS5" "leo / omindex"
row "---" "---:" "---:" "---:" "---:" "---:"
both "index, full (s)" "$(secs "${full[leo]}")" "$(secs "${full[fts]}")" "$(secs "${full[om]:-}")"
row "pairs per second" "$(per_s "${full[leo]}")" "$(per_s "${full[fts]}")" "$(per_s "${full[om]:-}")" "" ""
both "peak RSS, full build (MiB)" "$(mib "${rss[leo]}")" "$(mib "${rss[fts]}")" "$(mib "${rss[om]:-}")"
both "index size (MiB)" "${size[leo]}" "${size[fts]}" "$(num "${size[om]:-}")"
both "index size, compacted (MiB)" "${compact[leo]}" "${compact[fts]}" "$(num "${compact[om]:-}")"
both "index size after the $rounds 1% re-indexes (MiB)" "${updated[leo]}" "${updated[fts]}" "$(num "${updated[om]:-}")"
row "re-index, nothing changed (s, % of full)" "$(pct "${unchanged[leo]}" "${full[leo]}")" \
    "$(pct "${unchanged[fts]}" "${full[fts]}")" "$(pct "${unchanged[om]:-}" "${full[om]:-}")" \
    "$(ratio "${unchanged[leo]}" "${unchanged[fts]}")" "$(ratio "${unchanged[leo]}" "${unchanged[om]:-}")"
row "re-index, 1% changed (s, % of full)" "$(pct "${changed[leo]}" "${full[leo]}")" \
    "$(pct "${changed[fts]}" "${full[fts]}")" "$(pct "${changed[om]:-}" "${full[om]:-}")" \
    "$(ratio "${changed[leo]}" "${changed[fts]}")" "$(ratio "${changed[leo]}" "${changed[om]:-}")"
lat "query in-process, median (ms)" median_ms
lat "query in-process, p95 (ms)" p95_ms
lat "query in-process, p99 (ms)" p99_ms
row "leo in-process after the 1% re-indexes, median / p95 / p99 (ms)" \
    "$(field "$leo_q_updated" median_ms) / $(field "$leo_q_updated" p95_ms) / $(field "$leo_q_updated" p99_ms)" "" "" "" ""
row "leo \`--ranking bm25\` in-process, median / p95 / p99 (ms)" \
    "$(field "$leo_bm25" median_ms) / $(field "$leo_bm25" p95_ms) / $(field "$leo_bm25" p99_ms)" "" "" "" ""
proc "query per process, median (ms)" median_ms
proc "query per process, p95 (ms)" p95_ms
proc "query per process, p99 (ms)" p99_ms
