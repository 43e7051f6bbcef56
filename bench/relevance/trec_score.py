#!/usr/bin/env python3
"""Scores a TREC run against qrels exactly as trec_eval 10.0 does with `-c`:

  ndcg_cut.10 with the judged grades as gains (trec_eval -m ndcg_cut.10),
  map, recip_rank and P.5 counting grade >= 2 as relevant (trec_eval -l2; --level N for -lN).

Every query in the qrels counts; one missing from the run scores 0 (`-c`). Like trec_eval,
the run's rank column is ignored: documents are ordered by score, highest first, ties broken
by document id in decreasing order.

usage: trec_score.py QRELS RUN [--json] [--level N]
"""
import json
import math
import sys
from collections import defaultdict


def read_qrels(path):
    qrels = defaultdict(dict)
    with open(path) as f:
        for line in f:
            parts = line.split()
            if len(parts) == 4:
                qrels[parts[0]][parts[2]] = int(parts[3])
    return qrels


def read_run(path):
    run = defaultdict(dict)
    with open(path) as f:
        for line in f:
            parts = line.split()
            if len(parts) == 6:
                qid, _, doc, _, score, _ = parts
                run[qid].setdefault(doc, float(score))
    ranked = {}
    for qid, docs in run.items():
        # trec_eval: score descending, then docno descending.
        ranked[qid] = [d for d, _ in sorted(docs.items(), key=lambda x: (x[1], x[0]), reverse=True)]
    return ranked


def ndcg_at(docs, judged, k):
    dcg = sum(judged.get(d, 0) / math.log2(i + 2) for i, d in enumerate(docs[:k]) if judged.get(d, 0) > 0)
    ideal = sorted((g for g in judged.values() if g > 0), reverse=True)[:k]
    idcg = sum(g / math.log2(i + 2) for i, g in enumerate(ideal))
    return dcg / idcg if idcg > 0 else 0.0


def score(qrels, run, level=2):
    totals = defaultdict(float)
    for qid, judged in qrels.items():
        docs = run.get(qid, [])
        relevant = {d for d, g in judged.items() if g >= level}
        totals["ndcg_cut_10"] += ndcg_at(docs, judged, 10)
        hits, ap, rr = 0, 0.0, 0.0
        for i, d in enumerate(docs):
            if d in relevant:
                hits += 1
                ap += hits / (i + 1)
                if rr == 0.0:
                    rr = 1.0 / (i + 1)
        totals["map"] += ap / len(relevant) if relevant else 0.0
        totals["recip_rank"] += rr
        totals["P_5"] += sum(1 for d in docs[:5] if d in relevant) / 5
    n = len(qrels)
    return {k: v / n for k, v in totals.items()}, n


def main():
    argv = sys.argv[1:]
    level = 2
    if "--level" in argv:
        i = argv.index("--level")
        level = int(argv[i + 1])
        del argv[i:i + 2]
    args = [a for a in argv if not a.startswith("--")]
    if len(args) != 2:
        print(__doc__.strip().splitlines()[-1], file=sys.stderr)
        return 2
    figures, n = score(read_qrels(args[0]), read_run(args[1]), level)
    if "--json" in sys.argv:
        print(json.dumps(dict(figures, queries=n)))
    else:
        for k in ("ndcg_cut_10", "map", "recip_rank", "P_5"):
            print(f"{k:<12} all {figures[k]:.4f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
