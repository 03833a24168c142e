#!/bin/sh
# Build the efc wheel as a Python user would (pyproject.toml, meson-python,
# Debian's python3 -m build without isolation), install it into a fresh
# virtual environment that sees Debian's numpy, pandas and cffi, and run
# the Python suite against the installed package: from a directory outside
# the source tree, without EFC_LIBRARY or PYTHONPATH, checking first that
# the package imported is the environment's and the library loaded the
# one inside it.
# usage: [EFC_CLI=build/cli/efc] check_wheel.sh [SOURCE_DIR] [PYTEST_ARGS...]
# EFC_CLI, when set, is passed on to the tests that cross-check the tool
# (they skip without it); the data the tests read come from SOURCE_DIR.
set -eu
src=$(cd "${1:-$(dirname "$0")/..}" && pwd)
[ $# -gt 0 ] && shift
python=/usr/bin/python3
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "check_wheel: $*" >&2; exit 1; }
if [ -n "${EFC_CLI:-}" ]; then
    EFC_CLI=$(cd "$(dirname "$EFC_CLI")" && pwd)/$(basename "$EFC_CLI")
    [ -x "$EFC_CLI" ] || fail "EFC_CLI=$EFC_CLI is not a program"
    export EFC_CLI
fi

# The wheel; -Dwerror=true as every build of CI (the flags of the wheel's
# build are meson-python's: -O2, no debugging information).
"$python" -m build --wheel --no-isolation --outdir "$work/dist" \
    -C setup-args=-Dwerror=true "$src" >"$work/build.log" 2>&1 ||
    { cat "$work/build.log" >&2; fail "the wheel does not build"; }
set -- "$work"/dist/efc-*.whl "$@"
wheel=$1
shift
[ -f "$wheel" ] || fail "no wheel in $work/dist"
files=$("$python" -m zipfile -l "$wheel" | awk 'NR > 1 { print $1 }')
for f in efc/__init__.py efc/_cdef.h efc/_config.py efc/libefc.so.1 efc/py.typed; do
    echo "$files" | grep -qx "$f" || fail "$(basename "$wheel") lacks $f"
done
# the package and its library, nothing else (no tool, headers, docs)
other=$(echo "$files" | grep -v -e '^efc/[^/]*$' -e '^efc-[^/]*\.dist-info/' || true)
[ -z "$other" ] || fail "$(basename "$wheel") holds more than the package: $other"

# A fresh environment with Debian's packages (numpy, pandas, cffi, pytest,
# hypothesis, matplotlib), and the wheel without any index.
"$python" -m venv --system-site-packages "$work/venv"
venv_python="$work/venv/bin/python"
"$venv_python" -m pip install --no-index --quiet "$wheel" >"$work/pip.log" 2>&1 ||
    { cat "$work/pip.log" >&2; fail "pip cannot install $(basename "$wheel")"; }

mkdir "$work/run"
cd "$work/run"
unset EFC_LIBRARY PYTHONPATH
site=$("$venv_python" -c 'import sysconfig; print(sysconfig.get_paths()["platlib"])')
"$venv_python" - "$site" <<'EOF' || fail "the environment does not import the wheel's package and library"
import os, sys
import efc
site = sys.argv[1]
package = os.path.join(site, "efc")
assert os.path.dirname(os.path.abspath(efc.__file__)) == package, efc.__file__
info = efc.library_info()
assert info.path == os.path.join(package, "libefc.so.1"), info
assert info.version == efc.__version__, info
# no other libefc in the process
with open("/proc/self/maps") as maps:
    mapped = {line.split()[-1] for line in maps if "libefc" in line}
assert mapped == {info.path}, mapped
m = efc.Model.default()
assert 0 <= m.score({"soc_needs": 3})["soc_needs"] <= 1
print(f"check_wheel: efc {efc.__version__} from {package}, library {info.path}")
EOF

EFC_SOURCE_ROOT=$src MPLBACKEND=Agg "$venv_python" -m pytest -q -p no:cacheprovider \
    "$src/bindings/python/tests" "$@" || fail "the Python suite fails against the installed wheel"
echo "check_wheel: $(basename "$wheel") installed in a virtual environment passes the Python suite${EFC_CLI:+ (with EFC_CLI)}"
