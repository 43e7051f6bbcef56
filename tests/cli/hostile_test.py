#!/usr/bin/env python3
"""Hostile pages: every control character, terminal escape, bidi override and HTML trick in a
page's file name, front matter, title, question and answer. The real leo-index indexes them and
no output of leo-ask in any format, nor any message of leo-index, may carry one to the reader.

usage: hostile_test.py GROUP LEO_INDEX LEO_ASK
"""
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

GROUP, LEO_INDEX, LEO_ASK = sys.argv[1:4]
failures = []
checks = 0

# Every C0 control but NUL (a NUL makes a page a binary file), DEL, every C1 control, and the
# bidi embeddings, overrides and isolates.
C0 = "".join(chr(c) for c in range(1, 0x20))
C1 = "".join(chr(c) for c in range(0x80, 0xA0))
BIDI = "".join(chr(c) for c in [*range(0x202A, 0x202F), *range(0x2066, 0x206A)])
CONTROLS = C0 + "\x7f" + C1 + BIDI
ONE_LINE = CONTROLS.replace("\n", "").replace("\r", "")  # what fits inside one line
SEQUENCES = ("\x1b]52;c;ZWNobyBwd25lZA==\x07\x1b]0;owned\x07\x1b[1A\x1b[2K"
             "\x1b]8;;https://evil.example/\x07link\x1b]8;;\x07\x1b[31mred\x1b[0m\x9b2J")
HIDDEN = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ufffd]")


def check(condition, message):
    global checks
    checks += 1
    if not condition:
        failures.append(message)
        print("FAIL", message)


def run(*args, input=None):
    r = subprocess.run(list(args), capture_output=True, input=input)
    # Output is judged as the terminal would read it: bytes that are not UTF-8 count as found.
    return r.returncode, r.stdout.decode(errors="replace"), r.stderr.decode(errors="replace"), r


def clean(text, what):
    # U+FFFD: a byte that is not UTF-8 (run() decodes with errors="replace"); none is expected.
    found = sorted({f"U+{ord(c):04X}" for c in HIDDEN.findall(text)})
    check(not found, f"{what}: hidden controls reach the output: {found[:8]}")


def toml_escapes(text):
    return "".join(f"\\u{ord(c):04x}" for c in text)


def write_pages(pages):
    os.makedirs(pages)
    # The file name holds every control a name can (not NUL, not '/').
    name = "leopard " + CONTROLS + SEQUENCES.replace("\x1b]8;;https://evil.example/", "") + ".md"
    with open(os.path.join(pages, name), "w", encoding="utf-8", newline="") as f:
        f.write("+++\n"
                f'title = "Title {ONE_LINE}{SEQUENCES} and escapes {toml_escapes(CONTROLS)}"\n'
                f'description = "d {ONE_LINE}"\n'
                f'tags = ["leo{ONE_LINE}", "{toml_escapes(CONTROLS)}x"]\n'
                f'url = "javascript:alert(1)//"\n'
                "+++\n"
                f"## Leopard question {ONE_LINE}{SEQUENCES} here?\n\n"
                f"Leopard answer {CONTROLS} {SEQUENCES} and entities &#x1b;]0;t&#x7; &#x9b; "
                "&#x202e; &#x85; <script>alert(1)</script> &lt;img src=x onerror=alert(1)&gt; "
                "*not bold* [x](javascript:alert(2)) end.\n\n"
                '## Leopard custom id? {#"><script>alert(3)</script>}\n\n'
                f"Another leopard answer {SEQUENCES}.\n")
    with open(os.path.join(pages, "yaml page.md"), "w", encoding="utf-8") as f:
        f.write('---\ntitle: "Y \\e]0;owned\\a\\x85\\u202e\\e[2K title"\nslug: "/../../x"\n---\n'
                "## Leopard in yaml?\n\nA leopard answer in a YAML page.\n")
    with open(os.path.join(pages, "climb.md"), "w", encoding="utf-8") as f:
        f.write('+++\nurl = "../../../etc/passwd"\n+++\n## Leopard climb?\n\nA leopard climbs.\n')
    # A bad page with a hostile name: its problem line must stay one clean line.
    with open(os.path.join(pages, "bad\x1b[2K\nfake.md:1:1: ok\u202e" + C0[:8] + ".md"), "wb") as f:
        f.write(b"+++\ndate = \"\x1b]0;x\x07yesterday\"\n+++\n## Q?\n\nA.\n")
    with open(os.path.join(pages, "broken\x9b2J.md"), "wb") as f:
        f.write(b"## Leopard?\n\ninvalid \xff UTF-8\n")
    # NUL, the one control a page cannot hold: the page is refused as binary, cleanly.
    with open(os.path.join(pages, "nul\x1b]0;t\x07.md"), "wb") as f:
        f.write(b"## Leopard?\n\nA \x00\x1b[2K NUL.\n")
    return name


