#!/usr/bin/env python3
"""Write survey.csv, the example survey of the EFC reference grid (fictional).

Fourteen actors of one territory answer the 29 items of the default model in
2022, 2023 and 2024. Each actor has a profile per block and a yearly drift,
so that the file shows steady progress, a slow start, a threshold failed then
met, and an impact transfer (the overall score rises while the ecological
axis falls). Three questions are weak, as in real surveys, for efc items and
efc reliability to find: most actors skip coop_governance, everybody answers
eco_positive the same, and res_overload (reverse-keyed) is read the wrong
way round. Deterministic: rerunning gives the same bytes.
"""
import csv
import random
import sys

BLOCKS = {
    "soc": ["soc_needs", "soc_access", "soc_health", "soc_work", "soc_links", "soc_inclusion"],
    "eco": ["eco_material", "eco_energy", "eco_lifetime", "eco_externalities", "eco_positive",
            "eco_single_use"],
    "loc": ["loc_jobs", "loc_purchases", "loc_use_value", "loc_volume_dependence",
            "loc_value_sharing", "loc_resilience"],
    "res": ["res_trust", "res_competence", "res_relevance", "res_health", "res_reflexivity",
            "res_overload"],
    "coop": ["coop_transverse", "coop_horizontal", "coop_vertical", "coop_territorial",
             "coop_governance"],
}
REVERSE = {"eco_single_use", "loc_volume_dependence", "res_overload"}
# weak questions: answered as if it were not reverse-keyed; the same answer
# from everybody; left empty by two actors in three
MISREAD = "res_overload"
CONSTANT = ("eco_positive", 2)
SKIPPED = "coop_governance"

# id, sector, size, sphere, base level per block (soc, eco, loc, res, coop), drift per year
ACTORS = [
    ("ferme-des-coteaux", "agriculture", "small", "feeding", (2.2, 2.4, 2.6, 2.0, 1.8), (0.3, 0.3, 0.2, 0.3, 0.4)),
    ("legumerie-solidaire", "food", "small", "feeding", (3.0, 2.0, 2.2, 2.4, 2.6), (0.2, 0.3, 0.3, 0.2, 0.2)),
    ("cantine-du-plateau", "food", "medium", "feeding", (2.4, 1.6, 2.0, 1.8, 1.6), (0.3, 0.4, 0.3, 0.3, 0.4)),
    ("ressourcerie-est", "recycling", "small", "housing", (3.2, 3.0, 2.4, 2.6, 2.8), (0.1, 0.1, 0.2, 0.1, 0.1)),
    ("renov-eco-habitat", "construction", "medium", "housing", (2.0, 2.6, 2.8, 2.2, 2.0), (0.2, 0.3, 0.2, 0.3, 0.3)),
    ("bailleur-horizon", "housing", "large", "housing", (2.6, 1.4, 1.8, 1.6, 1.4), (0.2, 0.5, 0.2, 0.2, 0.3)),
    ("coop-mobilite", "mobility", "small", "moving", (2.8, 2.8, 2.2, 2.6, 3.0), (0.2, 0.2, 0.2, 0.2, 0.1)),
    ("velo-atelier", "mobility", "small", "moving", (3.0, 3.2, 2.0, 2.8, 2.4), (0.1, 0.1, 0.3, 0.1, 0.2)),
    ("transport-lebrun", "transport", "large", "moving", (1.6, 0.6, 2.4, 1.4, 1.2), (0.3, 0.1, 0.2, 0.3, 0.3)),
    ("maison-sante-nord", "health", "medium", "health", (3.2, 1.8, 2.2, 2.4, 2.6), (0.1, 0.2, 0.2, 0.2, 0.2)),
    ("aide-domicile-ouest", "health", "medium", "health", (2.8, 1.6, 2.6, 1.4, 2.0), (0.2, 0.2, 0.1, 0.4, 0.3)),
    ("decors-reemploi", "culture", "small", "culture", (2.4, 3.0, 2.0, 2.4, 2.8), (0.2, 0.2, 0.3, 0.2, 0.2)),
    ("imprimerie-duval", "industry", "medium", "culture", (1.4, 1.8, 1.6, 1.8, 1.0), (0.5, 0.3, 0.4, 0.3, 0.5)),
    # an impact transfer: the economy and the levers rise fast while the ecological axis falls
    ("plateforme-logistique", "transport", "large", "feeding", (2.0, 2.8, 1.8, 1.8, 1.8), (0.4, -0.6, 0.6, 0.4, 0.5)),
]
YEARS = [2022, 2023, 2024]


def answer(rng, level, item):
    x = min(4, max(0, round(level + rng.gauss(0, 0.6))))
    if item == CONSTANT[0]:
        return CONSTANT[1]
    return 4 - x if item in REVERSE and item != MISREAD else x


def main() -> int:
    rng = random.Random(20260101)
    items = [i for block in BLOCKS.values() for i in block]
    w = csv.writer(sys.stdout, lineterminator="\n")
    w.writerow(["id", "period", "sector", "size", "sphere"] + items)
    for year_index, year in enumerate(YEARS):
        for a, (actor, sector, size, sphere, base, drift) in enumerate(ACTORS):
            row = [actor, year, sector, size, sphere]
            for b, block in enumerate(BLOCKS.values()):
                level = base[b] + drift[b] * year_index
                for item in block:
                    row.append(answer(rng, level, item))
            # a few questions left unanswered, as in real surveys
            for k in range(len(items)):
                if rng.random() < 0.02:
                    row[5 + k] = ""
            if a % 3:
                row[5 + items.index(SKIPPED)] = ""
            w.writerow(row)
    return 0


if __name__ == "__main__":
    sys.exit(main())
