#!/usr/bin/env python3
"""Shards answer exactly as one index does, and a lost shard is handled as the user chose.

usage: shard_test.py LEO_INDEX LEO_ASK XAPIAN_TCPSRV
"""
import json
import os
import random
import shutil
import socket
import subprocess
import sys
import tempfile
import time


WORDS = ("leopard tiger river forest winter vaccine fever kidney heart garden soil rain "
         "battery engine printer network password invoice refund shipping parcel warranty "
         "recipe flour oven yeast bread butter coffee tea sugar protein vitamin iron calcium "
         "mountain glacier desert island volcano ocean coral whale dolphin eagle owl falcon "
         "population habitat poaching census species survival breeding prey hunting cub").split()
STARTS = ["How many", "What is", "Why do", "Where can I find", "When does", "How to fix"]


def generate(folder, pages, rng):
    os.makedirs(folder)
    for p in range(pages):
        lines = ["+++", f'title = "Page {p} {rng.choice(WORDS)}"', "date = 2024-01-01",
                 f'tags = ["{rng.choice(WORDS)}"]', "+++", ""]
        for q in range(rng.randint(3, 8)):
            question = f"{rng.choice(STARTS)} {' '.join(rng.sample(WORDS, 3))}?"
            lines += [question, "-" * len(question), ""]
            if rng.random() > 0.1:
                answer = " ".join(rng.choice(WORDS) for _ in range(rng.randint(10, 60)))
                lines += [answer + f" {rng.randint(1, 5000)}.", ""]
        with open(os.path.join(folder, f"page-{p:04d}.md"), "w") as f:
            f.write("\n".join(lines))


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def serve(db):
    port = free_port()
    # Its own session: xapian-tcpsrv signals its whole process group when it stops.
    proc = subprocess.Popen([TCPSRV, "--interface", "127.0.0.1", "--port", str(port), db],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            start_new_session=True)
    for _ in range(100):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.1).close()
            return proc, port
        except OSError:
            time.sleep(0.05)
    raise SystemExit(f"xapian-tcpsrv did not start on port {port}")


def ask(db, query, *extra):
    run = subprocess.run([LEO_ASK, "--db", db, "--json", "-n", "20", *extra, query],
                         capture_output=True, text=True)
    return run.returncode, run.stdout, run.stderr


def main():
    global LEO_INDEX, LEO_ASK, TCPSRV
    LEO_INDEX, LEO_ASK, TCPSRV = sys.argv[1:4]
    rng = random.Random(20261124)
    work = tempfile.mkdtemp(prefix="leo-shards-")
    servers = []
    failures = 0
    try:
        pages = os.path.join(work, "pages")
        generate(pages, 400, rng)
        subprocess.run([LEO_INDEX, "-q", "--db", os.path.join(work, "one"), pages], check=True)
        three = os.path.join(work, "three")
        subprocess.run([LEO_INDEX, "-q", "--shards", "3", "--db", three, pages], check=True)

        s1, port1 = serve(os.path.join(three, "shard-1-of-3"))
        s2, port2 = serve(os.path.join(three, "shard-2-of-3"))
        servers += [s1, s2]
        stub = os.path.join(work, "mixed.stub")
        with open(stub, "w") as f:
            # The sharded index's stub names its current lexicon (a new one each run).
            lexicon = next(line.split()[2] for line in open(os.path.join(three, "XAPIANDB"))
                           if line.startswith("# leo-lexicon"))
            f.write(f"# leo-lexicon {three}/{lexicon}\nauto {three}/shard-0-of-3\n"
                    f"remote 127.0.0.1:{port1}\nremote 127.0.0.1:{port2}\n")

        queries = [" ".join(rng.sample(WORDS, rng.randint(1, 4))) for _ in range(45)]
        queries += [f"{rng.choice(STARTS).lower()} {rng.choice(WORDS)} {rng.choice(WORDS)}" for _ in range(15)]
        compared = 0
        for query in queries:
            for db in (three, stub):
                code_one, out_one, _ = ask(os.path.join(work, "one"), query)
                code_many, out_many, err = ask(db, query)
                if code_one != code_many:
                    print(f"FAIL {query!r} via {db}: exit {code_many}, one index {code_one}: {err}")
                    failures += 1
                    continue
                one = json.loads(out_one)["hits"]
                many = json.loads(out_many)["hits"]
                ids_one = [h["id"] for h in one]
                ids_many = [h["id"] for h in many]
                if ids_one != ids_many:
                    print(f"FAIL {query!r} via {db}: ids differ\n  one:  {ids_one}\n  many: {ids_many}")
                    failures += 1
                    continue
                worst = max((abs(a["score"] - b["score"]) for a, b in zip(one, many)), default=0)
                if worst > 1e-9:
                    print(f"FAIL {query!r} via {db}: scores differ by {worst}")
                    failures += 1
                compared += 1
        print(f"compared {compared} query runs over {len(queries)} queries")

        # A shard stops answering.
        s2.terminate()
        s2.wait()
        code, _, err = ask(stub, "leopard population")
        if code != 4 or f"127.0.0.1:{port2}" not in err:
            print(f"FAIL lost shard without --allow-partial: exit {code}, stderr {err!r}")
            failures += 1
        code, out, err = ask(stub, "leopard population", "--allow-partial")
        failed = json.loads(out).get("shards_failed", []) if code == 0 else []
        if code != 0 or not any(str(port2) in s for s in failed):
            print(f"FAIL lost shard with --allow-partial: exit {code}, shards_failed {failed}, {err!r}")
            failures += 1
    finally:
        for s in servers:
            s.terminate()
        shutil.rmtree(work, ignore_errors=True)
    print("shard test passed" if not failures else f"shard test: {failures} failures")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
