"""efc trajectory, compare and rank: hand-computed cases, every error, and
UNDP's HDI panel 1990-2022 followed, compared and ranked against values
computed independently (tests/data/hdi/make_trajectory_reference.py) and
against UNDP's published HDI values and 2022 ranks."""
import csv
import io
import math
import re

import pytest

HDI = "tests/data/hdi"
MODEL = ("id,parent,weight,min,max,direction,transform,aggregate,min_coverage,threshold\n"
         "g,,1,,,,,mean,0,\nx,g,1,0,4,+,none,,,\ny,g,1,0,4,+,none,,,\n")


def rows(text):
    return list(csv.DictReader(io.StringIO(text)))


def num(s):
    return float(s) if s != "" else math.nan


def close(a, b, tol):
    return (math.isnan(a) and math.isnan(b)) or abs(a - b) <= tol


@pytest.fixture
def model(tmp_path):
    p = tmp_path / "model.csv"
    p.write_text(MODEL)
    return p


def write(tmp_path, name, text):
    p = tmp_path / name
    p.write_text(text)
    return p


# ---- hand-computed cases -----------------------------------------------------


def test_trajectory_by_hand(efc, tmp_path, model):
    # x on 0..4, so scores are x / 4. Rows out of order; 2022 has no x.
    # x: 2020 0.2 (0.8/4), 2021 0.4, 2023 0.5: change 0.3, slope 13/140,
    # both steps up: steadiness 1. g = mean(x, y) with y = x except 2022.
    survey = write(tmp_path, "s.csv", "id,period,x,y\n"
                   "a,2023,2,2\na,2020,0.8,0.8\na,2022,,3.6\na,2021,1.6,1.6\nb,2024,2.8,2.8\n")
    r = efc("trajectory", "--model", model, "-q", survey)
    assert r.status == 0, r.err
    out = {(o["id"], o["node"]): o for o in rows(r.text)}
    assert list(rows(r.text)[0].keys()) == [
        "id", "node", "first_period", "last_period", "n", "first", "last", "change", "slope",
        "steadiness", "transfers"]
    g = out[("a", "g")]
    # g: 0.2 0.4 0.9 0.5 (2022: y alone); steps + + -: steadiness 2/3
    assert (g["first_period"], g["last_period"], g["n"]) == ("2020", "2023", "4")
    assert g["steadiness"] == "0.666666666667"
    # b: one assessment: n = 1, change 0, no slope nor steadiness
    b = out[("b", "g")]
    assert (b["n"], b["change"], b["slope"], b["steadiness"]) == ("1", "0", "", "")
    assert ("a", "x") not in out  # leaves only with --items
    r = efc("trajectory", "--model", model, "-q", "--items", survey)
    x = {(o["id"], o["node"]): o for o in rows(r.text)}[("a", "x")]
    assert (x["n"], x["first"], x["last"], x["change"]) == ("3", "0.2", "0.5", "0.3")
    assert x["slope"] == f"{13 / 140:.12f}".rstrip("0")
    assert x["steadiness"] == "1"


def test_transfers_at_and_around_the_tolerance(efc, tmp_path, model):
    # x falls while g = mean(x, y) rises (y rises faster):
    # 1->2: x -0.01 exactly (1.96 -> 1.92 is 0.49 -> 0.48): not a transfer
    # 2->3: x -0.010001 and g up: a transfer; 3->4: x down, g down: not one
    survey = write(tmp_path, "s.csv", "id,period,x,y\n"
                   "a,1,1.96,1\na,2,1.92,1.2\na,3,1.879996,1.4\na,4,0.4,0.4\n")
    r = efc("trajectory", "--model", model, "-q", "--items", survey)
    out = {(o["id"], o["node"]): o for o in rows(r.text)}
    assert out[("a", "x")]["transfers"] == "1"
    assert out[("a", "y")]["transfers"] == "0"
    assert out[("a", "g")]["transfers"] == "0"  # the root never transfers
    r = efc("trajectory", "--model", model, "-q", "--items", "--steps", survey)
    steps = rows(r.text)
    assert steps == [{"id": "a", "node": "x", "parent": "g", "from_period": "2",
                      "to_period": "3", "node_from": "0.48", "node_to": "0.469999",
                      "parent_from": "0.39", "parent_to": "0.4099995"}]
    # tolerance 0: the step of exactly 0.01 counts too
    r = efc("trajectory", "--model", model, "-q", "--items", "--tolerance", "0", survey)
    assert {(o["id"], o["node"]): o for o in rows(r.text)}[("a", "x")]["transfers"] == "2"


