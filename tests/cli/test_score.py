"""efc score: dialects and encodings, every error class, skip-mode accounting,
combining, stdin, options, and hostile input."""
import csv
import io
import math
import os
import random
import stat
import subprocess

import pytest

EXAMPLE = "examples/data/survey.csv"


@pytest.fixture
def survey(source_root):
    return (source_root / EXAMPLE).read_text()


def rows(text):
    return list(csv.DictReader(io.StringIO(text)))


def write(tmp_path, name, data):
    p = tmp_path / name
    p.write_bytes(data if isinstance(data, bytes) else data.encode())
    return p


# ---- the example and its dialects ------------------------------------------


def test_example_scores(efc, source_root):
    r = efc("score", source_root / EXAMPLE)
    assert r.status == 0, r.err
    out = rows(r.text)
    assert len(out) == 42
    assert list(out[0].keys()) == [
        "id", "period", "efc", "effects", "social", "ecological", "local_economy", "levers",
        "resources", "cooperation", "social_pass", "ecological_pass", "local_economy_pass",
        "pass_all"]
    assert r.err.startswith("efc: 42 rows read, 42 scored, 0 rejected")
    assert "model default (sha256 " in r.err
    for row in out:
        for k in ("efc", "social", "cooperation"):
            assert 0 <= float(row[k]) <= 1
        assert row["pass_all"] in ("0", "1")


def french_excel(text):
    """What French Excel writes: ';', decimal comma, CRLF, a UTF-8 BOM."""
    out = io.StringIO()
    w = csv.writer(out, delimiter=";", lineterminator="\r\n")
    for row in csv.reader(io.StringIO(text)):
        w.writerow(row)
    return b"\xef\xbb\xbf" + out.getvalue().encode()


@pytest.mark.parametrize("variant", ["semicolon-bom-crlf", "tab", "utf16le", "utf16be",
                                     "cr-only", "quoted"])
def test_dialects_score_identically(efc, tmp_path, survey, variant):
    plain = efc("score", write(tmp_path, "plain.csv", survey))
    assert plain.status == 0
    if variant == "semicolon-bom-crlf":
        data = french_excel(survey)
    elif variant == "tab":
        data = survey.replace(",", "\t").encode()
    elif variant == "utf16le":
        data = b"\xff\xfe" + survey.encode("utf-16-le")
    elif variant == "utf16be":
        data = b"\xfe\xff" + survey.encode("utf-16-be")
    elif variant == "cr-only":
        data = survey.replace("\n", "\r").encode()
    else:
        data = "\n".join(",".join(f'"{f}"' for f in line.split(","))
                         for line in survey.splitlines()).encode()
    r = efc("score", write(tmp_path, "variant.csv", data))
    assert r.status == 0, r.err
    assert r.out == plain.out


def test_decimal_comma_and_windows_1252(efc, tmp_path):
    plain = "id,period,soc_needs,soc_access,soc_health,soc_work\nCafé,2024,2.5,3,1.25,4\n"
    fr = "id;period;soc_needs;soc_access;soc_health;soc_work\r\nCafé;2024;2,5;3;1,25;4\r\n"
    a = efc("score", write(tmp_path, "a.csv", plain))
    b = efc("score", "--decimal-comma", "--encoding", "windows-1252",
            write(tmp_path, "b.csv", fr.encode("cp1252")))
    assert a.status == 0 and b.status == 0, b.err
    assert a.out == b.out
    assert "Café" in a.text
    # without the option the comma is refused, with a hint
    c = efc("score", write(tmp_path, "c.csv", fr.encode()))
    assert c.status == 1
    assert "value '2,5' is not a number (for a decimal comma use --decimal-comma)" in c.err


def test_excel_fr_output(efc, tmp_path):
    src = write(tmp_path, "s.csv", "id,soc_needs,soc_access,soc_health,soc_work\nx,1,2,3,3\n")
    r = efc("score", "--output-dialect", "excel-fr", src)
    assert r.status == 0
    assert r.out.startswith(b"\xef\xbb\xbfid;efc;effects;social;")
    assert r.out.endswith(b"\r\n")
    lines = r.out.decode("utf-8-sig").split("\r\n")
    social = lines[0].split(";").index("social")
    assert lines[1].split(";")[social] == "0,5625"  # (1 + 2 + 3 + 3) / 4 / 4


