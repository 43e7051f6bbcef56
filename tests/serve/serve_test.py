#!/usr/bin/env python3
"""End-to-end checks of leo-serve: the real binary on a free loopback port, real HTTP clients.

usage: serve_test.py GROUP LEO_INDEX LEO_SERVE CORPUS_DIR [ARTIFACT_DIR]
"""
import http.client
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse

GROUP, LEO_INDEX, LEO_SERVE, CORPUS = sys.argv[1:5]
ARTIFACTS = sys.argv[5] if len(sys.argv) > 5 else None
failures = []
checks = 0
LEOPARD_QUESTION = "How many Amur leopards are left in the wild?"
LEOPARD_ANCHOR = "#how-many-amur-leopards-are-left-in-the-wild"


def check(condition, message):
    global checks
    checks += 1
    if not condition:
        failures.append(message)
        print("FAIL", message)


def run(*args, **kw):
    return subprocess.run(list(args), capture_output=True, text=True, **kw)


def build_index(work, extra_pages=None):
    pages = os.path.join(work, "pages")
    shutil.copytree(CORPUS, pages)
    for name, text in (extra_pages or {}).items():
        with open(os.path.join(pages, name), "w", encoding="utf-8") as f:
            f.write(text)
    db = os.path.join(work, "db")
    done = run(LEO_INDEX, "--db", db, pages)
    assert done.returncode == 0, done.stderr
    return pages, db


class Server:
    """leo-serve on port 0 (the kernel picks a free one); the port is read from its first line."""

    def __init__(self, db, *args):
        self.proc = subprocess.Popen([LEO_SERVE, "--db", db, "--listen", "127.0.0.1:0", *args],
                                     stderr=subprocess.PIPE, text=True)
        line = self.proc.stderr.readline()
        assert "listening on http://127.0.0.1:" in line, line
        self.port = int(line.rsplit(":", 1)[1].strip().rstrip("/"))
        self.errors = []
        threading.Thread(target=self._drain, daemon=True).start()

    def _drain(self):
        for line in self.proc.stderr:
            self.errors.append(line)

    def get(self, path, headers=None, method="GET"):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        try:
            conn.request(method, path, headers=headers or {})
            r = conn.getresponse()
            return r.status, dict(r.getheaders()), r.read()
        finally:
            conn.close()

    def json(self, path):
        status, headers, body = self.get(path)
        return status, headers, json.loads(body)

    def raw(self, data, timeout=30):
        """Sends bytes as they are; returns everything the server sends back until it closes."""
        with socket.create_connection(("127.0.0.1", self.port), timeout=timeout) as s:
            try:
                s.sendall(data)
            except (BrokenPipeError, ConnectionResetError):
                pass
            out = b""
            try:
                while True:
                    chunk = s.recv(65536)
                    if not chunk:
                        break
                    out += chunk
                    if b"\r\n\r\n" in out and b"Connection: close" not in out:
                        head, _, body = out.partition(b"\r\n\r\n")
                        length = [l for l in head.split(b"\r\n")
                                  if l.lower().startswith(b"content-length:")]
                        if length and len(body) >= int(length[0].split(b":")[1]):
                            break
            except ConnectionResetError:
                pass
            return out

    def stop(self):
        self.proc.terminate()
        code = self.proc.wait(timeout=30)
        check(code == 0, f"leo-serve stops cleanly on SIGTERM, exit {code}")


def q(text):
    return urllib.parse.quote(text)


