#!/usr/bin/env python3
"""Reference values for the trajectory, comparison and rank tests on the HDI
panel, computed independently of libefc: the HDI recomputed from its inputs
with UNDP's formulas (HDR 2023/24 technical notes), trajectories with
numpy's least squares, areas between curves by numpy's interpolation on a
fine common grid plus exact crossings, ranks with pandas. Run once; the
outputs are committed and the tests compare libefc with them.

usage: make_trajectory_reference.py   (from tests/data/hdi)
writes hdi_trajectory_reference.csv, hdi_compare_reference.csv,
       hdi_rank_reference.csv

Conventions taken from docs/trajectories.md: a node's trajectory is made of
the years where it has a value; a step's direction, and ties, are judged on
values rounded to 12 decimals (half away from zero); a transfer is a step
between consecutive years where the node and its parent both have values,
where the node falls by more than the tolerance (0.01) and the parent rises;
steadiness counts the steps going the way of the change as printed.
"""
import math

import numpy as np
import pandas as pd

TOL = 0.01
PAIRS = [("FRA", "DEU"), ("RWA", "BDI"), ("CHN", "IND"), ("NOR", "CHE"), ("AFG", "ZZK.WORLD")]


def clamp(x):
    return min(max(x, 0.0), 1.0)


def key(x):
    """x rounded to 12 decimals, as an integer (half away from zero)."""
    k = abs(x) * 1e12
    n = int(k + 0.5)
    return -n if x < 0 else n


def indices(row):
    """Normalised leaves and groups of one country-year (NaN when missing)."""
    nan = float("nan")
    le = clamp((row.le - 20) / (85 - 20)) if not math.isnan(row.le) else nan
    eys = clamp(row.eys / 18) if not math.isnan(row.eys) else nan
    mys = clamp(row.mys / 15) if not math.isnan(row.mys) else nan
    if not math.isnan(row.gnipc):
        gni = clamp((math.log(row.gnipc) - math.log(100)) / (math.log(75000) - math.log(100)))
    else:
        gni = nan
    # education: both schooling indices required (min_coverage 1)
    edu = (eys + mys) / 2 if not (math.isnan(eys) or math.isnan(mys)) else nan
    # hdi: geometric mean of the three, all required; a zero makes it zero
    parts = [edu, gni, le]
    if any(math.isnan(p) for p in parts):
        hdi = nan
    elif any(p == 0 for p in parts):
        hdi = 0.0
    else:
        hdi = math.exp(sum(math.log(p) for p in parts) / 3)
    return {"hdi": hdi, "education": edu, "le": le, "eys": eys, "mys": mys, "gnipc": gni}


PARENT = {"education": "hdi", "le": "hdi", "gnipc": "hdi", "eys": "education",
          "mys": "education"}
NODES = ["hdi", "education", "le", "eys", "mys", "gnipc"]


def trajectory(years, ys, parent_ys):
    present = [(t, y) for t, y in zip(years, ys) if not math.isnan(y)]
    out = {"n": len(present), "transfers": 0}
    if not present:
        return out
    t0, y0 = present[0]
    t1, y1 = present[-1]
    out.update(first_period=t0, last_period=t1, first=y0, last=y1, change=y1 - y0)
    if len(present) >= 2:
        ts = np.array([t for t, _ in present], dtype=float)
        vs = np.array([y for _, y in present])
        out["slope"] = float(np.polyfit(ts - ts[0], vs, 1)[0])
        way = np.sign(key(y1 - y0))  # the change as printed
        steps = [np.sign(key(b) - key(a)) for (_, a), (_, b) in zip(present, present[1:])]
        out["steadiness"] = sum(1 for s in steps if s == way) / len(steps)
    transfers = 0
    if parent_ys is not None:
        both = [(y, z) for y, z in zip(ys, parent_ys) if not (math.isnan(y) or math.isnan(z))]
        for (ya, za), (yb, zb) in zip(both, both[1:]):
            if key(ya) - key(yb) > key(TOL) and key(zb) > key(za):
                transfers += 1
    out["transfers"] = transfers
    return out


