"""Likert-scale scoring checked against R's psych (scoreItems, impute =
"none") on its public bfi dataset: 2,800 respondents, 25 items with seven
reverse-keyed, 508 missing answers. psych score = 1 + 5 x libefc score."""
import csv
import io


def test_bfi_matches_psych(efc, source_root):
    data = source_root / "tests" / "data" / "bfi"
    r = efc("score", "--model", data / "bfi-codebook.csv", data / "bfi.csv")
    assert r.status == 0, r.err
    ours = {row["id"]: row for row in csv.DictReader(io.StringIO(r.text))}
    ref = list(csv.DictReader((data / "bfi-psych-scores.csv").open()))
    assert len(ref) == len(ours) == 2800
    scales = ["agree", "conscientious", "extraversion", "neuroticism", "openness"]
    worst = 0.0
    for row in ref:
        for scale in scales:
            p = float(row[scale])
            s = 1 + 5 * float(ours[row["id"]][scale])
            worst = max(worst, abs(s - p))
    assert worst <= 1e-11, worst  # 12 printed decimals, times 5
