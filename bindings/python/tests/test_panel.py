"""Trajectories, comparisons and ranks from Python: the same figures as the
C library's CLI, hand-computed cases, and UNDP's HDI panel against the
independent reference and the published ranks."""
import csv
import io
import math

import numpy as np
import pandas as pd
import pytest

import efc


def read_csv_text(text):
    return pd.read_csv(io.StringIO(text), keep_default_na=False, na_values=[""],
                       dtype={"first_period": str, "last_period": str})


@pytest.fixture
def panel(example_survey):
    return efc.Panel.from_survey(example_survey, groups=["sector"])


def test_trajectories_equal_the_cli(panel, example_survey, run_efc):
    ours = panel.trajectories()
    cli = read_csv_text(run_efc("trajectory", "-q", example_survey))
    cli = cli.set_index(["id", "node"])
    assert len(ours) == len(cli) == 14 * 8
    for row in ours.reset_index().itertuples(index=False):  # keeps each column's type
        c = cli.loc[(row.actor, row.node)]
        assert (row.n, row.transfers) == (c["n"], c["transfers"])
        assert (str(row.first_period), str(row.last_period)) == \
            (c["first_period"], c["last_period"])
        for col in ("first", "last", "change", "slope", "steadiness"):
            assert math.isclose(getattr(row, col), c[col], abs_tol=5e-13), (row.actor, col)
    steps = panel.transfers()
    assert len(steps) == 26 and set(steps.columns) >= {"actor", "node", "parent"}
    one = panel.trajectory("aide-domicile-ouest", "social")
    assert one["transfers"] == 1 and one["tolerance"] == 0.01 and one["n"] == 3


def test_by_hand_from_a_frame():
    m = efc.ModelBuilder().add_group("g").add_leaf("x", "g", 0, 4).add_leaf("y", "g", 0, 4) \
        .build()
    df = pd.DataFrame({"id": ["a", "a", "a", "b", "b"],
                       "period": [2023, 2020, 2021, 2021, 2023],
                       "x": [2, 0.8, 1.6, 2, 1.2], "y": [2, 0.8, 1.6, 0.4, 1.2],
                       "sector": ["f", "f", "f", "f", ""]})
    p = efc.Panel.from_frame(df, m, groups="sector")
    assert p.actors == ["a", "b"] and p.periods("a") == [2020, 2021, 2023]
    assert p.period_values("a") == [2020.0, 2021.0, 2023.0]
    assert p.assessment("a", "2021") == 1 and p.assessment("a", 2021) == 1
    assert p.assessment("a", 2021.0) == 1 and p.assessment("a", "2022") is None
    with pytest.raises(efc.InvalidValueError, match="'soon' is not a number or a date"):
        p.assessment("a", "soon")
    t = p.trajectories(nodes=["x"]).loc[("a", "x")]
    # x: 0.2, 0.4, 0.5 at 2020, 2021, 2023: slope 13/140 (tests/unit/test_panel.c)
    assert t["slope"] == pytest.approx(13 / 140, abs=1e-15)
    assert t["change"] == pytest.approx(0.3, abs=1e-15) and t["steadiness"] == 1
    cmp = p.compare("a", "b", nodes=["x", "g"])
    # x: a 0.2 -> 0.5, b 0.5 -> 0.3; common periods 2021 (gap 0.1) and 2023 (gap 0.2)
    assert cmp.loc["x", "common_periods"] == 2
    assert cmp.loc["x", "mean_gap"] == pytest.approx(0.15, abs=1e-15)
    assert cmp.attrs["dominance"] == "a" and cmp.attrs["dominance_node"] == "g"
    r = p.rank()
    assert list(r.index) == ["a", "b"] and list(r["rank"]) == [1, 2]
    assert list(r["sector_rank"].astype(object)) == [1, pd.NA]
    assert r.attrs["node"] == "g"
    stats = p.group_stats(nodes=["g"])
    assert stats.iloc[0]["count"] == 2 and stats.iloc[0]["group_column"] is None
    with pytest.raises(efc.InvalidValueError,
                       match=r"row with index 'r3': actor 'a' has two assessments for period 1, "
                             r"rows with index 'r1' and 'r3'"):
        efc.Panel.from_frame(pd.DataFrame({"id": ["a", "b", "a"], "period": [1, 1, 1],
                                           "x": [1, 1, 1]}, index=["r1", "r2", "r3"]), m)
    with pytest.raises(efc.NotFoundError):
        p.compare("a", "zz")


