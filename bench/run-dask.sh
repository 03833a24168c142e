#!/bin/sh
# The Python package scoring through Dask (efc.dask.score_frame on a
# distributed.LocalCluster of 1 and 2 worker processes) against the single
# process (Model.score_frame, Model.score_array): bench/README.md, "Dask".
# usage: sh bench/run-dask.sh [ROWS] [PARTS]     (default 10000000 20; run from anywhere)
# Needs Debian's python3-dask and python3-distributed.
set -eu
cd "$(dirname "$0")/.."
[ -f build/bindings/python/efc/_cdef.h ] || sh tools/setup.sh
meson compile -C build >/dev/null
sh tools/python.sh bench/dask_score.py "${1:-10000000}" "${2:-20}"
