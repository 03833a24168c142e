"""Models: the embedded EFC reference grid, codebooks, models built in code,
introspection as plain Python objects, and scoring one assessment, numpy
arrays and pandas frames."""
import io
import math
import os
import warnings
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Dict, Iterable, List, Mapping, Optional, Sequence, Tuple, Union

import numpy as np

from . import _batch, _cfile, _html, _names
from ._guard import Guard, locked
from ._lib import NONE, cpath, cstr, doubles, ffi, lib, text
from .errors import (ArgumentError, Error, InvalidValueError, NotFoundError, StateError, check,
                     error_object, from_error)
from .errors import call as _call

if TYPE_CHECKING:
    import pandas as pd

PathOrFile = Union[str, os.PathLike, Any]



def _aggregate_of(aggregate: str, power: Optional[float]):
    """(efc_aggregate, power) of "mean", ..., "power" with `power`, or "power:P"."""
    if aggregate == "power":
        if power is None:
            raise ArgumentError(1, "a power mean needs its exponent (power=P)")
        return lib.EFC_AGGREGATE_POWER, float(power)
    try:
        return _names.parse_aggregate(aggregate)
    except (Error, AttributeError) as e:
        raise ArgumentError(1, f"aggregate {getattr(e, 'message', aggregate)}") from None


@dataclass(frozen=True)
class Node:
    """One node of a model, as plain data (Model.nodes, Model.node()).

    `labels`, `descriptions` and `levels_text` map a language code ("" for
    the base text) to the text; `levels` lists (value, text) pairs of the
    base levels. Goalposts, direction and transform are None for groups;
    aggregate, power and min_coverage are None for leaves."""

    id: str
    kind: str  # "group" or "leaf"
    index: int  # the node's number (its column in Model.score_array's output)
    leaf_index: Optional[int]  # a leaf's number (its column in the input); None for groups
    parent: Optional[str]
    children: Tuple[str, ...]
    weight: float
    label: str
    labels: Dict[str, str] = field(default_factory=dict)
    descriptions: Dict[str, str] = field(default_factory=dict)
    levels: Tuple[Tuple[float, str], ...] = ()
    levels_text: Dict[str, str] = field(default_factory=dict)
    min: Optional[float] = None
    max: Optional[float] = None
    direction: Optional[str] = None  # "+" or "-"
    transform: Optional[str] = None  # "none" or "log"
    aggregate: Optional[str] = None  # mean, geomean, harmonic, min, power
    power: Optional[float] = None
    min_coverage: Optional[float] = None
    threshold: Optional[float] = None
    line: Optional[int] = None
    # the steps of the indicator pipeline (efc/index.h; None for groups, and
    # for a leaf without the step): each as its canonical codebook text, and
    # the method by the library's name ("none" / "goalposts" without a step)
    denominator: Optional[str] = None  # the column the leaf is divided by
    denominator_scale: Optional[float] = None  # times this (with a denominator)
    impute: Optional[str] = None  # "group_mean:Group_EurAsia"
    impute_method: Optional[str] = None  # none, mean, median, group_mean, group_median, latest, linear
    impute_column: Optional[str] = None  # the group column of group_mean, group_median
    treat: Optional[str] = None  # "winsorise:6:2:3.5"
    treat_method: Optional[str] = None  # none, winsorise, log, boxcox
    normalise: Optional[str] = None  # "minmax:0:100"
    normalise_method: Optional[str] = None  # goalposts, minmax, zscore, ...
    target: Optional[float] = None  # the target of dist2target

    @property
    def description(self) -> Optional[str]:
        """The base description, or None."""
        return self.descriptions.get("")

    def _repr_html_(self) -> str:
        """The node in a notebook: its label, kind, weight, what it
        aggregates (a group) or reads (a leaf: goalposts, direction,
        transform, levels), its threshold and description."""
        rows = [("id", f"<code>{_html.esc(self.id)}</code>"), ("kind", _html.esc(self.kind)),
                ("parent", _html.esc(self.parent) if self.parent else "\u2013"),
                ("weight", _html.num(self.weight))]
        if self.kind == "group":
            rows.append(("aggregation", _html.esc(_aggregation_text(self))))
            rows.append(("children", _html.esc(", ".join(self.children))))
        else:
            rows.append(("goalposts", _html.esc(_goalposts_text(self))))
            for name, value in (("denominator", self.denominator and
                                 f"{self.denominator} \u00d7 {_num(self.denominator_scale)}"),
                                ("impute", self.impute), ("treat", self.treat),
                                ("normalise", self.normalise),
                                ("target", None if self.target is None else _num(self.target))):
                if value:
                    rows.append((name, _html.esc(value)))
            if self.levels:
                rows.append(("levels", _html.esc("; ".join(f"{_num(v)} = {t}"
                                                           for v, t in self.levels))))
        rows.append(("threshold", _html.num(self.threshold)))
        if self.description:
            rows.append(("description", _html.esc(self.description)))
        return _html.box(f"efc.Node {self.label}", "",
                         _html.table(("", ""), ((_html.esc(k), v) for k, v in rows)))


def _steps(m, k: int) -> Dict[str, Any]:
    """The pipeline steps of leaf k (Node's fields)."""
    def step(which: int) -> Optional[str]:
        return text(lib.efc_model_node_step(m, k, which)) or None

    denominator = text(lib.efc_model_node_denominator(m, k))
    target = lib.efc_model_node_target(m, k)
    return dict(
        denominator=denominator,
        denominator_scale=None if denominator is None else
        lib.efc_model_node_denominator_scale(m, k),
        impute=step(lib.EFC_STEP_IMPUTE),
        impute_method=_names.name("IMPUTE", lib.efc_model_node_step_method(
            m, k, lib.EFC_STEP_IMPUTE)),
        impute_column=text(lib.efc_model_node_impute_column(m, k)),
        treat=step(lib.EFC_STEP_TREAT),
        treat_method=_names.name("TREAT", lib.efc_model_node_step_method(
            m, k, lib.EFC_STEP_TREAT)),
        normalise=step(lib.EFC_STEP_NORMALISE),
        normalise_method=_names.name("NORMALISE", lib.efc_model_node_step_method(
            m, k, lib.EFC_STEP_NORMALISE)),
        target=None if math.isnan(target) else target)


def _new_model(fill) -> "Model":
    """A Model from a C constructor `fill(efc_model **out, err)`."""
    out = ffi.new("efc_model **")
    err = error_object()
    check(fill(out, err), err)
    return Model._wrap(out[0])


