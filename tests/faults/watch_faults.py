#!/usr/bin/env python3
"""leo-index --watch under a failing disk: fault_test.py's checks, over a watch session.

A session on a built index (docs/failures.md, "Watching" and "Fault injection"):
  A. `leo-index --watch` starts on pages edited since the index was built: its first run is a
     re-index;
  B. once A has printed its line, pages are edited again: a run started by inotify;
  C. the fault is lifted (the shim's LEO_FAULT_OFF_FILE appears: a disk freed) and one page is
     added: the run it starts must bring the index to what a session without a fault gives;
  D. SIGTERM: the watch ends with exit 0.
The clean session counts the fault points of A and B; each faulted session fails one of them
(once, or from there on until C when sticky). After each run of A and B: no abort, a one-line
message naming the cause and the index, the index as some commit left it. After C: the index
as the clean session's, the pages untouched by leo, no leftovers. Xapian 1.4.22 ends a process
whose write fails inside a commit (leo's terminate handler: one line, exit 4); a session ended
so is checked to recover with a plain leo-index run.

usage: watch_faults.py LEO_INDEX LEO_ASK LEO_DUMP FAULT_SHIM [--points N] [--sticky N] [--jobs N]
"""
import argparse
import concurrent.futures
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import fault_test as ft  # noqa: E402  the checks and the shim's plumbing

DEADLINE = 30  # seconds per stage: a hang check; each stage takes well under one
SCENARIO = "watch"


def set_mtime(path, stage):
    """Edits get fixed times, so that every session's file records are the same."""
    t = 1_700_000_000 + stage * 1000
    os.utime(path, (t, t))


def edit_again(pages):
    """Stage B: two pages rewritten, one deleted."""
    names = sorted(n for n in os.listdir(pages) if n.endswith(".md"))
    for i, name in enumerate(names[:2]):
        path = os.path.join(pages, name)
        with open(path, "w") as f:
            f.write(f"## Rewritten page {i} about the falcon?\n\nRewritten answer {i}: census.\n")
        set_mtime(path, 2)
    os.remove(os.path.join(pages, names[-1]))


def add_recovery_page(pages):
    """Stage C: one page added once the fault is gone."""
    path = os.path.join(pages, "recovery.md")
    with open(path, "w") as f:
        f.write("## After the fault, what about the dolphin?\n\nThe dolphin answer.\n")
    set_mtime(path, 3)


def round_lines(text):
    """The lines a watch prints per run: a summary, or a failure it goes on after."""
    return [l for l in text.splitlines()
            if " indexed, " in l or "still watching" in l or ft.XAPIAN_STOPPED in l]


class Session:
    """One leo-index --watch process under the shim, driven stage by stage."""

    def __init__(self, slot, fault, off_file):
        self.slot = slot
        self.db = os.path.join(slot, "store", "db")
        self.pages = os.path.join(slot, "pages")
        self.count_file = os.path.join(slot, "counts")
        self.err_path = os.path.join(slot, "stderr")
        env = ft.clean_env()
        op, at, errno_name, sticky = fault
        env.update(LD_PRELOAD=ft.SHIM, LEO_FAULT_UNDER=os.path.join(slot, "store"),
                   LEO_FAULT_COUNT_FILE=self.count_file, LEO_FAULT_OFF_FILE=off_file,
                   LEO_FAULT_OP=op, LEO_FAULT_AT=str(at), LEO_FAULT_ERRNO=errno_name,
                   LEO_FAULT_STICKY="1" if sticky else "0")
        self.argv = [ft.LEO_INDEX, "--db", self.db, "--watch", self.pages]
        with open(self.err_path, "w") as err:
            self.proc = subprocess.Popen(self.argv, cwd=slot, env=env, stdout=subprocess.DEVNULL,
                                         stderr=err)
        self.timed_out = False

    @property
    def stderr(self):
        with open(self.err_path, errors="replace") as f:
            return f.read()

    def wait_for_rounds(self, n):
        """Waits until n runs have printed their line or the process has ended; False on a
        hang (then the process is killed)."""
        end = time.monotonic() + DEADLINE
        while time.monotonic() < end:
            if len(round_lines(self.stderr)) >= n or self.proc.poll() is not None:
                return True
            time.sleep(0.05)
        self.kill()
        return False

    def kill(self):
        self.timed_out = True
        self.proc.kill()
        self.proc.wait()

    def stop(self):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=DEADLINE)
            except subprocess.TimeoutExpired:
                self.kill()
        return self.run()

    def run(self):
        """What fault_test.py's checks take: a finished run."""
        return ft.Run(self.argv, None if self.timed_out else self.proc.returncode, "",
                      self.stderr, self.timed_out, ft.read_counts(self.count_file))