def test_stdin(efc, source_root):
    data = (source_root / EXAMPLE).read_bytes()
    a = efc("score", source_root / EXAMPLE)
    b = efc("score", "-", stdin=data)
    c = efc("score", stdin=data)
    assert a.out == b.out == c.out
    assert b.err.replace("<stdin>", "x") == a.err.replace(str(source_root / EXAMPLE), "x")


# ---- values and options -----------------------------------------------------


def test_scale_coverage_items(efc, tmp_path):
    src = write(tmp_path, "s.csv",
                "id,soc_needs,soc_access,soc_health,soc_work,eco_single_use\nx,1,2,3,2,1\n")
    r = efc("score", "--scale", "100", "--coverage", "--items", src)
    assert r.status == 0, r.err
    row = rows(r.text)[0]
    assert row["social"] == "50"                       # (1 + 2 + 3 + 2) / 4 / 4 on 0..100
    assert row["social_coverage"] == "0.666666666667"  # 4 of 6 items, not scaled
    assert row["ecological"] == ""                     # 1 of 6 items: below min_coverage 0.6
    assert row["ecological_coverage"] == "0.166666666667"
    assert row["soc_needs_norm"] == "25"
    assert row["soc_links_norm"] == ""                 # no column: missing
    assert row["eco_single_use_norm"] == "75"          # reverse-keyed: (4 - 1) / 4
    assert row["efc"] == "" and row["social_pass"] == "1" and row["ecological_pass"] == ""
    assert row["pass_all"] == ""                       # none fails, one is missing
    # three of six items is below the 0.6 coverage rule of the axis
    src = write(tmp_path, "t.csv", "id,soc_needs,soc_access,soc_health\nx,1,2,3\n")
    row = rows(efc("score", "--coverage", src).text)[0]
    assert row["social"] == "" and row["social_coverage"] == "0.5"


def test_twelve_decimals(efc, tmp_path):
    src = write(tmp_path, "s.csv",
                "id,soc_needs,soc_access,soc_health,soc_work,soc_links,soc_inclusion\n"
                "x,1,0,0,0,0,0\ny,4,4,4,4,4,3\n")
    out = rows(efc("score", src).text)
    assert out[0]["social"] == "0.041666666667"  # 1/4/6 = 0.041666..., rounded at 12 decimals
    assert out[1]["social"] == "0.958333333333"  # 23/24 = 0.958333...


def test_na_tokens_and_clamping(efc, tmp_path):
    src = write(tmp_path, "s.csv",
                "id,soc_needs,soc_access,soc_health,soc_work\nx,NA,n/a,7,-1\ny, 2 ,,4,0\n")
    r = efc("score", "--na", "NA", "--na", "n/a", src)
    assert r.status == 0, r.err
    out = rows(r.text)
    assert "2 values clamped" in r.err
    strict = efc("score", "--na", "NA", "--na", "n/a", "--strict-range", src)
    assert strict.status == 1
    assert f"{src}:2:4: soc_health: value 7 is outside the goalposts [0, 4]" in strict.err
    bad = efc("score", src)
    assert bad.status == 1 and "value 'NA' is not a number" in bad.err
    assert out[1]["id"] == "y"


def test_invalid_values(efc, tmp_path, source_root):
    for value, reason in [("nan", "is not a number"), ("inf", "is not a number"),
                          ("1e999", "is too large for a double"), ("0x2", "is not a number"),
                          ("2 3", "is not a number"), ("½", "is not a number")]:
        src = write(tmp_path, "s.csv", f"id,soc_needs\nx,{value}\n")
        r = efc("score", src)
        assert r.status == 1, value
        assert f"s.csv:2:2: soc_needs: value '{value}' {reason}" in r.err, r.err
    hdi = source_root / "tests" / "data" / "hdi" / "hdi.csv"
    src = write(tmp_path, "h.csv", "id,le,eys,mys,gnipc\nx,70,12,9,0\n")
    r = efc("score", "--model", hdi, src)
    assert r.status == 1
    assert "h.csv:2:5: gnipc: value 0 cannot take the log transform (it must be > 0)" in r.err


