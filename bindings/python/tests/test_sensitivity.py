"""The weight sensitivity analysis from Python, checked against an
independent numpy computation on the same weights (UNDP's HDI 2022: the
geometric mean of three dimension indices re-aggregated run by run and
ranked), the Sobol estimator on Ishigami's function, and the efc tool."""
import io
import math

import numpy as np
import pandas as pd
import pytest

import efc


@pytest.fixture(scope="module")
def hdi_panel():
    import pathlib
    hdi = pathlib.Path(__file__).resolve().parents[3] / "tests" / "data" / "hdi"
    model = efc.Model.from_codebook(hdi / "hdi.csv")
    return efc.Panel.from_survey(hdi / "hdi_panel.csv", model, id="iso3", period="year")


def competition_ranks(scores: np.ndarray) -> np.ndarray:
    """Best first, ties on scores rounded to 12 decimals; NaN not ranked."""
    key = np.floor(scores * 1e12 + 0.5)
    out = np.full(scores.shape, np.nan)
    ok = ~np.isnan(key)
    k = key[ok]
    out[ok] = [1 + np.count_nonzero(k > v) for v in k]
    return out


def test_hdi_ranks_against_numpy(hdi_panel):
    s = hdi_panel.sensitivity(period=2022, spread=0.4, samples=400, seed=11, top=20)
    assert s.inputs == ["weight:le", "weight:education", "weight:gnipc"]
    # the dimension indices of each country in 2022, from the panel
    scores = hdi_panel.scores(nodes=["hdi", "le", "education", "gnipc"])
    at = scores[scores["period"] == 2022].set_index("actor")
    runs = s.runs()
    assert list(runs.columns) == ["matrix", *s.inputs, "mean_abs_rank_shift"]
    W = runs[s.inputs].to_numpy()
    assert ((W >= 0.6) & (W < 1.4)).all()
    ranks = s.ranks()
    actors = hdi_panel.actors
    dims = at.reindex(actors)[["le", "education", "gnipc"]].to_numpy()
    logs = np.log(dims)
    ours = np.empty((len(W), len(actors)))
    for j, w in enumerate(W):
        hdi = np.exp((logs * w).sum(axis=1) / w.sum())
        ours[j] = competition_ranks(hdi)
    got = s.run_ranks()
    assert np.array_equal(np.isnan(got), np.isnan(ours))
    assert np.nanmax(np.abs(got - ours)) == 0
    nominal = competition_ranks(at.reindex(actors)["hdi"].to_numpy())
    table = ranks.reindex(actors)
    assert np.array_equal(table["nominal_rank"].to_numpy(float, na_value=np.nan), nominal,
                          equal_nan=True)
    fra = s.actor("FRA")
    assert fra["nominal_rank"] == table.loc["FRA", "nominal_rank"]
    assert fra["median_rank"] == table.loc["FRA", "median_rank"]
    ranked = ~np.isnan(nominal)
    for col, q in (("median_rank", 50), ("rank_p05", 5), ("rank_p95", 95)):
        want = np.percentile(ours[:, ranked], q, axis=0)  # linear: R's type 7
        assert np.allclose(table[col].to_numpy(float)[ranked], want, rtol=0, atol=1e-12), col
    assert np.allclose(table["mean_rank"].to_numpy(float)[ranked], ours[:, ranked].mean(axis=0))
    assert np.array_equal(table["p_top_k"].to_numpy(float)[ranked],
                          (ours[:, ranked] <= 20).mean(axis=0))
    shift = np.nanmean(np.abs(ours - nominal[None, :]), axis=1)
    assert np.allclose(runs["mean_abs_rank_shift"].to_numpy(), shift, rtol=0, atol=1e-12)
    assert ranks.attrs["top"] == 20 and ranks.attrs["node"] == "hdi"


def test_zero_spread_collapses(hdi_panel):
    s = hdi_panel.sensitivity(period="2022", spread=0, samples=20)
    r = s.ranks().dropna(subset=["nominal_rank"])
    for col in ("median_rank", "rank_p05", "rank_p95", "mean_rank", "rank_min", "rank_max"):
        assert (r[col].astype(float) == r["nominal_rank"].astype(float)).all(), col
    assert (s.runs()["mean_abs_rank_shift"] == 0).all()


def test_threads_and_progress(hdi_panel):
    seen = []
    a = hdi_panel.sensitivity(samples=200, threads=1, sobol=True, bootstrap=50)
    b = hdi_panel.sensitivity(samples=200, threads=3, sobol=True, bootstrap=50,
                              progress=lambda done, total: seen.append((done, total)))
    pd.testing.assert_frame_equal(a.ranks(), b.ranks())
    pd.testing.assert_frame_equal(a.sobol(), b.sobol())
    pd.testing.assert_frame_equal(a.runs(), b.runs())
    assert seen and all(t == 1000 for _, t in seen) and seen[-1] == (1000, 1000)
    assert a.run(0) == b.run(0) and a.run(0)["mean_abs_rank_shift"] >= 0
    assert a.rank(0, "FRA") == a.run_ranks()[0, hdi_panel.actors.index("FRA")]
    assert [d for d, _ in seen] == sorted(d for d, _ in seen)


