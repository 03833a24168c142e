#!/bin/sh
# Build the fuzz targets with libFuzzer, ASan and UBSan (clang) into
# build-fuzz/ and run each for SECONDS (default 600), starting from the
# committed corpus; new inputs go to build-fuzz/corpus/<target>/, crashes
# to build-fuzz/artifacts/. Prints each target's executions and outcome.
# usage: sh tools/fuzz.sh [SECONDS] [TARGET...]
#        (targets: codebook survey survey_model trajectory index)
set -eu
cd "$(dirname "$0")/.."
seconds=${1:-600}
[ $# -gt 0 ] && shift
targets=${*:-codebook survey survey_model trajectory index}
if [ ! -f build-fuzz/build.ninja ]; then
    CC=clang CXX=clang++ meson setup build-fuzz -Dfuzzing_engine=libfuzzer \
        -Db_sanitize=address,undefined -Db_lundef=false -Dbuildtype=debugoptimized \
        -Dc_args=-fsanitize=fuzzer-no-link -Dcli=false >/dev/null
fi
meson compile -C build-fuzz >/dev/null
mkdir -p build-fuzz/artifacts
status=0
for t in $targets; do
    mkdir -p "build-fuzz/corpus/$t"
    log="build-fuzz/fuzz-$t.log"
    echo "== fuzz_$t for ${seconds}s (log: $log)"
    if UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
        "build-fuzz/tests/fuzz/fuzz_$t" -max_total_time="$seconds" -timeout=10 \
        -rss_limit_mb=2048 -max_len=65536 -print_final_stats=1 \
        -artifact_prefix="build-fuzz/artifacts/$t-" \
        "build-fuzz/corpus/$t" "tests/fuzz/corpus/$t" >"$log" 2>&1; then
        echo "no crash"
    else
        echo "FAILED: see $log and build-fuzz/artifacts/"
        status=1
    fi
    grep -E "^(Done|stat::number_of_executed_units|stat::peak_rss_mb)" "$log" || true
    grep -E "cov: [0-9]+" "$log" | tail -n 1 || true
done
exit $status
