#!/usr/bin/env python3
"""Follow the actors of the bundled example survey over 2022-2024, print the
impact transfers (an axis falling while its parent rises), and draw one
actor's trajectory, with the parents of its transfers, and the latest radar of
three actors to PNG files.

    sh tools/python.sh examples/python/plot_trajectory.py [OUTPUT_DIR]
    (once installed: /usr/bin/python3 examples/python/plot_trajectory.py)

The charts go to OUTPUT_DIR, by default efc-charts/ in the temporary
directory.
"""
import pathlib
import sys
import tempfile

import matplotlib

matplotlib.use("Agg")  # draw to files, no display needed

import efc  # noqa: E402

HERE = pathlib.Path(__file__).resolve().parent
out = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else
                   pathlib.Path(tempfile.gettempdir()) / "efc-charts")
out.mkdir(parents=True, exist_ok=True)

panel = efc.Panel.from_survey(HERE.parent / "data" / "survey.csv", groups=["sector"])
print(panel)
steps = panel.transfers()
print(f"{len(steps)} impact transfers, for example:")
print(steps.head(5)[["actor", "node", "parent", "from_period", "to_period"]].to_string(index=False))

actor = "plateforme-logistique"
# parent=True also draws the node each transfer's axis belongs to, rising
ax = efc.plot.trajectory(panel, actor, parent=True,
                         title=f"{actor}: trajectory and impact transfers")
ax.figure.savefig(out / "trajectory.png", dpi=120)

ranks = panel.rank()
best = list(ranks.index[:3])
latest = [panel.scores().query("actor == @a").iloc[-1] for a in best]
ax = efc.plot.radar(panel.model, latest, labels=best, title="The three best, latest year")
ax.figure.savefig(out / "radar.png", dpi=120)
print(f"wrote {out / 'trajectory.png'} and {out / 'radar.png'}")