def test_dates_from_a_frame():
    m = efc.ModelBuilder().add_group("g").add_leaf("x", "g", 0, 1).build()
    df = pd.DataFrame({"id": ["a", "a"], "period": pd.to_datetime(["2020-01-01", "2021-01-01"]),
                       "x": [0.2, 0.5]})
    p = efc.Panel.from_frame(df, m)
    assert p.period_kind == "date"
    assert p.periods("a") == [pd.Timestamp("2020-01-01"), pd.Timestamp("2021-01-01")]
    t = p.trajectory("a", "x")
    assert t["slope"] == pytest.approx(0.3 / (366 / 365.2425), abs=1e-15)
    assert t["first_period"] == pd.Timestamp("2020-01-01")
    # any spelling of a period finds its assessment
    assert p.assessment("a", pd.Timestamp("2021-01-01")) == 1
    assert p.assessment("a", "2021-01-01") == 1
    assert p.rank(period=pd.Timestamp("2020-01-01"))["period"].iloc[0] == \
        pd.Timestamp("2020-01-01")
    # periods come back typed, so results merge with read_survey's frames
    traj = p.trajectories()
    assert traj["first_period"].dtype.kind == "M" and p.scores()["period"].dtype.kind == "M"
    # text written dd/mm/yyyy, as a French export has it
    fr = pd.DataFrame({"id": ["a", "a"], "period": ["01/01/2020", "01/01/2021"],
                       "x": [0.2, 0.5]})
    q = efc.Panel.from_frame(fr, m, date_format="dmy")
    assert q.periods("a") == p.periods("a")
    assert efc.Panel.from_survey(b"id;period;x\na;01/01/2020;0,2\n", m, date_format="dmy",
                                 decimal_comma=True).assessment("a", "01/01/2020") == 0


def test_from_frame_checks_its_input():
    m = efc.ModelBuilder().add_group("g").add_leaf("x", "g", 0, 1).build()
    with pytest.raises(efc.InvalidValueError, match="row with index 'r2': the actor's id is "
                                                    "missing"):
        efc.Panel.from_frame(pd.DataFrame({"id": ["a", None], "period": [1, 1], "x": [0, 1]},
                                          index=["r1", "r2"]), m)
    floats = efc.Panel.from_frame(pd.DataFrame({"id": [1.0, 2.0, np.nan][:2], "period": [1, 1],
                                                "x": [0, 1]}), m)
    assert floats.actors == ["1", "2"]  # not "1.0"
    with pytest.raises(efc.InvalidValueError, match="row with index 1: period '31/12/2024'"):
        efc.Panel.from_frame(pd.DataFrame({"id": ["a", "b"], "period": ["2024", "31/12/2024"],
                                           "x": [0, 1]}), m)
    with pytest.warns(UserWarning, match="1 item of the model has no column"):
        efc.Panel.from_frame(pd.DataFrame({"id": ["a"], "period": [1], "y": [1]}), m)
    empty = efc.Panel.from_frame(pd.DataFrame({"id": [], "period": [], "x": []}), m)
    assert empty.rank().empty and list(empty.rank().columns)[:2] == ["period", "score"]
    assert empty.trajectories().empty and empty.transfers().empty


def test_compare_names_the_node(panel):
    with pytest.raises(efc.ArgumentError, match="'soc_needs' is an item"):
        panel.compare(panel.actors[0], panel.actors[1], node="soc_needs")