def test_periods(efc, tmp_path):
    src = write(tmp_path, "s.csv", "id,period,soc_needs\na,2024,1\nb,2024.0,2\nc,,3\n")
    out = rows(efc("score", src).text)
    assert [r["period"] for r in out] == ["2024", "2024", ""]
    iso = write(tmp_path, "d.csv", "id,period,soc_needs\na,2024-02-29,1\n")
    assert rows(efc("score", iso).text)[0]["period"] == "2024-02-29"
    dmy = write(tmp_path, "e.csv", "id,when,soc_needs\na,1/3/2024,1\nb,2024-03-01,1\n")
    r = efc("score", "--period-column", "when", "--date-format", "dmy", dmy)
    assert [x["when"] for x in rows(r.text)] == ["2024-03-01", "2024-03-01"]
    for text, reason in [
        ("2023-02-29", "is not a date of the calendar"),
        ("01/03/2024", "is not a number or a date YYYY-MM-DD (for dd/mm/yyyy use --date-format dmy)"),
        ("spring", "is not a number or a date YYYY-MM-DD"),
    ]:
        r = efc("score", write(tmp_path, "p.csv", f"id,period,soc_needs\na,{text},1\n"))
        assert r.status == 1
        assert f"p.csv:2:2: period: period '{text}' {reason}" in r.err, r.err
    mixed = write(tmp_path, "m.csv", "id,period,soc_needs\na,2024,1\nb,2024-01-01,1\n")
    r = efc("score", mixed)
    assert r.status == 1
    assert "m.csv:3:2: period: period '2024-01-01' is a date, but the periods before it are not" in r.err


def test_grouping_columns(efc, source_root):
    r = efc("score", "--group", "sector", "--group", "sphere", source_root / EXAMPLE)
    assert r.status == 0
    out = rows(r.text)
    assert list(out[0].keys())[:4] == ["id", "period", "sector", "sphere"]
    assert out[0]["sphere"] == "feeding"


def test_id_column_choice(efc, tmp_path):
    src = write(tmp_path, "s.csv", "org,wave,soc_needs\nx,1,2\n")
    r = efc("score", src)  # no 'id': the first column
    assert rows(r.text)[0]["org"] == "x"
    assert "wave" not in rows(r.text)[0]
    r = efc("score", "--id", "wave", "--period-column", "", src)
    assert rows(r.text)[0]["wave"] == "1"
    r = efc("score", "--id", "nope", src)
    assert r.status == 1 and "no column 'nope' for the id" in r.err
    r = efc("score", "--id", "soc_needs", src)
    assert r.status == 1 and "is an item of the model and cannot be the id" in r.err
    first_is_item = write(tmp_path, "t.csv", "soc_needs,org\n1,x\n")
    r = efc("score", first_is_item)
    assert r.status == 1 and "no 'id' column, and the first column 'soc_needs'" in r.err


# ---- the header -------------------------------------------------------------


def test_header_errors(efc, tmp_path):
    cases = [
        ("", "empty survey: no header row", 1),
        ("id,soc_needs,soc_needs\n", ":1:3: duplicate column name 'soc_needs' (also column 2)", 1),
        ("id,colour\nx,blue\n", "no column matches an item of the model", 1),
        ("id,social,soc_needs\nx,a,1\n", None, 0),
    ]
    for text, message, status in cases:
        r = efc("score", write(tmp_path, "h.csv", text))
        assert r.status == status, (text, r.err)
        if message:
            assert message in r.err, r.err
    r = efc("score", "--group", "social", write(tmp_path, "h.csv", "id,social,soc_needs\nx,a,1\n"))
    assert r.status == 1
    assert "output column 'social' would appear twice" in r.err
    r = efc("score", "--group", "sector", write(tmp_path, "h.csv", "id,soc_needs\nx,1\n"))
    assert r.status == 1 and "no column 'sector' for the grouping column" in r.err


def test_header_only_is_an_empty_survey(efc, tmp_path):
    r = efc("score", write(tmp_path, "h.csv", "id,period,soc_needs\n"))
    assert r.status == 0
    assert r.text.startswith("id,period,efc,")
    assert len(r.text.splitlines()) == 1
    assert "0 rows read" in r.err


