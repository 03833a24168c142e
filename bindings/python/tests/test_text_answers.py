"""Rough edges pandas users hit (issue 20, section 5): one rule for text
answers in every entry point (efc_answer_parse: a number as a survey reads
it; with labels, the text of a level), errors naming the column and row,
frames refused where arrays are read by position, ordered text categoricals
read through the codebook's levels."""
import math

import numpy as np
import pandas as pd
import pytest

import efc

LIKERT = ("id,parent,min,max,aggregate,levels,levels_fr\n"
          "g,,,,mean,,\n"
          "x,g,1,5,,1=Strongly disagree|2=Disagree|3=Neutral|4=Agree|5=Strongly agree,"
          "1=Pas du tout d'accord|2=Pas d'accord|3=Neutre|4=D'accord|5=Tout à fait d'accord\n"
          "y,g,0,4,,,\n")


@pytest.fixture
def likert():
    return efc.Model.from_text(LIKERT, name="likert.csv")


# ---- 5.1: one rule for strings, errors naming column and row ----

def test_text_numbers_read_as_the_survey_reader_reads_them(small):
    frame = pd.DataFrame({"x": ["3", " 2.5 ", "", None], "y": [1, 1, 1, 1]})
    got = small.score_frame(frame, items=True)["x_norm"].to_numpy()
    assert np.allclose(got[:2], [0.75, 0.625]) and np.isnan(got[2:]).all()
    # the same text, the same value, wherever it is given
    assert small.score({"x": "3", "y": 1}) == small.score({"x": 3, "y": 1})
    assert small.score_detail(["3", "1"]).scores == small.score_detail([3, 1]).scores
    assert np.array_equal(small.score_array(np.array([["3", "1"]], dtype=object)),
                          small.score_array([[3.0, 1.0]]))
    assert small.score({"x": "3,5", "y": 1}, decimal_comma=True)["x"] == 3.5 / 4
    comma = small.score_frame(pd.DataFrame({"x": ["3,5"], "y": [1]}), decimal_comma=True,
                              items=True)
    assert comma["x_norm"].iloc[0] == 3.5 / 4


@pytest.mark.parametrize("text, why", [("abc", "'abc' is not a number"),
                                       ("3,5", "'3,5' is not a number (for a decimal comma"),
                                       ("inf", "'inf' is not a number")])
def test_text_that_is_not_a_number(small, text, why):
    frame = pd.DataFrame({"x": ["1", text], "y": [1, 2]}, index=["r1", "r2"])
    for call in (lambda: small.score_frame(frame),
                 lambda: efc.Quality.from_frame(frame, small),
                 lambda: efc.Panel.from_frame(frame.assign(id=["a", "b"], period=[1, 1]),
                                              small)):
        with pytest.raises(efc.InvalidValueError) as e:
            call()
        assert str(e.value).startswith(f"column 'x', row with index 'r2': {why}")
        assert e.value.column_name == "x" and e.value.row == 1
        assert e.value.reason == "not_a_number"
    with pytest.raises(efc.InvalidValueError) as e:
        small.score({"x": text})
    assert str(e.value).startswith(f"leaf 'x': {why}")
    assert e.value.column_name == "x" and e.value.reason == "not_a_number"
    with pytest.raises(efc.InvalidValueError) as e:
        small.score_array(np.array([["1", "1"], [text, "1"]], dtype=object))
    assert str(e.value).startswith(f"leaf 'x', row 1: {why}")


def test_string_dtype_and_objects_mixed(small):
    frame = pd.DataFrame({"x": pd.array(["4", None], dtype="string"), "y": [0, 0]})
    assert list(small.score_frame(frame, items=True)["x_norm"].fillna(-1)) == [1.0, -1]
    mixed = pd.DataFrame({"x": pd.Series([4, "2", None, pd.Timestamp("2024-01-01")],
                                         dtype=object, index=list("abcd")), "y": [0] * 4})
    with pytest.raises(efc.ArgumentError) as e:
        small.score_frame(mixed.iloc[:3].assign(x=[4, "2", pd.Timedelta(1)]))
    assert e.value.row == 2
    with pytest.raises(efc.ArgumentError) as e:
        small.score_frame(mixed)
    assert str(e.value).startswith("column 'x', row with index 'd': Timestamp(")
    assert e.value.row == 3 and e.value.column_name == "x"


@pytest.mark.parametrize("frame", [
    pd.DataFrame({"x": pd.to_datetime(["2024-01-01"]), "y": [1]}),
    pd.DataFrame({"x": pd.to_timedelta([1], unit="D"), "y": [1]}),
], ids=["datetime", "timedelta"])
def test_dates_and_durations_are_not_scored(small, frame):
    with pytest.raises(efc.ArgumentError) as e:
        small.score_frame(frame)
    assert e.value.column_name == "x"