class Model:
    """A finalized model: a tree of groups and leaves that scores assessments.

    Create one with Model.default(), Model.from_codebook() or a
    ModelBuilder. Models are immutable and safe to share between threads;
    they pickle (pickle, cloudpickle) through their canonical codebook, so
    they travel to worker processes. Two models are equal (==, and hash)
    when their canonical codebooks are (Model.sha256): they score
    identically. copy.copy() and copy.deepcopy() return the model itself.
    """

    __slots__ = ("_m", "_ids", "_leaf_ids", "_group_ids", "_leaf_index", "_sha", "__weakref__")

    def __init__(self, *args, **kwargs):
        raise TypeError("use Model.default(), Model.from_codebook() or ModelBuilder")

    @classmethod
    def _wrap(cls, ptr, owned: bool = False) -> "Model":
        """A Model around a finalized efc_model *; `owned`: already under
        ffi.gc (freed with the object), else put under it here."""
        self = object.__new__(cls)
        self._m = ptr if owned else ffi.gc(ptr, lib.efc_model_free)
        self._sha = None
        n = lib.efc_model_node_count(ptr)
        self._ids = [text(lib.efc_model_node_id(ptr, k)) for k in range(n)]
        self._leaf_ids = [self._ids[lib.efc_model_leaf_node(ptr, j)]
                          for j in range(lib.efc_model_leaf_count(ptr))]
        self._group_ids = [self._ids[lib.efc_model_group_node(ptr, g)]
                           for g in range(lib.efc_model_group_count(ptr))]
        self._leaf_index = {leaf: j for j, leaf in enumerate(self._leaf_ids)}
        return self

    # ---- making models ----

    @classmethod
    def default(cls) -> "Model":
        """The embedded EFC reference grid (docs/reference-model.md)."""
        return _new_model(lambda out, err: lib.efc_model_default(out, ffi.NULL, err))

    @classmethod
    def from_codebook(cls, source: PathOrFile, name: Optional[str] = None) -> "Model":
        """Load a codebook CSV (docs/codebook.md) from a path, or from a file
        object (binary or text) from where Python is (streamed when it is a
        seekable or unbuffered binary file, read whole otherwise).
        Errors (efc.ModelError, efc.CSVError, efc.FileError) name the file,
        line and column; `name` is the name they use for a file object."""
        if isinstance(source, (str, os.PathLike)):
            path = cpath(source)
            return _new_model(lambda out, err: lib.efc_model_load_path(out, path, ffi.NULL, err))
        label = cstr(name or getattr(source, "name", None) or "<codebook>")
        if _cfile.streams(source, "r"):
            with _cfile.c_stream(source, "rb") as fp:
                return _new_model(
                    lambda out, err: lib.efc_model_load_file(out, fp, label, ffi.NULL, err))
        # a text file, a pipe, an object without a descriptor: what Python
        # reads from where it is, read-ahead included
        return cls.from_text(_cfile.read_rest(source),
                             name=name or getattr(source, "name", None) or "<codebook>")

    @classmethod
    def from_text(cls, text_or_bytes: Union[str, bytes], name: str = "<codebook>") -> "Model":
        """Load a codebook held in memory (str, or bytes in any supported encoding)."""
        data = text_or_bytes.encode("utf-8") if isinstance(text_or_bytes, str) else \
            bytes(text_or_bytes)
        buf = ffi.from_buffer(data)
        label = cstr(name)
        return _new_model(
            lambda out, err: lib.efc_model_load_buffer(out, buf, len(data), label, ffi.NULL, err))

    def copy(self) -> "ModelBuilder":
        """An editable copy of this model, as a ModelBuilder."""
        out = ffi.new("efc_model **")
        _call(lib.efc_model_copy, out, self._m, ffi.NULL)
        return ModelBuilder._wrap(out[0])

    # ---- pickling, copies, equality ----

    def __reduce__(self):
        # a module-level function (cloudpickle serialises a bound classmethod
        # by value, and with it what its class refers to) and the canonical
        # codebook: loading it gives an identical model
        return (_model_from_codebook, (self.to_codebook(), self.source))

    def __copy__(self) -> "Model":
        return self  # immutable

    def __deepcopy__(self, memo) -> "Model":
        return self

    def __eq__(self, other: object):
        if not isinstance(other, Model):
            return NotImplemented
        return other is self or self.sha256 == other.sha256

    def __hash__(self) -> int:
        return hash(self.sha256)

    # ---- export ----

    def to_codebook(self, target: Optional[PathOrFile] = None) -> Optional[str]:
        """Write the canonical codebook (loading it gives an identical
        model): to a path (replaced only on success), to a file object, or,
        with no target, return it as a str."""
        if target is None:
            size = ffi.new("size_t *")
            _call(lib.efc_model_export_buffer, ffi.NULL, 0, size, self._m)
            buf = ffi.new("char[]", size[0] + 1)
            _call(lib.efc_model_export_buffer, buf, size[0] + 1, size, self._m)
            return ffi.string(buf, size[0]).decode("utf-8")
        if isinstance(target, (str, os.PathLike)):
            _call(lib.efc_model_export_path, self._m, cpath(target))
            return None
        if _cfile.streams(target, "w"):
            with _cfile.c_stream(target, "wb") as fp:
                _call(lib.efc_model_export_file, self._m, fp)
            return None
        codebook = self.to_codebook()
        target.write(codebook if isinstance(target, io.TextIOBase) else codebook.encode("utf-8"))
        return None

    @property
    def sha256(self) -> str:
        """SHA-256 of the canonical codebook: equal hashes score identically."""
        if self._sha is None:  # the model never changes: computed once
            buf = ffi.new("char[65]")
            _call(lib.efc_model_sha256, buf, self._m)
            self._sha = ffi.string(buf).decode()
        return self._sha

    # ---- introspection ----

    @property
    def source(self) -> str:
        """Where the model came from: "default", a file name, or ""."""
        return text(lib.efc_model_source(self._m)) or ""

    @property
    def node_ids(self) -> List[str]:
        """Every node id, in node order (the columns of score_array)."""
        return list(self._ids)

    @property
    def leaf_ids(self) -> List[str]:
        """The leaves in leaf order (the columns score_array reads)."""
        return list(self._leaf_ids)

    @property
    def group_ids(self) -> List[str]:
        """The groups, in node order."""
        return list(self._group_ids)

    @property
    def scales(self) -> List[str]:
        """The scales, in node order: the groups whose children are all
        leaves (for the default model the three axes of useful effects and
        the two blocks of levers), which Quality judges and radar() draws
        (efc_model_scale_node)."""
        return [self._ids[lib.efc_model_scale_node(self._m, i)]
                for i in range(lib.efc_model_scale_count(self._m))]

    @property
    def radar_nodes(self) -> List[str]:
        """The spokes of a radar of this model, as efc chart radar and
        efc report draw them: its scales when it has at least three, else
        its leaves (efc_model_radar_node)."""
        return [self._ids[lib.efc_model_radar_node(self._m, i)]
                for i in range(lib.efc_model_radar_count(self._m))]

    @property
    def root(self) -> str:
        """The id of the root."""
        return self._ids[lib.efc_model_root(self._m)]

    @property
    def languages(self) -> List[str]:
        """The translation languages of the model's texts ("fr", ...)."""
        return [text(lib.efc_model_language(self._m, i))
                for i in range(lib.efc_model_language_count(self._m))]

    def _index(self, node_id: str) -> int:
        k = lib.efc_model_find(self._m, cstr(node_id))
        if k == NONE:
            raise NotFoundError(8, f"the model has no node '{node_id}'")
        return k

    def leaf_index(self, leaf_id: str) -> int:
        """The number of a leaf (its column in score_array's input)."""
        j = lib.efc_model_leaf_index(self._m, cstr(leaf_id))
        if j == NONE:
            raise NotFoundError(8, f"'{leaf_id}' is not a leaf of the model")
        return int(j)

    def _lang(self, lang: Optional[str]) -> Optional[str]:
        """A language argument checked: None (or "") for the base texts, or
        one of the model's languages; any other code raises
        efc.NotFoundError listing them, where the library would fall back
        to the base text without a word."""
        if lang is None or lang == "":
            return None
        if lang not in self.languages:
            have = ", ".join(self.languages) or "none"
            raise NotFoundError(8, f"the model has no texts in {lang!r} (its languages: {have}; "
                                   f"lang=None gives the base texts, which have no code)")
        return lang

    def label(self, node_id: str, lang: Optional[str] = None) -> str:
        """The label to show for a node in `lang`, one of the model's
        languages (None: the base label). A node without a translation in
        that language shows its base label, then its id; a language the
        model has no texts in raises efc.NotFoundError listing its
        languages."""
        lang = self._lang(lang)
        return text(lib.efc_model_node_label(self._m, self._index(node_id), cstr(lang)))

    def node(self, node_id: str) -> Node:
        """One node as plain data (efc.NotFoundError if there is none)."""
        return self._node(self._index(node_id))

    @property
    def nodes(self) -> List[Node]:
        """Every node as plain data, in node order."""
        return [self._node(k) for k in range(len(self._ids))]

    def _node(self, k: int) -> Node:
        m = self._m
        langs = [""] + self.languages

        def texts(kind: int) -> Dict[str, str]:
            out = {}
            for lang in langs:
                t = text(lib.efc_model_node_text(m, k, kind, cstr(lang)))
                if t is not None:
                    out[lang] = t
            return out

        leaf = lib.efc_model_node_kind(m, k) == lib.EFC_NODE_LEAF
        parent = lib.efc_model_node_parent(m, k)
        threshold = lib.efc_model_node_threshold(m, k)
        line = lib.efc_model_node_line(m, k)
        leaf_index = lib.efc_model_node_leaf(m, k)
        common = dict(
            id=self._ids[k], kind=_names.name("NODE_KIND", lib.efc_model_node_kind(m, k)),
            index=k,
            leaf_index=None if leaf_index == NONE else int(leaf_index),
            parent=None if parent == NONE else text(lib.efc_model_node_parent_id(m, k)),
            children=tuple(self._ids[lib.efc_model_node_child(m, k, i)]
                           for i in range(lib.efc_model_node_child_count(m, k))),
            weight=lib.efc_model_node_weight(m, k),
            label=text(lib.efc_model_node_label(m, k, ffi.NULL)),
            labels=texts(lib.EFC_TEXT_LABEL), descriptions=texts(lib.EFC_TEXT_DESCRIPTION),
            threshold=None if math.isnan(threshold) else threshold,
            line=line or None)
        if leaf:
            return Node(
                **common, **_steps(m, k),
                levels=tuple((lib.efc_model_node_level_value(m, k, i),
                              text(lib.efc_model_node_level_text(m, k, i, ffi.NULL)))
                             for i in range(lib.efc_model_node_level_count(m, k))),
                levels_text=texts(lib.EFC_TEXT_LEVELS),
                min=lib.efc_model_node_min(m, k), max=lib.efc_model_node_max(m, k),
                direction=_names.name("DIRECTION", lib.efc_model_node_direction(m, k)),
                transform=_names.name("TRANSFORM", lib.efc_model_node_transform(m, k)))
        aggregate = _names.name("AGGREGATE", lib.efc_model_node_aggregate(m, k))
        return Node(**common, aggregate=aggregate,
                    power=lib.efc_model_node_power(m, k) if aggregate == "power" else None,
                    min_coverage=lib.efc_model_node_min_coverage(m, k))

    @property
    def needs_index(self) -> bool:
        """Whether a leaf has a step that needs the whole population (an
        imputation, treatment or normalisation computed from the data, or a
        copeland group): such a model is scored by efc.index(), and
        score(), score_frame(), score_array() and surveys refuse it
        (efc.ModelError, reason needs_index). A fitted model (Model.fit)
        is False unless a leaf imputes by latest or linear: surveys score
        it row by row; score(), score_frame() and score_array() too unless
        a leaf reads another column (a denominator, group_value)."""
        return bool(lib.efc_model_needs_index(self._m))

    def fit(self, data, **options) -> "Model":
        """Fit the model's data-driven steps on `data` and return the fitted
        model: efc.index(data, self, **options).fitted_model(). `data` and
        the options (id, period, screen, reference_period, threads and the
        reading options) are efc.index()'s. The fitted model writes every
        parameter out (docs/pipeline.md, "Fit, then score"): exported with
        to_codebook() and reloaded, it scores the fitting units with the
        same bits as the fit and new units against the fitted population."""
        from .pipeline import index
        return index(data, self, **options).fitted_model()

    def level_text(self, node_id: str, value: float, lang: Optional[str] = None) -> Optional[str]:
        """The text of a leaf's level `value` in a language (None if the
        leaf has no such level; the base text where the level has no
        translation; efc.NotFoundError for a language the model has no
        texts in, as label())."""
        lang = self._lang(lang)
        k = self._index(node_id)
        for i in range(lib.efc_model_node_level_count(self._m, k)):
            if lib.efc_model_node_level_value(self._m, k, i) == value:
                return text(lib.efc_model_node_level_text(self._m, k, i, cstr(lang)))
        return None

    def passes(self, node_id: str, score: float) -> Optional[bool]:
        """Whether a score passes a node's threshold: True or False; None
        when the node has no threshold or the score is missing."""
        p = lib.efc_model_pass(self._m, self._index(node_id), score)
        return None if p < 0 else bool(p)

    def passes_all(self, scores: Mapping[str, float]) -> Optional[bool]:
        """Whether one assessment's scores ({node id: score}, as score()
        returns them; an absent node is missing) pass all the thresholds
        together: False when any fails, else None when any is missing (or
        the model has no threshold), else True (efc_model_pass_all)."""
        row = np.full(max(len(self._ids), 1), np.nan)
        for node_id, score in scores.items():
            row[self._index(node_id)] = score
        p = lib.efc_model_pass_all(self._m, ffi.cast("const double *", row.ctypes.data), 1)
        return None if p < 0 else bool(p)

    def __repr__(self) -> str:
        return (f"<efc.Model {self.source or 'built'}: {len(self._ids)} nodes, "
                f"{len(self._leaf_ids)} leaves, root '{self.root}'>")

    def _repr_html_(self) -> str:
        """The model in a notebook: its tree (labels indented under their
        groups, ids), each node's weight and its share of its parent, each
        group's aggregation (with its minimum coverage), each leaf's
        goalposts and direction, and the thresholds; the first 200 nodes of
        a larger model."""
        nodes = self.nodes
        by_id = {n.id: n for n in nodes}
        rows = []

        def walk(n: Node, depth: int) -> None:
            parent = by_id.get(n.parent) if n.parent else None
            share = ""
            if parent is not None:
                total = sum(by_id[c].weight for c in parent.children)
                share = f"{100 * n.weight / total:.0f}%" if total > 0 else ""
            if n.kind == "group":
                how = _aggregation_text(n)
                if n.min_coverage:
                    how += f", coverage \u2265 {_num(n.min_coverage)}"
            else:
                how = _goalposts_text(n)
            indent = "&#160;" * (4 * depth)
            label = _html.esc(n.label)
            rows.append((f"{indent}{'<b>' + label + '</b>' if n.kind == 'group' else label}",
                         f"<code>{_html.esc(n.id)}</code>",
                         _html.num(n.weight), share, _html.esc(how),
                         _html.num(n.threshold) if n.threshold is not None else ""))
            for c in n.children:
                walk(by_id[c], depth + 1)

        walk(by_id[self.root], 0)
        summary = (f"{_html.esc(self.source or 'built')}: {len(self._ids)} nodes, "
                   f"{len(self._leaf_ids)} leaves, root <code>{_html.esc(self.root)}</code>"
                   + (f", languages {_html.esc(', '.join(self.languages))}"
                      if self.languages else "")
                   + f", sha256 <code>{self.sha256[:12]}</code>")
        return _html.box("efc.Model", summary,
                         _html.table(("node", "id", "weight", "share", "aggregation / goalposts",
                                      "threshold"), rows, total=len(rows), max_rows=200))

    def __len__(self) -> int:
        return len(self._ids)

    def __contains__(self, node_id: object) -> bool:
        return isinstance(node_id, str) and lib.efc_model_find(self._m, cstr(node_id)) != NONE

    # ---- scoring ----

    def score(self, values: Union[Mapping[str, float], Sequence[float]], *,
              coverage: bool = False, labels: bool = False,
              decimal_comma: bool = False) -> Dict[str, float]:
        """Score one assessment: a mapping of leaf id to value (absent or
        None or NaN = missing; a pandas Series is read by its index, as a
        frame's row), or a sequence in leaf order. Text is read as a survey
        reads a field (a number with a decimal point, or with
        decimal_comma=True a comma; with labels=True the text of one of
        the leaf's levels). Returns {node id: score}, NaN for a node that
        cannot be scored; with coverage=True, {node id: (score, coverage)}.
        Raises efc.InvalidValueError for text that is not a number (or a
        level), an infinite value or one its transform cannot take,
        efc.ArgumentError for a value that is not a real number,
        efc.NotFoundError for an unknown leaf id."""
        row = self._values_row(values, labels, decimal_comma)
        v = ffi.cast("const double *", row.ctypes.data)
        out = ffi.new("efc_result **")
        _call(lib.efc_result_create, out, self._m, ffi.NULL)
        r = ffi.gc(out[0], lib.efc_result_free)
        _call(lib.efc_model_score, r, self._m, v, 1)
        k = len(self._ids)
        scores = ffi.unpack(lib.efc_result_scores(r), k)
        if not coverage:
            return dict(zip(self._ids, scores))
        cov = ffi.unpack(lib.efc_result_coverages(r), k)
        return {i: (s, c) for i, s, c in zip(self._ids, scores, cov)}

    def score_detail(self, values: Union[Mapping[str, float], Sequence[float]], *,
                     labels: bool = False, decimal_comma: bool = False) -> "Result":
        """Score one assessment, read as score() reads it, with everything
        the C result holds: scores, coverages, pass/fail per threshold and
        overall, and which leaves were clamped to their goalposts."""
        row = self._values_row(values, labels, decimal_comma)
        out = ffi.new("efc_result **")
        _call(lib.efc_result_create, out, self._m, ffi.NULL)
        r = ffi.gc(out[0], lib.efc_result_free)
        _call(lib.efc_model_score, r, self._m, ffi.cast("const double *", row.ctypes.data), 1)
        passes = {}
        for k, node_id in enumerate(self._ids):
            p = lib.efc_result_pass(r, k)
            if p != lib.EFC_PASS_NO_THRESHOLD:
                passes[node_id] = None if p == lib.EFC_PASS_MISSING else bool(p)
        overall = lib.efc_result_pass_all(r)
        clamped = [leaf for j, leaf in enumerate(self._leaf_ids)
                   if lib.efc_result_leaf_clamped(r, j)]
        scores = {node_id: lib.efc_result_score(r, k) for k, node_id in enumerate(self._ids)}
        coverages = {node_id: lib.efc_result_coverage(r, k)
                     for k, node_id in enumerate(self._ids)}
        return Result(scores, coverages, passes,
                      None if overall < 0 else bool(overall), clamped,
                      int(lib.efc_result_clamped_count(r)))

    def _values_row(self, values, labels: bool = False, decimal_comma: bool = False) -> np.ndarray:
        row = np.full(max(len(self._leaf_ids), 1), np.nan)

        def read(j: int, x) -> float:
            return _Reader(self, j, self._leaf_ids[j], labels, decimal_comma).value(x)

        if isinstance(values, str) or _is_frame(values):
            raise ArgumentError(1, f"score() takes one assessment, a mapping of leaf id to value "
                                   f"or a sequence in leaf order, not a {type(values).__name__}"
                                   f"{': use score_frame()' if _is_frame(values) else ''}")
        if isinstance(values, Mapping) or _is_series(values):
            for key, x in values.items():
                j = self._leaf_index.get(key)
                if j is None:
                    raise NotFoundError(8, f"'{key}' is not a leaf of the model")
                row[j] = read(j, x)
        else:
            if len(values) != len(self._leaf_ids):
                raise ArgumentError(1, f"{len(values)} values for {len(self._leaf_ids)} leaves")
            for j, x in enumerate(values):
                row[j] = read(j, x)
        return row

    def score_array(self, values, *, coverage: bool = False, threads: int = 0) -> Union[np.ndarray, Tuple[np.ndarray, np.ndarray]]:
        """Score rows of assessments: `values` is rows x leaves in leaf order
        (Model.leaf_ids), NaN = missing. A float64 array is read in place,
        C- or Fortran-ordered or strided, without a copy. Returns a rows x
        nodes float64 array in node order (Model.node_ids), or with
        coverage=True a pair (scores, coverages). Large arrays are scored by
        `threads` threads (0: as many as the cores); the results are the
        same bits whatever the number. Raises efc.InvalidValueError naming
        the first row with a value that cannot be scored. A DataFrame is
        refused (efc.ArgumentError): its columns are read by name, with
        score_frame(). Text in an object array is read as score() reads it
        (a number with a decimal point)."""
        if _is_frame(values) or _is_series(values):
            raise ArgumentError(1, f"score_array reads values by position, in leaf order, and "
                                   f"a {type(values).__name__} has names: score it with "
                                   f"score_frame() (which reads the leaves' columns by name), "
                                   f"or pass frame[model.leaf_ids].to_numpy()")
        a = _real_array(values, self)
        if a.ndim == 1:
            a = a.reshape(1, -1) if a.size == len(self._leaf_ids) else a
        if a.ndim != 2 or a.shape[1] != len(self._leaf_ids):
            raise ArgumentError(1, f"values must be rows x {len(self._leaf_ids)} leaves, "
                                   f"got shape {np.shape(values)}")
        if a.dtype != np.float64 or any(s % 8 for s in a.strides) or not a.flags.aligned:
            a = doubles(a)
        rows, nodes = a.shape[0], len(self._ids)
        scores = np.empty((rows, nodes))
        cov = np.empty((rows, nodes)) if coverage else None
        _batch.score_rows(self._m, a, scores, cov, threads)
        return (scores, cov) if coverage else scores

    def score_frame(self, frame, *, id: Optional[str] = None, period: Optional[str] = None,
                    keep: Iterable[str] = (), coverage: bool = False, items: bool = False,
                    passes: bool = False, nodes: Optional[Iterable[str]] = None,
                    threads: int = 0, labels: bool = False,
                    decimal_comma: bool = False) -> "pd.DataFrame":
        """Score a pandas DataFrame whose columns hold the leaves (by id; a
        leaf without a column is missing, with a warning). Returns a frame
        with the same index: the `id` and `period` columns and those in
        `keep`, then one column per group (or per node of `nodes`), then
        with coverage=True `<group>_coverage`, with items=True `<leaf>_norm`
        (normalised answers), with passes=True `<node>_pass` for each
        threshold and `pass_all` (True, False or missing). Columns named
        `id` and `period` are kept without asking. The frame is scored in
        chunks (no copy of its answers as a whole) by `threads` threads (0:
        as many as the cores). Text answers are read as score() reads them
        (labels=True: the texts of the leaves' levels too; a categorical of
        text is always read as level texts: its categories are labels);
        errors name the column and the row's index label."""
        import pandas as pd

        if not isinstance(frame, pd.DataFrame):
            hint = {"Series": "one assessment is scored by score(series)",
                    "dict": "make it a frame first: pd.DataFrame(d)",
                    "ndarray": "an array in leaf order is scored by score_array()"}
            kind = type(frame).__name__
            raise ArgumentError(1, f"score_frame takes a pandas DataFrame, not a {kind}"
                                   f"{': ' + hint[kind] if kind in hint else ''}")
        missing = [leaf for leaf in self._leaf_ids if leaf not in frame.columns]
        if missing:
            warnings.warn(_missing_items(missing), stacklevel=2)
        keep = list(keep)
        _check_columns(frame, [*self._leaf_ids, id or "id", period or "period", *keep])
        columns = [_float_column(frame[leaf], leaf, self, labels=labels,
                                 decimal_comma=decimal_comma) if leaf in frame.columns else None
                   for leaf in self._leaf_ids]
        chosen = list(nodes) if nodes is not None else self._group_ids
        index = {node_id: k for k, node_id in enumerate(self._ids)}
        for node_id in chosen:
            if node_id not in index:
                raise NotFoundError(8, f"the model has no node '{node_id}'")
        wanted = sorted({index[n] for n in chosen} |
                        ({index[leaf] for leaf in self._leaf_ids} if items else set()))
        thresholds = [k for k in range(len(self._ids))
                      if not math.isnan(lib.efc_model_node_threshold(self._m, k))] if passes else []
        try:
            scores, cov, outcomes = _batch.score_columns(
                self._m, columns, len(frame), len(self._ids), wanted, coverage, threads,
                passes=thresholds)
        except Exception as e:
            _name_the_row(e, frame.index)
            raise
        carried = [c for c in ([id or ("id" if "id" in frame.columns else None),
                                period or ("period" if "period" in frame.columns else None)] +
                               list(keep)) if c is not None]
        out = {c: frame[c].to_numpy() for c in carried}
        for node_id in chosen:
            out[node_id] = scores[index[node_id]]
        if coverage:
            for node_id in chosen:
                out[node_id + "_coverage"] = cov[index[node_id]]
        if items:
            for leaf in self._leaf_ids:
                out[leaf + "_norm"] = scores[index[leaf]]
        if passes:
            # the library's outcomes (efc_model_pass_batch): True, False, or
            # missing when the score is
            for k in thresholds:
                out[self._ids[k] + "_pass"] = _outcome_column(outcomes[k])
            if thresholds:
                out["pass_all"] = _outcome_column(outcomes["all"])
        return pd.DataFrame(out, index=frame.index)


