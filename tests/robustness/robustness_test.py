#!/usr/bin/env python3
"""leo's failure promises (docs/failures.md) on the real binaries: bad pages, kills, the
write lock, readers during a re-index, signals, bad queries, bad databases.

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


def live_generation(db):
    """The glass database an index folder's stub names."""
    for line in open(os.path.join(db, "XAPIANDB")):
        if line.startswith("auto "):
            return os.path.join(db, line.split(None, 1)[1].strip())
    raise AssertionError(f"{db}: no live generation in its stub")


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
    # Cut at leo's cap of questions a page, with a warning (memory_test.py checks those).
    expected["many-questions.md"] = "ok 10000"
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
        unreadable_as_nobody(work)

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
    # Pages saved as UTF-16 or UTF-32 with a byte-order mark are read as the text they hold.
    for word, name in (("albatross", "utf16le-bom.md"), ("cormorant", "utf16be-bom.md"),
                       ("pelican", "utf32le-bom.md"), ("puffin", "utf32be-bom.md")):
        ask = run(LEO_ASK, "--db", db, "--json", f"{word} harbour")
        hits = json.loads(ask.stdout)["hits"] if ask.returncode == 0 else []
        check(hits and hits[0]["id"] == f"{name}#1" and word in hits[0]["question"]
              and hits[0]["title"] == "Wide café", f"{name} is read as text: {ask.stdout[:300]!r}")
    # strict: stops at the first bad page, commits nothing
    strict_db = os.path.join(work, "strict")
    s = run(LEO_INDEX, "--db", strict_db, "--strict", pages)
    check(s.returncode == 1 and "nothing committed" in s.stderr, f"--strict: {s.returncode} {s.stderr[-200:]}")
    code, out, _ = dump(strict_db)
    check(code == 0 and out.strip() == "", f"--strict committed nothing: {out[:200]!r}")
    # A problem the walk finds (a link to nowhere) stops a strict run too, before any write.
    walk_only = os.path.join(work, "walk-only")
    os.makedirs(walk_only)
    shutil.copy(os.path.join(pages, "good.md"), walk_only)
    os.symlink("nowhere.md", os.path.join(walk_only, "dangling.md"))
    s = run(LEO_INDEX, "--db", os.path.join(work, "strict2"), "--strict", walk_only)
    check(s.returncode == 1 and "nothing committed" in s.stderr, f"--strict on a walk problem: {s.stderr!r}")
    code, out, _ = dump(os.path.join(work, "strict2"))
    check(code == 0 and out.strip() == "", f"--strict on a walk problem committed nothing: {out[:200]!r}")


def unreadable_as_nobody(work):
    """Root reads a mode-000 file, so as root the unreadable page is checked in a run of its
    own as the user nobody, for whom it is unreadable indeed."""
    nobody = 65534
    folder = os.path.join(work, "as-nobody")
    os.makedirs(os.path.join(folder, "pages"))
    shutil.copy(os.path.join(BAD, "good.md"), os.path.join(folder, "pages"))
    secret = os.path.join(folder, "pages", "unreadable.md")
    with open(secret, "w") as f:
        f.write("## Secret?\n\nYes.\n")
    os.chmod(secret, 0)
    os.chmod(work, 0o755)
    os.chown(folder, nobody, nobody)
    try:
        r = subprocess.run([LEO_INDEX, "--db", os.path.join(folder, "db"), os.path.join(folder, "pages")],
                           capture_output=True, text=True, user=nobody, group=nobody)
    except (PermissionError, OSError) as e:
        print(f"note: running as root and cannot run as nobody ({e}): the unreadable-file case is skipped")
        return
    mine = [l for l in r.stderr.splitlines() if l.startswith("unreadable.md:")]
    check(r.returncode == 1 and mine == ["unreadable.md: cannot read: Permission denied"],
          f"unreadable.md (run as nobody): exit {r.returncode}, {r.stderr!r}")
    code, out, _ = dump(os.path.join(folder, "db"))
    check(code == 0 and "good.md#1" in out and "unreadable" not in out,
          f"unreadable.md (run as nobody): good.md indexed, the other not: {out!r}")


# --- ownership: leo touches only what it made --------------------------------------------------

def tree(folder):
    """Every file under `folder` with its bytes, for a before/after comparison."""
    out = {}
    for base, _, files in os.walk(folder):
        for name in files:
            path = os.path.join(base, name)
            with open(path, "rb") as f:
                out[os.path.relpath(path, folder)] = f.read()
    return out


