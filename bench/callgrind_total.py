#!/usr/bin/env python3
"""Instructions from callgrind output files, one per thread
(--separate-threads=yes): print "TOTAL,BUSIEST" (all threads, and the
thread that executed the most)."""
import sys


def instructions(path: str):
    with open(path) as f:
        for line in f:
            if line.startswith(("summary:", "totals:")):
                return int(line.split()[1])
    return None  # the base file callgrind leaves beside the per-thread ones


def main() -> int:
    counts = [c for c in map(instructions, sys.argv[1:]) if c is not None]
    if not counts:
        raise SystemExit("no callgrind totals in " + " ".join(sys.argv[1:]))
    print(f"{sum(counts)},{max(counts)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