def _outcome_column(p: np.ndarray):
    """efc_pass values as a nullable boolean column: missing for
    EFC_PASS_MISSING."""
    import pandas as pd
    return pd.arrays.BooleanArray(p == lib.EFC_PASS_OK, p == lib.EFC_PASS_MISSING)


def _missing_items(missing: List[str]) -> str:
    """The warning about items without a column, worded as efc score words it."""
    n = len(missing)
    return (f"{n} item{'s' if n > 1 else ''} of the model {'have' if n > 1 else 'has'} no "
            f"column and {'are' if n > 1 else 'is'} scored as missing: "
            f"{' '.join(missing[:12])}{' ...' if n > 12 else ''}")


def _check_columns(frame, names: Iterable[Optional[str]]) -> None:
    """Refuse frames whose columns cannot be read one name at a time:
    MultiIndex columns, or one of `names` held by several columns (frame[x]
    would be a frame, not a column)."""
    import pandas as pd
    if isinstance(frame.columns, pd.MultiIndex):
        raise ArgumentError(1, "the frame has MultiIndex columns: give it one level of column "
                               "names (the leaf ids), e.g. frame.droplevel(0, axis=1)")
    if frame.columns.is_unique:
        return
    counts = frame.columns.value_counts()
    for name in names:
        if name is not None and counts.get(name, 0) > 1:
            raise ArgumentError(1, f"the frame has {counts[name]} columns named '{name}': "
                                   f"each leaf, id, period or group needs one", column_name=name)


