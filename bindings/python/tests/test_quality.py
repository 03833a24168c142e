"""Survey quality from Python: alpha against R psych on bfi (the committed
reference of tests/data/bfi/make_alpha_reference.R), the same tables as the
CLI, frames and surveys agreeing, and the weak questions of the example."""
import io
import math

import numpy as np
import pandas as pd
import pytest

import efc


@pytest.fixture
def bfi(source_root):
    d = source_root / "tests" / "data" / "bfi"
    model = efc.Model.from_codebook(d / "bfi-codebook.csv")
    return d, model


def test_alpha_matches_psych(bfi):
    d, model = bfi
    q = efc.Quality.from_survey(d / "bfi.csv", model)
    ref = pd.read_csv(d / "bfi-psych-alpha.csv", keep_default_na=False, na_values=[""])
    ref["item"] = ref["item"].fillna("")
    scales, items = q.scales(), q.scale_items()
    assert q.rows == 2800 and list(scales.index) == list(ref[ref.item == ""].scale)
    worst = 0.0
    for r in ref.itertuples():
        if r.item == "":
            s = scales.loc[r.scale]
            pairs = [(s.alpha, r.raw_alpha), (s.std_alpha, r.std_alpha),
                     (s.average_r, r.average_r), (s.median_r, r.median_r), (s.ase, r.ase),
                     (s.n, r.n), (s.n_complete, r.n_complete)]
        else:
            i = items.loc[(r.scale, r.item)]
            pairs = [(i.alpha_if_dropped, r.alpha_if_dropped),
                     (i.std_alpha_if_dropped, r.std_alpha_if_dropped), (i.r_drop, r.r_drop),
                     (i.r_total, r.raw_r), (i.std_r, r.std_r), (i.n, r.n),
                     (i.mean_norm, (r.mean - 1) / 5), (i.sd_norm, r.sd / 5)]
        worst = max([worst] + [abs(a - b) for a, b in pairs])
    assert worst < 1e-9, worst


def test_tables_equal_the_cli(source_root, run_efc, example_survey):
    q = efc.Quality.from_survey(example_survey)
    cli = pd.read_csv(io.StringIO(run_efc("reliability", "-q", example_survey)),
                      keep_default_na=False, na_values=[""])
    ours = q.reliability()
    assert list(cli.columns) == list(ours.columns) == list(efc.quality.RELIABILITY_COLUMNS)
    assert len(cli) == len(ours) == 5 + 29
    for col in cli.columns:
        a, b = cli[col], ours[col]
        if col in ("node", "item", "flags"):
            assert list(a.fillna("")) == list(b.fillna("")), col
        else:
            a, b = a.astype(float).to_numpy(), b.astype(float).to_numpy()
            assert np.array_equal(np.isnan(a), np.isnan(b)), col
            if col in ("g6", "scoreitems_ase"):  # keys only
                assert np.isnan(a).all(), col
                continue
            assert np.nanmax(np.abs(a - b)) <= 5e-13, col  # 12 printed decimals
    cli_items = pd.read_csv(io.StringIO(run_efc("items", "-q", example_survey)),
                            keep_default_na=False, na_values=[""], index_col="item")
    items = q.items()
    assert list(cli_items.index) == list(items.index)
    assert list(cli_items.columns) == list(efc.quality.ITEM_COLUMNS[1:-1]) + ["levels", "flags"]
    for col in items.columns:
        if col in ("scale", "flags"):
            assert list(cli_items[col].fillna("")) == list(items[col]), col
        else:
            assert np.allclose(cli_items[col].astype(float), items[col].astype(float), atol=5e-13,
                               equal_nan=True), col
    # the levels column, rebuilt from levels()
    lv = q.levels()
    for item, grp in lv.groupby("item", sort=False):
        text = "|".join(f"{v:g}={n}" for v, n in zip(grp.value, grp.answers))
        assert cli_items.loc[item, "levels"] == text


def test_example_weak_questions(example_survey):
    q = efc.Quality.from_survey(example_survey)
    assert q.flags() == {"eco_positive": ["no_variance"],
                         "res_overload": ["negative_r", "raises_alpha"],
                         "coop_governance": ["few_answers"]}
    items = q.items()
    assert items.loc["coop_governance", "missing"] == 28
    assert items.loc["coop_governance", "missing_share"] == pytest.approx(2 / 3, abs=1e-15)
    assert items.loc["eco_positive", "distinct"] == 1
    scales = q.scales()
    assert scales.loc["ecological", "items_used"] == 5  # eco_positive left out
    assert not q.scale_items().loc[("ecological", "eco_positive"), "used"]
    # the answers per level add up to the answers on a level
    lv = q.levels().groupby("item").answers.sum()
    assert (lv == (items.answers - items.off_level).loc[lv.index]).all()
    assert "3 items flagged" in repr(q)
    # thresholds
    assert "coop_governance" not in efc.Quality.from_survey(example_survey,
                                                            min_share=0).flags()
    every = efc.Quality.from_survey(example_survey, min_answers=42, min_share=0).flags()
    assert all("few_answers" in every.get(i, []) for i in items.index[items.missing > 0])
    assert all("few_answers" not in every.get(i, []) for i in items.index[items.missing == 0])


def test_frame_equals_survey(example_survey):
    frame = pd.read_csv(example_survey)
    from_file = efc.Quality.from_survey(example_survey)
    from_frame = efc.Quality.from_frame(frame)
    pd.testing.assert_frame_equal(from_file.reliability(), from_frame.reliability())
    pd.testing.assert_frame_equal(from_file.items(), from_frame.items())
    # the module-level shortcuts
    pd.testing.assert_frame_equal(efc.reliability(example_survey), from_file.reliability())
    # without distributions: the same reliability, no quartiles
    lean = efc.Quality.from_survey(example_survey, distributions=False)
    pd.testing.assert_frame_equal(lean.reliability(), from_file.reliability())
    assert lean.items().q1.isna().all() and lean.items().distinct.isna().all()
    assert (lean.levels().answers == 0).all()
    assert (lean.items()["min"] == from_file.items()["min"]).all()
    pd.testing.assert_frame_equal(efc.item_analysis(example_survey), from_file.items())


def test_errors(small):
    with pytest.raises(TypeError):
        efc.Quality()
    frame = pd.DataFrame({"x": [1.0, math.inf], "y": [2.0, 3.0]}, index=["a", "b"])
    with pytest.raises(efc.InvalidValueError, match=r"frame index 'b'"):
        efc.Quality.from_frame(frame, small)
    with pytest.raises(efc.ArgumentError, match="share"):
        efc.Quality.from_frame(frame, small, min_share=2)
    q = efc.Quality.from_frame(pd.DataFrame({"x": [1.0, 2.0, 4.0], "y": [1.0, np.nan, 3.0]}),
                               small)
    assert q.rows == 3
    assert q.items().loc["y", "missing"] == 1
    assert q.scales().loc["g", "n"] == 3
    with pytest.warns(UserWarning, match="1 item of the model has no column"):
        efc.Quality.from_frame(pd.DataFrame({"x": [1.0]}), small)
