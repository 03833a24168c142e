"""Every status code of the C library becomes the right exception, with the
built-in base a Python programmer would catch, and the error's place."""
import pytest

import efc
from efc.errors import from_error, status_text


@pytest.mark.parametrize("code,cls,base", [
    (1, efc.ArgumentError, ValueError), (2, efc.NoMemoryError, MemoryError),
    (3, efc.FileError, OSError), (4, efc.CSVError, efc.Error), (5, efc.ModelError, efc.Error),
    (6, efc.InvalidValueError, ValueError), (7, efc.StateError, efc.Error),
    (8, efc.NotFoundError, KeyError), (9, efc.SurveyError, efc.Error)])
def test_hierarchy(code, cls, base):
    assert issubclass(cls, efc.Error) and issubclass(cls, base)
    assert status_text(code) and status_text(code) != "unknown status"


def test_the_place_of_an_error(tmp_path):
    p = tmp_path / "grid.csv"
    p.write_text("id,parent,colour\nr,,red\n")
    with pytest.raises(efc.Error) as e:
        efc.Model.from_codebook(p)
    err = e.value
    assert isinstance(err, efc.ModelError) and err.code == 5
    assert (err.source, err.line, err.column) == (str(p), 1, 3)
    assert "colour" in err.message and err.message in str(err)


def test_errors_do_not_leak_into_the_next_call(tmp_path):
    with pytest.raises(efc.FileError):
        efc.Model.from_codebook(tmp_path / "missing.csv")
    m = efc.Model.default()  # succeeds, with the same (cleared) error object
    assert m.root == "efc"


def test_not_found_reads_plainly():
    with pytest.raises(KeyError) as e:
        efc.Model.default().node("nope")
    assert str(e.value) == "the model has no node 'nope'"


def test_reasons_and_second_places(tmp_path):
    # a duplicate id names its first line: reason and other_line, no text read
    p = tmp_path / "dup.csv"
    p.write_text("id,parent,min,max\nr,,,\na,r,0,1\nb,r,0,1\na,r,0,1\n")
    with pytest.raises(efc.ModelError) as e:
        efc.Model.from_codebook(p)
    err = e.value
    assert err.reason == "duplicate_id"
    assert (err.line, err.other_line, err.other_column, err.row) == (5, 3, None, None)
    # a column twice in a survey's header: the other column
    s = tmp_path / "s.csv"
    s.write_text("id,soc_needs,period,soc_needs\nx,1,2024,2\n")
    with pytest.raises(efc.SurveyError) as e:
        efc.read_survey(s)
    err = e.value
    assert err.reason == "duplicate_column"
    assert (err.line, err.column, err.other_line, err.other_column) == (1, 4, 1, 2)
    # a value that is not a number, on a line of a file: no row
    s.write_text("id,period,soc_needs\nx,2024,lots\n")
    with pytest.raises(efc.InvalidValueError) as e:
        efc.read_survey(s)
    assert e.value.reason == "not_a_number" and e.value.line == 2 and e.value.row is None
    # errors raised by the package itself have no finer reason
    with pytest.raises(efc.Error) as e:
        efc.Model.default().node("nope")
    assert e.value.reason == "none" and e.value.other_line is None and e.value.row is None
    from efc import _names
    with pytest.raises(efc.NotFoundError) as e:
        _names.parse("COMBINE", "average")
    assert e.value.reason == "unknown_name"


def test_reason_names_are_the_librarys():
    from efc import _names
    assert _names.names("REASON")[0] == "none"
    assert "duplicate_assessment" in _names.names("REASON")


def test_the_row_of_a_bad_row_whatever_the_threads():
    import numpy as np
    m = efc.Model.default()
    values = np.full((120_000, len(m.leaf_ids)), 2.0)
    values[80_001, 2] = np.inf
    values[100_000, 0] = -np.inf
    for threads in (1, 2, 3):
        with pytest.raises(efc.InvalidValueError) as e:
            m.score_array(values, threads=threads)
        err = e.value
        assert err.reason == "not_finite" and err.row == 80_001 and err.line is None
        assert err.message.startswith("row 80001, leaf ")
    with pytest.raises(efc.InvalidValueError) as e:
        m.score_array(values[:1] * np.inf)
    assert e.value.row == 0 and e.value.message.startswith("row 0, leaf ")


def test_duplicate_rows_of_a_frame_are_named_by_place():
    import pandas as pd
    m = efc.Model.default()
    frame = pd.DataFrame({"id": ["a", "b", "a"], "period": [1, 1, 1]}, index=["r1", "r2", "r3"])
    with pytest.warns(UserWarning):
        with pytest.raises(efc.InvalidValueError) as e:
            efc.Panel.from_frame(frame, m)
    err = e.value
    assert err.reason == "duplicate_assessment"
    assert (err.line, err.other_line, err.row) == (3, 1, 2)
    assert str(err) == ("row with index 'r3': actor 'a' has two assessments for period 1, rows "
                        "with index 'r1' and 'r3' (combine the rows of several respondents first)")
