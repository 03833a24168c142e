"""Charts with matplotlib (imported here, only when efc.plot is used): a
radar chart of one or several assessments, and an actor's trajectory per
node with its impact transfers marked."""
import math
import textwrap
from typing import Iterable, Mapping, Optional, Sequence

import matplotlib.pyplot as plt
from matplotlib.axes import Axes
from matplotlib.projections.polar import PolarAxes
import numpy as np

# tab10 without its red, which marks impact transfers
_COLOURS = ["#1f77b4", "#ff7f0e", "#2ca02c", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f",
            "#bcbd22", "#17becf"]
_TRANSFER = "#d62728"

from .model import Model
from .panel import Panel


def _scores_of(row) -> Mapping[str, float]:
    if hasattr(row, "to_dict"):
        return row.to_dict()
    return dict(row)


def radar(model: Model, assessments, nodes: Optional[Sequence[str]] = None, *,
          labels: Optional[Sequence[str]] = None, lang: Optional[str] = None, ax=None,
          title: Optional[str] = None) -> PolarAxes:
    """A radar chart of one or several assessments on `nodes` (default:
    Model.radar_nodes, the spokes efc chart radar draws: the model's scales,
    for the default model the three axes of useful effects and the two
    blocks of levers, or its items when it has fewer than three scales), each
    on the 0..1 scale.

    `assessments` is a mapping of node id to score (Model.score(), a row of
    Model.score_frame()), or a DataFrame with one assessment per row, or a
    sequence of mappings; `labels` names them in the legend (default: the
    frame's index). Axis labels are the nodes' labels in `lang` (None: the
    base labels; a language the model has no texts in raises
    efc.NotFoundError, as Model.label()). Returns the
    matplotlib Axes (polar); a chart made here keeps its labels and legend
    inside the figure, so a plain savefig() shows them whole."""
    model._lang(lang)  # a language the model has not: refused before drawing
    nodes = list(model.radar_nodes if nodes is None else nodes)
    if hasattr(assessments, "iterrows"):
        rows = [_scores_of(r) for _, r in assessments.iterrows()]
        names = list(labels) if labels is not None else [str(i) for i in assessments.index]
    elif isinstance(assessments, Mapping):
        rows, names = [assessments], list(labels) if labels is not None else [None]
    else:
        rows = [_scores_of(r) for r in assessments]
        names = list(labels) if labels is not None else [None] * len(rows)
    own = ax is None
    if own:  # room on the right for the legend, around the circle for the labels
        fig, ax = plt.subplots(subplot_kw={"projection": "polar"}, figsize=(8, 6))
        fig.subplots_adjust(left=0.12, right=0.68, top=0.86, bottom=0.1)
    angles = np.linspace(0, 2 * math.pi, len(nodes), endpoint=False)
    closed = np.concatenate([angles, angles[:1]])
    for i, (row, name) in enumerate(zip(rows, names)):
        values = np.array([row.get(n, np.nan) for n in nodes], dtype=float)
        shown = np.nan_to_num(values, nan=0.0)
        colour = _COLOURS[i % len(_COLOURS)]
        ax.plot(closed, np.concatenate([shown, shown[:1]]), marker="o", label=name,
                color=colour)
        ax.fill(closed, np.concatenate([shown, shown[:1]]), alpha=0.15, color=colour)
    ax.set_xticks(angles)
    ax.set_xticklabels([textwrap.fill(model.label(n, lang), 16) for n in nodes])
    ax.set_ylim(0, 1)
    ax.set_yticks([0.25, 0.5, 0.75, 1.0])
    if any(n is not None for n in names):
        ax.legend(loc="upper left", bbox_to_anchor=(1.12, 1.0) if own else (1.05, 1.0))
    if title:
        ax.set_title(title)
    return ax


def trajectory(panel: Panel, actor, nodes: Optional[Iterable[str]] = None, *,
               tolerance: Optional[float] = None, lang: Optional[str] = None, ax=None,
               title: Optional[str] = None) -> Axes:
    """An actor's scores over its periods, one line per node (default: the
    root and the model's scales, Model.scales), with each impact
    transfer (the node falling by more than `tolerance` while its parent
    rises) drawn as a broad dashed red segment and a marker (no node line is
    red). Returns the Axes; charts made here keep their labels and legend
    inside the figure, so a plain savefig() shows them whole."""
    model = panel.model
    model._lang(lang)  # a language the model has not: refused before drawing
    # the root once, where it is a scale itself (a flat list of items)
    nodes = list(dict.fromkeys([model.root, *model.scales]) if nodes is None else nodes)
    mine = panel.scores(nodes, actors=[actor])  # efc.NotFoundError for an unknown actor
    if panel.period_kind == "date":
        x = np.array(mine["period"], dtype="datetime64[D]")
    else:
        x = mine["period"].astype(float).to_numpy()
    if ax is None:  # a layout that keeps the labels and the legend inside the figure
        _, ax = plt.subplots(figsize=(8, 4.5), layout="constrained")
    for i, n in enumerate(nodes):
        y = mine[n].to_numpy(dtype=float)
        present = ~np.isnan(y)
        ax.plot(x[present], y[present], marker="o", color=_COLOURS[i % len(_COLOURS)],
                linewidth=2.5 if n == model.root else 1.5, label=model.label(n, lang))
    steps = panel.transfers(tolerance, nodes, actors=[actor])
    periods = list(mine["period"])
    for _, s in steps.iterrows():
        i, j = periods.index(s["from_period"]), periods.index(s["to_period"])
        ax.plot([x[i], x[j]], [s["node_from"], s["node_to"]], color=_TRANSFER, linewidth=5,
                alpha=0.45, linestyle="--")
        ax.scatter([x[j]], [s["node_to"]], color=_TRANSFER, zorder=5, marker="v", s=70)
    if not steps.empty:
        ax.plot([], [], color=_TRANSFER, linewidth=5, alpha=0.45, linestyle="--",
                label="impact transfer (falls while its parent rises)")
    if panel.period_kind != "date":
        ax.set_xticks(x)  # the periods themselves, not fractions of them
        ax.set_xticklabels([str(v) for v in periods])
    ax.set_ylim(0, 1)
    ax.set_ylabel("score")
    ax.set_xlabel("period")
    ax.grid(alpha=0.3)
    ax.legend(fontsize="small", loc="best")
    ax.set_title(title if title is not None else str(actor))
    return ax
