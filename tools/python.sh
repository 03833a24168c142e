#!/bin/sh
# Run Debian's python3 with the efc package and library of the build tree,
# without installing: sh tools/python.sh examples/python/score_survey.py
# (after `sh tools/setup.sh`; once installed, plain python3 imports efc).
root="$(cd "$(dirname "$0")/.." && pwd)"
[ -f "$root/build/bindings/python/efc/_cdef.h" ] || {
    echo "python.sh: build the project first: sh tools/setup.sh" >&2
    exit 1
}
PYTHONPATH="$root/build/bindings/python${PYTHONPATH:+:$PYTHONPATH}" \
    EFC_LIBRARY="$root/build/libefc/libefc.so.1" exec /usr/bin/python3 "$@"
