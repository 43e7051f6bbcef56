#!/usr/bin/env bash
# Relevance harness: indexes ../shared/eval/medquad, runs every topic file through
# `leo-ask --batch … --format trec` with plain BM25 and with leo's ranking, scores the runs
# with trec_score.py (checked against trec_eval via bm25_reference), and prints one table.
#
# usage: bench/relevance/run.sh [--ablation] [--eval DIR]
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
eval_dir="$root/../shared/eval/medquad"
ablation=0
while [ $# -gt 0 ]; do
    case "$1" in
        --ablation) ablation=1 ;;
        --eval) eval_dir=$2; shift ;;
        *) echo "usage: $0 [--ablation] [--eval DIR]" >&2; exit 2 ;;
    esac
    shift
done
[ -d "$eval_dir/corpus" ] || { echo "no eval set at $eval_dir" >&2; exit 2; }

"$root/scripts/setup.sh"
build="$root/build-bench"
cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DLEO_BUILD_TESTS=OFF >/dev/null
cmake --build "$build" --target leo-index leo-ask bm25_reference query_latency >/dev/null

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$build/indexer/leo-index" --quiet --db "$work/db" "$eval_dir/corpus"
score() { python3 "$root/bench/relevance/trec_score.py" --json "$eval_dir/qrels.txt" "$1"; }

# Each configuration: a name and a leo.toml body.
configs=("bm25|[ranking]
mode = \"bm25\""
         "leo|")
if [ "$ablation" = 1 ]; then
    for feature in fields query_weighting proximity intent synonyms spelling collapse coverage page_context; do
        configs+=("leo -$feature|[ranking]
$feature = false")
    done
fi

printf '%-22s %-11s %8s %8s %8s %8s\n' ranking topics nDCG@10 MAP MRR P@5
for entry in "${configs[@]}"; do
    name=${entry%%|*}
    printf '%s\n' "${entry#*|}" > "$work/leo.toml"
    for topics in original paraphrase summary; do
        "$build/query/leo-ask" --config "$work/leo.toml" --db "$work/db" -n 100 --color never \
            --batch "$eval_dir/topics-$topics.tsv" --format trec > "$work/run" || true
        score "$work/run" | python3 -c "
import json, sys
f = json.load(sys.stdin)
print('%-22s %-11s %8.4f %8.4f %8.4f %8.4f' % ('$name', '$topics', f['ndcg_cut_10'], f['map'], f['recip_rank'], f['P_5']))"
    done
done

echo
echo "query time, in-process, all three topic files (3 rounds after a warm-up):"
printf '[ranking]\nmode = "bm25"\n' > "$work/bm25.toml"
printf 'plain BM25: '; "$build/bench/relevance/query_latency" "$work/db" "$work/bm25.toml" "$eval_dir"/topics-*.tsv
printf 'leo:        '; "$build/bench/relevance/query_latency" "$work/db" - "$eval_dir"/topics-*.tsv

echo
echo "scorer check: Xapian-only BM25 reference (must equal ../shared/eval/README.md):"
for topics in original paraphrase summary; do
    "$build/bench/relevance/bm25_reference" "$eval_dir/corpus" "$eval_dir/topics-$topics.tsv" > "$work/ref"
    score "$work/ref" | python3 -c "
import json, sys
f = json.load(sys.stdin)
print('%-22s %-11s %8.4f %8.4f %8.4f %8.4f' % ('reference', '$topics', f['ndcg_cut_10'], f['map'], f['recip_rank'], f['P_5']))"
done
