"""Scoring many rows: efc_model_score_batch over numpy memory, split between
threads (cffi releases the GIL during the C call, and a finalized model may
be used by many threads at once), and, for frames, in chunks that reuse the
same small buffers, so that no large temporary array is ever made."""
import os
from concurrent.futures import ThreadPoolExecutor
from typing import Dict, List, Optional, Sequence

import numpy as np

from ._lib import ffi, lib
from .errors import Error, check, check_shifted, error_object

CHUNK = 16384  # rows per chunk: the buffers stay in the processor's caches
PARALLEL_FROM = 50000  # fewer rows are not worth a thread


def threads_for(threads: int, rows: int) -> int:
    """How many threads to use: `threads`, or with 0 as many as the cores
    (at most 8), never more than the rows justify."""
    n = threads if threads > 0 else min(os.cpu_count() or 1, 8)
    return max(1, min(n, rows // PARALLEL_FROM + 1 if threads <= 0 else rows))


def _ptr(a: np.ndarray, ctype: str = "double *"):
    return ffi.cast(ctype, a.__array_interface__["data"][0])


def score_into(model_ptr, a: np.ndarray, scores: np.ndarray, cov: Optional[np.ndarray],
               first_row: int = 0) -> None:
    """efc_model_score_batch on arrays, read and written in place. The rows
    are rows first_row... of the caller's whole array: a bad row's error
    (its row and message) counts from the start of the whole."""
    rows = a.shape[0]
    if rows == 0:
        return
    err = error_object()
    out = _ptr(scores), ffi.NULL if cov is None else _ptr(cov)
    same = cov is None or cov.strides == scores.strides
    if same and a.flags.c_contiguous and scores.flags.c_contiguous:
        check_shifted(lib.efc_model_score_matrix(
            *out, ffi.NULL, model_ptr, rows, _ptr(a, "const double *"), lib.EFC_LAYOUT_ROW_MAJOR,
            err), err, first_row)
    else:  # Fortran order, a slice of a wider frame, rows reversed: the general call
        check_shifted(lib.efc_model_score_batch(
            *out, scores.strides[0] // 8, scores.strides[1] // 8, ffi.NULL,
            model_ptr, rows, _ptr(a, "const double *"), a.strides[0] // 8, a.strides[1] // 8, err),
            err, first_row)


def _row_of(e: Error) -> int:
    return -1 if e.row is None else e.row


def _first_error(results: List[Optional[Error]]) -> None:
    errors = [e for e in results if e is not None]
    if errors:
        raise errors[0]  # the slices are in row order: the first bad row wins


def score_rows(model_ptr, a: np.ndarray, scores: np.ndarray, cov: Optional[np.ndarray],
               threads: int) -> None:
    """Score every row of `a` into `scores` (and `cov`), in parallel slices
    of rows. Results are the same bits whatever the number of threads."""
    rows = a.shape[0]
    n = threads_for(threads, rows)
    if n <= 1:
        score_into(model_ptr, a, scores, cov)
        return
    bounds = [rows * i // n for i in range(n + 1)]

    def part(i: int) -> Optional[Error]:
        s, e = bounds[i], bounds[i + 1]
        try:
            score_into(model_ptr, a[s:e], scores[s:e], None if cov is None else cov[s:e], s)
        except Error as err:
            return err
        return None

    with ThreadPoolExecutor(n) as ex:
        _first_error(list(ex.map(part, range(n))))


def pass_into(model_ptr, scores: np.ndarray, passes: Optional[np.ndarray],
              pass_all: Optional[np.ndarray]) -> None:
    """efc_model_pass_batch: the outcomes of rows of scores (rows x nodes
    int8, and rows int8), as efc_pass values."""
    rows = scores.shape[0]
    if rows == 0:
        return
    err = error_object()
    check(lib.efc_model_pass_batch(
        ffi.NULL if passes is None else _ptr(passes, "signed char *"),
        ffi.NULL if pass_all is None else _ptr(pass_all, "signed char *"), model_ptr, rows,
        _ptr(scores, "const double *"), scores.strides[0] // 8, scores.strides[1] // 8, err),
        err)


def score_columns(model_ptr, columns: Sequence[Optional[np.ndarray]], rows: int, nodes: int,
                  wanted: Sequence[int], coverage: bool, threads: int,
                  passes: Sequence[int] = ()):
    """Score rows whose leaf values are given as one array per leaf (None:
    missing), chunk by chunk, keeping only the nodes in `wanted`, and with
    `passes` (nodes with a threshold) their outcomes and the row's. Returns
    ({node: scores}, {node: coverages or nothing}, {node or "all": efc_pass
    values as int8, or nothing})."""
    leaves = len(columns)
    out: Dict[int, np.ndarray] = {k: np.empty(rows) for k in wanted}
    cov_out: Dict[int, np.ndarray] = {k: np.empty(rows) for k in wanted} if coverage else {}
    pass_out: Dict[object, np.ndarray] = {k: np.empty(rows, dtype=np.int8) for k in passes}
    if passes:
        pass_out["all"] = np.empty(rows, dtype=np.int8)
    chunks = [(s, min(s + CHUNK, rows)) for s in range(0, rows, CHUNK)]
    n = max(1, min(threads_for(threads, rows), len(chunks)))

    def worker(w: int) -> Optional[Error]:
        values = np.empty((CHUNK, leaves))
        scores = np.empty((CHUNK, nodes))
        cov = np.empty((CHUNK, nodes)) if coverage else None
        outcomes = np.empty((CHUNK, nodes), dtype=np.int8) if passes else None
        every = np.empty(CHUNK, dtype=np.int8) if passes else None
        for s, e in chunks[w::n]:
            m = e - s
            for j, col in enumerate(columns):
                if col is None:
                    values[:m, j] = np.nan
                else:
                    values[:m, j] = col[s:e]
            try:
                score_into(model_ptr, values[:m], scores[:m], None if cov is None else cov[:m],
                           s)
            except Error as err:
                return err
            for k in wanted:
                out[k][s:e] = scores[:m, k]
                if coverage:
                    cov_out[k][s:e] = cov[:m, k]
            if passes:
                pass_into(model_ptr, scores[:m], outcomes[:m], every[:m])
                for k in passes:
                    pass_out[k][s:e] = outcomes[:m, k]
                pass_out["all"][s:e] = every[:m]
        return None

    if n == 1:
        _first_error([worker(0)])
    else:
        with ThreadPoolExecutor(n) as ex:
            results = list(ex.map(worker, range(n)))
        # each worker stops at its own first bad chunk: the earliest bad row is
        # the smallest among them
        errors = [e for e in results if e is not None]
        if errors:
            raise min(errors, key=_row_of)
    return out, cov_out, pass_out