def group_ownership(work):
    many = os.path.join(work, "many")
    generate(many, 600, seed=5)  # over 512: the parallel first build, merged and swapped in

    # 1. --db naming a folder that holds other files: refused before any work, nothing touched.
    site = os.path.join(work, "site")
    generate(os.path.join(site, "content"), 600, seed=5)
    with open(os.path.join(site, "config.toml"), "w") as f:
        f.write('baseURL = "https://example.org/"\n')
    before = tree(site)
    r = run(LEO_INDEX, "--db", site, os.path.join(site, "content"))
    check(r.returncode == 4 and "is not a leo index and is not empty; choose another --db" in r.stderr
          and f"'{site}'" in r.stderr, f"--db on a site folder: exit {r.returncode}, {r.stderr!r}")
    check(tree(site) == before, "--db on a site folder: its config and pages are untouched")
    r = run(LEO_INDEX, "--db", ".", os.path.join(site, "content"), cwd=site)
    check(r.returncode == 4 and "'.'" in r.stderr and "not a leo index" in r.stderr,
          f"--db . in a site: exit {r.returncode}, {r.stderr!r}")
    check(tree(site) == before, "--db . in a site: nothing written or removed")

    # 2. Files a user keeps in leo's own folder survive a parallel first build and --compact.
    db = os.path.join(work, "db")
    os.makedirs(db)
    r = run(LEO_INDEX, "-q", "--db", db, many)
    check(r.returncode == 0, f"first build into an empty folder: {r.stderr}")
    with open(os.path.join(db, "notes.txt"), "w") as f:
        f.write("mine\n")
    inode = os.stat(db).st_ino
    r = run(LEO_INDEX, "-q", "--compact", "--db", db, many)
    check(r.returncode == 0, f"--compact: {r.stderr}")
    check(os.path.exists(os.path.join(db, "notes.txt")), "--compact keeps a user's file in the index folder")
    check(os.stat(db).st_ino == inode, "--compact keeps the folder itself (a mount point or link target works)")
    left = sorted(n for n in os.listdir(db) if n != "notes.txt")
    check(len(left) == 3 and left[0] == "XAPIANDB" and left[2] == "iamleo" and left[1].startswith("g"),
          f"after --compact the folder holds the stub, the marker and one generation: {left}")
    check(not [n for n in os.listdir(work) if n.startswith("db.")], "nothing written beside the folder")
    code, out, _ = dump(db)
    check(code == 0 and out.count("\n") > 600, "the compacted index is whole")

    # 3. A symbolic link as --db stays a link; the index lives in its target.
    target = os.path.join(work, "target")
    os.makedirs(target)
    link = os.path.join(work, "link")
    os.symlink(target, link)
    for extra in ([], ["--compact"]):
        r = run(LEO_INDEX, "-q", *extra, "--db", link, many)
        check(r.returncode == 0, f"--db a symlink {extra}: {r.stderr}")
        check(os.path.islink(link) and os.readlink(link) == target, f"--db stays a symlink {extra}")
    check(dump(target)[0] == 0 and dump(target)[1] == dump(link)[1], "the link's target holds the index")

    # 4. A plain run on a sharded index refuses; the shards stay as they were.
    sharded = os.path.join(work, "sharded")
    run(LEO_INDEX, "-q", "--shards", "2", "--db", sharded, many)
    before = tree(sharded)
    answer = run(LEO_ASK, "--db", sharded, "--json", "leopard").stdout
    r = run(LEO_INDEX, "--db", sharded, many)
    check(r.returncode == 4 and "sharded" in r.stderr and "--shards" in r.stderr,
          f"plain leo-index on a sharded index: exit {r.returncode}, {r.stderr!r}")
    check(tree(sharded) == before, "plain leo-index on a sharded index: nothing touched")
    check(run(LEO_ASK, "--db", sharded, "--json", "leopard").stdout == answer, "the sharded index answers as before")
    r = run(LEO_INDEX, "--shards", "2", "--db", db, many)
    check(r.returncode == 4 and "choose another --db" in r.stderr,
          f"--shards on a one-shard index: exit {r.returncode}, {r.stderr!r}")

    # 5. A name holding a newline is one page, found unchanged on the next run.
    odd = os.path.join(work, "odd")
    os.makedirs(odd)
    shutil.copy(os.path.join(BAD, "good.md"), os.path.join(odd, "two\nlines.md"))
    shutil.copy(os.path.join(BAD, "good.md"), os.path.join(odd, "plain.md"))
    odd_db = os.path.join(work, "odd-db")
    counts = []
    for _ in range(3):
        r = run(LEO_INDEX, "--db", odd_db, odd)
        counts.append(dump(odd_db)[1].count("\n"))
    check(len(set(counts)) == 1, f"a newline in a file name: pairs stay {counts[0]}, got {counts}")
    check("nothing changed" in r.stderr, f"a newline in a file name: the third run changes nothing: {r.stderr!r}")

    # 6. Pages under a folder that cannot be read keep their pairs (checked as nobody: root reads
    # any folder).
    nobody = 65534
    folder = os.path.join(work, "as-nobody-folder")
    pages = os.path.join(folder, "pages")
    os.makedirs(os.path.join(pages, "sub"))
    shutil.copy(os.path.join(BAD, "good.md"), os.path.join(pages, "top.md"))
    shutil.copy(os.path.join(BAD, "good.md"), os.path.join(pages, "sub", "inner.md"))
    os.chmod(work, 0o755)
    for base, dirs, files in os.walk(folder):
        os.chown(base, nobody, nobody)
        for name in files:
            os.chown(os.path.join(base, name), nobody, nobody)
    as_nobody = dict(user=nobody, group=nobody, capture_output=True, text=True)
    nobody_db = os.path.join(folder, "db")
    try:
        subprocess.run([LEO_INDEX, "--db", nobody_db, pages], check=True, **as_nobody)
    except (PermissionError, OSError) as e:
        print(f"note: cannot run as nobody ({e}): the unreadable-folder case is skipped")
        return
    before = dump(nobody_db)[1]
    check("sub/inner.md#1" in before, f"the inner page is indexed: {before!r}")
    os.chmod(os.path.join(pages, "sub"), 0)
    r = subprocess.run([LEO_INDEX, "--db", nobody_db, pages], **as_nobody)
    os.chmod(os.path.join(pages, "sub"), 0o755)
    check(r.returncode == 1 and "sub: cannot read: Permission denied" in r.stderr and "0 removed" in r.stderr,
          f"an unreadable folder is reported and nothing removed: exit {r.returncode}, {r.stderr!r}")
    check(dump(nobody_db)[1] == before, "an unreadable folder's pages keep their pairs")


# --- kills -------------------------------------------------------------------------------------

