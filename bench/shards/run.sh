#!/usr/bin/env bash
# Query latency of one index, of 4 local shards and of 4 shards over loopback TCP
# (xapian-tcpsrv), on the same pages: median and 99th percentile, in-process through leo's
# library (bench/relevance/query_latency), after a warm-up.
#
# usage: bench/shards/run.sh [--pages N]     (default 4000 generated pages)
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
pages=4000
while [ $# -gt 0 ]; do
    case "$1" in
        --pages) pages=$2; shift ;;
        *) echo "usage: $0 [--pages N]" >&2; exit 2 ;;
    esac
    shift
done
LEO_EXTRA_PACKAGES="xapian-tools python3" "$root/scripts/setup.sh"
build="$root/build-bench"
cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DLEO_BUILD_TESTS=OFF >/dev/null
cmake --build "$build" --target leo-index leo-ask query_latency >/dev/null

work=$(mktemp -d)
servers=()
cleanup() { for p in "${servers[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$work"; }
trap cleanup EXIT

python3 -c "
import random, sys
sys.path.insert(0, '$root/tests/shards')
from shard_test import generate, WORDS, STARTS
rng = random.Random(7)
generate('$work/pages', $pages, rng)
with open('$work/queries.tsv', 'w') as f:
    for i in range(500):
        q = ' '.join(rng.sample(WORDS, rng.randint(1, 4))) if i % 4 else rng.choice(STARTS).lower() + ' ' + rng.choice(WORDS)
        f.write(f'{i}\t{q}\n')
"
"$build/indexer/leo-index" -q --db "$work/one" "$work/pages"
"$build/indexer/leo-index" -q --shards 4 --db "$work/four" "$work/pages"

port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
{
    echo "# leo-lexicon $work/four/lexicon"
    for i in 0 1 2 3; do
        p=$(port)
        # setsid: xapian-tcpsrv signals its whole process group when it stops.
        setsid xapian-tcpsrv --interface 127.0.0.1 --port "$p" "$work/four/shard-$i-of-4" >/dev/null 2>&1 &
        servers+=($!)
        echo "remote 127.0.0.1:$p"
    done
} > "$work/tcp.stub"
sleep 1

echo "pages: $pages ($(nproc) cores, $(date -u +%F))"
printf '%-26s %s\n' "1 index:" "$("$build/bench/relevance/query_latency" "$work/one" - "$work/queries.tsv")"
printf '%-26s %s\n' "4 local shards:" "$("$build/bench/relevance/query_latency" "$work/four" - "$work/queries.tsv")"
printf '%-26s %s\n' "4 shards over TCP:" "$("$build/bench/relevance/query_latency" "$work/tcp.stub" - "$work/queries.tsv")"
