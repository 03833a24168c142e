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
so="$libdir/libefc.so.1"
[ -f "$so" ] || fail "$so not installed"
[ -f "$libdir/libefc.a" ] || fail "static library not installed"
readelf -d "$so" | grep -q 'Library soname: \[libefc.so.1\]' || fail "SONAME is not libefc.so.1"

# Every defined dynamic symbol is an efc_ function of one of the two tiers'
# version nodes, EFC_1 (stable) and EFC_EXPERIMENTAL_* (docs/c-api.md,
# "Tiers"; which release's, and which function in which, the symbols test
# checks); the nodes themselves are the only other entries.
bad=$(objdump -T "$so" | awk '$4 != "*UND*" && NF >= 7 &&
    !(($NF == "EFC_1" || $NF ~ /^EFC_EXPERIMENTAL_/) && $(NF-1) == $NF) &&
    !($NF ~ /^efc_/ && ($(NF-1) == "EFC_1" || $(NF-1) ~ /^EFC_EXPERIMENTAL_/))')
[ -z "$bad" ] || fail "unexpected exports: $bad"
objdump -T "$so" | awk '$4 == ".text" && $(NF-1) == "EFC_1"' | grep -q efc_model_default ||
    fail "efc_model_default is not in the stable node EFC_1"
objdump -T "$so" | awk '$4 == ".text" && $(NF-1) ~ /^EFC_EXPERIMENTAL_/' |
    grep -q efc_panel_create || fail "efc_panel_create is not in the experimental node"

grep -q '^Libs.private:.*-lcsv' "$pc" || fail "efc.pc lacks -lcsv in Libs.private"
incdir=$(find "$stage" -type d -path '*/include/efc' | head -n 1)
for h in efc.h common.h error.h model.h score.h version.h; do
    [ -f "$incdir/$h" ] || fail "header $h not installed"
done

find "$stage" -path '*/man1/efc.1' | grep -q . || fail "man page efc(1) not installed"
find "$stage" -path '*/bin/efc' | grep -q . || fail "efc tool not installed"

# The documentation and the examples, where Debian packages put them,
# with the relative links between them intact (docs/ beside examples/).
docdir=$(find "$stage" -type d -path '*/share/doc/libefc' | head -n 1)
[ -n "$docdir" ] || fail "documentation not installed"
for f in README.md CHANGELOG.md docs/c-api.md docs/cli.md docs/python.md docs/img \
    examples/c/score_one.c examples/c/Makefile examples/data/survey.csv; do
    [ -e "$docdir/$f" ] || fail "documentation: $f not installed"
done

# The installed prefix as a private prefix would be: pkg-config told where
# it really is, as for any relocated prefix.
export PKG_CONFIG_PATH="$(dirname "$pc")"
prefix=$(pkg-config --variable=prefix efc)
pc_args="--define-variable=prefix=$stage$prefix"
cflags=$(pkg-config $pc_args --cflags efc)
libs=$(pkg-config $pc_args --libs efc)
rpath=$(pkg-config $pc_args --variable=rpath efc)
static=$(pkg-config $pc_args --cflags --libs efc-static)
[ "$rpath" = "-Wl,-rpath,$libdir" ] || fail "efc.pc: rpath is '$rpath', not -Wl,-rpath,$libdir"

# The headers need C99 or C++11 (docs/c-api.md), and nothing more, in
# both tiers: the stable one alone, and with EFC_EXPERIMENTAL.
printf '#include <efc/efc.h>\nint main(void) { return efc_version_number() ? 0 : 1; }\n' \
    >"$stage/std.c"
printf '#define EFC_EXPERIMENTAL\n#include <efc/efc.h>\nint main(void) { return efc_panel_size(0) ? 1 : 0; }\n' \
    >"$stage/std_x.c"
cp "$stage/std.c" "$stage/std.cpp"
cp "$stage/std_x.c" "$stage/std_x.cpp"
for compiler in cc clang; do
    command -v "$compiler" >/dev/null 2>&1 || continue
    for f in std std_x; do
        # shellcheck disable=SC2086
        "$compiler" -std=c99 -pedantic -Wall -Wextra -Werror $cflags -c "$stage/$f.c" \
            -o "$stage/std.o" || fail "the headers ($f.c) do not compile as C99 with $compiler"
    done
done
for compiler in c++ clang++; do
    command -v "$compiler" >/dev/null 2>&1 || continue
    for f in std std_x; do
        # shellcheck disable=SC2086
        "$compiler" -std=c++11 -pedantic -Wall -Wextra -Werror $cflags -c "$stage/$f.cpp" \
            -o "$stage/std.o" || fail "the headers ($f.cpp) do not compile as C++11 with $compiler"
    done
done
# Without EFC_EXPERIMENTAL, efc.h declares no experimental function, and an
# experimental header included directly stops the build with the hint.
printf '#include <efc/efc.h>\nint main(void) { return efc_panel_size(0) ? 1 : 0; }\n' \
    >"$stage/tier.c"
# shellcheck disable=SC2086
! cc -std=c99 -Werror $cflags -c "$stage/tier.c" -o "$stage/tier.o" 2>/dev/null ||
    fail "efc.h declares the experimental tier without EFC_EXPERIMENTAL"
for h in panel trajectory quality sensitivity; do
    printf '#include <efc/%s.h>\n' "$h" >"$stage/tier.c"
    # shellcheck disable=SC2086
    msg=$(cc -std=c99 $cflags -c "$stage/tier.c" -o "$stage/tier.o" 2>&1) &&
        fail "efc/$h.h compiles without EFC_EXPERIMENTAL"
    echo "$msg" | grep -q "define EFC_EXPERIMENTAL" || fail "efc/$h.h: no hint in: $msg"
done

for example in "$src"/examples/c/*.c; do
    name=$(basename "$example" .c)
    # shellcheck disable=SC2086
    cc -std=c11 -Wall -Wextra -Werror $cflags "$example" $libs $rpath -o "$stage/$name" ||
        fail "$name does not compile with pkg-config efc"
    # found through its run path alone, in this prefix (not a system copy)
    ldd "$stage/$name" | grep -q "libefc.so.1 => $libdir/libefc.so.1" ||
        fail "$name does not find $libdir/libefc.so.1 through its run path"
    "$stage/$name" >"$stage/$name.out" || fail "$name failed"
    # and statically, with efc-static: this prefix's libefc.a and what it needs
    # shellcheck disable=SC2086
    cc -std=c11 "$example" $static -o "$stage/$name-static" ||
        fail "$name does not link statically with pkg-config efc-static"
    ! readelf -d "$stage/$name-static" | grep -q 'NEEDED.*libefc' ||
        fail "$name-static still needs libefc.so"
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
echo "installed: $so, $(basename "$pc"), efc-static.pc, $(ls "$incdir" | wc -l) headers, docs; headers C99 and C++11 (both tiers, experimental refused without EFC_EXPERIMENTAL); examples build and run (run path, static)$python_note"
