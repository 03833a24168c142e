"""Errors of libefc as Python exceptions. Every failing call raises a
subclass of efc.Error carrying the C library's status code, its message, its
reason (a stable name to branch on: code never reads the message) and, for
files, the source name, line, column and column name, for a duplicate the
other line or column, for a row of an array the row. The subclasses
also derive from the built-in exception a Python programmer would catch:
ArgumentError is a ValueError, NoMemoryError a MemoryError, FileError an
OSError, NotFoundError a KeyError, InvalidValueError a ValueError."""
import threading
from typing import Optional

from ._lib import NONE, ffi, lib, text


class Error(Exception):
    """A failure reported by libefc.

    Attributes: code (the efc_status number), message (for people: its
    wording may change), reason (the library's name of the efc_reason, such
    as "duplicate_assessment" or "not_finite"; "none" when there is no finer
    reason than the code), source (a file or survey name, or None), line and
    column (1-based, None when unknown), column_name (a survey column, or
    None), other_line and other_column (1-based: the first occurrence of a
    duplicate, None when the error is about one place) and row (0-based, the
    row of an array or frame the error is about, None when not about one)."""

    def __init__(self, code: int, message: str, source: Optional[str] = None,
                 line: Optional[int] = None, column: Optional[int] = None,
                 column_name: Optional[str] = None, full: Optional[str] = None, *,
                 reason: str = "none", other_line: Optional[int] = None,
                 other_column: Optional[int] = None, row: Optional[int] = None):
        super().__init__(full or message)
        self.code = code
        self.message = message
        self.source = source
        self.line = line
        self.column = column
        self.column_name = column_name
        self.reason = reason
        self.other_line = other_line
        self.other_column = other_column
        self.row = row

    def __reduce__(self):
        # Exception pickles as cls(*args), which would lose the fields (and
        # fail: code and message are required): an error raised in a worker
        # process reaches the caller whole
        return (_rebuild_error, (type(self), self.code, self.message, self.source, self.line,
                                 self.column, self.column_name,
                                 self.args[0] if self.args else None, self.reason,
                                 self.other_line, self.other_column, self.row),
                self.__dict__ or None)


def _rebuild_error(cls, code, message, source, line, column, column_name, full, reason,
                   other_line, other_column, row) -> "Error":
    """The reconstructor of pickled errors."""
    return cls(code, message, source, line, column, column_name, full, reason=reason,
               other_line=other_line, other_column=other_column, row=row)


class ArgumentError(Error, ValueError):
    """An invalid argument (EFC_ERR_ARGUMENT)."""


class NoMemoryError(Error, MemoryError):
    """An allocation failed (EFC_ERR_NOMEM)."""


class FileError(Error, OSError):
    """Reading or writing a file failed (EFC_ERR_IO)."""


class CSVError(Error):
    """Malformed CSV bytes: quoting, encoding, a NUL byte, a field too long (EFC_ERR_CSV)."""


class ModelError(Error):
    """An invalid model or codebook (EFC_ERR_MODEL)."""


class InvalidValueError(Error, ValueError):
    """A value that cannot be scored, or a bad period (EFC_ERR_VALUE)."""


class StateError(Error):
    """A call not allowed in the object's state (EFC_ERR_STATE)."""


class NotFoundError(Error, KeyError):
    """An id or name not found (EFC_ERR_NOT_FOUND)."""

    def __str__(self) -> str:  # KeyError would quote the message
        return Exception.__str__(self)


class SurveyError(Error):
    """An invalid survey structure or row (EFC_ERR_SURVEY)."""


class LibraryVersionError(Error, ImportError):
    """`import efc` found a libefc of another version than the package's
    (EFC_ERR_STATE): the declarations the package was built with may not
    match it. Attributes: package_version, library_version (the library's
    efc_version_string()) and path (the file loaded)."""

    def __init__(self, message: str, package_version: str, library_version: str, path: str):
        super().__init__(7, message)
        self.name = "efc"
        self.package_version = package_version
        self.library_version = library_version
        self.path = path


_BY_CODE = {1: ArgumentError, 2: NoMemoryError, 3: FileError, 4: CSVError, 5: ModelError,
            6: InvalidValueError, 7: StateError, 8: NotFoundError, 9: SurveyError}

_local = threading.local()


def error_object():
    """This thread's efc_error, reused from call to call."""
    err = getattr(_local, "err", None)
    if err is None:
        p = ffi.new("efc_error **")
        if lib.efc_error_create(p, ffi.NULL) != 0:
            raise MemoryError("efc: cannot create an error object")
        err = ffi.gc(p[0], lib.efc_error_free)
        _local.err = err
    return err


def from_error(err) -> Error:
    """The exception for the failure recorded in an efc_error."""
    code = int(lib.efc_error_code(err))
    line, column = int(lib.efc_error_line(err)), int(lib.efc_error_column(err))
    row = int(lib.efc_error_row(err))
    cls = _BY_CODE.get(code, Error)
    return cls(code, text(lib.efc_error_message(err)) or text(lib.efc_strerror(code)),
               text(lib.efc_error_source(err)) or None, line or None, column or None,
               text(lib.efc_error_column_name(err)) or None, text(lib.efc_error_text(err)),
               reason=reason_name(int(lib.efc_error_reason(err))),
               other_line=int(lib.efc_error_other_line(err)) or None,
               other_column=int(lib.efc_error_other_column(err)) or None,
               row=None if row == NONE else row)


def reason_name(value: int) -> str:
    """The library's name of an efc_reason ("none" for one it does not name,
    from a newer library)."""
    return text(lib.efc_enum_name(lib.EFC_ENUM_REASON, value)) or "none"


def check_shifted(status: int, err, first_row: int) -> None:
    """check() for a call given rows first_row... of a larger array: an error
    about a row counts it from the start of the whole (efc_error_shift_row
    renumbers the row and the message, so no text is read here)."""
    if status and first_row:
        lib.efc_error_shift_row(err, first_row)
    check(status, err)


def check(status: int, err) -> None:
    """Raise the exception for `status` unless it is EFC_OK (and leave the
    reused error object clear for the next call)."""
    if status:
        e = from_error(err)
        lib.efc_error_clear(err)
        raise e


def status_text(status: int) -> str:
    """The C library's short description of a status code."""
    return text(lib.efc_strerror(status))


def call(fn, *args) -> None:
    """Call a fallible C function with this thread's error object as its
    last argument, raising the matching Error on failure."""
    err = error_object()
    check(fn(*args, err), err)


# the C element type of each numpy dtype a bulk read fills
_FILL_TYPES = {"float64": "double[]", "uintc": "unsigned int[]", "uintp": "size_t[]"}


def fill(fn, shape, *args, dtype: str = "float64"):
    """A bulk read (docs/c-api.md, "Bulk reads"): a new C-ordered numpy
    array of `shape` (one or two dimensions) filled in place by fn(out,
    capacity, strides..., *args, err), one stride (in elements) per
    dimension; raises as call() does."""
    import numpy as np
    out = np.empty(shape, dtype=dtype)
    strides = (1,) if len(shape) == 1 else (shape[1], 1)  # C order, in elements
    call(fn, ffi.from_buffer(_FILL_TYPES[dtype], out, require_writable=True), out.size,
         *strides, *args)
    return out
