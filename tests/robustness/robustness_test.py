#!/usr/bin/env python3
"""leo's failure promises (docs/failures.md) on the real binaries.

usage: robustness_test.py GROUP LEO_INDEX LEO_ASK LEO_DUMP BAD_PAGES_DIR
"""
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time

GROUP, LEO_INDEX, LEO_ASK, LEO_DUMP, BAD = sys.argv[1:6]
failures = []
checks = 0


def check(condition, message):
    global checks
    checks += 1
    if not condition:
        failures.append(message)
        print("FAIL", message, flush=True)


def run(*args, **kw):
    return subprocess.run(list(args), capture_output=True, text=True, **kw)


def dump(db):
    r = run(LEO_DUMP, db)
    return r.returncode, r.stdout, r.stderr


def generate(folder, pages, seed, version="one"):
    rng = random.Random(seed)
    words = ("river forest leopard winter garden engine printer invoice parcel recipe coffee "
             "protein mountain glacier island ocean dolphin falcon census habitat").split()
    os.makedirs(folder, exist_ok=True)
    for p in range(pages):
        lines = ["+++", f'title = "Page {p}"', "+++", ""]
        for q in range(rng.randint(2, 6)):
            question = f"Question {q} about {rng.choice(words)} on page {p}?"
            lines += [question, "-" * len(question), "",
                      f"Version {version}: " + " ".join(rng.choice(words) for _ in range(20)), ""]
        with open(os.path.join(folder, f"p{p:05d}.md"), "w") as f:
            f.write("\n".join(lines))


# --- bad pages -------------------------------------------------------------------------------

def group_bad_pages(work):
    pages = os.path.join(work, "pages")
    shutil.copytree(BAD, pages)
    expected = {}
    with open(os.path.join(pages, "expected.txt")) as f:
        for line in f:
            if line.strip() and not line.startswith("#"):
                name, what = line.rstrip("\n").split("\t")
                expected[name] = what
    os.remove(os.path.join(pages, "expected.txt"))
    listed = set(os.listdir(pages))
    check(listed == set(expected), f"expected.txt covers every file: {sorted(listed ^ set(expected))}")

    # Cases too big to commit, or that a checkout cannot hold, made here.
    with open(os.path.join(pages, "huge.md"), "w") as f:
        f.write("## A huge page?\n\n")
        line = "All work and no play makes a very long answer. " * 20 + "\n"
        while f.tell() < 50 * 1024 * 1024:
            f.write(line)
    expected["huge.md"] = "huge.md: page is 50.0 MB, over the limit of 16.0 MB (max_page_mb in leo.toml)"
    with open(os.path.join(pages, "many-questions.md"), "w") as f:
        for i in range(100000):
            f.write(f"## Question number {i}?\n\nAnswer {i}.\n\n")
    expected["many-questions.md"] = "ok 100000"
    with open(os.path.join(pages, "deep.md"), "w") as f:
        f.write("## Deep question?\n\n" + ">" * 10000 + " deep answer\n\n" + "- " * 3000 + "listed\n")
    expected["deep.md"] = "ok 1"
    os.symlink("loop-b.md", os.path.join(pages, "loop-a.md"))
    os.symlink("loop-a.md", os.path.join(pages, "loop-b.md"))
    expected["loop-a.md"] = "loop-a.md: cannot read: Too many levels of symbolic links"
    expected["loop-b.md"] = "loop-b.md: cannot read: Too many levels of symbolic links"
    os.symlink("nowhere.md", os.path.join(pages, "dangling.md"))
    expected["dangling.md"] = "dangling.md: cannot read: No such file or directory"
    if os.geteuid() != 0:
        with open(os.path.join(pages, "unreadable.md"), "w") as f:
            f.write("## Secret?\n\nYes.\n")
        os.chmod(os.path.join(pages, "unreadable.md"), 0)
        expected["unreadable.md"] = "unreadable.md: cannot read: Permission denied"
    else:
        print("note: running as root, which reads any file: the unreadable-file case is the "
              "dangling symlink's 'cannot read' path instead")

    db = os.path.join(work, "db")
    r = run(LEO_INDEX, "--db", db, pages)
    lines = [l for l in r.stderr.splitlines() if not l.startswith("leo-index:")]
    check(r.returncode == 1, f"exit 1 when pages failed, got {r.returncode}")
    summary = [l for l in r.stderr.splitlines() if l.startswith("leo-index:")]
    errors = [w for w in expected.values() if not w.startswith("ok")]
    check(summary and f"{len(errors)} failed" in summary[-1], f"summary counts failures: {summary}")
    for name, what in sorted(expected.items()):
        mine = [l for l in lines if l.startswith(name + ":")]
        if what.startswith("ok"):
            check(not mine, f"{name} is not an error: {mine}")
        else:
            check(len(mine) == 1 and mine[0].startswith(what), f"{name}: want {what!r}, got {mine}")
    code, out, err = dump(db)
    check(code == 0, f"index whole: {err}")
    ids = [l.split("\t")[0] for l in out.splitlines() if not l.startswith("file\t")]
    for name, what in expected.items():
        if what.startswith("ok"):
            n = int(what.split()[1])
            got = sum(1 for i in ids if i.rsplit("#", 1)[0] == name)
            check(got == n, f"{name}: {got} pairs indexed, want {n}")
    ask = run(LEO_ASK, "--db", db, "--json", "page fine neighbours")
    check(ask.returncode == 0 and json.loads(ask.stdout)["hits"][0]["id"] == "good.md#1",
          "the good page is searchable")
    # strict: stops at the first bad page, commits nothing
    strict_db = os.path.join(work, "strict")
    s = run(LEO_INDEX, "--db", strict_db, "--strict", pages)
    check(s.returncode == 1 and "nothing committed" in s.stderr, f"--strict: {s.returncode} {s.stderr[-200:]}")
    code, out, _ = dump(strict_db)
    check(code == 0 and out.strip() == "", f"--strict committed nothing: {out[:200]!r}")


