#!/usr/bin/env python3
"""Prints the functions of BINARY that callgrind saw run (CALLGRIND_OUT files), one mangled
name per line in BINARY's address order: the list `--symbol-ordering-file` places first.

A function that sits in a large shared `.text` section of its object (C and C++ archives,
and Swift code compiled without one section per function) is left out: listing it would drag
its whole section into the hot region and spread the rest of the list over megabytes.
Objects are read from the toolchain's static libraries and the build's `.build/release`."""
import glob
import os
import re
import shutil
import subprocess
import sys

BIG_SECTION = 16 * 1024

binary, outputs = sys.argv[1], sys.argv[2:]
ran = set()
for path in outputs:
    names = {}  # callgrind names a function once, then refers to it by number
    for line in open(path, errors="replace"):
        m = re.match(r"^c?fn=\((\d+)\)(?: (.*))?$", line.rstrip("\n"))
        if m:
            if m.group(2):
                names[m.group(1)] = m.group(2)
            ran.add(names.get(m.group(1)))

toolchain = os.path.dirname(os.path.dirname(os.path.realpath(shutil.which("swiftc"))))
inputs = glob.glob(os.path.join(toolchain, "lib/swift_static/linux/*.a")) + glob.glob(".build/release/*.build/*.o")
dragging = set()
for path in inputs:
    text_size = 0
    for line in subprocess.run(["objdump", "-h", "-t", path], capture_output=True, text=True).stdout.splitlines():
        if line.endswith("file format elf64-x86-64"):
            text_size = 0  # the next archive member
            continue
        m = re.match(r"\s*\d+\s+\.text\s+([0-9a-f]+)\s", line)
        if m:
            text_size = int(m.group(1), 16)
            continue
        parts = line.split()
        if len(parts) >= 6 and parts[-3] == ".text" and " F " in line and text_size > BIG_SECTION:
            dragging.add(parts[-1])

listing = subprocess.run(["nm", "-S", "-n", "--defined-only", binary], capture_output=True, text=True, check=True).stdout
chosen = []
for line in listing.splitlines():
    parts = line.split(" ", 3)
    if len(parts) == 4 and parts[2] in "tTwW" and parts[3] in ran and parts[3] not in dragging:
        chosen.append((parts[3], int(parts[1], 16)))
print(f"{len(chosen)} functions, {sum(size for _, size in chosen) / 1048576:.2f} MB of code "
      f"({len(ran & dragging)} left out: they share a large section)", file=sys.stderr)
for name, _ in chosen:
    print(name)
