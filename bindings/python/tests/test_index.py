"""efc.index: the composite-indicator pipeline from pandas and from data
files. COINr's ASEM example (examples/asem/) is checked stage by stage
against the independent R reference of tests/data/asem/ (its README)."""
import io
import math
import os
import pathlib
import pickle
import threading

import numpy as np
import pandas as pd
import pytest

import efc

LEAF_STAGES = ("denominated", "imputed", "treated", "normalised")


@pytest.fixture(scope="module")
def asem_dir(source_root_module):
    return source_root_module / "examples" / "asem"


@pytest.fixture(scope="module")
def source_root_module():
    # conftest's source_root, for the module-scoped fixtures below
    return pathlib.Path(os.environ.get("EFC_SOURCE_ROOT",
                                       pathlib.Path(__file__).resolve().parents[3]))


@pytest.fixture(scope="module")
def reference(source_root_module):
    d = source_root_module / "tests" / "data" / "asem"

    def read(name, **kw):
        return pd.read_csv(d / f"{name}.csv", float_precision="round_trip", **kw)
    return read


@pytest.fixture(scope="module")
def asem_model(asem_dir):
    return efc.Model.from_codebook(asem_dir / "asem_codebook.csv")


@pytest.fixture(scope="module")
def asem_frame(asem_dir):
    return pd.read_csv(asem_dir / "asem_data.csv", na_values=["NA"], keep_default_na=False,
                       float_precision="round_trip")


@pytest.fixture(scope="module")
def asem_path(asem_model, asem_dir):
    return efc.index(asem_dir / "asem_data.csv", asem_model, id="UnitCode", na="NA")


@pytest.fixture(scope="module")
def asem_df(asem_model, asem_frame):
    return efc.index(asem_frame, asem_model, id="UnitCode")


def check_against_reference(ix, reference, asem_frame):
    for stage in LEAF_STAGES + ("aggregated",):
        ref = reference(stage, index_col="UnitCode")
        got = ix.stage(stage)
        assert list(got.columns) == list(ref.columns), stage
        assert list(got.index) == list(ref.index), stage
        assert got.index.name == "UnitCode"
        a, b = got.to_numpy(), ref.to_numpy()
        assert (np.isnan(a) == np.isnan(b)).all(), stage
        assert np.nanmax(np.abs(a - b)) <= 1e-9, stage
        assert got.equals(getattr(ix, stage))
    raw = ix.raw
    expected = asem_frame.set_index("UnitCode")[list(raw.columns)].astype(float)
    assert np.array_equal(raw.to_numpy(), expected.to_numpy(), equal_nan=True)


def test_asem_from_a_frame_matches_the_reference(asem_df, reference, asem_frame):
    check_against_reference(asem_df, reference, asem_frame)


def test_asem_from_the_path_matches_the_reference(asem_path, reference, asem_frame):
    check_against_reference(asem_path, reference, asem_frame)
    assert asem_path.table.source.endswith("asem_data.csv")


def test_asem_frame_and_path_give_the_same_bits(asem_df, asem_path):
    for stage in LEAF_STAGES + ("raw", "aggregated"):
        assert asem_df.stage(stage).equals(asem_path.stage(stage))


def test_asem_from_bytes_and_from_the_frame_index(asem_model, asem_dir, asem_frame, asem_path):
    data = (asem_dir / "asem_data.csv").read_bytes()
    by_bytes = efc.index(data, asem_model, id="UnitCode", na="NA")
    assert by_bytes.aggregated.equals(asem_path.aggregated)
    by_index = efc.index(asem_frame.set_index("UnitCode"), asem_model, id="UnitCode")
    assert by_index.aggregated.equals(asem_path.aggregated)


