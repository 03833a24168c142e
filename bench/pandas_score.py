#!/usr/bin/env python3
"""The scorer a data analyst would write with pandas and numpy, vectorised:
read the survey, normalise every leaf, aggregate the groups of a codebook
children first, write the same columns as `efc score`. It implements the
same rules as libefc (renormalised weights over present children, coverage,
mean/geomean/harmonic/min/power, thresholds) so the comparison is fair;
bench/run.sh checks that its output agrees with efc score.

usage: pandas_score.py CODEBOOK SURVEY OUTPUT
"""
import sys

import numpy as np
import pandas as pd


def load_codebook(path):
    cb = pd.read_csv(path, dtype=str, keep_default_na=False)
    parents = set(cb["parent"])
    nodes = []
    for _, r in cb.iterrows():
        nodes.append({
            "id": r["id"], "parent": r["parent"], "group": r["id"] in parents,
            "weight": float(r["weight"] or 1),
            "min": float(r["min"]) if r["min"] else None,
            "max": float(r["max"]) if r["max"] else None,
            "direction": r.get("direction") or "+", "transform": r.get("transform") or "none",
            "aggregate": r.get("aggregate") or "mean",
            "min_coverage": float(r.get("min_coverage") or 0),
            "threshold": float(r["threshold"]) if r.get("threshold") else None,
        })
    return nodes


def score(nodes, df):
    n = len(df)
    s = {}
    for nd in nodes:
        if nd["group"]:
            continue
        x = df[nd["id"]].to_numpy(dtype=float) if nd["id"] in df else np.full(n, np.nan)
        lo, hi = nd["min"], nd["max"]
        if nd["transform"] == "log":
            x, lo, hi = np.log(x), np.log(lo), np.log(hi)
        t = (hi - x) / (hi - lo) if nd["direction"] == "-" else (x - lo) / (hi - lo)
        s[nd["id"]] = np.clip(t, 0, 1)
    children = {}
    for nd in nodes:
        if nd["parent"]:
            children.setdefault(nd["parent"], []).append(nd)
    done = set(s)
    groups = [nd for nd in nodes if nd["group"]]
    while len(done) < len(nodes):
        for g in groups:
            if g["id"] in done or any(c["id"] not in done for c in children[g["id"]]):
                continue
            kids = sorted((c for c in children[g["id"]] if c["weight"] > 0), key=lambda c: c["id"])
            v = np.stack([s[c["id"]] for c in kids], axis=1)
            w = np.array([c["weight"] for c in kids])
            present = ~np.isnan(v)
            sw = (present * w).sum(axis=1)
            cov = sw / w.sum()
            agg = g["aggregate"]
            with np.errstate(divide="ignore", invalid="ignore"):
                vz = np.where(present, v, 0.0)
                if agg == "mean":
                    out = (vz * w).sum(axis=1) / sw
                elif agg == "geomean":
                    out = np.exp((np.where(present, np.log(np.where(present, v, 1)), 0) * w).sum(axis=1) / sw)
                    out[(present & (v == 0)).any(axis=1)] = 0
                elif agg == "harmonic":
                    out = sw / (np.where(present, w / np.where(present, v, 1), 0)).sum(axis=1)
                    out[(present & (v == 0)).any(axis=1)] = 0
                elif agg == "min":
                    out = np.where(present, v, np.inf).min(axis=1)
                else:
                    p = float(agg.split(":")[1])
                    out = ((np.where(present, vz ** p, 0) * w).sum(axis=1) / sw) ** (1 / p)
            bad = (sw == 0) | ((g["min_coverage"] > 0) & (cov + 1e-12 < g["min_coverage"]))
            s[g["id"]] = np.clip(np.where(bad, np.nan, out), 0, 1)
            done.add(g["id"])
    return s


def main() -> int:
    codebook, survey, output = sys.argv[1:4]
    nodes = load_codebook(codebook)
    df = pd.read_csv(survey, dtype={"id": str}, keep_default_na=False, na_values=[""])
    s = score(nodes, df)
    out = pd.DataFrame({"id": df["id"], "period": df["period"]})
    for nd in nodes:
        if nd["group"]:
            out[nd["id"]] = np.round(s[nd["id"]], 12)
    passes = []
    for nd in nodes:
        if nd["threshold"] is not None:
            v = s[nd["id"]]
            out[nd["id"] + "_pass"] = pd.array(np.where(np.isnan(v), None, v >= nd["threshold"]),
                                               dtype="boolean").astype("Int64")
            passes.append(nd["id"] + "_pass")
    if passes:
        p = out[passes]
        out["pass_all"] = np.where((p == 0).any(axis=1), 0,
                                   np.where(p.isna().any(axis=1), np.nan, 1))
        out["pass_all"] = out["pass_all"].astype("Int64")
    out.to_csv(output, index=False, float_format="%.12g")
    return 0


if __name__ == "__main__":
    sys.exit(main())
