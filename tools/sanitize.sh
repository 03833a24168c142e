#!/bin/sh
# Build with clang under AddressSanitizer and UndefinedBehaviorSanitizer
# (every finding fatal) into build-asan/ and run the whole test suite there.
set -eu
cd "$(dirname "$0")/.."
if [ ! -f build-asan/build.ninja ]; then
    CC=clang CXX=clang++ meson setup build-asan \
        -Db_sanitize=address,undefined -Db_lundef=false -Dbuildtype=debug -Dwerror=true \
        -Dc_args=-fno-sanitize-recover=all -Dcpp_args=-fno-sanitize-recover=all >/dev/null
fi
meson compile -C build-asan >/dev/null
ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 \
UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
    meson test -C build-asan --print-errorlogs "$@"
