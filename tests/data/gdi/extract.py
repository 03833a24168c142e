#!/usr/bin/env python3
"""Extract the Gender Development Index (GDI) inputs and published values from
UNDP's complete time series (HDR23-24_Composite_indices_complete_time_series.csv,
Human Development Report 2023/24) into

  examples/gdi/gdi_data.csv     iso3, year and the eight inputs of the GDI
  tests/data/gdi/expected.csv   iso3, year and the published hdi_f, hdi_m, gdi

One row per country and year with all eight inputs present (in the HDR 2023/24
file the published hdi_f, hdi_m and gdi are present exactly then). Countries
only: the aggregates (iso3 codes such as ZZA.VHHD or ZZK.WORLD) are left out.
Every value is copied as the file prints it, digits included. Rows keep the
file's order of countries (by name), then years 1990 to 2022.

Run once; the tests read the outputs only.
usage: extract.py SOURCE.csv [REPO_ROOT]   (REPO_ROOT defaults to this file's repository)"""
import csv
import pathlib
import re
import sys

INPUTS = ["le_f", "eys_f", "mys_f", "gni_pc_f", "le_m", "eys_m", "mys_m", "gni_pc_m"]
PUBLISHED = ["hdi_f", "hdi_m", "gdi"]
YEARS = range(1990, 2023)


def main() -> int:
    if len(sys.argv) not in (2, 3):
        print(__doc__, file=sys.stderr)
        return 2
    root = pathlib.Path(sys.argv[2]) if len(sys.argv) == 3 else pathlib.Path(__file__).parents[3]
    with open(sys.argv[1], encoding="utf-8-sig", newline="") as f:
        rows = list(csv.DictReader(f))
    data, expected = [], []
    for r in rows:
        if not re.fullmatch(r"[A-Z]{3}", r["iso3"]):
            continue  # an aggregate: ZZA.VHHD ... ZZK.WORLD
        for y in YEARS:
            inputs = [r[f"{s}_{y}"] for s in INPUTS]
            published = [r[f"{s}_{y}"] for s in PUBLISHED]
            if not all(inputs):
                continue
            if not all(published):
                raise SystemExit(f"{r['iso3']} {y}: inputs present but a published value missing")
            data.append([r["iso3"], y, *inputs])
            expected.append([r["iso3"], y, *published])
    for path, header, out in [
        (root / "examples" / "gdi" / "gdi_data.csv", ["iso3", "year", *INPUTS], data),
        (root / "tests" / "data" / "gdi" / "expected.csv", ["iso3", "year", *PUBLISHED], expected),
    ]:
        with open(path, "w", encoding="utf-8", newline="") as f:
            w = csv.writer(f, lineterminator="\n")
            w.writerow(header)
            w.writerows(out)
        print(f"{path}: {len(out)} rows", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
