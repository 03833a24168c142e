"""efc model --fit: the fitted codebook of COINr's ASEM example scores the
same data with the same bytes at every stage, and a new country on its own
as it scored in the whole; fitting it again changes nothing; a reference
period; French reading options; usage errors, the data's errors with
file, line and column, and outputs left as they were."""
import csv
import io

ASEM = "examples/asem"
STAGES = ["raw", "denominated", "imputed", "treated", "normalised", "aggregated", "imputations"]


def read(path):
    with open(path, newline="") as f:
        return list(csv.reader(f))


def asem_paths(source_root):
    return source_root / ASEM / "asem_codebook.csv", source_root / ASEM / "asem_data.csv"


def fit_asem(efc, source_root, out, *extra):
    model, data = asem_paths(source_root)
    return efc("model", "--model", model, "--fit", data, "--id", "UnitCode", "--na", "NA",
               "-o", out, *extra)


def index(efc, model, data, stages, *extra):
    return efc("index", "--model", model, "--id", "UnitCode", "--na", "NA", "-q",
               "--stages", stages, *extra, data)


def test_fitted_asem_scores_every_stage_as_the_fit(efc, source_root, tmp_path):
    fitted = tmp_path / "fitted.csv"
    r = fit_asem(efc, source_root, fitted)
    assert r.status == 0, r.err
    assert r.out == b""
    assert "51 units indexed" in r.err and "65 cells imputed" in r.err
    rows = {row[0]: row for row in read(fitted)}
    header = read(fitted)[0]
    goods = dict(zip(header, rows["Goods"]))
    # COINr's steps, their parameters written out
    assert goods["denominator"] == "Den_GDP"
    assert goods["impute"].startswith("group_value:Group_EurAsia:Europe=")
    assert goods["normalise"].startswith("minmax:0:100:")
    services = dict(zip(header, rows["Services"]))
    assert services["treat"].startswith("clamp:")
    model, data = asem_paths(source_root)
    assert index(efc, model, data, tmp_path / "a").status == 0
    r = index(efc, fitted, data, tmp_path / "b")
    assert r.status == 0, r.err
    for stage in STAGES:
        assert (tmp_path / "a" / f"{stage}.csv").read_bytes() == \
            (tmp_path / "b" / f"{stage}.csv").read_bytes(), stage
    # fitting the fitted model gives it back, byte for byte
    again = tmp_path / "again.csv"
    r = efc("model", "--model", fitted, "--fit", data, "--id", "UnitCode", "--na", "NA", "-q",
            "-o", again)
    assert r.status == 0 and r.err == ""
    assert again.read_bytes() == fitted.read_bytes()


def test_a_new_unit_alone_scores_as_in_the_fit(efc, source_root, tmp_path):
    fitted = tmp_path / "fitted.csv"
    assert fit_asem(efc, source_root, fitted, "-q").status == 0
    _, data = asem_paths(source_root)
    lines = data.read_text().splitlines()
    whole = efc("index", "--model", fitted, "--id", "UnitCode", "--na", "NA", "-q", data)
    assert whole.status == 0
    want = {row[0]: row for row in csv.reader(io.StringIO(whole.text))}
    for line in (lines[1], lines[17], lines[-1]):
        one = (lines[0] + "\n" + line + "\n").encode()
        r = efc("index", "--model", fitted, "--id", "UnitCode", "--na", "NA", "-q", "-",
                stdin=one)
        assert r.status == 0, r.err
        got = list(csv.reader(io.StringIO(r.text)))
        assert got[0] == want["UnitCode"]
        assert got[1] == want[got[1][0]]


