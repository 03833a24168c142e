"""efc sensitivity: a case whose rank probabilities are computed by hand,
zero spread, reproducibility across threads, the --sobol and --runs files,
every refusal, and UNDP's HDI panel (nominal ranks as efc rank gives them)."""
import csv
import io
import math

import pytest

HDI = "tests/data/hdi"
# r = mean(g1, g2); g1 = mean(a), g2 = mean(b, c)
MODEL = ("id,parent,weight,min,max,aggregate\n"
         "r,,1,,,mean\ng1,r,1,,,mean\ng2,r,1,,,mean\n"
         "a,g1,1,0,1,\nb,g2,1,0,1,\nc,g2,1,0,1,\n")
# X: g1 = 1, g2 = 0, r = 0.5; Y: 0.4 everywhere; Z: no answer in 2024
SURVEY = "id,period,a,b,c\nX,2024,1,0,0\nY,2024,0.4,0.4,0.4\nZ,2023,1,1,1\n"


def rows(text):
    return list(csv.DictReader(io.StringIO(text)))


@pytest.fixture
def files(tmp_path):
    m = tmp_path / "model.csv"
    m.write_text(MODEL)
    s = tmp_path / "survey.csv"
    s.write_text(SURVEY)
    return m, s


def test_by_hand(efc, files, tmp_path):
    """Weights of g1, g2 from U[0.5, 1.5): X stays first iff w1 / (w1 + w2)
    > 0.4, with probability 0.8125 (tests/unit/test_sensitivity.c derives
    it); a run's output is 1 when X and Y swap, else 0."""
    m, s = files
    runs = tmp_path / "runs.csv"
    r = efc("sensitivity", "--model", m, "--at", "2024", "--nodes", "g1,g2", "--spread", "0.5",
            "--samples", "20000", "--top", "1", "--runs", runs, s)
    assert r.status == 0, r.err
    out = rows(r.text)
    assert list(out[0]) == ["id", "period", "node", "score", "nominal_rank", "median_rank",
                            "rank_p05", "rank_p95", "mean_rank", "rank_min", "rank_max",
                            "p_top_k", "ranked_runs"]
    assert [o["id"] for o in out] == ["X", "Y", "Z"]
    x, y, z = out
    assert x["score"] == "0.5" and x["nominal_rank"] == "1" and y["nominal_rank"] == "2"
    assert abs(float(x["p_top_k"]) - 0.8125) < 0.01
    assert abs(float(x["mean_rank"]) - 1.1875) < 0.01
    assert (x["median_rank"], x["rank_p05"], x["rank_p95"]) == ("1", "1", "2")
    assert x["ranked_runs"] == "20000"
    # Z has no assessment in 2024: in no run, nothing to say
    assert z["period"] == "" and z["nominal_rank"] == "" and z["ranked_runs"] == "0"
    assert z["p_top_k"] == "0" and z["median_rank"] == ""
    rr = rows(runs.read_text())
    assert len(rr) == 20000 and list(rr[0]) == ["run", "matrix", "weight:g1", "weight:g2",
                                                "mean_abs_rank_shift"]
    for row in rr:
        w1, w2 = float(row["weight:g1"]), float(row["weight:g2"])
        assert 0.5 <= w1 < 1.5 and 0.5 <= w2 < 1.5 and row["matrix"] == "A"
        assert row["mean_abs_rank_shift"] == ("0" if w1 / (w1 + w2) > 0.4 else "1")
    assert "efc: sensitivity of 'r': 2 inputs (uniform, spread 0.5), 20000 runs" in r.err


def test_zero_spread_collapses(efc, source_root):
    r = efc("sensitivity", "--model", source_root / HDI / "hdi.csv", "--id", "iso3",
            "--period-column", "year", "--at", "2022", "--spread", "0", "--samples", "20",
            "-q", source_root / HDI / "hdi_panel.csv")
    assert r.status == 0, r.err
    ranked = rank = 0
    ref = {o["iso3"]: o["rank"] for o in rows(efc(
        "rank", "--model", source_root / HDI / "hdi.csv", "--id", "iso3", "--period-column",
        "year", "--at", "2022", "-q", source_root / HDI / "hdi_panel.csv").text)}
    for o in rows(r.text):
        assert o["nominal_rank"] == ref[o["iso3"]]
        if o["nominal_rank"]:
            ranked += 1
            rank = o["nominal_rank"]
            assert o["median_rank"] == o["rank_p05"] == o["rank_p95"] == o["rank_min"] == \
                o["rank_max"] == o["mean_rank"] == rank
    assert ranked > 190


