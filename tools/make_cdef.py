#!/usr/bin/env python3
"""Generate the cffi declarations of libefc's public API (the Python
package's _cdef.h) from include/efc/ with the C preprocessor, so that the
bindings declare exactly what the headers declare.

The headers are preprocessed with empty stand-ins for the system headers
they include (stddef.h, stdio.h): cffi knows size_t and ptrdiff_t, and FILE
is declared opaque. Comments, macros and the C++ guards go away.

usage: make_cdef.py --include DIR --output FILE -- CC [CC ARGS...]
"""
import argparse
import pathlib
import re
import subprocess
import sys
import tempfile

PRELUDE = "typedef struct _IO_FILE FILE;\n"


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--include", required=True)
    ap.add_argument("--output", required=True)
    ap.add_argument("cc", nargs="+")
    a = ap.parse_args()
    with tempfile.TemporaryDirectory() as stubs:
        for name in ("stddef.h", "stdio.h", "stdint.h"):
            (pathlib.Path(stubs) / name).write_text("")
        cmd = [*a.cc, "-E", "-P", "-nostdinc", "-I", stubs, "-I", a.include,
               "-x", "c", str(pathlib.Path(a.include) / "efc" / "efc.h")]
        text = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
    # one declaration per line, blank lines squeezed
    text = re.sub(r"\n\s*\n+", "\n", text).strip() + "\n"
    # integer constants (#define NAME 40), which cffi takes as they are
    headers = "".join(p.read_text() for p in sorted((pathlib.Path(a.include) / "efc").glob("*.h")))
    for name, value in re.findall(r"^#define (EFC_\w+)\s+(\d+)\s*$", headers, flags=re.M):
        text += f"#define {name} {value}\n"
    if "__attribute__" in text or re.search(r"^#(?!define EFC_\w+ \d+$)", text, flags=re.M):
        print("make_cdef: unexpected preprocessor output", file=sys.stderr)
        return 1
    out = pathlib.Path(a.output)
    content = ("/* Generated from include/efc/ by tools/make_cdef.py: do not edit. */\n" +
               PRELUDE + text)
    if not out.exists() or out.read_text() != content:
        out.write_text(content)
    return 0


if __name__ == "__main__":
    sys.exit(main())