def test_header_warnings(efc, tmp_path):
    r = efc("score", write(tmp_path, "h.csv", "id,SOC_NEEDS,soc_access,comment\nx,1,2,hi\n"))
    assert r.status == 0
    assert "28 items of the model have no column and are scored as missing: soc_needs" in r.err
    assert "column 'SOC_NEEDS' is ignored (did you mean 'soc_needs'?)" in r.err


# ---- bad rows: fail and skip --------------------------------------------------


BAD = ("id,soc_needs,soc_access\n"
       "a,1,2\n"        # 2: good
       "b,x,2\n"        # 3: bad value
       "c,1\n"          # 4: short row
       ",1,2\n"         # 5: empty id
       "\"d\",2,9\n"    # 6: good (clamped)
       "e,1,2,3\n"      # 7: long row
       "f,3,4\n")       # 8: good


def test_fail_mode_stops_at_the_first_bad_row(efc, tmp_path):
    out = tmp_path / "out.csv"
    r = efc("score", write(tmp_path, "bad.csv", BAD), "-o", out)
    assert r.status == 1
    assert r.err.strip().endswith("bad.csv:3:2: soc_needs: value 'x' is not a number")
    assert not out.exists()


def test_skip_mode_accounts_for_every_row(efc, tmp_path):
    rej = tmp_path / "rejects.csv"
    r = efc("score", "--on-error", "skip", "--rejects", rej, write(tmp_path, "bad.csv", BAD))
    assert r.status == 5
    scored = rows(r.text)
    rejected = rows(rej.read_text())
    assert [x["id"] for x in scored] == ["a", "d", "f"]
    assert len(scored) + len(rejected) == 7  # every data row accounted for
    assert [(x["line"], x["column"]) for x in rejected] == [("3", "soc_needs"), ("4", ""),
                                                           ("5", "id"), ("7", "")]
    assert rejected[0]["reason"] == "value 'x' is not a number"
    assert rejected[1]["reason"] == "this row has 2 fields and the header 3"
    assert rejected[2]["reason"] == "the id is empty"
    assert rejected[0]["id"] == "b" and rejected[0]["soc_needs"] == "x"
    assert "7 rows read, 3 scored, 4 rejected, 1 value clamped" in r.err


def test_skip_mode_without_rejects_file(efc, tmp_path):
    lines = ["id,soc_needs"] + [f"r{i},{'x' if i % 2 else 1}" for i in range(30)]
    r = efc("score", "--on-error", "skip", write(tmp_path, "b.csv", "\n".join(lines) + "\n"))
    assert r.status == 5
    assert r.err.count("(row rejected)") == 10
    assert "... and 5 more rejected rows (write them all with --rejects)" in r.err
    assert len(rows(r.text)) == 15


def test_rejects_needs_skip(efc, tmp_path, source_root):
    r = efc("score", "--rejects", tmp_path / "r.csv", source_root / EXAMPLE)
    assert r.status == 2 and "--rejects needs --on-error skip" in r.err


def test_malformed_csv_stops_even_in_skip_mode(efc, tmp_path):
    for text, message in [
        ('id,soc_needs\na,1\nb"c,2\n', "bad.csv:3:1: malformed quoting"),
        ('id,soc_needs\na,1\n"b,2\n', "bad.csv:3:1: unterminated quoted field"),
        ("id,soc_needs\na,1\nb\0,2\n", "bad.csv:3:1: NUL byte"),
    ]:
        r = efc("score", "--on-error", "skip", write(tmp_path, "bad.csv", text))
        assert r.status == 1, text
        assert message in r.err, r.err


def test_utf16_without_bom_is_explained(efc, tmp_path, survey):
    r = efc("score", write(tmp_path, "u.csv", survey.encode("utf-16-le")))
    assert r.status == 1
    assert "UTF-16 without a byte order mark" in r.err


