"""Indices from indicator data: the composite-indicator pipeline of
efc/index.h (denominate, impute, treat outliers, normalise from the data,
aggregate) run on a whole table of units, with every stage kept as a
pandas frame (docs/python.md, "Indices from indicator data";
docs/concepts.md, "The indicator pipeline")."""
import os
from typing import TYPE_CHECKING, Any, Dict, List, Optional, Sequence, Tuple, Union

import numpy as np

from . import _cfile, _html, _names
from ._lib import NONE, cpath, cstr, doubles, ffi, lib, text
from .errors import ArgumentError, InvalidValueError, check, error_object
from .errors import call as _call
from .errors import fill as _fill
from .model import Model, _check_columns, _float_column

if TYPE_CHECKING:
    import pandas as pd

# the library's names, indexed by value
_STAGES = _names.names("INDEX_STAGE")
_KINDS = _names.names("COLUMN_KIND")
_METRICS = _names.names("TREATMENT_METRIC")
#: The columns of Index.treatment: every efc_treatment_metric, then the transform applied.
TREATMENT_COLUMNS = (*_METRICS, "transform")


def _new_table(fill) -> "Table":
    out = ffi.new("efc_table **")
    err = error_object()
    check(fill(out, err), err)
    return Table._wrap(ffi.gc(out[0], lib.efc_table_free))