# --- kills -------------------------------------------------------------------------------------

def group_kills(work):
    pages = os.path.join(work, "pages")
    generate(pages, 3000, seed=1)
    names = sorted(os.listdir(pages))
    rng = random.Random(2026)
    db = os.path.join(work, "killed")
    start = time.monotonic()
    r = run(LEO_INDEX, "-q", "--db", db, "--batch-size", "400", pages)
    run_time = time.monotonic() - start
    check(r.returncode == 0, f"first run: {r.stderr}")
    kills = 0
    for attempt in range(70):
        if kills >= 55:
            break
        # Rewrite a third of the pages, so the run has pages to replace, not only to skip.
        for name in rng.sample(names, len(names) // 3):
            path = os.path.join(pages, name)
            with open(path, "a") as f:
                f.write(f"\nAdded in round {attempt}?\n----------------------\n\nRound {attempt} text.\n")
            t = os.stat(path).st_mtime + attempt + 1
            os.utime(path, (t, t))
        before = dump(db)[1]
        started = time.monotonic()
        proc = subprocess.Popen([LEO_INDEX, "-q", "--db", db, "--batch-size", "400", pages],
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(rng.uniform(0.02, max(run_time * 0.95, 0.05)))
        if proc.poll() is None:
            proc.send_signal(signal.SIGKILL)
            kills += 1
        else:
            run_time = time.monotonic() - started
        proc.wait()
        code, out, err = dump(db)
        check(code == 0, f"after kill {attempt}: index not whole: {err[:300]}")
        check(out != "" or before == "", f"after kill {attempt}: the committed index vanished")
    check(kills >= 50, f"at least 50 kills, got {kills}")
    r = run(LEO_INDEX, "-q", "--db", db, pages)
    check(r.returncode == 0, f"recovery run: {r.stderr}")
    clean = os.path.join(work, "clean")
    run(LEO_INDEX, "-q", "--db", clean, pages)
    _, recovered, _ = dump(db)
    _, fresh, _ = dump(clean)
    check(recovered == fresh, "after recovery the index equals a clean run's (ids and content)")
    print(f"{kills} kills at random points", flush=True)


# --- lock --------------------------------------------------------------------------------------

def group_lock(work):
    pages = os.path.join(work, "pages")
    generate(pages, 4000, seed=3)
    db = os.path.join(work, "db")
    first = subprocess.Popen([LEO_INDEX, "-q", "--db", db, "--batch-size", "500", pages],
                             stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    lock_file = db + ".lock"  # leo's writer lock, beside the index, holding the writer's pid
    for _ in range(500):
        if os.path.exists(lock_file) and open(lock_file).read().strip():
            break
        time.sleep(0.01)
    second = run(LEO_INDEX, "--db", db, pages)
    if first.poll() is None:
        check(second.returncode == 5, f"second writer exit 5, got {second.returncode}: {second.stderr}")
        check(f"locked by another leo-index (pid {first.pid})" in second.stderr,
              f"the message names the holder: {second.stderr!r}")
        waiting = subprocess.Popen([LEO_INDEX, "--wait", "--db", db, pages],
                                   stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        first.wait()
        _, err = waiting.communicate(timeout=300)
        check(waiting.returncode == 0, f"--wait finishes after the first: {err}")
        check("waiting for it to finish" in err, f"--wait says it waits: {err!r}")
    else:
        check(False, "the first leo-index finished before the lock could be tested")
    code, _, err = dump(db)
    check(code == 0, f"index whole after two writers: {err}")


# --- readers during a re-index ----------------------------------------------------------------

def group_readers(work):
    pages = os.path.join(work, "pages")
    generate(pages, 2000, seed=4, version="one")
    db = os.path.join(work, "db")
    run(LEO_INDEX, "-q", "--db", db, pages)
    generate(pages, 2000, seed=4, version="two")  # same questions, every answer changed
    for name in os.listdir(pages):
        path = os.path.join(pages, name)
        t = os.stat(path).st_mtime + 5
        os.utime(path, (t, t))
    writer = subprocess.Popen([LEO_INDEX, "-q", "--db", db, "--batch-size", "300", pages],
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    asked = 0
    mixed = 0
    while writer.poll() is None or asked < 20:
        r = run(LEO_ASK, "--db", db, "--json", "-n", "200", "question about leopard")
        asked += 1
        check(r.returncode in (0, 1) and r.stderr == "", f"reader error during re-index: {r.returncode} {r.stderr}")
        if r.returncode != 0:
            continue
        versions = {}
        for hit in json.loads(r.stdout)["hits"]:
            v = "two" if hit["answer"].startswith("Version two") else "one"
            versions.setdefault(hit["path"], set()).add(v)
        half = [p for p, vs in versions.items() if len(vs) > 1]
        mixed += len(half)
        check(not half, f"a reader saw half-replaced pages: {half[:3]}")
        if asked > 2000:
            break
    writer.wait()
    check(writer.returncode == 0, f"writer: {writer.stderr.read()}")
    print(f"{asked} queries during the re-index, {mixed} half-replaced pages seen", flush=True)


# --- signals ------------------------------------------------------------------------------------

def group_signals(work):
    pages = os.path.join(work, "pages")
    generate(pages, 4000, seed=5)
    db = os.path.join(work, "db")
    proc = subprocess.Popen([LEO_INDEX, "--db", db, "--batch-size", "300", pages],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    time.sleep(0.5)
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=120)
    if proc.returncode == 0:
        print("note: the run finished before SIGINT arrived")
    else:
        check(proc.returncode == 130, f"SIGINT exit 130, got {proc.returncode}: {err}")
        check("interrupted" in err and "committed" in err, f"says how far it got: {err!r}")
    code, out, derr = dump(db)
    check(code == 0, f"index whole after SIGINT: {derr}")
    r = run(LEO_INDEX, "-q", "--db", db, pages)
    check(r.returncode == 0, "the next run finishes")


def main():
    work = tempfile.mkdtemp(prefix=f"leo-robust-{GROUP}-")
    try:
        globals()["group_" + GROUP](work)
    finally:
        for root, dirs, files in os.walk(work):
            for d in dirs:
                os.chmod(os.path.join(root, d), 0o755)
        shutil.rmtree(work, ignore_errors=True)
    print(f"{checks - len(failures)} passed, {len(failures)} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
