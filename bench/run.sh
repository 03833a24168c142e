#!/bin/sh
# efc score against the tools a user would otherwise reach for, on a
# generated survey of the default model (bench/README.md):
#  - efc score, the full run (read, check, score, write), with the default
#    reader thread and with --jobs 1;
#  - the library alone through efc_survey_read (api_read.c), as the Python
#    package and other programs use it, writing nothing;
#  - the same scoring hand-written with pandas and numpy, vectorised;
#  - libcsv parsing the file with callbacks that do nothing (the floor).
# Then peak memory at ROWS and at 4 x ROWS, and instructions per row from
# callgrind on ROWS / 10 rows (steady on a noisy machine).
# usage: sh bench/run.sh [ROWS]     (default 1000000; run from anywhere)
#        EFC_BENCH_RUNS=N sets hyperfine's runs (default 5)
set -eu
cd "$(dirname "$0")/.."
rows=${1:-1000000}
runs=${EFC_BENCH_RUNS:-5}
out=bench/out
mkdir -p "$out"
[ -x build/cli/efc ] || sh tools/setup.sh
meson compile -C build >/dev/null
cc -O2 -o "$out/gen_survey" bench/gen_survey.c
cc -O2 -o "$out/csv_noop" bench/csv_noop.c -lcsv
cc -O2 -Iinclude -o "$out/api_read" bench/api_read.c -Lbuild/libefc -lefc -lm \
    -Wl,-rpath,"$(pwd)/build/libefc"
gen() { [ -f "$out/survey-$1.csv" ] || "$out/gen_survey" "$1" >"$out/survey-$1.csv"; }
big=$((rows * 4))
small=$((rows / 10))
gen "$rows"
gen "$big"
gen "$small"
survey="$out/survey-$rows.csv"
efc=build/cli/efc
python=/usr/bin/python3
"$efc" model --export -o "$out/default.csv"

echo "== checking that the scorers agree"
"$efc" score -q "$survey" -o "$out/efc.csv"
"$efc" score -q -j1 "$survey" -o "$out/efc-j1.csv"
cmp "$out/efc.csv" "$out/efc-j1.csv" && echo "efc score: --jobs 1 and 2 write the same bytes"
$python bench/pandas_score.py "$out/default.csv" "$survey" "$out/pandas.csv"
$python bench/compare.py "$out/efc.csv" "$out/pandas.csv"
"$out/api_read" "$survey" 2
"$out/csv_noop" "$survey"

echo "== timing (hyperfine: 1 warm-up, $runs runs)"
hyperfine --warmup 1 --runs "$runs" --export-json "$out/times.json" --style basic \
    -n "efc score" "$efc score -q $survey -o /dev/null" \
    -n "efc score --jobs 1" "$efc score -q -j1 $survey -o /dev/null" \
    -n "library API (efc_survey_read)" "$out/api_read $survey 2" \
    -n "pandas/numpy" "$python bench/pandas_score.py $out/default.csv $survey /dev/null" \
    -n "libcsv no-op parse" "$out/csv_noop $survey" >/dev/null

echo "== peak memory"
peak() { /usr/bin/time -f %M "$@" 2>&1 >/dev/null | tail -n 1; }
rss_efc=$(peak "$efc" score -q "$survey" -o /dev/null)
rss_efc1=$(peak "$efc" score -q -j1 "$survey" -o /dev/null)
rss_api=$(peak "$out/api_read" "$survey" 2)
rss_pandas=$(peak $python bench/pandas_score.py "$out/default.csv" "$survey" /dev/null)
rss_noop=$(peak "$out/csv_noop" "$survey")
rss_big=$(peak "$efc" score -q "$out/survey-$big.csv" -o /dev/null)
rss_big1=$(peak "$efc" score -q -j1 "$out/survey-$big.csv" -o /dev/null)

echo "== instructions (callgrind, $small rows)"
# total over all threads, and the busiest thread (the one that sets the pace)
instr() {
    rm -f "$out"/cg.out*
    valgrind --tool=callgrind --separate-threads=yes --callgrind-out-file="$out/cg.out" \
        "$@" >/dev/null 2>&1
    $python bench/callgrind_total.py "$out"/cg.out*
}
ins_efc=$(instr "$efc" score -q "$out/survey-$small.csv" -o /dev/null)
ins_efc1=$(instr "$efc" score -q -j1 "$out/survey-$small.csv" -o /dev/null)
ins_api=$(instr "$out/api_read" "$out/survey-$small.csv" 2)
ins_noop=$(instr "$out/csv_noop" "$out/survey-$small.csv")
rm -f "$out"/cg.out*
echo
$python bench/report.py "$out/times.json" "$rows" "$(wc -c <"$survey")" "$small" "$big" \
    "$rss_efc,$rss_big" "$rss_efc1,$rss_big1" "$rss_api" "$rss_pandas" "$rss_noop" \
    "$ins_efc" "$ins_efc1" "$ins_api" "-" "$ins_noop"