class Table:
    """A table of units (rows) and named columns of numbers (float64, NaN
    missing) or texts (None missing), as efc.index() runs the pipeline on.
    Make one with Table.from_frame() or Table.read(); it never changes
    afterwards, so any thread may read it. It pickles as its columns (a
    table read from a file comes back as one built in code: source "" and
    lines 0)."""

    __slots__ = ("_t", "_names", "__weakref__")

    def __init__(self, *args, **kwargs):
        raise TypeError("use Table.from_frame() or Table.read()")

    @classmethod
    def _wrap(cls, ptr) -> "Table":
        self = object.__new__(cls)
        self._t = ptr
        self._names = [text(lib.efc_table_column_name(ptr, c))
                       for c in range(lib.efc_table_column_count(ptr))]
        return self

    @classmethod
    def from_columns(cls, rows: int, columns: Sequence[Tuple[str, Any]]) -> "Table":
        """A table of `rows` rows from (name, values) pairs: a float64 array
        is a column of numbers (NaN missing), a sequence of str or None a
        column of texts. Errors: efc.ArgumentError (an infinite number),
        efc.SurveyError (two columns of one name, reason duplicate_column)."""
        out = ffi.new("efc_table **")
        _call(lib.efc_table_create, out, int(rows), ffi.NULL)
        t = ffi.gc(out[0], lib.efc_table_free)
        for name, values in columns:
            if isinstance(values, np.ndarray) and values.dtype.kind in "biuf":
                a = doubles(values.astype(np.float64, copy=False))
                if len(a) != rows:
                    raise ArgumentError(1, f"column '{name}' has {len(a)} values for {rows} rows")
                _call(lib.efc_table_add_numbers, t, cstr(name),
                      ffi.cast("const double *", a.ctypes.data) if rows else ffi.NULL, 1)
            else:
                items = [None if v is None else v.encode("utf-8", "surrogatepass")
                         for v in values]
                if len(items) != rows:
                    raise ArgumentError(1, f"column '{name}' has {len(items)} values for {rows} rows")
                if any(b"\0" in v for v in items if v is not None):
                    raise ArgumentError(1, f"column '{name}' holds a NUL character",
                                        column_name=name)
                keep = [ffi.NULL if v is None else ffi.new("char[]", v) for v in items]
                _call(lib.efc_table_add_texts, t, cstr(name),
                      ffi.new("const char *[]", keep) if rows else ffi.NULL)
        return cls._wrap(t)

    @classmethod
    def from_frame(cls, frame, model: Optional[Model] = None) -> "Table":
        """A table of a DataFrame's columns (its index is not one: reset it
        first, or let efc.index() do it): numbers as numbers (NaN, None,
        pd.NA missing); text, object and categorical columns as texts. With
        a model, the columns it reads as numbers (its leaves and their
        denominators) are read as numbers even when they hold text, as
        Model.score_frame reads answers (errors name column and row)."""
        import pandas as pd
        from pandas.api import types
        if not isinstance(frame, pd.DataFrame):
            raise ArgumentError(1, f"a Table is made from a pandas DataFrame, not a "
                                   f"{type(frame).__name__}")
        _check_columns(frame, [str(c) for c in frame.columns])
        numeric = set()
        if model is not None:
            numeric = set(model._leaf_ids) | {n.denominator for n in model.nodes
                                              if n.denominator}
        columns = []
        for name in frame.columns:
            col = frame[name]
            name = str(name)
            if isinstance(col.dtype, pd.CategoricalDtype) and name not in numeric:
                values = [None if pd.isna(v) else str(v) for v in col.astype(object)]
            elif types.is_datetime64_any_dtype(col.dtype) and name not in numeric:
                # dates as the library reads periods: YYYY-MM-DD
                from .survey import period_text
                values = [None if pd.isna(v) else period_text(v) for v in col.astype(object)]
            elif types.is_bool_dtype(col.dtype) or (types.is_numeric_dtype(col.dtype) and
                                                    not types.is_complex_dtype(col.dtype)):
                values = col.to_numpy(dtype=np.float64, na_value=np.nan)
                bad = np.flatnonzero(np.isinf(values))
                if len(bad) and name in numeric:
                    raise InvalidValueError(6, f"column '{name}', row {col.index[bad[0]]!r}: "
                                               f"the value {values[bad[0]]} is infinite")
                if len(bad) and model is not None:
                    # a column the model does not read as numbers: kept as
                    # text, as a file's would be
                    values = [None if np.isnan(v) else repr(float(v)) for v in values]
            elif name in numeric:
                values = _float_column(col, name, model)
            else:
                values = [None if _missing(v) else str(v) for v in col.to_numpy(dtype=object)]
            columns.append((name, values))
        return cls.from_columns(len(frame), columns)

    @classmethod
    def read(cls, source, model: Model, *, delimiter: Optional[str] = None,
             encoding: Optional[str] = None, decimal_comma: bool = False,
             na: Union[str, Sequence[str]] = (), name: Optional[str] = None) -> "Table":
        """Read a CSV data file (a path, bytes, or a file object read from
        where Python is) with the reading options of surveys: delimiter
        (detected among , ; tab by default), encoding, decimal_comma, na
        tokens (an empty cell is always missing). The columns the model
        reads as numbers are parsed as numbers: a cell that is not one
        raises efc.InvalidValueError naming file, line and column; every
        other column is kept as text."""
        from .survey import _options
        opts = _options(None, None, (), delimiter, encoding, decimal_comma, "iso", na, False,
                        None, "fail", None, 0)
        m = model._m
        if isinstance(source, (str, os.PathLike)):
            path = cpath(source)
            return _new_table(lambda out, err: lib.efc_table_read_path(out, m, path, opts,
                                                                        ffi.NULL, err))
        if isinstance(source, (bytes, bytearray, memoryview)):
            data = bytes(source)
            label = name or "<bytes>"
        else:
            if _cfile.is_text(source) and encoding not in (None, "auto", "utf-8", "utf8"):
                raise ArgumentError(1, f"encoding {encoding!r} is for binary sources: a text "
                                       f"file object is read as the text Python decodes")
            data = _cfile.read_rest(source)
            label = name or getattr(source, "name", None) or "<stream>"
        buf, cname = ffi.from_buffer(data), cstr(str(label))
        return _new_table(lambda out, err: lib.efc_table_read_buffer(
            out, m, buf, len(data), cname, opts, ffi.NULL, err))

    # ---- reading it ----

    @property
    def rows(self) -> int:
        return int(lib.efc_table_rows(self._t))

    def __len__(self) -> int:
        return self.rows

    @property
    def columns(self) -> List[str]:
        """The column names, in order."""
        return list(self._names)

    @property
    def source(self) -> str:
        """The file the table was read from ("" when built in code)."""
        return text(lib.efc_table_source(self._t)) or ""

    @property
    def lines(self) -> np.ndarray:
        """The file line of each row (0 for a table built in code)."""
        return np.array([lib.efc_table_line(self._t, r) for r in range(self.rows)],
                        dtype=np.int64)

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and lib.efc_table_find(self._t, cstr(name)) != NONE

    def _col(self, name: str) -> int:
        c = lib.efc_table_find(self._t, cstr(name))
        if c == NONE:
            from .errors import NotFoundError
            raise NotFoundError(8, f"the table has no column '{name}'")
        return c

    def kind(self, name: str) -> str:
        """"number" or "text" (the library's names of efc_column_kind)."""
        return _KINDS[lib.efc_table_column_kind(self._t, self._col(name))]

    def column(self, name: str) -> Union[np.ndarray, List[Optional[str]]]:
        """A column: a float64 array (a copy) or a list of str and None."""
        c, n = self._col(name), self.rows
        if lib.efc_table_column_kind(self._t, c) == lib.EFC_COLUMN_NUMBER:
            p = lib.efc_table_numbers(self._t, c)
            if n == 0 or p == ffi.NULL:
                return np.empty(0)
            return np.frombuffer(ffi.buffer(p, n * 8), dtype=np.float64).copy()
        return [text(lib.efc_table_text(self._t, c, r)) for r in range(n)]

    def cell(self, name: str, row: int) -> Union[float, Optional[str]]:
        """One cell: a float (NaN missing) or a str (None missing)."""
        c = self._col(name)
        if not 0 <= row < self.rows:
            raise IndexError(f"row {row} is not in the table")
        if lib.efc_table_column_kind(self._t, c) == lib.EFC_COLUMN_NUMBER:
            return float(lib.efc_table_number(self._t, c, row))
        return text(lib.efc_table_text(self._t, c, row))

    def to_frame(self) -> "pd.DataFrame":
        """The table as a DataFrame (numbers as float64, texts as objects)."""
        import pandas as pd
        return pd.DataFrame({n: self.column(n) for n in self._names},
                            columns=list(self._names), index=pd.RangeIndex(self.rows))

    def __reduce__(self):
        return (_table_from_columns, (self.rows, [(n, self.column(n)) for n in self._names]))

    def __repr__(self) -> str:
        return (f"<efc.Table{' ' + repr(self.source) if self.source else ''}: {self.rows} rows, "
                f"{len(self._names)} columns>")


