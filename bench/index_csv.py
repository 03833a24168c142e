"""Write the data of bench/index_data.py as a CSV for `efc index` end to end:
columns id, region, pop, x01 .. x50, numbers in their shortest round-trip
form (repr), a missing cell an empty field. Reads OUTDIR/index-data.f64
(run index_data.py first) and writes OUTDIR/index-data.csv.
usage: index_csv.py N OUTDIR"""
import pathlib
import sys

import numpy as np
import pandas as pd


def main() -> int:
    n, out = int(sys.argv[1]), pathlib.Path(sys.argv[2])
    v = np.fromfile(out / "index-data.f64", dtype="<f8").reshape(53, n)
    frame = pd.DataFrame({"id": v[0].astype(np.int64), "region": v[1].astype(np.int64), "pop": v[2],
                          **{f"x{j + 1:02d}": v[3 + j] for j in range(50)}})
    frame.to_csv(out / "index-data.csv", index=False, na_rep="")
    return 0


if __name__ == "__main__":
    sys.exit(main())
