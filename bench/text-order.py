#!/usr/bin/env python3
"""Prints the functions of BINARY that callgrind saw run (CALLGRIND_OUT files), one mangled
name per line in BINARY's address order: the list `--symbol-ordering-file` places first."""
import re
import subprocess
import sys

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
listing = subprocess.run(["nm", "-S", "-n", "--defined-only", binary], capture_output=True, text=True, check=True).stdout
chosen = []
for line in listing.splitlines():
    parts = line.split(" ", 3)
    if len(parts) == 4 and parts[2] in "tTwW" and parts[3] in ran:
        chosen.append((parts[3], int(parts[1], 16)))
print(f"{len(chosen)} functions, {sum(size for _, size in chosen) / 1048576:.2f} MB of code", file=sys.stderr)
for name, _ in chosen:
    print(name)
