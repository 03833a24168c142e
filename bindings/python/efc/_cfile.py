"""Python file objects as C streams (FILE *), so that the C library reads
and writes them directly, streaming, instead of through a copy in memory.
Only objects backed by an operating-system file descriptor qualify; the
others are read or written whole through memory buffers by the callers."""
import contextlib
import io
import os

from ._lib import ffi, libc


def has_descriptor(f) -> bool:
    """Whether f is a file object with an operating-system descriptor."""
    try:
        f.fileno()
    except (AttributeError, OSError, io.UnsupportedOperation):
        return False
    return True


@contextlib.contextmanager
def c_stream(f, mode: str):
    """A FILE * on a duplicate of f's descriptor, positioned where f is; for
    writing, f's buffer is flushed first and the stream flushed after."""
    raw = getattr(f, "buffer", f)  # a text file: its binary layer
    if "w" in mode:
        f.flush()
    fd = os.dup(f.fileno())
    try:
        if "r" in mode and raw.seekable():
            os.lseek(fd, raw.tell(), os.SEEK_SET)
    except OSError:
        os.close(fd)
        raise
    fp = libc.fdopen(fd, mode.encode())
    if fp == ffi.NULL:
        os.close(fd)
        raise OSError(ffi.errno, os.strerror(ffi.errno))
    try:
        yield fp
    finally:
        libc.fclose(fp)  # closes the duplicate, not f
    if "r" in mode and raw.seekable():
        raw.seek(0, os.SEEK_END)  # read to the end, as the C reader does