def test_invalid_utf8_is_a_file_error_with_a_hint(efc, tmp_path):
    """Windows-1252 bytes read as UTF-8 stop the run (in any column, even an
    ignored one), after the lines before, naming the line and the field."""
    hint = "the file is not valid UTF-8: give its encoding (from an older spreadsheet: --encoding windows-1252)"
    for data, where in [(b"id,soc_needs\nok,1\ncaf\xe9,1\nz,2\n", "u.csv:3:1: "),
                        (b"id,note,soc_needs\nok,a,1\nb,d\xe9j\xe0,1\n", "u.csv:3:2: ")]:
        r = efc("score", "--on-error", "skip", write(tmp_path, "u.csv", data))
        assert r.status == 1, r.err
        assert where + hint in r.err
        fixed = efc("score", "--encoding", "windows-1252", write(tmp_path, "u.csv", data))
        assert fixed.status == 0


def test_decimal_comma_needs_another_delimiter(efc, tmp_path):
    r = efc("score", "--decimal-comma", write(tmp_path, "s.csv", "id,soc_needs\na,1\n"))
    assert r.status == 1 and "delimited by commas" in r.err
    r = efc("score", "--decimal-comma", "--delimiter", ",", write(tmp_path, "s.csv", "id\n"))
    assert r.status == 2


# ---- combining several respondents ----------------------------------------------


def test_combine(efc, tmp_path):
    text = ("id,period,sector,soc_needs,soc_access,soc_health\n"
            "a,2024,food,4,,0\n"
            "b,2024,food,2,2,2\n"
            "a,2024,food,2,3,5\n"    # 5 is clamped to 4 before combining
            "a,2024,farm,0,1,\n"     # a differing sector: the first row's is kept
            "a,2023,food,1,1,1\n")
    src = write(tmp_path, "s.csv", text)
    mean = efc("score", "--combine", "mean", "--group", "sector", "--items", src)
    assert mean.status == 0, mean.err
    out = rows(mean.text)
    assert [(x["id"], x["period"], x["respondents"]) for x in out] == [
        ("a", "2024", "3"), ("b", "2024", "1"), ("a", "2023", "1")]
    a = out[0]
    assert a["sector"] == "food"
    assert a["soc_needs_norm"] == "0.5"      # mean(4, 2, 0) = 2 -> 2/4
    assert a["soc_access_norm"] == "0.5"     # mean(3, 1) = 2
    assert a["soc_health_norm"] == "0.5"     # mean(0, 4) = 2
    assert "1 combined rows had differing grouping values" in mean.err
    assert "5 rows read, 5 scored into 3 combined rows, 0 rejected, 1 value clamped" in mean.err
    median = rows(efc("score", "--combine", "median", "--items", src).text)
    assert median[0]["soc_needs_norm"] == "0.5"    # median(4, 2, 0) = 2
    assert median[0]["soc_access_norm"] == "0.5"   # median(3, 1) = 2
    assert median[0]["soc_health_norm"] == "0.5"   # median(0, 4) = 2


def test_combine_median_odd_and_even(efc, tmp_path):
    text = "id,soc_needs\n" + "".join(f"a,{v}\n" for v in (0, 4, 1, 1)) + "b,3\nb,1\nb,4\n"
    out = rows(efc("score", "--combine", "median", "--items", write(tmp_path, "s.csv", text)).text)
    assert out[0]["soc_needs_norm"] == "0.25"  # median(0, 1, 1, 4) = 1
    assert out[1]["soc_needs_norm"] == "0.75"  # median(1, 3, 4) = 3


# ---- robustness ---------------------------------------------------------------


def test_long_fields(efc, tmp_path):
    big = "x" * (2 << 20)
    r = efc("score", write(tmp_path, "l.csv", f"id,soc_needs\n{big},1\n"))
    assert r.status == 1
    assert "l.csv:2:1: field longer than 1048576 bytes" in r.err


@pytest.mark.parametrize("quoted", [False, True])
@pytest.mark.parametrize("trailing", [",1\n", ",1", ' ,1\n'])
def test_field_limit_is_exact(efc, tmp_path, quoted, trailing):
    """A field of exactly 1 MiB is accepted, one byte more is not, quoted or not."""
    for size, status in ((1 << 20, 0), ((1 << 20) + 1, 1)):
        field = "x" * size
        if quoted:
            field = f'"{field}"'
        r = efc("score", "-q", write(tmp_path, "f.csv", f"id,soc_needs\n{field}{trailing}"))
        assert r.status == status, (size, quoted, trailing, r.err[-200:])
        if status:
            assert "field longer than 1048576 bytes" in r.err


