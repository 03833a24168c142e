#!/bin/sh
# The Python package against vectorised numpy (bench/README.md, "Python").
# usage: sh bench/run-python.sh [ROWS]     (default 1000000; run from anywhere)
set -eu
cd "$(dirname "$0")/.."
[ -f build/bindings/python/efc/_cdef.h ] || sh tools/setup.sh
meson compile -C build >/dev/null
sh tools/python.sh bench/python_score.py "${1:-1000000}"
