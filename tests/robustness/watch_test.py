#!/usr/bin/env python3
"""`leo-index --watch` keeps up (docs/failures.md, "Watching"): on the real binaries.

  busy       a page rewritten every 20 ms does not starve the debounce: another page's edit is
             indexed within the maximum wait (2 s) while the rewrites go on
  replaced   a pages folder moved away and copied back (`mv pages pages.old; cp -a pages.old
             pages`) is watched anew: later edits are indexed; while it is gone nothing is removed
  warnings   folders inotify refuses to watch (permission denied; the watch limit, in a user
             namespace of its own) are named in one-line warnings, and watching goes on

Deadlines are generous: they catch a watch that never catches up, they do not time it.

usage: watch_test.py GROUP LEO_INDEX LEO_ASK
"""
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time

GROUP, LEO_INDEX, LEO_ASK = sys.argv[1:4]
DEADLINE = 20  # seconds; the maximum wait is 2 s, a run of these few pages well under one
failures = []
checks = 0


def check(condition, message):
    global checks
    checks += 1
    if not condition:
        failures.append(message)
        print("FAIL", message, flush=True)


def write_page(path, word):
    with open(path, "w") as f:
        f.write(f"## What about {word}?\n\nThe answer mentions {word}.\n")


def answers(db, word):
    r = subprocess.run([LEO_ASK, "--db", db, "--json", word], capture_output=True, text=True)
    if r.returncode != 0:
        return []
    return [hit["id"] for hit in json.loads(r.stdout).get("hits", [])]


def wait_for(condition, deadline=DEADLINE):
    """Polls condition() until true or the deadline; returns whether it came true."""
    end = time.monotonic() + deadline
    while time.monotonic() < end:
        if condition():
            return True
        time.sleep(0.1)
    return condition()


class Watcher:
    """`leo-index --watch` in the background, stopped with SIGTERM."""

    def __init__(self, db, pages, prefix=(), options=(), **popen):
        self.proc = subprocess.Popen([*prefix, LEO_INDEX, *options, "--db", db, "--watch", pages],
                                     stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                                     text=True, **popen)
        self.stderr = ""

    def stop(self):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
        try:
            _, self.stderr = self.proc.communicate(timeout=DEADLINE)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            _, self.stderr = self.proc.communicate()
            check(False, "the watch ends on SIGTERM")
        return self.proc.returncode


def setup(work, names=("stable", "busy")):
    pages = os.path.join(work, "pages")
    os.makedirs(pages)
    for name in names:
        write_page(os.path.join(pages, f"{name}.md"), f"{name}word")
    return pages, os.path.join(work, "db")


def group_busy(work):
    pages, db = setup(work)
    watcher = Watcher(db, pages)
    try:
        check(wait_for(lambda: answers(db, "stableword") == ["stable.md#1"]),
              "the first run indexes the pages")
        stop = threading.Event()

        def rewrite():
            n = 0
            while not stop.is_set():
                write_page(os.path.join(pages, "busy.md"), f"busyword{n % 7}")
                n += 1
                time.sleep(0.02)

        rewriter = threading.Thread(target=rewrite)
        rewriter.start()
        try:
            time.sleep(0.5)  # the burst is under way
            write_page(os.path.join(pages, "stable.md"), "zebracorn")
            seen = wait_for(lambda: answers(db, "zebracorn") == ["stable.md#1"])
            check(seen and rewriter.is_alive(),
                  f"an edit is indexed within the maximum wait while another page is rewritten "
                  f"every 20 ms (not seen after {DEADLINE} s: the debounce starves)")
        finally:
            stop.set()
            rewriter.join()
    finally:
        code = watcher.stop()
    check(code == 0, f"the watch ends with 0 on SIGTERM, got {code}: {watcher.stderr!r}")