def _table_from_columns(rows: int, columns) -> Table:
    """The reconstructor of pickled tables."""
    return Table.from_columns(rows, columns)


def _missing(v) -> bool:
    if v is None:
        return True
    try:
        import pandas as pd
        return bool(pd.isna(v)) if np.ndim(v) == 0 else False
    except (TypeError, ValueError):
        return False


def _as_table_frame(frame, id: str, period: Optional[str]):
    """The frame with the id (and period) as columns: taken from the
    frame's index when they are not columns (a level of that name, or a
    single-level index, named `id`)."""
    import pandas as pd
    names = [n for n in (id, period) if n is not None]
    if all(n in frame.columns for n in names):
        return frame
    levels = [n for n in names if n not in frame.columns and n in frame.index.names]
    if levels:
        frame = frame.reset_index(level=levels)
    if id not in frame.columns and not isinstance(frame.index, pd.MultiIndex):
        frame = frame.rename_axis(id).reset_index()
    return frame


def _index_options(id: str, period: Optional[str], screen: float, threads: int = 0,
                   reference_period: Optional[str] = None, keep_steps: bool = True):
    out = ffi.new("efc_index_options **")
    _call(lib.efc_index_options_create, out, ffi.NULL)
    o = ffi.gc(out[0], lib.efc_index_options_free)
    _call(lib.efc_index_options_set_id_column, o, cstr(id))
    if period is not None:
        _call(lib.efc_index_options_set_period_column, o, cstr(period))
    _call(lib.efc_index_options_set_screen, o, float(screen))
    _call(lib.efc_index_options_set_threads, o, int(threads))
    if reference_period is not None:
        _call(lib.efc_index_options_set_reference_period, o, cstr(str(reference_period)))
    _call(lib.efc_index_options_set_keep_steps, o, 1 if keep_steps else 0)
    return o


