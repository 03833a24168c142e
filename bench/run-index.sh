#!/bin/sh
# The indicator pipeline (efc/index.h) against the same pipeline written in
# pandas/numpy (bench/index_pandas.py), and in base R as COINr runs it
# (bench/index_r.R, when Rscript is there), on N units x 50 indicators with every
# step on: denominator, group-mean imputation, winsorisation, min-max, group
# means (bench/README.md, "The indicator pipeline"). All read the same
# generated data (bench/index_data.py) and must agree on every unit's index;
# then each is timed (the pipeline alone, data in memory) and its peak RSS
# measured.
# usage: sh bench/run-index.sh [N]   (default 1000000)
set -eu
cd "$(dirname "$0")/.."
n=${1:-1000000}
out=bench/out
mkdir -p "$out"
[ -x build/cli/efc ] || sh tools/setup.sh
meson compile -C build >/dev/null
python=/usr/bin/python3
cc -O2 -Iinclude -o "$out/index_api" bench/index_api.c -Lbuild/libefc -lefc \
    -Wl,-rpath,"$PWD/build/libefc"
$python bench/index_data.py "$n" "$out"
data="$out/index-data.f64"
book="$out/index-codebook.csv"
echo "== $n units x 50 indicators, every step on; data $(du -h "$data" | cut -f1)"
echo "-- libefc (efc_index_run, every stage kept)"
/usr/bin/time -f "   peak RSS %M kB" "$out/index_api" "$book" "$data" "$n" "$out/root-efc.f64"
echo "-- libefc (efc_index_run, the normalised and aggregated stages kept)"
/usr/bin/time -f "   peak RSS %M kB" "$out/index_api" "$book" "$data" "$n" "$out/root-lean.f64" lean
echo "-- pandas/numpy"
/usr/bin/time -f "   peak RSS %M kB" $python bench/index_pandas.py "$book" "$data" "$n" \
    "$out/root-pandas.f64"
rroot=""
if command -v Rscript >/dev/null 2>&1; then
    echo "-- R (COINr's method in base R)"
    /usr/bin/time -f "   peak RSS %M kB" Rscript bench/index_r.R "$book" "$data" "$n" \
        "$out/root-r.f64"
    rroot="$out/root-r.f64"
fi
$python - "$out/root-efc.f64" "$out/root-pandas.f64" $rroot <<'PY'
import sys
import numpy as np
a, b = np.fromfile(sys.argv[1]), np.fromfile(sys.argv[2])
lean = np.fromfile(sys.argv[1].replace("root-efc", "root-lean"))
assert np.array_equal(a.view(np.uint64), lean.view(np.uint64)), "lean run differs"
d = np.nanmax(np.abs(a - b))
print(f"largest difference between libefc's and pandas' indices: {d:.3g}")
ok = d < 1e-9 and len(a) == len(b)
if len(sys.argv) > 3:
    r = np.fromfile(sys.argv[3])
    dr = np.nanmax(np.abs(a - r))
    print(f"largest difference between libefc's and R's indices: {dr:.3g}")
    ok = ok and dr < 1e-9 and len(a) == len(r)
sys.exit(0 if ok else 1)
PY
