#!/usr/bin/env python3
"""The weight sensitivity analysis of `efc sensitivity`, written the way an
analyst would write it with pandas and numpy, vectorised over runs and
actors: score the survey (pandas_score.py), take each actor's latest
assessment, draw the weights of the dimensions and blocks (uniform +/-
spread), re-aggregate the groups above them for every run and actor at once,
rank every run (competition ranks on scores rounded to 12 decimals, as
libefc decides ties), and summarise each actor's ranks (median, 5th and
95th percentiles by linear interpolation, R's type 7; mean; share in the
top k).

usage: sensitivity_numpy.py CODEBOOK SURVEY OUTPUT [--samples N] [--spread X]
           [--top K] [--seed S] [--weights RUNS.csv]

With --weights, the weights are read from the runs file of `efc sensitivity
--runs` (its matrix A rows) instead of being drawn: both programs then rank
the same runs, and bench/run-sensitivity.sh checks that they agree on every
figure. Prints the seconds spent on the analysis itself (after scoring) on
stderr.
"""
import argparse
import sys
import time

import numpy as np
import pandas as pd

from pandas_score import load_codebook, score


def latest(df, s, nodes):
    """Each actor's latest assessment: its row index, sorted by actor id."""
    order = df.assign(_row=np.arange(len(df))).sort_values(["id", "period"])
    last = order.groupby("id", sort=True).tail(1)
    rows = last["_row"].to_numpy()
    return last["id"].to_numpy(), last["period"].to_numpy(), rows


def inputs_of(nodes, root):
    """The default inputs: the root's children and every group below it."""
    parent = {n["id"]: n["parent"] for n in nodes}

    def below(k):
        while k:
            if k == root:
                return True
            k = parent[k]
        return False

    return [n["id"] for n in nodes
            if n["weight"] > 0 and n["id"] != root and below(n["id"])
            and (n["parent"] == root or n["group"])]


def reaggregate(nodes, base, inputs, W, root):
    """Scores of `root` for every run (rows of W) and actor: (R, A)."""
    by_id = {n["id"]: n for n in nodes}
    children = {}
    for n in nodes:
        if n["parent"]:
            children.setdefault(n["parent"], []).append(n)
    dirty = set()
    for i in inputs:
        k = by_id[i]["parent"]
        while k:
            dirty.add(k)
            if k == root:
                break
            k = by_id[k]["parent"]
    col = {k: i for i, k in enumerate(inputs)}
    val = {}

    def depth(k):
        d = 0
        while by_id[k]["parent"]:
            k, d = by_id[k]["parent"], d + 1
        return d

    for g in sorted(dirty, key=depth, reverse=True):
        kids = sorted((c for c in children[g] if c["weight"] > 0), key=lambda c: c["id"])
        vs = [val[c["id"]] if c["id"] in val else base[c["id"]][None, :] for c in kids]
        ws = [W[:, col[c["id"]]][:, None] if c["id"] in col else np.float64(c["weight"])
              for c in kids]
        total = sum(ws)
        present = [~np.isnan(v) for v in vs]
        sw = sum(np.where(p, w, 0.0) for p, w in zip(present, ws))
        agg = by_id[g]["aggregate"]
        with np.errstate(divide="ignore", invalid="ignore"):
            if agg == "mean":
                out = sum(np.where(p, w * v, 0.0) for p, w, v in zip(present, ws, vs)) / sw
            elif agg == "geomean":
                acc = sum(np.where(p & (v > 0), w * np.log(np.where(v > 0, v, 1.0)), 0.0)
                          for p, w, v in zip(present, ws, vs))
                out = np.exp(acc / sw)
                out = np.where(sum((p & (v == 0)) for p, v in zip(present, vs)) > 0, 0.0, out)
            elif agg == "harmonic":
                acc = sum(np.where(p & (v > 0), w / np.where(v > 0, v, 1.0), 0.0)
                          for p, w, v in zip(present, ws, vs))
                out = sw / acc
                out = np.where(sum((p & (v == 0)) for p, v in zip(present, vs)) > 0, 0.0, out)
            elif agg == "min":
                out = np.minimum.reduce([np.where(p, v, np.inf) for p, v in zip(present, vs)])
            else:
                q = float(agg.split(":")[1])
                out = (sum(np.where(p, w * v ** q, 0.0) for p, w, v in zip(present, ws, vs))
                       / sw) ** (1 / q)
        cov = sw / total
        mc = by_id[g]["min_coverage"]
        bad = (sw == 0) | ((mc > 0) & (cov + 1e-12 < mc))
        val[g] = np.clip(np.where(bad, np.nan, out), 0, 1)
    return np.broadcast_to(val[root], (W.shape[0], len(next(iter(base.values())))))


