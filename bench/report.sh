#!/bin/sh
# efc report on a large survey: 10,000 actors x 3 periods (30,000 rows) of
# the default model with a sector column (12 sectors), from gen_survey.c.
# Prints the time and peak memory of efc report, the report's size, and how
# long headless Chromium takes to open it and draw its first screen, and to
# jump to the last actor's section (bench/README.md, docs/reports.md).
# usage: sh bench/report.sh [ACTORS]     (default 10000; run from anywhere)
set -eu
cd "$(dirname "$0")/.."
actors=${1:-10000}
out=bench/out
mkdir -p "$out"
[ -x build/cli/efc ] || sh tools/setup.sh
meson compile -C build >/dev/null
cc -O2 -o "$out/gen_survey" bench/gen_survey.c
survey="$out/report-survey-$actors.csv"
# actor-0000042 is in sector s6 (42 mod 12), the same in all its periods
"$out/gen_survey" $((actors * 3)) |
    awk -F, -v OFS=, 'NR == 1 { $2 = $2 ",sector"; print; next }
                      { n = substr($1, 7) + 0; $2 = $2 ",s" (n % 12); print }' >"$survey"
efc=build/cli/efc
report="$out/report-$actors.html"
pages="$out/pages-$actors.html"
opened() { # FILE: seconds for headless Chromium to open FILE and draw its first screen
    start=$(date +%s.%N)
    HOME="$home" chromium --headless --no-sandbox --disable-gpu --disable-javascript \
        --window-size=1280,1600 --screenshot="$out/report-$actors.png" "$1" >/dev/null 2>&1
    end=$(date +%s.%N)
    echo "$end - $start" | bc
}
home=$(mktemp -d)
trap 'rm -rf "$home"' EXIT
echo "== $actors actors ($(wc -l <"$survey") lines)"
echo "-- one page: efc report --group sector"
/usr/bin/time -f "%e s elapsed, %M KB peak RSS" "$efc" report -q --group sector "$survey" \
    -o "$report"
echo "report: $(wc -c <"$report") bytes, $(grep -c '<svg ' "$report") charts"
echo "-- one page per actor: efc report --group sector --pages"
/usr/bin/time -f "%e s elapsed, %M KB peak RSS" "$efc" report -q --group sector --pages \
    "$survey" -o "$pages"
echo "overview: $(wc -c <"$pages") bytes; actor pages: $(ls "$out/pages-$actors-actors" | wc -l)," \
    "$(du -sb "$out/pages-$actors-actors" | cut -f1) bytes in all," \
    "$(wc -c <"$out/pages-$actors-actors/a$actors.html") bytes for the last one"
if command -v chromium >/dev/null 2>&1; then
    echo "chromium, open and draw the first screen:"
    echo "  the overview (--pages): $(opened "file://$(pwd)/$pages") s"
    echo "  an actor's page (--pages): $(opened "file://$(pwd)/$out/pages-$actors-actors/a$actors.html") s"
    [ "${EFC_BENCH_ONE_PAGE:-1}" = 0 ] ||
        echo "  the one-page report: $(opened "file://$(pwd)/$report") s"
fi
