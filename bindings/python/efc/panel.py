"""Panels: the scored assessments of many actors over periods, and what is
read from them as pandas frames: trajectories with their impact transfers,
comparisons of two actors, ranks among all and among peers
(docs/trajectories.md defines every figure)."""
import math
import warnings
from typing import TYPE_CHECKING, Dict, Iterable, List, Optional, Sequence, Tuple, Union

import numpy as np

from . import _html, _names
from ._lib import NONE, cstr, doubles, ffi, lib, text
from .errors import ArgumentError, Error, InvalidValueError, NotFoundError
from .errors import call as _call
from .errors import fill as _fill
from .model import Model, _check_columns, _float_column, _missing_items
from .survey import Survey, parse_period, period_text

if TYPE_CHECKING:
    import pandas as pd

    from .chart import Chart
    from .sensitivity import Sensitivity

# the library's names of each metric, indexed by its value
_TRAJ = _names.names("TRAJECTORY_METRIC")
_CMP = _names.names("COMPARISON_METRIC")
_DOMINANCE = _names.names("DOMINANCE")
_RANK = _names.names("RANK_METRIC")
_STATS = _names.names("GROUP_METRIC")


class Panel:
    """The scored assessments of many actors over periods, sorted by actor
    and period, one per actor and period. Build one with
    Panel.from_survey() or Panel.from_frame(); it is read-only afterwards.

    Periods come back as read_survey gives them: numbers (integers when
    they all are) or Timestamps. Periods given as arguments may be numbers,
    dates, Timestamps or text (as the survey wrote them, or canonical).

    Panels pickle (pickle, cloudpickle, copy.deepcopy) as their model and
    their assessments, read through the library's accessors and added back
    as they are. Two panels are equal (==, and hash) when their models are
    equal and they hold the same assessments: actors, periods, grouping
    columns and values, source lines and scores (NaN equal to NaN); the
    rejected rows and the source name travel with a pickle but do not count.
    """

    def __init__(self, *args, **kwargs):
        raise TypeError("use Panel.from_survey() or Panel.from_frame()")

    @classmethod
    def _wrap(cls, ptr, model: Model, rejected=None, date_format: str = "iso",
              decimal_comma: bool = False, id_column=None, source: str = "") -> "Panel":
        """A Panel around a finalized efc_panel * already under ffi.gc;
        `id_column` the frame's column of actor ids (Panel.from_frame), whose
        values and dtype the frames give back; `source` the name
        efc_panel_set_source gave it."""
        if not lib.efc_panel_is_finalized(ptr) or lib.efc_panel_model(ptr) != model._m:
            raise ValueError("efc: internal error: a panel that is not finalized for its model")
        self = object.__new__(cls)
        self._p = ptr
        self.model = model
        self.rejected = rejected
        self._format = (date_format, decimal_comma)
        self._source = source  # the name efc_panel_set_source gave it
        self._hash: Optional[int] = None
        self._trajectories_by_tolerance: Dict[Optional[float], object] = {}
        n = lib.efc_panel_actor_count(ptr)
        self._actors = [text(lib.efc_panel_actor(ptr, a)) for a in range(n)]
        self._ids, self._order = _typed_ids(self._actors, id_column)
        return self

    @classmethod
    def from_survey(cls, source, model: Optional[Model] = None, **options) -> "Panel":
        """Read and score a survey (a path, file object or bytes; the
        options of efc.Survey) into a panel. Every assessment needs a
        period; two rows of one actor and period are an error naming both
        lines (combine="mean" merges them). Rows rejected in skip mode are
        in .rejected (a DataFrame)."""
        import pandas as pd
        with Survey(source, model, **options) as s, s._guard:
            out = ffi.new("efc_panel **")
            _call(lib.efc_panel_create_for_survey, out, s._s, ffi.NULL)
            p = ffi.gc(out[0], lib.efc_panel_free)
            rejected = []
            while s.read_batch():
                rejected.append(s.rejected_frame())
                _call(lib.efc_panel_add_batch, p, s._b)
            _call(lib.efc_panel_finalize, p)
            model = s.model
        rej = pd.concat(rejected, ignore_index=True) if rejected else None
        return cls._wrap(p, model, rej, options.get("date_format", "iso"),
                         bool(options.get("decimal_comma", False)), source=s._name)

    @classmethod
    def from_frame(cls, frame, model: Optional[Model] = None, *, id: str = "id",
                   period: str = "period", groups: Union[str, Sequence[str]] = (),
                   scored: bool = False, date_format: str = "iso",
                   decimal_comma: bool = False, name: str = "<frame>") -> "Panel":
        """A panel from a DataFrame: one row per assessment, with the actor
        in column `id` (never missing), the period in `period` (numbers,
        dates, Timestamps, or text as parse_period reads it with
        `date_format` and `decimal_comma`) and `groups` columns. The other
        columns hold the answers (scored with the model; a leaf without a
        column is missing, with a warning), or with scored=True the scores
        of the nodes (as Model.score_frame gives them). Errors name the
        frame's index labels, such as two rows of one actor and period.
        The actors keep the id column's values and dtype in the frames the
        panel returns, numbers in their natural order (1, 2, 10)."""
        model = model if model is not None else Model.default()
        groups = [groups] if isinstance(groups, str) else list(groups)
        _check_columns(frame, [id, period, *groups,
                               *(model.node_ids if scored else model.leaf_ids)])
        ids = _actor_ids(frame[id], frame.index)
        periods = _canonical_periods(frame[period], frame.index, date_format, decimal_comma)
        if scored:
            scores = np.full((len(frame), len(model.node_ids)), np.nan)
            for k, node_id in enumerate(model.node_ids):
                if node_id in frame.columns:
                    scores[:, k] = _float_column(frame[node_id], node_id)
        else:
            missing = [leaf for leaf in model.leaf_ids if leaf not in frame.columns]
            if missing:
                warnings.warn(_missing_items(missing), stacklevel=2)
            scores = model.score_array(_answers(frame, model))
        gvals = [frame[g].astype(object).where(frame[g].notna(), "").astype(str).to_numpy()
                 for g in groups]
        out = ffi.new("efc_panel **")
        _call(lib.efc_panel_create, out, model._m, ffi.NULL)
        p = ffi.gc(out[0], lib.efc_panel_free)
        _call(lib.efc_panel_set_source, p, cstr(name))
        for g in groups:
            _call(lib.efc_panel_add_group_column, p, cstr(g))
        gbuf = ffi.new("const char *[]", max(len(groups), 1))
        scores = doubles(scores)
        base = scores.__array_interface__["data"][0]
        try:
            for r in range(len(frame)):
                keep = [ffi.new("char[]", cstr(v[r])) for v in gvals]  # alive through the call
                for i, c in enumerate(keep):
                    gbuf[i] = c
                row = ffi.cast("const double *", base + r * scores.strides[0])
                _call(lib.efc_panel_add, p, cstr(ids[r]), cstr(periods[r]),
                      gbuf if groups else ffi.NULL, row, r + 1)
            _call(lib.efc_panel_finalize, p)
        except Error as e:
            raise _in_frame_terms(e, frame.index, ids, periods) from None
        return cls._wrap(p, model, None, date_format, decimal_comma, id_column=frame[id],
                         source=name)

    # ---- what is in it ----

    @property
    def actors(self) -> list:
        """The actors, sorted by id: text ids (from a survey, or a frame's
        text column) in the library's order, ids of a frame's numeric (or
        date) column as that column held them, in their natural order (1,
        2, 10). Every frame of the panel lists them so."""
        return self._ids.take(self._order).tolist()

    def _actor_column(self, actors: Sequence[int]):
        """The ids of actors (the library's numbers) as a frame column or
        index, with the dtype of the frame they came from."""
        return self._ids.take(np.asarray(actors, dtype=np.intp))

    @property
    def group_columns(self) -> List[str]:
        return [text(lib.efc_panel_group_column(self._p, g))
                for g in range(lib.efc_panel_group_column_count(self._p))]

    @property
    def period_kind(self) -> Optional[str]:
        k = lib.efc_panel_period_kind(self._p)
        return None if k == lib.EFC_PERIOD_NONE else _names.name("PERIOD_KIND", k)

    def __len__(self) -> int:
        """The number of assessments."""
        return int(lib.efc_panel_size(self._p))

    def _actor(self, actor) -> int:
        """The library's number of an actor given as its id (text, or as
        the frame held it: 10 finds "10")."""
        a = lib.efc_panel_find_actor(self._p, cstr(_id_text(actor)))
        if a == NONE:
            raise NotFoundError(8, f"actor '{actor}' is not in the panel")
        return a

    def _node(self, node: Optional[str]) -> int:
        if node is None:
            return lib.efc_model_root(self.model._m)
        return self.model._index(node)

    def _period(self, period) -> str:
        """A period argument as its canonical text ("2024", "2024-06-30"),
        read as the canonical forms or as the panel's survey wrote them
        ("30/06/2024" with date_format="dmy"; raises for one that is not a
        period): the text every lookup of the library matches."""
        t = period_text(period)
        for fmt, comma in (("iso", False), self._format):
            try:
                kind, _, canonical = parse_period(t, fmt, comma)
                if kind is not None:
                    return canonical
            except InvalidValueError:
                pass
        raise InvalidValueError(6, f"period {period!r} is not a number or a date"
                                   f" ({'dd/mm/yyyy' if self._format[0] == 'dmy' else 'YYYY-MM-DD'})")

    def _typed(self, texts: Sequence[Optional[str]], nullable: bool = False):
        """Canonical period texts as read_survey gives periods: numbers
        (integers when all are) or Timestamps; None or "" is missing (see
        _typed_values for `nullable`)."""
        import pandas as pd
        if self.period_kind == "date":
            return pd.to_datetime([t or None for t in texts])
        return self._typed_values(np.array([float(t) if t else np.nan for t in texts],
                                           dtype=float), nullable)

    def _typed_values(self, values: np.ndarray, nullable: bool = False):
        """Period values (numbers, or days since 1970-01-01 for dates; NaN
        for none) as _typed() gives the periods they are the values of: the
        canonical text of a number reads back as its value exactly. Whole
        numbers are int64, or with `nullable` (a column that may miss
        periods: first_period, a rank's period) pandas' Int64 whether or not
        one is missing, so that a gap never turns the column into floats;
        dates are datetime64 with NaT for none."""
        import pandas as pd
        if self.period_kind == "date":
            return pd.to_datetime(values, unit="D")
        missing = np.isnan(values)
        present = values[~missing]
        if not (present == np.round(present)).all():
            return values
        if nullable:
            return pd.arrays.IntegerArray(np.where(missing, 0, values).astype(np.int64), missing)
        if not missing.any():
            return values.astype(np.int64)
        return values

    def periods(self, actor: str) -> list:
        """An actor's periods, in order (numbers, or Timestamps)."""
        a = self._actor(actor)
        return list(self._typed([text(lib.efc_panel_period(self._p, a, i))
                                 for i in range(lib.efc_panel_assessment_count(self._p, a))]))

    def period_values(self, actor: str) -> List[float]:
        """An actor's periods as numbers: the number itself, or for dates the
        days since 1970-01-01."""
        a = self._actor(actor)
        return [lib.efc_panel_period_value(self._p, a, i)
                for i in range(lib.efc_panel_assessment_count(self._p, a))]

    def assessment(self, actor: str, period) -> Optional[int]:
        """The index of an actor's assessment at a period, None when it has
        none there (efc.InvalidValueError for something that is not a period)."""
        i = lib.efc_panel_find_period(self._p, self._actor(actor), cstr(self._period(period)))
        return None if i == NONE else int(i)

    def scores(self, nodes: Optional[Iterable[str]] = None,
               actors: Optional[Iterable[str]] = None) -> "pd.DataFrame":
        """The assessments (of `actors`, all by default) as a DataFrame:
        actor, period, source line, grouping columns, then one column per
        node (the groups by default)."""
        import pandas as pd
        p, model = self._p, self.model
        chosen = list(nodes) if nodes is not None else model.group_ids
        idx = [model._index(n) for n in chosen]
        which = self._order if actors is None else [self._actor(a) for a in actors]
        rows = {"actor": [], "period": [], "line": []}
        gcols = self.group_columns
        for g in gcols:
            rows[g] = []
        cols = {n: [] for n in chosen}
        for a in which:
            for i in range(lib.efc_panel_assessment_count(p, a)):
                rows["actor"].append(a)
                rows["period"].append(text(lib.efc_panel_period(p, a, i)))
                rows["line"].append(int(lib.efc_panel_line(p, a, i)))
                for g, name in enumerate(gcols):
                    rows[name].append(text(lib.efc_panel_group(p, a, i, g)))
                for n, k in zip(chosen, idx):
                    cols[n].append(lib.efc_panel_score(p, a, i, k))
        rows["actor"] = self._actor_column(rows["actor"])
        rows["period"] = self._typed(rows["period"])
        rows.update(cols)
        return pd.DataFrame(rows)

    # ---- trajectories ----

    def _trajectories(self, tolerance: Optional[float]):
        """The C trajectories at a tolerance (None: the library's default,
        0.01), made once (the panel never changes)."""
        t = self._trajectories_by_tolerance.get(tolerance)
        if t is None:
            opts = ffi.new("efc_trajectory_options **")
            _call(lib.efc_trajectory_options_create, opts, ffi.NULL)
            opts = ffi.gc(opts[0], lib.efc_trajectory_options_free)
            if tolerance is not None:
                _call(lib.efc_trajectory_options_set_tolerance, opts, tolerance)
            out = ffi.new("efc_trajectories **")
            _call(lib.efc_trajectories_create, out, self._p, opts, ffi.NULL)
            t = ffi.gc(out[0], lib.efc_trajectories_free)
            assert lib.efc_trajectories_panel(t) == self._p
            self._trajectories_by_tolerance[tolerance] = t
        return t

    def trajectory(self, actor: str, node: Optional[str] = None,
                   tolerance: Optional[float] = None) -> dict:
        """One actor's trajectory on one node (default the root) as a dict:
        the metrics of trajectories() and the tolerance used."""
        t = self._trajectories(tolerance)
        a, k = self._actor(actor), self._node(node)
        out = {name: lib.efc_trajectories_value(t, a, k, m) for m, name in enumerate(_TRAJ)}
        out["n"], out["transfers"] = int(out["n"]), int(out["transfers"])
        first = _period_of(self._p, t, a, k, lib.efc_trajectories_first)
        last = _period_of(self._p, t, a, k, lib.efc_trajectories_last)
        out["first_period"], out["last_period"] = (v for v in self._typed([first, last], True))
        out["tolerance"] = lib.efc_trajectories_tolerance(t)
        return out

    def trajectories(self, tolerance: Optional[float] = None, nodes: Optional[Iterable[str]] = None) -> "pd.DataFrame":
        """Each actor's trajectory on each node (the groups by default), one
        row per actor and node: first_period, last_period, n, first, last,
        change, slope (per period unit, per year for dates), steadiness and
        transfers (steps where the node fell by more than `tolerance` while
        its parent rose). The periods of a series without a score are
        missing: whole-number periods are then nullable Int64 (pd.NA),
        dates NaT."""
        import pandas as pd
        t = self._trajectories(tolerance)
        model = self.model
        chosen = list(nodes) if nodes is not None else model.group_ids
        idx = np.array([model._index(n) for n in chosen], dtype=np.int64)
        na, nn = len(self._actors), len(model.node_ids)
        rows = np.ix_(self._order, idx)  # actors in the order of Panel.actors
        data = {name: _fill(lib.efc_trajectories_fill, (na, nn), t, m)[rows].reshape(-1)
                for m, name in enumerate(_TRAJ)}
        index = pd.MultiIndex.from_product([self._actor_column(self._order), chosen],
                                           names=["actor", "node"])
        return pd.DataFrame({"first_period": self._typed_values(data["first_period"], True),
                             "last_period": self._typed_values(data["last_period"], True),
                             "n": data["n"].astype(np.int64), "first": data["first"],
                             "last": data["last"], "change": data["change"],
                             "slope": data["slope"], "steadiness": data["steadiness"],
                             "transfers": data["transfers"].astype(np.int64)}, index=index)

    def transfers(self, tolerance: Optional[float] = None, nodes: Optional[Iterable[str]] = None,
                  actors: Optional[Iterable[str]] = None) -> "pd.DataFrame":
        """The impact transfer steps on `nodes` (the groups by default) of
        `actors` (all by default), one per row: actor, node, parent, the
        periods the step joins, and the node's and parent's scores at both
        ends."""
        import pandas as pd
        t = self._trajectories(tolerance)
        p, m = self._p, self.model._m
        wanted = set(nodes) if nodes is not None else set(self.model.group_ids)
        whose = None if actors is None else {self._actor(a) for a in actors}
        rows = []
        actor, node, a_from, a_to = (ffi.new("size_t *") for _ in range(4))
        for i in range(lib.efc_trajectories_transfer_count(t)):
            _call(lib.efc_trajectories_transfer, actor, node, a_from, a_to, t, i)
            a, k, f, to = actor[0], node[0], a_from[0], a_to[0]
            if (whose is not None and a not in whose) or self.model.node_ids[k] not in wanted:
                continue
            parent = lib.efc_model_node_parent(m, k)
            rows.append({"actor": a, "node": self.model.node_ids[k],
                         "parent": self.model.node_ids[parent],
                         "from_period": text(lib.efc_panel_period(p, a, f)),
                         "to_period": text(lib.efc_panel_period(p, a, to)),
                         "node_from": lib.efc_panel_score(p, a, f, k),
                         "node_to": lib.efc_panel_score(p, a, to, k),
                         "parent_from": lib.efc_panel_score(p, a, f, parent),
                         "parent_to": lib.efc_panel_score(p, a, to, parent)})
        frame = pd.DataFrame(rows, columns=["actor", "node", "parent", "from_period",
                                            "to_period", "node_from", "node_to", "parent_from",
                                            "parent_to"])
        # actors in the order of Panel.actors (the library's transfers follow its order)
        position = np.empty(len(self._order), dtype=np.int64)
        position[self._order] = np.arange(len(self._order))
        frame = frame.iloc[np.argsort(position[frame["actor"].to_numpy(dtype=np.intp)],
                                      kind="stable")].reset_index(drop=True)
        frame["actor"] = self._actor_column(frame["actor"])
        frame["from_period"] = self._typed(list(frame["from_period"]))
        frame["to_period"] = self._typed(list(frame["to_period"]))
        return frame

    # ---- comparisons ----

    def compare(self, a: str, b: str, node: Optional[str] = None,
                nodes: Optional[Iterable[str]] = None) -> "pd.DataFrame":
        """Actors a and b compared on each node (the groups by default):
        change_a, change_b, difference, common_periods, mean_gap, span,
        area. The frame's .attrs["dominance"] says who progressed at least
        as much on every child of `node` (default the root) and more on
        one: "a", "b", "equal", "neither" or "unknown"."""
        import pandas as pd
        opts = ffi.new("efc_comparison_options **")
        _call(lib.efc_comparison_options_create, opts, lib.efc_panel_model(self._p), ffi.NULL)
        opts = ffi.gc(opts[0], lib.efc_comparison_options_free)
        _call(lib.efc_comparison_options_set_node, opts,
              NONE if node is None else self.model._index(node))
        out = ffi.new("efc_comparison **")
        _call(lib.efc_comparison_create, out, self._p, self._actor(a), self._actor(b), opts,
              ffi.NULL)
        c = ffi.gc(out[0], lib.efc_comparison_free)
        chosen = list(nodes) if nodes is not None else self.model.group_ids
        idx = np.array([self.model._index(n) for n in chosen], dtype=np.int64)
        nn = len(self.model.node_ids)
        data = {name: _fill(lib.efc_comparison_fill, (nn,), c, m)[idx]
                for m, name in enumerate(_CMP)}
        data["common_periods"] = data["common_periods"].astype(np.int64)
        frame = pd.DataFrame(data, index=pd.Index(chosen, name="node"))
        frame.attrs["dominance"] = _DOMINANCE[lib.efc_comparison_dominance(c)]
        frame.attrs["dominance_node"] = self.model.node_ids[lib.efc_comparison_node(c)]
        return frame

    # ---- ranks ----

    def _present_period(self, period) -> Optional[str]:
        """A period argument as the text the library reads (None for
        "latest" or None): efc.InvalidValueError for something that is not a
        period, efc.NotFoundError naming it and the panel's periods when no
        actor has an assessment there (a typo, most likely: ranking nobody
        would give a frame of missing values without a word)."""
        if period is None or (isinstance(period, str) and period == "latest"):
            return None
        t = self._period(period)
        for a in range(len(self._actors)):
            if lib.efc_panel_find_period(self._p, a, cstr(t)) != NONE:
                return t
        raise NotFoundError(8, f"no actor has an assessment at period {period_text(period)} "
                               f"({self._period_list()})")

    def _period_list(self) -> str:
        """The panel's periods, for messages: all of them, or the first and
        last few of many."""
        seen: Dict[str, float] = {}
        for a in range(len(self._actors)):
            for i in range(lib.efc_panel_assessment_count(self._p, a)):
                t = text(lib.efc_panel_period(self._p, a, i))
                if t not in seen:
                    seen[t] = lib.efc_panel_period_value(self._p, a, i)
        if not seen:
            return "the panel has no assessment"
        ordered = sorted(seen, key=seen.__getitem__)
        if len(ordered) > 12:
            ordered = ordered[:5] + ["..."] + ordered[-5:]
        return f"the panel's {len(seen)} period{'s' if len(seen) > 1 else ''}: " + \
            ", ".join(ordered)

    def _ranking(self, node, period, decimals=None):
        p = self._present_period(period)
        opts = ffi.new("efc_ranking_options **")
        _call(lib.efc_ranking_options_create, opts, lib.efc_panel_model(self._p), ffi.NULL)
        opts = ffi.gc(opts[0], lib.efc_ranking_options_free)
        _call(lib.efc_ranking_options_set_node, opts, self._node(node))
        _call(lib.efc_ranking_options_set_period, opts, cstr(p))
        if decimals is not None:
            if isinstance(decimals, bool) or not isinstance(decimals, (int, np.integer)):
                raise ArgumentError(1, f"decimals must be a whole number from 0 to 12 or None, "
                                       f"got {decimals!r}")
            _call(lib.efc_ranking_options_set_decimals, opts, int(decimals))
        out = ffi.new("efc_ranking **")
        _call(lib.efc_ranking_create, out, self._p, opts, ffi.NULL)
        return ffi.gc(out[0], lib.efc_ranking_free)

    def rank(self, node: Optional[str] = None, period="latest", *,
             decimals: Optional[int] = None) -> "pd.DataFrame":
        """Actors ranked on `node` (default the root) at `period` (a period,
        or "latest": each actor's own latest assessment), best first with
        competition ranking (1, 2, 2, 4); with `decimals` (0 to 12), of the
        scores rounded half away from zero to that many decimals, as
        published tables print them (ties then share a rank; score and
        change are the rounded ones; efc_ranking_options_set_decimals);
        one row per actor, sorted by rank,
        with the period ranked, the grouping values, score, rank,
        percentile, change (since the actor's first score), change_rank,
        change_percentile, and for each grouping column G the columns
        G_rank, G_percentile, G_change_rank, G_change_percentile and
        G_median (the median score of the actor's group). .attrs["node"]
        names the node ranked. A period no actor has an assessment at
        raises efc.NotFoundError naming it and the panel's periods (as do
        group_stats() and sensitivity()); when actors have one but none has
        a score on the node, every rank is missing, with a warning (as efc
        rank warns)."""
        import pandas as pd
        r = self._ranking(node, period, decimals)
        p = self._p
        na = len(self._actors)
        if na and all(math.isnan(lib.efc_ranking_value(r, a, NONE, lib.EFC_RANK_RANK))
                      for a in range(na)):
            # as efc rank warns: an assessment at the period, but no score
            at = "latest" if self._present_period(period) is None else period_text(period)
            warnings.warn(f"no actor has a score for "
                          f"'{self.model.node_ids[lib.efc_ranking_node(r)]}' at period {at}",
                          stacklevel=2)
        gcols = self.group_columns
        columns = ["actor", "period", *gcols, *_RANK[:6]]
        for name in gcols:
            columns += [f"{name}_{_RANK[m]}" for m in (1, 2, 4, 5)] + [f"{name}_median"]
        na, nn, node = len(self._actors), len(self.model.node_ids), lib.efc_ranking_node(r)
        chosen = [lib.efc_ranking_assessment(r, a) for a in range(na)]
        data = {"actor": np.arange(na),
                "period": [None if i == NONE else text(lib.efc_panel_period(p, a, i))
                           for a, i in enumerate(chosen)]}
        for g, name in enumerate(gcols):
            data[name] = [None if i == NONE else text(lib.efc_panel_group(p, a, i, g))
                          for a, i in enumerate(chosen)]
        for m in range(6):
            data[_RANK[m]] = _fill(lib.efc_ranking_fill, (na,), r, NONE, m)
        for g, name in enumerate(gcols):
            for m in (1, 2, 4, 5):
                data[f"{name}_{_RANK[m]}"] = _fill(lib.efc_ranking_fill, (na,), r, g, m)
            # what a report draws beside the actor: its peers' median
            medians = _fill(lib.efc_ranking_fill_groups, (lib.efc_ranking_group_count(r, g), nn),
                            r, g, lib.EFC_GROUP_MEDIAN)[:, node]
            groups = [lib.efc_ranking_actor_group(r, a, g) for a in range(na)]
            data[f"{name}_median"] = np.array([math.nan if j == NONE else medians[j]
                                               for j in groups], dtype=float)
        frame = pd.DataFrame(data, columns=columns) if na else pd.DataFrame([], columns=columns)
        frame["period"] = self._typed(list(frame["period"]), nullable=True)
        for c in [c for c in frame.columns if c.endswith("rank")]:
            frame[c] = frame[c].astype("Int64")
        frame = self._by_rank(frame, "rank")
        frame.attrs["node"] = self.model.node_ids[lib.efc_ranking_node(r)]
        frame.attrs["period"] = period
        frame.attrs["decimals"] = decimals
        return frame

    def _by_rank(self, frame, rank: str):
        """A frame with a row per actor (column "actor": the library's
        numbers) sorted by `rank`, ties and the unranked in the order of
        Panel.actors, indexed by the actors' ids."""
        position = np.empty(len(self._order), dtype=np.int64)
        position[self._order] = np.arange(len(self._order))
        frame = frame.assign(_position=position[frame["actor"].to_numpy(dtype=np.intp)])
        frame = frame.sort_values([rank, "_position"], na_position="last", kind="stable")
        frame.index = self._actor_column(frame["actor"]).rename("actor")
        return frame.drop(columns=["actor", "_position"])

    def sensitivity(self, node: Optional[str] = None, period="latest", *,
                    weights: Optional[Iterable[str]] = None,
                    aggregations: Optional[Dict[str, Sequence[str]]] = None,
                    spread: Optional[float] = None, dirichlet: Optional[float] = None,
                    samples: int = 1000, seed: int = 1, top: int = 10, threads: int = 0,
                    sobol: bool = False, bootstrap: int = 1000, progress=None,
                    runs: Optional[Tuple[int, int]] = None) -> "Sensitivity":
        """How robust the ranks of rank(node, period) are to the weights:
        `samples` runs, each with new weights for the nodes in `weights`
        (default: the children of `node` and every group below it), each
        weight times 1 + U(-spread, spread) (spread 0.25 by default), or
        with `dirichlet` (a concentration, instead of spread) a Dirichlet
        around each group's nominal shares;
        `aggregations` maps a group to the methods drawn for it ("mean",
        "geomean", "harmonic", "min", "power:P"). With sobol=True, the
        first-order and total Sobol indices of every input on the mean
        absolute rank shift (samples x (inputs + 2) runs, `bootstrap`
        resamples for their intervals). Same seed, same result, whatever
        `threads` (0: one per core). `progress(done, total)` is called as
        runs complete. Returns an efc.Sensitivity: ranks(), sobol(),
        runs(), run_ranks(). With runs=(first, count), only the base runs
        [first, first + count) of the samples (and their rows of B and
        A_B^i): a partial result (.partial), whose statistics are NaN, for
        efc.Sensitivity.merge() to join with the other parts into the
        whole, bit for bit (efc.dask.sensitivity does it on a cluster)."""
        from .sensitivity import Sensitivity
        return Sensitivity._run(self, node, period, weights, aggregations, spread, dirichlet,
                                samples, seed, top, threads, sobol, bootstrap, progress, runs)

    def group_stats(self, node: Optional[str] = None, period="latest",
                    nodes: Optional[Iterable[str]] = None) -> "pd.DataFrame":
        """Per group of each grouping column (and for all actors, with
        group_column and group None), per node (the groups by default): the
        count, min, q1, median, q3, max and mean of the scores at the
        assessments ranked (see rank())."""
        import pandas as pd
        r = self._ranking(node, period)
        chosen = list(nodes) if nodes is not None else self.model.group_ids
        idx = np.array([self.model._index(n) for n in chosen], dtype=np.int64)
        nn = len(self.model.node_ids)
        rows = []
        for g, name in [(NONE, None)] + list(enumerate(self.group_columns)):
            ng = lib.efc_ranking_group_count(r, g)
            # groups x chosen nodes, for each statistic
            tables = [_fill(lib.efc_ranking_fill_groups, (ng, nn), r, g, s)[:, idx]
                      for s in range(len(_STATS))]
            for j in range(ng):
                value = None if g == NONE else text(lib.efc_ranking_group_name(r, g, j))
                for c, n in enumerate(chosen):
                    row = {"group_column": name, "group": value, "node": n}
                    for s, stat in enumerate(_STATS):
                        row[stat] = float(tables[s][j, c])
                    row["count"] = int(row["count"])
                    rows.append(row)
        return pd.DataFrame(rows, columns=["group_column", "group", "node", *_STATS])

    def radar(self, actor: str, period="latest", *, peers: Optional[str] = None,
              medians: bool = True, title: Union[str, bool, None] = None,
              label: Optional[str] = None,
              series: Optional[str] = None, median_series: Optional[str] = None,
              lang: Optional[str] = None) -> "Chart":
        """An actor's radar at `period` (or its latest assessment), drawn
        by the library as efc chart radar draws it (efc.Chart.radar): its
        scores on the model's radar nodes against the median of the actors
        ranked at that period (group_stats) — of all of them, or with
        `peers` (a grouping column) of those sharing the actor's group, as
        efc chart radar --group COL does; medians=False draws none. The
        texts default to efc chart radar's in English: the label, legend
        and title "velo-atelier, scores at 2024" (title=False: no title),
        the median's legend "Peer median (all actors, 14 actors)" or
        "Peer median (sector: mobility, 2 actors)"; with them the SVG is
        the bytes efc chart radar writes."""
        from .chart import Chart
        a = self._actor(actor)
        at = self._present_period(period)
        i = (lib.efc_panel_assessment_count(self._p, a) - 1 if at is None
             else lib.efc_panel_find_period(self._p, a, cstr(at)))
        model = self.model
        nodes = model.radar_nodes
        if i == NONE or i < 0:
            raise NotFoundError(8, f"'{actor}' has no assessment at period "
                                   f"{period_text(period)} ({self._period_list()})")
        scores = {n: float(lib.efc_panel_score(self._p, a, i, model._index(n))) for n in nodes}
        shown = text(lib.efc_panel_period(self._p, a, i))
        med = None
        if medians:
            stats = self.group_stats(model.root, period, nodes=nodes)
            if peers is None:
                rows = stats[stats["group_column"].isna()]
                whose = "all actors"
            else:
                if peers not in self.group_columns:
                    raise NotFoundError(8, f"the panel has no grouping column {peers!r} (its "
                                           f"columns: {', '.join(self.group_columns) or 'none'})")
                g = text(lib.efc_panel_group(self._p, a, i, self.group_columns.index(peers)))
                rows = stats[(stats["group_column"] == peers) & (stats["group"] == g)]
                whose = f"{peers}: {g}"
            med = dict(zip(rows["node"], rows["median"]))
            if median_series is None:
                n = int(rows["count"].iloc[0]) if len(rows) else 0
                median_series = (f"Peer median ({whose}, {n:,} actor"
                                 f"{'' if n == 1 else 's'})")
        who = f"{actor}, scores at {shown}"
        label = label if label is not None else who
        return Chart.radar(model, scores, med,
                           title=None if title is False else label if title in (None, True)
                           else title,
                           label=label, series=series if series is not None else label,
                           median_series=median_series, lang=lang)

    def __repr__(self) -> str:
        return f"<efc.Panel: {len(self._actors)} actors, {len(self)} assessments>"

    # ---- pickling, copies, equality ----

    def _assessments(self) -> tuple:
        """Every assessment as the accessors give it, in panel order:
        (actors, assessments per actor, periods (canonical text), lines,
        grouping values (a tuple per assessment), scores (assessments x
        nodes)). A finalized panel never changes: any thread may read it."""
        p, nn = self._p, len(self.model.node_ids)
        ng = lib.efc_panel_group_column_count(p)
        counts = [int(lib.efc_panel_assessment_count(p, a)) for a in range(len(self._actors))]
        periods, lines, groups = [], [], []
        scores = np.empty((sum(counts), nn))
        r = 0
        for a, count in enumerate(counts):
            for i in range(count):
                periods.append(text(lib.efc_panel_period(p, a, i)))
                lines.append(int(lib.efc_panel_line(p, a, i)))
                groups.append(tuple(text(lib.efc_panel_group(p, a, i, g)) for g in range(ng)))
                scores[r] = [lib.efc_panel_score(p, a, i, k) for k in range(nn)]
                r += 1
        return list(self._actors), counts, periods, lines, groups, scores

    def __reduce__(self):
        state = {"model": self.model, "source": self._source, "groups": self.group_columns,
                 "assessments": self._assessments(), "rejected": self.rejected,
                 "format": self._format,
                 # the ids' values and dtype when they came from a frame's column
                 "ids": None if self._ids.dtype == object else self._ids}
        return (_panel_from_state, (state,))

    def __eq__(self, other: object):
        if not isinstance(other, Panel):
            return NotImplemented
        if other is self:
            return True
        if self.model != other.model or len(self) != len(other) or \
                self._actors != other._actors or self.group_columns != other.group_columns:
            return False
        mine, theirs = self._assessments(), other._assessments()
        return mine[:5] == theirs[:5] and np.array_equal(mine[5], theirs[5], equal_nan=True)

    def __hash__(self) -> int:
        if self._hash is None:  # the panel never changes: hashed once
            import hashlib
            actors, counts, periods, lines, groups, scores = self._assessments()
            h = hashlib.sha256(repr((self.model.sha256, self.group_columns, actors, counts,
                                     periods, lines, groups)).encode("utf-8"))
            # equal scores, equal bytes: one NaN, one zero
            h.update(np.where(np.isnan(scores), np.nan, scores + 0.0).tobytes())
            self._hash = int.from_bytes(h.digest()[:8], "little", signed=True)
        return self._hash


    def _repr_html_(self) -> str:
        """The panel in a notebook: its size, periods and grouping columns,
        then its actors (the first 20 in the order of Panel.actors), each
        with its assessments, first and last period and the latest score
        of the model's root and of its radar nodes (no ranking is run)."""
        p, model = self._p, self.model
        root = model._index(model.root)
        spokes = [(n, model._index(n)) for n in model.radar_nodes if n != model.root]
        gcols = self.group_columns
        rows = []
        for a in list(self._order)[:20]:
            a = int(a)
            count = lib.efc_panel_assessment_count(p, a)
            last = count - 1
            cells = [f"<code>{_html.esc(self._actors[a])}</code>", str(count),
                     _html.esc(text(lib.efc_panel_period(p, a, 0))) if count else "",
                     _html.esc(text(lib.efc_panel_period(p, a, last))) if count else ""]
            cells += [_html.esc(text(lib.efc_panel_group(p, a, last, g))) if count else ""
                      for g in range(len(gcols))]
            cells += [_html.num(lib.efc_panel_score(p, a, last, k)) if count else "\u2013"
                      for k in [root] + [k for _, k in spokes]]
            rows.append(cells)
        kind = self.period_kind
        summary = (f"{len(self._actors)} actors, {len(self)} assessments"
                   + (f", periods as {_html.esc(kind)}s" if kind else "")
                   + f"; {_html.esc(self._period_list())}"
                   + (f"; grouped by {_html.esc(', '.join(gcols))}" if gcols else "")
                   + f"; model {_html.esc(model.source or 'built')}")
        header = (["actor", "assessments", "first", "last", *gcols,
                   f"latest {model.root}", *[n for n, _ in spokes]])
        return _html.box("efc.Panel", summary,
                         _html.table(header, rows, total=len(self._actors)))


