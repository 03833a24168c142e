"""efc reliability and efc items: alpha against R psych on bfi (the
committed reference of tests/data/bfi/make_alpha_reference.R) to 1e-6 as
printed, item statistics by hand, the weak questions of the example, the
French output dialect, and errors."""
import csv
import io


def rows(text):
    return list(csv.DictReader(io.StringIO(text)))


def test_reliability_matches_psych(efc, source_root):
    d = source_root / "tests" / "data" / "bfi"
    r = efc("reliability", "--model", d / "bfi-codebook.csv", d / "bfi.csv")
    assert r.status == 0, r.err
    ours = {(x["node"], x["item"]): x for x in rows(r.text)}
    ref = rows((d / "bfi-psych-alpha.csv").read_text())
    assert len(ours) == len(ref) == 30
    pairs = {"raw_alpha": "alpha", "std_alpha": "std_alpha", "average_r": "average_r",
             "median_r": "median_r", "ase": "ase", "alpha_if_dropped": "alpha_if_dropped",
             "std_alpha_if_dropped": "std_alpha_if_dropped", "r_drop": "r_drop",
             "raw_r": "r_total", "std_r": "std_r", "n": "n", "n_complete": "n_complete"}
    worst = 0.0
    for row in ref:
        o = ours[(row["scale"], row["item"])]
        for theirs, mine in pairs.items():
            assert (row[theirs] == "") == (o[mine] == ""), (row["item"], mine)
            if row[theirs]:
                worst = max(worst, abs(float(row[theirs]) - float(o[mine])))
        if row["item"]:
            worst = max(worst, abs((float(row["mean"]) - 1) / 5 - float(o["mean_norm"])),
                        abs(float(row["sd"]) / 5 - float(o["sd_norm"])))
    assert worst <= 1e-6, worst
    # the scale rows, then their items
    assert [x["item"] == "" for x in rows(r.text)[:7]] == [True] + [False] * 5 + [True]
    assert ours[("agree", "A1")]["flags"] == "raises_alpha"


SURVEY = """id,a,b,c,d
r1,1,2,3,5
r2,2,2,2,12
r3,3,4,1,
r4,4,3,2,7
"""

CODEBOOK = """id,parent,label,levels,min,max,direction,aggregate
root,,Root,,,,,mean
s,root,Scale,,,,,mean
t,root,Single,,,,,mean
a,s,A,0=none|1=low|2=mid|3=high|4=full,0,4,+,
b,s,B,0=none|2=mid|4=full,0,4,+,
c,s,C,,0,4,-,
d,t,D,,0,10,+,
"""


def test_items_by_hand(efc, tmp_path):
    (tmp_path / "cb.csv").write_text(CODEBOOK)
    (tmp_path / "s.csv").write_text(SURVEY)
    r = efc("items", "--model", tmp_path / "cb.csv", "--min-answers", "4", tmp_path / "s.csv")
    assert r.status == 0, r.err
    got = {x["item"]: x for x in rows(r.text)}
    # d: 5, 12 (clamped to 10), missing, 7; type 7 quartiles of 5 7 12
    assert {k: got["d"][k] for k in ("scale", "answers", "missing", "missing_share", "clamped",
                                     "clamped_share", "min", "q1", "median", "q3", "max",
                                     "mean", "sd", "distinct", "levels", "flags")} == {
        "scale": "t", "answers": "3", "missing": "1", "missing_share": "0.25", "clamped": "1",
        "clamped_share": "0.333333333333", "min": "5", "q1": "6", "median": "7", "q3": "9.5",
        "max": "12", "mean": "8", "sd": "3.605551275464", "distinct": "3", "levels": "",
        "flags": "few_answers"}
    assert got["a"]["levels"] == "0=0|1=1|2=1|3=1|4=1" and got["a"]["off_level"] == "0"
    assert got["b"]["levels"] == "0=0|2=2|4=1" and got["b"]["off_level"] == "1"
    assert "1 of 4 items flagged" in r.err
    # a share instead of a count: 3 answers of 4 rows is 75 %
    assert rows(efc("items", "--model", tmp_path / "cb.csv", "--min-answers", "75%",
                    tmp_path / "s.csv").text)[3]["flags"] == ""
    assert rows(efc("items", "--model", tmp_path / "cb.csv", "--min-answers", "75.5%",
                    tmp_path / "s.csv").text)[3]["flags"] == "few_answers"
    # alpha by hand: a, b, c' = 4 - c give 6/7 (tests/unit/test_quality.c)
    rel = rows(efc("reliability", "--model", tmp_path / "cb.csv", tmp_path / "s.csv").text)
    assert rel[0]["node"] == "s" and rel[0]["alpha"] == "0.857142857143"
    assert rel[0]["items"] == rel[0]["items_used"] == "3"
    assert rel[1]["alpha_if_dropped"] == "0.914285714286"  # 32/35
    single = [x for x in rel if x["node"] == "t" and x["item"] == ""][0]
    assert single["alpha"] == "" and single["n"] == "3"


