#!/bin/sh
# The shared library's ABI against the checked-in baseline (docs/c-api.md,
# "ABI policy"): abidiff --no-added-syms must find nothing removed or
# changed. Additions are allowed within libefc.so.0. A library without
# debug info cannot be compared (abidiff would say "unchanged"): the test
# is then skipped, and CI builds with debug info.
# usage: check_abi.sh BASELINE LIBRARY HEADERS_DIR
set -u
baseline=$1 lib=$2 headers=$3
if ! command -v abidiff >/dev/null 2>&1; then
    echo "abidiff is missing (Debian package abigail-tools; tools/setup.sh installs it)"
    exit 1
fi
if ! readelf -S "$lib" | grep -q '\.debug_info'; then
    echo "$lib has no debug info: its ABI cannot be compared (skipped)"
    exit 77
fi
abidiff --no-added-syms --hd2 "$headers" "$baseline" "$lib"
rc=$?
if [ $rc -ne 0 ]; then
    echo "check_abi: the ABI of $lib differs from $baseline (abidiff exit $rc)."
    echo "If the change is meant and allowed (docs/c-api.md), update the baseline with"
    echo "  sh tools/abi-baseline.sh"
    exit 1
fi
echo "ABI unchanged against $baseline"
