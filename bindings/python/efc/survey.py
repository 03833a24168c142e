"""Survey files read through the C reader: every dialect, encoding and
option of `efc score`, streamed in batches of rows into pandas frames, with
the rejected rows kept in skip mode."""
import os
import weakref
from dataclasses import dataclass
from typing import TYPE_CHECKING, Iterator, List, Optional, Sequence, Tuple, Union

import numpy as np

from . import _cfile, _names
from ._guard import Guard, locked
from ._lib import NONE, cpath, cstr, ffi, lib, text
from .errors import ArgumentError, StateError, check, error_object
from .errors import call as _call
from .model import Model, _missing_items

if TYPE_CHECKING:
    import pandas as pd

_CLOSED = "the survey is closed"  # why calls are refused after close()


def _free(guard, survey, batch, file, keep) -> None:
    """Free a survey's C objects: the survey first (it joins its reader
    thread, which reads the stream, or the bytes `keep`, and fills the
    batch), then its batch and the stream (see Survey.__init__). `keep` is
    an argument so that the bytes outlive the reader thread."""
    if not guard.may_free():
        return  # a forked child: the reader thread is the parent's; leave it all
    lib.efc_survey_free(survey)
    lib.efc_batch_free(batch[0])
    _close_file(file)


def _close_file(file) -> None:
    f, fp = file
    if fp is not None:
        file[0] = file[1] = None
        _cfile.close_stream(f, fp, "rb")




@dataclass(frozen=True)
class Counts:
    """The accounts of a survey read so far (efc_survey_rows_* and the like)."""

    rows_read: int  # data rows (the header and rows of empty fields are not)
    rows_rejected: int
    rows_out: int  # rows handed out (combined rows count once)
    values_clamped: int
    rows_empty: int  # rows of empty fields, skipped
    group_conflicts: int  # combined rows whose grouping values differed
    bytes_read: int


def _options(id, period, groups, delimiter, encoding, decimal_comma, date_format, na,
             strict_range, combine, on_error, max_field, threads, labels=False):
    out = ffi.new("efc_survey_options **")
    _call(lib.efc_survey_options_create, out, ffi.NULL)
    o = ffi.gc(out[0], lib.efc_survey_options_free)
    if id is not None:
        _call(lib.efc_survey_options_set_id_column, o, cstr(id))
    if period is not None:
        _call(lib.efc_survey_options_set_period_column, o, cstr(period))
    for g in ([groups] if isinstance(groups, str) else groups):
        _call(lib.efc_survey_options_add_group_column, o, cstr(g))
    if delimiter is not None:
        names = {"comma": ",", "semicolon": ";", "tab": "\t", "pipe": "|"}
        d = names.get(delimiter, delimiter)
        if len(d) != 1:
            raise ArgumentError(1, f"delimiter {delimiter!r} is not one character")
        _call(lib.efc_survey_options_set_delimiter, o, d.encode("latin-1"))
    if encoding is not None:
        _call(lib.efc_survey_options_set_encoding, o,
              _names.word("ENCODING", "encoding", encoding))
    if decimal_comma:
        _call(lib.efc_survey_options_set_decimal_comma, o, 1)
    _call(lib.efc_survey_options_set_date_format, o,
          _names.word("DATE_FORMAT", "date_format", date_format))
    for token in ([na] if isinstance(na, str) else na):
        _call(lib.efc_survey_options_add_na_token, o, cstr(token))
    if strict_range:
        _call(lib.efc_survey_options_set_strict_range, o, 1)
    if labels:
        _call(lib.efc_survey_options_set_labels, o, 1)
    _call(lib.efc_survey_options_set_combine, o,
          lib.EFC_COMBINE_NONE if combine is None else _names.word("COMBINE", "combine", combine))
    _call(lib.efc_survey_options_set_on_error, o, _names.word("ON_ERROR", "on_error", on_error))
    if max_field is not None:
        _call(lib.efc_survey_options_set_max_field, o, max_field)
    _call(lib.efc_survey_options_set_threads, o, threads)
    return o