def test_hostile_bytes_never_crash(efc, tmp_path, survey):
    rng = random.Random(7)
    base = survey.encode()
    for i in range(60):
        data = bytearray(base[: rng.randrange(1, len(base))])
        for _ in range(rng.randrange(1, 40)):
            data[rng.randrange(len(data))] = rng.randrange(256)
        for flags in ([], ["--on-error", "skip"], ["--combine", "median", "--on-error", "skip"]):
            r = efc("score", *flags, write(tmp_path, f"h{i}.csv", bytes(data)))
            assert r.status in (0, 1, 5), (i, flags, r.status, r.err[-300:])
            assert "efc: " in r.err or r.status == 0


def test_output_failure_leaves_no_file(efc, tmp_path, source_root):
    out = tmp_path / "scores.csv"
    out.write_text("previous content\n")
    r = efc("score", write(tmp_path, "bad.csv", BAD), "-o", out)
    assert r.status == 1
    assert out.read_text() == "previous content\n"
    assert sorted(os.listdir(tmp_path)) == ["bad.csv", "scores.csv"]


# ---- outputs that must not destroy inputs ------------------------------------------


def test_outputs_never_overwrite_inputs(efc, tmp_path, source_root):
    src = tmp_path / "in.csv"
    original = (source_root / EXAMPLE).read_bytes()
    src.write_bytes(original)
    cb = tmp_path / "cb.csv"
    efc("model", "--export", "-o", cb)
    cases = [
        (["-o", src, src], "-o would overwrite an input file"),
        (["-o", tmp_path / "." / "in.csv", src], "-o would overwrite an input file"),
        (["--model", cb, "-o", cb, src], "-o would overwrite an input file"),
        (["--on-error", "skip", "--rejects", src, src], "--rejects would overwrite an input file"),
        (["--on-error", "skip", "--rejects", tmp_path / "x.csv", "-o", tmp_path / "." / "x.csv", src],
         "-o and --rejects name the same file"),
    ]
    for args, message in cases:
        r = efc("score", *args)
        assert r.status == 2, (args, r.err)
        assert message in r.err
        assert src.read_bytes() == original
    r = efc("model", "--model", cb, "--export", "-o", cb)
    assert r.status == 2 and "would overwrite an input file" in r.err
    r = efc("score", "-o", "", src)
    assert r.status == 2 and "an output file name is empty" in r.err


def test_output_keeps_permissions_and_links(efc, tmp_path, source_root):
    real = tmp_path / "real.csv"
    real.write_text("old\n")
    real.chmod(0o640)
    link = tmp_path / "link.csv"
    link.symlink_to(real)
    r = efc("score", "-q", "-o", link, source_root / EXAMPLE)
    assert r.status == 0
    assert link.is_symlink() and os.readlink(link) == str(real)
    assert real.read_text().startswith("id,period,efc")
    assert stat.S_IMODE(real.stat().st_mode) == 0o640
    r = efc("model", "--export", "-o", link)
    assert link.is_symlink() and stat.S_IMODE(real.stat().st_mode) == 0o640
    assert real.read_text().startswith("id,parent,")


def test_help_and_version_report_write_errors(efc):
    for args in (["--help"], ["--version"], ["score", "--help"], ["model", "--help"],
                 ["model", "--export"]):
        r = subprocess.run([os.environ["EFC_CLI"], *args], stdout=open("/dev/full", "w"),
                           stderr=subprocess.PIPE)
        assert r.returncode == 3, args
        assert b"<stdout>: write error: No space left on device" in r.stderr


def test_no_output_when_the_first_rows_fail(efc, tmp_path):
    r = efc("score", write(tmp_path, "b.csv", "id,soc_needs\na,x\n"))
    assert r.status == 1
    assert r.out == b""


def test_empty_spreadsheet_rows_are_skipped_and_counted(efc, tmp_path):
    text = "id;soc_needs;soc_access\r\na;1;2\r\n;;\r\n;;\r\nb;3;4\r\n;\r\n"
    r = efc("score", write(tmp_path, "e.csv", text))
    assert r.status == 0, r.err
    assert [x["id"] for x in rows(r.text)] == ["a", "b"]
    assert "2 rows read, 2 scored, 0 rejected, 0 values clamped, 3 empty rows skipped" in r.err


