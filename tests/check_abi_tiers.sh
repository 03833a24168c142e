#!/bin/sh
# check_abi.sh tells the tiers apart: against a baseline in which one
# stable function is missing from the library (renamed in a copy of the
# baseline) it fails; with an experimental one instead it passes and reports.
# usage: check_abi_tiers.sh BASELINE LIBRARY HEADERS_DIR
set -u
baseline=$1 lib=$2 headers=$3
here=$(dirname "$0")
if ! readelf -S "$lib" | grep -q '\.debug_info'; then
    echo "$lib has no debug info (skipped)"
    exit 77
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
sed "s/'efc_panel_size'/'efc_panel_size_gone'/g" "$baseline" >"$tmp/experimental.abi"
sed "s/'efc_model_root'/'efc_model_root_gone'/g" "$baseline" >"$tmp/stable.abi"
sh "$here/check_abi.sh" "$tmp/experimental.abi" "$lib" "$headers" >"$tmp/x.out" 2>&1 ||
    { cat "$tmp/x.out"; echo "an experimental function's removal failed the check"; exit 1; }
grep -q "experimental ABI: differs" "$tmp/x.out" ||
    { cat "$tmp/x.out"; echo "an experimental function's removal was not reported"; exit 1; }
if sh "$here/check_abi.sh" "$tmp/stable.abi" "$lib" "$headers" >"$tmp/s.out" 2>&1; then
    cat "$tmp/s.out"; echo "a stable function's removal passed the check"; exit 1
fi
echo "stable tier enforced, experimental tier reported"