def index(data, model: Union[Model, str, os.PathLike], *, id: str = "id",
          period: Optional[str] = None, screen: float = 0.0,
          delimiter: Optional[str] = None, encoding: Optional[str] = None,
          decimal_comma: bool = False, na: Union[str, Sequence[str]] = (),
          name: Optional[str] = None, threads: int = 0,
          reference_period: Optional[str] = None, keep_steps: bool = True) -> "Index":
    """Run the composite-indicator pipeline of `model` (an efc.Model, or a
    codebook path) on indicator data: every leaf's column denominated,
    imputed, treated and normalised as the model's steps say, then
    aggregated by its groups (efc_index_run).

    `data` is a pandas DataFrame (numbers as numbers, NaN/None missing;
    text, object and categorical columns as texts; the `id` column, or
    when there is none the frame's index, names the units), a path to a CSV
    data file, bytes of one, or a file object (read with `delimiter`,
    `encoding`, `decimal_comma` and `na` tokens, as efc.Survey reads them;
    `name` names bytes or a stream in errors), or an efc.Table. `period`
    names the period column of a panel in long format: each (unit, period)
    is a row of the stages. `screen` (0..1) leaves out the rows with less
    than that share of the leaves present (listed in Index.screened).
    `reference_period` fits every data-driven parameter on the rows of that
    period (as the period column writes it; a number is written as pandas
    prints it, e.g. 2018) and measures every period with them, so that later
    periods keep its yardstick.
    `threads` (0: one per core) runs the leaves in parallel on large
    tables; the result, and any error, are the same whatever it is.
    `keep_steps=False` keeps only the normalised and aggregated stages
    (about half the memory on large tables, and faster): the other stages
    then raise efc.ArgumentError; everything else is the same.

    Errors raise efc.Error subclasses: efc.SurveyError for a missing leaf
    or id column or a duplicate unit (reason duplicate_assessment),
    efc.InvalidValueError for a cell that is not a number (file, line and
    column) or a step that cannot be applied."""
    import pandas as pd
    if not isinstance(model, Model):
        model = Model.from_codebook(model)
    keys = None
    if isinstance(data, Table):
        table = data
    elif isinstance(data, pd.DataFrame):
        frame = _as_table_frame(data, id, period)
        table = Table.from_frame(frame, model)
        keys = (frame[id].to_numpy() if id in frame.columns else None,
                frame[period].to_numpy() if period is not None and period in frame.columns
                else None)
    else:
        table = Table.read(data, model, delimiter=delimiter, encoding=encoding,
                           decimal_comma=decimal_comma, na=na, name=name)
    if isinstance(threads, bool) or not isinstance(threads, int) or not 0 <= threads <= 1024:
        raise ArgumentError(1, f"threads must be 0 (one per core) to 1024, got {threads!r}")
    ref = reference_period
    if ref is not None and not isinstance(ref, str):
        # as the library writes the period column: 2018 (not 2018.0), dates
        # and Timestamps as YYYY-MM-DD
        from .survey import period_text
        ref = period_text(ref)
    if not isinstance(keep_steps, bool):
        raise ArgumentError(1, f"keep_steps must be True or False, got {keep_steps!r}")
    return Index._run(model, table, id, period, float(screen), keys, threads, ref, keep_steps)