def test_trajectories_are_made_once_per_tolerance(panel):
    assert panel._trajectories(0.01) is panel._trajectories(0.01)
    assert panel._trajectories(0.05) is not panel._trajectories(0.01)
    one = panel.transfers(actors=["plateforme-logistique"])
    assert set(one["actor"]) == {"plateforme-logistique"}
    assert len(one) == (panel.transfers()["actor"] == "plateforme-logistique").sum()


def test_hdi_panel_against_the_reference(hdi):
    model = efc.Model.from_codebook(hdi / "hdi.csv")
    p = efc.Panel.from_survey(hdi / "hdi_panel.csv", model, id="iso3", period="year")
    ours = p.trajectories(nodes=model.node_ids)
    with open(hdi / "hdi_trajectory_reference.csv") as f:
        ref = list(csv.DictReader(f))
    for e in ref:
        o = ours.loc[(e["iso3"], e["node"])]
        assert o["n"] == int(e["n"]) and o["transfers"] == int(e["transfers"])
        for col in ("first", "last", "change", "slope", "steadiness"):
            want = float(e[col]) if e[col] else math.nan
            assert (math.isnan(want) and math.isnan(o[col])) or \
                abs(o[col] - want) <= 1e-15, (e["iso3"], e["node"], col)


def test_hdi_published_ranks(hdi):
    groups = pd.read_csv(hdi / "hdi_groups.csv", keep_default_na=False, na_values=[""])
    countries = groups[groups.hdi_rank_2022.notna()]
    panel = pd.read_csv(hdi / "hdi_panel.csv", keep_default_na=False, na_values=[""])
    panel = panel.merge(countries[["iso3", "hdicode"]], on="iso3")
    panel = panel[panel.hdi.notna()]
    model = efc.ModelBuilder().add_group("published").add_leaf("hdi", "published", 0, 1).build()
    p = efc.Panel.from_frame(panel, model, id="iso3", period="year", groups="hdicode")
    r = p.rank(period="2022")
    ref = countries.set_index("iso3")["hdi_rank_2022"].astype(int)
    assert (r.loc[ref.index, "rank"].astype(int) == ref).all()
    assert r.loc["SWE", "rank"] == r.loc["DNK", "rank"] == 5
    assert r.loc["CHE", "hdicode_median"] == pytest.approx(0.9035, abs=0.02)



def test_hdi_ranks_of_rounded_scores(hdi):
    # the HDI computed from its published inputs (hdi.csv), countries only:
    # unrounded, 166 of UNDP's 193 published 2022 ranks come out; UNDP ranks
    # the HDI rounded to 3 decimals, with ties, and so does decimals=3: all
    # 193
    groups = pd.read_csv(hdi / "hdi_groups.csv", keep_default_na=False, na_values=[""])
    countries = groups[groups.hdi_rank_2022.notna()]
    frame = pd.read_csv(hdi / "hdi_panel.csv", keep_default_na=False, na_values=[""])
    frame = frame[frame.iso3.isin(countries.iso3)]
    model = efc.Model.from_codebook(hdi / "hdi.csv")
    p = efc.Panel.from_frame(frame, model, id="iso3", period="year")
    published = countries.set_index("iso3")["hdi_rank_2022"].astype(int)
    assert len(published) == 193
    raw = p.rank(period="2022")
    assert (raw.loc[published.index, "rank"].astype(int) == published).sum() == 166
    r = p.rank(period="2022", decimals=3)
    assert (r.loc[published.index, "rank"].astype(int) == published).sum() == 193
    assert r.attrs["decimals"] == 3
    # the score ranked is the rounded one, the published HDI
    hdi_2022 = frame[frame.year == 2022].set_index("iso3")["hdi"]
    assert (r.loc[published.index, "score"] == hdi_2022.loc[published.index]).all()
    assert r.loc["SWE", "rank"] == r.loc["DNK", "rank"] == 5
    with pytest.raises(efc.ArgumentError, match="decimals 13 must be -1"):
        p.rank(decimals=13)
    with pytest.raises(efc.ArgumentError, match="whole number"):
        p.rank(decimals=2.5)