def _not_real(what: str, dtype, name: Optional[str] = None) -> ArgumentError:
    return ArgumentError(1, f"{what} holds {dtype} values: only real numbers are scored (bool, "
                            f"integers, floats, pandas nullable numbers with pd.NA as "
                            f"missing, and text read as a survey reads it)",
                         column_name=name)


_ANSWER_OPTIONS: Dict[Tuple[bool, bool], Any] = {}


def _answer_options(labels: bool, decimal_comma: bool):
    """The efc_survey_options text answers are read with (efc_answer_parse):
    the defaults, a decimal comma, level texts. Made once, then only read."""
    key = (bool(labels), bool(decimal_comma))
    o = _ANSWER_OPTIONS.get(key)
    if o is None:
        out = ffi.new("efc_survey_options **")
        _call(lib.efc_survey_options_create, out, ffi.NULL)
        o = ffi.gc(out[0], lib.efc_survey_options_free)
        if key[0]:
            _call(lib.efc_survey_options_set_labels, o, 1)
        if key[1]:
            _call(lib.efc_survey_options_set_decimal_comma, o, 1)
        _ANSWER_OPTIONS[key] = o
    return o


_REAL = (bool, int, float, np.bool_, np.integer, np.floating)


class _Reader:
    """How the answers to one leaf (or, with leaf None, the numbers of a
    column of scores) are read: real numbers as they are, text as a survey
    reads a field (efc_answer_parse: blanks ignored, empty is missing, a
    number with the decimal point, or comma; with labels, a level's text).
    Errors name the column and, in a frame, the row (its index label)."""

    def __init__(self, model: Optional["Model"], leaf: Optional[int], name: str,
                 labels: bool = False, decimal_comma: bool = False, index=None):
        self.model, self.leaf, self.name, self.index = model, leaf, name, index
        self.labels, self.decimal_comma = labels, decimal_comma
        self.opts = _answer_options(labels, decimal_comma)

    def where(self, row: Optional[int]) -> str:
        what = f"column '{self.name}'" if self.index is not None else \
            f"leaf '{self.name}'" if self.leaf is not None else self.name
        if row is None:
            return what
        if self.index is None:
            return f"{what}, row {row}"
        return f"{what}, row with index {self.index[row]!r}"

    def text(self, x: str, row: Optional[int] = None) -> float:
        out = ffi.new("double *")
        err = error_object()
        data = x.encode("utf-8", "surrogatepass")
        if b"\0" in data:
            raise InvalidValueError(6, f"{self.where(row)}: {x!r} holds a NUL character",
                                    column_name=self.name, reason="bad_text", row=row)
        if self.leaf is not None:
            st = lib.efc_answer_parse(out, self.model._m, self.leaf, data, self.opts, err)
        else:  # a score: a number as the reader reads one (never a date)
            kind = ffi.new("efc_period_kind *")
            st = lib.efc_period_parse(kind, out, ffi.NULL, data, lib.EFC_DATE_FORMAT_ISO,
                                      int(self.decimal_comma), err)
            if st == 0 and kind[0] == lib.EFC_PERIOD_DATE:
                raise InvalidValueError(6, f"{self.where(row)}: '{x}' is a date, not a score",
                                        column_name=self.name, reason="not_a_number", row=row)
            if st == 0 and kind[0] == lib.EFC_PERIOD_NONE:
                out[0] = math.nan
        if st:
            e = from_error(err)
            lib.efc_error_clear(err)
            message = f"{self.where(row)}: {e.message}"
            if self.leaf is None:
                message = f"{self.where(row)}: '{x}' is not a number"
            raise type(e)(e.code, message, column_name=self.name,
                          reason=e.reason if self.leaf is not None else "not_a_number", row=row)
        return out[0]

    def value(self, x, row: Optional[int] = None) -> float:
        """One answer as a float: None, NaN, pd.NA, pd.NaT and np.ma.masked
        are missing; text as above; anything but a real number (a date, a
        duration, a complex number, bytes) raises efc.ArgumentError."""
        if x is None or x is np.ma.masked or type(x).__name__ in ("NAType", "NaTType"):
            return math.nan
        # a timedelta64 is a numpy integer: a count of its unit, not a number
        if isinstance(x, _REAL) and not isinstance(x, (np.timedelta64, np.datetime64)):
            return float(x)
        if isinstance(x, str):
            return self.text(x, row)
        raise ArgumentError(1, f"{self.where(row)}: {x!r} is not a real number",
                            column_name=self.name, row=row)

    def values(self, items) -> np.ndarray:
        """A sequence of answers (object values) as floats, each distinct
        text read once."""
        out = np.empty(len(items))
        seen: Dict[str, float] = {}
        for i, x in enumerate(items):
            if isinstance(x, str):
                v = seen.get(x)
                if v is None:
                    v = seen[x] = self.text(x, i)
                out[i] = v
            else:
                out[i] = self.value(x, i)
        return out

    def column(self, col) -> np.ndarray:
        """A frame column as float64, without a copy when it already is.
        Dates, durations, periods, intervals and complex numbers raise
        efc.ArgumentError naming the column: converting them would score
        nanosecond counts or real parts without a word. A categorical's
        categories are read as text with labels on (they are labels), as
        numbers when they are numbers."""
        import pandas as pd
        from pandas.api import types
        if col.dtype == np.float64:
            return col.to_numpy()
        if isinstance(col.dtype, pd.CategoricalDtype):
            return self._categorical(col)
        if col.dtype == object or types.is_string_dtype(col.dtype):
            return self.values(col.to_numpy(dtype=object))
        if not types.is_numeric_dtype(col.dtype) or types.is_complex_dtype(col.dtype) or \
                types.is_timedelta64_dtype(col.dtype):
            raise _not_real(f"column '{self.name}'", col.dtype, self.name)
        return col.to_numpy(dtype=np.float64, na_value=np.nan)

    def _categorical(self, col) -> np.ndarray:
        from pandas.api import types
        cats, codes = col.cat.categories, col.cat.codes.to_numpy()
        if types.is_numeric_dtype(cats.dtype) and not types.is_complex_dtype(cats.dtype):
            table = cats.to_numpy(dtype=np.float64, na_value=np.nan)
        elif cats.dtype == object or types.is_string_dtype(cats.dtype):
            reader = _Reader(self.model, self.leaf, self.name, True, self.decimal_comma,
                             self.index)
            table = np.full(len(cats), np.nan)
            for c, x in enumerate(cats):
                rows = np.flatnonzero(codes == c)
                if len(rows):  # a category no row holds is never read
                    # an error names the first row holding it
                    table[c] = reader.value(x, int(rows[0]))
        else:
            raise _not_real(f"column '{self.name}'", f"category of {cats.dtype}", self.name)
        out = np.full(len(codes), np.nan)
        held = codes >= 0
        out[held] = table[codes[held]]
        return out