class Index:
    """The product of efc.index(): every stage of every unit kept.

    stage(name) gives a stage as a DataFrame (rows: the units, indexed by
    id, or by (id, period) for a panel; columns: the leaves, or for
    "aggregated" the leaves then the groups bottom-up, the root last);
    raw, denominated, imputed, treated, normalised and aggregated are
    shorthands. imputed_cells flags the imputed cells, treatment says what
    the outlier treatment of each leaf did, screened lists the rows left
    out. An Index never changes: any thread may read it at once. It
    pickles as its model, its table and its options, and is run again on
    unpickling: the pipeline is deterministic, so the frames are the same
    bits."""

    __slots__ = ("_ix", "_model", "_table", "_opts", "_keys", "_units", "_periods",
                 "__weakref__")

    def __init__(self, *args, **kwargs):
        raise TypeError("use efc.index()")

    @classmethod
    def _run(cls, model: Model, table: Table, id: str, period: Optional[str], screen: float,
             keys=None, threads: int = 0, reference_period: Optional[str] = None,
             keep_steps: bool = True) -> "Index":
        opts = _index_options(id, period, screen, threads, reference_period, keep_steps)
        out = ffi.new("efc_index **")
        _call(lib.efc_index_run, out, model._m, table._t, opts)
        ix = ffi.gc(out[0], lib.efc_index_free)
        self = object.__new__(cls)
        self._ix = ix
        # the index's own copy of the model, kept alive by its wrapper's
        # destructor, which holds the index
        copy = ffi.gc(lib.efc_index_model(ix), lambda _m, owner=ix: None)
        self._model = Model._wrap(copy, owned=True)
        self._table = table
        self._opts = (id, period, screen, reference_period, keep_steps)
        self._keys = keys  # the frame's own id and period values, by table row
        n = lib.efc_index_unit_count(ix)
        rows = [int(lib.efc_index_unit_row(ix, u)) for u in range(n)]
        self._units = self._key(0, rows, [text(lib.efc_index_unit_id(ix, u)) for u in range(n)])
        self._periods = None if period is None else self._key(
            1, rows, [text(lib.efc_index_unit_period(ix, u)) for u in range(n)])
        return self

    def _key(self, which: int, rows: List[int], texts: List[Optional[str]]) -> list:
        """Ids or periods: the frame's values when the data was a frame,
        else the texts as written."""
        values = None if self._keys is None else self._keys[which]
        if values is None:
            return texts
        import pandas as pd
        return pd.Index(values[np.asarray(rows, dtype=np.intp)]).tolist()

    # ---- what it holds ----

    @property
    def model(self) -> Model:
        """The model the index was run with (its own copy)."""
        return self._model

    @property
    def table(self) -> Table:
        """The data the index was run on."""
        return self._table

    @property
    def id_column(self) -> str:
        return self._opts[0]

    @property
    def period_column(self) -> Optional[str]:
        return self._opts[1]

    @property
    def screen(self) -> float:
        return self._opts[2]

    @property
    def units(self) -> list:
        """The units kept (rows not screened out), in the data's order: their ids."""
        return list(self._units)

    @property
    def periods(self) -> Optional[list]:
        """Each unit's period (None without a period column)."""
        return None if self._periods is None else list(self._periods)

    def __len__(self) -> int:
        return len(self._units)

    def _row_index(self):
        import pandas as pd
        if self._periods is None:
            return pd.Index(self._units, name=self._opts[0])
        return pd.MultiIndex.from_arrays([self._units, self._periods],
                                         names=[self._opts[0], self._opts[1]])

    def _stage_nodes(self, stage: int) -> List[int]:
        """The node numbers of a stage's columns: the leaves, then for the
        aggregated stage the groups bottom-up, as efc index writes them: by
        height (a group after all its descendants), in node order at each
        height, the root last."""
        m = self._model
        leaves = [m._index(leaf) for leaf in m._leaf_ids]
        if stage != lib.EFC_STAGE_AGGREGATED:
            return leaves

        # a group's height: its longest path down to a leaf (iterative, as
        # the CLI computes it: no recursion on deep trees)
        height: Dict[int, int] = {}
        for leaf in leaves:
            d, k = 0, lib.efc_model_node_parent(m._m, leaf)
            while k != NONE:
                d += 1
                if height.get(k, 0) < d:
                    height[k] = d
                k = lib.efc_model_node_parent(m._m, k)
        groups = [m._index(g) for g in m._group_ids]
        return leaves + sorted(groups, key=lambda k: (height.get(k, 0), k))

    def stage(self, name: str) -> "pd.DataFrame":
        """A stage as a DataFrame: "raw", "denominated", "imputed",
        "treated", "normalised" (the leaves) or "aggregated" (the leaves as
        normalised, then every group bottom-up, the root last); NaN where
        a value is missing."""
        import pandas as pd
        stage = _names.word("INDEX_STAGE", "stage", name)
        nodes = self._stage_nodes(stage)
        n, total = len(self._units), len(self._model._ids)
        if n:
            values = _fill(lib.efc_index_fill, (n, total), self._ix, stage)[:, nodes]
        else:
            values = np.empty((0, len(nodes)))
        ids = self._model._ids
        return pd.DataFrame(values, index=self._row_index(),
                            columns=pd.Index([ids[k] for k in nodes]))

    @property
    def raw(self) -> "pd.DataFrame":
        return self.stage(_STAGES[lib.EFC_STAGE_RAW])

    @property
    def denominated(self) -> "pd.DataFrame":
        return self.stage(_STAGES[lib.EFC_STAGE_DENOMINATED])

    @property
    def imputed(self) -> "pd.DataFrame":
        return self.stage(_STAGES[lib.EFC_STAGE_IMPUTED])

    @property
    def treated(self) -> "pd.DataFrame":
        return self.stage(_STAGES[lib.EFC_STAGE_TREATED])

    @property
    def normalised(self) -> "pd.DataFrame":
        return self.stage(_STAGES[lib.EFC_STAGE_NORMALISED])

    @property
    def aggregated(self) -> "pd.DataFrame":
        return self.stage(_STAGES[lib.EFC_STAGE_AGGREGATED])

    @property
    def imputed_cells(self) -> "pd.DataFrame":
        """True for each cell that was imputed (the shape of a leaf stage)."""
        import pandas as pd
        leaves = self._stage_nodes(lib.EFC_STAGE_RAW)
        flags = np.array([[bool(lib.efc_index_imputed(self._ix, u, k)) for k in leaves]
                          for u in range(len(self._units))], dtype=bool).reshape(
                              len(self._units), len(leaves))
        return pd.DataFrame(flags, index=self._row_index(),
                            columns=pd.Index(list(self._model._leaf_ids)))

    @property
    def imputed_count(self) -> int:
        """How many cells were imputed in all."""
        return int(lib.efc_index_imputed_count(self._ix))

    @property
    def treatment(self) -> "pd.DataFrame":
        """What the outlier treatment of each leaf did (rows: the leaves):
        every efc_treatment_metric by the library's names (low and high:
        points winsorised at each end; skew and kurtosis before and after;
        lower and upper after winsorising; lambda of Box-Cox; shift of a
        log), then `transform`, the transform applied (none, winsorise,
        log, boxcox)."""
        import pandas as pd
        leaves = self._stage_nodes(lib.EFC_STAGE_RAW)
        data: Dict[str, Any] = {
            metric: [lib.efc_index_treatment_value(self._ix, k, i) for k in leaves]
            for i, metric in enumerate(_METRICS)}
        data["transform"] = [_names.name("TREAT", lib.efc_index_treatment(self._ix, k))
                             for k in leaves]
        return pd.DataFrame(data, index=pd.Index(list(self._model._leaf_ids), name="leaf"),
                            columns=list(TREATMENT_COLUMNS))

    @property
    def screened(self) -> "pd.DataFrame":
        """The rows screened out, in the data's order: id, period (None
        without a period column) and share (of the leaves present)."""
        import pandas as pd
        ix = self._ix
        n = lib.efc_index_screened_count(ix)
        rows = [int(lib.efc_index_screened_row(ix, i)) for i in range(n)]
        ids = self._key(0, rows, [text(lib.efc_index_screened_id(ix, i)) for i in range(n)])
        periods = [text(lib.efc_index_screened_period(ix, i)) for i in range(n)]
        if self._opts[1] is not None:
            periods = self._key(1, rows, periods)
        return pd.DataFrame({"id": pd.Series(ids, dtype=object),
                             "period": pd.Series(periods, dtype=object),
                             "share": pd.Series([lib.efc_index_screened_share(ix, i)
                                                 for i in range(n)], dtype=np.float64)},
                            columns=["id", "period", "share"])

    def fitted_model(self) -> Model:
        """The fitted model of this run (efc_index_fitted_model): the model
        with every parameter the data gave written into its steps (mean and
        median imputations as value:V, the group ones as group_value, a
        winsorisation as clamp:LO:HI or shiftlog:LO:PAD, an estimated
        Box-Cox as boxcox:λ, each normalisation with its observed
        parameters). Run with efc.index() on these units it gives the same
        bits at every stage; on new units it measures them against the
        fitted population. Its codebook (Model.to_codebook) keeps it.
        efc.ModelError (reason needs_index) when a leaf is normalised by
        rank or percentile or a group aggregates by copeland: they compare
        a unit with the others scored with it and cannot be frozen."""
        out = ffi.new("efc_model **")
        _call(lib.efc_index_fitted_model, out, self._ix, ffi.NULL)
        return Model._wrap(out[0])

    # ---- pickling and display ----

    def __reduce__(self):
        return (_index_from_state, ({"model": self._model, "table": self._table,
                                     "options": self._opts, "keys": self._keys},))

    def __copy__(self) -> "Index":
        return self  # immutable

    def __deepcopy__(self, memo) -> "Index":
        return self

    def _treated_leaves(self) -> int:
        return sum(1 for k in self._stage_nodes(lib.EFC_STAGE_RAW)
                   if lib.efc_index_treatment(self._ix, k) not in (lib.EFC_TREAT_NONE, -1))

    def __repr__(self) -> str:
        return (f"<efc.Index: {len(self._units)} units, {len(self._model._leaf_ids)} leaves, "
                f"{self.imputed_count} imputed cells, "
                f"{lib.efc_index_screened_count(self._ix)} screened out>")

    def _repr_html_(self) -> str:
        """The index in a notebook: a short summary table (units, periods,
        leaves, imputed cells, treated leaves, screened units) and the model."""
        periods = sorted({str(p) for p in self._periods}) if self._periods is not None else []
        rows = [("units", _html.num(len(self._units))),
                *([("periods", _html.esc(", ".join(periods[:12]) +
                                         (" \u2026" if len(periods) > 12 else "")))]
                  if self._periods is not None else []),
                ("leaves", _html.num(len(self._model._leaf_ids))),
                ("groups", _html.num(len(self._model._group_ids))),
                ("imputed cells", _html.num(self.imputed_count)),
                ("treated leaves", _html.num(self._treated_leaves())),
                ("screened units", _html.num(lib.efc_index_screened_count(self._ix)))]
        summary = (f"model {_html.esc(self._model.source or 'built')}, root "
                   f"<code>{_html.esc(self._model.root)}</code>"
                   + (f", data {_html.esc(self._table.source)}" if self._table.source else ""))
        return _html.box("efc.Index", summary,
                         _html.table(("", ""), ((_html.esc(k), v) for k, v in rows)))


def _index_from_state(state: dict) -> Index:
    """The reconstructor of pickled indices: the pipeline run again on the
    same model, data and options."""
    # indices pickled before reference periods, and before keep_steps
    opts = tuple(state["options"]) + (None, True)[len(state["options"]) - 3:]
    id, period, screen, ref, keep = opts[:5]
    return Index._run(state["model"], state["table"], id, period, screen, state["keys"],
                      reference_period=ref, keep_steps=keep)