def group_api(work):
    _, db = build_index(work)
    server = Server(db)
    try:
        status, headers, body = server.json("/search?q=" + q("amur leopard population") + "&n=3")
        check(status == 200, f"/search status {status}")
        check(headers.get("Content-Type", "").startswith("application/json"), f"type {headers}")
        check(body["hits"] and body["hits"][0]["question"] == LEOPARD_QUESTION,
              f"/search finds the leopard count first: {body['hits'][:1]}")
        check(len(body["hits"]) == 3, f"n=3 gives three hits: {len(body['hits'])}")
        # The same JSON as leo-ask --json, field for field.
        ask = os.environ["LEO_ASK"]
        cli = json.loads(run(ask, "--db", db, "--json", "-n", "3",
                             "amur leopard population").stdout)
        check(body == cli, f"/search and leo-ask --json agree:\n{body}\n{cli}")
        _, _, second = server.json("/search?q=" + q("amur leopard population") + "&n=2&offset=1")
        check([h["id"] for h in second["hits"]] == [h["id"] for h in body["hits"][1:3]],
              "offset skips answers")
        check(second["hits"][0]["rank"] == 2, "ranks count from the offset")
        _, _, tagged = server.json("/search?q=leopard&tag=" + q("Big Cats"))
        check(tagged["hits"] and all("Big Cats" in h["tags"] for h in tagged["hits"]),
              f"tag filters: {[h['tags'] for h in tagged['hits']]}")
        _, _, none = server.json("/search?q=leopard&tag=nosuchtag")
        check(none["hits"] == [], "an unknown tag matches nothing")
        # corpus/ keeps its pages at the top of content/, in no section.
        _, _, sectioned = server.json("/search?q=leopard&section=nosuchsection")
        check(sectioned["hits"] == [], "section filters: the corpus has no such section")
        _, _, empty = server.json("/search?q=")
        check(empty["hits"] == [], "an empty query has no hits")

        status, _, s = server.json("/suggest?q=" + q("how many amur l"))
        check(status == 200, f"/suggest status {status}")
        check(set(s) >= {"query", "completions", "hits"}, f"suggest fields: {sorted(s)}")
        check(s["query"] == "how many amur l", f"suggest echoes the query: {s['query']!r}")
        check(s["completions"] and all(w.startswith("l") for w in s["completions"]),
              f"completions of 'l': {s['completions']}")
        check("leopard" in s["completions"], f"'leopard' completes 'l': {s['completions']}")
        check(s["hits"] and s["hits"][0]["question"] == LEOPARD_QUESTION,
              f"typing 'how many amur l' shows the leopard question: {s['hits'][:1]}")
        check(s["hits"] and s["hits"][0]["url"].endswith(LEOPARD_ANCHOR), "hit url has anchor")
        _, _, after_space = server.json("/suggest?q=" + q("amur "))
        check(after_space["completions"] == [], "nothing to complete after a space")

        status, _, health = server.json("/healthz")
        check(status == 200 and health["status"] == "ok", f"healthz: {health}")
        check(health["pairs"] == 22, f"healthz pair count: {health}")
        check(isinstance(health["revision"], str) and health["revision"], f"revision: {health}")

        status, headers, page = server.get("/")
        check(status == 200 and headers.get("Content-Type", "").startswith("text/html"),
              f"/ is a page: {status} {headers}")
        page = page.decode()
        check('<form role="search"' in page and 'name="q"' in page, "the page has a search form")
        check("<label for=\"leo-q\"" in page, "the input has a label")
        check('src="/leo.js"' in page and "http" not in page.split("<body")[0].replace(
            'http-equiv', ''), "the page loads nothing from elsewhere")
        status, headers, script = server.get("/leo.js")
        check(status == 200 and "javascript" in headers.get("Content-Type", ""), "leo.js")
        check(b"/suggest?q=" in script, "the script asks /suggest")
        status, headers, style = server.get("/leo.css")
        check(status == 200 and "text/css" in headers.get("Content-Type", ""), "leo.css")

        # Without JavaScript: the form's GET renders the answers on the server.
        status, _, rendered = server.get("/?q=" + q("how many amur leopards"))
        rendered = rendered.decode()
        check(status == 200 and LEOPARD_QUESTION in rendered, "the form works without JS")
        check('value="how many amur leopards"' in rendered, "the query stays in the box")
        check(LEOPARD_ANCHOR in rendered, "the rendered question links to its anchor")
        check("<mark>" in rendered, "matched words are highlighted")

        status, headers, body = server.get("/search?q=amur", method="HEAD")
        check(status == 200 and body == b"", f"HEAD answers without a body: {status}")
    finally:
        server.stop()


