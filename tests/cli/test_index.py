"""efc index: COINr's ASEM example end to end against the independent R
reference of every stage (tests/data/asem), a small case computed by hand,
a model of goalposts only, and every error: file, line, column and exit
status, and outputs left as they were."""
import csv
import io
import math

import pytest

ASEM = "examples/asem"
REF = "tests/data/asem"
STAGES = ["denominated", "imputed", "treated", "normalised", "aggregated"]
STAGE_FILES = ["raw.csv", "denominated.csv", "imputed.csv", "treated.csv", "normalised.csv",
               "aggregated.csv", "treatment.csv", "imputations.csv", "screened.csv"]
TREATMENT_COLUMNS = ["indicator", "low", "high", "skew", "kurtosis", "skew_after",
                     "kurtosis_after", "lower", "upper", "lambda", "shift", "transform"]


def table(text):
    return list(csv.reader(io.StringIO(text)))


def read(path):
    with open(path, newline="") as f:
        return list(csv.reader(f))


def num(s):
    return float(s) if s != "" else math.nan


def assert_same_table(got, want, tol=1e-9, keys=1):
    """Same header, same keys, numbers within tol, missing where missing."""
    assert got[0] == want[0]
    assert len(got) == len(want)
    worst = 0.0
    for g, w in zip(got[1:], want[1:]):
        assert g[:keys] == w[:keys]
        assert len(g) == len(w)
        for col, a, b in zip(got[0][keys:], g[keys:], w[keys:]):
            assert (a == "") == (b == ""), (g[0], col, a, b)
            if a != "":
                worst = max(worst, abs(float(a) - float(b)))
    assert worst <= tol


@pytest.fixture
def asem(source_root):
    return {"model": source_root / ASEM / "asem_codebook.csv",
            "data": source_root / ASEM / "asem_data.csv",
            "ref": source_root / REF}


def run_asem(efc, asem, *extra):
    return efc("index", "--model", asem["model"], "--id", "UnitCode", "--na", "NA", "-q",
               *extra, asem["data"])


# ---- ASEM end to end ---------------------------------------------------------


@pytest.fixture
def asem_run(efc, asem, tmp_path):
    stages = tmp_path / "stages"
    r = run_asem(efc, asem, "--stages", stages)
    assert r.status == 0, r.err
    assert r.err == ""
    return r, stages


def test_asem_every_stage_matches_the_reference(asem_run, asem):
    _, stages = asem_run
    assert sorted(p.name for p in stages.iterdir()) == sorted(STAGE_FILES)
    for stage in STAGES:
        assert_same_table(read(stages / f"{stage}.csv"), read(asem["ref"] / f"{stage}.csv"))


def test_asem_raw_is_the_data_as_read(asem_run, asem):
    _, stages = asem_run
    raw = read(stages / "raw.csv")
    data = read(asem["data"])
    leaves = read(asem["ref"] / "denominated.csv")[0][1:]
    assert raw[0] == ["UnitCode"] + leaves
    columns = [data[0].index(c) for c in raw[0]]
    for got, row in zip(raw[1:], data[1:]):
        want = [row[c] for c in columns]
        assert got[0] == want[0]
        for a, b in zip(got[1:], want[1:]):
            if b == "NA":
                assert a == ""
            else:
                assert abs(float(a) - float(b)) <= 1e-9 * max(1, abs(float(b)))
    assert sum(c == "" for row in raw[1:] for c in row) == 63


def test_asem_stdout_is_the_aggregated_stage(asem_run, asem):
    r, stages = asem_run
    out = table(r.text)
    assert out == read(stages / "aggregated.csv")
    assert_same_table(out, read(asem["ref"] / "aggregated.csv"))
    # the leaves in model order, the pillars, the sub-indices, the root last
    assert out[0][-3:] == ["Conn", "Sust", "Index"]


def test_asem_treatment(asem_run, asem):
    _, stages = asem_run
    got = read(stages / "treatment.csv")
    assert got[0] == TREATMENT_COLUMNS
    want = read(asem["ref"] / "treatment.csv")
    assert want[0] == ["indicator", "low", "high", "transform"]
    short = [[row[0], row[1], row[2], row[-1]] for row in got[1:]]
    assert short == want[1:]
    assert sum(row[-1] == "winsorise" for row in got[1:]) == 15


def test_asem_imputations_and_screened(asem_run):
    _, stages = asem_run
    imputed = read(stages / "imputations.csv")
    assert imputed[0] == ["UnitCode", "indicator"]
    assert len(imputed) - 1 == 65
    assert ["LAO", "Elec"] in imputed and ["LAO", "Gas"] in imputed
    assert read(stages / "screened.csv") == [["UnitCode", "share"]]


