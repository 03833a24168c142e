"""Models from Python: the default grid, codebooks, building, introspection,
pickling and scoring one assessment, arrays and frames, checked by hand and
against the C library's own export."""
import io
import math
import pickle
import warnings

import numpy as np
import pandas as pd
import pytest

import efc


def test_version():
    assert efc.__version__ == "0.2.0"
    assert efc.version_number == 200


def test_default_model():
    m = efc.Model.default()
    assert m.source == "default" and m.root == "efc"
    assert len(m) == 37 and len(m.leaf_ids) == 29
    assert m.group_ids == ["efc", "effects", "social", "ecological", "local_economy", "levers",
                           "resources", "cooperation"]
    assert m.languages == ["fr"]
    soc = m.node("social")
    assert (soc.kind, soc.parent, soc.aggregate, soc.min_coverage, soc.threshold) == \
        ("group", "effects", "mean", 0.6, 0.25)
    assert soc.labels == {"": "Social utility", "fr": "Utilité sociale"}
    assert soc.children[0] == "soc_needs" and soc.leaf_index is None
    needs = m.node("soc_needs")
    assert (needs.min, needs.max, needs.direction, needs.transform) == (0, 4, "+", "none")
    assert needs.levels[0] == (0.0, "Needs not examined") and len(needs.levels) == 5
    assert needs.leaf_index == m.leaf_index("soc_needs") == 0
    assert m.label("social", "fr") == "Utilité sociale"
    assert m.level_text("soc_needs", 4, "fr").startswith("Besoins définis")
    assert "social" in m and "nope" not in m
    assert [n.id for n in m.nodes] == m.node_ids
    with pytest.raises(efc.NotFoundError, match="no node 'nope'"):
        m.node("nope")


def test_codebook_round_trip(tmp_path, run_efc):
    m = efc.Model.default()
    text = m.to_codebook()
    assert text == run_efc("model", "--export")  # the same canonical bytes as the C tool
    path = tmp_path / "grid.csv"
    m.to_codebook(path)
    again = efc.Model.from_codebook(path)
    assert again.sha256 == m.sha256 and again.to_codebook() == text
    with open(path, "rb") as f:  # a file with a descriptor: streamed by the C reader
        assert efc.Model.from_codebook(f).sha256 == m.sha256
    assert efc.Model.from_codebook(io.StringIO(text)).sha256 == m.sha256
    with open(tmp_path / "out.csv", "w") as f:
        f.write("")
        m.to_codebook(f)
    assert (tmp_path / "out.csv").read_text() == text
    buf = io.BytesIO()
    m.to_codebook(buf)
    assert buf.getvalue().decode() == text


