"""The package as installed: its version, the library it loaded and where
from, and the refusal of a library of another version (LibraryVersionError
at import). Run from the build tree (EFC_LIBRARY set) and against an
installed wheel (tests/check_wheel.sh: EFC_LIBRARY unset, the library inside
the package)."""
import json
import os
import pathlib
import shutil
import subprocess
import sys
import textwrap

import pytest

import efc
from efc import _config

PACKAGE = pathlib.Path(efc.__file__).resolve().parent

# Imports efc in a fresh interpreter and reports, as JSON, what it got.
PROBE = textwrap.dedent("""
    import json, sys
    try:
        import efc
    except ImportError as e:
        errors = sys.modules.get("efc.errors")  # left by the failed import
        print(json.dumps({"error": type(e).__name__, "message": str(e),
                          "is_efc_error": errors is not None and isinstance(e, errors.Error),
                          "code": getattr(e, "code", None),
                          "package_version": getattr(e, "package_version", None),
                          "library_version": getattr(e, "library_version", None),
                          "path": getattr(e, "path", None), "name": e.name}))
    else:
        print(json.dumps({"error": None, "file": efc.__file__,
                          "library": list(efc.library_info())}))
""")


def probe(pythonpath, library=None):
    env = dict(os.environ)
    env["PYTHONPATH"] = str(pythonpath)
    env.pop("EFC_LIBRARY", None)
    if library is not None:
        env["EFC_LIBRARY"] = str(library)
    out = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, env=env,
                         cwd=pythonpath, check=True)
    return json.loads(out.stdout)


def test_version_is_the_package_version():
    assert efc.__version__ == _config.VERSION == "0.2.0"
    major, minor, patch = map(int, efc.__version__.split("."))
    assert efc.version_number == major * 10000 + minor * 100 + patch


def test_library_info_names_the_file_loaded():
    info = efc.library_info()
    assert isinstance(info, efc.LibraryInfo)
    version, path = info
    assert version == info.version == efc.__version__
    assert os.path.isabs(path) and os.path.isfile(path)
    assert pathlib.Path(path).name.startswith("libefc.so.1")
    # the dynamic linker's own account: the file is mapped in this process
    with open("/proc/self/maps") as maps:
        mapped = {line.split(None, 5)[5].strip() for line in maps if len(line.split(None, 5)) == 6}
    assert any(os.path.exists(m) and os.path.samefile(m, path) for m in mapped)
    env = os.environ.get("EFC_LIBRARY")
    if env:
        assert os.path.samefile(env, path)
    elif (PACKAGE / "libefc.so.1").exists():
        # an installed wheel: the library inside the package, no other
        assert pathlib.Path(path) == PACKAGE / "libefc.so.1"


@pytest.fixture
def package_copy(tmp_path):
    """A copy of the package under test in tmp_path/efc; returns tmp_path."""
    shutil.copytree(PACKAGE, tmp_path / "efc", ignore=shutil.ignore_patterns("__pycache__"))
    return tmp_path


def test_the_same_package_elsewhere_imports(package_copy):
    library = efc.library_info().path
    got = probe(package_copy, library)
    assert got["error"] is None, got
    assert pathlib.Path(got["file"]).parent == package_copy / "efc"
    assert got["library"] == [efc.__version__, library]


def test_a_package_of_another_version_refuses_the_library(package_copy):
    config = package_copy / "efc" / "_config.py"
    text = config.read_text()
    assert f'VERSION = "{efc.__version__}"' in text
    config.write_text(text.replace(f'VERSION = "{efc.__version__}"', 'VERSION = "0.1.9"'))
    library = efc.library_info().path
    got = probe(package_copy, library)
    assert got["error"] == "LibraryVersionError", got
    assert got["is_efc_error"] and got["code"] == 7 and got["name"] == "efc"
    assert got["package_version"] == "0.1.9"
    assert got["library_version"] == efc.__version__
    assert got["path"] == library
    assert "efc 0.1.9" in got["message"] and library in got["message"]
    assert "EFC_LIBRARY" in got["message"]


FAKE = """
const char *efc_version_string(void) { return "%s"; }
int efc_version_number(void) { return %d; }
"""


@pytest.mark.parametrize("version,number", [("9.9.9", 90909), (None, 90909)],
                         ids=["string-and-number", "number-only"])
def test_a_library_of_another_version_is_refused(tmp_path, package_copy, version, number):
    """EFC_LIBRARY at a library that is not this version: a fake libefc.so.1
    that defines the two version functions alone (its string may even agree:
    the number is checked too)."""
    cc = shutil.which("cc")
    if cc is None:
        pytest.skip("no C compiler to build a fake library")
    version = version or efc.__version__
    src = tmp_path / "fake.c"
    src.write_text(FAKE % (version, number))
    fake = tmp_path / "fake" / "libefc.so.1"
    fake.parent.mkdir()
    env = {k: v for k, v in os.environ.items() if k != "LD_PRELOAD"}
    subprocess.run([cc, "-shared", "-fPIC", "-o", str(fake), str(src)], check=True, env=env)
    got = probe(package_copy, fake)
    assert got["error"] == "LibraryVersionError", got
    assert got["is_efc_error"]
    assert got["package_version"] == efc.__version__
    assert got["library_version"] == version
    assert got["path"] == str(fake)
    assert str(fake) in got["message"] and str(number) in got["message"]
