"""Surveys from Python: the same rows, scores, errors and rejected rows as
efc score, from paths, streams and bytes, in every dialect."""
import io

import numpy as np
import pandas as pd
import pytest

import efc


def test_read_survey_equals_efc_score(example_survey, run_efc):
    df = efc.read_survey(example_survey, groups=["sector"], coverage=True)
    cli = pd.read_csv(io.StringIO(run_efc("score", "-q", "--group", "sector", "--coverage",
                                          example_survey)), keep_default_na=False, na_values=[""])
    assert len(df) == len(cli) == 42
    assert list(df["id"]) == list(cli["id"])
    assert list(df["period"]) == list(cli["period"]) and df["period"].dtype == np.int64
    assert list(df["sector"]) == list(cli["sector"])
    for col in efc.Model.default().group_ids:
        assert np.allclose(df[col], cli[col], atol=5e-13, rtol=0), col
        assert np.allclose(df[col + "_coverage"], cli[col + "_coverage"], atol=5e-13, rtol=0)
    assert df.index.name == "line" and list(df.index[:3]) == [2, 3, 4]
    counts = df.attrs["counts"]
    assert (counts.rows_read, counts.rows_rejected, counts.rows_out) == (42, 0, 42)
    assert df.attrs["rejected"].empty and df.attrs["warnings"] == []


def test_streams_and_bytes(example_survey):
    whole = efc.read_survey(example_survey)
    with open(example_survey, "rb") as f:
        f.readline()  # a stream is read from where it is: here, a header-less rest
        with pytest.raises(efc.Error):
            efc.read_survey(f)
    with open(example_survey, "rb") as f:
        streamed = efc.read_survey(f)
    pd.testing.assert_frame_equal(streamed, whole)
    data = example_survey.read_bytes()
    pd.testing.assert_frame_equal(efc.read_survey(data), whole)
    pd.testing.assert_frame_equal(efc.read_survey(io.BytesIO(data)), whole)
    pd.testing.assert_frame_equal(efc.read_survey(io.StringIO(data.decode())), whole)


def test_french_excel_and_utf16_read_alike(example_survey):
    text = example_survey.read_text()
    french = ("\ufeff" + text.replace(",", ";").replace("\n", "\r\n")).encode("utf-8")
    utf16 = b"\xff\xfe" + text.encode("utf-16-le")
    base = efc.read_survey(example_survey)
    for data, opts in [(french, {}), (utf16, {}), (text.replace(",", "\t").encode(), {})]:
        other = efc.read_survey(data, **opts)
        pd.testing.assert_frame_equal(other, base)


def test_options_dates_and_combining():
    data = ("org;quand;soc_needs;soc_access;eco_energy\n"
            "a;31/12/2023;2,5;NA;1\na;31/12/2023;3,5;2;3\nb;01/06/2024;1;1;1\n").encode()
    df = efc.read_survey(data, id="org", period="quand", decimal_comma=True, date_format="dmy",
                         na=["NA"], combine="mean", items=True, answers=True)
    assert list(df["org"]) == ["a", "b"]
    assert list(df["quand"]) == [pd.Timestamp("2023-12-31"), pd.Timestamp("2024-06-01")]
    assert list(df["respondents"]) == [2, 1]
    assert df["soc_needs"].tolist() == [3.0, 1.0]  # the mean of 2.5 and 3.5
    assert df["soc_needs_norm"].tolist() == [0.75, 0.25]
    assert df.attrs["counts"].rows_out == 2


def test_skip_mode_keeps_the_rejected_rows():
    data = (b"id,period,soc_needs,soc_access\n"
            b"a,2024,1,2\nb,2024,x,2\nc,2024,1\nd,2024,4,4\n")
    df = efc.read_survey(data, on_error="skip", name="s.csv")
    assert list(df["id"]) == ["a", "d"]
    rej = df.attrs["rejected"]
    assert list(rej["line"]) == [3, 4]
    assert rej["column"][0] == "soc_needs" and rej["column_number"][0] == 3
    assert "not a number" in rej["reason"][0]
    assert rej["column"][1] is None and "fields" in rej["reason"][1]
    assert rej["fields"][0] == ["b", "2024", "x", "2"]
    c = df.attrs["counts"]
    assert c.rows_read == c.rows_out + c.rows_rejected == 4


def test_errors_name_file_line_and_column(tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("id,period,soc_needs\na,2024,1\nb,2024,lots\n")
    with pytest.raises(efc.InvalidValueError) as e:
        efc.read_survey(bad)
    assert (e.value.source, e.value.line, e.value.column, e.value.column_name) == \
        (str(bad), 3, 3, "soc_needs")
    assert str(e.value).startswith(f"{bad}:3:3: ")
    with pytest.raises(efc.SurveyError, match="no column"):
        efc.read_survey(b"who,when\na,2024\n")
    with pytest.raises(efc.FileError):
        efc.read_survey(tmp_path / "missing.csv")
    with pytest.raises(efc.CSVError):
        efc.read_survey(b"id,soc_needs\n\"a,1\n")
    with pytest.raises(efc.ArgumentError, match="on_error"):
        efc.read_survey(bad, on_error="maybe")


def test_streaming_batches(example_survey):
    with efc.Survey(example_survey, batch_size=10, groups="sector") as s:
        assert s.id_column == "id" and s.period_column == "period"
        assert s.group_columns == ["sector"]
        assert "size" in s.ignored_columns and s.missing_items == []
        assert s.delimiter == "," and s.leaf_columns[0] == "soc_needs"
        sizes = []
        for frame in s:
            sizes.append(len(frame))
            assert frame.attrs["clamped"] == 0
        assert sizes == [10, 10, 10, 10, 2]
        assert s.period_kind == "number" and s.counts.rows_read == 42
    with efc.Survey(example_survey) as s:
        assert s.read_batch()
        row = s.row(0)
        assert row["id"] == "ferme-des-coteaux" and row["period"] == "2022"
        assert row["line"] == 2 and row["respondents"] == 1
        assert 0 <= row["scores"]["efc"] <= 1
        with pytest.raises(IndexError):
            s.row(10_000)


def test_threads_do_not_change_results(example_survey):
    one = efc.read_survey(example_survey, threads=1)
    two = efc.read_survey(example_survey, threads=2, batch_size=7)
    pd.testing.assert_frame_equal(one, two)
