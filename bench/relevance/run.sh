#!/usr/bin/env bash
# Relevance harness: indexes every judged set of the eval folder (../shared/eval/*/), runs each
# of its topic files through `leo-ask --batch … --format trec` with plain BM25 and with leo's
# ranking, scores the runs with trec_score.py (checked against trec_eval via bm25_reference),
# and prints one table. A set's language and relevance grade come from sets.tsv (else en, 2).
#
# usage: bench/relevance/run.sh [--ablation] [--eval DIR]   (DIR: one set, or a folder of sets)
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
eval_dir="$root/../shared/eval"
ablation=0
while [ $# -gt 0 ]; do
    case "$1" in
        --ablation) ablation=1 ;;
        --eval) eval_dir=$2; shift ;;
        *) echo "usage: $0 [--ablation] [--eval DIR]" >&2; exit 2 ;;
    esac
    shift
done
sets=()
if [ -d "$eval_dir/corpus" ]; then
    sets=("$eval_dir")
else
    for d in "$eval_dir"/*/; do
        [ -d "$d/corpus" ] && sets+=("${d%/}")
    done
fi
[ ${#sets[@]} -gt 0 ] || { echo "no eval set at $eval_dir" >&2; exit 2; }

"$root/scripts/setup.sh"
build="$root/build-bench"
cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DLEO_BUILD_TESTS=OFF >/dev/null
cmake --build "$build" --target leo-index leo-ask bm25_reference query_latency >/dev/null

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# Each configuration: a name and the [ranking] lines of a leo.toml.
configs=("bm25|mode = \"bm25\"" "leo|")
if [ "$ablation" = 1 ]; then
    for feature in fields query_weighting rare_stop_words long_queries repeated_words proximity intent synonyms spelling collapse \
        coverage page_context; do
        configs+=("leo -$feature|$feature = false")
    done
    configs+=("leo +feedback|feedback = true" "leo +wordnet|wordnet = true"
              "leo +compounds|compounds = true")
fi

for set in "${sets[@]}"; do
    name=$(basename "$set")
    language=en level=2
    if line=$(grep -P "^\Q$name\E\t" "$root/bench/relevance/sets.tsv"); then
        language=$(cut -f2 <<<"$line")
        level=$(cut -f3 <<<"$line")
    fi
    printf 'language = "%s"\n' "$language" > "$work/index.toml"
    rm -rf "$work/db"
    "$build/indexer/leo-index" --quiet --config "$work/index.toml" --db "$work/db" "$set/corpus"
    echo "== $name (language $language, relevant: grade >= $level)"
    printf '%-22s %-11s %8s %8s %8s %8s\n' ranking topics nDCG@10 MAP MRR P@5
    for entry in "${configs[@]}"; do
        label=${entry%%|*}
        printf 'language = "%s"\n[ranking]\n%s\n' "$language" "${entry#*|}" > "$work/leo.toml"
        for topics in "$set"/topics*.tsv; do
            topic=$(basename "$topics" .tsv)
            topic=${topic#topics-}
            "$build/query/leo-ask" --config "$work/leo.toml" --db "$work/db" -n 100 --color never \
                --batch "$topics" --format trec > "$work/run" || true
            python3 "$root/bench/relevance/trec_score.py" --json --level "$level" \
                "$set/qrels.txt" "$work/run" | python3 -c "
import json, sys
f = json.load(sys.stdin)
print('%-22s %-11s %8.4f %8.4f %8.4f %8.4f' % ('$label', '$topic', f['ndcg_cut_10'], f['map'], f['recip_rank'], f['P_5']))"
        done
    done
    echo
    echo "query time, in-process, every topic file (3 rounds after a warm-up):"
    printf 'language = "%s"\n[ranking]\nmode = "bm25"\n' "$language" > "$work/bm25.toml"
    printf 'language = "%s"\n' "$language" > "$work/leo.toml"
    printf 'plain BM25: '; "$build/bench/relevance/query_latency" "$work/db" "$work/bm25.toml" "$set"/topics*.tsv
    printf 'leo:        '; "$build/bench/relevance/query_latency" "$work/db" "$work/leo.toml" "$set"/topics*.tsv
    echo
done

medquad=
for set in "${sets[@]}"; do [ "$(basename "$set")" = medquad ] && medquad=$set; done
if [ -n "$medquad" ]; then
    echo "scorer check: Xapian-only BM25 reference (must equal ../shared/eval/README.md):"
    for topics in original paraphrase summary; do
        "$build/bench/relevance/bm25_reference" "$medquad/corpus" "$medquad/topics-$topics.tsv" > "$work/ref"
        python3 "$root/bench/relevance/trec_score.py" --json "$medquad/qrels.txt" "$work/ref" | python3 -c "
import json, sys
f = json.load(sys.stdin)
print('%-22s %-11s %8.4f %8.4f %8.4f %8.4f' % ('reference', '$topics', f['ndcg_cut_10'], f['map'], f['recip_rank'], f['P_5']))"
    done
fi