def test_dates_and_scales(efc, tmp_path, model):
    # 366 days (2020 is a leap year) = 366 / 365.2425 years; x 0.2 -> 0.5
    survey = write(tmp_path, "s.csv", "id;period;x;y\nc;31/12/2020;2;2\nc;01/01/2020;0,8;0,8\n")
    r = efc("trajectory", "--model", model, "-q", "--decimal-comma", "--date-format", "dmy",
            "--output-dialect", "excel-fr", "--scale", "100", survey)
    assert r.status == 0, r.err
    text = r.out.decode("utf-8-sig")
    out = list(csv.DictReader(io.StringIO(text), delimiter=";"))
    g = out[0]
    assert (g["first_period"], g["last_period"]) == ("2020-01-01", "2020-12-31")
    slope = 30 / (365 / 365.2425)  # 30 points on 0..100 over 365 days
    assert float(g["slope"].replace(",", ".")) == pytest.approx(slope, abs=1e-10)
    assert g["first"] == "20" and g["change"] == "30"


def test_compare_by_hand(efc, tmp_path, model):
    # x: A 2020 0.2, 2022 0.6; B 2021 0.5, 2023 0.3: no common period; over
    # 2021..2022 A - B goes -0.1 -> 0.2, crossing: area 1/12.
    survey = write(tmp_path, "s.csv", "id,period,x,y\n"
                   "A,2020,0.8,2\nA,2022,2.4,2\nB,2021,2,0.4\nB,2023,1.2,1.2\n")
    r = efc("compare", "--model", model, "-q", "--items", "--actors", "A,B", survey)
    assert r.status == 0, r.err
    out = {o["node"]: o for o in rows(r.text)}
    x = out["x"]
    assert (x["actor_a"], x["actor_b"]) == ("A", "B")
    assert (x["change_a"], x["change_b"], x["difference"]) == ("0.4", "-0.2", "0.6")
    assert (x["common_periods"], x["mean_gap"], x["span"]) == ("0", "", "1")
    assert x["area"] == "0.083333333333"
    # A more on x, B more on y (0 against +0.2): neither; only on the root's row
    assert out["g"]["dominance"] == "neither" and x["dominance"] == ""
    spaced = efc("compare", "--model", model, "-q", "--items", "--actors", " A , B", survey)
    assert spaced.status == 0 and spaced.out == r.out  # blanks around ids are not part of them
    r = efc("compare", "--model", model, "-q", "--actors", "A,B,A", survey)
    pairs = {(o["actor_a"], o["actor_b"]) for o in rows(r.text)}
    assert pairs == {("A", "B"), ("A", "A"), ("B", "A")}
    same = [o for o in rows(r.text) if o["actor_a"] == o["actor_b"]]
    assert same[0]["dominance"] == "equal" and same[0]["area"] == "0"


def not_a_number(text):
    """The fields of a CSV output that spell an infinity or a NaN."""
    return [f for line in text.splitlines() for f in line.split(",")
            if f.strip().lower().lstrip("+-") in ("inf", "infinity", "nan")]


