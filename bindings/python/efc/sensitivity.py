"""How robust is a ranking to the weights? Monte Carlo rank intervals and
Sobol indices of the weights (and aggregation methods) on the mean absolute
rank shift, as pandas frames. Start from Panel.sensitivity();
docs/statistics.md explains how to read the figures."""
from typing import TYPE_CHECKING, Callable, Dict, Iterable, List, Optional, Sequence

import numpy as np

from . import _html, _names
from ._lib import NONE, cstr, doubles, ffi, lib, text
from .errors import Error
from .errors import call as _call
from .errors import fill as _fill

if TYPE_CHECKING:
    import pandas as pd

#: Columns of Sensitivity.ranks(), as `efc sensitivity` writes them (after id and period).
RANK_COLUMNS = ("score", "nominal_rank", "median_rank", "rank_p05", "rank_p95", "mean_rank",
                "rank_min", "rank_max", "p_top_k", "ranked_runs")
#: Columns of Sensitivity.sobol(), as `efc sensitivity --sobol` writes them (after input).
SOBOL_COLUMNS = ("node", "parameter", "first_order", "first_order_q05", "first_order_q95",
                 "total_order", "total_order_q05", "total_order_q95")

# efc_sensitivity_metric for each column of RANK_COLUMNS, by the library's names
_METRIC = _names.values("SENSITIVITY_METRIC")
assert set(RANK_COLUMNS) == set(_METRIC)
assert SOBOL_COLUMNS[2:] == _names.names("SOBOL_METRIC")
_WHOLE = ("nominal_rank", "rank_min", "rank_max", "ranked_runs")


def _method(spec: str):
    """'mean', 'geomean', 'harmonic', 'min' or 'power:P' as (aggregate, power), as
    codebooks read them."""
    try:
        return _names.parse_aggregate(spec)
    except (Error, AttributeError) as e:
        raise ValueError(f"efc: {getattr(e, 'message', repr(spec))}") from None


def _method_name(agg: int, power: float) -> str:
    return _names.format_aggregate(agg, power)


