"""The pipeline of bench/run-index.sh written with pandas and numpy as an
analyst would: denominate, impute each missing cell by the mean of its
region's observed values, COINr's winsorisation (pandas' skew and kurt are
the sample definitions libefc uses), min-max onto 0..100 after the
direction, means of the groups. Reads the data of index_data.py, prints the
time of the pipeline, and writes the root for the comparison. With --csv
DATA is the CSV of index_csv.py, read with pandas.read_csv (timed apart).
usage: index_pandas.py [--csv] CODEBOOK DATA N ROOT_OUT"""
import math
import sys
import time

import numpy as np
import pandas as pd


def winsorise(s: pd.Series, most: int) -> pd.Series:
    s = s.copy()
    need = lambda: abs(s.skew()) > 2 and s.kurt() > 3.5  # noqa: E731
    it = 0
    while need() and it < most:
        if s.skew() >= 0:
            top = s.max()
            s[s == top] = s[s < top].max()
        else:
            low = s.min()
            s[s == low] = s[s > low].min()
        it += 1
    if need():
        lo, hi = s.min(), s.max()
        s = np.log(s - lo + 0.01 * (hi - lo))
    return s


def main() -> int:
    args = sys.argv[1:]
    csv = args[:1] == ["--csv"]
    book, data, n, out = (args[1:] if csv else args)[:4]
    n = int(n)
    cb = pd.read_csv(book, keep_default_na=False)
    leaves = cb[cb["normalise"] != ""]
    names = [f"x{j + 1:02d}" for j in range(50)]
    if csv:
        t = time.perf_counter()
        frame = pd.read_csv(data, float_precision="round_trip")
        print(f"read_csv {time.perf_counter() - t:.3f} s")
        assert len(frame) == n
    else:
        v = np.fromfile(data, dtype="<f8").reshape(53, n)
        frame = pd.DataFrame({"region": v[1], "pop": v[2], **{c: v[3 + j] for j, c in enumerate(names)}})
    t0 = time.perf_counter()
    norm = {}
    for _, leaf in leaves.iterrows():
        x = frame[leaf["id"]]
        if leaf["denominator"]:
            col, scale = leaf["denominator"].split(":")
            x = x / frame[col] * float(scale)
        x = x.fillna(x.groupby(frame["region"]).transform("mean"))
        x = winsorise(x, math.ceil(0.1 * x.notna().sum() - 1e-9))
        y = x * (-1 if leaf["direction"] == "-" else 1)
        norm[leaf["id"]] = (y - y.min()) / (y.max() - y.min()) * 100
    norm = pd.DataFrame(norm)
    groups = {g: norm[list(leaves[leaves["parent"] == g]["id"])].mean(axis=1) for g in
              ["g0", "g1", "g2", "g3", "g4"]}
    root = pd.DataFrame(groups).mean(axis=1)
    t1 = time.perf_counter()
    root.to_numpy().astype("<f8").tofile(out)
    print(f"pipeline {t1 - t0:.3f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
