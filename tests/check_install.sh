#!/bin/sh
# Install into a staging directory and check what a C programmer gets: the
# library with its SONAME and versioned efc_-only exports, the headers, the
# static library, efc.pc, and the examples built with `pkg-config efc` alone.
# usage: check_install.sh BUILD_DIR SOURCE_DIR
set -eu
build=$1
src=$2
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
fail() { echo "check_install: $*" >&2; exit 1; }

meson install -C "$build" --destdir "$stage" --no-rebuild >"$stage.log" 2>&1 ||
    { cat "$stage.log" >&2; rm -f "$stage.log"; fail "meson install failed"; }
rm -f "$stage.log"

pc=$(find "$stage" -name efc.pc | head -n 1)
[ -n "$pc" ] || fail "efc.pc not installed"
libdir=$(dirname "$(dirname "$pc")")
so="$libdir/libefc.so.0"
[ -f "$so" ] || fail "$so not installed"
[ -f "$libdir/libefc.a" ] || fail "static library not installed"
readelf -d "$so" | grep -q 'Library soname: \[libefc.so.0\]' || fail "SONAME is not libefc.so.0"

# Every defined dynamic symbol is an efc_ function of version EFC_0 (the
# version node itself, EFC_0, is the only other entry).
bad=$(objdump -T "$so" | awk '$4 != "*UND*" && NF >= 7 && $NF != "EFC_0" && !($NF ~ /^efc_/ && $(NF-1) == "EFC_0")')
[ -z "$bad" ] || fail "unexpected exports: $bad"
objdump -T "$so" | awk '$4 == ".text"' | grep -q efc_model_default || fail "no efc_ exports"

grep -q '^Libs.private:.*-lcsv' "$pc" || fail "efc.pc lacks -lcsv in Libs.private"
incdir=$(find "$stage" -type d -path '*/include/efc' | head -n 1)
for h in efc.h common.h error.h model.h score.h version.h; do
    [ -f "$incdir/$h" ] || fail "header $h not installed"
done

find "$stage" -path '*/man1/efc.1' | grep -q . || fail "man page efc(1) not installed"
find "$stage" -path '*/bin/efc' | grep -q . || fail "efc tool not installed"

export PKG_CONFIG_PATH="$(dirname "$pc")"
export PKG_CONFIG_SYSROOT_DIR="$stage"
cflags=$(pkg-config --cflags efc)
libs=$(pkg-config --libs efc)
for example in "$src"/examples/c/*.c; do
    name=$(basename "$example" .c)
    # shellcheck disable=SC2086
    cc -std=c11 -Wall -Wextra -Werror $cflags "$example" $libs -o "$stage/$name" ||
        fail "$name does not compile with pkg-config efc"
    LD_LIBRARY_PATH="$libdir" "$stage/$name" >"$stage/$name.out" || fail "$name failed"
    # and statically, with the private libraries pkg-config lists
    # shellcheck disable=SC2086
    cc -std=c11 $cflags "$example" "$libdir/libefc.a" \
        $(pkg-config --static --libs-only-l efc | sed 's/-lefc//') -o "$stage/$name-static" ||
        fail "$name does not link statically"
    "$stage/$name-static" >"$stage/$name-static.out" || fail "$name (static) failed"
    cmp -s "$stage/$name.out" "$stage/$name-static.out" || fail "$name: static and shared differ"
done
# The Python package, where Debian's python3 searches (checked here under
# the staging directory), importable with the staged library.
pkg=$(find "$stage" -type d -path '*dist-packages/efc' | head -n 1)
python_note=""
if [ -n "$pkg" ]; then
    for f in __init__.py _cdef.h _config.py py.typed model.py; do
        [ -f "$pkg/$f" ] || fail "Python package: $f not installed"
    done
    case "$pkg" in
    */lib/python3/dist-packages/efc | */lib/python3.*/dist-packages/efc) ;;
    *) fail "Python package installed where Debian's python3 does not look: $pkg" ;;
    esac
    PYTHONPATH=$(dirname "$pkg") EFC_LIBRARY="$so" /usr/bin/python3 -c '
import efc
assert efc.__version__ == "'"$(pkg-config --modversion efc)"'"
m = efc.Model.default()
assert 0 <= m.score({"soc_needs": 3})["soc_needs"] <= 1
' || fail "the installed Python package does not work"
    python_note="; Python package in $(echo "$pkg" | sed "s|$stage||")"
elif [ "${EFC_EXPECT_PYTHON:-}" = 1 ]; then
    fail "the Python package was not installed"
fi
echo "installed: $so, $(basename "$pc"), $(ls "$incdir" | wc -l) headers; examples build and run$python_note"
