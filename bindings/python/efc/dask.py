"""efc.dask: score a dask.dataframe where its partitions live, and build a
panel from one (docs/python.md, "Dask").

    import efc, efc.dask
    scores = efc.dask.score_frame(model, ddf, id="id", period="period")   # lazy, per partition
    panel = efc.dask.panel_from_frame(ddf, model, id="id", period="period")
    result = efc.dask.sensitivity(panel, chunk=100, samples=1000, sobol=True)  # on a cluster

Imported only when asked for (`import efc` never imports Dask), and only
where Dask is installed: Debian's python3-dask (python3-distributed for a
cluster). The model travels to the workers pickled (its canonical codebook);
each partition is scored by the same function as in one process, so the
results are the same bits.
"""
import inspect
import warnings
from typing import Optional, Sequence, Union

try:
    import dask.dataframe as _dd
except ImportError as _e:  # pragma: no cover - tested in a process without dask
    raise ImportError("efc.dask needs Dask, which is not installed: install Debian's "
                      "python3-dask (apt-get install python3-dask; python3-distributed for a "
                      "cluster of worker processes)", name="dask") from _e


from .errors import ArgumentError, Error
from .model import Model, _check_columns, _missing_items, _name_the_row
from .panel import Panel, _answers

__all__ = ["score_frame", "panel_from_frame", "sensitivity"]

# the options Model.score_frame takes, by name (the frame and model aside)
_SCORE_OPTIONS = [p for p in inspect.signature(Model.score_frame).parameters
                  if p not in ("self", "frame")]
_MISSING_WARNING = r"\d+ items? of the model ha(s|ve) no column"


def _dask_frame(ddf, what: str):
    if not isinstance(ddf, _dd.DataFrame):
        kind = type(ddf).__name__
        hint = (": a pandas DataFrame is scored by Model.score_frame() (or "
                "dask.dataframe.from_pandas(frame, npartitions=n) first)"
                if kind == "DataFrame" else "")
        raise ArgumentError(1, f"efc.dask.{what} takes a dask.dataframe.DataFrame, not a "
                               f"{type(ddf).__module__}.{kind}{hint}")


def _score_partition(part, model: Model, options: dict):
    # the client warned already about leaves without a column (from the meta)
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", _MISSING_WARNING, UserWarning)
        return model.score_frame(part, **options)


def score_frame(model: Model, ddf, **options):
    """Model.score_frame on a dask.dataframe.DataFrame, lazily: each partition
    is scored where it lives (map_partitions) and the result is a Dask frame
    with the same index and divisions, whose columns and dtypes are those
    Model.score_frame gives (its `meta` is the real function's output on the
    empty frame). Takes the options of Model.score_frame (id, period, keep,
    coverage, items, passes, nodes, labels, decimal_comma), but `threads`
    defaults to 1: Dask runs partitions in parallel. Bad options and leaves
    without a column are reported here, before anything is computed; a
    value that cannot be scored raises efc.InvalidValueError when computed,
    naming the frame index label (its `row` counts from the partition's
    first row). Computed, it equals Model.score_frame on the computed frame,
    bit for bit."""
    if not isinstance(model, Model):
        raise ArgumentError(1, f"efc.dask.score_frame takes a model first (efc.Model), not a "
                               f"{type(model).__name__}: score_frame(model, ddf, ...)")
    _dask_frame(ddf, "score_frame")
    unknown = sorted(set(options) - set(_SCORE_OPTIONS))
    if unknown:
        raise TypeError(f"efc.dask.score_frame() got unexpected options {unknown} "
                        f"(those of Model.score_frame: {', '.join(_SCORE_OPTIONS)})")
    options.setdefault("threads", 1)
    if "keep" in options:
        options["keep"] = list(options["keep"])
    if options.get("nodes") is not None:
        options["nodes"] = list(options["nodes"])
    # the real function on the empty frame: the same columns and dtypes, and
    # the errors and warnings about the options and columns, here and now
    meta = model.score_frame(ddf._meta, **options)
    return ddf.map_partitions(_score_partition, model, options, meta=meta,
                              align_dataframes=False)


def _scored_partition(part, model: Model, carried: Sequence[str]):
    """What Panel.from_frame reads from a partition, scored: the id, period
    and grouping columns as they are (dtypes kept), then every node's score
    (Model.score_array of the leaves, as Panel.from_frame scores them)."""
    import pandas as pd
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", _MISSING_WARNING, UserWarning)
        try:
            scores = model.score_array(_answers(part, model), threads=1)
        except Error as e:
            _name_the_row(e, part.index)
            raise
    out = {c: part[c] for c in carried}
    for k, node_id in enumerate(model.node_ids):
        out[node_id] = scores[:, k]
    return pd.DataFrame(out, index=part.index)


