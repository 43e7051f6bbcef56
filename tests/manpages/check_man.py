#!/usr/bin/env python3
"""usage: check_man.py MAN_DIR SOURCE_DIR LEO_INDEX LEO_ASK [LEO_SERVE]"""
import os
import re
import subprocess
import sys

man_dir, source, *tools = sys.argv[1:]
failures = 0


def options(text):
    return set(re.findall(r"(?<![\w-])--[a-z][a-z-]*", text))


def render(page):
    run = subprocess.run(["man", "-l", page], capture_output=True, text=True,
                         env=dict(os.environ, MANWIDTH="200", MAN_KEEP_FORMATTING="0"))
    if run.returncode != 0 or len(run.stdout) < 200:
        raise SystemExit(f"FAIL man -l {page}: exit {run.returncode} {run.stderr}")
    return re.sub(r".\x08", "", run.stdout).replace("\u2010", "-").replace("\u2212", "-")


for tool in tools:
    name = os.path.basename(tool)
    help_text = subprocess.run([tool, "--help"], capture_output=True, text=True, check=True).stdout
    page = render(os.path.join(man_dir, f"{name}.1"))
    missing = options(help_text) - options(page)
    extra = {o for o in options(page) - options(help_text) if o not in ("--help", "--version")}
    if missing or extra:
        print(f"FAIL {name}(1): missing {sorted(missing)}, not in --help {sorted(extra)}")
        failures += 1

config = open(os.path.join(source, "lib", "src", "config", "config.cpp")).read()
keys = set()
for block in re.findall(r"check_keys\([^{]*\{([^}]*)\}", config):
    keys |= set(re.findall(r'"([a-z_0-9]+)"', block))
if len(keys) < 20:
    print(f"FAIL found only {len(keys)} keys in config.cpp's check_keys lists")
    failures += 1
toml_page = render(os.path.join(source, "docs", "man", "leo.toml.5"))
undocumented = sorted(k for k in keys if not re.search(rf"\b{k}\b", toml_page))
if undocumented:
    print(f"FAIL leo.toml(5) does not document: {undocumented}")
    failures += 1
print("man pages match the tools" if not failures else f"{failures} man page checks failed")
sys.exit(1 if failures else 0)
