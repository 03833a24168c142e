"""The C library through cffi in ABI mode: the declarations generated from
include/efc/ at build time (_cdef.h), the library found through
EFC_LIBRARY, next to the package, or in the directory it was installed to.
Only this module touches cffi's loading; the others use `ffi` and `lib`."""
import os
import pathlib

from cffi import FFI

from . import _config

_HERE = pathlib.Path(__file__).resolve().parent

ffi = FFI()
ffi.cdef((_HERE / "_cdef.h").read_text())
# from the C library: turning a Python file's descriptor into a FILE *
ffi.cdef("""
FILE *fdopen(int fd, const char *mode);
int fclose(FILE *stream);
int fflush(FILE *stream);
""")


def _candidates():
    env = os.environ.get("EFC_LIBRARY")
    if env:
        yield env
        return
    yield str(_HERE / "libefc.so.1")
    if _config.LIBDIR:
        yield str(pathlib.Path(_config.LIBDIR) / "libefc.so.1")
    yield "libefc.so.1"


def _load():
    errors = []
    for path in _candidates():
        if os.sep in path and not os.path.exists(path):
            errors.append(f"{path}: no such file")
            continue
        try:
            return ffi.dlopen(path)
        except OSError as e:
            errors.append(str(e))
    raise ImportError("efc: cannot load libefc.so.1 (set EFC_LIBRARY to its path): " +
                      "; ".join(errors))


lib = _load()
libc = ffi.dlopen(None)

#: An index meaning "none" (EFC_NONE, EFC_NO_NODE).
NONE = int(ffi.cast("size_t", -1))


def text(p) -> str:
    """A C string as a str (None for NULL)."""
    return None if p == ffi.NULL else ffi.string(p).decode("utf-8")


def cstr(s):
    """A str as UTF-8 bytes for a `const char *` argument (None stays NULL)."""
    return ffi.NULL if s is None else s.encode("utf-8")


def cpath(path) -> bytes:
    """A path (str or os.PathLike) as the bytes the C library opens."""
    return os.fsencode(os.fspath(path))
