"""UNDP's Gender Development Index (GDI) as a reference test of `efc score`.

examples/gdi holds the eight inputs of the GDI for every country and year of the HDR 2023/24
complete time series that has them, and its codebook: the root `gdi` is the `ratio` of
`hdi_f` to `hdi_m`, each the geometric mean of a health, an education and an income index.
tests/data/gdi/expected.csv holds the published hdi_f, hdi_m and gdi of each row, as UNDP
prints them (tests/data/gdi/README.md).

The published values follow one convention, which reproduces every row (4710 of 4710):

- hdi_f and hdi_m are printed with 9 decimals; computed from the inputs (themselves printed
  rounded: life expectancy to 3 decimals, the rest to about 9 significant digits) they agree
  within 5.2e-10, so within 1e-9, and to all 3 decimals once both are rounded;
- gdi is printed with 3 decimals (trailing zeros trimmed: `1`, `0.99`): the unrounded hdi_f
  divided by the unrounded hdi_m, rounded half away from zero. Dividing the HDIs rounded to 3
  decimals reproduces only 2568 rows; the 9-decimal HDIs reproduce them all.

`undp` computes the same figures with UNDP's formulas in plain Python, independently of the
library: `test_gdi_formulas` checks them against the published values with the same
`mismatches` as `test_gdi_score` checks `efc score`'s output.
"""
import csv
import io
import math
from decimal import ROUND_HALF_UP, Decimal

GDI = ("examples", "gdi")
INPUTS = ["le_f", "eys_f", "mys_f", "gni_pc_f", "le_m", "eys_m", "mys_m", "gni_pc_m"]
# leaf: (min, max) goalposts, HDR 2023/24 technical notes; the income leaves under log
GOALPOSTS = {"le_f": (22.5, 87.5), "le_m": (17.5, 82.5), "eys_f": (0, 18), "eys_m": (0, 18),
             "mys_f": (0, 15), "mys_m": (0, 15), "gni_pc_f": (100, 75000),
             "gni_pc_m": (100, 75000)}
HDI_TOLERANCE = 1e-9  # the published hdi_f, hdi_m have 9 decimals, their inputs are rounded


def read(path) -> list[dict]:
    with open(path, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def round3(text) -> Decimal:
    """A number rounded to 3 decimals, half away from zero, as the HDR prints it."""
    return Decimal(text).quantize(Decimal("0.001"), rounding=ROUND_HALF_UP)


def undp(row: dict) -> dict:
    """hdi_f, hdi_m and gdi of one row of gdi_data.csv with UNDP's formulas, printed as
    `efc score` prints scores (12 decimals)."""
    def index(leaf):
        lo, hi = GOALPOSTS[leaf]
        x = float(row[leaf])
        if leaf.startswith("gni_pc"):
            x, lo, hi = math.log(x), math.log(lo), math.log(hi)
        return min(max((x - lo) / (hi - lo), 0.0), 1.0)

    def hdi(sex):
        health = index(f"le_{sex}")
        education = (index(f"eys_{sex}") + index(f"mys_{sex}")) / 2
        income = index(f"gni_pc_{sex}")
        return (health * education * income) ** (1 / 3)

    f, m = hdi("f"), hdi("m")
    return {"iso3": row["iso3"], "year": row["year"],
            "hdi_f": f"{f:.12f}", "hdi_m": f"{m:.12f}", "gdi": f"{f / m:.12f}"}


def mismatches(scores: list[dict], expected: list[dict]) -> list[str]:
    """Every way the rows `scores` (iso3, year, hdi_f, hdi_m, gdi as text) differ from the
    published ones; empty when they reproduce them all."""
    assert [(s["iso3"], s["year"]) for s in scores] == \
        [(e["iso3"], e["year"]) for e in expected], "not the rows of expected.csv, in order"
    bad = []
    for s, e in zip(scores, expected):
        where = f"{e['iso3']} {e['year']}"
        for node in ("hdi_f", "hdi_m"):
            if round3(s[node]) != round3(e[node]):
                bad.append(f"{where}: {node} {s[node]} rounds to {round3(s[node])}, "
                           f"published {e[node]}")
            elif abs(float(s[node]) - float(e[node])) > HDI_TOLERANCE:
                bad.append(f"{where}: {node} {s[node]} is not within {HDI_TOLERANCE} of "
                           f"the published {e[node]}")
        if round3(s["gdi"]) != Decimal(e["gdi"]):
            bad.append(f"{where}: gdi {s['gdi']} rounds to {round3(s['gdi'])}, "
                       f"published {e['gdi']}")
    return bad


def outside_goalposts(data: list[dict]) -> int:
    return sum(not lo <= float(r[leaf]) <= hi
               for r in data for leaf, (lo, hi) in GOALPOSTS.items())


def test_gdi_data(source_root):
    data = read(source_root.joinpath(*GDI, "gdi_data.csv"))
    expected = read(source_root / "tests" / "data" / "gdi" / "expected.csv")
    assert list(data[0]) == ["iso3", "year", *INPUTS]
    assert len(data) == len(expected) == 4710
    assert all(r[c] for r in data for c in INPUTS)
    assert all(len(r["iso3"]) == 3 and not r["iso3"].startswith("ZZ") for r in data)
    assert {int(r["year"]) for r in data} == set(range(1990, 2023))
    # women above men: the reason the root is not clamped to [0, 1]
    assert sum(Decimal(e["gdi"]) > 1 for e in expected) == 509


def test_gdi_formulas(source_root):
    data = read(source_root.joinpath(*GDI, "gdi_data.csv"))
    expected = read(source_root / "tests" / "data" / "gdi" / "expected.csv")
    assert mismatches([undp(r) for r in data], expected) == []
    # the convention: the published gdi is the ratio of the unrounded HDIs, not of the
    # HDIs rounded to 3 decimals
    computed = [undp(r) for r in data]
    of_rounded = sum(round3(str(round3(c["hdi_f"]) / round3(c["hdi_m"]))) == Decimal(e["gdi"])
                     for c, e in zip(computed, expected))
    assert of_rounded == 2568


def test_gdi_score(efc, source_root):
    data = source_root.joinpath(*GDI, "gdi_data.csv")
    r = efc("score", data, "--model", source_root.joinpath(*GDI, "gdi_codebook.csv"),
            "--id", "iso3", "--period-column", "year")
    assert r.status == 0, r.err
    scores = list(csv.DictReader(io.StringIO(r.text)))
    assert list(scores[0])[:4] == ["iso3", "year", "gdi", "hdi_f"]
    expected = read(source_root / "tests" / "data" / "gdi" / "expected.csv")
    assert mismatches(scores, expected) == []
    assert sum(float(s["gdi"]) > 1 for s in scores) > 0, "the root is clamped"
    rows = read(data)
    assert (f"{len(rows)} rows read, {len(rows)} scored, 0 rejected, "
            f"{outside_goalposts(rows)} values clamped") in r.err
