"""Survey quality: the reliability of scales (Cronbach's alpha as R psych's
alpha() computes it, from pairwise covariances) and the analysis of items
(missing and clamped answers, distributions, flags of weak questions), as
pandas frames. docs/statistics.md defines every figure."""
import warnings
from typing import TYPE_CHECKING, List, Optional

import numpy as np

from . import _html, _names
from ._lib import NONE, doubles, ffi, lib, text
from .errors import Error
from .errors import call as _call
from .errors import fill as _fill
from .keys import Keys, as_keys
from .model import Model, _missing_items
from .survey import Survey

if TYPE_CHECKING:
    import pandas as pd

# the library's names of each statistic, indexed by its value
_SCALE = _names.names("SCALE_METRIC")
_SCALE_ITEM = _names.names("SCALE_ITEM_METRIC")
_ITEM = _names.names("ITEM_METRIC")

#: Columns of Quality.reliability(), as `efc reliability` writes them.
RELIABILITY_COLUMNS = ("node", "item", *_SCALE[:2], _SCALE_ITEM[1], *_SCALE[2:],
                       *_SCALE_ITEM[2:], "flags")
#: Columns of Quality.items(), as `efc items` writes them (but levels: see Quality.levels()).
ITEM_COLUMNS = ("item", "scale", *_ITEM, "flags")
_COUNTS = {"items", "items_used", "n", "n_complete", "answers", "missing", "clamped",
           "distinct", "off_level", "used", "sign"}
FLAGS = _names.names("ITEM_FLAG")


def flag_names(flags: int) -> List[str]:
    """The names of the flags set in `flags` (efc_item_flag bits)."""
    names = []
    bit = 1
    while bit <= flags:
        if flags & bit:
            name = lib.efc_enum_name(lib.EFC_ENUM_ITEM_FLAG, bit)
            if name != ffi.NULL:
                names.append(text(name))
        bit <<= 1
    return names


