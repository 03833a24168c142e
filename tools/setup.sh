#!/bin/sh
# Set up a Debian 12 machine for libefc and build it into build/.
# Installs only the Debian packages that are missing (as root), generates the
# French locale the tests use, configures the build once and compiles.
set -eu
cd "$(dirname "$0")/.."

packages="meson ninja-build gcc g++ clang pkg-config binutils locales
  libcsv-dev libcmocka-dev
  python3 python3-cffi python3-numpy python3-pandas python3-pytest python3-hypothesis
  python3-matplotlib python3-pil chromium python3-dask python3-distributed
  python3-mesonpy python3-build python3-venv patchelf python3-cloudpickle
  jupyter-nbconvert python3-nbformat python3-ipykernel
  hyperfine time valgrind abigail-tools"

missing=""
for p in $packages; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" ||
        missing="$missing $p"
done
if [ -n "$missing" ]; then
    if [ "$(id -u)" != 0 ]; then
        echo "setup: missing Debian packages:$missing (run as root to install them)" >&2
        exit 1
    fi
    echo "setup: installing$missing"
    apt-get update -qq
    # shellcheck disable=SC2086
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing >/dev/null
fi

# Tests check that numbers do not depend on the process locale, under a
# French locale (decimal comma).
if ! locale -a 2>/dev/null | grep -qix 'fr_FR.utf8'; then
    if [ "$(id -u)" = 0 ]; then
        grep -q '^fr_FR.UTF-8 UTF-8' /etc/locale.gen 2>/dev/null ||
            echo 'fr_FR.UTF-8 UTF-8' >>/etc/locale.gen
        locale-gen >/dev/null
    else
        echo "setup: warning: locale fr_FR.UTF-8 missing; a test will fail" >&2
    fi
fi

[ -f build/build.ninja ] || meson setup build -Dwerror=true >/dev/null
meson compile -C build >/dev/null
echo "setup: built in build/" >&2
