#!/usr/bin/env python3
"""usage: package_test.py BUILD_DIR WORK_DIR CONSUMER_DIR EXAMPLE_CPP CORPUS CXX"""
import os
import shutil
import subprocess
import sys

build, work, consumer, example, corpus, cxx = sys.argv[1:7]
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

# 2. pkg-config
env = dict(os.environ, PKG_CONFIG_PATH=os.path.join(prefix, "lib", "pkgconfig"))
flags = subprocess.run(["pkg-config", "--cflags", "--libs", "leo"], env=env, check=True,
                       capture_output=True, text=True).stdout.split()
binary = os.path.join(work, "pkg-config-consumer")
run(cxx, "-std=c++20", example, "-o", binary, *flags)
out = run(binary, corpus, os.path.join(work, "db2"), "reset password", capture_output=True).stdout
print(out)
if "password" not in out:
    sys.exit("FAIL the pkg-config consumer did not answer")
print("1 passed, 0 failed")