def test_huge_periods_give_empty_fields(efc, tmp_path, model):
    # periods from -1.7e308 to 1.7e308 are numbers, their distance is not:
    # span and area printed inf; they are empty as the slope is, never inf
    # or nan, with --scale 100 too; within a finite span the area between
    # far-apart points is right (A is 0.5 over [0, 1], C goes 0.25 -> 0.75:
    # 0.125; it printed 0.25); the chart has finite coordinates
    survey = write(tmp_path, "s.csv", "id,period,x,y\n"
                   "A,-1.7e308,1,1\nA,1.7e308,3,3\nB,-1.7e308,2,2\nB,1.7e308,2,2\n"
                   "C,0,1,1\nC,1,3,3\nD,-1e308,1,1\nD,1e308,3,3\nE,1e-200,1,1\nE,2e-200,3,3\n")
    for scale in ("1", "100"):
        r = efc("compare", "--model", model, "-q", "--scale", scale, "--actors", "A,B,C,D",
                survey)
        assert r.status == 0, r.err
        assert not_a_number(r.text) == [], r.text
        out = {(o["actor_a"], o["actor_b"]): o for o in rows(r.text)}
        for pair in [("A", "B"), ("A", "D"), ("B", "D")]:
            assert (out[pair]["span"], out[pair]["area"]) == ("", ""), out[pair]
        assert out[("A", "B")]["mean_gap"] == ("0.25" if scale == "1" else "25")
        assert out[("A", "C")]["span"] == "1"
        assert out[("A", "C")]["area"] == ("0.125" if scale == "1" else "12.5")
        assert out[("C", "D")]["area"] == ("0.125" if scale == "1" else "12.5")
        t = efc("trajectory", "--model", model, "-q", "--scale", scale, survey)
        assert t.status == 0 and not_a_number(t.text) == [], t.text
        slopes = {o["id"]: o["slope"] for o in rows(t.text)}
        assert slopes == {"A": "", "B": "", "C": "0.5" if scale == "1" else "50", "D": "",
                          "E": ""}
    svg = tmp_path / "a.svg"
    r = efc("chart", "trajectory", "--actor", "A", "--model", model, "-q", survey, "-o", svg)
    assert r.status == 0, r.err
    text = svg.read_text()
    coords = re.findall(r'(?:x|y|x1|x2|y1|y2|cx|cy|points|d)="([^"]*)"', text)
    assert coords and not any(re.search(r"nan|inf", c, re.I) for c in coords)
    # A's two points at the two ends of the axis (the last one was drawn at 0)
    xs = [float(p.split(",")[0]) for p in re.search(r'points="([^"]*)"', text)[1].split()]
    assert len(xs) == 2 and xs[1] - xs[0] > 100, xs


def test_rank_by_hand(efc, tmp_path, model):
    # latest g: a 0.9, b 0.7, c 0.7, d 0.5; e has no score at its latest
    survey = write(tmp_path, "s.csv", "id,period,sector,x,y\n"
                   "a,2020,food,3.2,3.2\na,2022,food,3.6,3.6\nb,2021,farm,2,2\n"
                   "b,2022,food,2.8,2.8\nc,2022,farm,2.8,2.8\nd,2020,farm,2,2\n"
                   "d,2021,farm,2,2\ne,2020,,1.2,1.2\ne,2022,,,\n")
    r = efc("rank", "--model", model, "-q", "--group", "sector", survey)
    assert r.status == 0, r.err
    out = rows(r.text)
    assert [o["id"] for o in out] == ["a", "b", "c", "d", "e"]
    assert [o["rank"] for o in out] == ["1", "2", "2", "4", ""]
    assert [o["percentile"] for o in out] == ["87.5", "50", "50", "12.5", ""]
    assert [o["sector"] for o in out] == ["food", "food", "farm", "farm", ""]
    assert [o["sector_rank"] for o in out] == ["1", "2", "1", "2", ""]
    assert [o["change"] for o in out] == ["0.1", "0.2", "", "0", ""]
    assert [o["change_rank"] for o in out] == ["2", "1", "", "3", ""]
    # a period nobody has: everyone unranked, and a warning
    r = efc("rank", "--model", model, "-q", "--at", "2030", survey)
    assert r.status == 0 and all(o["rank"] == "" for o in rows(r.text))
    assert "warning: " in r.err and "no actor has a score for 'g' at period 2030" in r.err
    # at 2021: b and d tie at 0.5
    r = efc("rank", "--model", model, "-q", "--at", "2021", survey)
    ranked = {o["id"]: o for o in rows(r.text)}
    assert ranked["b"]["rank"] == ranked["d"]["rank"] == "1"
    assert ranked["a"]["rank"] == "" and ranked["a"]["period"] == ""
    # the spread of each node, over all actors and per sector
    r = efc("rank", "--model", model, "-q", "--group", "sector", "--stats", survey)
    stats = {(o["group_column"], o["group"], o["node"]): o for o in rows(r.text)}
    g = stats[("", "", "g")]
    assert (g["count"], g["q1"], g["median"], g["q3"]) == ("4", "0.65", "0.7", "0.75")
    assert stats[("sector", "farm", "g")]["max"] == "0.7"


