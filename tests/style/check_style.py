#!/usr/bin/env python3
"""usage: check_style.py format SOURCE_DIR
         check_style.py tidy SOURCE_DIR BUILD_DIR

format: every C++ file of the project is already as the repo's .clang-format writes it
        (clang-format --dry-run --Werror), so a formatting difference fails the test command.
tidy:   the repo's .clang-tidy reports no warning on the library and the tools, using the build's
        compile_commands.json; files are checked in parallel, one process per core."""
import concurrent.futures
import json
import os
import shutil
import subprocess
import sys

FOLDERS = ["lib", "indexer", "query", "tests", "bench", "docs/examples"]
EXTENSIONS = (".cpp", ".hpp", ".h")


def find_tool(name):
    for candidate in (name, f"{name}-14", f"{name}-15", f"{name}-16"):
        path = shutil.which(candidate)
        if path:
            return path
    sys.exit(f"FAIL {name} is not installed (scripts/setup.sh installs it)")


def project_files(source_dir):
    files = []
    for folder in FOLDERS:
        for root, _, names in os.walk(os.path.join(source_dir, folder)):
            files += [os.path.join(root, n) for n in names if n.endswith(EXTENSIONS)]
    return sorted(files)


def check_format(source_dir):
    clang_format = find_tool("clang-format")
    files = project_files(source_dir)
    if len(files) < 50:
        sys.exit(f"FAIL found only {len(files)} C++ files under {source_dir}")
    bad = []
    for path in files:
        run = subprocess.run([clang_format, "--dry-run", "--Werror", path],
                             capture_output=True, text=True)
        if run.returncode != 0:
            bad.append(path)
            print(run.stderr.strip().splitlines()[0])
    print(f"{len(files) - len(bad)} of {len(files)} files formatted as .clang-format says")
    if bad:
        print("fix with: clang-format -i " + " ".join(os.path.relpath(p, source_dir) for p in bad))
        sys.exit(1)


def check_tidy(source_dir, build_dir):
    clang_tidy = find_tool("clang-tidy")
    with open(os.path.join(build_dir, "compile_commands.json")) as f:
        commands = json.load(f)
    roots = [os.path.join(os.path.realpath(source_dir), d) + os.sep for d in ("lib/src", "indexer", "query")]
    files = sorted({os.path.realpath(c["file"]) for c in commands
                    if any(os.path.realpath(c["file"]).startswith(r) for r in roots)})
    if len(files) < 30:
        sys.exit(f"FAIL found only {len(files)} library and tool sources in compile_commands.json")
    header_filter = "^" + os.path.realpath(source_dir) + "/(lib|indexer|query)/"

    def tidy(path):
        run = subprocess.run([clang_tidy, "--quiet", "-p", build_dir, "--warnings-as-errors=*",
                              f"--header-filter={header_filter}", path],
                             capture_output=True, text=True)
        return path, run.returncode, run.stdout

    failed = 0
    with concurrent.futures.ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
        for path, code, out in pool.map(tidy, files):
            if code != 0:
                failed += 1
                print(out.strip())
    print(f"{len(files) - failed} of {len(files)} files clean under .clang-tidy")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "format":
        check_format(sys.argv[2])
    elif len(sys.argv) == 4 and sys.argv[1] == "tidy":
        check_tidy(sys.argv[2], sys.argv[3])
    else:
        sys.exit(__doc__)
