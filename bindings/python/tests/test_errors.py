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
