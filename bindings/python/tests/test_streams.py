"""File objects are read from where Python is, with what it has read
ahead, or refused with a clear error (issue 15, item 8; docs/python.md,
"File objects")."""
import os
import threading

import pytest

import efc

from conftest import SMALL

ROWS = 3000  # more than Python's read-ahead buffer (8 KiB) holds


def survey_text(rows: int = ROWS) -> str:
    return "id,x,y\n" + "".join(f"r{i},{i % 5},{(3 * i) % 5}\n" for i in range(rows))


@pytest.fixture
def preambled(tmp_path):
    """A survey file after one line that the caller skips with readline()."""
    path = tmp_path / "survey.csv"
    path.write_text("# exported 2024-01-01\n" + survey_text())
    return path


def test_text_file_after_readline(preambled, small):
    with open(preambled) as f:
        f.readline()
        df = efc.read_survey(f, small)
    assert len(df) == ROWS
    assert list(df["id"][:2]) == ["r0", "r1"] and df["id"].iloc[-1] == f"r{ROWS - 1}"


def test_binary_file_after_readline_streams(preambled, small):
    with open(preambled, "rb") as f:
        f.readline()
        df = efc.read_survey(f, small)
        assert f.read() == b""  # read to the end, as the C reader does
    assert len(df) == ROWS and df["id"].iloc[0] == "r0"


def test_pipe_after_readline(small):
    # sys.stdin.buffer on a pipe: a buffered reader that cannot seek
    data = ("# preamble\n" + survey_text()).encode()
    r, w = os.pipe()
    writer = threading.Thread(target=lambda: (os.write(w, data), os.close(w)))
    writer.start()
    with os.fdopen(r, "rb") as f:
        f.readline()
        df = efc.read_survey(f, small)
    writer.join()
    assert len(df) == ROWS and df["id"].iloc[0] == "r0"


def test_text_file_with_another_encoding_refused(preambled, small):
    with open(preambled) as f, pytest.raises(efc.ArgumentError, match="binary"):
        efc.read_survey(f, small, encoding="windows-1252")


def test_codebook_text_file_after_readline(tmp_path):
    # a codebook longer than the read-ahead buffer
    rows = "".join(f"leaf{i},g,1,0,4,+,none,,,\n" for i in range(400))
    path = tmp_path / "codebook.csv"
    path.write_text("# a note before the header\n" + SMALL + rows)
    for mode in ("r", "rb"):
        with open(path, mode) as f:
            f.readline()
            model = efc.Model.from_codebook(f)
        assert len(model.leaf_ids) == 402 and model.leaf_ids[-1] == "leaf399", mode


def test_panel_and_quality_from_text_file(tmp_path, small):
    path = tmp_path / "panel.csv"
    path.write_text("# note\nid,period,x,y\n" +
                    "".join(f"a{i % 300},{2000 + i // 300},{i % 5},{i % 3}\n" for i in range(1200)))
    with open(path) as f:
        f.readline()
        panel = efc.Panel.from_survey(f, small, period="period")
    assert len(panel) == 1200 and len(panel.actors) == 300
    with open(path) as f:
        f.readline()
        assert efc.Quality.from_survey(f, small).rows == 1200