def group_hostile(work):
    pages = os.path.join(work, "pages")
    name = write_pages(pages)
    db = os.path.join(work, "db")
    code, out, err, _ = run(LEO_INDEX, "--db", db, pages)
    check(code == 1, f"leo-index: three bad pages fail, the rest are indexed (exit {code}): {err!r}")
    clean(out + err, "leo-index messages")
    problems = [l for l in err.splitlines() if not l.startswith("leo-index:")]
    check(len(problems) == 3, f"one line per bad page: {problems!r}")
    check(any(l.startswith("nul\\x1b]0;t\\x07.md:3:3: contains a NUL byte") for l in problems),
          f"a NUL byte: {problems!r}")
    check(any("\\x1b[2K\\nfake.md" in l and "is not a date" in l for l in problems),
          f"the file name is shown escaped: {problems!r}")
    check("3 pages indexed" in err, f"hostile pages are indexed: {err!r}")
    code, out, err, _ = run(LEO_INDEX, "--db", db, "--json", pages)
    clean(out + err, "leo-index --json")
    check(code == 1 and json.loads(out)["failed"] == 3, f"leo-index --json: {out!r}")

    query = "leopard" + SEQUENCES
    for args in (["--color", "never"], ["--color", "never", "--explain"], ["--format", "markdown"],
                 ["--format", "trec"], ["--json"], ["--json", "--explain"], ["--format", "jsonl"],
                 ["--color", "never", "xylophone" + SEQUENCES]):
        code, out, err, _ = run(LEO_ASK, "--db", db, "-n", "20", *args,
                                *([] if args[-1].startswith("xylophone") else [query]))
        check(code in (0, 1), f"leo-ask {args[:2]} exit {code}: {err!r}")
        clean(out + err, f"leo-ask {args[:3]}")
    code, out, err, _ = run(LEO_ASK, "--db", db, "--color", "never", "-i", input=(query + "\n").encode())
    check(code == 0, f"-i answers: {code} {err!r}")
    clean(out + err, "leo-ask -i")
    topics = os.path.join(work, "topics.tsv")
    with open(topics, "w", encoding="utf-8") as f:
        f.write(f"q 1{C1[:3]}\t{query}\n")
    for fmt in ("trec", "jsonl", "markdown", "text"):
        code, out, err, _ = run(LEO_ASK, "--db", db, "--batch", topics, "--format", fmt)
        check(code == 0, f"--batch --format {fmt}: {code} {err!r}")
        clean(out + err, f"leo-ask --batch --format {fmt}")

    # What each format says, beyond being clean.
    data = json.loads(run(LEO_ASK, "--db", db, "--json", "-n", "20", "leopard")[1])
    hits = data["hits"]
    check(len(hits) == 4, f"four hostile pairs found: {[h['id'] for h in hits]}")
    ours = [h for h in hits if h["path"].startswith("leopard ")]
    check(len(ours) == 2 and ours[0]["path"] == name, "JSON keeps the real file name, escaped")
    for h in hits:
        for field in ("question", "answer", "title", "url", "anchor", "snippet"):
            check(not HIDDEN.search(h[field]), f"{h['id']!r} {field} is clean at the source: {h[field]!r}")
        check("/../" not in h["url"] and not h["url"].startswith("javascript"), f"url: {h['url']!r}")
        check(h["url"].startswith("/"), f"url under the site root: {h['url']!r}")
    urls = {h["path"]: h["url"] for h in hits}
    check(urls.get("climb.md", "").startswith("/etc/passwd#"), f"url '../../../etc/passwd': {urls}")
    check(urls.get("yaml page.md", "").startswith("/x/#"), f"slug '/../../x': {urls}")
    check(any(h["question"] == "Leopard question linkred here?" for h in ours),
          f"escape sequences go whole from a question: {[h['question'] for h in ours]}")
    check(any(h["anchor"] == "leopard-question-linkred-here" for h in ours),
          f"anchor of a heading with ESC[31m: {[h['anchor'] for h in ours]}")

    md = run(LEO_ASK, "--db", db, "--format", "markdown", "-n", "20", "leopard")[1]
    for bad in ("<script", "<img", "javascript:", "](//", "../"):
        check(bad not in md.lower(), f"markdown holds {bad!r}: {md!r}")
    for link in re.findall(r"\]\(([^)]*)\)", md):
        check(re.match(r"^(https?://|/|#)[^\s()<>\"']*$", link) is not None, f"markdown link: {link!r}")
    trec = run(LEO_ASK, "--db", db, "--format", "trec", "-n", "20", "leopard")[1].splitlines()
    check(len(trec) == 4 and all(len(l.split()) == 6 for l in trec), f"TREC lines of six fields: {trec!r}")
    check(any("yaml%20page.md#1" in l for l in trec), f"TREC ids percent-encode spaces: {trec!r}")
    text = run(LEO_ASK, "--db", db, "--color", "never", "-n", "20", "leopard")[1]
    check("\\x1b" in text, "text output shows a file name's ESC as \\x1b")