def _float_column(col, name: str, model: Optional["Model"] = None, *, labels: bool = False,
                  decimal_comma: bool = False) -> np.ndarray:
    """A frame column of answers to leaf `name` of `model` (or, without a
    model, of scores) as float64: see _Reader.column. Errors name the
    column and the row by the frame's index label."""
    leaf = model._leaf_index.get(name) if model is not None else None
    return _Reader(model if leaf is not None else None, leaf, name, labels, decimal_comma,
                   col.index).column(col)


def _real_array(values, model: Optional["Model"] = None) -> np.ndarray:
    """An array of answers as numpy reads it, real numbers only: a masked
    array's masked values become NaN (missing); dates, durations and
    complex numbers raise efc.ArgumentError; with a model, text (an object
    array of str) is read as score() reads it, by leaf position."""
    if isinstance(values, np.ma.MaskedArray):
        if values.dtype.kind not in "biuf":
            raise _not_real("the array", values.dtype)
        return np.ma.filled(values.astype(np.float64), np.nan)
    a = np.asarray(values)
    if a.dtype.kind in "biuf":
        return a
    if a.dtype.kind in "OU":  # Python numbers, None, text: read one by one
        a = a.astype(object)
        if model is not None and a.ndim in (1, 2) and a.shape[-1] == len(model._leaf_ids):
            rows = a.reshape(-1, a.shape[-1])
            out = np.empty(rows.shape)
            for j, leaf in enumerate(model._leaf_ids):
                out[:, j] = _Reader(model, j, leaf).values(rows[:, j])
            return out.reshape(a.shape)
        return _Reader(None, None, "the array").values(a.reshape(-1)).reshape(a.shape)
    raise _not_real("the array", a.dtype)