def group_errors(work):
    _, db = build_index(work)
    server = Server(db)
    try:
        cases = [
            ("/search", 400, "missing q"),
            ("/suggest", 400, "missing q"),
            ("/search?q=a&n=0", 400, "n=0"),
            ("/search?q=a&n=abc", 400, "n=abc"),
            ("/search?q=a&n=1001", 400, "n too large"),
            ("/search?q=a&n=-1", 400, "negative n"),
            ("/search?q=a&offset=-1", 400, "negative offset"),
            ("/search?q=a&offset=10001", 400, "offset too large"),
            ("/search?q=a&lang=en", 400, "lang filter"),
            ("/search?q=%zz", 400, "bad percent-encoding"),
            ("/search?q=amur%", 400, "a percent sign cut short"),
            ("/suggest?q=%E2%82", 400, "UTF-8 cut short"),
            ("/search?q=%ff%fe", 400, "bytes that are not UTF-8"),
            ("/search?q=%C0%AF", 400, "overlong UTF-8"),
            ("/search?q=%ED%A0%80", 400, "a UTF-16 surrogate"),
            ("/search?q=a&tag=%ff", 400, "a tag that is not UTF-8"),
            ("/search?q=a&section=%ff", 400, "a section that is not UTF-8"),
            ("/?q=%ff", 400, "the page refuses bad UTF-8 too"),
            ("/search?q=" + "a" * 1100, 400, "a query over 1024 bytes"),
            ("/nothing-here", 404, "unknown path"),
            ("/../../etc/passwd", 404, "no file is served from disk"),
            ("/leo.js/../../etc/passwd", 404, "no file is served from disk, dotted"),
        ]
        for path, want, what in cases:
            status, headers, body = server.get(path)
            check(status == want, f"{what}: {path[:60]} → {status}, want {want}")
            try:
                j = json.loads(body)
                check(j.get("status") == want and isinstance(j.get("error"), str),
                      f"{what}: JSON error body {body[:100]!r}")
            except ValueError:
                check(False, f"{what}: error body is not JSON: {body[:100]!r}")
            check(headers.get("Content-Type", "").startswith("application/json"),
                  f"{what}: error content type {headers.get('Content-Type')}")
        status, headers, _ = server.get("/search?q=a", method="POST")
        check(status == 405 and "GET" in headers.get("Allow", ""), f"POST → {status} {headers}")
        status, _, _ = server.get("/search?q=a", method="DELETE")
        check(status == 405, f"DELETE → {status}")
        # The query as typed is echoed with its controls escaped: the JSON stays one line.
        _, _, body = server.get("/search?q=" + q("amur\x1b[2Jleopard"))
        check(b"\x1b" not in body and b"\\u001b" in body, f"controls escaped: {body[:200]!r}")
    finally:
        server.stop()
    # Command line.
    h = run(LEO_SERVE, "--help")
    check(h.returncode == 0 and "--listen" in h.stdout and "--access-log" in h.stdout,
          f"--help: {h.returncode}")
    bad = run(LEO_SERVE, "--db", db, "--listen", "nowhere")
    check(bad.returncode == 2 and "HOST:PORT" in bad.stderr, f"bad --listen: {bad.stderr!r}")
    missing = run(LEO_SERVE, "--db", os.path.join(work, "nothing"), "--listen", "127.0.0.1:0")
    check(missing.returncode == 4 and "no index there" in missing.stderr,
          f"missing index: {missing.returncode} {missing.stderr!r}")
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        busy = run(LEO_SERVE, "--db", db, "--listen", f"127.0.0.1:{port}", timeout=30)
        check(busy.returncode == 7 and "cannot listen" in busy.stderr,
              f"port in use: {busy.returncode} {busy.stderr!r}")


def status_of(response):
    line = response.split(b"\r\n", 1)[0]
    parts = line.split()
    return int(parts[1]) if len(parts) > 1 and parts[1].isdigit() else None


