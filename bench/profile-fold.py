#!/usr/bin/env python3
"""Folds `perf script -F comm,tid,ip,sym,dso` output into one line per stack (root first), with counts."""
import collections
import re
import sys

stacks = collections.Counter()
comm = None
frames = []


def flush():
    if comm is not None:
        stacks[";".join([comm] + list(reversed(frames)))] += 1


for line in sys.stdin:
    line = line.rstrip("\n")
    if not line.strip():
        flush()
        comm, frames = None, []
        continue
    if not line.startswith(("\t", " ")) and comm is None:
        comm = re.sub(r"\s+\d+$", "", line.strip()).replace(";", ":")
        comm = re.sub(r"\d+", "N", comm)
        continue
    parts = line.strip().split(None, 1)
    rest = parts[1] if len(parts) > 1 else "?"
    m = re.match(r"(.*) \((.*)\)$", rest)
    sym, dso = (m.group(1), m.group(2)) if m else (rest, "")
    if sym in ("[unknown]", ""):
        sym = "[" + dso.rsplit("/", 1)[-1] + "]"
    sym = re.sub(r"\+0x[0-9a-f]+$", "", sym)
    if "kernel.kallsyms" in dso:
        sym += " [k]"
    frames.append(sym.replace(";", ":"))
flush()
for stack, n in stacks.most_common():
    print(f"{stack} {n}")