def _name_the_row(e: Exception, index) -> None:
    """Say which frame row a C error about a row (Error.row, 0-based) is about."""
    row = getattr(e, "row", None)
    if row is not None and row < len(index):
        e.args = (f"{e.args[0]} (frame index {index[row]!r})",)


@dataclass(frozen=True, eq=False)
class Result:
    """Everything scoring one assessment gives (Model.score_detail). Two
    results are equal when all their fields are, a missing score (NaN)
    equal to a missing score: scoring an assessment twice, or pickling its
    result, gives an equal result. Unhashable (it holds dicts)."""

    scores: Dict[str, float]
    coverages: Dict[str, float]
    passes: Dict[str, Optional[bool]]  # nodes with a threshold: True, False, None (missing)
    passes_all: Optional[bool]  # None when there is no threshold or a score is missing
    clamped: List[str]  # leaves whose value was outside the goalposts
    clamped_count: int

    def __eq__(self, other: object):
        if not isinstance(other, Result):
            return NotImplemented
        return (_same_numbers(self.scores, other.scores)
                and _same_numbers(self.coverages, other.coverages)
                and (self.passes, self.passes_all, self.clamped, self.clamped_count) ==
                (other.passes, other.passes_all, other.clamped, other.clamped_count))

    __hash__ = None  # type: ignore[assignment]


    def _repr_html_(self) -> str:
        """The result in a notebook: a row per node (score, coverage,
        threshold passed), then the clamped leaves."""
        def passed(node: str) -> str:
            if node not in self.passes:
                return ""
            p = self.passes[node]
            return "\u2013" if p is None else "yes" if p else "<b>no</b>"

        rows = [(f"<code>{_html.esc(node)}</code>", _html.num(score),
                 _html.num(self.coverages.get(node)), passed(node))
                for node, score in self.scores.items()]
        overall = ("thresholds: none, or a score missing" if self.passes_all is None else
                   "all thresholds passed" if self.passes_all else "a threshold failed")
        summary = _html.esc(f"{len(self.scores)} nodes, {overall}, "
                            f"{self.clamped_count} value{'' if self.clamped_count == 1 else 's'} "
                            f"clamped" + (f" ({', '.join(self.clamped)})" if self.clamped else ""))
        return _html.box("efc.Result", summary,
                         _html.table(("node", "score", "coverage", "passes"), rows,
                                     total=len(rows)))