def pages_of(dump_text):
    """A dump split by page: page path -> its pair lines and its file record, sorted."""
    state = {}
    for line in dump_text.splitlines():
        fields = line.split("\t")
        page = fields[1] if fields[0] == "file" else fields[0].rsplit("#", 1)[0]
        state.setdefault(page, []).append(line)
    return {page: tuple(sorted(lines)) for page, lines in state.items()}


def check_commit_state(after, before, target, label):
    """`after` must be a state some commit of the run had: `before` with the first k pages the
    run writes (in path order) replaced by their `target` state, and the removals of the last
    commit all or none. Anything else is a half-written page or a batch committed out of order."""
    a, b, t = pages_of(after), pages_of(before), pages_of(target)
    stray = sorted(p for p in set(a) | set(b) | set(t) if a.get(p) not in (b.get(p), t.get(p)))
    check(not stray, f"{label}: pages in neither their old nor their new state: {stray[:3]}")
    written = sorted(p for p in t if b.get(p) != t[p])
    removed = sorted(p for p in b if p not in t)
    done = [a.get(p) == t.get(p) for p in written + removed]
    first_pending = done.index(False) if False in done else len(done)
    check(not any(done[first_pending:]),
          f"{label}: the index holds pages written after one that is missing (no commit had that state)")
    return first_pending, len(done)


def run_and_kill(argv, after):
    """Starts argv, SIGKILLs it `after` seconds later; 1 if it was killed, 0 if it had finished."""
    proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(after)
    killed = proc.poll() is None
    if killed:
        proc.send_signal(signal.SIGKILL)
    proc.wait()
    return int(killed)


