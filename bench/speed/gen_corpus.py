#!/usr/bin/env python3
"""Writes N deterministic pages in the seed's format, and a query file.

usage: gen_corpus.py PAGES_DIR N QUERIES.tsv [--seed S]

Pages: TOML front matter, 10-15 setext questions, answers of 20-120 words drawn from a
Zipf-like distribution over a real word list (/usr/share/dict/words, Debian's wamerican), about
5% empty answers, some `&amp;` entities and stray HTML. Queries: 1-4 words mixing frequent and
rare words, plus one in five natural-language questions. Same N and seed, same bytes.
"""
import bisect
import itertools
import os
import random
import sys

args = [a for a in sys.argv[1:] if not a.startswith("--")]
if len(args) != 3:
    sys.exit(__doc__.strip().splitlines()[2])
out_dir, pages, queries_path = args[0], int(args[1]), args[2]
seed = int(sys.argv[sys.argv.index("--seed") + 1]) if "--seed" in sys.argv else 20261124
rng = random.Random(seed)

with open("/usr/share/dict/words", encoding="utf-8", errors="ignore") as f:
    words = sorted({w.strip().lower() for w in f if w.strip().isalpha() and w.strip().isascii()
                    and 2 < len(w.strip()) < 14})
rng.shuffle(words)
vocabulary = words[:40000]
weights = [1.0 / (rank + 1) ** 1.07 for rank in range(len(vocabulary))]
cumulative = list(itertools.accumulate(weights))
total = cumulative[-1]


def word():
    return vocabulary[bisect.bisect_left(cumulative, rng.random() * total)]


def sentence(n):
    text = " ".join(word() for _ in range(n))
    return text[0].upper() + text[1:] + "."


STARTS = ["How many", "What is", "Why do", "Where can I find", "When does", "How to", "Can I",
          "What causes", "Is it safe to", "Who should"]
os.makedirs(out_dir, exist_ok=True)
for p in range(pages):
    title = sentence(rng.randint(3, 7)).rstrip(".")
    lines = ["+++", f'title = "{title}"', f"date = 2024-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}T00:00:00",
             f'tags = ["{word()}", "{word()}"]', f'slug = "page-{p}"', "+++"]
    for q in range(rng.randint(10, 15)):
        question = f"{rng.choice(STARTS)} {' '.join(word() for _ in range(rng.randint(2, 6)))}?"
        lines += [question, "-" * len(question), ""]
        if rng.random() < 0.05:
            continue  # an empty answer
        n = rng.randint(20, 120)
        answer = []
        while n > 0:
            k = min(n, rng.randint(6, 20))
            answer.append(sentence(k))
            n -= k
        text = " ".join(answer)
        if rng.random() < 0.1:
            text = text.replace(" ", " &amp; ", 1)
        if rng.random() < 0.05:
            text += " <br> more"
        lines += [text, ""]
        if rng.random() < 0.02:
            lines += ['<iframe src="https://example.org/v" width="640"></iframe>', ""]
    with open(os.path.join(out_dir, f"{p:06d}_{rng.getrandbits(32):08x}.txt"), "w") as f:
        f.write("\n".join(lines) + "\n")

with open(queries_path, "w") as f:
    for i in range(1000):
        if i % 5 == 4:
            q = f"{rng.choice(STARTS).lower()} {word()} {word()}"
        else:
            n = rng.randint(1, 4)
            # frequent words from the head of the distribution, rare ones from its tail
            q = " ".join(word() if rng.random() < 0.6 else rng.choice(vocabulary[2000:]) for _ in range(n))
        f.write(f"{i}\t{q}\n")
