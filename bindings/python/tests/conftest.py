"""Shared fixtures of the Python package's tests. meson test runs them with
the package assembled in the build tree (PYTHONPATH) and the library just
built (EFC_LIBRARY); EFC_CLI names the efc tool for cross-checks."""
import os
import pathlib

import pytest
from hypothesis import settings

# Property tests explore the same examples on every run (a failure in CI is
# reproduced by running the suite again) and keep no database in the tree.
settings.register_profile("efc", derandomize=True, database=None)
settings.load_profile("efc")

SOURCE_ROOT = pathlib.Path(os.environ.get("EFC_SOURCE_ROOT",
                                          pathlib.Path(__file__).resolve().parents[3]))


@pytest.fixture
def misaligned():
    """A copy of an array of doubles one byte off alignment, as pickle may
    hand back a buffer: the library must never read doubles through it
    (the sanitizer build fails on a misaligned load)."""
    import numpy as np

    def copy(a):
        a = np.asarray(a, dtype=np.float64)
        raw = np.zeros(a.size * 8 + 1, np.uint8)
        odd = raw[1:].view(np.float64).reshape(a.shape)
        odd[...] = a
        assert not odd.flags.aligned
        return odd
    return copy


@pytest.fixture
def source_root() -> pathlib.Path:
    return SOURCE_ROOT


@pytest.fixture
def example_survey(source_root) -> pathlib.Path:
    return source_root / "examples" / "data" / "survey.csv"


@pytest.fixture
def hdi(source_root) -> pathlib.Path:
    return source_root / "tests" / "data" / "hdi"


@pytest.fixture
def run_efc():
    """Run the efc tool (EFC_CLI) and return its standard output. The
    interpreter's LD_PRELOAD (the sanitizer runtime under ASan) is not
    passed on: a sanitized tool carries its own."""
    import subprocess
    exe = os.environ.get("EFC_CLI")
    if not exe:
        pytest.skip("EFC_CLI is not set (meson test sets it; tests/check_wheel.sh passes it on)")
    env = {k: v for k, v in os.environ.items() if k != "LD_PRELOAD"}

    def run(*args) -> str:
        return subprocess.run([exe, *map(str, args)], capture_output=True, check=True,
                              env=env).stdout.decode()
    return run


SMALL = ("id,parent,weight,min,max,direction,transform,aggregate,min_coverage,threshold\n"
         "g,,1,,,,,mean,0,0.5\nx,g,1,0,4,+,none,,,\ny,g,1,0,4,-,none,,,\n")


@pytest.fixture
def small():
    import efc
    return efc.Model.from_text(SMALL, name="small.csv")