def test_reference_period_and_french_files(efc, tmp_path):
    model = tmp_path / "m.csv"
    model.write_text("id,parent,impute,treat,normalise,aggregate\n"
                     "root,,,,,mean\n"
                     "a,root,mean,,minmax:0:100,\n"
                     "b,root,,,zscore,\n")
    data = tmp_path / "d.csv"
    data.write_bytes("\ufeffid;year;a;b\nu1;2018;1,5;10\nu2;2018;;20\nu3;2018;4,5;30\n"
                     "u1;2019;9;40\n".encode())
    out = tmp_path / "fitted.csv"
    r = efc("model", "--model", model, "--fit", data, "--period-column", "year",
            "--reference-period", "2018", "--decimal-comma", "-o", out)
    assert r.status == 0, r.err
    rows = {row[0]: row for row in read(out)}
    header = read(out)[0]
    a = dict(zip(header, rows["a"]))
    assert a["impute"] == "value:3"
    assert a["normalise"] == "minmax:0:100:1.5:4.5"
    b = dict(zip(header, rows["b"]))
    assert b["normalise"] == "zscore:0:1:20:10"
    # the 2019 row against the 2018 yardstick: beyond it
    r = efc("index", "--model", out, "--period-column", "year", "--decimal-comma", "-q", data)
    assert r.status == 0, r.err
    got = {(row[0], row[1]): row for row in csv.reader(io.StringIO(r.text))}
    assert float(got[("u1", "2019")][2]) == (9 - 1.5) / 3 * 100
    assert float(got[("u1", "2019")][3]) == 2.0


def test_usage_and_data_errors(efc, source_root, tmp_path):
    model, data = asem_paths(source_root)
    r = efc("model", "--model", model, "--id", "UnitCode")
    assert r.status == 2 and "--id applies with --fit" in r.err
    r = efc("model", "--model", model, "--fit", data, "--export")
    assert r.status == 2 and "cannot be combined" in r.err
    r = efc("model", "--model", model, "--fit", "")
    assert r.status == 2
    r = efc("model", "--model", model, "--fit", tmp_path / "absent.csv")
    assert r.status == 3
    # the data's own errors: file, line, column; the output left as it was
    out = tmp_path / "fitted.csv"
    out.write_text("keep")
    r = efc("model", "--model", model, "--fit", data, "--id", "UnitCode", "-o", out)
    assert r.status == 1
    assert f"{data}:16:43: Poverty" in r.err
    assert out.read_text() == "keep"
    # an output onto the data is refused before anything is read
    r = efc("model", "--model", model, "--fit", data, "--id", "UnitCode", "--na", "NA",
            "-o", data)
    assert r.status == 2
    # what cannot be frozen
    rank = tmp_path / "rank.csv"
    rank.write_text("id,parent,normalise,aggregate\nroot,,,mean\na,root,rank,\n")
    small = tmp_path / "small.csv"
    small.write_text("id,a\nu1,1\nu2,2\n")
    r = efc("model", "--model", rank, "--fit", small, "-o", tmp_path / "x.csv")
    assert r.status == 1
    assert "leaf 'a' is normalised by rank" in r.err
    assert not (tmp_path / "x.csv").exists()


# ---- the survey verbs: a fitted model, or one fitted on their input -----------


def score(efc, model, data, *extra, stdin=b""):
    return efc("score", "--model", model, "--id", "UnitCode", "--na", "NA", "--items",
               *extra, data, stdin=stdin)


def test_score_with_the_fitted_model_gives_the_index(efc, source_root, tmp_path):
    """efc score streams the rows through the fitted steps: every leaf and
    group as efc index prints it (both at 12 decimals)."""
    fitted = tmp_path / "fitted.csv"
    assert fit_asem(efc, source_root, fitted, "-q").status == 0
    _, data = asem_paths(source_root)
    r = score(efc, fitted, data, "-q")
    assert r.status == 0, r.err
    got = {row["UnitCode"]: row for row in csv.DictReader(io.StringIO(r.text))}
    ix = efc("index", "--model", fitted, "--id", "UnitCode", "--na", "NA", "-q", data)
    want = list(csv.DictReader(io.StringIO(ix.text)))
    assert len(got) == len(want) == 51
    leaves = set(read(fitted)[0] and [r[0] for r in read(fitted)[1:] if r[6] == ""])
    compared = 0
    for row in want:
        for node, value in row.items():
            if node == "UnitCode":
                continue
            column = node if node in got[row["UnitCode"]] else node + "_norm"
            assert got[row["UnitCode"]][column] == value, (row["UnitCode"], node)
            compared += 1
    assert compared == 51 * 60 and leaves


