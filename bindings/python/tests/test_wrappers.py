"""The bindings cover the whole C API: the declarations generated from the
headers name every public function, and the package calls each one."""
import pathlib
import re

import efc

PACKAGE = pathlib.Path(efc.__file__).parent


def test_every_public_function_has_a_wrapper(source_root):
    headers = "".join(p.read_text() for p in (source_root / "include" / "efc").glob("*.h"))
    declared = set(re.findall(r"EFC_API\b[^;(]*?\b(efc_\w+)\s*\(", headers, flags=re.S))
    cdef = set(re.findall(r"\b(efc_\w+)\s*\(", (PACKAGE / "_cdef.h").read_text()))
    assert declared and declared == cdef, declared ^ cdef
    source = "".join(p.read_text() for p in PACKAGE.glob("*.py"))
    used = set(re.findall(r"lib\.(efc_\w+)", source))
    missing = sorted(declared - used)
    assert not missing, f"public C functions without a Python wrapper: {missing}"


def test_typed_package():
    assert (PACKAGE / "py.typed").exists()
