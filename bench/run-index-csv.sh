#!/bin/sh
# The indicator pipeline end to end from a CSV file: `efc index` (read, check
# every field, run every step, write the aggregated stage to /dev/null)
# against pandas.read_csv and the same pipeline (bench/index_pandas.py --csv,
# which writes only the root), on the data of bench/run-index.sh written as
# CSV (bench/index_csv.py). Wall time and peak RSS from /usr/bin/time; the
# two roots must agree (largest difference printed). Then fit, then score:
# `efc model --fit` writes the fitted codebook, and `efc score` streams the
# same file through it one row at a time; its root must print exactly as
# efc index's.
# usage: sh bench/run-index-csv.sh [N]   (default 1000000)
set -eu
cd "$(dirname "$0")/.."
n=${1:-1000000}
out=bench/out-csv
mkdir -p "$out"
[ -x build/cli/efc ] || sh tools/setup.sh
meson compile -C build >/dev/null
python=/usr/bin/python3
$python bench/index_data.py "$n" "$out"
$python bench/index_csv.py "$n" "$out"
data="$out/index-data.csv"
book="$out/index-codebook.csv"
echo "== $n units x 50 indicators from CSV; data $(du -h "$data" | cut -f1)"
echo "-- efc index"
/usr/bin/time -f "   wall %e s, peak RSS %M kB" build/cli/efc index "$data" --model "$book" \
    -o /dev/null
echo "-- pandas read_csv + pipeline"
/usr/bin/time -f "   wall %e s, peak RSS %M kB" $python bench/index_pandas.py --csv "$book" \
    "$data" "$n" "$out/root-pandas.f64"
build/cli/efc index "$data" --model "$book" -q -o "$out/index.csv"
$python - "$out/index.csv" "$out/root-pandas.f64" <<'PY'
import sys
import numpy as np
import pandas as pd
a = pd.read_csv(sys.argv[1], usecols=["root"], float_precision="round_trip")["root"].to_numpy()
b = np.fromfile(sys.argv[2])
d = np.nanmax(np.abs(a - b))
print(f"largest difference between the two indices: {d:.3g} (efc index writes 12 decimals)")
sys.exit(0 if d < 1e-9 and len(a) == len(b) else 1)
PY
echo "-- efc model --fit (the fitted codebook)"
/usr/bin/time -f "   wall %e s, peak RSS %M kB" build/cli/efc model --model "$book" --fit "$data" \
    -q -o "$out/fitted.csv"
echo "-- efc score with the fitted codebook (streaming, row by row)"
/usr/bin/time -f "   wall %e s, peak RSS %M kB" build/cli/efc score "$data" --model "$out/fitted.csv" \
    -q -o /dev/null
build/cli/efc score "$data" --model "$out/fitted.csv" -q -o "$out/score.csv"
$python - "$out/index.csv" "$out/score.csv" <<'PY'
import sys
import pandas as pd
a = pd.read_csv(sys.argv[1], usecols=["id", "root"], dtype=str)
b = pd.read_csv(sys.argv[2], usecols=["id", "root"], dtype=str)
same = a.equals(b)
print(f"efc score with the fitted codebook prints efc index's root: {'yes' if same else 'NO'}")
sys.exit(0 if same else 1)
PY