def test_score_fits_a_model_on_its_own_input(efc, source_root, tmp_path):
    model, data = asem_paths(source_root)
    fitted = tmp_path / "fitted.csv"
    assert fit_asem(efc, source_root, fitted, "-q").status == 0
    r = score(efc, model, data)
    assert r.status == 0, r.err
    assert "fitted on the 51 rows" in r.err and "efc model --fit" in r.err
    assert r.out == score(efc, fitted, data, "-q").out
    # from standard input too, read once and kept
    r2 = score(efc, model, "-", "-q", stdin=data.read_bytes())
    assert r2.status == 0 and r2.err == ""
    assert r2.out == r.out


def test_panel_verbs_take_a_fitted_model(efc, source_root, tmp_path):
    """Ranks and the weights' sensitivity on an index of 0..100: the same
    ranks as the same index on 0..1."""
    fitted = tmp_path / "fitted.csv"
    assert fit_asem(efc, source_root, fitted, "-q").status == 0
    _, data = asem_paths(source_root)
    lines = data.read_text().splitlines()
    panel = tmp_path / "panel.csv"
    panel.write_text("\n".join([lines[0] + ",year"] + [ln + ",2020" for ln in lines[1:]]) + "\n")
    unit = tmp_path / "unit.csv"
    unit.write_text(fitted.read_text().replace("minmax:0:100:", "minmax:0:1:"))
    out = {}
    for name, m in (("100", fitted), ("1", unit)):
        r = efc("sensitivity", "--model", m, "--id", "UnitCode", "--na", "NA", "--period-column",
                "year", "--samples", "200", "-q", panel)
        assert r.status == 0, r.err
        out[name] = [row[4:] for row in csv.reader(io.StringIO(r.text))]
        r = efc("rank", "--model", m, "--id", "UnitCode", "--na", "NA", "--period-column",
                "year", "-q", panel)
        assert r.status == 0, r.err
        out[name + "rank"] = [row[:1] + row[4:6] for row in csv.reader(io.StringIO(r.text))]
    assert out["100"] == out["1"]
    assert out["100rank"] == out["1rank"]
    assert out["1rank"][1] == ["CHE", "1", "99.019607843137"]
    # reports draw on 0..1: an index on 0..100 is said, not drawn off the axes
    for m, status in ((fitted, 1), (unit, 0)):
        r = efc("report", "--model", m, "--id", "UnitCode", "--na", "NA", "--period-column",
                "year", "-q", "-o", tmp_path / "r.html", panel)
        assert r.status == status, r.err
    assert "report draws scores on 0..1" in efc(
        "report", "--model", fitted, "--id", "UnitCode", "--na", "NA", "--period-column", "year",
        "-q", "-o", tmp_path / "r2.html", panel).err
    assert not (tmp_path / "r2.html").exists()