def test_rank_periods_written_as_the_survey_writes_them(efc, tmp_path, model):
    dates = write(tmp_path, "dmy.csv", "id;period;x;y\na;31/12/2022;1;1\nb;31/12/2022;2;2\n"
                                        "b;30/06/2023;3;3\n")
    r = efc("rank", "--model", model, "-q", "--date-format", "dmy", "--at", "31/12/2022",
            dates)
    assert r.status == 0, r.err
    assert {o["id"]: o["rank"] for o in rows(r.text)} == {"b": "1", "a": "2"}
    r = efc("rank", "--model", model, "-q", "--date-format", "dmy", "--at", "2022-12-31",
            dates)  # the canonical form always works
    assert r.status == 0 and rows(r.text)[0]["period"] == "2022-12-31"
    halves = write(tmp_path, "halves.csv", "id;period;x;y\na;2022,5;1;1\nb;2022,5;2;2\n")
    r = efc("rank", "--model", model, "-q", "--decimal-comma", "--at", "2022,5", halves)
    assert r.status == 0 and rows(r.text)[0]["rank"] == "1", r.err
    r = efc("rank", "--model", model, "--at", "soon", halves)
    assert r.status == 2 and "--at: period 'soon' is not a number" in r.err


def test_errors(efc, tmp_path, model):
    dup = write(tmp_path, "dup.csv", "id,period,x,y\na,2024,1,1\nb,2024,1,1\na,2024.0,2,2\n")
    r = efc("trajectory", "--model", model, dup)
    assert r.status == 1
    assert ("dup.csv:4: actor 'a' has two assessments for period 2024, lines 2 and 4" in r.err)
    assert "hint: --combine mean" in r.err
    # --combine merges them instead
    r = efc("trajectory", "--model", model, "-q", "--combine", "mean", dup)
    assert r.status == 0, r.err
    empty = write(tmp_path, "empty.csv", "id,period,x,y\na,2024,1,1\na,,1,1\n")
    r = efc("trajectory", "--model", model, empty)
    assert r.status == 1 and "empty.csv:3: period '' is empty" in r.err
    noperiod = write(tmp_path, "noperiod.csv", "id,x,y\na,1,1\n")
    r = efc("rank", "--model", model, noperiod)
    assert r.status == 1 and "no period column" in r.err and "--period-column" in r.err
    ok = write(tmp_path, "ok.csv", "id,period,x,y\na,2024,1,1\nb,2024,2,2\n")
    r = efc("compare", "--model", model, "--actors", "a,zz", ok)
    assert r.status == 1 and "actor 'zz' is not in the survey" in r.err and r.out == b""
    for args, why in [(["compare", "--actors", "a"], "at least two actors"),
                      (["compare"], "--actors A,B"),
                      (["compare", "--actors", "a,b", "--node", "x"], "is an item"),
                      (["compare", "--actors", "a,b", "--node", "nope"], "no node 'nope'"),
                      (["rank", "--by", "nope"], "no node 'nope'"),
                      (["rank", "--at", "2024-01-01"], "is a date"),
                      (["trajectory", "--tolerance", "-1"], "--tolerance"),
                      (["trajectory", "--tolerance", "x"], "--tolerance"),
                      (["trajectory", "--stats"], "does not apply"),
                      (["rank", "--items"], "--items adds the leaves to --stats"),
                      (["score", "--steps"], "does not apply")]:
        r = efc(*args, "--model", model, ok)
        assert r.status == 2, (args, r.err)
        assert why in r.err, (args, r.err)
    # rejected rows are reported and the run ends with status 5
    bad = write(tmp_path, "bad.csv", "id,period,x,y\na,2024,1,1\nb,2024,x,1\n")
    r = efc("trajectory", "--model", model, "--on-error", "skip", "-q", bad)
    assert r.status == 5 and "bad.csv:3:3: x:" in r.err
    assert [o["id"] for o in rows(r.text)] == ["a"]


