#!/bin/sh
# Rewrite the ABI baseline tests/abi/libefc.abi, on purpose: only when the
# ABI is meant to change (functions or enumerators added within
# the stable tier, or anything in the experimental one;
# docs/c-api.md, "ABI policy").
# The baseline comes from a clang build with debug info (build-abi/): with
# gcc 12's DWARF, libabigail 2.2 leaves a fifth of the functions without
# their types (those declared in an earlier unit than their definition), so
# a gcc baseline would not see their signatures change. The check itself
# runs against any build with debug info (tests/check_abi.sh).
set -eu
cd "$(dirname "$0")/.."
if [ ! -f build-abi/build.ninja ]; then
    CC=clang meson setup build-abi -Dbuildtype=debug -Dtests=false -Dcli=false >/dev/null
fi
meson compile -C build-abi >/dev/null
lib=$(ls build-abi/libefc/libefc.so.1.*.* | head -n 1)
abidw --headers-dir include/efc --no-corpus-path --out-file tests/abi/libefc.abi "$lib"
echo "wrote tests/abi/libefc.abi from $lib"