def test_excel_fr_periods_read_back(efc, tmp_path):
    src = write(tmp_path, "p.csv", "id,period,soc_needs\na,2024.5,1\nb,2025,2\n")
    out = tmp_path / "out.csv"
    r = efc("score", "--output-dialect", "excel-fr", "-o", out, src)
    assert r.status == 0
    lines = out.read_bytes().decode("utf-8-sig").split("\r\n")
    assert lines[1].startswith("a;2024,5;") and lines[2].startswith("b;2025;")
    # the periods written read back as the same numbers under --decimal-comma
    periods = [line.split(";")[1] for line in lines[1:3]]
    back = write(tmp_path, "back.csv", "id;period;soc_needs\r\n" +
                 "".join(f"x{i};{p};1\r\n" for i, p in enumerate(periods)))
    again = efc("score", "--decimal-comma", back)
    assert again.status == 0, again.err
    assert [x["period"] for x in rows(again.text)] == ["2024.5", "2025"]


def test_rejects_file_is_a_table(efc, tmp_path):
    rej = tmp_path / "rejects.csv"
    r = efc("score", "--on-error", "skip", "--rejects", rej,
            write(tmp_path, "b.csv", "id,soc_needs,soc_access\na,1,2\nb,1\nc,1,2,3,4\n"))
    assert r.status == 5
    table = list(csv.reader(rej.open()))
    assert table[0] == ["line", "column", "reason", "id", "soc_needs", "soc_access", "extra"]
    assert all(len(row) == 7 for row in table)
    assert table[1][3:] == ["b", "1", "", ""]
    assert table[2][3:] == ["c", "1", "2", "3,4"]


def test_no_matching_column_names_the_delimiter(efc, tmp_path):
    r = efc("score", write(tmp_path, "p.csv", "id|soc_needs|soc_access\na|1|2\n"))
    assert r.status == 1
    assert "the header was split on ','" in r.err
    assert efc("score", "--delimiter", "|", tmp_path / "p.csv").status == 0


def test_header_errors_name_the_header_line(efc, tmp_path):
    r = efc("score", write(tmp_path, "h.csv", "\n\n\nid,soc_needs,soc_needs\n"))
    assert r.status == 1
    assert "h.csv:4:3: duplicate column name 'soc_needs' (also column 2)" in r.err


def test_period_options_have_one_meaning_on_every_command(efc, tmp_path, source_root):
    """--period-column names the column everywhere, --at chooses a period; the old
    --period, which meant either, is refused with a hint naming its replacement."""
    src = source_root / EXAMPLE
    for verb in ("score", "trajectory", "reliability", "items", "report"):
        r = efc(verb, "--period", "year", src)
        assert r.status == 2, (verb, r.err)
        assert "--period is now --period-column 'year'" in r.err, (verb, r.err)
    for verb in (["rank"], ["sensitivity"], ["chart", "radar", "--actor", "velo-atelier"]):
        r = efc(*verb, "--period", "2023", src)
        assert r.status == 2, (verb, r.err)
        assert "--period is now --at '2023'" in r.err, (verb, r.err)
    # the same column name works on every verb
    renamed = write(tmp_path, "y.csv", src.read_text().replace("id,period,", "id,year,", 1))
    for verb in (["score"], ["trajectory"], ["rank", "--at", "2023"],
                 ["sensitivity", "--samples", "20", "--at", "2023"],
                 ["chart", "radar", "--actor", "velo-atelier", "--at", "2023"]):
        r = efc(*verb, "-q", "--period-column", "year", renamed)
        assert r.status == 0, (verb, r.err)
    r = efc("score", "--at", "2023", src)
    assert r.status == 2 and "option '--at' does not apply" in r.err, r.err