@pytest.mark.parametrize("given, hint", [
    (pd.Series({"x": 1, "y": 2}), "score\\(series\\)"),
    ({"x": [1], "y": [2]}, "pd.DataFrame\\(d\\)"),
    (np.ones((2, 2)), "score_array\\(\\)"),
])
def test_score_frame_takes_frames_only(small, given, hint):
    with pytest.raises(efc.ArgumentError, match=f"score_frame takes a pandas DataFrame.*{hint}"):
        small.score_frame(given)


def test_a_series_is_one_assessment_by_name(small):
    row = pd.Series({"y": 0, "x": 4})  # not in leaf order
    assert small.score(row) == small.score({"x": 4, "y": 0})
    frame = pd.DataFrame({"y": [0], "x": [4]})
    assert small.score(frame.iloc[0])["g"] == small.score_frame(frame)["g"].iloc[0] == 1.0


def test_duplicate_leaf_columns_are_an_efc_error(small):
    frame = pd.DataFrame([[1, 2, 3]], columns=["x", "x", "y"])
    with pytest.raises(efc.ArgumentError, match="2 columns named 'x'"):
        small.score_frame(frame)


# ---- 5.2: score_array reads by position: frames go to score_frame ----

def test_score_array_refuses_frames(small):
    frame = pd.DataFrame({"y": [0], "x": [4]})  # names the leaves out of order
    with pytest.raises(efc.ArgumentError, match="score_frame"):
        small.score_array(frame)
    with pytest.raises(efc.ArgumentError, match="score_frame"):
        small.score_array(frame.iloc[0])
    assert np.array_equal(small.score_array(frame[small.leaf_ids].to_numpy()),
                          small.score_frame(frame, nodes=small.node_ids).to_numpy())


# ---- 5.3: level texts ----

def test_ordered_categoricals_read_through_the_levels(likert):
    # exact texts, a text but for its case, a translation's text
    answers = pd.Categorical(["Agree", "strongly DISAGREE", None, "Neutre"],
                             categories=["strongly DISAGREE", "Disagree", "Neutral", "Agree",
                                         "Strongly agree", "Neutre"], ordered=True)
    frame = pd.DataFrame({"x": answers, "y": [4, 4, 4, 4]})
    got = likert.score_frame(frame, items=True)["x_norm"].to_numpy()
    assert np.allclose(got[[0, 1, 3]], [0.75, 0.0, 0.5]) and math.isnan(got[2])
    # numbers as categories are numbers
    numbers = pd.DataFrame({"x": pd.Categorical([5, 1]), "y": [4, 4]})
    assert list(likert.score_frame(numbers, items=True)["x_norm"]) == [1.0, 0.0]


def test_an_unknown_label_names_column_row_and_the_labels(likert):
    frame = pd.DataFrame({"x": pd.Categorical(["Agree", "Agre"], ordered=True),
                          "y": [1, 1]}, index=["r1", "r2"])
    with pytest.raises(efc.InvalidValueError) as e:
        likert.score_frame(frame)
    msg = str(e.value)
    assert msg.startswith("column 'x', row with index 'r2': 'Agre' is not a number nor a level "
                          "of 'x': 'Strongly disagree' (1), 'Disagree' (2), 'Neutral' (3), "
                          "'Agree' (4), 'Strongly agree' (5)")
    assert e.value.reason == "unknown_name" and e.value.row == 1 and e.value.column_name == "x"


def test_text_labels_on_request(likert):
    frame = pd.DataFrame({"x": ["Agree", "3", "d'accord"], "y": [4, 4, 4]})
    with pytest.raises(efc.InvalidValueError, match="set the labels option"):
        likert.score_frame(frame)
    got = likert.score_frame(frame, labels=True, items=True)["x_norm"]
    assert list(got) == [0.75, 0.5, 0.75]
    assert likert.score({"x": "AGREE"}, labels=True)["x"] == 0.75
    with pytest.raises(efc.InvalidValueError, match="'Agree' is not a number"):
        likert.score({"x": "Agree"})


def test_read_survey_labels(likert):
    data = b"id,x,y\na,Agree,4\nb,tout \xc3\xa0 fait d'accord,4\n"
    df = efc.read_survey(data, likert, labels=True, items=True)
    assert list(df["x_norm"]) == [0.75, 1.0]
    with pytest.raises(efc.InvalidValueError, match="use --labels") as e:
        efc.read_survey(data, likert)
    assert e.value.reason == "not_a_number" and e.value.line == 2
    with pytest.raises(efc.InvalidValueError) as e:
        efc.read_survey(b"id,x,y\na,Agre,4\n", likert, labels=True)
    assert e.value.reason == "unknown_name" and e.value.column_name == "x"
    assert "'Agre' is not a number nor a level of 'x': 'Strongly disagree' (1)" in str(e.value)
