#!/usr/bin/env python3
"""The public headers, the version script, the shared library and the
Python bindings name the same functions, and every export is versioned
EFC_0.

usage: check_symbols.py INCLUDE_DIR MAP_FILE LIBRARY [PYTHON_PACKAGE_DIR]
"""
import pathlib
import re
import subprocess
import sys


def header_functions(include_dir: pathlib.Path) -> set:
    names = set()
    for h in sorted(include_dir.glob("*.h")):
        text = re.sub(r"/\*.*?\*/", "", h.read_text(), flags=re.S)
        text = "\n".join(l for l in text.splitlines() if not l.lstrip().startswith("#"))
        for decl in re.findall(r"EFC_API\b[^;]*;", text):
            m = re.search(r"\b(efc_\w+)\s*\(", decl)
            if not m:
                raise SystemExit(f"{h}: cannot read declaration: {decl}")
            names.add(m.group(1))
    return names


def map_functions(map_file: pathlib.Path) -> set:
    text = re.sub(r"/\*.*?\*/", "", map_file.read_text(), flags=re.S)
    glob = re.search(r"global:(.*?)local:", text, flags=re.S)
    if not glob:
        raise SystemExit(f"{map_file}: no global section")
    names = set(re.findall(r"\b(\w+)\s*;", glob.group(1)))
    if any("*" in n for n in names):
        raise SystemExit(f"{map_file}: use explicit names, not patterns")
    return names


def exported(library: str) -> dict:
    out = subprocess.run(["objdump", "-T", library], check=True, capture_output=True,
                         text=True).stdout
    found = {}
    for line in out.splitlines():
        parts = line.split()
        if len(parts) >= 7 and parts[3] == ".text":
            found[parts[-1]] = parts[-2]
    return found


def python_wrapped(package: pathlib.Path) -> set:
    """The C functions the Python package calls (as lib.efc_...)."""
    source = "".join(p.read_text() for p in sorted(package.glob("*.py")))
    return set(re.findall(r"lib\.(efc_\w+)", source))


def main() -> int:
    include_dir, map_file, library = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2]), sys.argv[3]
    package = pathlib.Path(sys.argv[4]) if len(sys.argv) > 4 else None
    headers = header_functions(include_dir)
    mapped = map_functions(map_file)
    exports = exported(library)
    problems = []
    for name in sorted(headers - mapped):
        problems.append(f"{name}: declared in a header but missing from {map_file.name}")
    for name in sorted(mapped - headers):
        problems.append(f"{name}: in {map_file.name} but declared in no header")
    for name in sorted(set(exports) - headers):
        problems.append(f"{name}: exported but not public")
    for name in sorted(headers - set(exports)):
        problems.append(f"{name}: public but not exported (not defined?)")
    for name, version in sorted(exports.items()):
        if version != "EFC_0":
            problems.append(f"{name}: exported with version '{version}', expected EFC_0")
        if not name.startswith("efc_"):
            problems.append(f"{name}: exported without the efc_ prefix")
    wrapped = python_wrapped(package) if package else set()
    if package:
        for name in sorted(headers - wrapped):
            problems.append(f"{name}: public but not wrapped by the Python package")
        for name in sorted(wrapped - headers):
            problems.append(f"{name}: called by the Python package but not public")
    for p in problems:
        print(p, file=sys.stderr)
    print(f"{len(headers)} public functions, {len(mapped)} in the map, {len(exports)} exported" +
          (f", {len(wrapped)} wrapped in Python" if package else ""))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
