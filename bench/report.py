#!/usr/bin/env python3
"""Print the benchmark figures side by side and check the targets of
bench/README.md.
usage: report.py TIMES.json ROWS BYTES SMALL_ROWS BIG_ROWS RSS... INSTR...
  RSS: peak KB per tool in hyperfine's order ("KB" or "KB,KB_AT_BIG_ROWS");
  INSTR: "TOTAL,BUSIEST" instructions per tool on SMALL_ROWS rows, or "-"."""
import json
import sys


def main() -> int:
    times = json.load(open(sys.argv[1]))["results"]
    rows, size, small, big = (int(x) for x in sys.argv[2:6])
    n = len(times)
    rss = [[int(k) for k in x.split(",")] for x in sys.argv[6:6 + n]]
    ins = [None if x == "-" else [int(k) for k in x.split(",")] for x in sys.argv[6 + n:6 + 2 * n]]
    mean = {r["command"]: r["mean"] for r in times}
    efc, pandas, noop = mean["efc score"], mean["pandas/numpy"], mean["libcsv no-op parse"]
    print(f"{rows:,} rows, {size / 1e6:.1f} MB; peak RSS also at {big:,} rows; "
          f"instructions per row from callgrind on {small:,} rows\n")
    print("| tool | time (s) | rows/s | MB/s | vs no-op parse | pandas / tool "
          f"| peak RSS (MB) | at {big // 1000000}M rows | instr/row (all threads) "
          "| instr/row (busiest thread) |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    for r, kb, i in zip(times, rss, ins):
        t = r["mean"]
        at_big = f"{kb[1] / 1024:.1f}" if len(kb) > 1 else ""
        per = f"{i[0] / small:,.0f} | {i[1] / small:,.0f}" if i else " | "
        print(f"| {r['command']} | {t:.3f} ± {r['stddev']:.3f} | {rows / t:,.0f} | "
              f"{size / 1e6 / t:.0f} | {t / noop:.2f}× | {pandas / t:.1f}× | "
              f"{kb[0] / 1024:.1f} | {at_big} | {per} |")
    checks = [
        ("efc score at least 10x faster than pandas/numpy", pandas / efc >= 10,
         f"{pandas / efc:.1f}x"),
        ("efc score at most 2x the libcsv no-op parse", efc / noop <= 2, f"{efc / noop:.2f}x"),
        ("efc score peak RSS <= 32 MB", rss[0][0] <= 32 * 1024, f"{rss[0][0] / 1024:.1f} MB"),
        (f"... unchanged at {big:,} rows (within 1 MB)",
         len(rss[0]) > 1 and abs(rss[0][1] - rss[0][0]) <= 1024,
         f"{rss[0][-1] / 1024:.1f} MB"),
    ]
    print()
    for what, ok, got in checks:
        print(f"{'PASS' if ok else 'FAIL'}  {what}: {got}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
