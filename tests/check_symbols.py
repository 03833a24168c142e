#!/usr/bin/env python3
"""The public headers, the version script, the shared library and the
Python bindings name the same functions, and every export is versioned by
its tier (docs/c-api.md, "Tiers"): EFC_1 for the stable headers,
EFC_EXPERIMENTAL_<major>.<minor> of this release for the headers that
require EFC_EXPERIMENTAL.

usage: check_symbols.py INCLUDE_DIR MAP_FILE LIBRARY [PYTHON_PACKAGE_DIR]
"""
import pathlib
import re
import subprocess
import sys


def experimental_node(include_dir: pathlib.Path) -> str:
    """EFC_EXPERIMENTAL_<major>.<minor> of the version in efc/version.h."""
    text = (include_dir / "version.h").read_text()
    major = re.search(r"#define EFC_VERSION_MAJOR\s+(\d+)", text).group(1)
    minor = re.search(r"#define EFC_VERSION_MINOR\s+(\d+)", text).group(1)
    return f"EFC_EXPERIMENTAL_{major}.{minor}"


def header_functions(include_dir: pathlib.Path) -> dict:
    """name -> True when declared in an experimental header (one that
    refuses to be included without EFC_EXPERIMENTAL)."""
    names = {}
    for h in sorted(include_dir.glob("*.h")):
        source = h.read_text()
        experimental = re.search(r"#ifndef EFC_EXPERIMENTAL\s*\n#error", source) is not None
        text = re.sub(r"/\*.*?\*/", "", source, flags=re.S)
        text = "\n".join(l for l in text.splitlines() if not l.lstrip().startswith("#"))
        for decl in re.findall(r"EFC_API\b[^;]*;", text):
            m = re.search(r"\b(efc_\w+)\s*\(", decl)
            if not m:
                raise SystemExit(f"{h}: cannot read declaration: {decl}")
            names[m.group(1)] = experimental
    return names


def map_functions(map_file: pathlib.Path) -> dict:
    """name -> the version node that lists it."""
    text = re.sub(r"/\*.*?\*/", "", map_file.read_text(), flags=re.S)
    names = {}
    for node, body in re.findall(r"(\w[\w.]*)\s*\{(.*?)\}", text, flags=re.S):
        glob = re.search(r"global:(.*?)(local:|$)", body, flags=re.S)
        if not glob:
            raise SystemExit(f"{map_file}: node {node} has no global section")
        for name in re.findall(r"([\w*]+)\s*;", glob.group(1)):
            if "*" in name:
                raise SystemExit(f"{map_file}: use explicit names, not patterns")
            if name in names:
                raise SystemExit(f"{map_file}: {name} is in two nodes")
            names[name] = node
    if not names:
        raise SystemExit(f"{map_file}: no version node")
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


# Per-element getters whose values the Python package reads only through
# their bulk read (docs/c-api.md, "Bulk reads"): wrapped when the bulk read is.
READ_BY_FILL = {
    "efc_comparison_value": "efc_comparison_fill",
    "efc_index_value": "efc_index_fill",
    "efc_quality_item_flags": "efc_quality_fill_item_flags",
    "efc_quality_item_level_answers": "efc_quality_fill_level_answers",
    "efc_quality_item_value": "efc_quality_fill_items",
    "efc_quality_scale_item_value": "efc_quality_fill_scale_items",
    "efc_quality_scale_value": "efc_quality_fill_scales",
    "efc_ranking_group_value": "efc_ranking_fill_groups",
    "efc_ranking_value": "efc_ranking_fill",
    "efc_sensitivity_sobol_value": "efc_sensitivity_fill_sobol",
}


def python_wrapped(package: pathlib.Path) -> set:
    """The C functions the Python package calls (as lib.efc_...), and the
    getters it reads through their bulk reads."""
    source = "".join(p.read_text() for p in sorted(package.glob("*.py")))
    called = set(re.findall(r"lib\.(efc_\w+)", source))
    return called | {getter for getter, fill in READ_BY_FILL.items() if fill in called}


def main() -> int:
    include_dir, map_file, library = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2]), sys.argv[3]
    package = pathlib.Path(sys.argv[4]) if len(sys.argv) > 4 else None
    tiers = header_functions(include_dir)
    headers = set(tiers)
    nodes = map_functions(map_file)
    mapped = set(nodes)
    exports = exported(library)
    experimental = experimental_node(include_dir)
    problems = []
    for name in sorted(headers - mapped):
        problems.append(f"{name}: declared in a header but missing from {map_file.name}")
    for name in sorted(mapped - headers):
        problems.append(f"{name}: in {map_file.name} but declared in no header")
    for name in sorted(set(exports) - headers):
        problems.append(f"{name}: exported but not public")
    for name in sorted(headers - set(exports)):
        problems.append(f"{name}: public but not exported (not defined?)")
    def right_node(name, node):
        # stable functions: EFC_1, or EFC_1.<minor> for those added later
        if tiers.get(name):
            return node == experimental
        return re.fullmatch(r"EFC_1(\.\d+)?", node) is not None

    for name in sorted(headers & mapped):
        if not right_node(name, nodes[name]):
            want = experimental if tiers[name] else "EFC_1"
            problems.append(f"{name}: in node {nodes[name]} of {map_file.name}, expected {want}")
    for name, version in sorted(exports.items()):
        if version != nodes.get(name) or not right_node(name, version):
            want = experimental if tiers.get(name) else "EFC_1"
            problems.append(f"{name}: exported with version '{version}', expected {want}")
        if not name.startswith("efc_"):
            problems.append(f"{name}: exported without the efc_ prefix")
    for getter, fill in sorted(READ_BY_FILL.items()):
        if getter not in headers or fill not in headers:
            problems.append(f"{getter}, {fill}: a getter and its bulk read, not both public")
    wrapped = python_wrapped(package) if package else set()
    if package:
        for name in sorted(headers - wrapped):
            problems.append(f"{name}: public but not wrapped by the Python package")
        for name in sorted(wrapped - headers):
            problems.append(f"{name}: called by the Python package but not public")
    for p in problems:
        print(p, file=sys.stderr)
    stable = sum(1 for n in headers if not tiers[n])
    print(f"{len(headers)} public functions ({stable} stable, {len(headers) - stable} "
          f"experimental), {len(mapped)} in the map, {len(exports)} exported" +
          (f", {len(wrapped)} wrapped in Python" if package else ""))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