class Sensitivity:
    """The result of Panel.sensitivity(): read it with ranks(), sobol(),
    runs() and run_ranks()."""

    def __init__(self, *args, **kwargs):
        raise TypeError("use Panel.sensitivity()")

    @classmethod
    def _run(cls, panel, node, period, weights, aggregations, spread, dirichlet, samples,
             seed, top, threads, sobol, bootstrap, progress, runs=None,
             given=None) -> "Sensitivity":
        # the options, as plain values: a part pickled carries them, so that
        # the process merging it can rebuild it (Sensitivity.merge)
        args = (node, period, None if weights is None else
                ([weights] if isinstance(weights, str) else list(weights)),
                None if aggregations is None else {g: list(m) for g, m in aggregations.items()},
                spread, dirichlet, samples, seed, top, sobol, bootstrap,
                None if runs is None else tuple(int(x) for x in runs))
        model = panel.model
        made = ffi.new("efc_sensitivity_options **")
        _call(lib.efc_sensitivity_options_create, made, lib.efc_panel_model(panel._p), ffi.NULL)
        o = ffi.gc(made[0], lib.efc_sensitivity_options_free)
        _call(lib.efc_sensitivity_options_set_node, o, panel._node(node))
        at = panel._present_period(period)  # efc.NotFoundError for a period nobody has
        _call(lib.efc_sensitivity_options_set_period, o, ffi.NULL if at is None else cstr(at))
        # without weights named, the group weights vary, aggregations or not
        _call(lib.efc_sensitivity_options_set_group_weights, o, 1 if weights is None else 0)
        if weights is not None:
            for n in ([weights] if isinstance(weights, str) else weights):
                _call(lib.efc_sensitivity_options_add_weight, o, model._index(n))
        for group, methods in (aggregations or {}).items():
            parsed = [_method(m) for m in methods]
            aggs = ffi.new("efc_aggregate[]", [a for a, _ in parsed])
            powers = ffi.new("double[]", [p for _, p in parsed])
            _call(lib.efc_sensitivity_options_add_aggregation, o, model._index(group), len(parsed),
                  aggs, powers)
        if dirichlet is not None and spread is not None:
            raise ValueError("efc: spread and dirichlet are two ways of drawing weights: give one")
        if dirichlet is not None:
            _call(lib.efc_sensitivity_options_set_perturbation, o, lib.EFC_PERTURBATION_DIRICHLET,
                  float(dirichlet))
        else:
            _call(lib.efc_sensitivity_options_set_perturbation, o, lib.EFC_PERTURBATION_UNIFORM,
                  0.25 if spread is None else float(spread))
        _call(lib.efc_sensitivity_options_set_samples, o, int(samples))
        _call(lib.efc_sensitivity_options_set_seed, o, int(seed))
        _call(lib.efc_sensitivity_options_set_top, o, int(top))
        _call(lib.efc_sensitivity_options_set_threads, o, int(threads))
        _call(lib.efc_sensitivity_options_set_sobol, o, 1 if sobol else 0)
        _call(lib.efc_sensitivity_options_set_bootstrap, o, int(bootstrap))
        if runs is not None:
            first, count = (int(x) for x in runs)
            if first < 0 or count < 1:
                raise ValueError(f"efc: runs=(first, count) needs first >= 0 and count >= 1, "
                                 f"got {tuple(runs)!r}")
            _call(lib.efc_sensitivity_options_set_runs, o, first, count)
        callback = None
        raised: List[BaseException] = []
        if progress is not None:
            def relay(done, total, user):
                if raised:  # after a failure the user's function is called no more
                    return 1
                progress(int(done), int(total))
                return 0

            def failed(exc_type, exc, tb):
                # cffi would print the exception and carry on: keep it for
                # the caller instead (its traceback includes the callback);
                # the callback's answer, 1, cancels: no run starts after it
                if not raised:
                    raised.append(exc if exc is not None else exc_type())
                return 1
            callback = ffi.callback("int(size_t, size_t, void *)", relay, onerror=failed)
            _call(lib.efc_sensitivity_options_set_progress, o, callback, ffi.NULL)
        out = ffi.new("efc_sensitivity **")
        if given is not None:  # a part run elsewhere, from its tables
            tables = [doubles(a) for a in given]  # unpickled: at any offset
            _call(lib.efc_sensitivity_part_create, out, panel._p, o,
                  *(ffi.cast("const double *", a.ctypes.data) for a in tables), ffi.NULL)
            s = ffi.gc(out[0], lib.efc_sensitivity_free)
            return cls._wrap(s, panel, int(samples), int(top), args)
        try:
            _call(lib.efc_sensitivity_run, out, panel._p, o, ffi.NULL)
        except Exception:
            if not raised:
                raise
        if raised:
            # the runs were cancelled at the failure; the callback's
            # exception reaches the caller
            if out[0] != ffi.NULL:
                lib.efc_sensitivity_free(out[0])
            raise raised[0]
        s = ffi.gc(out[0], lib.efc_sensitivity_free)
        if lib.efc_sensitivity_panel(s) != panel._p:
            raise ValueError("efc: internal error: the sensitivity analysis did not run")
        return cls._wrap(s, panel, int(samples), int(top), args)

    @classmethod
    def _wrap(cls, s, panel, samples: int, top: int, args) -> "Sensitivity":
        self = object.__new__(cls)
        self._s, self.panel, self.samples, self.top = s, panel, samples, top
        self.node = panel.model.node_ids[lib.efc_sensitivity_node(s)]
        first, count = ffi.new("size_t *"), ffi.new("size_t *")
        _call(lib.efc_sensitivity_run_range, first, count, s)
        self.range = (int(first[0]), int(count[0]))
        self.partial = bool(lib.efc_sensitivity_is_partial(s))
        self._args = args
        self._r: Dict[str, object] = {}
        self._hash: Optional[int] = None
        return self

    @classmethod
    def merge(cls, parts: Sequence["Sensitivity"], panel=None) -> "Sensitivity":
        """The whole analysis from its parts (Panel.sensitivity(...,
        runs=(first, count)) with the same panel and options, whose ranges
        tile [0, samples) in any order): equal (==), bit for bit, to the
        run of all the samples at once. Parts unpickled (sent back by
        other processes) are rebuilt from their tables on their panel,
        which must then be one object (the same unpickled panel, or a
        panel equal to it given as `panel`)."""
        parts = list(parts)
        if not parts or not all(isinstance(p, Sensitivity) for p in parts):
            raise TypeError("efc: Sensitivity.merge takes a list of efc.Sensitivity parts")
        target = panel if panel is not None else parts[0].panel
        live = []
        for p in parts:
            if p._s is None:
                if p.panel is not target and p.panel != target:
                    raise ValueError("efc: Sensitivity.merge: the parts are of other panels")
                r = p._all()
                p = Sensitivity._run(target, *p._args[:9],
                                     1, *p._args[9:11], None, p._args[11],
                                     given=(r["run_inputs"], r["run_outputs"], r["run_ranks"]))
            live.append(p)
        parts = live
        handles = ffi.new("efc_sensitivity *[]", [p._s for p in parts])
        out = ffi.new("efc_sensitivity **")
        _call(lib.efc_sensitivity_merge, out, ffi.cast("const efc_sensitivity *const *", handles),
              len(parts), ffi.NULL)
        s = ffi.gc(out[0], lib.efc_sensitivity_free)
        return cls._wrap(s, parts[0].panel, parts[0].samples, parts[0].top,
                         parts[0]._args[:11] + (None,))

    # ---- the results, read from the library once each ----

    def _get(self, key: str):
        """One part of the results (see _READ), read from the C result the
        first time it is needed and kept; an unpickled Sensitivity holds
        them all. A finalized result never changes: threads may race to
        read a part, and store equal values."""
        v = self._r.get(key)
        if v is None:
            v = self._r[key] = _READ[key](self._s, len(self.panel._actors), self.range[1])
        return v

    def _all(self) -> Dict[str, object]:
        for key in _READ:
            self._get(key)
        return self._r

    @property
    def inputs(self) -> List[str]:
        """The inputs, named 'weight:NODE' or 'aggregation:GROUP'."""
        ids = self.panel.model.node_ids
        return [("weight:" if kind == lib.EFC_INPUT_WEIGHT else "aggregation:") + ids[node]
                for kind, node in self._get("inputs")]

    def alternatives(self, inputs: int) -> List[str]:
        """The methods an aggregation input draws from (empty for a weight)."""
        alts = self._get("alternatives")
        if not 0 <= inputs < len(alts):
            return []
        return [_method_name(agg, power) for agg, power in alts[inputs]]

    @property
    def ranked(self) -> int:
        """Actors ranked nominally."""
        return self._get("ranked")

    @property
    def variance(self) -> float:
        """Variance of the output over the runs of A and B (NaN without Sobol)."""
        return self._get("variance")

    def ranks(self) -> "pd.DataFrame":
        """One row per actor (index), ranked actors first by nominal rank:
        the period ranked, score, nominal_rank, median_rank, rank_p05,
        rank_p95 (5th and 95th percentiles, type 7), mean_rank, rank_min,
        rank_max, p_top_k (share of runs ranking it top-k or better; k is
        .attrs["top"]) and ranked_runs."""
        import pandas as pd
        p = self.panel
        metrics = self._get("metrics")
        cols = {name: metrics[name].copy() for name in RANK_COLUMNS}
        periods = [None if i is None else text(lib.efc_panel_period(p._p, a, i))
                   for a, i in enumerate(self._get("assessments"))]
        frame = pd.DataFrame({"actor": np.arange(len(p._actors)),
                              "period": p._typed(periods, nullable=True), **cols})
        for c in _WHOLE:
            frame[c] = frame[c].astype("Int64")
        frame = p._by_rank(frame, "nominal_rank")
        frame.attrs.update(node=self.node, top=self.top, samples=self.samples)
        return frame

    def actor(self, actor: str) -> Dict[str, float]:
        """One actor's figures (the columns of ranks() but period), NaN
        where it has none."""
        a = self.panel._actor(actor)
        if self._s is not None:  # one actor's values, without the bulk read
            return {name: float(lib.efc_sensitivity_value(self._s, a, _METRIC[name]))
                    for name in RANK_COLUMNS}
        metrics = self._get("metrics")
        return {name: float(metrics[name][a]) for name in RANK_COLUMNS}

    def sobol(self) -> "pd.DataFrame":
        """One row per input: node, parameter (weight or aggregation), the
        first-order and total Sobol indices on the mean absolute rank shift,
        each with the 5th and 95th percentiles of its bootstrap draws. Empty
        values (NaN) without Sobol indices or when the ranks never moved."""
        import pandas as pd
        ids = self.panel.model.node_ids
        names = self.inputs
        indices = self._get("sobol")  # metric x input
        rows = []
        for i, (name, (kind, node)) in enumerate(zip(names, self._get("inputs"))):
            row = {"input": name, "node": ids[node],
                   "parameter": _names.name("INPUT_KIND", kind)}
            for m, col in enumerate(SOBOL_COLUMNS[2:]):
                row[col] = float(indices[m, i])
            rows.append(row)
        frame = pd.DataFrame(rows, columns=("input",) + SOBOL_COLUMNS).set_index("input")
        frame.attrs["variance"] = self.variance
        return frame

    def runs(self) -> "pd.DataFrame":
        """Every run (Saltelli's order: A, B, then A_B^i for each input):
        the matrix, each input's value (the weight used, or the method
        drawn) and the output, mean_abs_rank_shift."""
        import pandas as pd
        names = self.inputs
        values, outputs = self._get("run_inputs"), self._get("run_outputs")
        nruns = len(outputs)
        data: Dict[str, object] = {}
        blocks = ["A", "B"] + [f"AB:{n}" for n in names]
        data["matrix"] = [blocks[j // self.range[1]] for j in range(nruns)]
        for i, name in enumerate(names):
            if name.startswith("aggregation:"):
                alts = self.alternatives(i)
                data[name] = [alts[int(v)] for v in values[:, i]]
            else:
                data[name] = values[:, i].copy()
        data["mean_abs_rank_shift"] = outputs.copy()
        frame = pd.DataFrame(data, index=pd.RangeIndex(1, nruns + 1, name="run"))
        return frame

    def run(self, j: int) -> Dict[str, float]:
        """Run j (0-based, Saltelli's order): each input's value (the weight
        used, or the number of the method drawn) and mean_abs_rank_shift."""
        s = self._s
        if s is not None:  # one run, without the bulk read
            if not 0 <= j < lib.efc_sensitivity_run_count(s):
                raise IndexError(f"efc: no run {j}")
            out = {name: float(lib.efc_sensitivity_run_input(s, j, i))
                   for i, name in enumerate(self.inputs)}
            out["mean_abs_rank_shift"] = float(lib.efc_sensitivity_run_output(s, j))
            return out
        values, outputs = self._get("run_inputs"), self._get("run_outputs")
        if not 0 <= j < len(outputs):
            raise IndexError(f"efc: no run {j}")
        out = {name: float(values[j, i]) for i, name in enumerate(self.inputs)}
        out["mean_abs_rank_shift"] = float(outputs[j])
        return out

    def rank(self, j: int, actor: str) -> float:
        """An actor's rank in run j of matrix A (NaN when it has none)."""
        a = self.panel._actor(actor)
        if self._s is not None:
            return float(lib.efc_sensitivity_run_rank(self._s, j, a))
        ranks = self._get("run_ranks")
        return float(ranks[j, a]) if 0 <= j < ranks.shape[0] else float("nan")

    def run_ranks(self) -> np.ndarray:
        """The ranks of every actor (columns, in the order of Panel.actors)
        in every run of matrix A (rows); NaN where an actor is not ranked."""
        return self._get("run_ranks")[:, self.panel._order]

    def __repr__(self) -> str:
        return (f"<efc.Sensitivity of {self.node!r}: {len(self.inputs)} inputs, "
                f"{self.samples} runs, {self.ranked} actors ranked>")

    # ---- pickling, copies, equality ----

    def _key(self) -> tuple:
        return (self.node, self.samples, self.top, self.range)

    def __reduce__(self):
        # the results as read, bit for bit (not a new run: unpickling a
        # result sent back by a worker costs no analysis), with the panel
        return (_sensitivity_from_state, ({"panel": self.panel, "key": self._key(),
                                           "args": self._args,
                                           "results": dict(self._all())},))

    def __eq__(self, other: object):
        if not isinstance(other, Sensitivity):
            return NotImplemented
        if other is self:
            return True
        if self._key() != other._key() or self.panel != other.panel:
            return False
        a, b = self._all(), other._all()
        return all(_same(a[k], b[k]) for k in _READ)

    def __hash__(self) -> int:
        if self._hash is None:
            import hashlib
            r = self._all()
            h = hashlib.sha256(repr((self._key(), r["inputs"], r["alternatives"], r["ranked"],
                                     r["assessments"])).encode())
            for name in RANK_COLUMNS:
                h.update(_canonical(r["metrics"][name]))
            for k in ("variance", "sobol", "run_inputs", "run_outputs", "run_ranks"):
                h.update(_canonical(np.asarray(r[k], dtype=float)))
            self._hash = hash((self.panel, h.digest()))
        return self._hash


    def _repr_html_(self) -> str:
        """The analysis in a notebook: its node and runs, the ranks of the
        first 20 actors (nominal, median, 5th-95th percentiles, share of
        runs in the top k) and, with Sobol indices, each input's."""
        ranks = self.ranks()
        rows = []
        for actor, r in ranks.head(20).iterrows():
            rows.append((f"<code>{_html.esc(actor)}</code>", _html.num(r["score"]),
                         _html.num(r["nominal_rank"]), _html.num(r["median_rank"]),
                         f"{_html.num(r['rank_p05'])}\u2013{_html.num(r['rank_p95'])}",
                         _html.num(r["p_top_k"])))
        parts = [_html.table(("actor", "score", "nominal rank", "median rank", "rank 5\u201395%",
                              f"p top {self.top}"), rows, total=len(ranks), max_rows=20)]
        if not np.isnan(self.variance):
            sob = self.sobol()
            parts.append(_html.table(
                ("input", "first order", "total order"),
                ((f"<code>{_html.esc(name)}</code>", _html.num(r["first_order"]),
                  _html.num(r["total_order"])) for name, r in sob.iterrows()), total=len(sob)))
        summary = (f"of <code>{_html.esc(self.node)}</code>: {len(self.inputs)} inputs, "
                   f"{self.samples} runs, {self.ranked} actors ranked")
        return _html.box("efc.Sensitivity", summary, *parts)


def _read_alternatives(s, i: int):
    out = []
    agg = ffi.new("efc_aggregate *")
    power = ffi.new("double *")
    for k in range(lib.efc_sensitivity_input_alternative_count(s, i)):
        _call(lib.efc_sensitivity_input_alternative, agg, power, s, i, k)
        out.append((int(agg[0]), float(power[0])))
    return out


def _input_count(s) -> int:
    return int(lib.efc_sensitivity_input_count(s))


# how each part of a result is read from the C object: (efc_sensitivity *,
# actors, samples) -> plain Python and numpy values
_READ = {
    "inputs": lambda s, na, n: [(int(lib.efc_sensitivity_input_kind(s, i)),
                                 int(lib.efc_sensitivity_input_node(s, i)))
                                for i in range(_input_count(s))],
    "alternatives": lambda s, na, n: [_read_alternatives(s, i) for i in range(_input_count(s))],
    "ranked": lambda s, na, n: int(lib.efc_sensitivity_ranked_count(s)),
    "variance": lambda s, na, n: float(lib.efc_sensitivity_variance(s)),
    "metrics": lambda s, na, n: {name: _fill(lib.efc_sensitivity_fill, (na,), s, _METRIC[name])
                                 for name in RANK_COLUMNS},
    "assessments": lambda s, na, n: [None if i == NONE else int(i)
                                     for i in (lib.efc_sensitivity_assessment(s, a)
                                               for a in range(na))],
    "sobol": lambda s, na, n: np.array(
        [_fill(lib.efc_sensitivity_fill_sobol, (_input_count(s),), s, m)
         for m in range(len(SOBOL_COLUMNS) - 2)]).reshape(len(SOBOL_COLUMNS) - 2,
                                                           _input_count(s)),
    "run_inputs": lambda s, na, n: _fill(lib.efc_sensitivity_fill_run_inputs,
                                         (int(lib.efc_sensitivity_run_count(s)),
                                          _input_count(s)), s),
    "run_outputs": lambda s, na, n: _fill(lib.efc_sensitivity_fill_run_outputs,
                                          (int(lib.efc_sensitivity_run_count(s)),), s),
    "run_ranks": lambda s, na, n: _fill(lib.efc_sensitivity_fill_run_ranks, (n, na), s),
}


def _same(a, b) -> bool:
    """Equal results: NaN equal to NaN."""
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(_same(a[k], b[k]) for k in a)
    if isinstance(a, (list, tuple)):  # the powers of methods other than power are NaN
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b))
    if isinstance(a, np.ndarray) or isinstance(a, float):
        a, b = np.asarray(a), np.asarray(b)
        return a.shape == b.shape and bool(np.array_equal(a, b, equal_nan=True))
    return a == b


