#!/usr/bin/env python3
"""usage: check_headers.py CXX INCLUDE_DIR GENERATED_INCLUDE_DIR

Compiles every public header alone (and twice in one file, for include guards) and fails if
one pulls in a dependency the public API must not expose: Xapian, ICU, toml++, yaml-cpp,
cmark, fmt, nlohmann-json, lz4. The compiler's -H list of every header it opened is the
evidence, so an indirect include is caught too."""
import glob
import os
import subprocess
import sys
import tempfile

cxx, include_dir, generated_dir = sys.argv[1:4]
forbidden = ["xapian", "/unicode/", "toml++", "yaml-cpp", "cmark", "/fmt/", "nlohmann", "lz4"]
headers = sorted({os.path.basename(h) for d in (include_dir, generated_dir)
                  for h in glob.glob(os.path.join(d, "leo", "*.hpp"))})
if len(headers) < 8:
    sys.exit(f"FAIL found only {len(headers)} public headers in {include_dir}")
failed = 0
with tempfile.TemporaryDirectory() as tmp:
    for name in headers:
        source = os.path.join(tmp, "include_" + name.replace(".hpp", ".cpp"))
        with open(source, "w") as f:
            f.write(f"#include <leo/{name}>\n#include <leo/{name}> // and twice\n")
        run = subprocess.run([cxx, "-std=c++20", "-fsyntax-only", "-H", "-Wall", "-Wextra",
                              "-Werror", "-I", include_dir, "-I", generated_dir, source],
                             capture_output=True, text=True)
        opened = [line.lstrip(". ").strip() for line in run.stderr.splitlines()
                  if line.startswith(".")]
        leaks = [h for h in opened if any(x in h for x in forbidden)]
        if run.returncode != 0:
            failed += 1
            print(f"FAIL leo/{name} does not compile alone:\n{run.stderr}")
        elif leaks:
            failed += 1
            print(f"FAIL leo/{name} includes {leaks[0]}")
        else:
            print(f"ok   leo/{name} ({len(opened)} headers opened)")
print(f"{len(headers) - failed} passed, {failed} failed")
sys.exit(1 if failed else 0)
