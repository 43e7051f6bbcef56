#!/usr/bin/env python3
"""usage: package_test.py BUILD_DIR WORK_DIR CONSUMER_DIR EXAMPLE_CPP CORPUS CXX SOURCE_DIR

A consumer needs only leo's own package, whichever way it takes it: find_package on an
install and on the build tree, pkg-config, and add_subdirectory of the sources as a shared
library (which must export the public API and nothing else). The README's ten-line example is
compiled and run too, so it cannot rot."""
import glob
import os
import shutil
import subprocess
import sys

build, work, consumer, example, corpus, cxx, source = sys.argv[1:8]
shutil.rmtree(work, ignore_errors=True)
prefix = os.path.join(work, "prefix")


def run(*args, **kw):
    print("+", " ".join(args), flush=True)
    return subprocess.run(list(args), check=True, text=True, **kw)


run("cmake", "--install", build, "--prefix", prefix)
for expected in ["include/leo/leo.hpp", "lib/cmake/leo/leoConfig.cmake", "lib/pkgconfig/leo.pc",
                 "share/man/man5/leo.toml.5"]:
    if not os.path.exists(os.path.join(prefix, expected)):
        sys.exit(f"FAIL not installed: {expected}")

# 1. find_package(leo) + leo::leo
cbuild = os.path.join(work, "cmake-consumer")
run("cmake", "-S", consumer, "-B", cbuild, f"-DCMAKE_PREFIX_PATH={prefix}",
    f"-DLEO_EXAMPLE_SOURCE={example}", "-DCMAKE_BUILD_TYPE=Release")
run("cmake", "--build", cbuild)
out = run(os.path.join(cbuild, "library_example"), corpus, os.path.join(work, "db1"),
          "amur leopard population", capture_output=True).stdout
print(out)
if "How many Amur leopards" not in out:
    sys.exit("FAIL the find_package consumer did not answer")

# 2. find_package(leo) on the build tree, no install
tbuild = os.path.join(work, "build-tree-consumer")
run("cmake", "-S", consumer, "-B", tbuild, f"-Dleo_DIR={build}",
    f"-DLEO_EXAMPLE_SOURCE={example}", "-DCMAKE_BUILD_TYPE=Release")
run("cmake", "--build", tbuild)
out = run(os.path.join(tbuild, "library_example"), corpus, os.path.join(work, "db3"),
          "how fast can a leopard run", capture_output=True).stdout
if "How fast can a leopard run" not in out:
    sys.exit("FAIL the build-tree consumer did not answer")

# 3. pkg-config
env = dict(os.environ, PKG_CONFIG_PATH=os.path.join(prefix, "lib", "pkgconfig"))
flags = subprocess.run(["pkg-config", "--cflags", "--libs", "leo"], env=env, check=True,
                       capture_output=True, text=True).stdout.split()
binary = os.path.join(work, "pkg-config-consumer")
run(cxx, "-std=c++20", example, "-o", binary, *flags)
out = run(binary, corpus, os.path.join(work, "db2"), "reset password", capture_output=True).stdout
print(out)
if "password" not in out:
    sys.exit("FAIL the pkg-config consumer did not answer")
pc = open(os.path.join(prefix, "lib", "pkgconfig", "leo.pc")).read()
if "-std=" in pc:
    sys.exit("FAIL leo.pc carries a -std flag")

# 4. the README's example, as printed there
readme = open(os.path.join(source, "README.md")).read()
block = readme.split("## The library in ten lines", 1)[1].split("```cpp\n", 1)[1].split("```", 1)[0]
readme_cpp = os.path.join(work, "readme_example.cpp")
with open(readme_cpp, "w") as f:
    f.write(block)
binary = os.path.join(work, "readme-example")
run(cxx, "-std=c++20", readme_cpp, "-o", binary, *flags)
rundir = os.path.join(work, "readme-run")
os.makedirs(rundir)
os.symlink(os.path.dirname(corpus), os.path.join(rundir, "corpus"))  # the site root; pages in content/
out = run(binary, cwd=rundir, capture_output=True).stdout
print(out)
if "How many Amur leopards" not in out.splitlines()[0]:
    sys.exit("FAIL the README example did not put the Amur leopard count first")

# 5. add_subdirectory, shared: only the public API is exported, with an SOVERSION
sbuild = os.path.join(work, "subproject")
run("cmake", "-S", os.path.join(os.path.dirname(consumer), "subproject"), "-B", sbuild,
    "-G", "Ninja", f"-DLEO_SOURCE_DIR={source}", f"-DLEO_EXAMPLE_SOURCE={example}",
    # Debug compiles the whole library about twice as fast as Release; what is checked here is
    # the packaging (exports, SONAME), not the speed of the example; without -g, faster still.
    "-DCMAKE_BUILD_TYPE=Debug", "-DCMAKE_CXX_FLAGS_DEBUG=-O0")
run("cmake", "--build", sbuild, "--target", "library_example")
out = run(os.path.join(sbuild, "library_example"), corpus, os.path.join(work, "db4"),
          "reset password", capture_output=True).stdout
if "password" not in out:
    sys.exit("FAIL the add_subdirectory consumer did not answer")
libraries = glob.glob(os.path.join(sbuild, "leo", "lib", "libleo.so.*.*.*"))
if not libraries:
    sys.exit("FAIL add_subdirectory with BUILD_SHARED_LIBS built no versioned libleo.so")
soname = run("readelf", "-d", libraries[0], capture_output=True).stdout
if "libleo.so.0.1" not in soname:
    sys.exit("FAIL libleo.so has no SONAME libleo.so.0.1")
symbols = run("nm", "-D", "-C", "--defined-only", libraries[0], capture_output=True).stdout
if "leo::Searcher::search" not in symbols:
    sys.exit("FAIL the shared libleo does not export leo::Searcher::search")
leaked = [s for s in symbols.splitlines()
          if " leo::detail::" in s or "::Impl::" in s]
if leaked:
    sys.exit(f"FAIL the shared libleo exports internals, e.g. {leaked[0]}")
print("1 passed, 0 failed")