class Survey:
    """A survey file open for reading, in batches, with a model.

    `source` is a path, a file object (read from where Python is: a
    seekable or unbuffered binary file is streamed through its descriptor,
    anything else, text files and pipes included, read whole through
    read()) or bytes. The keyword
    options are those of `efc score` (docs/survey.md): id, period and groups
    name columns; delimiter (detected among , ; tab by default), encoding,
    decimal_comma, date_format ("iso" or "dmy"), na tokens, strict_range,
    labels (answers that are not numbers read as the texts of the items'
    levels, as efc score --labels), combine (None, "mean", "median"), on_error ("fail" or "skip"),
    max_field (bytes), threads (0: as many as useful; results never depend
    on it). Errors raise efc.Error subclasses naming file, line and column.

    Iterating gives one DataFrame per batch (see frame()); use it as a
    context manager, or call close(). Calls from several threads are
    serialised by the survey's lock (each iterated batch goes to one
    thread); in a forked child every call raises efc.StateError.
    """

    def __init__(self, source, model: Optional[Model] = None, *, id: Optional[str] = None,
                 period: Optional[str] = None, groups: Union[str, Sequence[str]] = (),
                 delimiter: Optional[str] = None, encoding: Optional[str] = None,
                 decimal_comma: bool = False, date_format: str = "iso",
                 na: Union[str, Sequence[str]] = (), strict_range: bool = False,
                 labels: bool = False,
                 combine: Optional[str] = None, on_error: str = "fail",
                 max_field: Optional[int] = None, threads: int = 0,
                 name: Optional[str] = None, batch_size: int = 512,
                 coverage: bool = False, items: bool = False, answers: bool = False):
        self.model = model if model is not None else Model.default()
        self._coverage, self._items, self._answers = coverage, items, answers
        self._name = str(source) if isinstance(source, (str, os.PathLike)) else \
            str(name or getattr(source, "name", None) or
                ("<bytes>" if isinstance(source, (bytes, bytearray, memoryview)) else "<stream>"))
        self._keep = None  # bytes the C reader reads in place
        text_source = not isinstance(source, (str, os.PathLike, bytes, bytearray, memoryview)) \
            and _cfile.is_text(source)
        if text_source and encoding not in (None, "auto", "utf-8", "utf8"):
            # Python has decoded it already: the C reader gets its UTF-8
            raise ArgumentError(1, f"encoding {encoding!r} is for binary sources: a text file "
                                   f"object is read as the text Python decodes (open the file "
                                   f"in binary mode to have it decoded as {encoding})")
        opts = _options(id, period, groups, delimiter, encoding, decimal_comma, date_format, na,
                        strict_range, combine, on_error, max_field, threads, labels)
        # combined rows carry their respondents: any method but the library's "none"
        self._combined = combine is not None and \
            _names.word("COMBINE", "combine", combine) != lib.EFC_COMBINE_NONE
        out = ffi.new("efc_survey **")
        err = error_object()
        m = self.model._m
        source_file, fp = None, None
        if isinstance(source, (str, os.PathLike)):
            st = lib.efc_survey_open_path(out, m, cpath(source), opts, ffi.NULL, err)
        elif isinstance(source, (bytes, bytearray, memoryview)):
            self._keep = bytes(source)
            st = lib.efc_survey_open_buffer(out, m, ffi.from_buffer(self._keep), len(self._keep),
                                            cstr(name or "<bytes>"), opts, ffi.NULL, err)
        elif _cfile.streams(source, "r"):
            source_file, fp = source, _cfile.open_stream(source, "rb")
            label = name or getattr(source, "name", None) or "<stream>"
            st = lib.efc_survey_open_file(out, m, fp, cstr(str(label)), opts, ffi.NULL, err)
        else:
            # from where Python is, with what it has buffered ahead
            self._keep = _cfile.read_rest(source)
            label = name or getattr(source, "name", None) or "<stream>"
            st = lib.efc_survey_open_buffer(out, m, ffi.from_buffer(self._keep), len(self._keep),
                                            cstr(str(label)), opts, ffi.NULL, err)
        if st:
            if fp is not None:
                _cfile.close_stream(source_file, fp, "rb")
            check(st, err)
        self._s = out[0]
        # the name the library gives the source in messages (panels keep it)
        self._name = (os.fsdecode(source) if isinstance(source, (str, os.PathLike)) else
                      name or "<bytes>" if isinstance(source, (bytes, bytearray, memoryview))
                      else str(label))
        # one finalizer frees the survey (stopping its reader thread) before
        # the batch and the stream that thread reads, whether by close() or
        # the garbage collector; never in a forked child (see _guard)
        self._guard = Guard("survey", parent_only=True)
        self._file = [source_file, fp]  # the stream, until the end is read
        batch = [ffi.NULL]
        self._free = weakref.finalize(self, _free, self._guard, self._s, batch, self._file,
                                      self._keep)
        bout = ffi.new("efc_batch **")
        _call(lib.efc_batch_create, bout, self._s, batch_size, ffi.NULL)
        self._b = batch[0] = bout[0]
        self._done = False

    # ---- the header ----

    @property
    @locked
    def columns(self) -> List[str]:
        """The header's column names."""
        return [text(lib.efc_survey_column_name(self._s, c))
                for c in range(lib.efc_survey_column_count(self._s))]

    def _col(self, c) -> Optional[str]:
        return None if c == NONE else text(lib.efc_survey_column_name(self._s, c))

    @property
    @locked
    def id_column(self) -> str:
        return self._col(lib.efc_survey_id_column(self._s))

    @property
    @locked
    def period_column(self) -> Optional[str]:
        return self._col(lib.efc_survey_period_column(self._s))

    @property
    @locked
    def group_columns(self) -> List[str]:
        return [self._col(lib.efc_survey_group_column(self._s, i))
                for i in range(lib.efc_survey_group_count(self._s))]

    @property
    @locked
    def leaf_columns(self) -> List[Optional[str]]:
        """For each leaf of the model, the column it is read from (None: missing)."""
        cols: List[Optional[str]] = [None] * len(self.model.leaf_ids)
        for c in range(lib.efc_survey_column_count(self._s)):
            j = lib.efc_survey_column_leaf(self._s, c)
            if j != NONE:
                cols[j] = self._col(c)
        return cols

    @property
    @locked
    def missing_items(self) -> List[str]:
        """Leaves without a column: scored as missing (a warning)."""
        leaves = self.model.leaf_ids
        return [leaves[lib.efc_survey_missing_leaf(self._s, i)]
                for i in range(lib.efc_survey_missing_leaf_count(self._s))]

    @property
    @locked
    def ignored_columns(self) -> List[str]:
        """Columns that are neither a leaf nor the id, period or a group."""
        return [self._col(lib.efc_survey_ignored_column(self._s, i))
                for i in range(lib.efc_survey_ignored_column_count(self._s))]

    @property
    @locked
    def delimiter(self) -> str:
        return lib.efc_survey_delimiter(self._s).decode("latin-1")

    @property
    @locked
    def period_kind(self) -> Optional[str]:
        """"number", "date", or None (no period column, or none seen yet)."""
        k = lib.efc_survey_period_kind(self._s)
        return None if k == lib.EFC_PERIOD_NONE else _names.name("PERIOD_KIND", k)

    @property
    @locked
    def counts(self) -> Counts:
        s = self._s
        return Counts(lib.efc_survey_rows_read(s), lib.efc_survey_rows_rejected(s),
                      lib.efc_survey_rows_out(s), lib.efc_survey_clamped_count(s),
                      lib.efc_survey_rows_empty(s), lib.efc_survey_group_conflicts(s),
                      lib.efc_survey_bytes_read(s))

    # ---- reading ----

    @locked
    def read_batch(self) -> bool:
        """Read the next batch into the survey's batch; False at the end."""
        if self._done:
            return False
        _call(lib.efc_survey_read, self._b, self._s)
        if lib.efc_batch_rows(self._b) == 0 and lib.efc_batch_rejected_count(self._b) == 0:
            self._done = True
            _close_file(self._file)  # the reader thread has ended: its stream may go
            return False
        return True

    @locked
    def frame(self) -> "pd.DataFrame":
        """The current batch as a DataFrame indexed by source line ("line"):
        the id, period and grouping columns under their names (periods as
        numbers or dates), `respondents` when rows are combined, one column
        per group of the model, then `<group>_coverage`, `<leaf>_norm` and
        the answers read under the leaves' ids when asked at opening
        (coverage, items, answers). Its .attrs["rejected"] holds the batch's
        rejected rows (rejected_frame()), .attrs["clamped"] the number of
        values clamped to their goalposts."""
        import pandas as pd
        b, m = self._b, self.model
        n = lib.efc_batch_rows(b)
        nodes = len(m.node_ids)
        data = {}
        data[self.id_column] = [text(lib.efc_batch_id(b, r)) for r in range(n)]
        if self.period_column is not None:
            data[self.period_column] = _periods(b, n, self.period_kind)
        for g, col in enumerate(self.group_columns):
            data[col] = [text(lib.efc_batch_group(b, r, g)) for r in range(n)]
        if self._combined:
            data["respondents"] = _array(lib.efc_batch_respondent_counts(b), n, "size_t")
        scores = np.frombuffer(ffi.buffer(lib.efc_batch_scores(b), n * nodes * 8)).reshape(
            n, nodes) if n else np.empty((0, nodes))
        index = {node_id: k for k, node_id in enumerate(m.node_ids)}
        for g in m.group_ids:
            data[g] = scores[:, index[g]].copy()
        if self._coverage and n:
            cov = np.frombuffer(ffi.buffer(lib.efc_batch_coverages(b), n * nodes * 8)).reshape(
                n, nodes)
            for g in m.group_ids:
                data[g + "_coverage"] = cov[:, index[g]].copy()
        elif self._coverage:
            for g in m.group_ids:
                data[g + "_coverage"] = np.empty(0)
        if self._items:
            for leaf in m.leaf_ids:
                data[leaf + "_norm"] = scores[:, index[leaf]].copy()
        if self._answers:
            leaves = len(m.leaf_ids)
            values = np.frombuffer(ffi.buffer(lib.efc_batch_values(b), n * leaves * 8)).reshape(
                n, leaves) if n else np.empty((0, leaves))
            for j, leaf in enumerate(m.leaf_ids):
                data[leaf] = values[:, j].copy()
        lines = pd.Index(_array(lib.efc_batch_lines(b), n, "size_t").astype("int64"), name="line")
        df = pd.DataFrame(data, index=lines)
        df.attrs["rejected"] = self.rejected_frame()
        df.attrs["clamped"] = int(lib.efc_batch_clamped_count(b))
        return df

    @locked
    def row(self, r: int) -> dict:
        """Row r of the current batch as plain values: id, period (canonical
        text), period_value (a number, or days since 1970-01-01), line,
        respondents, and the scores by node id."""
        b = self._b
        if not 0 <= r < lib.efc_batch_rows(b):
            raise IndexError(f"row {r} is not in the batch")
        nodes = len(self.model.node_ids)
        scores = lib.efc_batch_scores(b)
        return {"id": text(lib.efc_batch_id(b, r)), "period": text(lib.efc_batch_period(b, r)),
                "period_value": lib.efc_batch_period_value(b, r),
                "line": int(lib.efc_batch_line(b, r)),
                "respondents": int(lib.efc_batch_respondents(b, r)),
                "groups": [text(lib.efc_batch_group(b, r, g))
                           for g in range(len(self.group_columns))],
                "scores": {node_id: scores[r * nodes + k]
                           for k, node_id in enumerate(self.model.node_ids)}}

    @locked
    def rejected_frame(self) -> "pd.DataFrame":
        """The current batch's rejected rows: line, column_number (1-based)
        and column (its name), both None when the whole row is concerned,
        reason, and the row's fields as a list."""
        import pandas as pd
        b = self._b
        rows = []
        for i in range(lib.efc_batch_rejected_count(b)):
            col = int(lib.efc_batch_rejected_column(b, i))
            rows.append({
                "line": int(lib.efc_batch_rejected_line(b, i)),
                "column_number": col or None,
                "column": text(lib.efc_batch_rejected_column_name(b, i)) or None,
                "reason": text(lib.efc_batch_rejected_reason(b, i)),
                "fields": [text(lib.efc_batch_rejected_field(b, i, f))
                           for f in range(lib.efc_batch_rejected_field_count(b, i))]})
        return pd.DataFrame(rows, columns=["line", "column_number", "column", "reason", "fields"])

    def __iter__(self) -> Iterator:
        while True:
            # a batch is read and turned into a frame under one hold of the
            # lock: another thread iterating the same survey cannot replace
            # it in between (each batch goes to one thread, none is lost)
            with self._guard:
                if not self.read_batch():
                    return
                df = self.frame()
            yield df

    @locked
    def read(self) -> "pd.DataFrame":
        """Every remaining row in one DataFrame (see frame()); its
        .attrs["rejected"] holds every rejected row, .attrs["counts"] the
        Counts, .attrs["warnings"] the header's warnings."""
        import pandas as pd
        frames, rejected = [], []
        for df in self:
            rejected.append(df.attrs.pop("rejected"))
            frames.append(df)
        if not frames:
            self._done = True
            frames = [self.frame()]  # the empty batch: the columns, no row
            frames[0].attrs.pop("rejected")
        out = pd.concat(frames) if len(frames) > 1 else frames[0]
        out.attrs["rejected"] = (pd.concat(rejected, ignore_index=True) if rejected
                                 else self.rejected_frame())
        out.attrs["counts"] = self.counts
        out.attrs["warnings"] = self.warnings()
        return out

    @locked
    def warnings(self) -> List[str]:
        """What efc score would warn about this survey's header."""
        out = []
        if self.missing_items:
            out.append(_missing_items(self.missing_items))
        leaves = {leaf.lower(): leaf for leaf in self.model.leaf_ids}
        for col in self.ignored_columns:
            if col.lower() in leaves:
                out.append(f"column '{col}' is ignored (did you mean '{leaves[col.lower()]}'?)")
        return out

    def close(self) -> None:
        """Stop reading and release the file and the C survey (its reader
        thread ends first); any later call raises efc.StateError. Closing
        again, or in a forked child, does nothing."""
        g = self._guard
        try:
            with g:
                self._done = True
                self._free()  # the finalizer: survey, batch, then stream
                g.refuse(_CLOSED)
        except StateError:
            pass  # closed already, or a forked child's copy: nothing of ours to free

    def __repr__(self) -> str:
        """Its source, the rows read so far and its state: open, at its end
        or closed."""
        if not hasattr(self, "_b"):  # an __init__ that failed
            return f"<efc.Survey {getattr(self, '_name', '?')!r}: not opened>"
        try:
            with self._guard:
                c = self.counts
                state = "at its end" if self._done else "open"
        except StateError as e:
            state = "closed" if e.message == _CLOSED else e.message
            return f"<efc.Survey {self._name!r}: {state}>"
        return (f"<efc.Survey {self._name!r}: {c.rows_read} rows read, {c.rows_rejected} "
                f"rejected; {state}>")

    def __reduce__(self):
        # pickle, cloudpickle, copy.copy and copy.deepcopy all come here
        raise StateError(7, "an efc.Survey cannot be pickled or copied: it is a stream being "
                            "read (its file, position and reader thread belong to this process, "
                            "and two copies would hand out the same rows twice); send what it "
                            "is opened from (a path, bytes, the options, the Model) and open it "
                            "where it is read, or send the frames it gives (read_survey)")

    def __enter__(self) -> "Survey":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