def test_asem_ranks_and_published_top_six(asem_run, asem):
    r, _ = asem_run
    out = table(r.text)
    at = out[0].index("Index")
    index = [(row[0], float(row[at])) for row in out[1:]]
    ranked = sorted(index, key=lambda u: -u[1])  # stable: ties keep data order
    ranks = read(asem["ref"] / "ranks.csv")
    assert [u for u, _ in ranked] == [row[0] for row in ranks[1:]]
    for (_, v), row in zip(ranked, ranks[1:]):
        assert abs(v - float(row[1])) <= 1e-9
    top = [(u, f"{v:.2f}") for u, v in ranked[:6]]
    assert top == [("CHE", "68.38"), ("NLD", "64.82"), ("DNK", "64.80"), ("NOR", "64.47"),
                   ("BEL", "63.54"), ("SWE", "63.00")]


def test_asem_to_a_file_and_default_id(efc, asem, tmp_path):
    # without --id: 'id', else the first column (UnitCode), as efc score
    out = tmp_path / "agg.csv"
    r = efc("index", "--model", asem["model"], "--na", "NA", "-o", out, asem["data"])
    assert r.status == 0, r.err
    assert r.out == b""
    assert "51 rows read, 51 units indexed, 0 screened out, 65 cells imputed" in r.err
    assert_same_table(read(out), read(asem["ref"] / "aggregated.csv"))


def test_asem_screening(efc, asem, tmp_path):
    # a share no ASEM country reaches... but the best: every row with a gap goes
    stages = tmp_path / "st"
    r = run_asem(efc, asem, "--screen", "1", "--stages", stages)
    assert r.status == 0, r.err
    screened = read(stages / "screened.csv")
    kept = table(r.text)
    assert len(screened) - 1 + len(kept) - 1 == 51
    assert len(screened) > 1
    for unit, share in screened[1:]:
        assert 0 <= float(share) < 1
        assert unit not in [row[0] for row in kept[1:]]
    assert read(stages / "imputations.csv")[0] == ["UnitCode", "indicator"]


# ---- by hand -----------------------------------------------------------------

HAND_MODEL = ("id,parent,weight,direction,impute,normalise,aggregate\n"
              "g,,1,,,,mean\n"
              "x,g,1,+,mean,minmax,\n"
              "y,g,1,-,,minmax,\n")
# x: 1 2 _ 5, imputed with the mean 8/3; minmax (x - 1) / 4.
# y: 10 20 30 40, direction -: (40 - y) / 30.
HAND_DATA = "id,x,y\na,1,10\nb,2,20\nc,,30\nd,5,40\n"


def test_hand_made(efc, tmp_path):
    model = tmp_path / "m.csv"
    model.write_text(HAND_MODEL)
    data = tmp_path / "d.csv"
    data.write_text(HAND_DATA)
    stages = tmp_path / "st"
    r = efc("index", "--model", model, "--stages", stages, "-q", data)
    assert r.status == 0, r.err
    x = [0, 0.25, (8 / 3 - 1) / 4, 1]
    y = [1, 2 / 3, 1 / 3, 0]
    g = [(a + b) / 2 for a, b in zip(x, y)]
    out = table(r.text)
    assert out[0] == ["id", "x", "y", "g"]
    assert [row[0] for row in out[1:]] == ["a", "b", "c", "d"]
    for row, xv, yv, gv in zip(out[1:], x, y, g):
        assert [float(v) for v in row[1:]] == pytest.approx([xv, yv, gv], abs=1e-12)
    assert g == pytest.approx([0.5, 11 / 24, 3 / 8, 0.5])
    imputed = read(stages / "imputed.csv")
    assert float(imputed[3][1]) == pytest.approx(8 / 3, abs=1e-12)
    assert read(stages / "raw.csv")[3] == ["c", "", "30"]
    assert read(stages / "imputations.csv") == [["id", "indicator"], ["c", "x"]]
    treatment = read(stages / "treatment.csv")
    assert treatment[0] == TREATMENT_COLUMNS
    assert [row[0] for row in treatment[1:]] == ["x", "y"]
    assert [row[-1] for row in treatment[1:]] == ["none", "none"]


def test_hand_made_panel_with_period(efc, tmp_path):
    model = tmp_path / "m.csv"
    model.write_text(HAND_MODEL)
    data = tmp_path / "d.csv"
    data.write_text("id,period,x,y\na,2020,1,10\na,2021,2,20\nb,2020,,30\nb,2021,5,40\n")
    stages = tmp_path / "st"
    r = efc("index", "--model", model, "--stages", stages, "-q", data)
    assert r.status == 0, r.err
    out = table(r.text)
    assert out[0] == ["id", "period", "x", "y", "g"]
    assert [row[:2] for row in out[1:]] == [["a", "2020"], ["a", "2021"], ["b", "2020"],
                                           ["b", "2021"]]
    assert float(out[3][2]) == pytest.approx((8 / 3 - 1) / 4)
    assert read(stages / "imputations.csv") == [["id", "period", "indicator"],
                                                 ["b", "2020", "x"]]
    # '' for none: then the unit appears twice
    r = efc("index", "--model", model, "--period-column", "", "-q", data)
    assert r.status == 1
    assert "appears twice" in r.err


