#!/usr/bin/env python3
"""Check that two score files (efc score, the pandas scorer) agree.
usage: compare.py A.csv B.csv"""
import sys

import numpy as np
import pandas as pd


def main() -> int:
    a = pd.read_csv(sys.argv[1], dtype={"id": str})
    b = pd.read_csv(sys.argv[2], dtype={"id": str})
    if list(a.columns) != list(b.columns) or len(a) != len(b):
        print(f"different shapes: {a.shape} {list(a.columns)} / {b.shape} {list(b.columns)}")
        return 1
    worst = 0.0
    for col in a.columns[2:]:
        x, y = a[col].to_numpy(dtype=float), b[col].to_numpy(dtype=float)
        if not np.array_equal(np.isnan(x), np.isnan(y)):
            print(f"{col}: missing values differ")
            return 1
        m = ~np.isnan(x)
        if m.any():
            worst = max(worst, float(np.abs(x[m] - y[m]).max()))
    print(f"outputs agree: {len(a)} rows, {len(a.columns)} columns, largest difference {worst:.1e}")
    return 0 if worst <= 1e-11 else 1


if __name__ == "__main__":
    sys.exit(main())
