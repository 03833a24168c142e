"""efc reliability / items / score --keys: a keys file's scales (scale,item,sign),
which may share items; what a bad keys file says. The figures themselves are
checked against psych in bindings/python/tests/test_keys.py and
tests/unit/test_quality.c."""
import csv
import io

import pytest

from conftest import SOURCE_ROOT

SPI = SOURCE_ROOT / "tests" / "data" / "spi"


def spi(efc, command, keys, *args):
    return efc(command, "-q", "--model", SPI / "spi-codebook.csv", "--keys", keys, *args,
               SPI / "spi.csv")


def test_reliability_keys(efc):
    r = spi(efc, "reliability", SPI / "spi-keys.csv")
    assert r.status == 0, r.err
    rows = list(csv.DictReader(io.StringIO(r.text)))
    assert list(rows[0])[:2] == ["scale", "item"]
    scales = [row for row in rows if row["item"] == ""]
    assert len(scales) == 32 and scales[0]["scale"] == "Agree" and scales[0]["g6"] != ""
    # q_90 is in Agree and in another scale
    assert sum(row["item"] == "q_90" for row in rows) == 2
    assert next(r for r in rows if r["item"] == "q_1896")["sign"] == "-1"


def test_items_keys_name_first_scale(efc):
    r = spi(efc, "items", SPI / "spi-keys.csv")
    assert r.status == 0, r.err
    rows = {row["item"]: row for row in csv.DictReader(io.StringIO(r.text))}
    assert rows["q_90"]["scale"] == "Agree"


@pytest.mark.parametrize("text, message", [
    ("scale,item,sign\nA,q_90,2\n", "keys.csv:2: sign '2' is not +1 or -1"),
    ("scale,item\nA,q_nope\n", "keys.csv:2: the model has no item 'q_nope'"),
    ("name,item\nA,q_90\n", "keys.csv:1: a keys file needs the columns scale and item"),
    ("scale,item\nA,q_90\nA,q_90\n", "scale 'A': item 'q_90' is keyed twice"),
    ("", "empty keys file"),
])
def test_bad_keys_file(efc, tmp_path, text, message):
    keys = tmp_path / "keys.csv"
    keys.write_text(text)
    for command in ("reliability", "score"):
        r = spi(efc, command, keys)
        assert r.status == 1 and message in r.err, (command, r.err)
        assert r.out == b""


def test_keys_file_forms(efc, tmp_path):
    # a BOM, CRLF, quotes, signs + and -, no sign column, rows of a scale apart
    keys = tmp_path / "keys.csv"
    keys.write_bytes(b'\xef\xbb\xbf"scale",item,sign\r\nA,q_90,+\r\nB,q_253,-\r\nA,"q_253",\r\n')
    r = spi(efc, "score", keys)
    assert r.status == 0, r.err
    head = r.text.splitlines()[0]
    assert head == "id,spi,A,B"
    missing = tmp_path / "nope.csv"
    r = spi(efc, "reliability", missing)
    assert r.status == 3 and "nope.csv" in r.err