_SIZE_T = f"u{ffi.sizeof('size_t')}"


def _array(ptr, n: int, dtype: str) -> np.ndarray:
    """A copy of n elements of a C array of double ("f8") or size_t ("size_t")."""
    dtype = _SIZE_T if dtype == "size_t" else dtype
    if n == 0:
        return np.empty(0, dtype=dtype)
    return np.frombuffer(ffi.buffer(ptr, n * np.dtype(dtype).itemsize), dtype=dtype).copy()


def _periods(b, n: int, kind: Optional[str]):
    """The period column: numbers (integers when all are), dates, or
    missing values, from the batch's period values."""
    import pandas as pd
    values = _array(lib.efc_batch_period_values(b), n, "f8")
    if kind == "date":
        return pd.to_datetime(values, unit="D").to_numpy()
    if n and not np.isnan(values).any() and (values == np.round(values)).all():
        return values.astype("int64")
    return values


def parse_period(text, date_format: str = "iso", decimal_comma: bool = False) -> Tuple[Optional[str], float, str]:
    """Parse a period as the survey reader does: a number ("2024", with a
    decimal comma when asked), or a date (YYYY-MM-DD, or dd/mm/yyyy with
    date_format="dmy"). Returns (kind, value, canonical): kind "number",
    "date" or None (empty), value the number or the days since 1970-01-01,
    canonical the text libefc writes ("2024", "2024-03-31"). Also takes
    ints, floats, dates and pandas Timestamps. Raises
    efc.InvalidValueError for anything else."""
    date_value = _names.word("DATE_FORMAT", "date_format", date_format)
    text = period_text(text)
    kind, value = ffi.new("efc_period_kind *"), ffi.new("double *")
    canonical = ffi.new("char[]", lib.EFC_PERIOD_TEXT_SIZE)
    _call(lib.efc_period_parse, kind, value, canonical, cstr(text), date_value,
          1 if decimal_comma else 0)
    return (None if kind[0] == lib.EFC_PERIOD_NONE else _names.name("PERIOD_KIND", kind[0]),
            value[0],
            ffi.string(canonical).decode())


