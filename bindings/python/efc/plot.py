"""Charts with matplotlib (imported here, only when efc.plot is used): a
radar chart of one or several assessments, and an actor's trajectory per
node with its impact transfers marked.

Both are drawn to be printed: every series has its own line style and
marker besides its colour (they stay apart in greyscale), the period axis
labels as many periods as fit, the legend never covers the data nor leaves
the room of its Axes (see _place_legend), and the chart's own words follow
`lang` ("fr" or English)."""
import math
import textwrap
import warnings
from typing import Iterable, Mapping, Optional, Sequence

import matplotlib
import matplotlib.dates as mdates
import matplotlib.path
import matplotlib.transforms
import matplotlib.patheffects as patheffects
import matplotlib.pyplot as plt
import matplotlib.ticker as mticker
from matplotlib.axes import Axes
from matplotlib.projections.polar import PolarAxes
import numpy as np
from matplotlib.font_manager import FontProperties

from .errors import ArgumentError
from .model import Model
from .panel import Panel

# tab10 without its red, which marks impact transfers
_COLOURS = ["#1f77b4", "#ff7f0e", "#2ca02c", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f",
            "#bcbd22", "#17becf"]
_TRANSFER = "#d62728"
# one marker per series (nine, as many as colours; "v" and "^" mark transfers)
# and four line styles: the pair is unique up to 36 series
_MARKERS = ["o", "s", "D", "P", "X", "h", "*", "p", "d"]
_LINESTYLES = ["-", "--", "-.", ":"]

# The chart's own words; node labels come from the model in `lang`.
_TEXTS = {
    "en": {"score": "score", "period": "period", "transfer": "impact transfer",
           "transfer_node": "impact transfer: the node falls",
           "transfer_parent": "\u2026 while its parent rises"},
    "fr": {"score": "score", "period": "p\u00e9riode", "transfer": "transfert d\u2019impact",
           "transfer_node": "transfert d\u2019impact\u00a0: le n\u0153ud baisse",
           "transfer_parent": "\u2026 tandis que son parent monte"},
}
_LEGEND_PLACES = ("auto", "inside", "outside")


def _node_lang(model: Model, lang: Optional[str]) -> Optional[str]:
    """The language of the nodes' labels for a chart in `lang`: the chart's
    own words exist in English and French, the nodes' texts in the model's
    languages. A chart in French of a model without French texts has French
    words and the base labels; a language neither has raises
    efc.NotFoundError (Model.label's rule), before anything is drawn."""
    if lang in _TEXTS and lang not in model.languages:
        return None
    return model._lang(lang)


def _texts(lang: Optional[str]) -> Mapping[str, str]:
    return _TEXTS["fr" if lang == "fr" else "en"]


def _style(i: int) -> dict:
    """The colour, marker and line style of the i-th series."""
    return {"color": _COLOURS[i % len(_COLOURS)], "marker": _MARKERS[i % len(_MARKERS)],
            "linestyle": _LINESTYLES[i % len(_LINESTYLES)]}


def _number(v: float, lang: Optional[str]) -> str:
    """A number as a tick label: no trailing zeros, a decimal comma in French."""
    s = str(int(round(v))) if float(v).is_integer() else f"{v:.6g}"
    return s.replace(".", ",").replace("-", "\u2212") if lang == "fr" else s


def _scores_of(row) -> Mapping[str, float]:
    if hasattr(row, "to_dict"):
        return row.to_dict()
    return dict(row)


def _renderer(fig):
    get = getattr(fig.canvas, "get_renderer", None)
    return get() if get is not None else fig._get_renderer()


def _lay_out(fig):
    """Place the Axes as the figure's layout engine will, so that sizes
    measured now are those drawn."""
    engine = fig.get_layout_engine()
    if engine is not None:
        engine.execute(fig)
    for ax in fig.axes:  # a polar Axes is drawn as the square in its room
        ax.apply_aspect()