def group_kills(work):
    pages = os.path.join(work, "pages")
    generate(pages, 2000, seed=1)
    rng = random.Random(2026)
    index_cmd = [LEO_INDEX, "-q", "--batch-size", "200"]

    # A clean first build, the reference for the kills during a first build.
    clean = os.path.join(work, "clean")
    start = time.monotonic()
    r = run(*index_cmd, "--db", clean, pages)
    first_time = time.monotonic() - start
    check(r.returncode == 0, f"clean first build: {r.stderr}")
    _, clean_dump, _ = dump(clean)

    # Kills during a first build (one writer per core, merged and swapped in at the end): the
    # index afterwards is absent, empty or complete, never part of the merge.
    db = os.path.join(work, "killed")
    first_kills = 0
    for attempt in range(5):
        shutil.rmtree(db, ignore_errors=True)
        first_kills += run_and_kill(index_cmd + ["--db", db, pages], rng.uniform(0.01, max(first_time * 1.05, 0.05)))
        code, out, err = dump(db)
        check(code == 3 or (code == 0 and out in ("", clean_dump)),
              f"first build killed ({attempt}): neither absent, empty nor complete: {code} {err[:200]}")
        r = run(*index_cmd, "--db", db, pages)
        check(r.returncode == 0, f"run after a killed first build: {r.stderr}")
        check(dump(db)[1] == clean_dump, f"after a killed first build ({attempt}) the next run equals a clean one")

    # Kills during updates: each round edits, adds and deletes pages, brings a mirror index up to
    # date without interruption (the target), then kills a run on the same pages at a random point.
    mirror = os.path.join(work, "mirror")
    shutil.copytree(clean, mirror)
    names = sorted(os.listdir(pages))
    deleted = []
    kills = 0
    partial = 0
    # 30 kills by default keep the test command within its time budget; LEO_KILLS asks for more.
    wanted = int(os.environ.get("LEO_KILLS", "30"))
    for attempt in range(wanted * 3 // 2):
        if kills >= wanted:
            break
        for name in rng.sample(names, len(names) // 8):
            path = os.path.join(pages, name)
            if not os.path.exists(path):
                continue
            with open(path, "a") as f:
                f.write(f"\nAdded in round {attempt}?\n----------------------\n\nRound {attempt} text.\n")
            t = os.stat(path).st_mtime + attempt + 1
            os.utime(path, (t, t))
        for name in deleted:  # back, as new pages
            generate_one(os.path.join(pages, name), rng, attempt)
        deleted = rng.sample(names, 5)
        for name in deleted:
            os.remove(os.path.join(pages, name))
        extra = ["--compact"] if attempt % 5 == 4 else []
        started = time.monotonic()
        r = run(*index_cmd, *extra, "--db", mirror, pages)
        run_time = time.monotonic() - started
        check(r.returncode == 0, f"mirror run {attempt}: {r.stderr}")
        _, target, _ = dump(mirror)
        _, before, _ = dump(db)
        kills += run_and_kill(index_cmd + extra + ["--db", db, pages], rng.uniform(0.005, max(run_time * 1.05, 0.02)))
        code, after, err = dump(db)
        check(code == 0, f"after kill {attempt}: index not whole: {err[:300]}")
        k, n = check_commit_state(after, before, target, f"kill {attempt}")
        partial += 0 < k < n
        ask = run(LEO_ASK, "--db", db, "--json", "-n", "1", "leopard")
        check(ask.returncode in (0, 1) and ask.stderr == "", f"after kill {attempt}: leo-ask: {ask.stderr}")
        if extra and after != target:
            # A killed --compact that re-weights leaves the old weights, which later rounds
            # would carry on: finish it, as the next --compact would, and it equals the mirror.
            r = run(*index_cmd, *extra, "--db", db, pages)
            check(r.returncode == 0 and dump(db)[1] == target,
                  f"a --compact after the killed one ({attempt}) equals the mirror's: {r.stderr}")
    check(kills >= wanted * 9 // 10, f"at least {wanted * 9 // 10} kills, got {kills}")
    r = run(*index_cmd, "--db", db, pages)
    check(r.returncode == 0, f"recovery run: {r.stderr}")
    check(dump(db)[1] == dump(mirror)[1],
          "after recovery the index equals the uninterrupted mirror's (pairs' data, values, terms, files)")
    # Updated in place, an index keeps the length normalisation of its first pages; --compact
    # re-derives it, and then the index equals a clean build, bit for bit.
    fresh = os.path.join(work, "fresh")
    run(*index_cmd, "--db", fresh, pages)
    _, fresh_dump, _ = dump(fresh)
    for name, path in (("recovered", db), ("mirror", mirror)):
        drifted = dump(path)[1] != fresh_dump  # unless a late round's --compact re-weighted it
        r = run(LEO_INDEX, "--compact", "--db", path, pages)
        check(r.returncode == 0 and drifted == ("re-read with the new length normalisation" in r.stderr),
              f"--compact on the {name} index re-weights it when it drifted ({drifted}): {r.stderr!r}")
        check(dump(path)[1] == fresh_dump, f"after --compact the {name} index equals a clean build")
        r = run(LEO_INDEX, "--compact", "--db", path, pages)
        check(r.returncode == 0 and "re-read" not in r.stderr, f"a second --compact re-reads nothing: {r.stderr!r}")
    print(f"{first_kills} kills during first builds; {kills} kills during updates, "
          f"{partial} of them between two commits of a run", flush=True)


def group_shard_kills(work):
    """Kills during sharded re-indexes: the index opens and answers after every kill (each shard
    commits on its own; the lexicon is a new copy named by the stub, never rewritten in place),
    and the next run equals an uninterrupted one."""
    pages = os.path.join(work, "pages")
    generate(pages, 600, seed=4)
    rng = random.Random(2027)
    index_cmd = [LEO_INDEX, "-q", "--shards", "2", "--batch-size", "100"]
    db = os.path.join(work, "db")
    mirror = os.path.join(work, "mirror")
    for path in (db, mirror):
        r = run(*index_cmd, "--db", path, pages)
        check(r.returncode == 0, f"sharded first build: {r.stderr}")
    names = sorted(os.listdir(pages))
    kills = 0
    for attempt in range(30):
        if kills >= 12:
            break
        for name in rng.sample(names, len(names) // 6):
            path = os.path.join(pages, name)
            with open(path, "a") as f:
                f.write(f"\nAdded in round {attempt}?\n----------------------\n\nRound {attempt} leopard.\n")
            t = os.stat(path).st_mtime + attempt + 1
            os.utime(path, (t, t))
        started = time.monotonic()
        r = run(*index_cmd, "--db", mirror, pages)
        run_time = time.monotonic() - started
        check(r.returncode == 0, f"mirror run {attempt}: {r.stderr}")
        kills += run_and_kill(index_cmd + ["--db", db, pages], rng.uniform(0.005, max(run_time * 1.05, 0.02)))
        ask = run(LEO_ASK, "--db", db, "--json", "-n", "3", "leopard round")
        check(ask.returncode in (0, 1) and ask.stderr == "",
              f"after sharded kill {attempt}: leo-ask: exit {ask.returncode} {ask.stderr}")
        spelled = run(LEO_ASK, "--db", db, "--json", "-n", "1", "leoprad")
        check(spelled.returncode in (0, 1) and spelled.stderr == "",
              f"after sharded kill {attempt}: the lexicon opens: {spelled.stderr}")
        for name in sorted(os.listdir(db)):
            if name.startswith("shard-"):
                code, _, err = dump(os.path.join(db, name))
                check(code == 0, f"after sharded kill {attempt}: {name} whole: {err[:200]}")
    check(kills >= 8, f"at least 8 kills during sharded re-indexes, got {kills}")
    r = run(*index_cmd, "--db", db, pages)
    check(r.returncode == 0, f"sharded recovery run: {r.stderr}")
    for name in sorted(os.listdir(mirror)):
        if name.startswith("shard-"):
            check(dump(os.path.join(db, name))[1] == dump(os.path.join(mirror, name))[1],
                  f"after recovery {name} equals the uninterrupted mirror's")
    same = [run(LEO_ASK, "--db", path, "--json", "-n", "20", "leopard round river").stdout
            for path in (db, mirror)]
    check(same[0] == same[1], "after recovery the sharded index answers as the mirror")
    print(f"{kills} kills during sharded re-indexes", flush=True)


def generate_one(path, rng, version):
    words = "river forest leopard winter garden engine printer invoice parcel".split()
    lines = ["+++", f'title = "New page {version}"', "+++", ""]
    for q in range(rng.randint(2, 6)):
        question = f"New question {q} about {rng.choice(words)} in round {version}?"
        lines += [question, "-" * len(question), "", " ".join(rng.choice(words) for _ in range(15)), ""]
    with open(path, "w") as f:
        f.write("\n".join(lines))


# --- lock --------------------------------------------------------------------------------------

def group_lock(work):
    pages = os.path.join(work, "pages")
    generate(pages, 4000, seed=3)
    db = os.path.join(work, "db")
    first = subprocess.Popen([LEO_INDEX, "-q", "--db", db, "--batch-size", "500", pages],
                             stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    marker = os.path.join(db, "iamleo")  # written once the writer holds the folder's lock
    for _ in range(500):
        if os.path.exists(marker):
            break
        time.sleep(0.01)
    second = run(LEO_INDEX, "--db", db, pages)
    if first.poll() is None:
        check(second.returncode == 5, f"second writer exit 5, got {second.returncode}: {second.stderr}")
        check(f"locked by another leo-index (pid {first.pid})" in second.stderr,
              f"the message names the holder: {second.stderr!r}")
        # The lock is on the folder itself: deleting every lock file in and beside it (Xapian's
        # own included) lets no second writer in.
        removed = 0
        for folder, _, files in os.walk(work):
            for name in files:
                if "lock" in name:
                    try:
                        os.remove(os.path.join(folder, name))
                        removed += 1
                    except FileNotFoundError:
                        pass
        waiting = subprocess.Popen([LEO_INDEX, "--wait", "--db", db, pages],
                                   stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        first_err = first.communicate(timeout=300)[1]
        check(first.returncode == 0, f"the first writer finishes after its lock files went: {first_err}")
        _, err = waiting.communicate(timeout=300)
        check(waiting.returncode == 0, f"--wait finishes after the first: {err}")
        check("waiting for it to finish" in err,
              f"--wait waits although {removed} lock files were deleted: {err!r}")
    else:
        check(False, "the first leo-index finished before the lock could be tested")
    code, out, err = dump(db)
    check(code == 0, f"index whole after two writers: {err}")
    clean = os.path.join(work, "clean")
    run(LEO_INDEX, "-q", "--db", clean, pages)
    check(out == dump(clean)[1], "two writers in turn leave what one clean build leaves")


# --- readers during a re-index ----------------------------------------------------------------

def half_replaced(hits):
    """Pages some of whose hits are of the old version and some of the new one."""
    versions = {}
    for hit in hits:
        v = "two" if hit["answer"].startswith("Version two") else "one"
        versions.setdefault(hit["path"], set()).add(v)
    return [p for p, vs in versions.items() if len(vs) > 1], {v for vs in versions.values() for v in vs}


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
    question = "question about leopard"
    # Small batches: many commits, so readers meet many snapshots and old ones being recycled.
    writer = subprocess.Popen([LEO_INDEX, "-q", "--db", db, "--batch-size", "50", pages],
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    # Two long-lived readers: -i reopens before each question; --batch keeps its snapshot until
    # Xapian says a writer overtook it, then retries on a newer one.
    long_lived = {mode: subprocess.Popen([LEO_ASK, "--db", db, "--format", "jsonl", "-n", "200", *mode.split()],
                                         stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                         stderr=subprocess.PIPE, text=True)
                  for mode in ("-i", "--batch -")}
    asked = 0
    mixed = 0
    between = 0  # answers from a snapshot with some pages re-indexed and others not yet
    while writer.poll() is None or asked < 20:
        for proc in long_lived.values():
            proc.stdin.write(question + "\n")
            proc.stdin.flush()
        r = run(LEO_ASK, "--db", db, "--json", "-n", "200", question)
        asked += 1
        check(r.returncode in (0, 1) and r.stderr == "", f"reader error during re-index: {r.returncode} {r.stderr}")
        if r.returncode != 0:
            continue
        half, seen = half_replaced(json.loads(r.stdout)["hits"])
        mixed += len(half)
        between += seen == {"one", "two"}
        check(not half, f"a reader saw half-replaced pages: {half[:3]}")
        if asked > 2000:
            break
    writer.wait()
    check(writer.returncode == 0, f"writer: {writer.stderr.read()}")
    for mode, proc in long_lived.items():
        out, err = proc.communicate(timeout=120)
        lines = out.splitlines()
        check(proc.returncode in (0, 1) and err == "", f"leo-ask {mode} during re-index: {proc.returncode} {err!r}")
        check(len(lines) == asked, f"leo-ask {mode} answered {len(lines)} of {asked} questions")
        for line in lines:
            half, seen = half_replaced(json.loads(line)["hits"])
            mixed += len(half)
            between += seen == {"one", "two"}
            check(not half, f"leo-ask {mode} saw half-replaced pages: {half[:3]}")
    print(f"{asked} queries x 3 readers during the re-index, {between} answered between two commits, "
          f"{mixed} half-replaced pages seen", flush=True)


# --- bad queries --------------------------------------------------------------------------------

# Known bugs outside this suite's files, reported and not yet fixed: printed, not failed. Remove
# an entry once its fix lands (the suite says so when one starts passing).
KNOWN_BUGS = set()


def group_queries(work):
    db = os.path.join(work, "db")
    shutil.copytree(BAD, os.path.join(work, "pages"))
    os.remove(os.path.join(work, "pages", "expected.txt"))
    run(LEO_INDEX, "-q", "--db", db, os.path.join(work, "pages"))
    cases = [b'"unbalanced quote', b'unbalanced quote"', b'"', b'((page fine', b'page fine))', b'()',
             b'[page', b'{page}', b'AND', b'OR', b'NOT', b'-', b'+', b'AND NOT', b'page AND', b'NOT page',
             b'- - -', b'OR OR OR', b'title:', b'nosuchprefix:page', b'tag:', b'title:"', b'*', b'pa*',
             b'page NEAR fine', b'page ADJ/3 fine', b'"page fine"~2', b'a' * 100_000,
             b'page ' * 20_000, b'\x01\x02\x1b[31m\x7f', b'page\tfine\rneighbours', b'\xff\xfe page',
             b'page \xc3', b'\xed\xa0\x80 surrogate', b'\xc0\xaf overlong', b'', b'   ', b'\t',
             "العربية עברית 日本語 e\u0301\u0301\u0301 \U0001F600".encode()]
    for q in cases:
        label = repr(q[:30])
        bad_utf8 = True
        try:
            q.decode()
            bad_utf8 = False
        except UnicodeDecodeError:
            pass
        for fmt in ("text", "json"):
            r = subprocess.run([LEO_ASK, "--db", db, "--format", fmt, q], capture_output=True)
            err = r.stderr.decode(errors="replace")
            ok = r.returncode in (0, 1) or (r.returncode == 6 and err.count("\n") == 1)
            ok = ok and "terminate" not in err and "Sanitizer" not in err and "runtime error" not in err
            if fmt == "json" and r.returncode in (0, 1):
                try:
                    json.loads(r.stdout)
                except ValueError:
                    ok = False
            if fmt == "json" and bad_utf8 and "json-invalid-utf8" in KNOWN_BUGS:
                if not ok:
                    print(f"known bug (query/main.cpp): {label} --json: exit {r.returncode}: {err.strip()[:100]}")
                    continue
                print(f"note: {label} --json passes now; remove json-invalid-utf8 from KNOWN_BUGS")
            check(ok, f"query {label} ({fmt}): exit {r.returncode}, stderr {err[:200]!r}")
    # The same through --batch, where a line may also hold a NUL byte: one answer per line.
    batch = os.path.join(work, "queries.tsv")
    lines = [q.replace(b"\n", b" ") for q in cases if b"\t" not in q] + [b"page\x00fine"]
    with open(batch, "wb") as f:
        f.write(b"\n".join(b"q%d\t%s" % (i, q) for i, q in enumerate(lines)) + b"\n")
    r = subprocess.run([LEO_ASK, "--db", db, "--format", "trec", "-n", "1", "--batch", batch], capture_output=True)
    check(r.returncode in (0, 1) and r.stderr == b"", f"--batch of bad queries: {r.returncode} {r.stderr[:200]!r}")


# --- bad databases ------------------------------------------------------------------------------

def group_databases(work):
    pages = os.path.join(work, "pages")
    shutil.copytree(BAD, pages)
    os.remove(os.path.join(pages, "expected.txt"))
    good = os.path.join(work, "good")
    run(LEO_INDEX, "-q", "--db", good, pages)

    def make(name, how):
        path = os.path.join(work, name)
        how(path)
        return path

    def truncated(path):
        shutil.copytree(good, path)
        table = os.path.join(live_generation(path), "postlist.glass")
        os.truncate(table, 0)

    def older(path):
        shutil.copytree(good, path)
        subprocess.run([LEO_DUMP, "--set-metadata", path, "leo.format", "1"], check=True)

    cases = {  # name: (how to make it, what leo-ask says, what leo-index says; None: it builds)
        "missing": (lambda p: None, "no index there; run leo-index to build it", None),
        "empty-folder": (os.makedirs, "no index there; run leo-index to build it", None),
        "truncated": (truncated, "damaged (", "aside and run leo-index again to build a new index"),
        "foreign": (lambda p: subprocess.run([LEO_DUMP, "--foreign", p], check=True),
                    "not a leo index", "not a leo index"),
        "older-format": (older, "index format 1, this leo reads format", "aside and run leo-index again to build a new index"),
        "a-file": (lambda p: open(p, "w").close(), None, "it is a file, not an index folder"),
    }
    for name, (how, ask_says, index_says) in cases.items():
        path = make(name, how)
        if ask_says is not None:
            r = run(LEO_ASK, "--db", path, "page fine")
            check(r.returncode == 4, f"leo-ask on a {name} index: exit {r.returncode}")
            check(r.stderr.count("\n") == 1 and f"'{path}'" in r.stderr and ask_says in r.stderr
                  and "leo-index" in r.stderr, f"leo-ask on a {name} index says: {r.stderr!r}")
        r = run(LEO_INDEX, "-q", "--db", path, pages)
        if index_says is None:
            check(r.returncode == 1 and dump(path)[0] == 0, f"leo-index builds a {name} index: {r.stderr!r}")
        else:
            check(r.returncode == 4, f"leo-index on a {name} index: exit {r.returncode}")
            msg = r.stderr.strip()
            check(msg.count("\n") == 0 and f"'{path}'" in msg and index_says in msg,
                  f"leo-index on a {name} index says: {msg!r}")
        if name == "foreign":
            code, out, _ = dump(path)
            check("hello" not in out and code in (0, 1), "leo-index left the foreign database alone")

    # A flipped bit in iamglass (libxapian 1.4.22 crashed on some, xapian-check too): each
    # flip answers or is a one-line "cannot open index" (damaged, another Xapian version…),
    # never a signal or an unexpected error (70).
    iamglass = os.path.join(live_generation(good), "iamglass")
    original = open(iamglass, "rb").read()
    flipped_db = os.path.join(work, "flipped")
    shutil.copytree(good, flipped_db)
    flipped = os.path.join(live_generation(flipped_db), "iamglass")
    outcomes = set()
    for byte in range(len(original)):
        for bit in (0, 4, 7):
            damaged = bytearray(original)
            damaged[byte] ^= 1 << bit
            with open(flipped, "wb") as f:
                f.write(damaged)
            r = run(LEO_ASK, "--db", flipped_db, "page fine")
            outcomes.add(r.returncode)
            named = (r.stderr.count("\n") == 1 and
                     r.stderr.startswith(f"leo-ask: cannot open index '{flipped_db}': "))
            check(r.returncode == 0 or (r.returncode == 4 and named),
                  f"leo-ask, bit {bit} of byte {byte} of iamglass flipped: exit {r.returncode}: "
                  f"{r.stderr.strip()[:200]!r}")
    check(4 in outcomes, "no flipped bit of iamglass was found damaged: the test flips nothing")


# --- links out of the folder -----------------------------------------------------------------

def group_links(work):
    pages = os.path.join(work, "pages")
    os.makedirs(os.path.join(pages, "sub"))
    secret = os.path.join(work, "secret.md")
    with open(secret, "w") as f:
        f.write("## What is the password?\n\nThe password is swordfish.\n")
    with open(os.path.join(pages, "good.md"), "w") as f:
        f.write("## Where is the garden?\n\nThe garden is behind the house.\n")
    os.symlink(secret, os.path.join(pages, "leak.md"))
    os.symlink("../../secret.md", os.path.join(pages, "sub", "leak2.md"))
    os.symlink("../good.md", os.path.join(pages, "sub", "inside.md"))  # inside: still indexed
    db = os.path.join(work, "db")
    message = ("not indexed: a link to a file outside the folder "
               "(follow_links = \"outside\" in leo.toml allows it)")

    def ids():
        code, out, err = dump(db)
        check(code == 0, f"index whole: {err}")
        return {l.split("\t")[0] for l in out.splitlines() if not l.startswith("file\t")}

    r = run(LEO_INDEX, "--db", db, pages)
    check(r.returncode == 1, f"exit 1 when links were refused, got {r.returncode}: {r.stderr!r}")
    for name in ("leak.md", "sub/leak2.md"):
        check(f"{name}: {message}" in r.stderr.splitlines(), f"{name} reported: {r.stderr!r}")
    check(ids() == {"good.md#1", "sub/inside.md#1"}, f"only the folder's pages: {ids()}")
    ask = run(LEO_ASK, "--db", db, "--json", "password swordfish")
    hits = json.loads(ask.stdout)["hits"] if ask.returncode in (0, 1) else None
    check(hits is not None and not any("swordfish" in json.dumps(h) for h in hits),
          f"no secret: {ask.stdout!r}")

    # Allowed in leo.toml: followed.
    os.makedirs(os.path.join(work, "conf"))  # not a parent of the pages: only --config finds it
    config = os.path.join(work, "conf", "leo.toml")
    with open(config, "w") as f:
        f.write('follow_links = "outside"\n')
    r = run(LEO_INDEX, "--config", config, "--db", db, pages)
    check(r.returncode == 0, f"follow_links = outside indexes the links: {r.stderr!r}")
    check({"leak.md#1", "sub/leak2.md#1"} <= ids(), f"links followed: {ids()}")

    # A page indexed before that became a link out of the folder loses its pairs.
    r = run(LEO_INDEX, "--db", db, pages)
    check(r.returncode == 1 and f"leak.md: {message}" in r.stderr.splitlines(),
          f"reported again: {r.stderr!r}")
    check(ids() == {"good.md#1", "sub/inside.md#1"}, f"the leaked pairs are gone: {ids()}")

    with open(config, "w") as f:
        f.write('follow_links = "everywhere"\n')
    r = run(LEO_INDEX, "--config", config, "--db", db, pages)
    check(r.returncode == 3 and "'follow_links' must be" in r.stderr, f"bad value: {r.stderr!r}")


# --- hostile stubs ------------------------------------------------------------------------------

def group_stubs(work):
    pages = os.path.join(work, "pages")
    os.makedirs(pages)
    for i in range(6):
        with open(os.path.join(pages, f"p{i}.md"), "w") as f:
            f.write(f"## Where is garden {i}?\n\nGarden {i} is behind the house.\n")
    sharded = os.path.join(work, "sharded")
    r = run(LEO_INDEX, "-q", "--shards", "2", "--db", sharded, pages)
    check(r.returncode == 0, f"a sharded index builds: {r.stderr!r}")
    r = run(LEO_ASK, "--db", sharded, "garden behind house")
    check(r.returncode == 0, f"leo's own stubs (two deep) still open: {r.returncode} {r.stderr!r}")

    marker = os.path.join(work, "ran")
    touch = shutil.which("touch")

    def stub(path, text):
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w") as f:
            f.write(text)
        return path

    program = stub(os.path.join(work, "program.stub"), f"remote :{touch} {marker}\n")
    nested = os.path.join(work, "nested")
    stub(os.path.join(nested, "XAPIANDB"), "auto ../program.stub\n")
    lexicon = os.path.join(work, "lexicon")
    stub(os.path.join(lexicon, "XAPIANDB"),
         f"# leo-lexicon ../program.stub\nauto {os.path.join(sharded, 'shard-0-of-2')}\n"
         f"auto {os.path.join(sharded, 'shard-1-of-2')}\n")
    self_ = os.path.join(work, "self")
    stub(os.path.join(self_, "XAPIANDB"), "auto .\n")
    stub(os.path.join(work, "a", "XAPIANDB"), "auto ../b\n")
    stub(os.path.join(work, "b", "XAPIANDB"), "auto ../a\n")
    deep = os.path.join(work, "d0")
    for i in range(6):
        stub(os.path.join(work, f"d{i}", "XAPIANDB"), f"auto ../d{i + 1}\n")
    cases = {
        program: "its stub runs a program ('remote :",
        nested: "its stub runs a program ('remote :",
        lexicon: "its stub runs a program ('remote :",
        self_: "names itself",
        os.path.join(work, "a"): "names itself",
        deep: "nested more than 4 deep",
    }
    for db, says in cases.items():
        r = run(LEO_ASK, "--db", db, "garden")
        check(r.returncode == 4, f"{db}: exit 4, got {r.returncode}: {r.stderr!r}")
        check(r.stderr.count("\n") == 1 and f"'{db}'" in r.stderr and says in r.stderr,
              f"{db}: one line naming it: {r.stderr!r}")
        if "program" in says:
            check("pass --allow-program-shards to allow it" in r.stderr, f"says how: {r.stderr!r}")
        check(not os.path.exists(marker), f"{db}: the stub's program did not run")
    r = run(LEO_ASK, "--db", program, "--allow-program-shards", "garden")
    check(r.returncode >= 0 and os.path.exists(marker),
          f"--allow-program-shards runs it: {r.returncode} {r.stderr!r}")


# --- partial answers ---------------------------------------------------------------------------

def group_partial(work):
    """A dead shard is named on stderr in every output format with --allow-partial, and by the
    refusal without it."""
    pages = os.path.join(work, "pages")
    os.makedirs(pages)
    for i in range(6):
        with open(os.path.join(pages, f"p{i}.md"), "w") as f:
            f.write(f"## Where is garden {i}?\n\nGarden {i} is behind the house.\n")
    db = os.path.join(work, "sharded")
    r = run(LEO_INDEX, "-q", "--shards", "2", "--db", db, pages)
    check(r.returncode == 0, f"a sharded index builds: {r.stderr!r}")
    dead = os.path.join(db, "shard-1-of-2")
    shutil.rmtree(dead)
    r = run(LEO_ASK, "--db", db, "garden behind house")
    check(r.returncode == 4 and "shard-1-of-2" in r.stderr and r.stderr.count("\n") == 1,
          f"the refusal names the dead shard: {r.returncode} {r.stderr!r}")
    for fmt in ("text", "json", "jsonl", "markdown", "trec"):
        r = run(LEO_ASK, "--db", db, "--allow-partial", "--format", fmt, "garden behind house")
        warning = [l for l in r.stderr.splitlines() if "results are partial" in l]
        check(r.returncode == 0 and len(warning) == 1 and "shard-1-of-2" in warning[0],
              f"--format {fmt}: one warning naming the shard: {r.returncode} {r.stderr!r}")


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


def wait_for_stderr(proc, text, timeout):
    """Reads proc's stderr (bytes) until `text` shows; what was read, or None at the timeout."""
    import select
    seen = b""
    deadline = time.monotonic() + timeout
    while text.encode() not in seen:
        left = deadline - time.monotonic()
        if left <= 0 or not select.select([proc.stderr], [], [], left)[0]:
            return None
        chunk = os.read(proc.stderr.fileno(), 65536)
        if not chunk:
            return None
        seen += chunk
    return seen.decode(errors="replace")


def ended_within(proc, seconds):
    """Waits for proc; the seconds it took, or None (and kills it) if it is still running.
    A hang check with a generous limit: the promise is one second."""
    start = time.monotonic()
    try:
        proc.wait(timeout=seconds)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
        return None
    return time.monotonic() - start


def group_signal_phases(work):
    """SIGTERM ends leo-index within a second in phases that do not ask whether to stop, and the
    folder's lock goes with it; a page swapped for a FIFO or /dev/zero mid-run does no harm."""
    import fcntl
    pages = os.path.join(work, "pages")
    generate(pages, 3000, seed=7)
    db = os.path.join(work, "db")
    r = run(LEO_INDEX, "-q", "--db", db, pages)
    check(r.returncode == 0, f"first build: {r.stderr!r}")

    # Waiting for a lock (--wait): blocked in flock, which restarts after a signal.
    holder = os.open(db, os.O_RDONLY | os.O_DIRECTORY)
    fcntl.flock(holder, fcntl.LOCK_EX)
    waiting = subprocess.Popen([LEO_INDEX, "--wait", "--db", db, pages],
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    said = wait_for_stderr(waiting, "waiting for it to finish", 30)
    check(said is not None, "leo-index --wait says it waits")
    waiting.send_signal(signal.SIGTERM)
    took = ended_within(waiting, 5)
    err = waiting.stderr.read().decode(errors="replace")
    check(took is not None, "SIGTERM ends leo-index waiting for a lock (it hung)")
    check(waiting.returncode == 130 and "interrupted" in err,
          f"exit 130 and says so: {waiting.returncode} {err!r}")
    os.close(holder)

    # Pages swapped for a FIFO and a link to /dev/zero after the walk: reported, never read.
    def swap_after_walk(proc):
        time.sleep(0.3)
        os.remove(os.path.join(pages, "p02999.md"))
        os.mkfifo(os.path.join(pages, "p02999.md"))
        os.remove(os.path.join(pages, "p02998.md"))
        os.symlink("/dev/zero", os.path.join(pages, "p02998.md"))

    for p in range(3000):
        generate_one(os.path.join(pages, f"p{p:05d}.md"), random.Random(p), "two")
    proc = subprocess.Popen([LEO_INDEX, "--db", db, "--batch-size", "200", pages],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    swap_after_walk(proc)
    took = ended_within(proc, 120)
    err = proc.stderr.read().decode(errors="replace")
    check(took is not None, "neither the FIFO nor /dev/zero blocks leo-index")
    if "p02999.md" in err:  # else the walk saw them and left them out, which is fine too
        check("p02999.md: not a regular file" in err and "p02998.md: not a regular file" in err,
              f"both reported: {err!r}")
        check(proc.returncode == 1, f"exit 1: {proc.returncode}")
    else:
        print("note: the swap came before the walk")

    # SIGTERM mid-run: ends within the second; the lock goes with it.
    os.remove(os.path.join(pages, "p02999.md"))  # opening a FIFO to write it would wait here
    os.remove(os.path.join(pages, "p02998.md"))
    for p in range(3000):
        generate_one(os.path.join(pages, f"p{p:05d}.md"), random.Random(p), "three")
    proc = subprocess.Popen([LEO_INDEX, "--db", db, "--batch-size", "200", pages],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    time.sleep(0.8)
    proc.send_signal(signal.SIGTERM)
    took = ended_within(proc, 5)
    err = proc.stderr.read().decode(errors="replace")
    check(took is not None, f"SIGTERM mid-run ends leo-index (it hung): {err[-300:]!r}")
    check(proc.returncode in (0, 130), f"mid-run SIGTERM: exit {proc.returncode}: {err[-300:]!r}")
    again = run(LEO_INDEX, "--db", db, pages)
    check(again.returncode == 0 and "locked" not in again.stderr,
          f"the next run gets the lock: {again.stderr!r}")
    code, _, derr = dump(db)
    check(code == 0, f"index whole after SIGTERM: {derr}")


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