def period_text(period) -> str:
    """A period as text the C library parses: strings as they are, whole
    numbers without a decimal point, dates and Timestamps as YYYY-MM-DD,
    missing values as ""."""
    import datetime
    import math
    if period is None:
        return ""
    if isinstance(period, str):
        return period
    if isinstance(period, (datetime.date, datetime.datetime)) or hasattr(period, "strftime"):
        try:
            return period.strftime("%Y-%m-%d")
        except ValueError:  # NaT
            return ""
    if isinstance(period, (float, np.floating)):
        if math.isnan(period):
            return ""
        return str(int(period)) if float(period).is_integer() else repr(float(period))
    if isinstance(period, (int, np.integer)):
        return str(int(period))
    try:
        import pandas as pd
        if period is pd.NA:
            return ""
    except ImportError:  # pragma: no cover
        pass
    return str(period)


def read_survey(source, model: Optional[Model] = None, *, id: Optional[str] = None,
                period: Optional[str] = None, groups: Union[str, Sequence[str]] = (),
                delimiter: Optional[str] = None, encoding: Optional[str] = None,
                decimal_comma: bool = False, date_format: str = "iso",
                na: Union[str, Sequence[str]] = (), strict_range: bool = False,
                labels: bool = False,
                combine: Optional[str] = None, on_error: str = "fail",
                max_field: Optional[int] = None, threads: int = 0,
                name: Optional[str] = None, batch_size: int = 512,
                coverage: bool = False, items: bool = False,
                answers: bool = False) -> "pd.DataFrame":
    """Read and score a whole survey into a DataFrame (see Survey for the
    source and the options, the same, Survey.frame() and Survey.read() for
    what comes back): rows indexed by source line, rejected rows in
    .attrs["rejected"], counts in .attrs["counts"], header warnings in
    .attrs["warnings"]."""
    with Survey(source, model, id=id, period=period, groups=groups, delimiter=delimiter,
                encoding=encoding, decimal_comma=decimal_comma, date_format=date_format,
                na=na, strict_range=strict_range, labels=labels, combine=combine,
                on_error=on_error,
                max_field=max_field, threads=threads, name=name, batch_size=batch_size,
                coverage=coverage, items=items, answers=answers) as s:
        return s.read()
