#!/usr/bin/env python3
"""Extract the HDI groups and the published 2022 ranks from UNDP's complete
time series (HDR23-24_Composite_indices_complete_time_series.csv) into
hdi_groups.csv: iso3, hdicode (the human development group), region (UNDP's
developing regions; empty for the others) and hdi_rank_2022 (the published
rank, empty for aggregates). Run once; the tests read the output only.
usage: extract_groups.py SOURCE.csv > hdi_groups.csv"""
import csv
import sys


def main() -> int:
    with open(sys.argv[1], encoding="utf-8-sig", newline="") as f:
        rows = list(csv.DictReader(f))
    out = csv.writer(sys.stdout, lineterminator="\n")
    out.writerow(["iso3", "hdicode", "region", "hdi_rank_2022"])
    for r in rows:
        rank = r["hdi_rank_2022"]
        out.writerow([r["iso3"], r["hdicode"], r["region"],
                      str(int(float(rank))) if rank else ""])
    return 0


if __name__ == "__main__":
    sys.exit(main())