def test_asem_treatment(asem_path, reference):
    ref = reference("treatment", index_col="indicator")
    t = asem_path.treatment
    assert list(t.columns) == list(efc.pipeline.TREATMENT_COLUMNS)
    assert t.columns[-1] == "transform"
    assert list(t.index) == list(ref.index)
    assert (t["low"].to_numpy() == ref["low"].to_numpy()).all()
    assert (t["high"].to_numpy() == ref["high"].to_numpy()).all()
    assert list(t["transform"]) == list(ref["transform"])


def test_asem_ranks_and_published_top_six(asem_path, reference):
    ref = reference("ranks", index_col="UnitCode")
    score = asem_path.aggregated["Index"]
    ranks = score.rank(method="min", ascending=False).astype(int)
    assert (ranks[ref.index].to_numpy() == ref["rank"].to_numpy()).all()
    assert np.nanmax(np.abs(score[ref.index].to_numpy() - ref["Index"].to_numpy())) <= 1e-9
    top = score.sort_values(ascending=False).head(6).round(2)
    assert list(top.index) == ["CHE", "NLD", "DNK", "NOR", "BEL", "SWE"]
    assert [f"{v:.2f}" for v in top] == ["68.38", "64.82", "64.80", "64.47", "63.54", "63.00"]


def test_asem_imputed_cells(asem_path, reference):
    assert asem_path.imputed_count == 65
    cells = asem_path.imputed_cells
    assert cells.shape == asem_path.raw.shape and cells.dtypes.eq(bool).all()
    assert int(cells.to_numpy().sum()) == 65
    missing = reference("denominated", index_col="UnitCode").isna()
    assert (cells.to_numpy() == missing.to_numpy()).all()
    assert asem_path.screened.empty
    assert list(asem_path.screened.columns) == ["id", "period", "share"]


def test_asem_model_and_units(asem_path, asem_model):
    assert asem_path.model == asem_model and asem_path.model.needs_index
    assert len(asem_path.units) == 51 and asem_path.units[0] == "AUT"
    assert asem_path.periods is None


def test_model_score_refuses_a_model_that_needs_an_index(asem_model, asem_frame):
    with pytest.raises(efc.ModelError) as e:
        asem_model.score_frame(asem_frame)
    assert e.value.reason == "needs_index"
    with pytest.raises(efc.ModelError) as e:
        asem_model.score({"Goods": 1.0})
    assert e.value.reason == "needs_index"
    assert not efc.Model.default().needs_index


# ---- a small example computed by hand ----

def small_model():
    return (efc.ModelBuilder().add_group("g")
            .add_leaf("x", "g").set_impute("x", "mean").set_normalise("x", "minmax")
            .add_leaf("y", "g").set_normalise("y", "zscore")
            .build())


def test_small_example_by_hand():
    frame = pd.DataFrame({"id": ["a", "b", "c", "d"], "x": [1.0, 3.0, None, 5.0],
                          "y": [2.0, 4.0, 6.0, 8.0]})
    ix = efc.index(frame, small_model())
    # x: the mean of the observed 1, 3, 5 is 3; minmax over 1..5 onto 0..1
    x = np.array([0.0, 0.5, 0.5, 1.0])
    # y: the mean is 5, the sample standard deviation sqrt(20 / 3)
    sd = math.sqrt(((2 - 5) ** 2 + (4 - 5) ** 2 + (6 - 5) ** 2 + (8 - 5) ** 2) / 3)
    y = np.array([(2 - 5) / sd, (4 - 5) / sd, (6 - 5) / sd, (8 - 5) / sd])
    assert ix.units == ["a", "b", "c", "d"]
    assert ix.imputed["x"].tolist() == [1.0, 3.0, 3.0, 5.0]
    assert np.allclose(ix.normalised["x"], x, rtol=0, atol=1e-15)
    assert np.allclose(ix.normalised["y"], y, rtol=0, atol=1e-15)
    agg = ix.aggregated
    assert list(agg.columns) == ["x", "y", "g"]
    assert np.allclose(agg["g"], (x + y) / 2, rtol=0, atol=1e-15)
    assert ix.imputed_count == 1
    assert ix.imputed_cells.to_numpy().tolist() == [[False, False], [False, False],
                                                    [True, False], [False, False]]
    assert ix.raw["x"].isna().tolist() == [False, False, True, False]