def panel_from_frame(ddf, model: Optional[Model] = None, *, id: str = "id",
                     period: str = "period", groups: Union[str, Sequence[str]] = (),
                     scored: bool = False, date_format: str = "iso",
                     decimal_comma: bool = False, name: str = "<frame>") -> Panel:
    """Panel.from_frame on a dask.dataframe.DataFrame: the answers are scored
    in the partitions (every node, as Panel.from_frame scores them), only
    the id, period, grouping columns and scores are gathered (computed with
    the scheduler in use: a distributed Client's when one is active), and
    the panel is built from them (Panel.from_frame with scored=True). The
    panel equals (==) Panel.from_frame on the computed frame, source lines
    (the row's position in the frame) included; errors name the frame's
    index labels. With scored=True the frame holds node scores already and
    nothing is scored."""
    model = model if model is not None else Model.default()
    _dask_frame(ddf, "panel_from_frame")
    groups = [groups] if isinstance(groups, str) else list(groups)
    carried = list(dict.fromkeys([id, period, *groups]))
    meta = ddf._meta
    _check_columns(meta, [*carried, *(model.node_ids if scored else model.leaf_ids)])
    for c in carried:
        if c not in meta.columns:
            raise ArgumentError(1, f"the frame has no column '{c}'", column_name=c)
    if scored:
        present = [n for n in model.node_ids if n in meta.columns and n not in carried]
        gathered = ddf[carried + present]
    else:
        clash = [c for c in carried if c in model.node_ids]
        if clash:
            raise ArgumentError(1, f"the column '{clash[0]}' is named like a node of the model: "
                                   f"rename it to build a panel from the scored partitions",
                                column_name=clash[0])
        missing = [leaf for leaf in model.leaf_ids if leaf not in meta.columns]
        if missing:
            warnings.warn(_missing_items(missing), stacklevel=2)
        gathered = ddf.map_partitions(_scored_partition, model, carried,
                                      meta=_scored_partition(meta, model, carried),
                                      align_dataframes=False)
    frame = gathered.compute()
    return Panel.from_frame(frame, model, id=id, period=period, groups=groups, scored=True,
                            date_format=date_format, decimal_comma=decimal_comma, name=name)



# the options Panel.sensitivity takes, by name (runs and progress are the chunks')
_SENSITIVITY_OPTIONS = [p for p in inspect.signature(Panel.sensitivity).parameters
                        if p not in ("self", "runs", "progress")]


def _sensitivity_part(panel: Panel, options: dict, first: int, count: int):
    return panel.sensitivity(runs=(first, count), **options)


def sensitivity(panel: Panel, *, chunk: int = 100, client=None, **options):
    """Panel.sensitivity spread over a Dask cluster: the base runs in chunks
    of `chunk` (each with its rows of B and A_B^i when sobol=True), each
    chunk a task (Panel.sensitivity(..., runs=(first, count)) on the
    worker, the panel sent pickled), the parts merged here
    (efc.Sensitivity.merge). Takes the options of Panel.sensitivity (but
    progress), `threads` defaulting to 1 per task. `client`: a
    distributed.Client, by default the current one (distributed's
    default_client()); without distributed, the tasks run with dask's own
    scheduler (dask.delayed). The result equals (==) Panel.sensitivity with
    the same options, bit for bit: run j draws from the seed and j alone."""
    if not isinstance(panel, Panel):
        raise ArgumentError(1, f"efc.dask.sensitivity takes a panel first (efc.Panel), not a "
                               f"{type(panel).__name__}")
    unknown = sorted(set(options) - set(_SENSITIVITY_OPTIONS))
    if unknown:
        raise TypeError(f"efc.dask.sensitivity() got unexpected options {unknown} "
                        f"(those of Panel.sensitivity: {', '.join(_SENSITIVITY_OPTIONS)})")
    chunk = int(chunk)
    if chunk < 1:
        raise ValueError(f"efc: chunk must be at least 1 run, got {chunk}")
    options.setdefault("threads", 1)
    samples = int(options.get("samples", inspect.signature(Panel.sensitivity)
                              .parameters["samples"].default))
    ranges = [(f, min(chunk, samples - f)) for f in range(0, samples, chunk)]
    if client is None:
        try:
            from distributed import default_client
            client = default_client()
        except (ImportError, ValueError):
            client = None
    if client is not None:
        remote = client.scatter(panel, broadcast=True)
        futures = [client.submit(_sensitivity_part, remote, options, f, c, pure=False)
                   for f, c in ranges]
        parts = client.gather(futures)
    else:
        import dask
        parts = dask.compute(*[dask.delayed(_sensitivity_part)(panel, options, f, c)
                               for f, c in ranges])
    from .sensitivity import Sensitivity
    return Sensitivity.merge(list(parts), panel=panel)
