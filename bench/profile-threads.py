#!/usr/bin/env python3
"""CPU per request by thread kind, from two snapshots of /proc/PID/task/*/stat.

  profile-threads.py --snapshot PID          print "name:tid ticks" for every thread of PID
  profile-threads.py DIR SECONDS             read DIR/threads.before, DIR/threads.after and
                                             DIR/wrk.txt; print a table of CPU us per request

Per-thread CPU time is counted by the kernel, so unlike perf's samples on a VM without a PMU
it does not put the cost of a context switch on whichever thread enables interrupts next.
Threads that started or ended between the snapshots count from zero or are left out.
"""
import collections
import os
import re
import sys


def snapshot(pid):
    for tid in os.listdir(f"/proc/{pid}/task"):
        try:
            with open(f"/proc/{pid}/task/{tid}/stat") as f:
                stat = f.read()
        except OSError:
            continue
        # The name sits in parentheses and may hold spaces; the fields after it are fixed.
        name = stat[stat.index("(") + 1:stat.rindex(")")].replace(" ", "_")
        fields = stat[stat.rindex(")") + 2:].split()
        print(f"{name}:{tid} {int(fields[11]) + int(fields[12])}")


def load(path):
    ticks = {}
    with open(path) as f:
        for line in f:
            if line.strip():
                key, value = line.rsplit(" ", 1)
                ticks[key] = int(value)
    return ticks


def table(directory, seconds):
    before = load(os.path.join(directory, "threads.before"))
    after = load(os.path.join(directory, "threads.after"))
    with open(os.path.join(directory, "wrk.txt")) as f:
        rps = float(re.search(r"Requests/sec:\s+([\d.]+)", f.read()).group(1))
    requests = rps * seconds
    us_per_tick = 1e6 / os.sysconf("SC_CLK_TCK")
    kinds = collections.Counter()
    for key, value in after.items():
        kinds[key.split(":")[0]] += value - before.get(key, 0)
    total = sum(kinds.values())
    print(f"| thread | CPU us/request | share % |  ({rps:.0f} req/s, {seconds:g} s)")
    print("|---|---:|---:|")
    for kind, ticks in kinds.most_common():
        if ticks > 0:
            print(f"| {kind} | {ticks * us_per_tick / requests:.2f} | {100 * ticks / total:.1f} |")
    print(f"| **all** | {total * us_per_tick / requests:.2f} | 100 |")


if __name__ == "__main__":
    if sys.argv[1] == "--snapshot":
        snapshot(sys.argv[2])
    else:
        table(sys.argv[1], float(sys.argv[2]))