def _panel_from_state(state: dict) -> Panel:
    """The reconstructor of pickled panels: a new panel of the model, its
    grouping columns and assessments added back as the accessors gave them
    (canonical periods read back as the same values), then finalized."""
    model = state["model"]
    actors, counts, periods, lines, groups, scores = state["assessments"]
    out = ffi.new("efc_panel **")
    _call(lib.efc_panel_create, out, model._m, ffi.NULL)
    p = ffi.gc(out[0], lib.efc_panel_free)
    _call(lib.efc_panel_set_source, p, cstr(state["source"] or "<panel>"))
    gcols = state["groups"]
    for g in gcols:
        _call(lib.efc_panel_add_group_column, p, cstr(g))
    gbuf = ffi.new("const char *[]", max(len(gcols), 1))
    scores = doubles(scores)  # pickle may give a view at any offset of its stream
    base = scores.__array_interface__["data"][0]
    r = 0
    for actor, count in zip(actors, counts):
        a = cstr(actor)
        for _ in range(count):
            keep = [ffi.new("char[]", cstr(v or "")) for v in groups[r]]  # alive through the call
            for i, c in enumerate(keep):
                gbuf[i] = c
            row = ffi.cast("const double *", base + r * scores.strides[0])
            _call(lib.efc_panel_add, p, a, cstr(periods[r]), gbuf if gcols else ffi.NULL, row,
                  lines[r])
            r += 1
    _call(lib.efc_panel_finalize, p)
    date_format, decimal_comma = state["format"]
    return Panel._wrap(p, model, state["rejected"], date_format, decimal_comma,
                       id_column=state.get("ids"), source=state["source"])