def test_numeric_ids_keep_their_values():
    frame = pd.DataFrame({"unit": [10, 20, 30], "x": [1.0, 2.0, 4.0], "y": [1.0, 0.0, 2.0]})
    ix = efc.index(frame, small_model(), id="unit")
    assert ix.units == [10, 20, 30]
    assert ix.normalised.index.name == "unit"


def test_panel_with_a_period_column():
    frame = pd.DataFrame({"id": ["a", "a", "b", "b"], "year": [2020, 2021, 2020, 2021],
                          "x": [1.0, 2.0, 3.0, 5.0], "y": [1.0, 2.0, 3.0, 4.0]})
    ix = efc.index(frame, small_model(), period="year")
    n = ix.normalised
    assert isinstance(n.index, pd.MultiIndex)
    assert list(n.index.names) == ["id", "year"]
    assert list(n.index) == [("a", 2020), ("a", 2021), ("b", 2020), ("b", 2021)]
    # the range comes from every row of every period
    assert n["x"].tolist() == [0.0, 0.25, 0.5, 1.0]
    assert ix.periods == [2020, 2021, 2020, 2021]
    # from a file: the periods as written
    text = frame.to_csv(index=False).encode()
    fromfile = efc.index(text, small_model(), period="year")
    assert list(fromfile.normalised.index) == [("a", "2020"), ("a", "2021"), ("b", "2020"),
                                               ("b", "2021")]
    assert np.array_equal(fromfile.normalised.to_numpy(), n.to_numpy())
    with pytest.raises(efc.SurveyError):
        efc.index(pd.concat([frame, frame.iloc[:1]]), small_model(), period="year")


def test_latest_and_linear_along_the_periods():
    model = (efc.ModelBuilder().add_group("g")
             .add_leaf("x", "g").set_impute("x", "latest").set_normalise("x", "minmax")
             .add_leaf("y", "g").set_impute("y", "linear").set_normalise("y", "minmax")
             .build())
    assert model.node("y").impute == "linear"
    # rows out of order; a: a gap at the start, in the middle (2010 .. 2017,
    # unequal spacing) and at the end; b: one row
    frame = pd.DataFrame({"id": ["a", "a", "a", "a", "a", "b"],
                          "year": [2012, 2010, 2017, 2008, 2020, 2015],
                          "x": [None, 10.0, 24.0, None, None, 5.0],
                          "y": [None, 10.0, 24.0, None, None, 5.0]})
    ix = efc.index(frame, model, period="year")
    imp = ix.imputed
    # latest carries the last earlier value forward, never a later one
    assert imp.loc[("a", 2012), "x"] == 10.0 and imp.loc[("a", 2020), "x"] == 24.0
    assert math.isnan(imp.loc[("a", 2008), "x"])
    # linear: 10 + 2/7 (24 - 10) = 14; no extrapolation
    assert imp.loc[("a", 2012), "y"] == pytest.approx(14.0, abs=1e-12)
    assert math.isnan(imp.loc[("a", 2008), "y"]) and math.isnan(imp.loc[("a", 2020), "y"])
    assert ix.imputed_count == 3
    assert ix.imputed_cells.loc[("a", 2020)].tolist() == [True, False]
    # without a period column: refused, naming the leaf
    cross = pd.DataFrame({"id": ["a", "b"], "x": [1.0, None], "y": [1.0, 2.0]})
    with pytest.raises(efc.ModelError, match="leaf 'x'.*period column"):
        efc.index(cross, model)


