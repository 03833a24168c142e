#!/bin/sh
# efc sensitivity against the same analysis written in vectorised numpy
# (bench/sensitivity_numpy.py), on a generated survey of the default model:
# ACTORS actors with three periods each, the latest ranked, the seven
# weights of axes and blocks perturbed by +/-25 %, RUNS runs (bench/README.md,
# "Sensitivity"). Both are first run on the same weights (numpy reads the
# runs file of efc sensitivity) and must agree on every figure; then both
# are timed end to end (read the survey, score it, analyse, write).
# usage: sh bench/run-sensitivity.sh [ACTORS] [RUNS]   (default 1000 10000)
#        EFC_BENCH_RUNS=N sets hyperfine's runs (default 5)
set -eu
cd "$(dirname "$0")/.."
actors=${1:-1000}
samples=${2:-10000}
runs=${EFC_BENCH_RUNS:-5}
out=bench/out
mkdir -p "$out"
[ -x build/cli/efc ] || sh tools/setup.sh
meson compile -C build >/dev/null
cc -O2 -o "$out/gen_survey" bench/gen_survey.c
survey="$out/sensitivity-$actors.csv"
"$out/gen_survey" $((actors * 3)) >"$survey"
efc=build/cli/efc
python=/usr/bin/python3
"$efc" model --export -o "$out/default.csv"

echo "== checking that both give the same figures on the same weights"
"$efc" sensitivity -q --samples "$samples" --runs "$out/sens-runs.csv" -o "$out/sens-efc.csv" \
    "$survey"
"$efc" sensitivity -q -j1 --samples "$samples" -o "$out/sens-efc-j1.csv" "$survey"
cmp "$out/sens-efc.csv" "$out/sens-efc-j1.csv" &&
    echo "efc sensitivity: -j 1 and all cores write the same bytes"
(cd bench && $python sensitivity_numpy.py "../$out/default.csv" "../$survey" \
    "../$out/sens-numpy-same.csv" --samples "$samples" --weights "../$out/sens-runs.csv")
$python - "$out/sens-efc.csv" "$out/sens-numpy-same.csv" <<'PY'
import sys
import numpy as np
import pandas as pd
a = pd.read_csv(sys.argv[1]).set_index("id")
b = pd.read_csv(sys.argv[2]).set_index("id").loc[a.index]
cols = ["score", "nominal_rank", "median_rank", "rank_p05", "rank_p95", "mean_rank",
        "rank_min", "rank_max", "p_top_k", "ranked_runs"]
worst = max(float(np.nanmax(np.abs(a[c].to_numpy(float) - b[c].to_numpy(float)))) for c in cols)
print(f"efc and numpy agree on {len(a)} actors x {len(cols)} figures: largest difference {worst:.3g}")
sys.exit(0 if worst <= 1e-9 else 1)
PY

echo "== timing (hyperfine: 1 warm-up, $runs runs)"
hyperfine --warmup 1 --runs "$runs" --export-json "$out/sens-times.json" --style basic \
    -n "efc sensitivity" "$efc sensitivity -q --samples $samples -o /dev/null $survey" \
    -n "efc sensitivity -j 1" "$efc sensitivity -q -j1 --samples $samples -o /dev/null $survey" \
    -n "numpy" "cd bench && $python sensitivity_numpy.py ../$out/default.csv ../$survey /dev/null --samples $samples" \
    >/dev/null

echo "== peak memory"
peak() { /usr/bin/time -f %M "$@" 2>&1 >/dev/null | tail -n 1; }
rss_efc=$(peak "$efc" sensitivity -q --samples "$samples" -o /dev/null "$survey")
rss_np=$(cd bench && peak $python sensitivity_numpy.py "../$out/default.csv" "../$survey" \
    /dev/null --samples "$samples")

$python - "$out/sens-times.json" "$rss_efc" "$rss_np" "$actors" "$samples" <<'PY'
import json
import sys
t = {r["command"]: r for r in json.load(open(sys.argv[1]))["results"]}
rss = {"efc sensitivity": int(sys.argv[2]) / 1024, "numpy": int(sys.argv[3]) / 1024}
np_mean = t["numpy"]["mean"]
print(f"\n{sys.argv[4]} actors x {sys.argv[5]} runs\n")
print("| tool | time (s) | numpy / tool | peak RSS (MB) |")
print("|---|---|---|---|")
for name, r in t.items():
    mb = f"{rss[name]:.0f}" if name in rss else ""
    print(f"| {name} | {r['mean']:.3f} ± {r['stddev']:.3f} | {np_mean / r['mean']:.1f}x | {mb} |")
ratio = np_mean / t["efc sensitivity"]["mean"]
print(f"\n{'PASS' if ratio >= 10 else 'FAIL'}  efc sensitivity at least 10x faster than numpy: "
      f"{ratio:.1f}x")
PY