def test_output_file_is_atomic(efc, tmp_path, model):
    out = tmp_path / "out.csv"
    out.write_text("previous\n")
    dup = write(tmp_path, "dup.csv", "id,period,x,y\na,2024,1,1\na,2024,2,2\n")
    r = efc("trajectory", "--model", model, "-o", out, dup)
    assert r.status == 1 and out.read_text() == "previous\n"
    ok = write(tmp_path, "ok.csv", "id,period,x,y\na,2024,1,1\n")
    r = efc("trajectory", "--model", model, "-q", "-o", out, ok)
    assert r.status == 0 and out.read_text().startswith("id,node,")
    r = efc("trajectory", "--model", model, "-o", ok, ok)
    assert r.status == 2  # never overwrites its input


# ---- the HDI panel -------------------------------------------------------------


def reference(source_root, name):
    with open(source_root / HDI / name, newline="") as f:
        return list(csv.DictReader(f))


def test_hdi_trajectories(efc, source_root):
    r = efc("trajectory", "-q", "--model", source_root / HDI / "hdi.csv", "--id", "iso3",
            "--period-column", "year", "--items", source_root / HDI / "hdi_panel.csv")
    assert r.status == 0, r.err
    got = {(o["iso3"], o["node"]): o for o in rows(r.text)}
    ref = reference(source_root, "hdi_trajectory_reference.csv")
    assert len(got) == len(ref) == 206 * 6
    for e in ref:
        o = got[(e["iso3"], e["node"])]
        for c in ("first_period", "last_period", "n", "transfers"):
            assert o[c] == e[c], (e["iso3"], e["node"], c, o[c], e[c])
        # printed to 12 decimals: within 5e-13 of the reference
        for c in ("first", "last", "change", "slope", "steadiness"):
            assert close(num(o[c]), num(e[c]), 6e-13), (e["iso3"], e["node"], c, o[c], e[c])
    assert sum(int(e["transfers"]) for e in ref) > 100  # the panel has transfers to find
    # the first and last HDI are UNDP's published values, to their 3 decimals
    panel = {(p["iso3"], p["year"]): p["hdi"]
             for p in reference(source_root, "hdi_panel.csv")}
    checked, unpublished = 0, set()
    for (iso3, node), o in got.items():
        if node == "hdi" and o["n"] != "0":
            for which in ("first", "last"):
                published = panel[(iso3, o[which + "_period"])]
                if published == "":  # inputs published, the HDI not (Rwanda 1990-94)
                    unpublished.add((iso3, o[which + "_period"]))
                    continue
                assert round(float(o[which]), 3) == float(published), (iso3, which)
                checked += 1
    assert checked > 380 and unpublished == {("RWA", "1990")}


def test_hdi_comparisons(efc, source_root):
    ref = reference(source_root, "hdi_compare_reference.csv")
    pairs = sorted({(e["actor_a"], e["actor_b"]) for e in ref})
    for a, b in pairs:
        r = efc("compare", "-q", "--model", source_root / HDI / "hdi.csv", "--id", "iso3",
                "--period-column", "year", "--items", "--actors", f"{a},{b}",
                source_root / HDI / "hdi_panel.csv")
        assert r.status == 0, r.err
        got = {o["node"]: o for o in rows(r.text)}
        for e in ref:
            if (e["actor_a"], e["actor_b"]) != (a, b):
                continue
            o = got[e["node"]]
            assert o["common_periods"] == e["common_periods"]
            for c in ("change_a", "change_b", "mean_gap", "span", "area"):
                assert close(num(o[c]), num(e[c]), 2e-12), (a, b, e["node"], c, o[c], e[c])


