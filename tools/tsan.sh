#!/bin/sh
# Build with clang under ThreadSanitizer into build-tsan/ and run the suites
# that use threads: the threading test, survey reading with a reader thread,
# the sensitivity analysis (its runs shared among threads) and the
# command-line tool (which reads with a reader thread by default).
set -eu
cd "$(dirname "$0")/.."
if [ ! -f build-tsan/build.ninja ]; then
    CC=clang CXX=clang++ meson setup build-tsan -Db_sanitize=thread -Db_lundef=false \
        -Dbuildtype=debug -Dwerror=true >/dev/null
fi
meson compile -C build-tsan >/dev/null
# atexit_sleep_ms=0: the CLI keeps a signal thread (cli/files.c), and TSan would
# otherwise sleep a second at the exit of every process that has one.
TSAN_OPTIONS=halt_on_error=1:second_deadlock_stack=1:atexit_sleep_ms=0 \
    meson test -C build-tsan --print-errorlogs threads survey sensitivity index cli "$@"
