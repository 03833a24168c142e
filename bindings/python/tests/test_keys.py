"""Scales that share items (efc.Keys): scores and reliability against R
psych's scoreItems() on psychTools' spi with its overlapping keys (the
committed reference of tests/data/spi/make_reference.R), the CLI's
--keys table the same, and the keys' checks."""
import io
import math

import numpy as np
import pandas as pd
import pytest

import efc

TOL = 1e-9


@pytest.fixture
def spi(source_root):
    d = source_root / "tests" / "data" / "spi"
    model = efc.Model.from_codebook(d / "spi-codebook.csv")
    keys = efc.Keys.read_csv(d / "spi-keys.csv", model)
    frame = pd.read_csv(d / "spi.csv", index_col="id")
    return d, model, keys, frame


def test_keys_read_from_file(spi):
    d, model, keys, _ = spi
    ref = pd.read_csv(d / "spi-keys.csv")
    assert len(keys) == 32 and keys.names == list(dict.fromkeys(ref.scale))
    assert keys.to_frame().equals(ref)
    # overlapping: 70 items are in two scales
    counts = ref.item.value_counts()
    assert (counts == 2).sum() == 70 and len(counts) == 135
    assert keys.items("Agree")[3] == ("q_1896", -1)


def test_scores_match_psych(spi):
    d, model, keys, frame = spi
    ref = pd.read_csv(d / "spi-psych-scores.csv", index_col="id")
    scores = keys.score_frame(frame)
    assert list(scores.columns) == list(ref.columns) and scores.index.equals(ref.index)
    both = np.isnan(scores.values) == np.isnan(ref.values)
    assert both.all()
    assert np.nanmax(np.abs(scores.values - ref.values)) < TOL


def test_reliability_matches_psych(spi):
    d, model, keys, frame = spi
    ref = pd.read_csv(d / "spi-psych-keys.csv", index_col="scale")
    q = efc.Quality.from_frame(frame, model, keys=keys)
    s = q.scales()
    assert list(s.index) == list(ref.index) and s.index.name == "scale"
    assert (s["items_used"] == ref["n_items"]).all()
    for ours, theirs in [("alpha", "alpha"), ("alpha_r", "av_r"), ("median_r", "med_r"),
                         ("g6", "G6"), ("scoreitems_ase", "ase")]:
        assert np.max(np.abs(s[ours].values - ref[theirs].values)) < TOL, ours


def test_survey_and_file_keys_agree(spi):
    d, model, keys, frame = spi
    a = efc.Quality.from_survey(d / "spi.csv", model, keys=d / "spi-keys.csv").reliability()
    b = efc.Quality.from_frame(frame, model, keys=keys).reliability()
    pd.testing.assert_frame_equal(a, b)
    assert a.columns[0] == "scale"
    signs = a[a.item != ""].set_index(["scale", "item"])["sign"]
    assert signs[("Agree", "q_1896")] == -1 and signs[("Agree", "q_90")] == 1


def test_cli_keys_table_is_pythons(spi, run_efc):
    d, model, keys, frame = spi
    out = run_efc("reliability", "--model", d / "spi-codebook.csv", "--keys",
                  d / "spi-keys.csv", "-q", d / "spi.csv")
    cli = pd.read_csv(io.StringIO(out), keep_default_na=False, na_values=[""])
    py = efc.Quality.from_frame(frame, model, keys=keys).reliability()
    assert list(cli.columns) == list(py.columns)
    assert list(cli.scale) == list(py.scale) and len(cli) == 32 + 205
    for c in ("alpha", "g6", "scoreitems_ase", "alpha_r", "r_drop"):
        a, b = cli[c].to_numpy(float), py[c].to_numpy(float)
        assert np.array_equal(np.isnan(a), np.isnan(b))
        assert np.nanmax(np.abs(a - b)) < 1e-11, c


