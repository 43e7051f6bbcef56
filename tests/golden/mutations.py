#!/usr/bin/env python3
"""Mutation check of the ranking tests: does every ranking feature have a test that notices it
break?

Each mutation below switches one ranking feature off *in the source* (not through a key of
leo.toml, which the ablation tests already cover) as a small search/replace on a named file.
For each, this script applies the patch, rebuilds the golden and unit tests, runs them, expects
at least one to fail, and restores the file. A pattern that no longer matches stops the script
before anything is changed: the code moved, and the mutation must be updated to follow it.

Not part of ctest (a rebuild per mutation is too slow). Run it from the source tree, with a
configured build directory (LEO_BUILD_TESTS=ON):

    python3 tests/golden/mutations.py                 # all mutations, build/ beside the script
    python3 tests/golden/mutations.py --build-dir B   # another build directory
    python3 tests/golden/mutations.py --only tie      # the mutations whose name holds "tie"
    python3 tests/golden/mutations.py --list          # names only; checks every pattern

Exit status 0 when every mutation was caught; 1 when one survived every test (a gap in the
tests: add a golden or unit test that catches it); 2 when a pattern no longer matches or a
mutant does not build.
"""

import argparse
import os
import re
import subprocess
import sys
from pathlib import Path

SOURCE = Path(__file__).resolve().parents[2]
SEARCH = "lib/src/search/"

# name, then the edits: (file, text to find, its replacement, how many times it must occur).
MUTATIONS = [
    (
        "proximity off",
        [
            (
                SEARCH + "second_stage.cpp",
                "b.proximity = 1.0 + ranking::feature_scale * config_.ranking.proximity_weight"
                " * s.proximity;",
                "b.proximity = 1.0;",
                1,
            )
        ],
    ),
    (
        "coverage off",
        [
            (
                SEARCH + "second_stage.cpp",
                "if (config_.ranking.mode == RankingMode::leo && config_.ranking.coverage) {\n"
                "        b.coverage",
                "if (false) {\n        b.coverage",
                1,
            )
        ],
    ),
    (
        "page context off",
        [
            (
                SEARCH + "second_stage.cpp",
                "s.breakdown.page = config_.ranking.page_weight * page_best[record.page];",
                "s.breakdown.page = 0;",
                1,
            )
        ],
    ),
    (
        "question weight 0",
        [
            (SEARCH + "query_plan.cpp", "config_.ranking.question_weight", "0.0", 2),
            (SEARCH + "scoring.cpp", "t, ranking.question_weight)", "t, 0.0)", 1),
        ],
    ),
    (
        "title weight 0",
        [
            (SEARCH + "query_plan.cpp", "config_.ranking.title_weight", "0.0", 2),
            (SEARCH + "scoring.cpp", "t, ranking.title_weight)", "t, 0.0)", 1),
        ],
    ),
    (
        "tie order reversed",
        [
            (
                SEARCH + "second_stage.cpp",
                "return x != y ? x > y : a.id < b.id;",
                "return x != y ? x > y : a.id > b.id;",
                1,
            )
        ],
    ),
    (
        "cue weight 1",
        [
            (
                SEARCH + "natural_query.cpp",
                "wt.weight = config_.ranking.cue_weight;",
                "wt.weight = 1.0;",
                1,
            )
        ],
    ),
    (
        "intent factor off",
        [
            (
                SEARCH + "second_stage.cpp",
                "b.intent = 1.0 + ranking::feature_scale * config_.ranking.intent_weight"
                " * s.intent;",
                "b.intent = 1.0;",
                1,
            )
        ],
    ),
    (
        "evidence credit 0",
        [
            (
                SEARCH + "second_stage.cpp",
                "return ranking::evidence_credit;",
                "return 0.0;",
                1,
            )
        ],
    ),
    (
        "synonyms off (natural queries)",
        [
            (
                SEARCH + "natural_query.cpp",
                "if (leo_mode && config_.ranking.synonyms && reader_.has_lexicon) {",
                "if (false) {",
                1,
            )
        ],
    ),
    (
        "spelling off (natural queries)",
        [
            (
                SEARCH + "natural_query.cpp",
                "if (leo_mode && config_.ranking.spelling && reader_.has_lexicon &&",
                "if (false && leo_mode && reader_.has_lexicon &&",
                1,
            )
        ],
    ),
    (
        "feedback weight ignored",
        [
            (
                SEARCH + "first_stage.cpp",
                "config_.ranking.feedback_weight)),",
                "1.0)),",
                1,
            )
        ],
    ),
    (
        "snippet 120 bytes",
        [
            (
                SEARCH + "ranking_constants.hpp",
                "snippet_bytes = 240;",
                "snippet_bytes = 120;",
                1,
            )
        ],
    ),
    (
        "phrase check off",
        [
            (
                SEARCH + "first_stage.cpp",
                "if (holds[k]) {",
                "if (true) {",
                1,
            )
        ],
    ),
]


def check_patterns(mutations):
    """Every pattern occurs as often as its mutation says, or the script stops here."""
    moved = []
    for name, edits in mutations:
        for file, old, _, count in edits:
            found = (SOURCE / file).read_text(encoding="utf-8").count(old)
            if found != count:
                moved.append(f"{name}: {file}: {old!r} occurs {found} times, expected {count}")
    if moved:
        print("mutation patterns no longer match the code (update tests/golden/mutations.py):")
        print("\n".join("  " + m for m in moved))
        sys.exit(2)


