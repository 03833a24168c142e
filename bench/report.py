#!/usr/bin/env python3
"""Print the benchmark figures side by side from hyperfine's JSON and the
peak resident set sizes. usage: report.py TIMES.json ROWS BYTES RSS..."""
import json
import sys


def main() -> int:
    times = json.load(open(sys.argv[1]))["results"]
    rows, size = int(sys.argv[2]), int(sys.argv[3])
    rss = [int(x) for x in sys.argv[4:]]
    base = {r["command"]: r["mean"] for r in times}
    efc = base["efc score"]
    print(f"{rows:,} rows, {size / 1e6:.1f} MB\n")
    print(f"| tool | time (s) | rows/s | MB/s | peak RSS (MB) | vs efc score |")
    print(f"|---|---|---|---|---|---|")
    for r, kb in zip(times, rss):
        t = r["mean"]
        print(f"| {r['command']} | {t:.2f} ± {r['stddev']:.2f} | {rows / t:,.0f} | "
              f"{size / 1e6 / t:.0f} | {kb / 1024:.1f} | {t / efc:.2f}× |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