def test_reversal_and_missing(small):
    # x and y on goalposts 0..4: -y is 4 - y, the mean over the answered
    k = efc.Keys(small, {"both": ["x", "-y"], "x": {"x": 1}, "y": [("y", -1)]})
    out = k.score_array([[1, 3], [np.nan, 0], [np.nan, np.nan]])
    np.testing.assert_array_equal(out[0], [1, 1, 1])
    np.testing.assert_array_equal(out[1], [4, np.nan, 4])
    assert np.isnan(out[2]).all()
    # the model's direction (y is '-') does not apply: keys are on the answers
    assert k.score_frame(pd.DataFrame({"x": [2.0], "y": [1.0]}, index=["a"])).loc["a", "y"] == 3


def test_keys_checks(small):
    with pytest.raises(efc.NotFoundError, match="no leaf 'z'"):
        efc.Keys(small, {"s": ["z"]})
    with pytest.raises(efc.ArgumentError, match="keyed twice"):
        efc.Keys(small, {"s": ["x", "-x"]})
    with pytest.raises(efc.ArgumentError, match="not \\+1 or -1"):
        efc.Keys(small, {"s": [("x", 2)]})
    with pytest.raises(efc.ArgumentError, match="no item"):
        efc.Keys(small, {"s": []})
    k = efc.Keys(small, {"s": ["x"]})
    with pytest.raises(efc.ArgumentError, match="twice"):
        k.add("s", ["y"])
    with pytest.raises(efc.ArgumentError, match="sign 'x'"):
        efc.Keys.read_csv("scale,item,sign\ns,x,x\n", small)
    with pytest.raises(efc.InvalidValueError) as e:
        k.score_frame(pd.DataFrame({"x": [1.0, math.inf]}, index=["a", "b"]))
    assert e.value.row == 1 and "'b'" in str(e.value)
    other = efc.Model.from_text("id,parent,min,max,aggregate\ng,,,,mean\nx,g,0,4,\n")
    with pytest.raises(efc.ArgumentError, match="another model"):
        efc.Quality.from_frame(pd.DataFrame({"x": [1.0, 2.0]}), other, keys=k)


def test_model_scales_unchanged(small):
    q = efc.Quality.from_frame(pd.DataFrame({"x": [0, 1, 4.0], "y": [4, 2, 1.0]}), small)
    s = q.scales()
    assert s.index.name == "node" and list(s.index) == ["g"]
    assert math.isnan(s.loc["g", "g6"]) and math.isnan(s.loc["g", "scoreitems_ase"])
    assert (q.scale_items()["sign"] == 1).all()


def test_cli_score_keys_match_psych(spi, run_efc):
    d, model, keys, frame = spi
    out = run_efc("score", "-q", "--model", d / "spi-codebook.csv", "--keys",
                  d / "spi-keys.csv", d / "spi.csv")
    cli = pd.read_csv(io.StringIO(out), index_col="id")
    ref = pd.read_csv(d / "spi-psych-scores.csv", index_col="id")
    assert list(cli.columns) == ["spi", *ref.columns]
    a, b = cli[ref.columns].to_numpy(float), ref.to_numpy(float)
    assert np.array_equal(np.isnan(a), np.isnan(b))
    assert np.nanmax(np.abs(a - b)) <= 5e-13  # 12 printed decimals


def test_keys_and_their_quality_pickle(spi):
    """Keys travel to other processes (their model and scales); a Quality
    of keys keeps its scales' names and its keys through pickling."""
    import pickle
    d, model, keys, frame = spi
    k2 = pickle.loads(pickle.dumps(keys))
    assert k2 == keys and k2.names == keys.names and k2.items("Agree") == keys.items("Agree")
    q = efc.Quality.from_frame(frame.iloc[:200], model, keys=keys)
    q2 = pickle.loads(pickle.dumps(q))
    assert q2 == q and q2.keys == keys
    assert q2.scales().equals(q.scales()) and list(q2.scales().index) == keys.names
    assert q2.items().equals(q.items())