def _data_paths(ax, renderer):
    """The drawn data of an Axes in display coordinates, each with the
    half-width (pixels) its markers and line add around it and whether its
    points are joined."""
    px = ax.figure.dpi / 72
    out = []
    for line in ax.lines:
        if not line.get_visible() or len(line.get_xydata()) == 0:
            continue
        path = line.get_transform().transform_path(line.get_path())
        reach = max(line.get_markersize() if line.get_marker() not in (None, "", "None") else 0,
                    line.get_linewidth()) / 2 * px
        out.append((path, reach, True))
    for c in ax.collections:
        offsets = c.get_offsets()
        if len(offsets):
            points = c.get_offset_transform().transform(offsets)
            sizes = c.get_sizes()
            reach = (math.sqrt(max(sizes)) / 2 * px) if len(sizes) else 0
            # points only: no segments between a scatter's points
            out.append((matplotlib.path.Path(points, closed=False), reach, False))
    return out


def _covers(box, data) -> bool:
    """Whether a display box touches any data path (segments or points)."""
    for path, reach, segments in data:
        padded = box.expanded(1, 1).padded(reach + 2)
        verts = path.vertices
        if len(verts) and padded.count_contains(verts):
            return True
        if segments and len(verts) > 1 and path.intersects_bbox(padded, filled=False):
            return True
    return False


def _inside_figure(box, fig) -> bool:
    f = fig.bbox
    return f.x0 <= box.x0 and box.x1 <= f.x1 and f.y0 <= box.y0 and box.y1 <= f.y1


def _on_others(box, ax) -> bool:
    """Whether a display box overlaps another Axes of the figure (its frame
    and decorations)."""
    renderer = _renderer(ax.figure)
    for other in ax.figure.axes:
        if other is ax or not other.get_visible():
            continue
        if box.overlaps(other.get_tightbbox(renderer)):
            return True
    return False


def _legend_outside(ax, x: float = 1.02, **kw):
    return ax.legend(loc="upper left", bbox_to_anchor=(x, 1.0), borderaxespad=0.0,
                     fontsize="small", **kw)


_PLACES = {"upper right": (1, 1), "upper left": (0, 1), "lower right": (1, 0),
           "lower left": (0, 0), "center right": (1, 0.5), "center left": (0, 0.5),
           "upper center": (0.5, 1), "lower center": (0.5, 0), "center": (0.5, 0.5)}


def _legend_inside(ax, avoid=()):
    """The legend at the first place inside the Axes where it touches no
    data (nor the `avoid` boxes), in one or two columns, small then
    x-small; None if there is none."""
    renderer = _renderer(ax.figure)
    data = _data_paths(ax, renderer)
    frame = ax.get_window_extent(renderer)
    for ncol, size in ((1, "small"), (2, "small"), (1, "x-small"), (2, "x-small")):
        leg = ax.legend(loc="upper right", ncol=ncol, fontsize=size)
        w, h = leg.get_window_extent(renderer).size
        pad = leg.borderaxespad * leg.prop.get_size_in_points() * ax.figure.dpi / 72
        # with room to spare: the layout may still shrink the Axes a little
        spare = 0.03 * max(w, h) + 2
        for loc, (fx, fy) in _PLACES.items():
            x0 = frame.x0 + pad + fx * (frame.width - 2 * pad - w)
            y0 = frame.y0 + pad + fy * (frame.height - 2 * pad - h)
            box = matplotlib.transforms.Bbox.from_bounds(x0, y0, w, h).padded(spare)
            if not (frame.x0 <= box.x0 and box.x1 <= frame.x1 and frame.y0 <= box.y0
                    and box.y1 <= frame.y1):
                continue
            if not _covers(box, data) and not any(box.overlaps(a) for a in avoid):
                return ax.legend(loc=loc, ncol=ncol, fontsize=size)
    ax.get_legend().remove()
    return None


