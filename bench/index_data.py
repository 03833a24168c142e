"""Generate the indicator data of bench/run-index.sh: N units, 50 indicators,
a population (the denominator of half of them) and a region (10 groups, the
imputation groups), as raw little-endian doubles, column after column
(id, region, pop, x01 .. x50), and the codebook of the pipeline: every step
on (denominator, group_mean imputation, winsorise, minmax:0:100), five
groups of ten, the root their mean.
usage: index_data.py N OUTDIR"""
import pathlib
import sys

import numpy as np

LEAVES = 50


def main() -> int:
    n, out = int(sys.argv[1]), pathlib.Path(sys.argv[2])
    out.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(2026)
    cols = [np.arange(n, dtype=np.float64), rng.integers(0, 10, n).astype(np.float64),
            rng.uniform(1e3, 1e6, n)]
    for j in range(LEAVES):
        x = rng.normal(100 + j, 10 + j % 7, n)
        # a few outliers high (and low for one in five): a handful of iterations to winsorise
        k = 3 + j % 4
        idx = rng.choice(n, 2 * k, replace=False)
        x[idx[:k]] = 100 + j + rng.uniform(300, 900, k) * (10 + j % 7)
        if j % 5 == 0:
            x[idx[k:]] = 100 + j - rng.uniform(300, 900, k) * (10 + j % 7)
        if j % 2 == 0:
            x = x * cols[2] / 1e4  # denominated by pop back to its scale
        x[rng.random(n) < 0.01] = np.nan  # 1 % missing, imputed
        cols.append(x)
    np.stack(cols).astype("<f8").tofile(out / "index-data.f64")
    rows = ["id,parent,weight,direction,denominator,impute,treat,normalise,aggregate",
            "root,,1,,,,,,mean"]
    rows += [f"g{g},root,1,,,,,,mean" for g in range(5)]
    for j in range(LEAVES):
        den = "pop:10000" if j % 2 == 0 else ""
        rows.append(f"x{j + 1:02d},g{j // 10},1,{'-' if j % 3 == 0 else '+'},{den},"
                    "group_mean:region,winsorise:10%:2:3.5,minmax:0:100,")
    (out / "index-codebook.csv").write_text("\n".join(rows) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
