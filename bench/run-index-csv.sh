#!/bin/sh
# The indicator pipeline end to end from a CSV file: `efc index` (read, check
# every field, run every step, write the aggregated stage to /dev/null)
# against pandas.read_csv and the same pipeline (bench/index_pandas.py --csv,
# which writes only the root), on the data of bench/run-index.sh written as
# CSV (bench/index_csv.py). Wall time and peak RSS from /usr/bin/time; the
# two roots must agree (largest difference printed).
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