def test_threshold_met_as_printed(efc, tmp_path):
    # 0.3 on goalposts 0..3 is 0.09999999999999999 in binary, printed 0.1:
    # it printed root=0.1, root_pass=0 under a threshold of 0.1. Pass and
    # fail are decided on the printed 12 decimals, so every printed score
    # at or above its threshold passes and every one below fails, on 0..1
    # and on --scale 100 alike.
    from decimal import Decimal
    cb = tmp_path / "th.csv"
    cb.write_text("id,parent,min,max,threshold\nr,,,,0.1\nq,r,0,3,0.07\n")
    answers = [f"{k / 1000:.3f}" for k in range(0, 3001, 7)] + ["0.3", "0.21", "0.2999999999999"]
    survey = tmp_path / "s.csv"
    survey.write_text("id,q\n" + "".join(f"a{i},{v}\n" for i, v in enumerate(answers)))
    r = efc("score", "--model", cb, survey)
    assert r.status == 0, r.err
    lines = r.text.splitlines()
    assert lines[0] == "id,r,r_pass,q_pass,pass_all"
    rows = {f.split(",")[0]: f.split(",")[1:] for f in lines[1:]}
    assert rows[f"a{answers.index('0.3')}"] == ["0.1", "1", "1", "1"]
    assert rows[f"a{answers.index('0.21')}"] == ["0.07", "0", "1", "0"]
    for score, root_pass, q_pass, all_pass in rows.values():
        s = Decimal(score)
        assert root_pass == str(int(s >= Decimal("0.1"))), (score, root_pass)
        assert q_pass == str(int(s >= Decimal("0.07"))), (score, q_pass)
        assert all_pass == str(int(root_pass == q_pass == "1"))
    scaled = efc("score", "--scale", "100", "--model", cb, survey)
    assert scaled.status == 0
    for line in scaled.text.splitlines()[1:]:
        _, score, root_pass, _, _ = line.split(",")
        assert root_pass == str(int(Decimal(score) >= Decimal("10"))), line
    assert f"a{answers.index('0.3')},10,1,1,1" in scaled.text


# ---- answers written as the texts of their levels (--labels) ---------------

LIKERT = ("id,parent,min,max,aggregate,levels,levels_fr\n"
          "g,,,,mean,,\n"
          "x,g,1,5,,1=Strongly disagree|2=Disagree|3=Neutral|4=Agree|5=Strongly agree,"
          "1=Pas du tout d'accord|2=Pas d'accord|3=Neutre|4=D'accord|5=Tout à fait d'accord\n"
          "y,g,0,4,,,\n")


def test_labels(efc, tmp_path):
    model = write(tmp_path, "likert.csv", LIKERT)
    survey = write(tmp_path, "s.csv", "id,x,y\na,Agree,4\nb,strongly agree,4\n"
                                      "c,TOUT À FAIT D'ACCORD,4\nd, 3 ,4\ne,,4\n")
    r = efc("score", "-q", "--model", model, "--labels", "--items", survey)
    assert r.status == 0, r.err
    assert [o["x_norm"] for o in rows(r.text)] == ["0.75", "1", "1", "0.5", ""]
    # without --labels, a text is not a number, and the message says what to do
    r = efc("score", "-q", "--model", model, survey)
    assert r.status == 1
    assert "s.csv:2:2: x: value 'Agree' is not a number (for the texts of the item's levels " \
           "use --labels)" in r.err
    bad = write(tmp_path, "bad.csv", "id,x,y\na,Agree,4\nb,Agre,4\n")
    r = efc("score", "-q", "--model", model, "--labels", bad)
    assert r.status == 1
    assert ("bad.csv:3:2: x: value 'Agre' is not a number nor a level of 'x': "
            "'Strongly disagree' (1), 'Disagree' (2), 'Neutral' (3), 'Agree' (4), "
            "'Strongly agree' (5)") in r.err
    # skip mode: the row is rejected with that reason
    r = efc("score", "-q", "--model", model, "--labels", "--on-error", "skip", bad)
    assert r.status == 5 and len(rows(r.text)) == 1
    # every command reading surveys takes it
    waves = write(tmp_path, "w.csv", "id,period,x,y\na,1,Agree,4\nb,1,Neutral,4\n")
    r = efc("rank", "-q", "--model", model, "--labels", waves)
    assert r.status == 0, r.err
    assert [(o["id"], o["rank"]) for o in rows(r.text)] == [("a", "1"), ("b", "2")]
