"""The fast paths of efc score give what the slow ones give, byte for byte.

- Lines without quotes are split and converted by a fused fast path; a line
  with a quote goes through libcsv and the general converter. The same
  random rows written plain and with every field quoted must score alike.
- A reader thread (--jobs 2 and more) must not change a byte of any output:
  scores, rejects, summary, exit status, whatever the batch boundaries.

The rows are random but seeded, so a failure reproduces.
"""
import os
import random
import subprocess

import pytest

def template_items():
    """The default model's items, from its survey template."""
    out = subprocess.run([os.environ["EFC_CLI"], "model", "--template"], capture_output=True,
                         check=True).stdout.decode()
    return out.splitlines()[0].split(",")[2:]


ITEMS = template_items()

# Answers as exports hold them: mostly one digit, then every spelling of a
# number the fast paths take or hand over (signs, leading zeros, exponents,
# long fractions, surrounding blanks), clamped values, "no answer" tokens,
# and values that must be rejected.
PLAIN = ["0", "1", "2", "3", "4"]
ODD = ["", "2.5", "0.25", "3.999999999999999999", "4.0000000000000001", "+3", "-0", "0004",
       ".5", "3.", "1e0", "2E-1", " 3", "2 ", "\t1", "5", "-1", "17", "4.5", "1234567890123",
       "0.000000000000000000001", "NA", "nsp", "x", "nan", "inf", "1e999", "--1", "3 4"]


def random_rows(rng, n, items):
    rows = []
    for i in range(n):
        values = []
        for _ in items:
            values.append(rng.choice(PLAIN) if rng.random() < 0.97 else rng.choice(ODD))
        period = rng.choice(["2022", "2023", "2024"])
        rows.append([f"actor-{i % 97:03d}", period] + values)
    return rows


def plain_csv(header, rows, eol="\n"):
    return eol.join(",".join(r) for r in [header] + rows) + eol


def quoted_csv(header, rows, eol="\n"):
    def q(f):
        # blanks around an unquoted field are not part of it (as in
        # libcsv): they stay outside the quotes, so the fields are the same
        core = f.strip(" \t")
        lead, trail = f[:len(f) - len(f.lstrip(" \t"))], f[len(f.rstrip(" \t")):]
        return lead + '"' + core.replace('"', '""') + '"' + trail
    return eol.join(",".join(q(f) for f in r) for r in [header] + rows) + eol


def score(efc, tmp_path, path, jobs, *extra, na=True):
    rejects = tmp_path / f"rejects-{path.stem}-{jobs}.csv"
    jobs_opt = ["--jobs", jobs] if jobs else []  # None: the default, as many as the cores
    # "no answer" tokens turn the one-digit shortcut off (a token may be a digit)
    na_opt = ["--na", "NA", "--na", "nsp"] if na else []
    r = efc("score", path, *jobs_opt, "--on-error", "skip", "--rejects", rejects, *na_opt,
            "--coverage", "--items", *extra)
    return r, rejects.read_bytes() if rejects.exists() else None


@pytest.mark.parametrize("na", [False, True])
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_plain_and_quoted_lines_score_alike(efc, tmp_path, seed, na):
    rng = random.Random(seed)
    rows = random_rows(rng, 1500, ITEMS)
    header = ["id", "period"] + ITEMS
    plain = tmp_path / "plain.csv"
    quoted = tmp_path / "quoted.csv"
    plain.write_text(plain_csv(header, rows))
    quoted.write_text(quoted_csv(header, rows))
    a, rej_a = score(efc, tmp_path, plain, 1, na=na)
    b, rej_b = score(efc, tmp_path, quoted, 1, na=na)
    assert a.status == b.status == 5, (a.err, b.err)
    assert a.out == b.out
    assert a.out.count(b"\n") > 1000  # most rows were scored
    # the rejected rows hold the same fields, reasons and positions
    assert rej_a == rej_b
    assert rej_a.count(b"\n") > 100
    summary = [ln for ln in a.err.splitlines() if "rows read" in ln]
    assert summary == [ln for ln in b.err.splitlines() if "rows read" in ln]


@pytest.mark.parametrize("extra", [[], ["--combine", "mean"], ["--output-dialect", "excel-fr"],
                                   ["--scale", "100"], ["--strict-range"]])
@pytest.mark.parametrize("na", [False, True])
def test_every_thread_count_writes_the_same_bytes(efc, tmp_path, extra, na):
    rng = random.Random(7)
    # more rows than several of the reader's units (512 rows), with quoted
    # lines and CRLF here and there so that both paths meet the boundaries
    rows = random_rows(rng, 4000, ITEMS)
    header = ["id", "period"] + ITEMS
    text = plain_csv(header, rows[:1700]) + quoted_csv(header, rows[1700:2100])[
        len(quoted_csv(header, [])):] + plain_csv(header, rows[2100:], "\r\n")[
        len(plain_csv(header, [], "\r\n")):]
    path = tmp_path / "mixed.csv"
    path.write_text(text)
    results = {}
    for jobs in (1, 2, 3, 8, None):
        r, rejects = score(efc, tmp_path, path, jobs, *extra, na=na)
        results[jobs] = (r.status, r.out, rejects, r.err)
    first = results[1]
    assert first[0] == 5, first[3]
    assert first[1].count(b"\n") > 100
    for jobs, got in results.items():
        assert got == first, f"--jobs {jobs} differs from --jobs 1"


def test_every_thread_count_stops_at_the_same_error(efc, tmp_path):
    rng = random.Random(11)
    rows = random_rows(rng, 3000, ITEMS)
    for r in rows:  # only valid answers, then one bad value far in the file
        r[2:] = [rng.choice(PLAIN) for _ in ITEMS]
    rows[2345][7] = "lots"
    path = tmp_path / "bad.csv"
    path.write_text(plain_csv(["id", "period"] + ITEMS, rows))
    outs = set()
    for jobs in (1, 2, 4):
        r = efc("score", path, "--jobs", jobs)
        assert r.status == 1, r.err
        assert "bad.csv:2347:8: soc_inclusion: value 'lots'" in r.err, r.err
        outs.add((r.out, r.err))
    assert len(outs) == 1
