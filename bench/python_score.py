#!/usr/bin/env python3
"""The Python package against the same scoring hand-written in vectorised
numpy (bench/pandas_score.py's score(), which follows libefc's rules), on a
frame of ROWS assessments of the default model held in memory; and the cost
of scoring one assessment from a dict. Prints the figures side by side and
checks the targets of the Python issue (score_frame at least 2x faster than
numpy, score(dict) at most 20 us per call).

usage: PYTHONPATH=build/bindings/python EFC_LIBRARY=build/libefc/libefc.so.1 \\
       python3 bench/python_score.py [ROWS]      (bench/run-python.sh sets these)
"""
import os
import sys
import tempfile
import time

import numpy as np
import pandas as pd

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import efc  # noqa: E402
import pandas_score  # noqa: E402


def best_of(runs, fn):
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t)
    return min(times), result


def main() -> int:
    rows = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
    model = efc.Model.default()
    rng = np.random.default_rng(2026)
    answers = rng.integers(0, 5, size=(rows, len(model.leaf_ids))).astype(float)
    answers[rng.random(answers.shape) < 0.02] = np.nan
    frame = pd.DataFrame(answers, columns=model.leaf_ids)
    frame.insert(0, "id", np.arange(rows) // 3)
    frame.insert(1, "period", 2022 + np.arange(rows) % 3)

    with tempfile.NamedTemporaryFile("w", suffix=".csv", delete=False) as f:
        f.write(model.to_codebook())
    nodes = pandas_score.load_codebook(f.name)
    os.unlink(f.name)

    t_efc, ours = best_of(3, lambda: model.score_frame(frame))
    t_numpy, theirs = best_of(3, lambda: pandas_score.score(nodes, frame))
    worst = max(float(np.nanmax(np.abs(ours[g].to_numpy() - theirs[g]))) for g in model.group_ids)
    t_array, _ = best_of(3, lambda: model.score_array(answers))

    one = dict(zip(model.leaf_ids, answers[0]))
    calls = 20000
    t_dict, _ = best_of(3, lambda: [model.score(one) for _ in range(calls)])
    per_call = t_dict / calls * 1e6

    print(f"{rows:,} assessments of the default model (29 items), in memory\n")
    print("| scorer | time (s) | rows/s | vs numpy |")
    print("|---|---|---|---|")
    for name, t in [("efc Model.score_frame (DataFrame in, DataFrame out)", t_efc),
                    ("efc Model.score_array (ndarray in, ndarray out)", t_array),
                    ("numpy, vectorised by hand (pandas_score.score)", t_numpy)]:
        print(f"| {name} | {t:.3f} | {rows / t:,.0f} | {t_numpy / t:.1f}x |")
    print(f"\nefc Model.score(dict): {per_call:.1f} us per call ({calls:,} calls)")
    print(f"largest difference between the scorers: {worst:.1e}\n")
    checks = [("score_frame at least 2x faster than numpy", t_numpy / t_efc >= 2,
               f"{t_numpy / t_efc:.1f}x"),
              ("score(dict) at most 20 us per call", per_call <= 20, f"{per_call:.1f} us"),
              ("the scorers agree (1e-12)", worst <= 1e-12, f"{worst:.1e}")]
    for what, ok, got in checks:
        print(f"{'PASS' if ok else 'FAIL'}  {what}: {got}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
