#!/bin/sh
# Regenerate the images of docs/reports.md from the bundled example: a
# Chromium screenshot of the report (English: the overview and the first
# actor; French: one actor's section after the overview) and two charts as SVG files.
# usage: sh tools/doc_images.sh   (after tools/setup.sh)
set -eu
cd "$(dirname "$0")/.."
efc=build/cli/efc
survey=examples/data/survey.csv
img=docs/img
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$img"
shot() { # HTML PNG HEIGHT
    HOME="$tmp" chromium --headless --no-sandbox --disable-gpu --disable-javascript \
        --hide-scrollbars --force-device-scale-factor=1 --window-size="1280,$3" \
        --screenshot="$2" "file://$1" >/dev/null 2>&1
}
"$efc" report -q --group sector "$survey" -o "$tmp/report.html"
shot "$tmp/report.html" "$img/report-en.png" 2250
"$efc" report -q --group sector --lang fr --actors ressourcerie-est "$survey" \
    -o "$tmp/rapport.html"
shot "$tmp/rapport.html" "$img/report-fr-section.png" 1500
"$efc" chart radar -q --actor ressourcerie-est --group sector "$survey" -o "$img/radar.svg"
"$efc" chart trajectory -q --actor ressourcerie-est "$survey" -o "$img/trajectory.svg"
ls -l "$img"
