#!/usr/bin/env python3
"""`--db` naming a mount point (a container volume, a dedicated disk) works: a parallel first
build, a re-index and `--compact` onto it, the mount kept and a user's file in it kept
(docs/failures.md, "leo touches only what it made"). The mount is a private tmpfs in a mount
namespace of its own (`unshare -rm`, or `unshare -m` as root); where neither can mount, the
test is skipped (exit 77, ctest SKIP_RETURN_CODE).

usage: mount_test.py LEO_INDEX LEO_ASK
"""
import os
import shutil
import subprocess
import sys
import tempfile

LEO_INDEX, LEO_ASK = sys.argv[1:3]
SKIP = 77

# Run inside the namespace. Each step prints `name=<exit code>` or a fact, so the checks
# outside read one transcript; `set +e`: a failed step must not hide the later ones.
SCRIPT = r"""
set +e
mnt="$1"; pages="$2"; leo_index="$3"; leo_ask="$4"
mount -t tmpfs -o size=256m tmpfs "$mnt" || { echo "mount=failed"; exit 0; }
echo "mount=0"
device() { stat -c %d "$1"; }
[ "$(device "$mnt")" != "$(device "$mnt/..")" ] && echo "is-mount-point"
"$leo_index" -q --db "$mnt" "$pages"; echo "build=$?"
[ "$(device "$mnt")" != "$(device "$mnt/..")" ] && echo "mounted-after-build"
"$leo_ask" --db "$mnt" -n 1 leopard >/dev/null; echo "ask-after-build=$?"
echo mine > "$mnt/notes.txt"
printf '## A new question about the falcon?\n\nA new answer.\n' > "$pages/new.md"
"$leo_index" -q --db "$mnt" "$pages"; echo "reindex=$?"
"$leo_index" -q --compact --db "$mnt" "$pages"; echo "compact=$?"
[ "$(device "$mnt")" != "$(device "$mnt/..")" ] && echo "mounted-after-compact"
[ "$(cat "$mnt/notes.txt")" = mine ] && echo "notes-kept"
"$leo_ask" --db "$mnt" -n 1 falcon >/dev/null; echo "ask-after-compact=$?"
echo "names=$(ls -A "$mnt" | tr '\n' ' ')"
echo "beside=$(ls -A "$mnt/.." | tr '\n' ' ')"
"""


def generate(folder, pages):
    os.makedirs(folder)
    words = "river forest leopard winter garden engine printer invoice parcel recipe".split()
    for p in range(pages):
        with open(os.path.join(folder, f"p{p:04d}.md"), "w") as f:
            f.write(f"## Question {p} about the {words[p % len(words)]}?\n\n"
                    f"Answer {p}: {words[(p * 3) % len(words)]} {words[(p * 7) % len(words)]}.\n")


def in_namespace(script, args):
    """Runs the script in a private mount namespace; None if none can be made here."""
    if not shutil.which("unshare"):
        return None
    tries = [["unshare", "-rm"]]
    if os.geteuid() == 0:
        tries.append(["unshare", "-m"])  # root without user namespaces
    for prefix in tries:
        r = subprocess.run([*prefix, "sh", "-c", script, "sh", *args], capture_output=True,
                           text=True)
        if "mount=0" in r.stdout:
            return r
    return None


def main():
    work = tempfile.mkdtemp(prefix="leo-mount-")
    try:
        mnt, pages = os.path.join(work, "mnt"), os.path.join(work, "pages")
        os.makedirs(mnt)
        generate(pages, 600)  # over 512: the parallel first build, merged and published
        r = in_namespace(SCRIPT, [mnt, pages, os.path.realpath(LEO_INDEX),
                                  os.path.realpath(LEO_ASK)])
        if r is None:
            print("skipped: cannot mount a private tmpfs here (no user or mount namespace: "
                  "unshare -rm and, as root, unshare -m failed)")
            return SKIP
        facts = set(r.stdout.split("\n"))
        wanted = ["is-mount-point", "build=0", "mounted-after-build", "ask-after-build=0",
                  "reindex=0", "compact=0", "mounted-after-compact", "notes-kept",
                  "ask-after-compact=0"]
        missing = [w for w in wanted if w not in facts]
        names = next((l for l in r.stdout.split("\n") if l.startswith("names=")), "")
        beside = next((l for l in r.stdout.split("\n") if l.startswith("beside=")), "")
        entries = names[len("names="):].split()
        leftovers = [n for n in entries if n not in ("XAPIANDB", "iamleo", "notes.txt")
                     and not (n.startswith("g") and n[1:].isdigit())]
        failed = []
        if missing:
            failed.append(f"missing from the transcript: {missing}")
        if leftovers or len(entries) != 4:
            failed.append(f"the mount holds the stub, the marker, one generation and the "
                          f"user's file only: {entries}")
        if sorted(beside[len("beside="):].split()) != ["mnt", "pages"]:
            failed.append(f"nothing written beside the mount point: {beside}")
        for f in failed:
            print("FAIL", f)
        if failed:
            print(r.stdout, r.stderr, sep="\n")
        print(f"{len(failed)} checks failed" if failed else "all checks passed")
        return 1 if failed else 0
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
