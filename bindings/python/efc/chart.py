"""Charts drawn by the library itself (efc/chart.h): the SVG that `efc chart
radar` and `efc report` write, as an object a notebook shows inline, with
no plotting library (efc.plot draws with matplotlib)."""
import math
import os
from typing import Mapping, Optional, Union

import numpy as np

from ._lib import cstr, ffi, lib
from .errors import ArgumentError
from .errors import call as _call
from .model import Model, Result, _is_series

Scores = Union[Mapping[str, float], Result, "np.ndarray", "object"]


class Chart:
    """An SVG chart: `svg` holds a standalone document (the XML declaration,
    its own style sheet, no script and no external resource). A notebook
    shows it inline (_repr_html_, _repr_svg_); save() writes it to a file;
    str() is the SVG. Make one with Chart.radar()."""

    __slots__ = ("svg",)

    def __init__(self, svg: str):
        self.svg = svg

    @classmethod
    def radar(cls, model: Model, scores: Scores, medians: Optional[Scores] = None, *,
              title: Optional[str] = None, label: Optional[str] = None,
              series: Optional[str] = None, median_series: Optional[str] = None,
              threshold_text: Optional[str] = None, lang: Optional[str] = None) -> "Chart":
        """A radar of one assessment on the model's radar nodes
        (Model.radar_nodes), as efc chart radar draws it: the scores filled,
        `medians` (of the peer group, say) dashed beneath, the thresholds
        as bars across their spokes. `scores` and `medians`: {node id:
        score} (Model.score), a Result (Model.score_detail), a row of
        Model.score_frame or Panel.scores (a Series indexed by node ids;
        other entries are ignored) or an array of one score per node in
        node order; a node left out is missing (its spoke's label marked).
        `label` is what the chart shows, for screen readers (default "Radar
        chart"); `series`, `median_series` and `threshold_text` are the
        legends (default "Scores", "Median", "Threshold"); `lang` one of the
        model's languages for the spokes' labels (None: the base labels)."""
        if not isinstance(model, Model):
            raise ArgumentError(1, f"model must be an efc.Model, got {type(model).__name__}")
        row = _node_row(model, scores, "scores")
        med = None if medians is None else _node_row(model, medians, "medians")
        made = ffi.new("efc_chart_options **")
        _call(lib.efc_chart_options_create, made, ffi.NULL)
        o = ffi.gc(made[0], lib.efc_chart_options_free)
        if title is not None:
            _call(lib.efc_chart_options_set_title, o, cstr(title))
        for setter, value in ((lib.efc_chart_options_set_label, label),
                              (lib.efc_chart_options_set_series, series),
                              (lib.efc_chart_options_set_median_series, median_series),
                              (lib.efc_chart_options_set_threshold_text, threshold_text)):
            if value is not None:
                _call(setter, o, cstr(value))
        _call(lib.efc_chart_options_set_lang, o, cstr(model._lang(lang)))
        _call(lib.efc_chart_options_set_standalone, o, 1)
        args = (model._m, ffi.cast("const double *", row.ctypes.data),
                ffi.NULL if med is None else ffi.cast("const double *", med.ctypes.data), o)
        size = ffi.new("size_t *")
        _call(lib.efc_chart_radar_svg, ffi.NULL, 0, size, *args)
        buf = ffi.new("char[]", size[0] + 1)
        _call(lib.efc_chart_radar_svg, buf, size[0] + 1, size, *args)
        return cls(ffi.unpack(buf, size[0]).decode("utf-8"))

    @staticmethod
    def style() -> str:
        """The charts' style sheet (CSS): what a page holding many charts
        without their own would include once (efc_chart_style)."""
        return ffi.string(lib.efc_chart_style()).decode()

    def save(self, path: Union[str, "os.PathLike[str]"]) -> None:
        """Write the SVG document to a file (UTF-8), as efc chart -o does."""
        with open(os.fspath(path), "w", encoding="utf-8", newline="") as f:
            f.write(self.svg)

    def _repr_svg_(self) -> str:
        return self.svg

    def _repr_html_(self) -> str:
        # the <svg> element alone (no XML declaration inside a page); it
        # keeps its own style sheet, whose rules all start with .chart
        svg = self.svg
        if svg.startswith("<?xml"):
            svg = svg[svg.index("?>") + 2:].lstrip("\n")
        return f'<div class="efc-chart">{svg}</div>'

    def __str__(self) -> str:
        return self.svg

    def __repr__(self) -> str:
        start = self.svg.find("aria-label=\"")
        what = self.svg[start + 12:self.svg.find("\"", start + 12)] if start >= 0 else "?"
        return f"<efc.Chart {what!r}: {len(self.svg)} bytes of SVG>"


def _node_row(model: Model, scores, name: str) -> np.ndarray:
    """One score per node, in node order, NaN where missing."""
    n = len(model.node_ids)
    row = np.full(max(n, 1), np.nan)
    if isinstance(scores, Result):
        scores = scores.scores
    if isinstance(scores, Mapping) or _is_series(scores):
        for node, v in scores.items():
            if node in model:
                row[model._index(node)] = _score(v, name, node)
        return row
    arr = np.asarray(scores, dtype=float)
    if arr.shape != (n,):
        raise ArgumentError(1, f"{name} must map node ids to scores or hold one score per node "
                               f"({n}), got shape {arr.shape}")
    row[:n] = arr
    return row


def _score(v, name: str, node: str) -> float:
    if v is None:
        return math.nan
    try:
        return float(v)
    except (TypeError, ValueError):
        if type(v).__name__ in ("NAType", "NaTType"):  # pandas' missing values
            return math.nan
        raise ArgumentError(1, f"{name}: the score of '{node}' is not a number: {v!r}") from None