def _in_frame_terms(e: Error, index, ids: Sequence[str], periods: Sequence[str]) -> Error:
    """An error of Panel.from_frame, whose "lines" are frame positions + 1,
    told with the frame's index labels instead. Two rows of one actor and
    period (reason "duplicate_assessment", the first at other_line) are
    named by their labels, the actor and the period taken from the frame:
    no message is read."""

    def label(line) -> str:
        return repr(index[int(line) - 1])

    message = e.message
    if e.reason == "duplicate_assessment" and e.line and e.other_line:
        i = e.line - 1
        message = (f"actor '{ids[i]}' has two assessments for period {periods[i]}, rows with "
                   f"index {label(e.other_line)} and {label(e.line)} "
                   f"(combine the rows of several respondents first)")
    where = f"row with index {label(e.line)}" if e.line else e.source
    return type(e)(e.code, message, e.source, e.line, e.column, e.column_name,
                   f"{where}: {message}", reason=e.reason, other_line=e.other_line,
                   other_column=e.other_column, row=e.line - 1 if e.line else e.row)


def _id_text(v) -> str:
    """An actor id as the panel's text: whole numbers held as floats written
    without ".0" (1.0 is "1")."""
    if isinstance(v, (float, np.floating)) and float(v).is_integer():
        v = int(v)
    return str(v)