def group_replaced(work):
    pages, db = setup(work)
    watcher = Watcher(db, pages)
    try:
        check(wait_for(lambda: answers(db, "stableword") == ["stable.md#1"]),
              "the first run indexes the pages")
        old = pages + ".old"
        os.rename(pages, old)
        time.sleep(1.5)  # longer than the debounce: a run now would find no pages
        check(answers(db, "stableword") == ["stable.md#1"],
              "while the pages folder is gone, its pages stay in the index")
        subprocess.run(["cp", "-a", old, pages], check=True)
        write_page(os.path.join(pages, "stable.md"), "zebracorn")
        check(wait_for(lambda: answers(db, "zebracorn") == ["stable.md#1"]),
              "an edit in the folder put in place of the watched one is indexed")
        write_page(os.path.join(pages, "added.md"), "unicornfish")
        check(wait_for(lambda: answers(db, "unicornfish") == ["added.md#1"]),
              "a page added to the new folder later is indexed too")
    finally:
        code = watcher.stop()
    check(code == 0, f"the watch ends with 0 on SIGTERM, got {code}: {watcher.stderr!r}")


def warning_lines(stderr):
    return [l for l in stderr.splitlines() if l.startswith("leo-index: warning: cannot watch")]


def first_run_then_an_edit(watcher, db, pages, case):
    """The first run indexes the pages and an edit in the watched root is indexed; stops."""
    try:
        check(wait_for(lambda: answers(db, "stableword") == ["stable.md#1"]),
              f"{case}: the first run indexes the pages")
        write_page(os.path.join(pages, "stable.md"), "zebracorn")
        check(wait_for(lambda: answers(db, "zebracorn") == ["stable.md#1"]),
              f"{case}: an edit in a watched folder is indexed")
    finally:
        watcher.stop()


def group_warnings(work):
    # Permission denied: root may watch any folder, so as root the watch runs as nobody.
    nobody = 65534
    pages, db = setup(work)
    secret = os.path.join(pages, "secret")
    os.makedirs(secret)
    write_page(os.path.join(secret, "hidden.md"), "hiddenword")
    as_user = {}
    if os.geteuid() == 0:
        os.chmod(work, 0o777)
        os.chown(pages, nobody, nobody)
        os.chown(os.path.join(pages, "stable.md"), nobody, nobody)
        as_user = dict(user=nobody, group=nobody)
    os.chmod(secret, 0)
    try:
        watcher = Watcher(db, pages, **as_user)
    except (PermissionError, OSError) as e:
        print(f"note: cannot run as nobody ({e}): the permission case is skipped")
        watcher = None
    if watcher:
        first_run_then_an_edit(watcher, db, pages, "beside a folder it cannot watch")
        lines = warning_lines(watcher.stderr)
        check(len(lines) == 1 and f"'{secret}'" in lines[0] and "Permission denied" in lines[0],
              f"one warning names the folder and the cause: {watcher.stderr!r}")
    os.chmod(secret, 0o755)

    # The watch limit: a user namespace of our own has limits of its own to lower.
    limited = os.path.join(work, "limited")
    pages, db = setup(limited)
    for i in range(6):
        os.makedirs(os.path.join(pages, f"sub{i}"))
    probe = subprocess.run(["unshare", "-r", "sh", "-c",
                            "echo 3 > /proc/sys/user/max_inotify_watches"], capture_output=True)
    if probe.returncode != 0:
        print(f"note: cannot lower the inotify watch limit in a user namespace "
              f"({probe.stderr.decode(errors='replace').strip()}): the limit case is skipped")
        return
    # Only the run watches: the limit counts watches of this namespace's user.
    script = 'echo 3 > /proc/sys/user/max_inotify_watches && exec "$@"'
    # -q: the warning is not one of the messages quiet leaves out.
    watcher = Watcher(db, pages, prefix=("unshare", "-r", "sh", "-c", script, "sh"), options=("-q",))
    first_run_then_an_edit(watcher, db, pages, "over the watch limit")
    lines = warning_lines(watcher.stderr)
    check(len(lines) == 1 and "more folder" in lines[0] and "max_user_watches" in lines[0] and
          f"'{pages}" in lines[0],
          f"one warning for the folders over the limit names the first and the fix: "
          f"{watcher.stderr!r}")


def main():
    work = tempfile.mkdtemp(prefix=f"leo-watch-{GROUP}-")
    try:
        globals()["group_" + GROUP](work)
    finally:
        for root, dirs, _ in os.walk(work):
            for d in dirs:
                os.chmod(os.path.join(root, d), 0o755)
        shutil.rmtree(work, ignore_errors=True)
    print(f"{checks - len(failures)} passed, {len(failures)} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