def _legend_above_data(ax, top: float = 1.0):
    """The legend in a band above the data: the y axis is lengthened past
    `top` (its ticks and spine stop at `top`), in as many columns as fit
    the Axes' width."""
    renderer = _renderer(ax.figure)
    frame = ax.get_window_extent(renderer)
    n = len(ax.get_legend_handles_labels()[0])
    for size in ("small", "x-small"):
        for ncol in range(min(max(n, 1), 3), 0, -1):
            leg = ax.legend(loc="upper center", ncol=ncol, fontsize=size)
            if leg.get_window_extent(renderer).width <= frame.width * 0.98:
                break
        height = leg.get_window_extent(renderer).height + 8 * ax.figure.dpi / 72
        if height <= 0.4 * frame.height:
            break
    bottom = ax.get_ylim()[0]
    share = min(height / frame.height, 0.9)
    if share > 0.5:
        warnings.warn("trajectory(): the legend takes more than half the Axes' height; give "
                      "the chart more room, or pass legend=False and draw one legend for the "
                      "figure", stacklevel=4)
    ax.set_ylim(bottom, bottom + (top - bottom) / (1 - share))
    ax.spines["left"].set_bounds(bottom, top)
    ax.spines["right"].set_visible(False)
    ax.spines["top"].set_visible(False)
    return leg


def _place_legend(ax, legend, own: bool):
    """Put the legend where it covers no data and stays in its Axes' room:
    outside on the right for a figure made here (its constrained layout
    makes the room), else inside the Axes where it touches no data, else in
    a band above the data (the y axis lengthened past 1)."""
    if legend is None or legend is False or not ax.get_legend_handles_labels()[0]:
        return None
    if legend not in _LEGEND_PLACES:
        raise ArgumentError(1, f"legend {legend!r} is not one of 'auto', 'inside', 'outside',"
                               " False")
    if legend == "outside" or (legend == "auto" and own):
        return _legend_outside(ax)
    _lay_out(ax.figure)
    leg = _legend_inside(ax)
    return leg if leg is not None else _legend_above_data(ax)


