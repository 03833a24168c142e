"""Model.fit and Index.fitted_model: the fitted model of COINr's ASEM
example gives the fit's bits at every stage, through its codebook and
through pickle; a new unit alone scores as it did in the whole; a panel
fitted on a reference period; what cannot be frozen."""
import os
import pathlib
import pickle
import threading

import numpy as np
import pandas as pd
import pytest

import efc

STAGES = ("raw", "denominated", "imputed", "treated", "normalised", "aggregated")
ROOT = pathlib.Path(os.environ.get("EFC_SOURCE_ROOT", pathlib.Path(__file__).resolve().parents[3]))


@pytest.fixture(scope="module")
def asem():
    d = ROOT / "examples" / "asem"
    return (efc.Model.from_codebook(d / "asem_codebook.csv"),
            pd.read_csv(d / "asem_data.csv", float_precision="round_trip"))


def same_bits(a: efc.Index, b: efc.Index):
    for stage in STAGES:
        x, y = a.stage(stage), b.stage(stage)
        assert list(x.index) == list(y.index)
        assert np.array_equal(x.to_numpy().view(np.uint64), y.to_numpy().view(np.uint64)), stage
    assert a.imputed_cells.equals(b.imputed_cells)


def test_fit_scores_every_stage_as_the_fit(asem):
    model, frame = asem
    whole = efc.index(frame, model, id="UnitCode")
    fitted = model.fit(frame, id="UnitCode")
    assert isinstance(fitted, efc.Model)
    assert fitted == whole.fitted_model()
    assert model.needs_index and not fitted.needs_index
    goods = fitted.node("Goods")
    assert goods.impute_method == "group_value" and goods.impute_column == "Group_EurAsia"
    assert goods.normalise.startswith("minmax:0:100:")
    same_bits(whole, efc.index(frame, fitted, id="UnitCode"))
    # kept as a codebook, and through pickle
    reloaded = efc.Model.from_text(fitted.to_codebook())
    assert reloaded == fitted
    same_bits(whole, efc.index(frame, reloaded, id="UnitCode"))
    assert pickle.loads(pickle.dumps(fitted)) == fitted
    # fitting the fitted model changes nothing
    assert fitted.fit(frame, id="UnitCode") == fitted


def test_a_new_unit_alone(asem):
    model, frame = asem
    fitted = model.fit(frame, id="UnitCode")
    whole = efc.index(frame, fitted, id="UnitCode").aggregated
    for i in (0, 20, 50):
        one = efc.index(frame.iloc[[i]], fitted, id="UnitCode").aggregated
        row = whole.loc[[frame["UnitCode"][i]]]
        assert np.array_equal(one.to_numpy().view(np.uint64), row.to_numpy().view(np.uint64))


def test_fitted_model_from_threads(asem):
    model, frame = asem
    ix = efc.index(frame, model, id="UnitCode")
    got, errors = [], []

    def work():
        try:
            got.append(ix.fitted_model().sha256)
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
    threads = [threading.Thread(target=work) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors and len(set(got)) == 1


def test_reference_period():
    b = efc.ModelBuilder()
    b.add_group("root")
    b.add_leaf("a", "root")
    b.set_impute("a", "median").set_normalise("a", "minmax:0:100")
    model = b.build()
    frame = pd.DataFrame({"id": ["u1", "u2", "u3", "u1"], "year": [2018, 2018, 2018, 2019],
                          "a": [1.0, np.nan, 5.0, 9.0]})
    fitted = model.fit(frame, period="year", reference_period=2018)
    assert fitted.node("a").impute == "value:3"
    assert fitted.node("a").normalise == "minmax:0:100:1:5"
    ix = efc.index(frame, fitted, period="year")
    assert ix.normalised.loc[("u1", 2019), "a"] == 200.0
    same_bits(efc.index(frame, model, period="year", reference_period=2018), ix)


def test_what_cannot_be_frozen():
    b = efc.ModelBuilder()
    b.add_group("root")
    b.add_leaf("a", "root")
    b.set_normalise("a", "percentile")
    model = b.build()
    frame = pd.DataFrame({"id": ["u1", "u2"], "a": [1.0, 2.0]})
    with pytest.raises(efc.ModelError) as e:
        model.fit(frame)
    assert e.value.reason == "needs_index"
    assert "percentile" in str(e.value)


def test_surveys_score_a_fitted_model_row_by_row(asem):
    model, frame = asem
    fitted = model.fit(frame, id="UnitCode")
    path = ROOT / "examples" / "asem" / "asem_data.csv"
    scores = efc.read_survey(path, fitted, id="UnitCode", na="NA").set_index("UnitCode")
    want = efc.index(path, fitted, id="UnitCode", na="NA").aggregated
    groups = [g for g in fitted.group_ids]
    assert np.array_equal(scores[groups].to_numpy().view(np.uint64),
                          want[groups].to_numpy().view(np.uint64))
    assert scores["Index"].max() > 1  # on 0..100, not clamped
    # a matrix of leaves cannot give Den_GDP: refused
    with pytest.raises(efc.ModelError) as e:
        fitted.score_frame(frame, id="UnitCode")
    assert e.value.reason == "needs_index" and "Den_GDP" in str(e.value)


def test_score_frame_of_a_fitted_model_without_other_columns():
    b = efc.ModelBuilder()
    b.add_group("root", aggregate="geomean")
    for leaf in ("a", "b"):
        b.add_leaf(leaf, "root")
    b.set_impute("a", "mean").set_treat("a", "winsorise:1:1:-2").set_normalise("a", "minmax")
    b.set_treat("b", "boxcox").set_normalise("b", "zscore:1:0.1")
    model = b.build()
    frame = pd.DataFrame({"id": ["u1", "u2", "u3", "u4"], "a": [1.0, 2.0, np.nan, 100.0],
                          "b": [1.0, 2.0, 3.0, 40.0]})
    fitted = model.fit(frame)
    assert not fitted.needs_index
    got = fitted.score_frame(frame, id="id")
    want = efc.index(frame, fitted).aggregated
    assert np.array_equal(got["root"].to_numpy().view(np.uint64),
                          want["root"].to_numpy().view(np.uint64))
    assert got["root"].max() > 1  # b's z-scores above 1: the geometric mean is not clamped


def test_a_group_of_numbers_matches_as_written_in_a_file():
    import io
    b = efc.ModelBuilder()
    b.add_group("root")
    b.add_leaf("x", "root")
    b.set_impute("x", "group_mean:g").set_normalise("x", "minmax")
    frame = pd.DataFrame({"id": ["a", "b", "c", "d"], "g": [1.0, 1.0, 2.0, 2.0],
                          "x": [1.0, 3.0, 5.0, np.nan]})
    fitted = b.build().fit(frame)
    assert fitted.node("x").impute == "group_value:g:1=2|2=5"
    scores = efc.read_survey(io.BytesIO(b"id,g,x\nn1,2.0,\nn2,2,\nn3,1.50,\nn4,,\n"), fitted)
    # 2.0 and 2 are the group 2 (x imputed 5: the maximum, 1); 1.5 and none are no group
    assert scores["root"].tolist()[:2] == [1.0, 1.0]
    assert scores["root"].isna().tolist()[2:] == [True, True]
