#!/bin/sh
# The shared library's ABI against the checked-in baseline (docs/c-api.md,
# "ABI policy"), tier by tier:
#   - stable tier (node EFC_1): abidiff --no-added-syms must find nothing
#     removed or changed; additions are allowed within libefc.so.1. Enforced.
#   - experimental tier (node EFC_EXPERIMENTAL_<major>.<minor>): may change
#     between minor releases; its differences are reported, not enforced.
# A library without debug info cannot be compared (abidiff would say
# "unchanged"): the test is then skipped, and CI builds with debug info.
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
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# Every function of the experimental node is left out of the stable check
# (and the types reached only through them with it). Which node that is,
# exactly, tests/check_symbols.py checks.
printf '[suppress_function]\n  symbol_version_regexp = ^EFC_EXPERIMENTAL_\n' >"$tmp/supp"

abidiff --no-added-syms --suppressions "$tmp/supp" --hd2 "$headers" "$baseline" "$lib"
rc=$?
if [ $rc -ne 0 ]; then
    echo "check_abi: the stable ABI (EFC_1) of $lib differs from $baseline (abidiff exit $rc)."
    echo "Within libefc.so.1 the stable tier only grows (docs/c-api.md). If the change is an"
    echo "addition, or the baseline predates a release, update it with"
    echo "  sh tools/abi-baseline.sh"
    exit 1
fi
echo "stable ABI (EFC_1) unchanged against $baseline"

# The experimental tier, reported only: what a program built against the
# baseline's experimental API would see change.
if abidiff --hd2 "$headers" "$baseline" "$lib" >"$tmp/all" 2>&1; then
    echo "experimental ABI: unchanged"
else
    echo "experimental ABI: differs from the baseline (reported, not enforced):"
    sed 's/^/  /' "$tmp/all"
fi
exit 0