def test_rows_the_steps_cannot_take(efc, tmp_path):
    model = tmp_path / "m.csv"
    model.write_text("id,parent,denominator,treat,normalise,aggregate\n"
                     "root,,,,,geomean\n"
                     "a,root,pop,,minmax:0:1:0:10,\n"
                     "b,root,,shiftlog:1:0.5,minmax:0:1:0:3,\n")
    data = tmp_path / "d.csv"
    data.write_text("id,pop,a,b\nu1,1,5,2\nu2,0,5,2\nu3,1,5,0.2\nu4,1,-5,2\nu5,x,1,2\n")
    r = efc("score", "--model", model, "-q", data)
    assert r.status == 1
    assert f"{data}:3:3: a: the denominator 'pop' is 0" in r.err
    r = efc("score", "--model", model, "--on-error", "skip", "--items", data)
    assert r.status == 5
    rows = list(csv.DictReader(io.StringIO(r.text)))
    assert [row["id"] for row in rows] == ["u1"]
    assert rows[0]["a_norm"] == "0.5" and rows[0]["root"] != ""
    assert f"{data}:4:4: b: the log of winsorising's fallback" in r.err
    assert f"{data}:5: group 'root': geomean needs values >= 0, and 'a' is -0.5" in r.err
    assert f"{data}:6:2: pop: denominator 'x' is not a number" in r.err
    # the denominator's column must be there
    nopop = tmp_path / "nopop.csv"
    nopop.write_text("id,a,b\nu1,5,2\n")
    r = efc("score", "--model", model, nopop)
    assert r.status == 1 and "no column 'pop' for the denominator of a leaf" in r.err
    # combining rows would average denominators: refused
    r = efc("score", "--model", model, "--combine", "mean", data)
    assert r.status != 0 and "without combining" in r.err


# ---- from a review of the row-by-row scoring ------------------------------------


def write(path, text):
    path.write_text(text)
    return path


def fit_small(efc, tmp_path, model_text, data_text):
    """A small codebook fitted on a small file: (the fitted codebook, the file)."""
    model = write(tmp_path / "m.csv", model_text)
    data = write(tmp_path / "fit.csv", data_text)
    fitted = tmp_path / "f.csv"
    r = efc("model", "--model", model, "--fit", data, "-q", "-o", fitted)
    assert r.status == 0, r.err
    return fitted, data


def test_negative_scores_print_as_the_index_prints_them(efc, tmp_path):
    fitted, data = fit_small(efc, tmp_path, "id,parent,normalise,aggregate\nroot,,,mean\n"
                             "a,root,zscore,\nb,root,zscore,\n",
                             "id,a,b\nu1,1,2\nu2,2,4\nu3,3,9\n")
    ix = list(csv.DictReader(io.StringIO(efc("index", "--model", fitted, "-q", data).text)))
    sc = list(csv.DictReader(io.StringIO(
        efc("score", "--model", fitted, "-q", "--items", data).text)))
    assert ix[0]["root"] == sc[0]["root"] == "-0.916025147169"
    assert [r["a"] for r in ix] == [r["a_norm"] for r in sc] == ["-1", "0", "1"]


def test_steps_checked_without_other_columns(efc, tmp_path):
    # no denominator or group column: plain lines too are checked row by row
    fitted, _ = fit_small(efc, tmp_path, "id,parent,treat,normalise,aggregate\nroot,,,,geomean\n"
                          "a,root,log,minmax,\nb,root,,minmax,\n",
                          "id,a,b\nu1,1,2\nu2,2,4\nu3,3,9\n")
    data = write(tmp_path / "d.csv", "id,a,b\nn1,2,3\nn2,0.5,3\nn3,-1,3\n")
    r = efc("score", "--model", fitted, "--on-error", "skip", data)
    assert r.status == 5
    assert f"{data}:3: group 'root': geomean needs values >= 0" in r.err
    assert f"{data}:4:2: a: the log treatment needs values above 0, got -1" in r.err
    assert [row[0] for row in csv.reader(io.StringIO(r.text))] == ["id", "n1"]


def test_fitting_on_the_input_keeps_the_units_dist2ref_names(efc, tmp_path):
    model = write(tmp_path / "m.csv", "id,parent,normalise,aggregate\nroot,,,mean\n"
                  "a,root,dist2ref:u2,\n")
    data = write(tmp_path / "d.csv", "id,a\nu1,1\nu2,4\nu3,3\n")
    r = efc("score", "--model", model, "-q", data)
    assert r.status == 0, r.err
    assert r.text.splitlines()[1:] == ["u1,0", "u2,1", "u3,0.666666666667"]


