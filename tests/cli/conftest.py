"""Shared fixtures for the tests of the efc command-line tool."""
import os
import pathlib
import subprocess

import pytest

SOURCE_ROOT = pathlib.Path(os.environ.get("EFC_SOURCE_ROOT", pathlib.Path(__file__).parents[2]))


class Run:
    def __init__(self, proc: subprocess.CompletedProcess):
        self.status = proc.returncode
        self.out = proc.stdout
        self.err = proc.stderr.decode("utf-8", "replace")

    @property
    def text(self) -> str:
        return self.out.decode("utf-8")


@pytest.fixture
def efc():
    exe = os.environ.get("EFC_CLI")
    if not exe:
        pytest.fail("EFC_CLI must name the efc executable (meson test sets it)")

    def run(*args, stdin: bytes = b"", cwd=None) -> Run:
        proc = subprocess.run([exe, *map(str, args)], input=stdin, capture_output=True,
                              cwd=cwd, timeout=120)
        return Run(proc)

    return run


@pytest.fixture
def source_root() -> pathlib.Path:
    return SOURCE_ROOT