def test_same_result_whatever_the_threads(efc, files, tmp_path, source_root):
    survey = source_root / "examples" / "data" / "survey.csv"
    outs = []
    for jobs, seed in (("1", "7"), ("2", "7"), ("5", "7"), ("2", "8")):
        o, sob, runs = (tmp_path / f"{n}-{jobs}-{seed}.csv" for n in ("o", "sobol", "runs"))
        r = efc("sensitivity", "-j", jobs, "--seed", seed, "--samples", "300", "--sobol", sob,
                "--bootstrap", "100", "--runs", runs, "-o", o, "-q", survey)
        assert r.status == 0, r.err
        outs.append((o.read_bytes(), sob.read_bytes(), runs.read_bytes()))
    assert outs[0] == outs[1] == outs[2]
    assert outs[3][0] != outs[0][0] and outs[3][2] != outs[0][2]
    sob = rows(outs[0][1].decode())
    assert [s["input"] for s in sob] == [
        "weight:effects", "weight:social", "weight:ecological", "weight:local_economy",
        "weight:levers", "weight:resources", "weight:cooperation"]
    for s in sob:
        assert float(s["first_order_q05"]) <= float(s["first_order_q95"])
        assert float(s["total_order_q05"]) <= float(s["total_order"]) <= \
            float(s["total_order_q95"])
    runs = rows(outs[0][2].decode())
    assert len(runs) == 300 * 9
    assert [runs[i]["matrix"] for i in (0, 300, 600, 2699)] == [
        "A", "B", "AB:weight:effects", "AB:weight:cooperation"]


def test_sobol_of_a_weight_that_cannot_matter(efc, files, tmp_path):
    m, s = files
    sob = tmp_path / "sobol.csv"
    r = efc("sensitivity", "--model", m, "--nodes", "g1,g2,a", "--spread", "0.5", "--at",
            "2024", "--samples", "2000", "--sobol", sob, "--bootstrap", "0", "-q", s)
    assert r.status == 0, r.err
    out = {o["input"]: o for o in rows(sob.read_text())}
    # a is g1's only child: its weight changes nothing, f(A_B^a) = f(A)
    assert out["weight:a"]["first_order"] == "0" and out["weight:a"]["total_order"] == "0"
    assert out["weight:a"]["first_order_q05"] == ""  # no bootstrap, no interval
    assert float(out["weight:g1"]["total_order"]) > 0.4


def test_aggregation_and_dirichlet(efc, files, tmp_path):
    m, s = files
    runs = tmp_path / "runs.csv"
    r = efc("sensitivity", "--model", m, "--at", "2024", "--nodes", "g1",
            "--aggregation", "r=mean,min,power:2", "--samples", "600", "--runs", runs, "-q", s)
    assert r.status == 0, r.err
    methods = {row["aggregation:r"] for row in rows(runs.read_text())}
    assert methods == {"mean", "min", "power:2"}
    for row in rows(runs.read_text()):
        if row["aggregation:r"] == "min":  # X scores 0, Y 0.4: they swap
            assert row["mean_abs_rank_shift"] == "1"
    r = efc("sensitivity", "--model", m, "--at", "2024", "--nodes", "b,c", "--dirichlet",
            "5", "--samples", "200", "--runs", runs, "-q", s)
    assert r.status == 0, r.err
    for row in rows(runs.read_text()):
        assert abs(float(row["weight:b"]) + float(row["weight:c"]) - 2) < 1e-9


def test_french_dialect(efc, files, tmp_path):
    m, s = files
    sob = tmp_path / "sobol.csv"
    r = efc("sensitivity", "--model", m, "--at", "2024", "--spread", "0.5",
            "--output-dialect", "excel-fr", "--samples", "200", "--sobol", sob, "-q", s)
    assert r.status == 0, r.err
    assert r.text.startswith("\ufeffid;period;node;score;") or r.text.startswith("id;period;")
    assert ";0,5;1;" in r.text
    assert ";" in sob.read_text(encoding="utf-8-sig") and "," in sob.read_text()