def _same_numbers(a: Dict[str, float], b: Dict[str, float]) -> bool:
    """Equal {id: number} maps, NaN equal to NaN."""
    return a.keys() == b.keys() and all(
        a[k] == b[k] or (math.isnan(a[k]) and math.isnan(b[k])) for k in a)


class ModelBuilder:
    """A model being built in code (or edited: Model.copy()). Add groups and
    leaves in any order, then build() checks the whole tree and returns a
    finalized Model. Errors name the node (efc.ModelError). Calls from
    several threads are serialised by the builder's lock."""

    __slots__ = ("_m", "_guard")

    def __init__(self):
        out = ffi.new("efc_model **")
        _call(lib.efc_model_create, out, ffi.NULL)
        self._own(out[0])

    @classmethod
    def _wrap(cls, ptr) -> "ModelBuilder":
        self = object.__new__(cls)
        self._own(ptr)
        return self

    def _unbuilt(self) -> None:
        # after build(), in this thread or another one meanwhile (the error
        # build() has always raised when called twice)
        if self._m is None:
            raise ArgumentError(1, "this builder has already built its model")

    def _own(self, ptr) -> None:
        # every call changes the C model, which allows one thread at a time:
        # calls take the builder's lock (see _guard)
        self._guard = guard = Guard("model builder")
        self._m = ffi.gc(ptr, lambda m: lib.efc_model_free(m) if guard.may_free() else None)

    def _k(self, node_id: str) -> int:
        self._unbuilt()
        k = lib.efc_model_find(self._m, cstr(node_id))
        if k == NONE:
            raise NotFoundError(8, f"no node '{node_id}' yet")
        return k

    @locked
    def add_group(self, id: str, parent: Optional[str] = None, *, aggregate: str = "mean",
                  power: Optional[float] = None, weight: float = 1, min_coverage: float = 0,
                  threshold: Optional[float] = None, label: Optional[str] = None,
                  description: Optional[str] = None) -> "ModelBuilder":
        """Add a group (the root when parent is None). aggregate is mean,
        geomean, harmonic, min or power (with `power`, or "power:P"). The
        arguments are checked before the node is added: a refused call adds
        nothing."""
        agg, power = _aggregate_of(aggregate, power)
        self._unbuilt()
        node = ffi.new("size_t *")
        _call(lib.efc_model_add_group, node, self._m, cstr(id), cstr(parent))
        k = node[0]
        _call(lib.efc_model_set_aggregate, self._m, k, agg, power)
        self._common(k, weight, threshold, label, description)
        _call(lib.efc_model_set_min_coverage, self._m, k, min_coverage)
        return self

    @locked
    def add_leaf(self, id: str, parent: str, min: Optional[float] = None,
                 max: Optional[float] = None, *, weight: float = 1,
                 direction: str = "+", transform: str = "none",
                 threshold: Optional[float] = None, label: Optional[str] = None,
                 description: Optional[str] = None,
                 levels: Union[None, str, Mapping[float, str]] = None) -> "ModelBuilder":
        """Add a leaf with goalposts min < max (both None: none, for a leaf
        normalised from the data, see set_normalise); direction "+" or "-";
        transform "none" or "log"; levels as {value: text} or "0=...|1=...".
        The arguments are checked before the node is added: a refused call
        adds nothing."""
        dir_value = _names.word("DIRECTION", "direction", direction)
        transform_value = _names.word("TRANSFORM", "transform", transform)
        if (min is None) != (max is None):
            raise ArgumentError(1, f"leaf '{id}': give both goalposts (min and max) or neither")
        self._unbuilt()
        node = ffi.new("size_t *")
        _call(lib.efc_model_add_leaf, node, self._m, cstr(id), cstr(parent),
              math.nan if min is None else min, math.nan if max is None else max)
        k = node[0]
        _call(lib.efc_model_set_direction, self._m, k, dir_value)
        _call(lib.efc_model_set_transform, self._m, k, transform_value)
        self._common(k, weight, threshold, label, description)
        if levels is not None:
            self.set_text(id, "levels", _levels_text(levels))
        return self

    def _common(self, k, weight, threshold, label, description):
        _call(lib.efc_model_set_weight, self._m, k, weight)
        if threshold is not None:
            _call(lib.efc_model_set_threshold, self._m, k, threshold)
        if label is not None:
            _call(lib.efc_model_set_text, self._m, k, 0, ffi.NULL, cstr(label))
        if description is not None:
            _call(lib.efc_model_set_text, self._m, k, 1, ffi.NULL, cstr(description))

    @locked
    def set_text(self, node_id: str, kind: str, text_value: Optional[str],
                 lang: Optional[str] = None) -> "ModelBuilder":
        """Set (None removes) a node's label, description or levels, in a
        language ("fr") or as the base text (lang None)."""
        kind_value = _names.word("TEXT_KIND", "text kind", kind)
        if isinstance(text_value, Mapping):
            text_value = _levels_text(text_value)
        _call(lib.efc_model_set_text, self._m, self._k(node_id), kind_value, cstr(lang),
              cstr(text_value))
        return self

    @locked
    def set_weight(self, node_id: str, weight: float) -> "ModelBuilder":
        _call(lib.efc_model_set_weight, self._m, self._k(node_id), weight)
        return self

    @locked
    def set_goalposts(self, node_id: str, min: float, max: float) -> "ModelBuilder":
        _call(lib.efc_model_set_goalposts, self._m, self._k(node_id), min, max)
        return self

    @locked
    def set_threshold(self, node_id: str, threshold: Optional[float]) -> "ModelBuilder":
        """Set a node's threshold in [0, 1]; None removes it."""
        _call(lib.efc_model_set_threshold, self._m, self._k(node_id),
              math.nan if threshold is None else threshold)
        return self

    @locked
    def set_min_coverage(self, node_id: str, coverage: float) -> "ModelBuilder":
        _call(lib.efc_model_set_min_coverage, self._m, self._k(node_id), coverage)
        return self

    @locked
    def set_aggregate(self, node_id: str, aggregate: str,
                      power: Optional[float] = None) -> "ModelBuilder":
        agg, power = _aggregate_of(aggregate, power)
        _call(lib.efc_model_set_aggregate, self._m, self._k(node_id), agg, power)
        return self

    # ---- the steps of the indicator pipeline (efc/index.h) ----

    @locked
    def set_step(self, node_id: str, step: str, text_value: Optional[str]) -> "ModelBuilder":
        """Set a step of a leaf from its codebook text, as the codebook
        column of the step's name (denominator, impute, treat, normalise)
        holds it: "Den_GDP:1000", "group_mean:Group_EurAsia",
        "winsorise:6:2:3.5", "minmax:0:100" (docs/concepts.md, "The
        indicator pipeline"). None or "" removes the step. A text that does
        not parse raises efc.ModelError with the library's reason."""
        which = _names.word("STEP", "step", step)
        _call(lib.efc_model_set_step, self._m, self._k(node_id), which, cstr(text_value or ""))
        return self

    @locked
    def set_denominator(self, node_id: str, column: Optional[str],
                        scale: Optional[float] = None) -> "ModelBuilder":
        """Divide a leaf by data column `column`, times `scale` (1 by
        default); column None removes the denominator."""
        spec = None if column is None else column if scale is None else \
            f"{column}:{_num(scale)}"
        _call(lib.efc_model_set_step, self._m, self._k(node_id), lib.EFC_STEP_DENOMINATOR,
              cstr(spec or ""))
        return self

    @locked
    def set_impute(self, node_id: str, method: Optional[str]) -> "ModelBuilder":
        """How a leaf's missing cells are filled: "mean", "median",
        "group_mean:COL", "group_median:COL", or along a panel's periods
        "latest", "linear" (efc.index with period=); None leaves them
        missing."""
        _call(lib.efc_model_set_step, self._m, self._k(node_id), lib.EFC_STEP_IMPUTE,
              cstr(method or ""))
        return self

    @locked
    def set_treat(self, node_id: str, method: Optional[str]) -> "ModelBuilder":
        """How a leaf's outliers are treated: "winsorise[:WINMAX[:SKEW:KURTOSIS]]",
        "log", "boxcox[:LAMBDA]"; None: not treated."""
        _call(lib.efc_model_set_step, self._m, self._k(node_id), lib.EFC_STEP_TREAT,
              cstr(method or ""))
        return self

    @locked
    def set_normalise(self, node_id: str, method: Optional[str]) -> "ModelBuilder":
        """How a leaf is normalised: "minmax[:LO:HI]", "zscore[:MEAN:SD]",
        "rank", "percentile", "dist2max", "dist2target", "dist2ref:UNIT";
        None: by its goalposts, as scoring does."""
        _call(lib.efc_model_set_step, self._m, self._k(node_id), lib.EFC_STEP_NORMALISE,
              cstr(method or ""))
        return self

    @locked
    def set_target(self, node_id: str, target: Optional[float]) -> "ModelBuilder":
        """The target of a leaf normalised by dist2target (a finite number;
        None removes it)."""
        _call(lib.efc_model_set_target, self._m, self._k(node_id),
              math.nan if target is None else float(target))
        return self

    @locked
    def build(self) -> Model:
        """Check the whole model and return it finalized. The builder is
        spent: build a new one (or Model.copy()) for another model."""
        self._unbuilt()
        _call(lib.efc_model_finalize, self._m)
        owned, self._m = self._m, None  # the Model takes the pointer and its destructor
        # finalized: immutable, so the Model needs no lock
        return Model._wrap(owned, owned=True)

    # ---- copies and pickling ----

    @locked
    def __copy__(self) -> "ModelBuilder":
        """An independent builder of the same model so far (efc_model_copy):
        two wrappers never share one editable C model."""
        self._unbuilt()
        out = ffi.new("efc_model **")
        _call(lib.efc_model_copy, out, self._m, ffi.NULL)
        return ModelBuilder._wrap(out[0])

    def __deepcopy__(self, memo) -> "ModelBuilder":
        return self.__copy__()

    @locked
    def __reduce__(self):
        # through the canonical codebook of what it would build (on a copy:
        # this builder stays editable); an incomplete tree has none
        self._unbuilt()
        out = ffi.new("efc_model **")
        _call(lib.efc_model_copy, out, self._m, ffi.NULL)
        trial = ffi.gc(out[0], lib.efc_model_free)
        try:
            _call(lib.efc_model_finalize, trial)
        except Error as e:
            raise StateError(7, f"this model builder cannot be pickled: its model does not "
                                f"build yet ({e.message}); a builder pickles as the model "
                                f"build() would return, kept editable") from e
        model = Model._wrap(trial, owned=True)
        return (_builder_from_codebook, (model.to_codebook(), model.source))

    @property
    @locked
    def finalized(self) -> bool:
        return self._m is None or bool(lib.efc_model_is_finalized(self._m))

    def __repr__(self) -> str:
        """Its nodes so far (the first ids) and its state: being built, or
        spent once build() has made its model."""
        try:
            with self._guard:
                if self._m is None:
                    return "<efc.ModelBuilder: spent (build() made its model)>"
                n = lib.efc_model_node_count(self._m)
                ids = [text(lib.efc_model_node_id(self._m, k)) for k in range(min(n, 8))]
        except StateError as e:  # a forked child's copy in use at the fork
            return f"<efc.ModelBuilder: unusable ({e.message})>"
        shown = ", ".join(ids) + (", ..." if n > len(ids) else "")
        return (f"<efc.ModelBuilder: {n} node{'' if n == 1 else 's'}"
                f"{' (' + shown + ')' if n else ''}, not built yet>")