def _canonical(a: np.ndarray) -> bytes:
    """The bytes of float values, equal for equal values (one NaN, one zero)."""
    a = np.asarray(a, dtype=float)
    return repr(a.shape).encode() + np.where(np.isnan(a), np.nan, a + 0.0).tobytes()


def _sensitivity_from_state(state: dict) -> "Sensitivity":
    """The reconstructor of pickled Sensitivity results: the results as
    they were read, on the (unpickled) panel."""
    self = object.__new__(Sensitivity)
    self._s, self.panel = None, state["panel"]
    key = tuple(state["key"])
    if len(key) == 3:  # pickled before parts: a whole run
        key += ((0, key[1]),)
    self.node, self.samples, self.top, self.range = key
    self.partial = self.range[1] != self.samples
    self._args = state.get("args")
    self._r, self._hash = dict(state["results"]), None
    return self


def sobol_indices(y: Sequence[float], n: int, d: int, bootstrap: int = 0, seed: int = 1,
                  names: Optional[Iterable[str]] = None) -> "pd.DataFrame":
    """Sobol indices of any model from its outputs on Saltelli's design: y
    holds f(A) (n values), f(B), then f(A_B^i) for i = 1..d (COINr's
    SA_sample order). One row per input: first_order, total_order and, with
    bootstrap > 0, their 5th and 95th percentiles; .attrs["variance"]."""
    import pandas as pd
    from .model import _real_array
    arr = doubles(_real_array(y))  # complex or dates: refused
    if arr.ndim != 1 or arr.size != n * (d + 2):
        raise ValueError(f"efc: y must hold n (d + 2) = {n * (d + 2)} outputs, got {arr.size}")
    out = np.empty((d, 6))
    var = ffi.new("double *")
    _call(lib.efc_sobol_estimate, ffi.cast("double *", out.ctypes.data), out.size, var,
          ffi.cast("const double *", arr.ctypes.data), n, d, int(bootstrap), int(seed), ffi.NULL)
    labels = list(names) if names is not None else [f"x{i + 1}" for i in range(d)]
    frame = pd.DataFrame(out, columns=SOBOL_COLUMNS[2:], index=pd.Index(labels, name="input"))
    frame.attrs["variance"] = float(var[0])
    return frame


ProgressFn = Callable[[int, int], None]