def test_screening_leaves_out_sparse_units():
    frame = pd.DataFrame({"id": ["a", "b", "c", "d"], "x": [1.0, 3.0, None, 5.0],
                          "y": [2.0, 4.0, 6.0, 8.0]})
    ix = efc.index(frame, small_model(), screen=0.75)
    s = ix.screened
    assert list(s.columns) == ["id", "period", "share"]
    assert s["id"].tolist() == ["c"] and s["share"].tolist() == [0.5]
    assert s["period"].tolist() == [None]
    assert ix.units == ["a", "b", "d"]
    for stage in ("raw", "normalised", "aggregated"):
        assert "c" not in ix.stage(stage).index
    assert ix.imputed_count == 0
    assert efc.index(frame, small_model(), screen=0.5).screened.empty


# ---- errors ----

def test_a_missing_leaf_column():
    frame = pd.DataFrame({"id": ["a", "b"], "x": [1.0, 2.0]})
    with pytest.raises(efc.SurveyError) as e:
        efc.index(frame, small_model())
    assert "y" in str(e.value)


def test_a_duplicate_unit():
    frame = pd.DataFrame({"id": ["a", "b", "a"], "x": [1.0, 2.0, 3.0], "y": [1.0, 2.0, 3.0]})
    with pytest.raises(efc.SurveyError) as e:
        efc.index(frame, small_model())
    assert e.value.reason == "duplicate_assessment"


def test_a_value_that_is_not_a_number_names_file_line_and_column(tmp_path):
    path = tmp_path / "data.csv"
    path.write_text("id,x,y\na,1,2\nb,oops,3\nc,4,5\n")
    with pytest.raises(efc.InvalidValueError) as e:
        efc.index(path, small_model())
    assert e.value.source == str(path) and e.value.line == 3 and e.value.column == 2
    with pytest.raises(efc.InvalidValueError) as e:
        efc.index(path.read_bytes(), small_model(), name="mine.csv")
    assert (e.value.source, e.value.line, e.value.column) == ("mine.csv", 3, 2)


def test_reading_options(tmp_path):
    path = tmp_path / "data.csv"
    path.write_text("id;x;y\na;1,5;2\nb;-;3\nc;4;5\n")
    ix = efc.index(path, small_model(), delimiter=";", decimal_comma=True, na="-")
    assert ix.raw["x"].tolist()[0] == 1.5 and math.isnan(ix.raw["x"].tolist()[1])
    assert ix.imputed_count == 1


def test_an_unknown_stage():
    ix = efc.index(pd.DataFrame({"id": ["a", "b"], "x": [1.0, 2.0], "y": [1.0, 3.0]}),
                   small_model())
    with pytest.raises(efc.ArgumentError, match="raw, denominated"):
        ix.stage("cooked")


# ---- tables ----

def test_table_reads_back_what_it_was_given():
    frame = pd.DataFrame({"id": ["a", None, "c"], "v": [1.0, np.nan, 3.0],
                          "k": pd.Categorical(["u", "v", "u"]), "n": pd.array([1, None, 3])})
    t = efc.Table.from_frame(frame)
    assert t.columns == ["id", "v", "k", "n"] and len(t) == 3
    assert [t.kind(c) for c in t.columns] == ["text", "number", "text", "number"]
    assert t.column("id") == ["a", None, "c"] and t.cell("id", 2) == "c"
    assert np.array_equal(t.column("n"), [1.0, np.nan, 3.0], equal_nan=True)
    assert t.cell("v", 0) == 1.0 and "k" in t and "z" not in t
    assert t.source == "" and t.lines.tolist() == [0, 0, 0]
    assert pickle.loads(pickle.dumps(t)).to_frame().equals(t.to_frame())
    with pytest.raises(efc.NotFoundError):
        t.column("z")


def test_table_read_from_a_file_knows_its_lines(tmp_path):
    path = tmp_path / "d.csv"
    path.write_text("id,x,y,g\na,1,2,north\nb,,3,south\n")
    t = efc.Table.read(path, small_model())
    assert t.source == str(path) and t.lines.tolist() == [2, 3]
    assert t.kind("x") == "number" and t.kind("g") == "text"
    assert t.column("g") == ["north", "south"]
    assert efc.index(t, small_model()).imputed_count == 1