def run(command, log):
    with open(log, "w", encoding="utf-8") as out:
        return subprocess.run(command, cwd=SOURCE, stdout=out, stderr=subprocess.STDOUT).returncode


def failed_tests(log):
    """The names ctest lists under 'The following tests FAILED'."""
    text = Path(log).read_text(encoding="utf-8", errors="replace")
    part = text.split("The following tests FAILED:", 1)
    if len(part) < 2:
        return []
    names = []
    for line in part[1].splitlines():
        m = re.match(r"\s*\d+ - (.*?) \((Failed|SEGFAULT|Timeout|Subprocess aborted|Exception)",
                     line)
        if m:
            names.append(m.group(1))
    return names


def first_moved_query(log):
    """The first golden query whose pinned top ten the mutant changed, and how."""
    text = Path(log).read_text(encoding="utf-8", errors="replace")
    m = re.search(r"(REQUIRE\( order\(g\) == order\(w\) \)|CHECK\( g\[i\]\.second)"
                  r".*?^\s+query: (.*?)$", text, re.S | re.M)
    if not m:
        return ""
    return f'"{m.group(2)}" ({"order" if "order" in m.group(1) else "score"})'


def failed_ablations(log):
    """The ablations (sections of the golden ablation test) that no longer change their order."""
    text = Path(log).read_text(encoding="utf-8", errors="replace")
    found = re.findall(r"^golden: switching any ranking feature off changes a pinned order\n"
                       r"  (.+)\n-+\n", text, re.M)
    return sorted(set(found))


def build(build_dir, targets, log):
    command = ["nice", "cmake", "--build", str(build_dir), "-j2"]
    for t in targets:
        command += ["--target", t]
    return run(command, log)


def test(build_dir, log, regex=None, exclude=None):
    command = ["ctest", "--test-dir", str(build_dir), "-j2", "--output-on-failure"]
    if regex:
        command += ["-R", regex]
    if exclude:
        command += ["-E", exclude]
    run(command, log)
    return failed_tests(log)


def try_mutation(name, edits, build_dir, logs):
    originals = {}
    slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
    for file, _, _, _ in edits:
        path = SOURCE / file
        originals.setdefault(path, path.read_text(encoding="utf-8"))
    try:
        # Several edits may touch one file: each file's edits apply to its original text.
        for path, text in originals.items():
            for file, old, new, _ in edits:
                if SOURCE / file == path:
                    text = text.replace(old, new)
            path.write_text(text, encoding="utf-8")
        if build(build_dir, ["leo_golden_tests", "leo_unit_tests"], logs / f"{slug}.build"):
            return "does not build", []
        caught = test(build_dir, logs / f"{slug}.test", regex="golden|unit")
        if caught:
            moved = first_moved_query(logs / f"{slug}.test")
            ablations = failed_ablations(logs / f"{slug}.test")
            how = (f"; first golden moved: {moved}" if moved else "") + (
                f"; ablations no longer biting: {', '.join(ablations)}" if ablations else "")
            return "caught" + how, caught
        # Neither golden nor unit tests noticed: try everything else (about 15 minutes), but
        # the style checks, which a textual patch can trip without any behaviour changing.
        if build(build_dir, [], logs / f"{slug}.build-all"):
            return "does not build", []
        caught = test(build_dir, logs / f"{slug}.test-all", exclude=r"^style\.")
        return ("caught (wider suite)" if caught else "SURVIVED"), caught
    finally:
        for path, text in originals.items():
            path.write_text(text, encoding="utf-8")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--build-dir", default=str(SOURCE / "build"))
    parser.add_argument("--only", help="run the mutations whose name contains this")
    parser.add_argument("--list", action="store_true", help="list the mutations and stop")
    args = parser.parse_args()

    chosen = [m for m in MUTATIONS if not args.only or args.only in m[0]]
    check_patterns(MUTATIONS)
    if args.list or not chosen:
        for name, _ in MUTATIONS:
            print(name)
        return 0 if chosen else 2
    build_dir = Path(args.build_dir).resolve()
    logs = build_dir / "mutations"
    logs.mkdir(parents=True, exist_ok=True)

    results = []
    try:
        for name, edits in chosen:
            print(f"{name} ...", end=" ", flush=True)
            verdict, tests = try_mutation(name, edits, build_dir, logs)
            print(verdict)
            results.append((name, verdict, tests))
    finally:
        # Leave the build directory built from the unmutated sources.
        build(build_dir, ["leo_golden_tests", "leo_unit_tests"], logs / "restore.build")

    print("\n| mutation | verdict | failing tests |\n|---|---|---|")
    for name, verdict, tests in results:
        shown = "; ".join(tests[:4]) + (f"; … ({len(tests)} in all)" if len(tests) > 4 else "")
        print(f"| {name} | {verdict} | {shown} |")
    print(f"\nlogs in {logs}")
    if any(v == "does not build" for _, v, _ in results):
        return 2
    return 1 if any(v == "SURVIVED" for _, v, _ in results) else 0


if __name__ == "__main__":
    sys.exit(main())
