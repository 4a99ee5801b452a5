#!/usr/bin/env python
"""Run a Python script in this process (``peak.py script.py args…``) and print, last, the peak
resident memory of this process's own address space: ``peak_rss_kb: N`` (VmHWM).

Why not ``ru_maxrss`` of the child, as seen by the parent: when a process execs, Linux keeps the
high-water mark of the address space it leaves, so a child forked from a big bench process (which
has just generated millions of rows) reports the parent's size. The first full run showed 876 MB for
a report that peaks near 100 MB. VmHWM belongs to the address space made by exec.
"""

import os
import runpy
import sys


def peak_kb() -> int:
    with open("/proc/self/status") as status:
        return next(int(line.split()[1]) for line in status if line.startswith("VmHWM:"))


if __name__ == "__main__":
    script, sys.argv = sys.argv[1], sys.argv[1:]
    sys.path[0] = os.path.dirname(os.path.abspath(script))  # as if the script were run directly
    try:
        runpy.run_path(script, run_name="__main__")
    finally:
        sys.stdout.flush()
        print(f"peak_rss_kb: {peak_kb()}", flush=True)