class Quality:
    """The answers of a survey gathered to judge its scales and items. Build
    one with Quality.from_survey() or Quality.from_frame(); read it with
    reliability(), scales(), scale_items(), items() and levels().

    The scales are the model's (Model.scales: its groups whose children are
    all leaves, in node order). Items are flagged few_answers when answered
    by fewer than `min_answers` rows or `min_share` of the rows (default:
    half).

    Once gathered, every figure is read from the library at once (a few
    bulk reads, of the model's size) and the C object is freed: the
    Quality holds its results, and pickles (pickle, cloudpickle,
    copy.deepcopy) as its model, options and these results, bit for bit.
    Two are equal (==, and hash) when their models, options and results
    are (NaN equal to NaN); the rejected rows travel but do not count.
    """

    def __init__(self, *args, **kwargs):
        raise TypeError("use Quality.from_survey() or Quality.from_frame()")

    @classmethod
    def _new(cls, model: Model, min_answers: int, min_share: float, distributions: bool,
             keys=None):
        made = ffi.new("efc_quality_options **")
        _call(lib.efc_quality_options_create, made, ffi.NULL)
        opts = ffi.gc(made[0], lib.efc_quality_options_free)
        _call(lib.efc_quality_options_set_min_answers, opts, int(min_answers))
        _call(lib.efc_quality_options_set_min_share, opts, float(min_share))
        _call(lib.efc_quality_options_set_distributions, opts, 1 if distributions else 0)
        if keys is not None:
            keys = as_keys(keys, model)
            _call(lib.efc_quality_options_set_keys, opts, keys._k)
        out = ffi.new("efc_quality **")
        _call(lib.efc_quality_create, out, model._m, opts, ffi.NULL)
        q = ffi.gc(out[0], lib.efc_quality_free)
        self = object.__new__(cls)
        self._q, self.model, self.rejected = q, model, None
        self.min_answers, self.min_share = int(min_answers), float(min_share)
        self.distributions = bool(distributions)
        self._t: Optional[dict] = None
        self._hash: Optional[int] = None
        self.keys = keys
        return self

    def _finish(self) -> "Quality":
        _call(lib.efc_quality_finalize, self._q)
        if lib.efc_quality_model(self._q) != self.model._m or \
                not lib.efc_quality_is_finalized(self._q):
            raise ValueError("efc: internal error: quality not finalized for its model")
        # every figure, then the C object (and its distributions) go
        self._t = _read_results(self._q, self.model)
        self._q = None  # its last reference: ffi.gc frees it now
        return self

    @classmethod
    def from_survey(cls, source, model: Optional[Model] = None, *, min_answers: int = 0,
                    min_share: float = 0.5, distributions: bool = True, keys=None,
                    **options) -> "Quality":
        """Read a survey (a path, file object or bytes; the options of
        efc.Survey) as efc reliability and efc items read it. Rows rejected
        in skip mode are in .rejected (a DataFrame). distributions=False
        keeps no count per distinct answer (no quartiles, distinct values
        or answers per level: NaN), so that continuous answers on millions
        of rows take no memory; reliability figures are unchanged."""
        import pandas as pd
        if model is None and isinstance(keys, Keys):
            model = keys.model
        with Survey(source, model, **options) as s, s._guard:
            self = cls._new(s.model, min_answers, min_share, distributions, keys)
            rejected = []
            while s.read_batch():
                rejected.append(s.rejected_frame())
                _call(lib.efc_quality_add_batch, self._q, s._b)
        self.rejected = pd.concat(rejected, ignore_index=True) if rejected else None
        return self._finish()

    @classmethod
    def from_frame(cls, frame, model: Optional[Model] = None, *, min_answers: int = 0,
                   min_share: float = 0.5, distributions: bool = True,
                   keys=None) -> "Quality":
        """The answers of a DataFrame, one row per respondent, a column per
        leaf (other columns are ignored; a leaf without a column counts as
        never answered). Invalid values raise InvalidValueError naming the
        frame's index label. keys: as from_survey()."""
        from .panel import _answers
        if model is None and isinstance(keys, Keys):
            model = keys.model
        model = model if model is not None else Model.default()
        missing = [leaf for leaf in model.leaf_ids if leaf not in frame.columns]
        if missing:
            warnings.warn(_missing_items(missing), stacklevel=2)
        self = cls._new(model, min_answers, min_share, distributions, keys)
        values = doubles(_answers(frame, model))
        base = values.__array_interface__["data"][0]
        for r in range(len(frame)):
            row = ffi.cast("const double *", base + r * values.strides[0])
            try:
                _call(lib.efc_quality_add, self._q, row, 1)
            except Error as e:
                # the C message counts rows from 0 as they are added: row r
                e.args = (f"{e.args[0]} (frame index {frame.index[r]!r})",)
                raise
        return self._finish()

    # ---- what is in it ----

    @property
    def rows(self) -> int:
        """Rows gathered."""
        return self._t["rows"]

    def _node_id(self, node: int) -> str:
        return self.model.node_ids[node]

    def _leaf_id(self, leaf: int) -> str:
        return self.model.leaf_ids[leaf]

    def _scale_table(self) -> List[dict]:
        """Every scale's figures (one bulk read per figure): a dict per scale."""
        table = self._t["scales"]  # metric x scale
        return [{name: _num(float(table[k, s]), name) for k, name in enumerate(_SCALE)}
                for s in range(table.shape[1])]

    def _scale_item_table(self, s: int, count: int) -> List[dict]:
        """The figures of every item of scale s: a dict per item."""
        table = self._t["scale_items"][s]  # metric x item
        return [{name: _num(float(table[k, i]), name) for k, name in enumerate(_SCALE_ITEM)}
                for i in range(count)]

    def _all_flags(self) -> np.ndarray:
        """Every leaf's flags (efc_item_flag bits), by leaf number."""
        return self._t["flags"]

    def _scales(self):
        for s, (name, items) in enumerate(zip(self._t["scale_names"], self._t["scale_leaves"])):
            yield s, name, list(items)

    def scales(self) -> "pd.DataFrame":
        """One row per scale, indexed by its node: items, items_used, n,
        n_complete, alpha, std_alpha, average_r, median_r, ase, alpha_low,
        alpha_high."""
        import pandas as pd
        table = self._scale_table()
        rows = {node: table[s] for s, node, _ in self._scales()}
        out = pd.DataFrame.from_dict(rows, orient="index", columns=list(_SCALE))
        out.index.name = "node" if self.keys is None else "scale"
        return out.astype({c: "int64" for c in _SCALE if c in _COUNTS})

    def scale_items(self) -> "pd.DataFrame":
        """One row per item of each scale, indexed by (scale, item): n,
        used (whether alpha counts it), alpha_if_dropped,
        std_alpha_if_dropped, r_drop (item-rest correlation), r_total,
        std_r, mean_norm and sd_norm (of the normalised values, 0-1), flags."""
        import pandas as pd
        rows, index = [], []
        flags = self._all_flags()
        for s, node, items in self._scales():
            for leaf, v in zip(items, self._scale_item_table(s, len(items))):
                v["used"] = bool(v["used"])
                v["flags"] = _joined(flags[leaf])
                rows.append(v)
                index.append((node, self._leaf_id(leaf)))
        out = pd.DataFrame(rows, columns=list(_SCALE_ITEM) + ["flags"],
                           index=pd.MultiIndex.from_tuples(index, names=["scale", "item"]))
        return out.astype({"n": "int64", "sign": "int64"})

    def reliability(self) -> "pd.DataFrame":
        """The table efc reliability writes: a row per scale (item empty)
        followed by a row per item of it (RELIABILITY_COLUMNS)."""
        import pandas as pd
        rows = []
        table, flags = self._scale_table(), self._all_flags()
        for s, node, items in self._scales():
            rows.append({"node": node, "item": "", **table[s], "flags": ""})
            for leaf, v in zip(items, self._scale_item_table(s, len(items))):
                rows.append({"node": node, "item": self._leaf_id(leaf), **v,
                             "flags": _joined(flags[leaf])})
        out = pd.DataFrame(rows, columns=list(RELIABILITY_COLUMNS))
        if self.keys is not None:
            out = out.rename(columns={"node": "scale"})
        return out.astype({c: "Int64" for c in ("items", "items_used", "used", "n",
                                                "n_complete", "sign")})

    def items(self) -> "pd.DataFrame":
        """One row per item (leaf), indexed by its id: ITEM_COLUMNS (the
        distribution on the item's own scale; scale is "" for a leaf in no
        scale; flags joined by '|')."""
        import pandas as pd
        leaves = self.model.leaf_ids
        table = self._t["items"]  # metric x leaf
        flags = self._all_flags()
        rows = []
        for j in range(len(leaves)):
            s = self._t["leaf_scale"][j]
            v = {name: _num(float(table[k, j]), name) for k, name in enumerate(_ITEM)}
            scale = "" if s is None else self._t["scale_names"][s]
            rows.append({"scale": scale, **v, "flags": _joined(flags[j])})
        out = pd.DataFrame(rows, columns=list(ITEM_COLUMNS[1:]), index=pd.Index(leaves,
                                                                               name="item"))
        return out.astype({c: "Int64" if c in ("distinct", "off_level") else "int64"
                           for c in _ITEM if c in _COUNTS})

    def flags(self) -> dict:
        """The flagged items: {item id: [flag names]}."""
        flags = self._all_flags()
        return {leaf: flag_names(int(flags[j])) for j, leaf in enumerate(self.model.leaf_ids)
                if flags[j]}

    def levels(self) -> "pd.DataFrame":
        """The answers per level of the items that have levels: one row per
        item and level with columns item, value, text (the level's text)
        and answers."""
        import pandas as pd
        m = self.model._m
        rows = []
        for j, leaf in enumerate(self.model.leaf_ids):
            node = lib.efc_model_leaf_node(m, j)
            count = lib.efc_model_node_level_count(m, node)
            answers = self._t["levels"][j]
            assert len(answers) == count
            for level in range(count):
                rows.append({"item": leaf,
                             "value": float(lib.efc_model_node_level_value(m, node, level)),
                             "text": text(lib.efc_model_node_level_text(m, node, level,
                                                                        ffi.NULL)),
                             "answers": int(answers[level])})
        return pd.DataFrame(rows, columns=["item", "value", "text", "answers"])

    def __repr__(self) -> str:
        return (f"<efc.Quality: {self.rows} rows, "
                f"{len(self._t['scale_nodes'])} scales, {len(self.flags())} items "
                f"flagged>")

    # ---- pickling, copies, equality ----

    def _key(self) -> tuple:
        return (self.min_answers, self.min_share, self.distributions)

    def _repr_html_(self) -> str:
        """The quality in a notebook: rows gathered, each scale's items,
        n and Cronbach's alpha with its interval, then the flagged items
        and their flags."""
        table = self._scale_table()
        rows = []
        for s, node, items in self._scales():
            t = table[s]
            rows.append((f"<code>{_html.esc(node)}</code>", _html.esc(self.model.label(node)),
                         f"{_html.num(t['items_used'])}/{_html.num(t['items'])}",
                         _html.num(t["n"]), _html.num(t["alpha"]),
                         f"{_html.num(t['alpha_low'])}\u2013{_html.num(t['alpha_high'])}"))
        flagged = self.flags()
        parts = [_html.table(("scale", "label", "items used", "n", "alpha", "alpha interval"),
                             rows, total=len(rows))]
        if flagged:
            parts.append(_html.table(("flagged item", "flags"),
                                     ((f"<code>{_html.esc(k)}</code>", _html.esc(", ".join(v)))
                                      for k, v in flagged.items()), total=len(flagged)))
        summary = (f"{self.rows} rows, {len(rows)} scales, {len(flagged)} item"
                   f"{'' if len(flagged) == 1 else 's'} flagged")
        return _html.box("efc.Quality", summary, *parts)


    def __reduce__(self):
        return (_quality_from_state, ({"model": self.model, "options": self._key(),
                                       "results": self._t, "rejected": self.rejected,
                                       "keys": self.keys},))

    def __eq__(self, other: object):
        if not isinstance(other, Quality):
            return NotImplemented
        return other is self or (self.model == other.model and self._key() == other._key()
                                 and _same_results(self._t, other._t))

    def __hash__(self) -> int:
        if self._hash is None:
            self._hash = hash((self.model, self._key(), _results_digest(self._t)))
        return self._hash