def competition_ranks(S):
    """Competition ranks (1, 2, 2, 4), best first, of each row of S, on
    scores rounded to 12 decimals; NaN stays NaN."""
    R, A = S.shape
    missing = np.isnan(S)
    key = np.where(missing, -1.0, np.floor(S * 1e12 + 0.5)).astype(np.int64)
    neg = np.int64(10 ** 12) - key  # best first; missing sorts last (1e12 + 1)
    offset = (np.arange(R, dtype=np.int64) * (np.int64(1) << 41))[:, None]
    flat = np.sort(neg, axis=1) + offset
    pos = np.searchsorted(flat.ravel(), (neg + offset).ravel(), side="left").reshape(R, A)
    ranks = (pos - np.arange(R)[:, None] * A + 1).astype(float)
    ranks[missing] = np.nan
    return ranks


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("codebook")
    ap.add_argument("survey")
    ap.add_argument("output")
    ap.add_argument("--samples", type=int, default=1000)
    ap.add_argument("--spread", type=float, default=0.25)
    ap.add_argument("--top", type=int, default=10)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--weights")
    a = ap.parse_args()
    nodes = load_codebook(a.codebook)
    df = pd.read_csv(a.survey, dtype={"id": str, "period": str}, keep_default_na=False,
                     na_values=[""])
    s = score(nodes, df)
    root = next(n["id"] for n in nodes if not n["parent"])
    ids, periods, rows = latest(df, s, nodes)
    t0 = time.perf_counter()
    base = {k: v[rows] for k, v in s.items()}
    inputs = inputs_of(nodes, root)
    if a.weights:
        runs = pd.read_csv(a.weights)
        runs = runs[runs["matrix"] == "A"]
        W = runs[["weight:" + k for k in inputs]].to_numpy(dtype=float)
    else:
        w0 = np.array([next(n["weight"] for n in nodes if n["id"] == k) for k in inputs])
        rng = np.random.default_rng(a.seed)
        W = w0 * (1 + a.spread * (2 * rng.random((a.samples, len(inputs))) - 1))
    nominal = competition_ranks(base[root][None, :])[0]
    ranks = competition_ranks(reaggregate(nodes, base, inputs, W, root))
    with np.errstate(invalid="ignore"):
        med, p05, p95 = (np.nanpercentile(ranks, q, axis=0) for q in (50, 5, 95))
        mean = np.nanmean(ranks, axis=0)
    p_top = (ranks <= a.top).sum(axis=0) / ranks.shape[0]
    shift = np.nanmean(np.abs(ranks - nominal[None, :]), axis=1)
    elapsed = time.perf_counter() - t0
    out = pd.DataFrame({"id": ids, "period": periods, "score": np.round(base[root], 12),
                        "nominal_rank": nominal, "median_rank": med, "rank_p05": p05,
                        "rank_p95": p95, "mean_rank": mean,
                        "rank_min": np.nanmin(ranks, axis=0), "rank_max": np.nanmax(ranks, axis=0),
                        "p_top_k": p_top, "ranked_runs": (~np.isnan(ranks)).sum(axis=0)})
    out = out.sort_values(["nominal_rank", "id"], na_position="last")
    out.to_csv(a.output, index=False, float_format="%.12g")
    print(f"numpy analysis: {elapsed:.3f} s, mean absolute rank shift {shift.mean():.4g}",
          file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