def area_between(ta, ya, tb, yb):
    """Area between two piecewise-linear curves over their common span."""
    start, end = max(ta[0], tb[0]), min(ta[-1], tb[-1])
    if start > end:
        return float("nan"), float("nan")
    grid = sorted({start, end, *[t for t in ta if start < t < end],
                   *[t for t in tb if start < t < end]})
    d = [float(np.interp(t, ta, ya) - np.interp(t, tb, yb)) for t in grid]
    area = 0.0
    for (x0, d0), (x1, d1) in zip(zip(grid, d), zip(grid[1:], d[1:])):
        h = x1 - x0
        if d0 * d1 >= 0:
            area += h * (abs(d0) + abs(d1)) / 2
        else:  # the curves cross at x0 + h * |d0| / (|d0| + |d1|)
            c = h * abs(d0) / (abs(d0) + abs(d1))
            area += c * abs(d0) / 2 + (h - c) * abs(d1) / 2
    return end - start, area


def main() -> int:
    panel = pd.read_csv("hdi_panel.csv", keep_default_na=False, na_values=[""])
    rows = []
    series = {}
    for iso3, g in panel.groupby("iso3", sort=True):
        g = g.sort_values("year")
        idx = [indices(r) for r in g.itertuples()]
        years = list(g.year)
        vals = {n: [i[n] for i in idx] for n in NODES}
        series[iso3] = (years, vals)
        for n in NODES:
            parent = vals[PARENT[n]] if n in PARENT else None
            t = trajectory(years, vals[n], parent)
            rows.append({"iso3": iso3, "node": n, **t})
    cols = ["iso3", "node", "first_period", "last_period", "n", "first", "last", "change",
            "slope", "steadiness", "transfers"]
    pd.DataFrame(rows)[cols].to_csv("hdi_trajectory_reference.csv", index=False,
                                    float_format="%.17g")

    cmp_rows = []
    for a, b in PAIRS:
        (ya_t, va), (yb_t, vb) = series[a], series[b]
        for n in NODES:
            pa = [(t, y) for t, y in zip(ya_t, va[n]) if not math.isnan(y)]
            pb = [(t, y) for t, y in zip(yb_t, vb[n]) if not math.isnan(y)]
            common = sorted({t for t, _ in pa} & {t for t, _ in pb})
            da, db = dict(pa), dict(pb)
            gap = np.mean([abs(da[t] - db[t]) for t in common]) if common else float("nan")
            span, area = area_between([t for t, _ in pa], [y for _, y in pa],
                                      [t for t, _ in pb], [y for _, y in pb])
            cmp_rows.append({"actor_a": a, "actor_b": b, "node": n,
                             "change_a": pa[-1][1] - pa[0][1], "change_b": pb[-1][1] - pb[0][1],
                             "common_periods": len(common), "mean_gap": gap, "span": span,
                             "area": area})
    pd.DataFrame(cmp_rows).to_csv("hdi_compare_reference.csv", index=False, float_format="%.17g")

    # ranks on the published HDI of 2022, countries only, overall and within
    # the human development groups: competition ranking (pandas' "min")
    groups = pd.read_csv("hdi_groups.csv", keep_default_na=False, na_values=[""])
    countries = groups[groups.hdi_rank_2022.notna()].set_index("iso3")
    pub = panel[panel.year == 2022].set_index("iso3").hdi.reindex(countries.index)
    r = pd.DataFrame({"hdi": pub, "hdicode": countries.hdicode})
    r["rank"] = r.hdi.rank(method="min", ascending=False).astype(int)
    n = len(r)
    below = r.hdi.apply(lambda v: (r.hdi < v).sum())
    tied = r.hdi.apply(lambda v: (r.hdi == v).sum())
    r["percentile"] = 100 * (below + 0.5 * tied) / n
    r["hdicode_rank"] = r.groupby("hdicode").hdi.rank(method="min", ascending=False).astype(int)
    r["published_rank"] = countries.hdi_rank_2022.astype(int)
    r.reset_index().to_csv("hdi_rank_reference.csv", index=False, float_format="%.17g")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