def group_counts(work):
    pages = os.path.join(work, "pages")
    os.makedirs(pages)
    for i in range(12):
        with open(os.path.join(pages, f"p{i}.md"), "w") as f:
            f.write(f"## Leopard question {i}?\n\nLeopard answer {i}.\n")
    db = os.path.join(work, "db")
    run(LEO_INDEX, "--db", db, pages)
    for args in (["-n", "-1"], ["-n", "0"], ["-n", "1001"], ["-n", "4294967295"],
                 ["-n", "18446744073709551615"], ["-n", "18446744073709551616"], ["-n", "abc"],
                 ["-n", "1.5"], ["-n", "0x10"], ["-n", "+3"], ["--offset", "-1"],
                 ["--offset", "10001"], ["-n", "18446744073709551615", "--offset", "1"],
                 ["--offset", "18446744073709551615"], ["-n", "1\x1b[2K"]):
        code, out, err, _ = run(LEO_ASK, "--db", db, "--json", *args, "leopard")
        check(code == 2, f"{args} is a usage error, exit {code}: {out[:60]!r}")
        check("must be a whole number from" in err, f"{args}: message {err!r}")
        clean(err, f"{args} message")
    # A query from a script that starts with '-' is refused as an option, and echoed escaped.
    for tool in (LEO_ASK, LEO_INDEX):
        code, out, err, _ = run(tool, "-" + SEQUENCES, pages)
        check(code == 2 and "\\x1b" in err, f"{tool}: unknown option refused, escaped: {err!r}")
        clean(out + err, f"{tool} unknown option")
    for args, count in ((["-n", "1000"], 12), (["-n", "3"], 3), (["-n", "010"], 10),
                        (["-n", "5", "--offset", "10"], 2), (["--offset", "10000"], 0)):
        code, out, err, _ = run(LEO_ASK, "--db", db, "--json", *args, "leopard")
        n = len(json.loads(out)["hits"]) if out else -1
        check(n == count, f"{args}: {n} hits, want {count} ({err!r})")


def main():
    work = tempfile.mkdtemp(prefix=f"leo-hostile-{GROUP}-")
    try:
        globals()["group_" + GROUP](work)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(f"{checks - len(failures)} passed, {len(failures)} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