def _read_results(q, model: Model) -> dict:
    """Every figure of a finalized efc_quality, by the library's bulk reads:
    plain Python and numpy values (tables metric x scale, metric x item of
    each scale, metric x leaf; a leaf's scale is None when it has none)."""
    nscales, nleaves = lib.efc_quality_scale_count(q), len(model.leaf_ids)
    items = [[int(lib.efc_quality_scale_item(q, s, i))
              for i in range(lib.efc_quality_scale_item_count(q, s))] for s in range(nscales)]
    m = model._m
    return {
        "rows": int(lib.efc_quality_rows(q)),
        "scale_nodes": [int(lib.efc_quality_scale_node(q, s)) for s in range(nscales)],
        # a scale's name: its node's id, or a key's name (efc.Keys)
        "scale_names": [text(lib.efc_quality_scale_name(q, s)) for s in range(nscales)],
        "scale_leaves": items,
        "scales": np.array([_fill(lib.efc_quality_fill_scales, (nscales,), q, k)
                            for k in range(len(_SCALE))]).reshape(len(_SCALE), nscales),
        "scale_items": [np.array([_fill(lib.efc_quality_fill_scale_items, (len(its),), q, s, k)
                                  for k in range(len(_SCALE_ITEM))]).reshape(len(_SCALE_ITEM),
                                                                             len(its))
                        for s, its in enumerate(items)],
        "flags": _fill(lib.efc_quality_fill_item_flags, (nleaves,), q, dtype="uintc"),
        "items": np.array([_fill(lib.efc_quality_fill_items, (nleaves,), q, k)
                           for k in range(len(_ITEM))]).reshape(len(_ITEM), nleaves),
        "leaf_scale": [None if s == NONE else int(s)
                       for s in (lib.efc_quality_leaf_scale(q, j) for j in range(nleaves))],
        "levels": [_fill(lib.efc_quality_fill_level_answers,
                         (lib.efc_model_node_level_count(m, lib.efc_model_leaf_node(m, j)),),
                         q, j, dtype="uintp") for j in range(nleaves)],
    }


