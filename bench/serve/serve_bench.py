#!/usr/bin/env python3
"""leo-serve under load, beside the same searches in process: searches per second and p50/p99
latency at 1, 8 and 64 keep-alive connections, for /search and /suggest, with leo-index
re-indexing 1% of the pages in a loop if asked; the HTTP overhead per request; peak RSS.
Bounded: each step stops after --requests requests or --seconds seconds, loopback only.
Not run by the tests.

The load comes from wrk (Debian's `wrk`, a C load generator on epoll) when it is installed, so the
client does not eat the cores the server is measured on; a Python client (one thread per
connection) is the fallback and is much slower than the server, so its figures are the client's.

usage: bench/serve/serve_bench.py [--build DIR] [--pages N] [--requests R] [--seconds S]
                                  [--reindex] [--keep DIR] [--threads N]
"""
import argparse
import http.client
import multiprocessing
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def client(port, paths, requests, deadline, out):
    """One process: len(paths) connections, each on its own thread, until the budget is spent."""
    latencies, failed = [], [0]
    lock = threading.Lock()
    budget = [requests]

    def one(path_list):
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        i = 0
        while time.time() < deadline:
            with lock:
                if budget[0] <= 0:
                    break
                budget[0] -= 1
            path = path_list[i % len(path_list)]
            i += 1
            start = time.perf_counter()
            try:
                conn.request("GET", path)
                r = conn.getresponse()
                r.read()
                ok = r.status == 200
            except (http.client.HTTPException, OSError):
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                ok = False
            elapsed = time.perf_counter() - start
            with lock:
                if ok:
                    latencies.append(elapsed)
                else:
                    failed[0] += 1
        conn.close()

    threads = [threading.Thread(target=one, args=(p,)) for p in paths]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    out.put((latencies, failed[0]))


WRK_SCRIPT = r"""
local paths = {}
for line in io.lines(os.getenv("LEO_BENCH_PATHS")) do paths[#paths + 1] = line end
local i = math.random(#paths)
request = function()
    i = i % #paths + 1
    return wrk.format("GET", paths[i])
end
done = function(summary, latency, requests)
    local e = summary.errors
    io.write(string.format("LEO %d %d %.6f %.6f %.6f\n", summary.requests,
             e.connect + e.read + e.write + e.status + e.timeout, summary.duration / 1e6,
             latency:percentile(50) / 1e6, latency:percentile(99) / 1e6))
end
"""


def load_wrk(port, paths, connections, seconds, work):
    """wrk with one thread per core; each connection walks the paths from its own start."""
    paths_file = os.path.join(work, "paths.txt")
    with open(paths_file, "w", encoding="utf-8") as f:
        f.write("\n".join(paths) + "\n")
    script = os.path.join(work, "leo.lua")
    with open(script, "w", encoding="utf-8") as f:
        f.write(WRK_SCRIPT)
    threads = min(connections, os.cpu_count() or 1)
    out = subprocess.run(["wrk", "-t", str(threads), "-c", str(connections), "-d",
                          f"{max(1, int(seconds))}s", "-s", script, f"http://127.0.0.1:{port}"],
                         capture_output=True, text=True, check=True,
                         env=dict(os.environ, LEO_BENCH_PATHS=paths_file))
    line = [l for l in out.stdout.splitlines() if l.startswith("LEO ")][-1].split()
    requests, errors = int(line[1]), int(line[2])
    wall, p50, p99 = float(line[3]), float(line[4]), float(line[5])
    return {"rps": (requests - errors) / wall, "p50": p50 * 1000, "p99": p99 * 1000,
            "n": requests - errors, "failed": errors}