def test_codebook_errors_carry_their_place(tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("id,parent,weight,min,max\ng,,1,,\nx,g,heavy,0,4\n")
    with pytest.raises(efc.ModelError) as e:
        efc.Model.from_codebook(bad)
    err = e.value
    assert err.code == 5 and err.source == str(bad)
    assert (err.line, err.column) == (3, 3)
    assert "heavy" in err.message and str(err).startswith(f"{bad}:3:3: ")
    with pytest.raises(efc.FileError):
        efc.Model.from_codebook(tmp_path / "missing.csv")
    with pytest.raises(efc.CSVError):
        efc.Model.from_text(b'id,parent\n"g,\n')


def test_pickle_and_copy():
    m = efc.Model.default()
    again = pickle.loads(pickle.dumps(m))
    assert again.sha256 == m.sha256 and again.node_ids == m.node_ids
    b = m.copy()
    b.set_threshold("efc", 0.5).set_weight("levers", 2)
    edited = b.build()
    assert edited.node("efc").threshold == 0.5 and edited.node("levers").weight == 2
    assert m.node("efc").threshold is None  # the original is unchanged
    with pytest.raises(efc.ArgumentError):
        b.build()


def test_builder():
    m = (efc.ModelBuilder()
         .add_group("root", aggregate="power:2", label="Root", description="All")
         .add_leaf("a", "root", 0, 10, levels={0: "none", 10: "all"})
         .add_leaf("b", "root", 1, 1000, transform="log", direction="-", weight=3)
         .set_text("a", "label", "Un", lang="fr")
         .build())
    assert m.node("root").aggregate == "power" and m.node("root").power == 2
    assert m.node("root").description == "All"
    assert m.node("a").levels == ((0.0, "none"), (10.0, "all"))
    assert m.label("a", "fr") == "Un"
    # power mean 2 of a = 0.5 (weight 1) and b = (ln 1000 - ln 10) / ln 1000 = 2/3 (weight 3)
    s = m.score({"a": 5, "b": 10})
    assert s["b"] == pytest.approx(2 / 3, abs=1e-15)
    assert s["root"] == pytest.approx(math.sqrt((0.25 + 3 * 4 / 9) / 4), abs=1e-15)
    with pytest.raises(efc.ModelError, match="no parent|unknown parent|parent"):
        efc.ModelBuilder().add_group("r").add_leaf("x", "nowhere", 0, 1).build()
    with pytest.raises(efc.ArgumentError):
        efc.ModelBuilder().add_group("r", aggregate="median")


def test_refused_builder_calls_add_nothing():
    b = efc.ModelBuilder().add_group("root")
    with pytest.raises(efc.ArgumentError, match="direction 'down'"):
        b.add_leaf("x", "root", 0, 4, direction="down")
    b.add_leaf("x", "root", 0, 4, direction="-")  # no "duplicate id"
    with pytest.raises(efc.ArgumentError, match="aggregate 'geomaen'"):
        b.add_group("sub", "root", aggregate="geomaen")
    b.add_group("sub", "root", aggregate="geomean").add_leaf("y", "sub", 0, 1)
    m = b.build()
    assert m.node("sub").aggregate == "geomean" and m.node("x").direction == "-"


def test_parse_period():
    assert efc.parse_period("2024") == ("number", 2024.0, "2024")
    assert efc.parse_period("31/12/2024", "dmy") == ("date", 20088.0, "2024-12-31")
    assert efc.parse_period("2024,5", decimal_comma=True)[2] == "2024.5"
    assert efc.parse_period(pd.Timestamp("2024-12-31"))[2] == "2024-12-31"
    assert efc.parse_period(2024.0)[2] == "2024" and efc.parse_period("")[0] is None
    with pytest.raises(efc.InvalidValueError, match="'31/12/2024' is not a number or a date"):
        efc.parse_period("31/12/2024")


def test_score_by_hand(small):
    # x = 3 on 0..4 scores 0.75; y = 1 on 0..4, reverse-keyed, scores 0.75
    s = small.score({"x": 3, "y": 1})
    assert s == {"g": 0.75, "x": 0.75, "y": 0.75}
    assert small.score([3, 1]) == s
    missing = small.score({"x": 2, "y": None})
    assert missing["g"] == 0.5 and math.isnan(missing["y"])
    detail = small.score_detail({"x": 5, "y": 1})  # 5 is clamped to 4
    assert detail.clamped == ["x"] and detail.clamped_count == 1
    assert detail.passes == {"g": True} and detail.passes_all is True
    assert small.score({"x": 0}, coverage=True)["g"] == (0.0, 0.5)
    with pytest.raises(efc.NotFoundError, match="'z' is not a leaf"):
        small.score({"z": 1})
    with pytest.raises(efc.InvalidValueError, match="not finite"):
        small.score({"x": math.inf})
    assert small.passes("g", 0.5) is True and small.passes("x", 0.5) is None


def test_score_array_layouts(small):
    rows = np.array([[3.0, 1.0], [0.0, 4.0], [np.nan, 2.0], [4.0, np.nan]])
    c = small.score_array(rows)
    assert c.shape == (4, 3)
    np.testing.assert_array_equal(c[:, small.node_ids.index("g")], [0.75, 0.0, 0.5, 1.0])
    # Fortran order, a strided view and a reversed view: read in place, same scores
    np.testing.assert_array_equal(small.score_array(np.asfortranarray(rows)), c)
    wide = np.zeros((4, 4))
    wide[:, ::2] = rows
    np.testing.assert_array_equal(small.score_array(wide[:, ::2]), c)
    np.testing.assert_array_equal(small.score_array(rows[::-1]), c[::-1])
    np.testing.assert_array_equal(small.score_array(rows.astype(np.float32)), c)
    scores, cov = small.score_array(rows, coverage=True)
    np.testing.assert_array_equal(cov[:, small.node_ids.index("g")], [1, 1, 0.5, 0.5])
    assert small.score_array(np.empty((0, 2))).shape == (0, 3)
    with pytest.raises(efc.ArgumentError, match="rows x 2 leaves"):
        small.score_array(np.zeros((3, 5)))
    with pytest.raises(efc.InvalidValueError, match="row 1"):
        small.score_array(np.array([[1.0, 1.0], [np.inf, 0.0]]))


def test_score_array_equals_one_by_one():
    m = efc.Model.default()
    rng = np.random.default_rng(7)
    values = rng.integers(0, 5, size=(200, len(m.leaf_ids))).astype(float)
    values[rng.random(values.shape) < 0.1] = np.nan
    batch = m.score_array(values)
    for r in range(0, 200, 17):
        one = m.score(dict(zip(m.leaf_ids, values[r])))
        np.testing.assert_array_equal(np.array([one[i] for i in m.node_ids]), batch[r])


def test_score_frame(small):
    df = pd.DataFrame({"org": ["a", "b", "c"], "period": [2023, 2024, 2024],
                       "x": [3, 0, None], "y": ["1", "4", "2"], "note": ["n1", "n2", "n3"]},
                      index=[10, 20, 30])
    out = small.score_frame(df, id="org", keep=["note"], coverage=True, items=True, passes=True)
    assert list(out.columns) == ["org", "period", "note", "g", "g_coverage", "x_norm", "y_norm",
                                 "g_pass", "pass_all"]
    assert list(out.index) == [10, 20, 30]
    assert list(out["g"]) == [0.75, 0.0, 0.5]
    assert list(out["g_coverage"]) == [1.0, 1.0, 0.5]
    assert list(out["g_pass"]) == [True, False, True]
    with warnings.catch_warnings(record=True) as w:
        warnings.simplefilter("always")
        partial = small.score_frame(pd.DataFrame({"x": [4]}))
    assert "1 item of the model has no column and is scored as missing: y" in str(w[0].message)
    assert partial["g"][0] == 1.0
    with pytest.raises(efc.InvalidValueError, match="frame index 'z'"):
        small.score_frame(pd.DataFrame({"x": [1.0, -np.inf], "y": [1, 1]}, index=["w", "z"]))


def test_score_frame_matches_the_cli(example_survey, run_efc):
    m = efc.Model.default()
    raw = pd.read_csv(example_survey)
    ours = m.score_frame(raw, keep=["sector"])
    cli = pd.read_csv(io.StringIO(run_efc("score", "-q", "--group", "sector", example_survey)))
    for g in m.group_ids:
        assert np.allclose(ours[g].to_numpy(), cli[g].to_numpy(), atol=5e-13, rtol=0,
                           equal_nan=True), g


PASSES = ("id,parent,min,max,threshold,min_coverage\n"
          "root,,,,0.5,\n"
          "g,root,,,0.25,1\n"
          "p,g,0,4,0.5,\n"
          "q,g,0,4,,\n"
          "r,root,0,10,0.3,\n")


def test_pass_columns_match_the_cli(tmp_path, run_efc):
    # a leaf's threshold, a group missing for want of coverage, a root
    # scored without it: efc score's <node>_pass and pass_all, score_frame's,
    # score_detail's and Model.passes_all are the library's one outcome
    codebook = tmp_path / "passes.csv"
    codebook.write_text(PASSES)
    survey = tmp_path / "survey.csv"
    rows = [("a", 4, 4, 3), ("b", 1, 4, 9), ("c", "", 4, 9), ("d", "", 0, 3), ("e", 2, 2, 0),
            ("f", "", "", ""), ("g", 4, 0, "")]
    survey.write_text("id,p,q,r\n" + "".join(f"{i},{p},{q},{r}\n" for i, p, q, r in rows))
    m = efc.Model.from_codebook(codebook)
    cli = pd.read_csv(io.StringIO(run_efc("score", "-q", "--model", codebook, survey)))
    ours = m.score_frame(pd.read_csv(survey), passes=True)

    def outcomes(column):
        return [None if pd.isna(x) else bool(x) for x in column]

    for column in ["root_pass", "g_pass", "p_pass", "r_pass", "pass_all"]:
        assert outcomes(ours[column]) == outcomes(cli[column]), column
    assert outcomes(ours["pass_all"]) == [True, False, None, False, False, None, None]
    answers = [{k: (np.nan if v == "" else v) for k, v in zip("pqr", r[1:])} for r in rows]
    assert [m.score_detail(a).passes_all for a in answers] == outcomes(ours["pass_all"])
    assert [m.passes_all(m.score(a)) for a in answers] == outcomes(ours["pass_all"])
    assert m.passes_all({}) is None  # every score missing
    flat = efc.Model.from_text("id,parent,min,max\nroot,,,\nx,root,0,1\n")
    assert flat.passes_all({"x": 1.0, "root": 1.0}) is None  # no threshold


def test_threads_and_chunks_give_the_same_bits():
    m = efc.Model.default()
    rng = np.random.default_rng(11)
    values = rng.integers(0, 5, size=(120_000, len(m.leaf_ids))).astype(float)
    values[rng.random(values.shape) < 0.05] = np.nan
    one = m.score_array(values, threads=1)
    np.testing.assert_array_equal(m.score_array(values, threads=2), one)
    np.testing.assert_array_equal(m.score_array(values, threads=3), one)
    frame = pd.DataFrame(values, columns=m.leaf_ids)
    frame["soc_needs"] = frame["soc_needs"].astype(object)  # a column converted, not viewed
    for threads in (1, 2):
        out = m.score_frame(frame, threads=threads, coverage=True, items=True)
        for k, node_id in enumerate(m.node_ids):
            col = out[node_id if node_id in m.group_ids else node_id + "_norm"]
            np.testing.assert_array_equal(col.to_numpy(), one[:, k])


def test_misaligned_values_are_read_right(misaligned):
    # a numpy view at an odd byte offset (a pickle's or a file's buffer):
    # the library reads doubles, which must be aligned (copied if not)
    m = efc.Model.default()
    values = np.random.default_rng(2).integers(0, 5, size=(300, len(m.leaf_ids))).astype(float)
    np.testing.assert_array_equal(m.score_array(misaligned(values)), m.score_array(values))
    keys = efc.Keys(m, {"both": [m.leaf_ids[0], "-" + m.leaf_ids[1]]})
    np.testing.assert_array_equal(keys.score_array(misaligned(values)), keys.score_array(values))


def test_the_first_bad_row_is_named_whatever_the_threads():
    m = efc.Model.default()
    values = np.full((100_000, len(m.leaf_ids)), 2.0)
    values[70_123, 3] = np.inf
    values[90_000, 0] = -np.inf
    for threads in (1, 2, 4):
        with pytest.raises(efc.InvalidValueError, match=r"row 70123, leaf 'soc_work'"):
            m.score_array(values, threads=threads)
    frame = pd.DataFrame(values, columns=m.leaf_ids, index=np.arange(100_000) + 1000)
    for threads in (1, 2):
        with pytest.raises(efc.InvalidValueError, match=r"row 70123.*frame index 71123"):
            m.score_frame(frame, threads=threads)


def test_threshold_met_as_printed():
    # 0.3 on goalposts 0..3 is 0.09999999999999999, printed 0.1: it meets a
    # threshold of 0.1 in the library, efc score and here alike, since the
    # outcome is the library's (rounded to 12 decimals) for whole columns
    m = efc.Model.from_text("id,parent,min,max,threshold\nr,,,,0.1\nq,r,0,3,0.07\n")
    assert m.score({"q": 0.3})["r"] < 0.1 and m.passes("r", 0.3 / 3) is True
    detail = m.score_detail({"q": 0.3})
    assert detail.passes["r"] is True and detail.passes_all is True
    answers = np.concatenate([np.arange(0, 3.0001, 0.007), [0.3, 0.21, 0.2999999999999,
                                                            0.2999999999986, 0.2999999999984]])
    out = m.score_frame(pd.DataFrame({"q": answers}), passes=True, nodes=["r", "q"])
    for node_id in ("r", "q"):
        expected = [m.passes(node_id, s) for s in out[node_id]]
        assert list(out[node_id + "_pass"]) == expected
    assert bool(out["r_pass"].iloc[-5]) is True  # 0.3
    assert bool(out["q_pass"].iloc[-4]) is True  # 0.21: 0.06999999999999999
    assert bool(out["r_pass"].iloc[-2]) is True and bool(out["r_pass"].iloc[-1]) is False


def test_a_language_the_model_has_not_is_refused():
    """label("de") on a model translated in French only: an error listing
    its languages, not the English label without a word; a node without a
    translation in one of its languages shows its base label."""
    import matplotlib.pyplot as plt
    m = efc.Model.default()
    for call in (lambda: m.label("social", "de"), lambda: m.level_text("soc_needs", 4, "de"),
                 lambda: m.label("social", "en"), lambda: efc.plot.radar(m, {}, lang="de")):
        with pytest.raises(efc.NotFoundError, match=r"the model has no texts in '(de|en)' \(its "
                                                    r"languages: fr; lang=None gives the base "
                                                    r"texts"):
            call()
    assert not plt.get_fignums()  # refused before a figure was made
    assert m.label("social") == m.label("social", "") == m.label("social", None) == \
        "Social utility"
    partial = (efc.ModelBuilder().add_group("g", label="Group").add_leaf("x", "g", 0, 1)
               .set_text("x", "label", "Item", lang="fr").build())
    assert partial.languages == ["fr"]
    assert partial.label("g", "fr") == "Group" and partial.label("x", "fr") == "Item"
    bare = efc.ModelBuilder().add_group("g").add_leaf("x", "g", 0, 1).build()
    with pytest.raises(efc.NotFoundError, match=r"its languages: none;"):
        bare.label("x", "fr")