def test_latest_and_linear_with_a_period_column(efc, tmp_path):
    model = tmp_path / "m.csv"
    model.write_text("id,parent,impute,normalise,aggregate\n"
                     "g,,,,mean\nx,g,latest,minmax,\ny,g,linear,minmax,\n")
    data = tmp_path / "d.csv"
    data.write_text("id,year,x,y\na,2012,,\na,2010,10,10\na,2017,24,24\na,2020,,\n"
                    "b,2015,5,5\n")
    stages = tmp_path / "st"
    r = efc("index", "--model", model, "--period-column", "year", "--stages", stages, "-q", data)
    assert r.status == 0, r.err
    imputed = read(stages / "imputed.csv")
    assert imputed[0] == ["id", "year", "x", "y"]
    # latest carries 10 and 24 forward; linear: 10 + 2/7 (24 - 10), none after 2017
    assert imputed[1][:3] == ["a", "2012", "10"] and float(imputed[1][3]) == pytest.approx(14)
    assert imputed[4] == ["a", "2020", "24", ""]
    assert read(stages / "imputations.csv") == [["id", "year", "indicator"], ["a", "2012", "x"],
                                                 ["a", "2012", "y"], ["a", "2020", "x"]]
    # periods of two kinds: the row's line
    data.write_text("id,year,x,y\na,2010,1,1\nb,2020-01-01,,\n")
    r = efc("index", "--model", model, "--period-column", "year", data)
    assert r.status == 1
    assert f"{data}:3:" in r.err and "is a date" in r.err
    # without a period column: refused, naming the leaf
    data.write_text("id,x,y\na,,1\nb,2,3\n")
    r = efc("index", "--model", model, data)
    assert r.status == 1
    assert "leaf 'x'" in r.err and "period column" in r.err


def test_goalposts_only(efc, tmp_path):
    model = tmp_path / "m.csv"
    model.write_text("id,parent,weight,min,max,direction,aggregate\n"
                     "g,,1,,,,mean\nx,g,1,0,10,+,\ny,g,3,0,4,+,\n")
    data = tmp_path / "d.csv"
    data.write_text("id,x,y\na,5,1\nb,10,\n")
    r = efc("index", "--model", model, "-q", data)
    assert r.status == 0, r.err
    out = table(r.text)
    assert out[0] == ["id", "x", "y", "g"]
    assert out[1] == ["a", "0.5", "0.25", "0.3125"]  # (0.5 + 3 * 0.25) / 4
    assert out[2][:3] == ["b", "1", ""]


# ---- errors ------------------------------------------------------------------


def test_missing_data_file(efc, asem, tmp_path):
    r = efc("index", "--model", asem["model"], tmp_path / "nope.csv")
    assert r.status == 3
    assert "nope.csv" in r.err


def test_not_a_number(efc, tmp_path):
    model = tmp_path / "m.csv"
    model.write_text(HAND_MODEL)
    data = tmp_path / "d.csv"
    data.write_text("id,x,y\na,1,10\nb,2,twenty\n")
    r = efc("index", "--model", model, data)
    assert r.status == 1
    assert f"efc: {data}:3:3: " in r.err
    assert "twenty" in r.err


def test_asem_without_na_names_the_cell(efc, asem):
    r = efc("index", "--model", asem["model"], asem["data"])
    assert r.status == 1
    assert f"{asem['data']}:16:43: Poverty" in r.err


def test_duplicate_unit(efc, tmp_path):
    model = tmp_path / "m.csv"
    model.write_text(HAND_MODEL)
    data = tmp_path / "d.csv"
    data.write_text("id,x,y\na,1,10\nb,2,20\na,3,30\n")
    r = efc("index", "--model", model, data)
    assert r.status == 1
    assert f"{data}:4" in r.err and "'a'" in r.err


def test_missing_id_column(efc, asem):
    r = efc("index", "--model", asem["model"], "--id", "Country", "--na", "NA", asem["data"])
    assert r.status == 1
    assert "Country" in r.err


def test_usage_errors(efc, asem, tmp_path):
    assert efc("index", asem["data"]).status == 2  # no --model
    assert efc("index", "--model", asem["model"]).status == 2  # no data
    for bad in ("1.5", "-0.1", "x", "65%"):
        r = efc("index", "--model", asem["model"], "--screen", bad, asem["data"])
        assert r.status == 2 and "--screen" in r.err
    r = efc("index", "--model", asem["model"], "--period", "Year", asem["data"])
    assert r.status == 2 and "--period-column" in r.err
    r = efc("index", "--model", asem["model"], "--scale", "100", asem["data"])
    assert r.status == 2
    f = tmp_path / "file"
    f.write_text("x")
    r = efc("index", "--model", asem["model"], "--stages", f, asem["data"])
    assert r.status == 2 and "not a directory" in r.err