def test_hdi_published_ranks(efc, source_root, tmp_path):
    # countries only (UNDP does not rank its aggregates), ranked on the
    # published HDI: UNDP's published 2022 ranks, ties included
    groups = {g["iso3"]: g for g in reference(source_root, "hdi_groups.csv")}
    lines = ["iso3,year,hdicode,hdi"]
    for p in reference(source_root, "hdi_panel.csv"):
        if groups[p["iso3"]]["hdi_rank_2022"]:
            lines.append(f"{p['iso3']},{p['year']},{groups[p['iso3']]['hdicode']},{p['hdi']}")
    survey = write(tmp_path, "published.csv", "\n".join(lines) + "\n")
    model = write(tmp_path, "published-model.csv",
                  "id,parent,min,max,aggregate\npublished,,,,mean\nhdi,published,0,1,\n")
    r = efc("rank", "-q", "--model", model, "--id", "iso3", "--period-column", "year",
            "--at", "2022", "--group", "hdicode", survey)
    assert r.status == 0, r.err
    got = {o["iso3"]: o for o in rows(r.text)}
    ref = reference(source_root, "hdi_rank_reference.csv")
    assert len(ref) == 193
    for e in ref:
        o = got[e["iso3"]]
        assert o["rank"] == e["published_rank"] == e["rank"], e["iso3"]
        assert o["hdicode_rank"] == e["hdicode_rank"], e["iso3"]
        assert close(num(o["percentile"]), num(e["percentile"]), 5e-12), e["iso3"]
    # shared ranks, as UNDP prints them: Sweden and Denmark are both 5th
    assert got["SWE"]["rank"] == got["DNK"]["rank"] == "5"
    assert got["DEU"]["rank"] == "7"


def test_hdi_ranks_of_rounded_scores(efc, source_root, tmp_path):
    # the HDI computed from its inputs (hdi.csv), countries only: ranked
    # unrounded, 166 of UNDP's 193 published 2022 ranks; --decimals 3 ranks
    # the HDI as UNDP prints it, with ties: all 193
    groups = {g["iso3"]: g for g in reference(source_root, "hdi_groups.csv")}
    rows_in = [p for p in reference(source_root, "hdi_panel.csv")
               if groups[p["iso3"]]["hdi_rank_2022"]]
    cols = ["iso3", "year", "le", "eys", "mys", "gnipc"]
    survey = write(tmp_path, "countries.csv",
                   "\n".join([",".join(cols)] + [",".join(p[c] for c in cols) for p in rows_in])
                   + "\n")
    published = {i: g["hdi_rank_2022"] for i, g in groups.items() if g["hdi_rank_2022"]}
    base = ["rank", "-q", "--model", source_root / HDI / "hdi.csv", "--id", "iso3",
            "--period-column", "year", "--at", "2022"]
    r = efc(*base, survey)
    assert r.status == 0, r.err
    got = {o["iso3"]: o for o in rows(r.text)}
    assert sum(got[i]["rank"] == v for i, v in published.items()) == 166
    r = efc(*base, "--decimals", "3", survey)
    assert r.status == 0, r.err
    got = {o["iso3"]: o for o in rows(r.text)}
    assert sum(got[i]["rank"] == v for i, v in published.items()) == 193
    hdi = {p["iso3"]: p["hdi"] for p in rows_in if p["year"] == "2022"}
    assert all(num(got[i]["score"]) == num(hdi[i]) for i in published)
    assert got["SWE"]["rank"] == got["DNK"]["rank"] == "5"
    for bad in ("13", "-1", "x", "2.5"):
        r = efc(*base, "--decimals", bad, survey)
        assert r.status == 2 and "--decimals needs a number of decimals from 0 to 12" in r.err
