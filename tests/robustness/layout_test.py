#!/usr/bin/env python3
"""Index folders docs/failures.md names that no other test makes: an index of an older leo
(glass files straight in the folder), upgraded in place; an empty Xapian database, named as
such by leo-ask and built on by leo-index.

usage: layout_test.py LEO_INDEX LEO_ASK LEO_DUMP
"""
import os
import shutil
import subprocess
import sys
import tempfile

LEO_INDEX, LEO_ASK, LEO_DUMP = sys.argv[1:4]
failures = []


def check(condition, message):
    if not condition:
        failures.append(message)
        print("FAIL", message, flush=True)


def run(*args):
    return subprocess.run(list(args), capture_output=True, text=True)


def live_generation(db):
    """The glass database an index folder's stub names (`auto g3`)."""
    with open(os.path.join(db, "XAPIANDB")) as f:
        auto = [l.split()[1] for l in f if l.startswith("auto ")]
    return os.path.join(db, auto[0])


def write_pages(pages):
    os.makedirs(pages)
    for i, word in enumerate(("leopard", "glacier", "falcon")):
        with open(os.path.join(pages, f"p{i}.md"), "w") as f:
            f.write(f"## What about the {word}?\n\nThe {word} answer.\n")


def older_layout(work, pages):
    """An index as an older leo left it: the glass files in the folder itself, no stub, no
    marker. leo-ask reads it; leo-index moves it into a generation and removes the old files."""
    db = os.path.join(work, "older")
    run(LEO_INDEX, "-q", "--db", db, pages)
    before = run(LEO_DUMP, db).stdout
    generation = live_generation(db)
    for name in os.listdir(generation):
        os.rename(os.path.join(generation, name), os.path.join(db, name))
    os.rmdir(generation)
    os.remove(os.path.join(db, "XAPIANDB"))
    os.remove(os.path.join(db, "iamleo"))
    r = run(LEO_ASK, "--db", db, "-n", "1", "leopard")
    check(r.returncode == 0 and "leopard" in r.stdout.lower(),
          f"leo-ask reads an older leo's index: exit {r.returncode}, {r.stderr!r}")
    r = run(LEO_INDEX, "--db", db, pages)
    check(r.returncode == 0 and "nothing changed" in r.stderr,
          f"leo-index upgrades an older leo's index and finds nothing to do: exit "
          f"{r.returncode}, {r.stderr!r}")
    names = sorted(os.listdir(db))
    check(len(names) == 3 and names[0] == "XAPIANDB" and names[2] == "iamleo"
          and names[1].startswith("g") and names[1][1:].isdigit(),
          f"after the upgrade the folder holds a stub, the marker and one generation: {names}")
    check(run(LEO_DUMP, db).stdout == before, "the upgraded index holds what the older one did")


def empty_database(work, pages):
    """A Xapian database with no documents and no leo format: `it is empty` for leo-ask, and
    leo-index builds the index in it."""
    db = os.path.join(work, "empty")
    os.makedirs(os.path.join(work, "none"))
    run(LEO_INDEX, "-q", "--db", db, os.path.join(work, "none"))
    generation = live_generation(db)
    # Xapian deletes a metadata entry set to "": what is left has nothing leo wrote in it.
    subprocess.run([LEO_DUMP, "--set-metadata", generation, "leo.format", ""], check=True)
    r = run(LEO_ASK, "--db", db, "leopard")
    check(r.returncode == 4 and r.stderr.strip() ==
          f"leo-ask: cannot open index '{db}': it is empty; run leo-index to build it",
          f"leo-ask on an empty database: exit {r.returncode}, {r.stderr!r}")
    r = run(LEO_INDEX, "-q", "--db", db, pages)
    check(r.returncode == 0, f"leo-index builds in an empty database: {r.stderr!r}")
    r = run(LEO_ASK, "--db", db, "-n", "1", "glacier")
    check(r.returncode == 0, f"and leo-ask then answers: exit {r.returncode}, {r.stderr!r}")


def main():
    work = tempfile.mkdtemp(prefix="leo-layout-")
    try:
        pages = os.path.join(work, "pages")
        write_pages(pages)
        older_layout(work, pages)
        empty_database(work, pages)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(f"{len(failures)} checks failed" if failures else "all checks passed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
