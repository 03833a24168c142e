"""The bindings cover the whole C API: the declarations generated from the
headers name every public function, and the package calls each one."""
import importlib.util
import pathlib
import re

import efc

PACKAGE = pathlib.Path(efc.__file__).parent


def read_by_fill(source_root) -> dict:
    """tests/check_symbols.py's getters that the package reads through their
    bulk reads (docs/c-api.md, "Bulk reads"): getter -> its bulk read."""
    spec = importlib.util.spec_from_file_location("check_symbols",
                                                  source_root / "tests" / "check_symbols.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.READ_BY_FILL


def test_every_public_function_has_a_wrapper(source_root):
    headers = "".join(p.read_text() for p in (source_root / "include" / "efc").glob("*.h"))
    declared = set(re.findall(r"EFC_API\b[^;(]*?\b(efc_\w+)\s*\(", headers, flags=re.S))
    cdef = set(re.findall(r"\b(efc_\w+)\s*\(", (PACKAGE / "_cdef.h").read_text()))
    assert declared and declared == cdef, declared ^ cdef
    source = "".join(p.read_text() for p in PACKAGE.glob("*.py"))
    used = set(re.findall(r"lib\.(efc_\w+)", source))
    # a getter whose values the package reads through its bulk read is wrapped by it
    used |= {getter for getter, fill in read_by_fill(source_root).items() if fill in used}
    missing = sorted(declared - used)
    assert not missing, f"public C functions without a Python wrapper: {missing}"


def test_typed_package():
    assert (PACKAGE / "py.typed").exists()
