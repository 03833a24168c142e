"""Python file objects as C streams (FILE *), so that the C library reads
and writes them directly, streaming, instead of through a copy in memory.

Only objects whose descriptor is where Python's own position is qualify:
unbuffered binary files (io.FileIO), and buffered binary files that can
seek (the descriptor is moved to Python's position, which counts what
Python has buffered ahead). A text file decodes ahead into a buffer of its
own, and a pipe's read-ahead cannot be given back, so for them, and for
objects of other kinds (whose descriptor may not even hold the bytes they
read, as gzip files), the callers read what Python reads, through read(),
from where Python is."""
import contextlib
import io
import os

from ._lib import ffi, libc


def _seekable(f) -> bool:
    try:
        return bool(f.seekable())
    except (AttributeError, OSError, ValueError):
        return False


def _has_descriptor(f) -> bool:
    try:
        f.fileno()
    except (AttributeError, OSError, ValueError, io.UnsupportedOperation):
        return False
    return True


def streams(f, mode: str) -> bool:
    """Whether f can be read ("r") or written ("w") by the C library through
    a duplicate of its descriptor, as Python itself would."""
    if not _has_descriptor(f):
        return False
    if "r" in mode:
        if type(f) is io.FileIO:
            return True
        return type(f) in (io.BufferedReader, io.BufferedRandom) and _seekable(f)
    # writing: Python's buffers are flushed first, then the descriptor is
    # where Python would write next
    if type(f) is io.TextIOWrapper:
        f = f.buffer
    return type(f) in (io.FileIO, io.BufferedWriter, io.BufferedRandom)


def is_text(f) -> bool:
    """Whether f reads str (a text file, io.StringIO)."""
    return isinstance(f, io.TextIOBase)


def open_stream(f, mode: str):
    """A FILE * on a duplicate of f's descriptor (f must pass streams()),
    positioned where f is; for writing, f's buffer is flushed first. Close
    it with close_stream()."""
    if "w" in mode:
        f.flush()
    fd = os.dup(f.fileno())
    try:
        if "r" in mode and _seekable(f):
            os.lseek(fd, f.tell(), os.SEEK_SET)
    except OSError:
        os.close(fd)
        raise
    fp = libc.fdopen(fd, mode.encode())
    if fp == ffi.NULL:
        os.close(fd)
        raise OSError(ffi.errno, os.strerror(ffi.errno))
    return fp


def close_stream(f, fp, mode: str) -> None:
    """Close a FILE * of open_stream() (the duplicate, not f); after
    reading, f is left at its end, as the C reader reads to the end."""
    libc.fclose(fp)
    if "r" in mode and _seekable(f):
        try:
            f.seek(0, os.SEEK_END)
        except ValueError:  # f closed by its owner meanwhile: nothing to move
            pass


@contextlib.contextmanager
def c_stream(f, mode: str):
    """open_stream() and close_stream() around a block."""
    fp = open_stream(f, mode)
    try:
        yield fp
    finally:
        close_stream(f, fp, mode)


def read_rest(f) -> bytes:
    """The rest of f as Python reads it, as bytes (text as UTF-8)."""
    data = f.read()
    return data.encode("utf-8") if isinstance(data, str) else bytes(data)
