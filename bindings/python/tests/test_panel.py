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
    assert floats.actors == [1.0, 2.0]  # the column's values and dtype
    assert floats.periods("1") == floats.periods(1) == floats.periods(1.0) == [1]  # not "1.0"
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
        # a row mixes the Int64 periods with floats: pandas makes it Float64 (NA for NaN)
        o = ours.loc[(e["iso3"], e["node"])]
        assert o["n"] == int(e["n"]) and o["transfers"] == int(e["transfers"])
        for col in ("first", "last", "change", "slope", "steadiness"):
            want = float(e[col]) if e[col] else math.nan
            assert (math.isnan(want) and pd.isna(o[col])) or \
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



def test_rank_at_a_period_nobody_has(panel):
    """A period no actor has is refused, naming it and the panel's periods,
    in rank, group_stats and sensitivity alike (not a frame of NaN)."""
    message = r"no actor has an assessment at period 1999 \(the panel's 3 periods: 2022, 2023, 2024\)"
    for call in (lambda: panel.rank(period=1999), lambda: panel.group_stats(period="1999"),
                 lambda: panel.sensitivity(period=1999.0, samples=10)):
        with pytest.raises(efc.NotFoundError, match=message) as e:
            call()
        assert isinstance(e.value, KeyError)
    assert panel.rank(period=2023)["rank"].notna().all()
    with pytest.raises(efc.InvalidValueError, match="'soon' is not a number or a date"):
        panel.rank(period="soon")


def test_rank_without_a_score_warns():
    m = efc.ModelBuilder().add_group("g").add_leaf("x", "g", 0, 1).build()
    p = efc.Panel.from_frame(pd.DataFrame({"id": ["a", "b", "a"], "period": [1, 1, 2],
                                           "x": [np.nan, np.nan, 0.5]}), m)
    with pytest.warns(UserWarning, match="no actor has a score for 'g' at period 1"):
        assert p.rank(period=1)["rank"].isna().all()
    many = efc.Panel.from_frame(pd.DataFrame({"id": "a", "period": range(2000, 2020),
                                              "x": 0.5}), m)
    with pytest.raises(efc.NotFoundError, match=r"the panel's 20 periods: 2000, 2001, 2002, "
                                                r"2003, 2004, \.\.\., 2015, 2016"):
        many.rank(period=1999)
    empty = efc.Panel.from_frame(pd.DataFrame({"id": [], "period": [], "x": []}), m)
    with pytest.raises(efc.NotFoundError, match=r"\(the panel has no assessment\)"):
        empty.rank(period=1)


def _one_leaf():
    return efc.ModelBuilder().add_group("g").add_leaf("x", "g", 0, 1).build()