def test_example_weak_questions(efc, source_root):
    survey = source_root / "examples" / "data" / "survey.csv"
    r = efc("items", survey)
    assert r.status == 0, r.err
    flagged = {x["item"]: x["flags"] for x in rows(r.text) if x["flags"]}
    assert flagged == {"eco_positive": "no_variance",
                       "res_overload": "negative_r|raises_alpha",
                       "coop_governance": "few_answers"}
    assert "3 of 29 items flagged" in r.err
    rel = {(x["node"], x["item"]): x for x in rows(efc("reliability", survey).text)}
    assert rel[("ecological", "")]["items_used"] == "5"
    assert rel[("ecological", "eco_positive")]["used"] == "0"
    assert rel[("ecological", "eco_positive")]["items_used"] == ""
    assert float(rel[("resources", "res_overload")]["r_drop"]) < 0
    assert float(rel[("resources", "res_overload")]["alpha_if_dropped"]) > \
        float(rel[("resources", "")]["alpha"]) + float(rel[("resources", "")]["ase"])


def test_french_dialect(efc, source_root, tmp_path):
    survey = source_root / "examples" / "data" / "survey.csv"
    plain = efc("items", "-q", survey).text
    fr = efc("items", "-q", "--output-dialect", "excel-fr", survey).out.decode("utf-8-sig")
    assert fr.splitlines()[0] == plain.splitlines()[0].replace(",", ";")
    row = fr.splitlines()[2].split(";")
    assert row[0] == "soc_access" and row[4] == "0,071428571429"
    # decimal levels take the decimal comma
    (tmp_path / "cb.csv").write_text("id,parent,levels,min,max\ng,,,,\nx,g,0=a|0.5=b|1=c,0,1\n")
    (tmp_path / "s.csv").write_text("id,x\n1,0.5\n2,1\n")
    out = efc("items", "-q", "--output-dialect", "excel-fr", "--model", tmp_path / "cb.csv",
              tmp_path / "s.csv").out.decode("utf-8-sig")
    assert "0=0|0,5=1|1=1" in out


def test_errors(efc, source_root, tmp_path):
    survey = source_root / "examples" / "data" / "survey.csv"
    for bad in ("x", "-1", "150%", "2.5", "", "0x10", "1e3", "inf", "%", "5%%", "99999999999999999999",
                "+5", " 5"):
        r = efc("items", "--min-answers", bad, survey)
        assert r.status == 2 and "--min-answers needs" in r.err, bad
    for option in ("--group", "--scale", "--items"):
        r = efc("reliability", option, "x", survey) if option != "--items" else \
            efc("reliability", option, survey)
        assert r.status == 2 and option in r.err
    # no alpha, and why; no data row
    (tmp_path / "routed.csv").write_text("id,parent,min,max\ns,,,\nx,s,0,4\ny,s,0,4\n")
    (tmp_path / "r.csv").write_text("id,x,y\n1,1,\n2,3,\n3,,2\n4,,4\n")
    r = efc("reliability", "--model", tmp_path / "routed.csv", tmp_path / "r.csv")
    assert r.status == 0 and "s: no alpha: two of its items are answered together by fewer " \
        "than two rows" in r.err
    (tmp_path / "e.csv").write_text("id,x,y\n")
    r = efc("reliability", "--model", tmp_path / "routed.csv", tmp_path / "e.csv")
    assert r.status == 0 and "e.csv: no data row" in r.err and "no alpha" not in r.err
    # a model without scales: a warning, a header
    (tmp_path / "cb.csv").write_text("id,parent,min,max\nroot,,,\ng,root,,\nx,g,0,1\n"
                                     "y,root,0,1\n")
    (tmp_path / "s.csv").write_text("id,x,y\n1,0,1\n")
    r = efc("reliability", "--model", tmp_path / "cb.csv", tmp_path / "s.csv")
    assert r.status == 0 and len(r.text.splitlines()) == 3  # g is a scale of one item
    (tmp_path / "flat.csv").write_text("id,parent,min,max\nroot,,,\nh,root,,\ng,h,,\nx,g,0,1\n"
                                       "y,h,0,1\n")
    r = efc("reliability", "--model", tmp_path / "flat.csv", tmp_path / "s.csv")
    assert r.status == 0 and len(r.text.splitlines()) == 3
    # bad data stops with file, line and column; skip mode reports and exits 5
    (tmp_path / "bad.csv").write_text("id,x,y\n1,0,1\n2,abc,1\n")
    r = efc("items", "--model", tmp_path / "cb.csv", tmp_path / "bad.csv")
    assert r.status == 1 and "bad.csv:3:2: x: value 'abc' is not a number" in r.err
    r = efc("items", "--model", tmp_path / "cb.csv", "--on-error", "skip", tmp_path / "bad.csv")
    assert r.status == 5 and rows(r.text)[0]["answers"] == "1"
    # the output file is replaced only on success
    out = tmp_path / "out.csv"
    out.write_text("keep")
    r = efc("reliability", "--model", tmp_path / "cb.csv", "-o", out, tmp_path / "bad.csv")
    assert r.status == 1 and out.read_text() == "keep"