def _actor_ids(column, index) -> List[str]:
    """Actor ids as text: never missing (the row is named), whole numbers
    held as floats written without ".0"."""
    out = []
    for label, v in zip(index, column):
        if v is None or (isinstance(v, float) and math.isnan(v)) or str(v) == "<NA>":
            raise InvalidValueError(6, f"row with index {label!r}: the actor's id is missing")
        out.append(_id_text(v))
    return out


def _typed_ids(actors: List[str], column):
    """The actors' ids as a pandas Index in the library's order (its
    actors, `actors`), with the values and dtype of the frame's id column
    they came from (text for a survey), and the order in which to list
    them: the library's (text, sorted as UTF-8 bytes) for text, the values'
    natural order for numbers and dates."""
    import pandas as pd
    order = np.arange(len(actors))
    if column is None or column.dtype == object and all(isinstance(v, str) for v in column):
        return pd.Index(actors, dtype=object), order
    first = {}
    for v in column:
        first.setdefault(_id_text(v), v)
    values = [first[a] for a in actors]
    try:
        ids = pd.Index(pd.array(values, dtype=column.dtype))
    except (TypeError, ValueError):
        ids = pd.Index(values, dtype=object)
    try:
        order = np.argsort(ids.to_numpy(), kind="stable")
    except TypeError:  # ids of several types: the library's order
        pass
    return ids, order


def _canonical_periods(column, index, date_format: str, decimal_comma: bool) -> List[str]:
    """Periods as the canonical text the panel stores, each distinct value
    parsed once; a bad one names its row."""
    seen: Dict[str, str] = {}
    out = []
    for label, v in zip(index, column):
        t = period_text(v)
        if t not in seen:
            try:
                seen[t] = parse_period(t, date_format, decimal_comma)[2]
            except InvalidValueError as e:
                raise InvalidValueError(6, f"row with index {label!r}: {e.message}") from None
        out.append(seen[t])
    return out


def _period_of(p, t, a: int, k: int, which) -> Optional[str]:
    i = which(t, a, int(k))
    return None if i == NONE else text(lib.efc_panel_period(p, a, i))


def _answers(frame, model: Model) -> np.ndarray:
    """The leaves' columns of a frame as a rows x leaves float array (real
    numbers, and text read as Model.score_frame reads it: see
    model._float_column)."""
    _check_columns(frame, model.leaf_ids)
    values = np.full((len(frame), len(model.leaf_ids)), np.nan)
    for j, leaf in enumerate(model.leaf_ids):
        if leaf in frame.columns:
            values[:, j] = _float_column(frame[leaf], leaf, model)
    return values