def group_malformed(work):
    _, db = build_index(work)
    log = os.path.join(work, "access.log")
    server = Server(db, "--read-timeout", "1", "--threads", "2", "--max-connections", "4",
                    "--access-log", log, "--cors-origin", "https://example.org")
    try:
        cases = [
            (b"GARBAGE\r\n\r\n", 400, "a request line of one word"),
            (b"GET\r\n\r\n", 400, "a method alone"),
            (b"GET /search?q=a HTTP/9.9 extra\r\n\r\n", 400, "too many parts"),
            (b"GET /" + b"a" * 9000 + b" HTTP/1.1\r\nHost: x\r\n\r\n", 414, "a very long target"),
            (b"GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + b"b" * 9000 + b"\r\n\r\n", 400,
             "one huge header"),
            (b"GET / HTTP/1.1\r\nHost: x\r\n" +
             b"".join(b"X-H%d: v\r\n" % i for i in range(200)) + b"\r\n", 431,
             "too many headers"),
            (b"GET / HTTP/1.1\r\nHost: x\r\n" +
             b"".join(b"X-H%d: %s\r\n" % (i, b"v" * 4000) for i in range(8)) + b"\r\n", 431,
             "too many header bytes"),
            (b"GET /search?q=%zz HTTP/1.1\r\nHost: x\r\n\r\n", 400, "raw bad percent-encoding"),
            (b"GET /search?q=\xff\xfe HTTP/1.1\r\nHost: x\r\n\r\n", 400, "raw bytes, not UTF-8"),
            (b"GET /healthz HTTP/1.0\r\n\r\n", 200, "HTTP/1.0 without Host"),
        ]
        for data, want, what in cases:
            response = server.raw(data)
            got = status_of(response)
            check(got == want, f"{what}: status {got}, want {want}: {response[:120]!r}")
        # A slow client is cut off after the read timeout; the server keeps answering others.
        with socket.create_connection(("127.0.0.1", server.port), timeout=60) as slow:
            slow.sendall(b"GET /search?q=amur HTTP/1.1\r\nHost: x\r\n")
            slow.settimeout(60)
            try:
                rest = slow.recv(65536)
            except ConnectionResetError:
                rest = b""
            check(status_of(rest) in (None, 400, 408), f"slow client cut off: {rest[:80]!r}")
        # More idle connections than workers: requests behind them are still answered.
        idle = [socket.create_connection(("127.0.0.1", server.port)) for _ in range(12)]
        try:
            status, _, _ = server.get("/healthz")
            check(status == 200, f"answered behind idle connections: {status}")
        finally:
            for s in idle:
                s.close()
        # CORS: the allowed origin, and nobody else.
        _, headers, _ = server.get("/search?q=amur", headers={"Origin": "https://example.org"})
        check(headers.get("Access-Control-Allow-Origin") == "https://example.org",
              f"CORS for the allowed origin: {headers}")
        _, headers, _ = server.get("/search?q=amur", headers={"Origin": "https://evil.test"})
        check("Access-Control-Allow-Origin" not in headers, f"no CORS for others: {headers}")
        status, headers, _ = server.get("/suggest?q=a", method="OPTIONS",
                                        headers={"Origin": "https://example.org"})
        check(status == 204 and "GET" in headers.get("Access-Control-Allow-Methods", ""),
              f"preflight: {status} {headers}")
        server.get("/healthz")
    finally:
        server.stop()
    with open(log, encoding="utf-8") as f:
        lines = f.read().splitlines()
    check(any('"GET /healthz HTTP/1.1" 200' in l for l in lines), f"access log: {lines[-3:]}")
    check(all("\x1b" not in l and "\xff" not in l for l in lines), "access log lines are clean")


HOSTILE_PAGE = """+++
title = "<script>alert('title')</script> & friends"
tags = ["<b>tag</b>"]
+++
## Is `<script>alert(1)</script>` safe in a quokka answer?

Writing `<img src=x onerror=alert(2)>` and "quotes" & ampersands in a quokka answer is fine.
"""