def _quality_from_state(state: dict) -> "Quality":
    """The reconstructor of pickled Quality objects: their results as read."""
    self = object.__new__(Quality)
    self.model, self.rejected, self._q = state["model"], state["rejected"], None
    self.min_answers, self.min_share, self.distributions = state["options"]
    self._t, self._hash = state["results"], None
    self.keys = state.get("keys")
    return self


def _flat(results: dict) -> list:
    """The results as a list of plain values and arrays, in a fixed order."""
    out = []
    for key in sorted(results):
        v = results[key]
        out.extend(v if key in ("scale_items", "levels") else [v])
    return out


def _same_results(a: dict, b: dict) -> bool:
    fa, fb = _flat(a), _flat(b)
    if len(fa) != len(fb):
        return False
    for x, y in zip(fa, fb):
        if isinstance(x, np.ndarray) or isinstance(y, np.ndarray):
            if not (isinstance(x, np.ndarray) and isinstance(y, np.ndarray)
                    and x.shape == y.shape and np.array_equal(x, y, equal_nan=x.dtype.kind == "f")):
                return False
        elif x != y:
            return False
    return True


def _results_digest(results: dict) -> bytes:
    """A digest equal for equal results (one NaN, one zero)."""
    import hashlib
    h = hashlib.sha256()
    for v in _flat(results):
        if isinstance(v, np.ndarray):
            if v.dtype.kind == "f":
                v = np.where(np.isnan(v), np.nan, v + 0.0)
            h.update(repr((v.dtype.str, v.shape)).encode())
            h.update(np.ascontiguousarray(v).tobytes())
        else:
            h.update(repr(v).encode())
    return h.digest()



def _joined(flags) -> str:
    """Flags as efc items writes them: names joined by '|'."""
    return "|".join(flag_names(int(flags)))


def _num(v: float, name: str):
    # counts are integers; NaN stays NaN (distinct values without distributions)
    return int(v) if name in _COUNTS and v == v else float(v)


def reliability(source, model: Optional[Model] = None, **options) -> "pd.DataFrame":
    """Quality.from_survey(source, model, distributions=False,
    **options).reliability(): the table efc reliability writes, as a
    DataFrame."""
    return Quality.from_survey(source, model, distributions=False, **options).reliability()


def item_analysis(source, model: Optional[Model] = None, **options) -> "pd.DataFrame":
    """Quality.from_survey(source, model, **options).items(): the table efc
    items writes (without its levels column), as a DataFrame."""
    return Quality.from_survey(source, model, **options).items()
