#!/usr/bin/env python3
"""ROWS assessments of the default model scored through Dask (efc.dask.score_frame
on a distributed.LocalCluster of 1, then 2 worker processes of one thread each)
against the single-process package (Model.score_frame, Model.score_array) on
the same rows; prints the figures side by side (bench/README.md, "Dask").

The rows are made in PARTS partitions (answers 0-4, 2 % missing, each partition
from a seed of its own), where they live: in the workers for Dask (persisted
before timing), in this process for the package (the same partitions,
concatenated). Dask is timed twice: scored partitions kept in the workers
(client.persist, the way a pipeline goes on), and gathered into this process
(compute: a pandas frame of ROWS rows here, like Model.score_frame's). A scored
partition is checked bit for bit against the same rows of the package's result.

usage: sh bench/run-dask.sh [ROWS] [PARTS]     (default 10000000 20)
"""
import os
import sys
import time
import warnings

import numpy as np
import pandas as pd


def make_partition(i: int, rows: int, leaves) -> pd.DataFrame:
    rng = np.random.default_rng([2026, i])
    answers = rng.integers(0, 5, size=(rows, len(leaves))).astype(float)
    answers[rng.random(answers.shape) < 0.02] = np.nan
    frame = pd.DataFrame(answers, columns=leaves, index=pd.RangeIndex(i * rows, (i + 1) * rows))
    frame.insert(0, "id", np.arange(i * rows, (i + 1) * rows) // 3)
    frame.insert(1, "period", 2022 + np.arange(rows) % 3)
    return frame


def best_of(runs, fn):
    times, result = [], None
    for _ in range(runs):
        result = None
        t = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t)
    return min(times), result


def on_cluster(workers: int, rows: int, parts: int, model, reference):
    import dask.dataframe as dd
    import distributed

    import efc.dask
    per = rows // parts
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        cluster = distributed.LocalCluster(n_workers=workers, threads_per_worker=1,
                                           processes=True, dashboard_address=":0",
                                           silence_logs=40, memory_limit=0)
    with cluster, distributed.Client(cluster) as client:
        meta = make_partition(0, 0, model.leaf_ids)
        ddf = dd.from_map(make_partition, range(parts), rows=per, leaves=model.leaf_ids,
                          meta=meta, divisions=[i * per for i in range(parts)] + [rows - 1])
        ddf = client.persist(ddf)
        distributed.wait(ddf)  # the answers live in the workers, made there

        def kept():
            scored = client.persist(efc.dask.score_frame(model, ddf))
            distributed.wait(scored)
            return scored

        def gathered():
            return efc.dask.score_frame(model, ddf).compute()

        t_kept, scored = best_of(3, kept)
        t_gathered, frame = best_of(3, gathered)
        k = parts // 2
        one = scored.get_partition(k).compute()
        same = one.to_numpy().tobytes() == reference.iloc[k * per:(k + 1) * per].to_numpy().tobytes()
        same = same and frame.to_numpy().tobytes() == reference.to_numpy().tobytes()
        del frame
    return t_kept, t_gathered, same


def main() -> int:
    rows = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000_000
    parts = int(sys.argv[2]) if len(sys.argv) > 2 else 20
    rows -= rows % parts
    import efc
    model = efc.Model.default()
    per = rows // parts
    frame = pd.concat([make_partition(i, per, model.leaf_ids) for i in range(parts)])
    answers = frame[model.leaf_ids].to_numpy()

    t_frame, reference = best_of(3, lambda: model.score_frame(frame))
    t_frame1, _ = best_of(3, lambda: model.score_frame(frame, threads=1))
    t_array, _ = best_of(3, lambda: model.score_array(answers))
    del answers, frame

    results = {w: on_cluster(w, rows, parts, model, reference) for w in (1, 2)}

    print(f"{rows:,} assessments of the default model (29 items) in {parts} partitions, "
          f"{os.cpu_count()} cores, load average {os.getloadavg()[1]:.1f} (5 min) at the end\n")
    print("| scorer | time (s) | rows/s | vs score_frame |")
    print("|---|---|---|---|")
    lines = [("package: Model.score_frame, one process, threads=0 (one per core)", t_frame),
             ("package: Model.score_frame, one process, threads=1", t_frame1),
             ("package: Model.score_array (ndarray in, ndarray out), threads=0", t_array)]
    for w in (1, 2):
        kept, gathered, _ = results[w]
        lines += [(f"efc.dask.score_frame, LocalCluster {w} worker{'s' if w > 1 else ''} x 1 "
                   f"thread, kept in the workers (persist)", kept),
                  (f"efc.dask.score_frame, LocalCluster {w} worker{'s' if w > 1 else ''} x 1 "
                   f"thread, gathered here (compute)", gathered)]
    for name, t in lines:
        print(f"| {name} | {t:.3f} | {rows / t:,.0f} | {t_frame / t:.2f}x |")
    speedup = results[1][0] / results[2][0]
    print(f"\nDask, 2 workers against 1 (kept in the workers): {speedup:.2f}x")
    ok = all(r[2] for r in results.values())
    print(f"{'PASS' if ok else 'FAIL'}  the Dask results are the package's, bit for bit")
    return 0 if ok else 1


if __name__ == "__main__":  # the workers import this file: only the parent runs this
    sys.exit(main())