def test_score_with_a_model_that_cannot_be_fitted_gives_the_hint(efc, tmp_path):
    # a rank compares units: no fitted model, so no scoring row by row
    model = tmp_path / "rank.csv"
    model.write_text("id,parent,normalise,aggregate\nroot,,,mean\na,root,rank,\n")
    data = tmp_path / "d.csv"
    data.write_text("id,a\nu1,1\nu2,2\n")
    for verb in ("score", "trajectory"):
        r = efc(verb, "--model", model, data)
        assert r.status == 1
        assert "normalised by rank" in r.err


def test_output_on_the_input_is_refused(efc, asem, tmp_path):
    data = tmp_path / "d.csv"
    data.write_bytes(asem["data"].read_bytes())
    before = data.read_bytes()
    r = efc("index", "--model", asem["model"], "--na", "NA", "-o", data, data)
    assert r.status == 2
    assert "-o would overwrite an input file" in r.err
    # a stage file that is the input
    stages = tmp_path / "st"
    stages.mkdir()
    raw = stages / "raw.csv"
    raw.write_bytes(before)
    r = efc("index", "--model", asem["model"], "--na", "NA", "--stages", stages, raw)
    assert r.status == 2
    assert "--stages would overwrite an input file" in r.err
    assert data.read_bytes() == before and raw.read_bytes() == before


def test_failed_run_leaves_outputs_untouched(efc, asem, tmp_path):
    out = tmp_path / "out.csv"
    stages = tmp_path / "st"
    ok = run_asem(efc, asem, "-o", out, "--stages", stages)
    assert ok.status == 0, ok.err
    (stages / "notes.txt").write_text("mine")
    before = {p.name: p.read_bytes() for p in stages.iterdir()}
    before_out = out.read_bytes()
    bad = tmp_path / "bad.csv"
    bad.write_text(asem["data"].read_text().replace("NA", "n/a", 1))
    r = efc("index", "--model", asem["model"], "--id", "UnitCode", "--na", "NA", "-o", out,
            "--stages", stages, bad)
    assert r.status == 1
    assert out.read_bytes() == before_out
    assert {p.name: p.read_bytes() for p in stages.iterdir()} == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.csv", "out.csv", "st"]
    # a stage directory that did not exist is not created by a failed run
    fresh = tmp_path / "fresh"
    r = efc("index", "--model", asem["model"], "--id", "UnitCode", "--na", "NA", "--stages",
            fresh, bad)
    assert r.status == 1
    assert not fresh.exists()
    # and a successful run into an existing directory keeps the other files
    r = run_asem(efc, asem, "-o", out, "--stages", stages)
    assert r.status == 0, r.err
    assert (stages / "notes.txt").read_text() == "mine"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.csv", "out.csv", "st"]


def test_stdin(efc, asem):
    r = efc("index", "--model", asem["model"], "--id", "UnitCode", "--na", "NA", "-q", "-",
            stdin=asem["data"].read_bytes())
    assert r.status == 0, r.err
    assert_same_table(table(r.text), read(asem["ref"] / "aggregated.csv"))


def test_reference_period_and_jobs(efc, tmp_path):
    """--reference-period: 2018's range for every year (above 100 beyond
    it); refused without a period column or for a period no row has;
    --jobs gives the same bytes."""
    model = tmp_path / "m.csv"
    model.write_text("id,parent,normalise,aggregate\nroot,,,mean\na,root,minmax:0:100,\n")
    data = tmp_path / "d.csv"
    data.write_text("id,year,a\nu1,2018,1\nu2,2018,3\nu1,2019,5\nu2,2019,2\n")
    r = efc("index", "--model", model, "--period-column", "year", "--reference-period", "2018",
            "-q", data)
    assert r.status == 0, r.err
    assert [row[2] for row in table(r.text)[1:]] == ["0", "100", "200", "50"]
    r = efc("index", "--model", model, "--period-column", "year", "--reference-period", "2017",
            "-q", data)
    assert r.status == 1 and "2017" in r.err
    r = efc("index", "--model", model, "--period-column", "", "--reference-period", "2018",
            "-q", data)
    assert r.status == 2 and "--period-column" in r.err
    outs = [efc("index", "--model", f"{ASEM}/asem_codebook.csv", "--id", "UnitCode", "--na",
                "NA", "-q", "-j", j, f"{ASEM}/asem_data.csv").text for j in ("1", "2")]
    assert outs[0] == outs[1]
