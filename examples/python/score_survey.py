#!/usr/bin/env python3
"""Score the bundled example survey with the EFC reference grid, print each
actor's latest scores on the three axes, and the actors whose ecological
axis did not pass its threshold.

    sh tools/python.sh examples/python/score_survey.py [survey.csv]
    (once installed: /usr/bin/python3 examples/python/score_survey.py)
"""
import pathlib
import sys

import efc

HERE = pathlib.Path(__file__).resolve().parent
survey = sys.argv[1] if len(sys.argv) > 1 else HERE.parent / "data" / "survey.csv"

model = efc.Model.default()
scores = efc.read_survey(survey, model, groups=["sector"])
print(f"{len(scores)} assessments scored, {len(scores.attrs['rejected'])} rejected")

latest = scores.sort_values("period").groupby("id").tail(1).set_index("id")
axes = ["social", "ecological", "local_economy"]
table = latest[["period", "sector", "efc", *axes]].round(3).sort_values("efc", ascending=False)
print(table.to_string())

threshold = model.node("ecological").threshold
weak = latest[latest["ecological"] < threshold]
print(f"\necological below its threshold ({threshold}):",
      ", ".join(weak.index) if len(weak) else "none")