def group_page(work):
    _, db = build_index(work, {"hostile.md": HOSTILE_PAGE})
    server = Server(db)
    try:
        status, _, body = server.get("/?q=quokka")
        page = body.decode()
        check(status == 200, f"page status {status}")
        check("&lt;script&gt;alert(1)&lt;/script&gt;" in page, "page text <script> is shown as text")
        check("&lt;script&gt;alert(&#39;title&#39;)&lt;/script&gt;" in page, "title escaped")
        check("&lt;img src=x onerror=alert(2)&gt;" in page, "answer HTML is escaped")
        check("<script>alert" not in page and "<img" not in page, "no tag from a page")
        check(page.count("<script") == 1, "the only script is leo's own")
        # And a query with HTML in it, echoed into the box and the status line.
        status, _, body = server.get("/?q=" + q('"><script>alert(3)</script>'))
        page = body.decode()
        check("<script>alert(3)" not in page, "the query is escaped on the page")
        check("&quot;&gt;&lt;script&gt;alert(3)" in page, "the query shows as typed")
        _, headers, _ = server.get("/")
        check("script-src 'self'" in headers.get("Content-Security-Policy", ""), "CSP set")
    finally:
        server.stop()


def group_reindex(work):
    pages, db = build_index(work)
    server = Server(db, "--threads", "8")  # more than the hammering connections
    stop = threading.Event()
    failed, served = [], [0]

    def hammer(path):
        conn = None
        while not stop.is_set():
            try:
                if conn is None:
                    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
                conn.request("GET", path)
                r = conn.getresponse()
                body = r.read()
                if r.status != 200:
                    failed.append((path, r.status, body[:200]))
                else:
                    json.loads(body)
                    served[0] += 1
                if r.getheader("Connection", "").lower() == "close":
                    conn.close()
                    conn = None
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                # A keep-alive connection the server closed between requests: reconnect.
                conn = None
            except Exception as e:  # anything else is a failed request
                failed.append((path, repr(e)))
                conn = None

    workers = [threading.Thread(target=hammer, args=(p,)) for p in
               ["/search?q=" + q("amur leopard"), "/suggest?q=" + q("how many amur l"),
                "/healthz", "/search?q=" + q("quokka")]]
    for w in workers:
        w.start()
    try:
        revisions = [server.json("/healthz")[2]["revision"]]
        for round, extra in enumerate(["", "", "--compact", ""]):
            word = f"quokka{'x' * round}"
            with open(os.path.join(pages, f"new{round}.md"), "w", encoding="utf-8") as f:
                f.write(f"## Where does the {word} live?\n\nOn Rottnest Island, {word}.\n")
            done = run(LEO_INDEX, "--db", db, *([extra] if extra else []), pages)
            check(done.returncode == 0, f"re-index {round}: {done.stderr}")
            # The new page is answered once a worker has moved to the new commit.
            found = False
            for _ in range(300):
                _, _, r = server.json("/search?q=" + q(word))
                if any(h["question"] == f"Where does the {word} live?" for h in r["hits"]):
                    found = True
                    break
                time.sleep(0.05)
            check(found, f"round {round}: the new page is answered after leo-index commits")
            # A worker moves to the newest commit before any request that comes more than
            # 200 ms after its last look: past that, every worker answers the same, new revision.
            time.sleep(0.5)
            seen = {server.json("/healthz")[2]["revision"] for _ in range(24)}
            check(len(seen) == 1, f"round {round}: every worker on the new commit: {seen}")
            revisions.append(seen.pop())
        check(len(set(revisions)) == len(revisions), f"each commit a new revision: {revisions}")
    finally:
        stop.set()
        for w in workers:
            w.join()
        server.stop()
    check(not failed, f"zero failed requests while re-indexing: {failed[:5]}")
    check(served[0] > 0, "requests were served during the re-indexes")
    print(f"served {served[0]} requests across {len(revisions)} revisions")


def main():
    groups = {"api": group_api, "errors": group_errors, "malformed": group_malformed,
              "page": group_page, "reindex": group_reindex}
    with tempfile.TemporaryDirectory() as work:
        groups[GROUP](work)
    print(f"{checks - len(failures)}/{checks} checks passed")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
