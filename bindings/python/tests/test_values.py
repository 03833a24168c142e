"""Only real numbers are scored, frames whose columns are ambiguous are
refused, and a progress callback's exception reaches the caller, each with
a clear efc error (issue 15, items 9 and 10; docs/python.md)."""
import math
import os
import traceback

import numpy as np
import pandas as pd
import pytest

import efc


# ---- dtypes (item 9) ----

def test_datetime_array_refused(small):
    a = np.array([["2024-01-01", "2024-01-02"]], dtype="datetime64[ns]")
    with pytest.raises(efc.ArgumentError, match="datetime64"):
        small.score_array(a)


def test_complex_array_refused(small):
    with pytest.raises(efc.ArgumentError, match="complex"):
        small.score_array(np.array([[1 + 2j, 3]]))
    with pytest.raises(efc.ArgumentError, match="not a real number"):
        small.score_array(np.array([[1 + 2j, None]], dtype=object))


def test_sobol_outputs_not_real_refused():
    with pytest.raises(efc.ArgumentError, match="complex"):
        efc.sobol_indices(np.ones(8) + 1j, 2, 2)


def test_masked_values_are_missing(small):
    full = np.ma.masked_all((1, 2))
    assert math.isnan(small.score_array(full)[0, small.node_ids.index("g")])
    half = np.ma.array([[4.0, 99.0]], mask=[[False, True]])
    assert np.array_equal(small.score_array(half), small.score_array([[4.0, np.nan]]),
                          equal_nan=True)


@pytest.mark.parametrize("bad", [
    pd.Series(pd.to_datetime(["2024-01-01", "2024-01-02"])),
    pd.Series(pd.to_timedelta([1, 2], unit="D")),
    pd.Series([1 + 1j, 2 + 0j]),
    pd.Series(pd.Categorical([1 + 1j, 2])),
    pd.Series([pd.Timestamp("2024-01-01"), None], dtype=object),
    pd.Series(pd.to_datetime(["2024-01-01", "2024-01-02"]).tz_localize("UTC")),
    pd.Series(pd.period_range("2024-01", periods=2, freq="M")),
], ids=["datetime", "timedelta", "complex", "complex category", "timestamps", "datetimetz",
        "period"])
def test_frame_column_not_real_refused(small, bad):
    frame = pd.DataFrame({"x": bad, "y": [1, 2]})
    for call in (lambda: small.score_frame(frame),
                 lambda: efc.Quality.from_frame(frame, small),
                 lambda: efc.Panel.from_frame(frame.assign(id=["a", "b"], period=[1, 1]),
                                              small)):
        with pytest.raises(efc.ArgumentError) as e:
            call()
        assert e.value.column_name == "x" and "'x'" in str(e.value)


@pytest.mark.parametrize("bad", [1 + 2j, np.complex128(1 + 1j), np.datetime64("2024-01-01"),
                                 np.timedelta64(3, "D"), pd.Timestamp("2024-01-01"), b"3"])
def test_one_assessment_not_real_refused(small, bad):
    for score in (small.score, small.score_detail):
        with pytest.raises(efc.ArgumentError, match="leaf 'x'") as e:
            score({"x": bad, "y": 1})
        assert e.value.column_name == "x"
        with pytest.raises(efc.ArgumentError, match="leaf 'x'"):
            score([bad, 1])
    # missing values of every kind are missing
    for na in (None, pd.NA, np.ma.masked, math.nan):
        assert small.score({"x": na, "y": 0})["g"] == small.score({"y": 0})["g"] == 1.0


def test_nullable_numbers_score_with_na_missing(small):
    frame = pd.DataFrame({"x": pd.array([4, pd.NA], dtype="Int64"),
                          "y": pd.array([0.0, pd.NA], dtype="Float64")})
    scores = small.score_frame(frame)
    assert scores["g"].iloc[0] == 1.0 and math.isnan(scores["g"].iloc[1])
    flags = pd.DataFrame({"x": pd.array([True, pd.NA], dtype="boolean"), "y": [0, 0]})
    assert small.score_frame(flags)["g"].iloc[0] == small.score({"x": 1, "y": 0})["g"]


# ---- frames (item 10) ----

def test_duplicate_columns_refused(small):
    frame = pd.DataFrame([[1, 2, 3]], columns=["x", "x", "y"])
    for call in (lambda: small.score_frame(frame),
                 lambda: efc.Quality.from_frame(frame, small),
                 lambda: efc.Panel.from_frame(frame.assign(id="a", period=1), small)):
        with pytest.raises(efc.ArgumentError, match="2 columns named 'x'") as e:
            call()
        assert e.value.column_name == "x"


def test_multiindex_columns_refused(small):
    frame = pd.DataFrame([[1, 2]], columns=pd.MultiIndex.from_tuples([("x", "a"), ("y", "b")]))
    for call in (lambda: small.score_frame(frame),
                 lambda: efc.Quality.from_frame(frame, small)):
        with pytest.raises(efc.ArgumentError, match="MultiIndex"):
            call()


def test_progress_exception_reaches_the_caller(capfd):
    hdi = os.path.join(os.path.dirname(__file__), "..", "..", "..", "tests", "data", "hdi")
    model = efc.Model.from_codebook(os.path.join(hdi, "hdi.csv"))
    panel = efc.Panel.from_survey(os.path.join(hdi, "hdi_panel.csv"), model, id="iso3",
                                  period="year")
    calls = []

    class Stop(Exception):
        pass

    def progress(done, total):
        calls.append(done)
        raise Stop(f"stop at {done}")
    with pytest.raises(Stop) as e:
        panel.sensitivity(samples=300, threads=2, progress=progress)
    assert len(calls) == 1  # not called again after it raised
    assert "progress" in "".join(traceback.format_tb(e.value.__traceback__))
    assert "Stop" not in capfd.readouterr().err  # nothing printed and ignored
