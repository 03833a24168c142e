#!/bin/sh
# efc score against the tools a user would otherwise reach for, on a
# generated survey of the default model (bench/README.md):
#  - efc score, the full run: read, check, score, write;
#  - the same scoring hand-written with pandas and numpy, vectorised;
#  - libcsv parsing the file with callbacks that do nothing (the floor).
# usage: sh bench/run.sh [ROWS]     (default 1000000; run from anywhere)
set -eu
cd "$(dirname "$0")/.."
rows=${1:-1000000}
out=bench/out
mkdir -p "$out"
[ -x build/cli/efc ] || sh tools/setup.sh
meson compile -C build >/dev/null
cc -O2 -o "$out/gen_survey" bench/gen_survey.c
cc -O2 -o "$out/csv_noop" bench/csv_noop.c -lcsv
survey="$out/survey-$rows.csv"
[ -f "$survey" ] || "$out/gen_survey" "$rows" >"$survey"
efc=build/cli/efc
python=/usr/bin/python3
"$efc" model --export -o "$out/default.csv"

echo "== checking that the scorers agree"
"$efc" score -q "$survey" -o "$out/efc.csv"
$python bench/pandas_score.py "$out/default.csv" "$survey" "$out/pandas.csv"
$python bench/compare.py "$out/efc.csv" "$out/pandas.csv"
"$out/csv_noop" "$survey"

echo "== timing (hyperfine: 1 warm-up, 3 runs)"
hyperfine --warmup 1 --runs 3 --export-json "$out/times.json" --style basic \
    -n "efc score" "$efc score -q $survey -o /dev/null" \
    -n "pandas/numpy" "$python bench/pandas_score.py $out/default.csv $survey /dev/null" \
    -n "libcsv no-op parse" "$out/csv_noop $survey" >/dev/null

peak() { /usr/bin/time -f %M "$@" 2>&1 >/dev/null | tail -n 1; }
rss_efc=$(peak "$efc" score -q "$survey" -o /dev/null)
rss_pandas=$(peak $python bench/pandas_score.py "$out/default.csv" "$survey" /dev/null)
rss_noop=$(peak "$out/csv_noop" "$survey")
echo
$python bench/report.py "$out/times.json" "$rows" "$(wc -c <"$survey")" \
    "$rss_efc" "$rss_pandas" "$rss_noop"