def test_refusals(efc, files, tmp_path):
    m, s = files
    out = tmp_path / "out.csv"
    out.write_text("previous\n")
    for args, why in [(["--spread", "1"], "--spread"),
                      (["--spread", "-0.1"], "--spread"),
                      (["--spread", "0.1", "--dirichlet", "3"], "give one"),
                      (["--dirichlet", "3", "--sobol", tmp_path / "s.csv"], "independent"),
                      (["--dirichlet", "0"], "--dirichlet"),
                      (["--nodes", "nope"], "no node 'nope'"),
                      (["--nodes", "r"], "not below the node ranked"),
                      (["--nodes", "g1,g1"], "already an input"),
                      (["--nodes", ""], "--nodes"),
                      (["--by", "a"], "is a leaf"),
                      (["--aggregation", "r=mean"], "from 2 to 16"),
                      (["--aggregation", "r=mean,median"], "from 2 to 16"),
                      (["--aggregation", "a=mean,min"], "is a leaf"),
                      (["--aggregation", "mean,min"], "GROUP=METHOD"),
                      (["--bootstrap", "10"], "--bootstrap sets the intervals of --sobol"),
                      (["--samples", "1"], "--samples"),
                      (["--samples", "1e3"], "--samples"),
                      (["--top", "0"], "--top"),
                      (["--seed", "-1"], "--seed"),
                      (["--at", "2024-01-01"], "is a date"),
                      (["--items"], "does not apply"),
                      (["--sobol", out], "same file"),
                      (["--runs", s], "would overwrite an input file"),
                      (["--nodes", "g1, nope"], "no node 'nope'")]:
        r = efc("sensitivity", "--model", m, "-o", out, *args, s)
        assert r.status == 2, (args, r.err)
        assert why in r.err, (args, r.err)
        assert out.read_text() == "previous\n"
    r = efc("sensitivity", "--model", m, "--at", "1999", "-o", out, s)
    assert r.status == 1 and "no actor has a score on node 'r' at period 1999" in r.err
    assert out.read_text() == "previous\n"


def test_side_files_are_checked_before_the_runs(efc, files, tmp_path):
    """A path that cannot be written is said at once (status 3), not after
    the runs; nothing is left behind."""
    import time
    m, s = files
    out = tmp_path / "out.csv"
    t0 = time.monotonic()
    r = efc("sensitivity", "--model", m, "--samples", "2000000", "--sobol",
            tmp_path / "no" / "dir" / "s.csv", "-o", out, s)
    assert r.status == 3 and "s.csv" in r.err
    assert time.monotonic() - t0 < 5 and not out.exists()
    # spaces around the ids of --nodes are not part of them
    r = efc("sensitivity", "--model", m, "--nodes", "g1 , g2", "--samples", "10", "-q", s)
    assert r.status == 0, r.err


def test_runs_without_ranks(efc, tmp_path):
    """r needs half its weight present and nobody answered g2's item: in
    the runs where w1 < w2 nobody is ranked. ranked_runs says so, the
    summary warns, and Sobol indices (whose output is then undefined) are
    refused with the reason."""
    m = tmp_path / "m.csv"
    m.write_text("id,parent,weight,min,max,aggregate,min_coverage\nr,,1,,,mean,0.5\n"
                 "g1,r,1,,,mean,\ng2,r,1,,,mean,\na,g1,1,0,1,,\nb,g2,1,0,1,,\n")
    s = tmp_path / "s.csv"
    s.write_text("id,period,a,b\nA,1,0.2,\nB,1,0.4,\n")
    r = efc("sensitivity", "--model", m, "--samples", "1000", s)
    assert r.status == 0, r.err
    out = rows(r.text)
    assert 400 < int(out[0]["ranked_runs"]) < 600
    assert float(out[0]["p_top_k"]) == int(out[0]["ranked_runs"]) / 1000
    assert "left no actor ranked" in r.err and "1 actor" not in r.err
    r = efc("sensitivity", "--model", m, "--samples", "100", "--sobol", tmp_path / "x.csv", s)
    assert r.status == 1 and "min_coverage" in r.err and not (tmp_path / "x.csv").exists()


def test_help_and_listing(efc):
    r = efc("sensitivity", "--help")
    assert r.status == 0 and "usage: efc sensitivity" in r.text
    assert "sensitivity" in efc("--help").text