# ---- pickling, threads, display ----

def test_pickling_gives_the_same_bits(asem_path, asem_df):
    for ix in (asem_path, asem_df):
        back = pickle.loads(pickle.dumps(ix))
        for stage in ("raw",) + LEAF_STAGES + ("aggregated",):
            a, b = ix.stage(stage), back.stage(stage)
            assert a.equals(b) and a.to_numpy().tobytes() == b.to_numpy().tobytes()
        assert back.imputed_cells.equals(ix.imputed_cells)
        assert back.treatment.equals(ix.treatment)
        assert back.units == ix.units and back.model == ix.model
        assert back.screened.equals(ix.screened)


def test_pickling_a_panel_with_screening():
    frame = pd.DataFrame({"id": ["a", "a", "b", "b"], "year": [2020, 2021, 2020, 2021],
                          "x": [1.0, None, 3.0, 5.0], "y": [1.0, 2.0, 3.0, 4.0]})
    ix = efc.index(frame, small_model(), period="year", screen=0.75)
    back = pickle.loads(pickle.dumps(ix))
    assert back.screened.equals(ix.screened) and back.screened["period"].tolist() == [2021]
    assert back.aggregated.equals(ix.aggregated)


def test_an_index_read_by_8_threads(asem_path, asem_model, asem_frame):
    expected = {s: asem_path.stage(s) for s in ("raw",) + LEAF_STAGES + ("aggregated",)}
    treatment, cells = asem_path.treatment, asem_path.imputed_cells
    errors = []
    start = threading.Barrier(8)

    def work(i):
        try:
            start.wait()
            for _ in range(3):
                for s, frame in expected.items():
                    assert asem_path.stage(s).equals(frame)
                assert asem_path.treatment.equals(treatment)
                assert asem_path.imputed_cells.equals(cells)
                if i % 2:  # and others run their own index meanwhile
                    assert efc.index(asem_frame, asem_model, id="UnitCode").aggregated.equals(
                        expected["aggregated"])
        except BaseException as e:  # noqa: BLE001 - reported below
            errors.append(e)

    threads = [threading.Thread(target=work, args=(i,)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors


def test_repr_and_html_escape_text():
    model = (efc.ModelBuilder().add_group("<g&>")
             .add_leaf("x", "<g&>").set_normalise("x", "rank").build())
    ix = efc.index(pd.DataFrame({"id": ["<b>", "a"], "x": [1.0, 2.0]}), model)
    html = ix._repr_html_()
    assert "&lt;g&amp;&gt;" in html and "<g&>" not in html
    assert "units" in html and "imputed cells" in html and "screened units" in html
    assert repr(ix) == "<efc.Index: 2 units, 1 leaves, 0 imputed cells, 0 screened out>"


# ---- the steps of a model ----

def test_node_steps_and_builder_setters_round_trip():
    b = (efc.ModelBuilder().add_group("g")
         .add_leaf("x", "g").set_denominator("x", "pop", 1000).set_impute("x", "group_mean:region")
         .set_treat("x", "winsorise").set_normalise("x", "dist2target").set_target("x", 5)
         .add_leaf("y", "g", 0, 10)
         .add_leaf("z", "g").set_step("z", "treat", "boxcox:0.5").set_step("z", "normalise",
                                                                              "zscore:50:10"))
    model = b.build()
    again = efc.Model.from_text(model.to_codebook())
    assert again == model
    for m in (model, again):
        x, y, z = m.node("x"), m.node("y"), m.node("z")
        assert (x.denominator, x.denominator_scale) == ("pop", 1000.0)
        assert (x.impute, x.impute_method, x.impute_column) == ("group_mean:region",
                                                                 "group_mean", "region")
        assert x.treat_method == "winsorise" and x.treat.startswith("winsorise:")
        assert (x.normalise, x.normalise_method, x.target) == ("dist2target", "dist2target", 5.0)
        assert (y.denominator, y.impute, y.treat, y.normalise, y.target) == (None,) * 5
        assert (y.impute_method, y.treat_method, y.normalise_method) == ("none", "none",
                                                                         "goalposts")
        assert (z.treat, z.treat_method) == ("boxcox:0.5", "boxcox")
        assert (z.normalise, z.normalise_method) == ("zscore:50:10", "zscore")
        assert m.node("g").impute is None and m.node("g").normalise_method is None
        assert m.needs_index
    # removing steps
    c = model.copy()
    c.set_denominator("x", None).set_impute("x", None).set_treat("x", None)
    c.set_normalise("x", "minmax").set_target("x", None)
    c.set_step("z", "treat", None).set_step("z", "normalise", "")
    c.set_goalposts("z", 0, 1)
    built = c.build()
    x = built.node("x")
    assert (x.denominator, x.impute, x.treat, x.target) == (None, None, None, None)
    assert built.node("z").normalise_method == "goalposts"
    with pytest.raises(efc.ModelError):
        efc.ModelBuilder().add_group("g").add_leaf("x", "g").set_impute("x", "meen")
    with pytest.raises(efc.ArgumentError):
        efc.ModelBuilder().add_group("g").add_leaf("x", "g").set_step("x", "cook", "x")
    with pytest.raises(efc.ArgumentError):
        efc.ModelBuilder().add_group("g").add_leaf("x", "g", 0)


def test_asem_nodes_carry_their_codebook_steps(asem_model):
    goods = asem_model.node("Goods")
    assert goods.denominator == "Den_GDP" and goods.denominator_scale == 1.0
    assert goods.impute == "group_mean:Group_EurAsia" and goods.impute_column == "Group_EurAsia"
    assert goods.treat == "winsorise:6:2:3.5" and goods.normalise == "minmax:0:100"
    assert asem_model.node("Tariff").denominator is None


def test_threads_give_the_same_bits_and_are_checked():
    """A table large enough for the leaves to go to threads: every stage is
    the same, bit for bit, whatever their number; a bad count is refused."""
    rng = np.random.default_rng(5)
    n, k = 6000, 40
    frame = pd.DataFrame({f"x{j:02d}": np.exp(6 * rng.random(n)) for j in range(k)})
    frame.iloc[::97, 3] = np.nan
    frame.index = pd.Index([f"u{i}" for i in range(n)], name="id")
    rows = ["id,parent,impute,treat,normalise,aggregate", "root,,,,,mean"]
    rows += [f"x{j:02d},root,mean,winsorise,minmax:0:100," for j in range(k)]
    model = efc.Model.from_codebook(io.BytesIO(("\n".join(rows) + "\n").encode()))
    one = efc.index(frame, model, threads=1)
    for t in (2, 3, 0):
        other = efc.index(frame, model, threads=t)
        for stage in ("raw", "imputed", "treated", "normalised", "aggregated"):
            a, b = one.stage(stage).to_numpy(), other.stage(stage).to_numpy()
            assert a.tobytes() == b.tobytes(), (t, stage)
    for bad in (-1, 1025, 1.5, True):
        with pytest.raises(efc.ArgumentError):
            efc.index(frame, model, threads=bad)


def test_reference_period_fits_on_one_year_and_pickles():
    """Parameters from 2018 alone; 2019 measured on 2018's range (above 100
    for a value above 2018's maximum); the same after pickling."""
    rows = ["id,parent,normalise,aggregate", "root,,,mean", "a,root,minmax:0:100,"]
    model = efc.Model.from_codebook(io.BytesIO(("\n".join(rows) + "\n").encode()))
    frame = pd.DataFrame({"id": ["u1", "u2", "u1", "u2"], "year": [2018, 2018, 2019, 2019],
                          "a": [1.0, 3.0, 5.0, 2.0]})
    for ref in (2018, "2018", 2018.0, np.int64(2018)):
        ix = efc.index(frame, model, period="year", reference_period=ref)
        assert ix.normalised["a"].tolist() == [0.0, 100.0, 200.0, 50.0]
    back = pickle.loads(pickle.dumps(ix))
    assert back.normalised.equals(ix.normalised)
    with pytest.raises(efc.NotFoundError):
        efc.index(frame, model, period="year", reference_period=2017)


def test_review_frames_and_orders():
    """Groups bottom-up as efc index writes them (by height), an infinity in
    a column the model does not read kept as text and in a leaf an
    InvalidValueError, datetime periods read as dates."""
    cb = ("id,parent,normalise,impute,aggregate\nroot,,,,mean\nA,root,,,mean\nB,root,,,mean\n"
          "C,B,,,mean\nx,A,minmax,,\ny,C,minmax,,\nz,root,minmax,,\n")
    m = efc.Model.from_codebook(io.BytesIO(cb.encode()))
    f = pd.DataFrame({"id": list("abc"), "x": [1., 2, 3], "y": [1., 5, 3], "z": [3., 2, 1],
                      "other": [1., np.inf, 2]})
    ix = efc.index(f, m)
    assert list(ix.aggregated.columns) == ["x", "y", "z", "A", "C", "B", "root"]
    f.loc[1, "x"] = np.inf
    with pytest.raises(efc.InvalidValueError, match="column 'x'"):
        efc.index(f, m)
    cb2 = "id,parent,impute,normalise,aggregate\nroot,,,,mean\nx,root,linear,minmax,\n"
    m2 = efc.Model.from_codebook(io.BytesIO(cb2.encode()))
    f3 = pd.DataFrame({"id": ["a"] * 3, "x": [1., None, 5.],
                       "period": pd.to_datetime(["2020-01-01", "2020-01-11", "2020-02-10"])})
    assert efc.index(f3, m2, period="period").imputed["x"].tolist() == [1.0, 2.0, 5.0]


def test_reference_period_as_a_timestamp():
    rows = ["id,parent,normalise,aggregate", "root,,,mean", "a,root,minmax,"]
    model = efc.Model.from_codebook(io.BytesIO(("\n".join(rows) + "\n").encode()))
    frame = pd.DataFrame({"id": ["u1", "u2", "u1"], "a": [1.0, 3.0, 5.0],
                          "p": pd.to_datetime(["2018-01-01", "2018-01-01", "2019-01-01"])})
    ix = efc.index(frame, model, period="p", reference_period=pd.Timestamp("2018-01-01"))
    assert ix.normalised["a"].tolist() == [0.0, 1.0, 2.0]


def test_keep_steps_false_keeps_the_final_stages_only(asem_df, asem_model, asem_frame):
    lean = efc.index(asem_frame, asem_model, id="UnitCode", keep_steps=False)
    for stage in ("normalised", "aggregated"):
        a, b = asem_df.stage(stage), lean.stage(stage)
        assert np.array_equal(a.to_numpy().view(np.uint64), b.to_numpy().view(np.uint64))
    assert lean.imputed_cells.equals(asem_df.imputed_cells)
    assert lean.treatment.equals(asem_df.treatment)
    assert lean.fitted_model() == asem_df.fitted_model()
    for stage in ("raw", "denominated", "imputed", "treated"):
        with pytest.raises(efc.ArgumentError, match="not kept"):
            lean.stage(stage)
    again = pickle.loads(pickle.dumps(lean))
    with pytest.raises(efc.ArgumentError):
        again.raw
    assert "units" in lean._repr_html_()
    with pytest.raises(efc.ArgumentError):
        efc.index(asem_frame, asem_model, id="UnitCode", keep_steps=0)