def test_integer_ids_keep_their_type_and_order():
    """Integer ids come back as integers, in numeric order (1, 2, 10, not
    '1', '10', '2'), in every frame; lookups take them as they are."""
    m = _one_leaf()
    df = pd.DataFrame({"org": [10, 2, 1, 10, 2, 1], "year": [1, 1, 1, 2, 2, 2],
                       "x": [0.5, 0.5, 0.5, 0.9, 0.1, 0.5], "sector": list("aabaab")})
    p = efc.Panel.from_frame(df, m, id="org", period="year", groups="sector")
    assert p.actors == [1, 2, 10]
    s = p.scores()
    assert s["actor"].dtype == np.int64 and list(s["actor"]) == [1, 1, 2, 2, 10, 10]
    t = p.trajectories()
    assert t.index.get_level_values("actor").dtype == np.int64
    assert list(t.index.get_level_values("actor")) == [1, 2, 10]
    r = p.rank(period=1)  # all tied: the ties in numeric order
    assert r.index.dtype == np.int64 and list(r.index) == [1, 2, 10]
    assert list(r["rank"]) == [1, 1, 1]
    assert list(p.rank().index) == [10, 1, 2]
    steps = p.transfers(tolerance=0.0)
    assert steps["actor"].dtype == np.int64
    sens = p.sensitivity(samples=20)
    assert sens.ranks().index.dtype == np.int64 and list(sens.ranks().index) == [10, 1, 2]
    assert sens.run_ranks()[0].tolist() == [2.0, 3.0, 1.0]  # columns in the order of actors
    assert p.periods(10) == p.periods("10") == [1, 2]
    assert p.trajectory(2, "x")["change"] == pytest.approx(-0.4)
    assert p.compare(1, 10).loc["g", "change_b"] == pytest.approx(0.4)
    import matplotlib.pyplot as plt
    assert efc.plot.trajectory(p, 10, ["x"]).get_title() == "10"
    plt.close("all")
    merged = r.reset_index().merge(df[df.year == 1], left_on="actor", right_on="org")
    assert len(merged) == 3
    # nullable integers stay nullable integers, text stays text in its order
    q = efc.Panel.from_frame(df.astype({"org": "Int64"}), m, id="org", period="year")
    assert q.scores()["actor"].dtype == "Int64" and q.actors == [1, 2, 10]
    text_ids = efc.Panel.from_frame(df.astype({"org": str}), m, id="org", period="year")
    assert text_ids.actors == ["1", "10", "2"] and text_ids.rank().index.dtype == object
    assert list(text_ids.trajectories().index.get_level_values("actor")) == ["1", "10", "2"]


def test_periods_keep_their_type_with_gaps():
    """A series without a score has no first period: the column stays one
    of integers (nullable Int64) or dates (NaT), not floats."""
    m = _one_leaf()
    df = pd.DataFrame({"id": ["a", "a", "b"], "period": [2020, 2021, 2020],
                       "x": [np.nan, np.nan, 0.5]})
    p = efc.Panel.from_frame(df, m)
    t = p.trajectories()
    for col in ("first_period", "last_period"):
        assert t[col].dtype == "Int64", col
    assert t.loc[("a", "g"), "first_period"] is pd.NA
    assert t.loc[("b", "g"), "first_period"] == 2020
    one = p.trajectory("a", "x")
    assert one["first_period"] is pd.NA and one["last_period"] is pd.NA
    assert p.trajectory("b", "x")["first_period"] == 2020
    with pytest.warns(UserWarning, match="no actor has a score"):
        r = p.rank(period=2021)  # b has no assessment in 2021, a no score
    assert r["period"].dtype == "Int64" and r.loc["b", "period"] is pd.NA
    assert r.loc["a", "period"] == 2021
    assert p.scores()["period"].dtype == np.int64  # never missing: plain integers
    dates = efc.Panel.from_frame(df.assign(period=pd.to_datetime(["2020-01-01", "2021-01-01",
                                                                  "2020-01-01"])), m)
    td = dates.trajectories()
    assert td["first_period"].dtype.kind == "M" and pd.isna(td.loc[("a", "g"), "first_period"])
    with pytest.warns(UserWarning, match="no actor has a score"):
        assert dates.rank(period="2021-01-01")["period"].dtype.kind == "M"
    fractional = efc.Panel.from_frame(df.assign(period=[2020.5, 2021, 2020.5]), m)
    assert fractional.trajectories()["first_period"].dtype == np.float64


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


def test_periods_as_the_survey_wrote_them():
    """A panel read with date_format="dmy" finds a period given as
    dd/mm/yyyy, as the docs say, not only in its ISO form."""
    csv = ("id,period,x\na,30/06/2024,0.5\na,31/12/2024,0.7\nb,30/06/2024,0.2\n").encode()
    m = efc.ModelBuilder().add_group("g").add_leaf("x", "g", 0, 1).build()
    p = efc.Panel.from_survey(csv, m, date_format="dmy")
    assert p.assessment("a", "30/06/2024") is not None
    assert p.assessment("a", "30/06/2024") == p.assessment("a", "2024-06-30")
    assert list(p.rank(period="31/12/2024")["rank"].dropna()) == [1]