def _model_from_codebook(codebook: str, source: str) -> Model:
    """The reconstructor of pickled models: the model of a canonical
    codebook, named as the original (its source)."""
    return Model.from_text(codebook, name=source)


def _builder_from_codebook(codebook: str, source: str) -> "ModelBuilder":
    """The reconstructor of pickled model builders: an editable copy of the
    model their state builds."""
    return _model_from_codebook(codebook, source).copy()

def _aggregation_text(n: Node) -> str:
    """A group's aggregation as docs/codebook.md writes it ("power 2")."""
    return f"power {_num(n.power)}" if n.aggregate == "power" else str(n.aggregate)


def _goalposts_text(n: Node) -> str:
    """A leaf's goalposts, direction and transform: "0\u20134, higher is
    better, log"."""
    sense = "higher is better" if n.direction == "+" else "lower is better"
    if n.min is None or math.isnan(n.min):  # normalised from the data
        return f"none, {sense}"
    return (f"{_num(n.min)}\u2013{_num(n.max)}, {sense}"
            + (f", {n.transform}" if n.transform and n.transform != "none" else ""))


def _levels_text(levels) -> str:
    if isinstance(levels, str):
        return levels
    return "|".join(f"{_num(v)}={t}" for v, t in levels.items())


def _num(v: float) -> str:
    return str(int(v)) if float(v).is_integer() else repr(float(v))


def _is_frame(x) -> bool:
    return type(x).__name__ == "DataFrame" and hasattr(x, "columns")


def _is_series(x) -> bool:
    return type(x).__name__ == "Series" and hasattr(x, "index") and hasattr(x, "items")
