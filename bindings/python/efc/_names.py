"""The names of the library's enumerations (efc/names.h): the words of
codebooks, options and result columns, taken from libefc so that the package
spells none of them itself."""
import functools

from ._lib import ffi, lib, text
from .errors import ArgumentError, Error
from .errors import call as _call


@functools.lru_cache(maxsize=None)
def names(enum: str) -> tuple:
    """The names of enumeration `enum` ("AGGREGATE", "TRAJECTORY_METRIC",
    ...), in the order of its values, as a tuple."""
    t = getattr(lib, "EFC_ENUM_" + enum)
    return tuple(text(lib.efc_enum_name(t, lib.efc_enum_value(t, i)))
                 for i in range(lib.efc_enum_count(t)))


@functools.lru_cache(maxsize=None)
def values(enum: str) -> dict:
    """name -> value for enumeration `enum`."""
    t = getattr(lib, "EFC_ENUM_" + enum)
    return {text(lib.efc_enum_name(t, lib.efc_enum_value(t, i))): lib.efc_enum_value(t, i)
            for i in range(lib.efc_enum_count(t))}


def name(enum: str, value: int) -> str:
    """The name of one value."""
    return text(lib.efc_enum_name(getattr(lib, "EFC_ENUM_" + enum), value))


def parse(enum: str, word: str) -> int:
    """The value named `word`; efc.NotFoundError listing the names otherwise."""
    out = ffi.new("int *")
    _call(lib.efc_enum_parse, out, getattr(lib, "EFC_ENUM_" + enum), word.encode("utf-8"))
    return out[0]


def parse_aggregate(spec: str):
    """'mean', ..., 'power:P' as (efc_aggregate, power), as codebooks read it."""
    agg, power = ffi.new("efc_aggregate *"), ffi.new("double *")
    _call(lib.efc_aggregate_parse, agg, power, spec.encode("utf-8"))
    return int(agg[0]), float(power[0])


def format_aggregate(agg: int, power: float) -> str:
    """An aggregation method as codebooks write it ('power:2.5')."""
    buf = ffi.new("char[64]")
    _call(lib.efc_aggregate_format, buf, 64, ffi.NULL, agg, power)
    return text(buf)


def word(enum: str, what: str, value) -> int:
    """The value of a name given by the user, or efc.ArgumentError saying
    `what` was none of the library's names for it."""
    try:
        return parse(enum, value)
    except (Error, AttributeError, TypeError):
        raise ArgumentError(1, f"{what} {value!r} is not one of "
                               f"{', '.join(names(enum))}") from None