def drive(slot, fault, states=None):
    """Stages A to D; `states`, when given, collects the index after A, B and C."""
    off_file = os.path.join(slot, "fault-gone")
    session = Session(slot, fault, off_file)
    stages = [None, lambda: edit_again(session.pages),
              lambda: (open(off_file, "w").close(), add_recovery_page(session.pages))]
    seen = []  # per stage: (index state, the session's lines so far) or None: the process ended
    for n, before_stage in enumerate(stages, start=1):
        if before_stage:
            before_stage()
        if not session.wait_for_rounds(n):
            break
        if session.proc.poll() is not None:
            break
        seen.append(ft.index_state(session.db, slot))
    if not os.path.exists(off_file):
        open(off_file, "w").close()
    run = session.stop()
    if states is not None:
        states.extend(seen)
    return session, run, seen


def check_failed_rounds(run, errno_name, db):
    """Every failed run's line names the cause and the index (fault_test.py's check_message), and
    so does the last line of a watch that ended with 4."""
    lines = [l for l in run.stderr.splitlines() if "still watching" in l]
    if run.returncode == ft.INDEX_FAILED:
        lines.append(run.message)
    for line in lines:
        one = ft.Run(run.argv, ft.INDEX_FAILED, "", line + "\n", False, run.counts)
        problem = ft.check_message(one, errno_name, db)
        if problem:
            return f"{problem}: {line!r}"
    return None


def check_watch_exit(run):
    """SIGTERM ends the watch with 0. A watch ends on its own only with 4: the index could not
    be opened at the start, or Xapian stopped on a failed write inside a commit (leo's
    terminate handler)."""
    if run.timed_out or run.returncode is None or run.returncode in (0, ft.INDEX_FAILED):
        return None
    return f"exit {run.returncode}: {run.message!r}"


def try_point(point, template, slot, reference, allowed, pristine_end):
    ft.fresh_slot(template, slot)
    fault = (point["op"], point["at"], point["errno"], point["sticky"])
    session, run, seen = drive(slot, fault)
    reached = bool(run.counts and (run.counts.get("injected") or run.counts.get("first")))

    def record(check, detail):
        if detail:
            ft.fail(point, check, detail, run)

    record("no_abort", ft.check_no_abort(run))
    record("no_hang", ft.check_no_hang(run) if run.timed_out else None)
    record("exit_code", check_watch_exit(run))
    record("message", check_failed_rounds(run, point["errno"], session.db))
    if not reached and round_lines(run.stderr) != round_lines(reference["stderr"]):
        record("not_reached_clean", "the fault did not fire, yet the session went otherwise")
    # After A: as before or as A leaves it; after B: any of those or as B leaves it.
    committed = [reference["before"]]
    for stage, state in enumerate(seen[:2]):
        committed.append(reference["states"][stage])
        if state not in committed:
            record("index_whole", f"after stage {'AB'[stage]}: {ft.describe_state(state)}, "
                                  f"want one of {[ft.describe_state(s) for s in committed]}")
    died = run.returncode == ft.INDEX_FAILED
    if died:
        # The process ended (it could not open the index, or through the terminate handler):
        # finish the session's edits; a plain run must bring the index to stage C's state.
        if len(seen) < 1:
            edit_again(session.pages)
        if not os.path.exists(os.path.join(session.pages, "recovery.md")):
            add_recovery_page(session.pages)
        again = ft.run_tool([ft.LEO_INDEX, "-q", "--db", session.db, session.pages], slot)
        record("recovers", ft.check_recovers(again, ft.index_state(session.db, slot),
                                             reference["states"][2]))
    elif not run.timed_out:
        final = seen[2] if len(seen) > 2 else ft.index_state(session.db, slot)
        record("recovers", None if final == reference["states"][2] else
               f"once the fault is gone the next change leaves {ft.describe_state(final)}, "
               f"want {ft.describe_state(reference['states'][2])}")
    record("pages_untouched", ft.check_pages_untouched(session.pages, pristine_end))
    record("no_leftovers", ft.check_no_leftovers(os.path.join(slot, "store"), allowed))
    return reached


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    for name in ("leo_index", "leo_ask", "leo_dump", "shim"):
        parser.add_argument(name)
    parser.add_argument("--jobs", type=int, default=2)
    # Each session lasts about a second (three debounced runs): fewer points than a one-shot run.
    parser.add_argument("--points", type=int, default=int(os.environ.get("LEO_FAULTS_POINTS", 6)))
    parser.add_argument("--sticky", type=int, default=int(os.environ.get("LEO_FAULTS_STICKY", 1)))
    parser.add_argument("--tmp", default="/dev/shm" if os.access("/dev/shm", os.W_OK) else None)
    options = parser.parse_args()
    ft.LEO_INDEX, ft.LEO_ASK, ft.LEO_DUMP, ft.SHIM = (
        os.path.realpath(p) for p in (options.leo_index, options.leo_ask, options.leo_dump,
                                      options.shim))
    work = os.path.realpath(tempfile.mkdtemp(prefix="leo-faults-watch-", dir=options.tmp))
    started = time.monotonic()
    try:
        run_all(work, options)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(f"{ft.totals['runs']} fault sessions in {time.monotonic() - started:.0f} s: "
          + ", ".join(f"{v} {k}" for k, v in ft.totals.items() if k != "runs"))
    print(f"{len(ft.failures)} failed checks" if ft.failures else "all checks passed")
    return 1 if ft.failures else 0