def test_ishigami():
    """Analytic indices of Ishigami's function (a = 7, b = 0.1)."""
    a, b, n = 7.0, 0.1, 100_000
    rng = np.random.default_rng(5)
    A = rng.uniform(-np.pi, np.pi, (n, 3))
    B = rng.uniform(-np.pi, np.pi, (n, 3))

    def f(x):
        return np.sin(x[:, 0]) + a * np.sin(x[:, 1]) ** 2 + b * x[:, 2] ** 4 * np.sin(x[:, 0])
    y = [f(A), f(B)]
    for i in range(3):
        AB = A.copy()
        AB[:, i] = B[:, i]
        y.append(f(AB))
    out = efc.sobol_indices(np.concatenate(y), n, 3, bootstrap=100, seed=2,
                            names=["x1", "x2", "x3"])
    V = a * a / 8 + b * np.pi ** 4 / 5 + b * b * np.pi ** 8 / 18 + 0.5
    V1 = 0.5 * (1 + b * np.pi ** 4 / 5) ** 2
    V2 = a * a / 8
    V13 = b * b * np.pi ** 8 * (1 / 18 - 1 / 50)
    first = [V1 / V, V2 / V, 0]
    total = [(V1 + V13) / V, V2 / V, V13 / V]
    assert out["first_order"].to_numpy() == pytest.approx(first, abs=0.02)
    assert out["total_order"].to_numpy() == pytest.approx(total, abs=0.02)
    assert (out["total_order_q05"] <= out["total_order"]).all()
    assert out.attrs["variance"] == pytest.approx(V, rel=0.02)
    with pytest.raises(ValueError):
        efc.sobol_indices([1.0, 2.0], 2, 1)


def test_aggregation_and_dirichlet(hdi_panel):
    s = hdi_panel.sensitivity(aggregations={"hdi": ["geomean", "mean", "power:2"]}, weights=[],
                              samples=300, sobol=True, bootstrap=0)
    assert s.inputs == ["aggregation:hdi"]
    assert s.alternatives(0) == ["geomean", "mean", "power:2"]
    assert set(s.runs()["aggregation:hdi"]) == {"geomean", "mean", "power:2"}
    assert s.sobol().loc["aggregation:hdi", "total_order"] == pytest.approx(1, abs=0.15)
    d = hdi_panel.sensitivity(dirichlet=50, samples=300)
    w = d.runs()[d.inputs].to_numpy()
    assert np.allclose(w.sum(axis=1), 3)
    assert math.isnan(d.variance)
    with pytest.raises(efc.InvalidValueError, match="independent"):
        hdi_panel.sensitivity(dirichlet=50, samples=10, sobol=True)
    with pytest.raises(efc.ArgumentError):
        hdi_panel.sensitivity(spread=1)
    with pytest.raises(ValueError, match="give one"):
        hdi_panel.sensitivity(spread=0.1, dirichlet=5)
    with pytest.raises(ValueError, match="median"):
        hdi_panel.sensitivity(aggregations={"hdi": ["mean", "median"]})


def test_same_as_the_cli(example_survey, run_efc):
    panel = efc.Panel.from_survey(example_survey)
    s = panel.sensitivity(samples=500, seed=3, top=3)
    cli = pd.read_csv(io.StringIO(run_efc("sensitivity", example_survey, "--samples", "500",
                                          "--seed", "3", "--top", "3", "-q")))
    ours = s.ranks()
    assert list(cli["id"]) == list(ours.index)
    for col in ("nominal_rank", "median_rank", "rank_p05", "rank_p95", "mean_rank",
                "p_top_k", "ranked_runs"):
        assert np.allclose(cli[col].to_numpy(float), ours[col].to_numpy(float), atol=1e-12), col


def test_parts_merge_to_the_whole(hdi_panel, misaligned):
    import pickle
    options = dict(samples=200, seed=5, sobol=True, bootstrap=50, threads=1)
    whole = hdi_panel.sensitivity(**options)
    assert not whole.partial and whole.range == (0, 200)
    ranges = [(64, 64), (0, 64), (128, 72)]
    parts = [hdi_panel.sensitivity(runs=r, **options) for r in ranges]
    p = parts[0]
    assert p.partial and p.range == (64, 64)
    assert len(p.runs()) == 64 * (len(p.inputs) + 2)
    assert np.array_equal(p.run_ranks(), whole.run_ranks()[64:128], equal_nan=True)
    ranks = p.ranks()
    assert ranks["mean_rank"].isna().all() and ranks["nominal_rank"].notna().any()
    assert np.isnan(p.variance)
    merged = efc.Sensitivity.merge(parts)
    assert not merged.partial and merged == whole
    assert merged.run_ranks().tobytes() == whole.run_ranks().tobytes()
    # parts sent back pickled (as from other processes) merge on the panel
    copies = [pickle.loads(pickle.dumps(x)) for x in parts]
    assert copies[0].partial and copies[0] == parts[0]
    # a whole result pickled before parts existed (its key without a range)
    from efc.sensitivity import _sensitivity_from_state
    old = _sensitivity_from_state({"panel": hdi_panel, "key": whole._key()[:3],
                                   "results": dict(whole._all())})
    assert old == whole and not old.partial
    again = efc.Sensitivity.merge(copies, panel=hdi_panel)
    assert again == whole and again.sobol().equals(whole.sobol())
    # a part's tables as pickle may hand them back: at any byte offset
    rebuild, (state,) = parts[1].__reduce__()
    state["results"] = {k: misaligned(v) if k.startswith("run_") else v
                        for k, v in state["results"].items()}
    odd = [parts[0], rebuild(state), parts[2]]
    assert efc.Sensitivity.merge(odd, panel=hdi_panel) == whole
    with pytest.raises(efc.ArgumentError):  # a gap
        efc.Sensitivity.merge(parts[:2])
    with pytest.raises(efc.ArgumentError):  # another seed
        efc.Sensitivity.merge(parts[:2] + [hdi_panel.sensitivity(
            runs=(128, 72), **dict(options, seed=6))])
    with pytest.raises(efc.ArgumentError):  # beyond the samples
        hdi_panel.sensitivity(runs=(150, 51), **options)
    with pytest.raises(ValueError):
        hdi_panel.sensitivity(runs=(0, 0), **options)
