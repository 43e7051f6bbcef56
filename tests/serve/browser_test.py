#!/usr/bin/env python3
"""A real browser on leo-serve's page: headless Chromium, driven through chromedriver's
WebDriver HTTP API with urllib, types a question one key at a time and checks the first answer
and its link; saves a screenshot. Exits 77 (skipped) when chromium or chromedriver is missing.

usage: browser_test.py LEO_INDEX LEO_SERVE CORPUS_DIR ARTIFACT_DIR
"""
import base64
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
LEO_INDEX, LEO_SERVE, CORPUS, ARTIFACTS = sys.argv[1:5]
sys.argv = [sys.argv[0], "browser", LEO_INDEX, LEO_SERVE, CORPUS]
import serve_test  # noqa: E402  (the same Server and index helpers)

TYPED = "how many amur l"
ELEMENT = "element-6066-11e4-a52e-4f735466cecf"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class WebDriver:
    def __init__(self, port):
        self.base = f"http://127.0.0.1:{port}"
        self.session = None

    def call(self, method, path, body=None):
        data = None if body is None else json.dumps(body).encode()
        url = self.base + (f"/session/{self.session}" if self.session else "") + path
        request = urllib.request.Request(url, data=data, method=method,
                                         headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=60) as r:
            return json.loads(r.read())["value"]

    def script(self, source, *args):
        return self.call("POST", "/execute/sync", {"script": source, "args": list(args)})


def first_result(driver):
    return driver.script("""
        var a = document.querySelector('#leo-results a.question');
        return a ? [a.textContent, a.getAttribute('href')] : null;""")


def main():
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    chromedriver = shutil.which("chromedriver")
    if not chromium or not chromedriver:
        print("SKIP: chromium and chromedriver are needed (Debian: chromium chromium-driver)")
        sys.exit(77)
    os.makedirs(ARTIFACTS, exist_ok=True)
    with tempfile.TemporaryDirectory() as work:
        _, db = serve_test.build_index(work)
        server = serve_test.Server(db)
        port = free_port()
        driver_proc = subprocess.Popen([chromedriver, f"--port={port}"],
                                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        driver = WebDriver(port)
        try:
            for _ in range(200):
                try:
                    if driver.call("GET", "/status").get("ready"):
                        break
                except OSError:
                    pass
                time.sleep(0.05)
            caps = {"capabilities": {"alwaysMatch": {"browserName": "chrome", "goog:chromeOptions": {
                "binary": chromium,
                "args": ["--headless=new", "--no-sandbox", "--disable-gpu",
                         "--disable-dev-shm-usage", "--window-size=1000,760",
                         f"--user-data-dir={os.path.join(work, 'profile')}"]}}}}
            driver.session = driver.call("POST", "/session", caps)["sessionId"]
            driver.call("POST", "/url", {"url": f"http://127.0.0.1:{server.port}/"})
            box = driver.call("POST", "/element", {"using": "css selector", "value": "#leo-q"})
            for key in TYPED:  # one key at a time, as a visitor types
                driver.call("POST", f"/element/{box[ELEMENT]}/value", {"text": key})
            result = None
            for _ in range(200):
                result = first_result(driver)
                typed = driver.script("return document.getElementById('leo-q').value;")
                if result and typed == TYPED and result[0] == serve_test.LEOPARD_QUESTION:
                    break
                time.sleep(0.05)
            serve_test.check(result is not None, "answers appear while typing")
            if result:
                serve_test.check(result[0] == serve_test.LEOPARD_QUESTION,
                                 f"first answer for {TYPED!r}: {result[0]!r}")
                serve_test.check(result[1] is not None and
                                 result[1].endswith(serve_test.LEOPARD_ANCHOR),
                                 f"its link carries the URL and anchor: {result[1]!r}")
            shot = driver.call("GET", "/screenshot")
            path = os.path.join(ARTIFACTS, "search-page.png")
            with open(path, "wb") as f:
                f.write(base64.b64decode(shot))
            print(f"screenshot: {path}")
            # Keyboard: arrow down from the box goes to the first answer's link.
            driver.call("POST", f"/element/{box[ELEMENT]}/value", {"text": "\ue015"})
            focused = driver.script("var e = document.activeElement; "
                                    "return e ? e.className + '|' + e.textContent : null;")
            serve_test.check(focused == "question|" + serve_test.LEOPARD_QUESTION,
                             f"ArrowDown focuses the first answer: {focused!r}")
            status = driver.script("return document.getElementById('leo-status').textContent;")
            serve_test.check("answers" in status, f"the status line says what was found: {status!r}")
        finally:
            try:
                if driver.session:
                    driver.call("DELETE", "")
            except OSError:
                pass
            driver_proc.terminate()
            driver_proc.wait(timeout=30)
            server.stop()
    print(f"{serve_test.checks - len(serve_test.failures)}/{serve_test.checks} checks passed")
    sys.exit(1 if serve_test.failures else 0)


if __name__ == "__main__":
    main()