def load(port, paths, connections, requests, seconds):
    processes = min(connections, max(1, os.cpu_count() or 1))
    per = [connections // processes + (1 if i < connections % processes else 0)
           for i in range(processes)]
    out = multiprocessing.Queue()
    deadline = time.time() + seconds
    procs = []
    start = time.perf_counter()
    for i, n in enumerate(per):
        shuffled = [random.Random(i * 100 + k).sample(paths, len(paths)) for k in range(n)]
        p = multiprocessing.Process(target=client,
                                    args=(port, shuffled, requests // processes, deadline, out))
        p.start()
        procs.append(p)
    latencies, failed = [], 0
    for _ in procs:
        lat, f = out.get()
        latencies += lat
        failed += f
    for p in procs:
        p.join()
    wall = time.perf_counter() - start
    latencies.sort()
    pct = lambda q: latencies[min(len(latencies) - 1, int(q * len(latencies)))] * 1000
    return {"rps": len(latencies) / wall, "p50": pct(0.50), "p99": pct(0.99),
            "n": len(latencies), "failed": failed}


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--build", default=os.path.join(ROOT, "build"))
    ap.add_argument("--pages", type=int, default=10000)
    ap.add_argument("--requests", type=int, default=4000)
    ap.add_argument("--seconds", type=float, default=20)
    ap.add_argument("--reindex", action="store_true")
    ap.add_argument("--keep")
    ap.add_argument("--threads", type=int, help="leo-serve's --threads (default: its own)")
    args = ap.parse_args()
    leo_index = os.path.join(args.build, "indexer", "leo-index")
    leo_serve = os.path.join(args.build, "query", "serve", "leo-serve")
    latency = os.path.join(args.build, "bench", "relevance", "query_latency")
    work = args.keep or tempfile.mkdtemp()
    pages, db = os.path.join(work, "pages"), os.path.join(work, "db")
    queries_file = os.path.join(work, "queries.tsv")
    # The page generator draws words from Debian's wamerican, installed as the speed bench does.
    subprocess.run([os.path.join(ROOT, "scripts", "setup.sh")], check=True,
                   env=dict(os.environ, LEO_EXTRA_PACKAGES="wamerican wrk"))
    use_wrk = shutil.which("wrk") is not None
    if not os.path.isdir(pages):
        print(f"-- generating {args.pages} pages", file=sys.stderr)
        subprocess.run([sys.executable, os.path.join(ROOT, "bench", "speed", "gen_corpus.py"),
                        pages, str(args.pages), queries_file], check=True)
    print("-- indexing", file=sys.stderr)
    subprocess.run([leo_index, "--db", db, "--quiet", pages], check=True)
    queries = [l.split("\t", 1)[-1].strip() for l in open(queries_file, encoding="utf-8")]
    queries = [q for q in queries if q]
    search_paths = ["/search?q=" + urllib.parse.quote(q) for q in queries]
    # As typed: each query cut inside its last word.
    suggest_paths = ["/suggest?q=" + urllib.parse.quote(q[:max(1, len(q) - 2)]) for q in queries]

    inproc = None
    if os.path.exists(latency):
        out = subprocess.run([latency, db, "-", queries_file], capture_output=True, text=True)
        inproc = out.stdout.strip()
    threads = ["--threads", str(args.threads)] if args.threads else []
    server = subprocess.Popen([leo_serve, "--db", db, "--listen", "127.0.0.1:0", *threads],
                              stderr=subprocess.PIPE, text=True)
    port = int(server.stderr.readline().rsplit(":", 1)[1].strip().rstrip("/"))
    stop = threading.Event()
    reindexes = [0]

    def reindex_loop():
        files = sorted(os.listdir(pages))
        rng = random.Random(7)
        while not stop.is_set():
            for name in rng.sample(files, max(1, len(files) // 100)):
                with open(os.path.join(pages, name), "a", encoding="utf-8") as f:
                    f.write(f"\nWhat changed in round {reindexes[0]}?\n-----\n\nA new answer.\n")
            subprocess.run([leo_index, "--db", db, "--quiet", pages], check=True)
            reindexes[0] += 1

    if args.reindex:
        threading.Thread(target=reindex_loop, daemon=True).start()
    try:
        load(port, search_paths[:200], 8, 400, 5)  # warm-up, unmeasured
        rows = []
        for name, paths in (("/search", search_paths), ("/suggest", suggest_paths)):
            for c in (1, 8, 64):
                r = (load_wrk(port, paths, c, args.seconds, work) if use_wrk else
                     load(port, paths, c, args.requests, args.seconds))
                rows.append((name, c, r))
                print(f"-- {name} x{c}: {r}", file=sys.stderr)
    finally:
        stop.set()
        with open(f"/proc/{server.pid}/status") as f:
            rss = [l for l in f if l.startswith("VmHWM")][0].split()[1]
        server.terminate()
        server.wait()
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    print(f"\n{args.pages} pages; {os.cpu_count()} cores; client ({'wrk' if use_wrk else 'Python'}) "
          f"and server on one machine; "
          f"leo-serve --threads {args.threads or 'default'}"
          + (f"; leo-index re-indexed 1% of the pages {reindexes[0]} times during the run"
             if args.reindex else ""))
    print("\n| endpoint | connections | searches/s | p50 (ms) | p99 (ms) | requests | failed |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    for name, c, r in rows:
        print(f"| {name} | {c} | {r['rps']:,.0f} | {r['p50']:.2f} | {r['p99']:.2f} | "
              f"{r['n']} | {r['failed']} |")
    print(f"\nleo-serve peak RSS: {int(rss) / 1024:.1f} MiB")
    if inproc:
        print(f"in-process (query_latency, same queries): {inproc}")
        one = [r for name, c, r in rows if name == "/search" and c == 1][0]
        try:
            median = float([w for w in inproc.replace("=", " ").split() if
                            w.replace(".", "").isdigit()][0])
            print(f"HTTP overhead at 1 connection, median: {one['p50'] - median:.3f} ms "
                  "(python client included)")
        except (IndexError, ValueError):
            pass


if __name__ == "__main__":
    main()
