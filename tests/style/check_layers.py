#!/usr/bin/env python3
"""usage: check_layers.py SOURCE_DIR
         check_layers.py --self-test

The folders of lib/src say what a file may touch (docs/ARCHITECTURE.md):
- Xapian's headers are included only in format/, store/, indexer/ and search/, and in text/'s
  .cpp files (for the Snowball stemmer); page/ and config/ know nothing of Xapian.
- Xapian's exceptions are caught only in store/, which turns them into leo's errors.
Each rule broken is printed as path:line: what is wrong."""
import os
import re
import sys
import tempfile

XAPIAN_FOLDERS = ("format", "store", "indexer", "search")
INCLUDE = re.compile(r'^\s*#\s*include\s*[<"]xapian(\.h|/)')
CATCH = re.compile(r'\bcatch\s*\(\s*(const\s+)?Xapian::')


def may_include_xapian(relative):
    folder = relative.split("/", 1)[0]
    return folder in XAPIAN_FOLDERS or (folder == "text" and relative.endswith(".cpp"))


def violations(src_dir):
    found = []
    for root, _, names in os.walk(src_dir):
        for name in sorted(names):
            if not name.endswith((".cpp", ".hpp")):
                continue
            path = os.path.join(root, name)
            relative = os.path.relpath(path, src_dir).replace(os.sep, "/")
            with open(path, encoding="utf-8") as f:
                for number, line in enumerate(f, 1):
                    if INCLUDE.search(line) and not may_include_xapian(relative):
                        found.append(f"lib/src/{relative}:{number}: includes Xapian outside "
                                     "format/, store/, indexer/, search/ and text/'s .cpp files")
                    if CATCH.search(line) and not relative.startswith("store/"):
                        found.append(f"lib/src/{relative}:{number}: catches a Xapian exception "
                                     "outside store/ (use store/guarded.hpp)")
    return found


def self_test():
    # The checker must see each kind of violation, or a passing run means nothing.
    with tempfile.TemporaryDirectory() as tmp:
        cases = {
            "page/a.hpp": "#include <xapian.h>\n",
            "text/b.hpp": "#include <xapian.h>\n",
            "search/c.cpp": "try {} catch (const Xapian::Error&) {}\n",
            "text/ok.cpp": "#include <xapian.h>\n",
            "store/ok.cpp": "try {} catch (const Xapian::Error&) {}\n",
        }
        for relative, text in cases.items():
            os.makedirs(os.path.join(tmp, os.path.dirname(relative)), exist_ok=True)
            with open(os.path.join(tmp, relative), "w") as f:
                f.write(text)
        found = violations(tmp)
        want = ["page/a.hpp:1", "text/b.hpp:1", "search/c.cpp:1"]
        ok = len(found) == len(want) and all(any(w in v for v in found) for w in want)
        print("\n".join(found))
        print("self-test " + ("passed" if ok else "FAILED"))
        return 0 if ok else 1


def main():
    if sys.argv[1:] == ["--self-test"]:
        return self_test()
    src_dir = os.path.join(sys.argv[1], "lib", "src")
    found = violations(src_dir)
    for v in found:
        print(v)
    print(f"{len(found)} layering violations in {src_dir}")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