def run_all(work, options):
    template = os.path.join(work, "template")
    os.makedirs(template)
    ft.prepare_built()(template)
    no_fault = dict(scenario=SCENARIO, op="-", at=0, errno="-", sticky=False)

    slot = os.path.join(work, "reference")
    ft.fresh_slot(template, slot)
    store = os.path.join(slot, "store")
    reference = dict(before=ft.index_state(os.path.join(store, "db"), slot), states=[])
    before_names = ft.tree_listing(store)
    started = time.monotonic()
    _, clean, _ = drive(slot, ("write", 0, "ENOSPC", False), reference["states"])
    if clean.returncode != 0 or len(reference["states"]) != 3 or clean.counts is None:
        ft.fail(no_fault, "clean_run", f"the clean session failed: {clean.stderr!r}", clean)
        return
    reference["stderr"] = clean.stderr
    allowed = ft.allowed_names(before_names, ft.tree_listing(store))
    pristine_end = ft.pages_snapshot(os.path.join(slot, "pages"))
    counts = {k: clean.counts.get(k, 0) for k in ft.INDEX_KINDS}
    print(f"{SCENARIO}: clean session {time.monotonic() - started:.2f} s; fault points in its "
          "first two runs " + ", ".join(f"{k} {n}" for k, n in counts.items()), flush=True)

    points = [dict(no_fault, op="write", errno="EIO")]  # the control: every check on no fault
    for kind in ft.INDEX_KINDS:
        chosen = ft.sample(counts[kind], options.points)
        errnos = ft.ERRNOS[kind]
        points += [dict(no_fault, op=kind, at=at, errno=errnos[i % len(errnos)])
                   for i, at in enumerate(chosen)]
        points += [dict(no_fault, op=kind, at=chosen[i - 1], errno=errnos[0], sticky=True)
                   for i in (ft.sample(len(chosen), options.sticky) if options.sticky and chosen
                             else [])]
    slots = [os.path.join(work, f"slot{i}") for i in range(options.jobs)]
    free, free_lock = list(slots), threading.Lock()
    tried = {k: [0, 0] for k in ft.INDEX_KINDS}

    def one(point):
        with free_lock:
            my_slot = free.pop()
        try:
            try_point(point, template, my_slot, reference, allowed, pristine_end)
        except Exception as e:  # a bug here, or output so broken the driver cannot read it
            ft.fail(point, "driver", f"the driver failed: {type(e).__name__}: {e}", None)
        finally:
            with free_lock:
                free.append(my_slot)
        if point["at"]:
            with ft.failures_lock:
                tried[point["op"]][1 if point["sticky"] else 0] += 1
                ft.totals["runs"] += 1

    with concurrent.futures.ThreadPoolExecutor(max_workers=options.jobs) as pool:
        for f in [pool.submit(one, p) for p in points]:
            f.result()
    for kind, (once, sticky) in tried.items():
        bad = [f for f in ft.failures if f["op"] == kind]
        print(f"  {SCENARIO} {kind}: {counts[kind]} fault points, {once} tried once, {sticky} "
              f"sticky" + (f"; {len(bad)} failed checks" if bad else ""), flush=True)


if __name__ == "__main__":
    sys.exit(main())