def test_fitting_on_the_input_refuses_what_it_cannot_do(efc, tmp_path):
    model = write(tmp_path / "m.csv", "id,parent,normalise,aggregate\nroot,,,mean\n"
                  "a,root,minmax,\nb,root,minmax,\n")
    data = write(tmp_path / "d.csv", "id,a,b\nu1,1,2\nu2,x,3\nu3,3,5\n")
    r = efc("score", "--model", model, "--on-error", "skip", data)
    assert r.status == 1
    assert f"{data}:3:2: a: value 'x' is not a number" in r.err
    assert "fit it on clean data with efc model --fit" in r.err
    panel = write(tmp_path / "p.csv", "id,parent,impute,normalise,aggregate\nroot,,,,mean\n"
                  "a,root,latest,minmax,\nb,root,,minmax,\n")
    pdata = write(tmp_path / "pd.csv", "id,period,a,b\nu1,2020,1,2\nu1,2021,,3\nu2,2020,3,4\n")
    r = efc("score", "--model", panel, pdata)
    assert r.status == 1 and "latest or linear" in r.err and "fitted on" not in r.err


def test_a_fitted_leaf_needs_its_column(efc, tmp_path):
    model = write(tmp_path / "m.csv", "id,parent,impute,normalise,aggregate\nroot,,,,mean\n"
                  "a,root,mean,minmax,\nb,root,,minmax,\n")
    fitted = tmp_path / "f.csv"
    assert efc("model", "--model", model, "--fit",
               write(tmp_path / "d.csv", "id,a,b\nu1,1,2\nu2,,4\nu3,3,9\n"), "-q",
               "-o", fitted).status == 0
    r = efc("score", "--model", fitted, write(tmp_path / "nob.csv", "id,b\nn1,3\n"))
    assert r.status == 1
    assert "no column 'a' for a leaf with pipeline steps" in r.err
    # nor can a leaf without goalposts be reverse-keyed
    keys = write(tmp_path / "k.csv", "scale,item,sign\nS,a,+\nS,b,-\n")
    r = efc("score", "--model", fitted, "--keys", keys, tmp_path / "d.csv")
    assert r.status != 0 and "cannot be reverse-keyed" in r.err


def test_sensitivity_refuses_a_drawn_method_below_zero(efc, tmp_path):
    """A fitted model's scores may be negative: a run drawing geomean for a
    group whose child is below 0 fails the analysis, naming the run, the
    group, the child and the actor, whatever the threads (it used to leave
    the actor unranked in that run, counted only in ranked_runs)."""
    model = tmp_path / "m.csv"
    model.write_text("id,parent,normalise,aggregate\n"
                     "root,,,mean\n"
                     "a,root,zscore:0:1:5:2,\n"
                     "b,root,zscore:0:1:5:2,\n")
    data = tmp_path / "d.csv"
    data.write_text("id,year,a,b\nu1,2020,1,9\nu2,2020,6,7\nu3,2020,8,8\nu4,2020,5,6\n")
    out = tmp_path / "s.csv"
    errs = set()
    for jobs in ("1", "2"):
        r = efc("sensitivity", "--model", model, "--period-column", "year", "--aggregation",
                "root=mean,geomean", "--samples", "50", "-q", "-j", jobs, "-o", out, data)
        assert r.status == 1, r.err
        errs.add(r.err)
        assert not out.exists()
    assert len(errs) == 1
    err = errs.pop()
    assert "group 'root' aggregated by geomean needs values >= 0" in err
    assert "'a' is -2 for actor 'u1'" in err and err.startswith("efc: run ")
    # mean and min take any sign: every run ranks every actor
    r = efc("sensitivity", "--model", model, "--period-column", "year", "--aggregation",
            "root=mean,min", "--samples", "50", "-q", data)
    assert r.status == 0, r.err
    rows = list(csv.DictReader(io.StringIO(r.text)))
    assert [row["ranked_runs"] for row in rows] == ["50"] * 4