class _PeriodLocator(mticker.Locator):
    """Ticks on a period axis: at the periods themselves when their labels
    fit the axis' length side by side, else at as many round values (whole
    numbers when the periods are, years, months or days for dates) as fit.
    Measured when drawn, so a narrow subplot gets fewer ticks."""

    def __init__(self, values, dates: bool, lang: Optional[str]):
        self.values = np.unique(np.asarray(values, dtype=float))
        self.dates = dates
        self.lang = lang
        self.integer = not dates and bool(np.all(self.values == np.round(self.values)))
        self.exact = True

    def label(self, v: float) -> str:
        if not self.dates:
            return _number(v, self.lang)
        d = mdates.num2date(v)
        if self.exact or d.day != 1:
            return d.strftime("%Y-%m-%d")
        return d.strftime("%Y") if d.month == 1 else d.strftime("%Y-%m")

    def _room(self, chars: int) -> int:
        ax = self.axis.axes
        length = ax.bbox.width * 72 / ax.figure.dpi
        size = FontProperties(size=matplotlib.rcParams["xtick.labelsize"]).get_size_in_points()
        # a digit is 0.64 em wide in DejaVu Sans; 1.5 em between labels
        return max(2, int(length // (size * (0.64 * chars + 1.5))))

    def __call__(self):
        lo, hi = sorted(self.axis.get_view_interval())
        return self.tick_values(lo, hi)

    def tick_values(self, vmin, vmax):
        shown = self.values[(self.values >= vmin) & (self.values <= vmax)]
        if len(shown) == 0:
            return shown
        self.exact = True
        widest = max(len(self.label(v)) for v in shown)
        if len(shown) <= self._room(widest):
            return shown
        self.exact = False
        first, last = shown[0], shown[-1]
        if self.dates:
            for chars in (4, 7, 10):  # years, months, days
                loc = mdates.AutoDateLocator(minticks=2, maxticks=self._room(chars))
                ticks = loc.tick_values(mdates.num2date(first), mdates.num2date(last))
                ticks = ticks[(ticks >= first) & (ticks <= last)]
                if len(ticks) and max(len(self.label(t)) for t in ticks) <= chars:
                    return ticks
            return np.array([first, last])
        return self._round_ticks(first, last, self._room(widest))

    def _round_ticks(self, first: float, last: float, room: int):
        """The multiples of the smallest round step (1, 2, 2.5 or 5 times a
        power of ten; whole when the periods are) of which at most `room`
        fall in [first, last]."""
        span = last - first
        power = 10.0 ** math.floor(math.log10(span / room)) if span > 0 else 1.0
        while True:
            for m in (1, 2, 2.5, 5):
                step = m * power
                if self.integer and not float(step).is_integer():
                    continue
                ticks = np.arange(math.ceil(first / step - 1e-9), math.floor(last / step + 1e-9)
                                  + 1) * step
                if len(ticks) <= room:
                    return ticks
            power *= 10


class _PeriodFormatter(mticker.Formatter):
    def __init__(self, locator: _PeriodLocator):
        self.locator = locator

    def __call__(self, x, pos=None):
        return self.locator.label(x)


class _ScoreFormatter(mticker.Formatter):
    def __init__(self, lang: Optional[str]):
        self.lang = lang

    def __call__(self, x, pos=None):
        return _number(round(x, 6), self.lang)


def radar(model: Model, assessments, nodes: Optional[Sequence[str]] = None, *,
          labels: Optional[Sequence[str]] = None, lang: Optional[str] = None, ax=None,
          title: Optional[str] = None, legend="auto") -> PolarAxes:
    """A radar chart of one or several assessments on `nodes` (default:
    Model.radar_nodes, the spokes efc chart radar draws: the model's scales,
    for the default model the three axes of useful effects and the two
    blocks of levers, or its items when it has fewer than three scales), each
    on the 0..1 scale, spokes clockwise from the top.

    `assessments` is a mapping of node id to score (Model.score(), a row of
    Model.score_frame()), or a DataFrame with one assessment per row, or a
    sequence of mappings; `labels` names them in the legend (default: the
    frame's index). Axis labels are the nodes' labels in `lang`; each series
    has its own line style and marker. `ax` must be a polar Axes
    (efc.ArgumentError otherwise). The legend ("auto", "outside", "inside"
    or False) goes outside on the right of a figure made here; on a given
    Axes, see docs/python.md. Returns the polar Axes."""
    if ax is not None and getattr(ax, "name", None) != "polar":
        raise ArgumentError(1, "radar() draws on a polar Axes (projection='polar'), "
                               f"not on a {getattr(ax, 'name', type(ax).__name__)!r} one")
    node_lang = _node_lang(model, lang)  # refused before drawing when nothing speaks it
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
    if own:
        _, ax = plt.subplots(subplot_kw={"projection": "polar"}, figsize=(8, 5.5),
                             layout="constrained")
        # the circle at the left of its room, the legend in the rest: the
        # layout measures the legend from the room's edge, not the circle's
        ax.set_anchor("W")
    ax.set_theta_zero_location("N")
    ax.set_theta_direction(-1)
    angles = np.linspace(0, 2 * math.pi, len(nodes), endpoint=False)
    closed = np.concatenate([angles, angles[:1]])
    for i, (row, name) in enumerate(zip(rows, names)):
        values = np.array([row.get(n, np.nan) for n in nodes], dtype=float)
        shown = np.nan_to_num(values, nan=0.0)
        ax.plot(closed, np.concatenate([shown, shown[:1]]), label=name, linewidth=1.5,
                markersize=6, **_style(i))
        ax.fill(closed, np.concatenate([shown, shown[:1]]), alpha=0.1,
                color=_style(i)["color"])
    ax.set_xticks(angles)
    ax.set_xticklabels([textwrap.fill(model.label(n, node_lang), 16) for n in nodes])
    # each label grows away from the circle, clear of the markers at 1.0
    ax.tick_params(axis="x", pad=8)
    for a, t in zip(angles, ax.get_xticklabels()):
        s, c = math.sin(a), math.cos(a)
        t.set_horizontalalignment("center" if abs(s) < 0.2 else "left" if s > 0 else "right")
        t.set_verticalalignment("bottom" if c > 0.8 else "top" if c < -0.8 else "center")
    ax.set_ylim(0, 1)
    ax.set_yticks(_RINGS)
    ax.set_yticklabels([])  # the rings' values are placed clear of the data below
    if title:
        ax.set_title(title, pad=24)
    _lay_out(ax.figure)
    if any(n is not None for n in names):
        _radar_legend(ax, legend, own)
        _lay_out(ax.figure)
    _ring_values(ax, angles, lang)
    return ax


_RINGS = [0.25, 0.5, 0.75, 1.0]


def _ring_values(ax, angles, lang):
    """The rings' values, written between two spokes where no line, marker,
    label or legend is under them: all along one gap when one is free for
    all, else each at the first free place, else mid-gap. Texts with the
    gid "efc-ring"."""
    renderer = _renderer(ax.figure)
    data = [(p, 2.0, seg) for p, _, seg in _data_paths(ax, renderer)]
    avoid = [t.get_window_extent(renderer) for t in ax.get_xticklabels() if t.get_text()]
    if ax.get_legend() is not None:
        avoid.append(ax.get_legend().get_window_extent(renderer))
    n = len(angles)
    gap = 2 * math.pi / max(n, 1)
    places = [angles[k] + f * gap for f in (0.5, 0.25, 0.75) for k in range(n)]
    texts = [ax.text(places[0], r, _number(r, lang), ha="center", va="center",
                     fontsize="small", color="#555555", gid="efc-ring", zorder=3,
                     path_effects=[patheffects.withStroke(linewidth=3, foreground="white")])
             for r in _RINGS]

    def free(t, a):
        t.set_x(a)
        box = t.get_window_extent(renderer)
        return not _covers(box, data) and not any(box.overlaps(b) for b in avoid)

    for a in places:
        if all(free(t, a) for t in texts):
            return texts
    for t in texts:
        for a in places:
            if free(t, a):
                avoid.append(t.get_window_extent(renderer))
                break
        else:
            t.set_x(places[0])
    return texts


def _radar_legend(ax, legend, own: bool):
    if legend is None or legend is False:
        return None
    if legend not in _LEGEND_PLACES:
        raise ArgumentError(1, f"legend {legend!r} is not one of 'auto', 'inside', 'outside',"
                               " False")
    renderer = _renderer(ax.figure)
    frame = ax.get_window_extent(renderer)
    labels = [t.get_window_extent(renderer) for t in ax.get_xticklabels() if t.get_text()]
    # right of the spokes' labels that stick out of the circle's box
    right = max([frame.x1, *[b.x1 for b in labels]])
    x = 1 + (right - frame.x1) / frame.width + 0.04
    if legend == "outside" or (legend == "auto" and own):
        leg = _legend_outside(ax, x)
        if own:  # the layout cannot move a legend held by a circle: widen the figure
            fig = ax.figure
            _lay_out(fig)
            over = leg.get_window_extent(renderer).x1 - fig.bbox.x1 + 6 * fig.dpi / 72
            if over > 0:
                fig.set_figwidth(fig.get_figwidth() + over / fig.dpi)
        return leg
    # a given Axes: a corner of the circle's box, clear of lines and labels
    # (constrained layout does not make room beside a polar Axes for all
    # its labels, so outside is the last resort)
    leg = _legend_inside(ax, avoid=labels)
    if leg is not None:
        return leg
    leg = _legend_outside(ax, x)
    box = leg.get_window_extent(renderer)
    if not _inside_figure(box, ax.figure) or _on_others(box, ax):
        warnings.warn("radar(): no room for the legend in a corner of the Axes nor beside "
                      "it; give the figure more room, or pass legend=False and draw one "
                      "legend for the figure", stacklevel=3)
    return leg


def trajectory(panel: Panel, actor, nodes: Optional[Iterable[str]] = None, *,
               tolerance: Optional[float] = None, lang: Optional[str] = None, ax=None,
               title: Optional[str] = None, parent: bool = False, legend="auto") -> Axes:
    """An actor's scores over its periods, one line per node (default: the
    root and Model.radar_nodes, the spokes of radar(): the scales, or the
    items when the model has fewer than three scales), each with its own
    line style and marker. Each impact transfer (the node falling by more
    than `tolerance` while its parent rises) is drawn as a broad dashed red
    segment ending in a "v" (no node line is red); with parent=True the
    transfers' parents are drawn too (those not among `nodes` are added)
    and the parent's rise over each transfer is marked, dotted red ending
    in a "^". The period axis labels the periods when they fit, else round
    values; the chart's words ("score", "period", the transfer entries) are
    in `lang`. `ax` must not be polar. The legend ("auto", "outside",
    "inside" or False) goes outside on the right of a figure made here; on a
    given Axes, inside where it touches no data (see docs/python.md).
    Returns the Axes."""
    if ax is not None and getattr(ax, "name", None) == "polar":
        raise ArgumentError(1, "trajectory() draws on a rectilinear Axes, not a polar one")
    model = panel.model
    node_lang = _node_lang(model, lang)  # refused before drawing when nothing speaks it
    words = _texts(lang)
    # the root once, where it is a spoke itself
    nodes = list(dict.fromkeys([model.root, *model.radar_nodes] if nodes is None else nodes))
    steps = panel.transfers(tolerance, nodes, actors=[actor])  # NotFoundError: unknown actor
    drawn = list(dict.fromkeys([*nodes, *steps["parent"]])) if parent else nodes
    mine = panel.scores(drawn, actors=[actor])
    dates = panel.period_kind == "date"
    if dates:
        x = mdates.date2num(np.array(mine["period"], dtype="datetime64[D]"))
    else:
        x = mine["period"].astype(float).to_numpy()
    own = ax is None
    if own:  # a layout that keeps the labels and the legend inside the figure
        _, ax = plt.subplots(figsize=(9, 4.5), layout="constrained")
    size = 6 if len(x) <= 12 else 4
    for i, n in enumerate(drawn):
        y = mine[n].to_numpy(dtype=float)
        present = ~np.isnan(y)
        ax.plot(x[present], y[present], markersize=size,
                linewidth=2.5 if n == model.root else 1.5, label=model.label(n, node_lang),
                **_style(i))
    periods = list(mine["period"])
    for _, s in steps.iterrows():
        i, j = periods.index(s["from_period"]), periods.index(s["to_period"])
        ax.plot([x[i], x[j]], [s["node_from"], s["node_to"]], color=_TRANSFER, linewidth=5,
                alpha=0.45, linestyle="--", zorder=1.9)
        ax.scatter([x[j]], [s["node_to"]], color=_TRANSFER, zorder=5, marker="v", s=70)
        if parent:
            ax.plot([x[i], x[j]], [s["parent_from"], s["parent_to"]], color=_TRANSFER,
                    linewidth=5, alpha=0.45, linestyle=":", zorder=1.9)
            ax.scatter([x[j]], [s["parent_to"]], color=_TRANSFER, zorder=5, marker="^", s=70)
    if not steps.empty:
        ax.plot([], [], color=_TRANSFER, linewidth=5, alpha=0.45, linestyle="--", marker="v",
                markersize=8, label=words["transfer_node"] if parent else words["transfer"])
        if parent:
            ax.plot([], [], color=_TRANSFER, linewidth=5, alpha=0.45, linestyle=":",
                    marker="^", markersize=8, label=words["transfer_parent"])
    locator = _PeriodLocator(x, dates, lang)
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(_PeriodFormatter(locator))
    ax.xaxis.set_minor_locator(mticker.NullLocator())
    ax.set_ylim(0, 1)
    ax.set_yticks([0, 0.2, 0.4, 0.6, 0.8, 1.0])
    ax.yaxis.set_major_formatter(_ScoreFormatter(lang))
    ax.set_ylabel(words["score"])
    ax.set_xlabel(words["period"])
    ax.grid(alpha=0.3)
    ax.set_title(title if title is not None else str(actor))
    _place_legend(ax, legend, own)
    return ax
