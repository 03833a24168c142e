"""The C library through cffi in ABI mode: the declarations generated from
include/efc/ at build time (_cdef.h), the library found through
EFC_LIBRARY, next to the package (in a wheel), or in the directory it was
installed to. Only this module touches cffi's loading; the others use `ffi`
and `lib`."""
import collections
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
# from the dynamic linker (in glibc's libc since 2.34): which file a symbol
# was loaded from
ffi.cdef("""
typedef struct { const char *dli_fname; void *dli_fbase; const char *dli_sname; void *dli_saddr; } Dl_info;
int dladdr(const void *addr, Dl_info *info);
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
    """The library and the path it was loaded by (absolute, or the bare
    name the dynamic linker searched for)."""
    errors = []
    for path in _candidates():
        if os.sep in path:
            path = os.path.abspath(path)
            if not os.path.exists(path):
                errors.append(f"{path}: no such file")
                continue
        try:
            return ffi.dlopen(path), path
        except OSError as e:
            errors.append(str(e))
    raise ImportError("efc: cannot load libefc.so.1 (set EFC_LIBRARY to its path): " +
                      "; ".join(errors))


lib, _loaded_as = _load()
libc = ffi.dlopen(None)

LibraryInfo = collections.namedtuple("LibraryInfo", ["version", "path"])
LibraryInfo.__doc__ = """The C library in use: `version` (its efc_version_string(), such as
"0.2.0") and `path` (the absolute path of the file loaded)."""


def library_info() -> LibraryInfo:
    """The version and the file of the libefc this package loaded (for a
    library found by the dynamic linker's search, the file it found)."""
    path = _loaded_as
    info = ffi.new("Dl_info *")
    try:
        found = libc.dladdr(ffi.cast("void *", lib.efc_version_string), info)
    except AttributeError:  # a libc without dladdr: the path dlopen was given
        found = 0
    if found and info.dli_fname != ffi.NULL:
        path = os.fsdecode(ffi.string(info.dli_fname))
    return LibraryInfo(text(lib.efc_version_string()), os.path.abspath(path))


def version_mismatch():
    """None when the library is the version of this package (its version
    string and number both), else what is wrong, for people."""
    version = text(lib.efc_version_string())
    number = int(lib.efc_version_number())
    major, minor, patch = (int(x) for x in _config.VERSION.split("."))
    if version == _config.VERSION and number == major * 10000 + minor * 100 + patch:
        return None
    return (f"efc {_config.VERSION} (the Python package) needs libefc {_config.VERSION}, but "
            f"{library_info().path} is libefc {version} (version number {number}); "
            "reinstall the package, or point EFC_LIBRARY at the libefc of its version")

#: An index meaning "none" (EFC_NONE, EFC_NO_NODE).
NONE = int(ffi.cast("size_t", -1))


def text(p) -> str:
    """A C string as a str (None for NULL)."""
    return None if p == ffi.NULL else ffi.string(p).decode("utf-8")


def cstr(s):
    """A str as UTF-8 bytes for a `const char *` argument (None stays NULL)."""
    return ffi.NULL if s is None else s.encode("utf-8")


def doubles(a):
    """`a` as a C-contiguous, aligned array of doubles, copied only when it
    is not one already: the library reads doubles through the pointer, and
    numpy (a pickle's buffer, a view of bytes) may hold them at any offset."""
    import numpy as np
    return np.require(a, np.float64, ["C", "A"])


def cpath(path) -> bytes:
    """A path (str or os.PathLike) as the bytes the C library opens."""
    return os.fsencode(os.fspath(path))
