"""The guide's examples run as written: every ```python block of
docs/python.md, in order, in one namespace, from a working directory that
holds the example survey (examples/data/survey.csv) as survey.csv and
COINr's ASEM example (examples/asem/: asem_codebook.csv, asem_data.csv); so
do those of docs/pipeline.md, whose relative links all lead to a file (and
an anchor of a page). A block preceded by the line `<!-- not run: why -->` is
shown but not run (none is today). The C guide's examples name only actors
the example survey has."""
import csv
import re
import shutil
import traceback
import warnings

import matplotlib.pyplot as plt
import pytest

NOT_RUN = re.compile(r"<!-- not run: .+ -->")


def python_blocks(page: str):
    """(first line number, code, runnable) of each ```python block."""
    lines = page.splitlines()
    blocks, i = [], 0
    while i < len(lines):
        if lines[i].strip() == "```python":
            start = i + 1
            j = start
            while lines[j].strip() != "```":
                j += 1
            marked = i > 0 and NOT_RUN.fullmatch(lines[i - 1].strip()) is not None
            blocks.append((start + 1, "\n".join(lines[start:j]) + "\n", not marked))
            i = j
        i += 1
    return blocks


def test_blocks_are_found():
    page = "a\n<!-- not run: needs a file -->\n```python\nx = 1\n```\n```python\ny = 2\n```\n"
    assert python_blocks(page) == [(4, "x = 1\n", False), (7, "y = 2\n", True)]


def test_python_guide_examples_run(source_root, example_survey, tmp_path, monkeypatch):
    run_page(source_root / "docs" / "python.md", 10, source_root, example_survey, tmp_path,
             monkeypatch)


def test_pipeline_guide_examples_run(source_root, example_survey, tmp_path, monkeypatch):
    run_page(source_root / "docs" / "pipeline.md", 3, source_root, example_survey, tmp_path,
             monkeypatch)


def anchor(heading: str) -> str:
    """GitHub's anchor of a Markdown heading."""
    return re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")


def test_pipeline_guide_links_lead_somewhere(source_root):
    page = source_root / "docs" / "pipeline.md"
    links = re.findall(r"\]\(([^)\s]+)\)", page.read_text())
    assert len(links) > 10
    broken = []
    for link in links:
        if re.match(r"[a-z]+:", link):
            continue
        path, _, frag = link.partition("#")
        target = (page.parent / path).resolve() if path else page
        if not target.is_file():
            broken.append(link)
        elif frag:
            headings = re.findall(r"^#+ (.+)$", target.read_text(), flags=re.M)
            if frag not in {anchor(h) for h in headings}:
                broken.append(link)
    assert not broken, f"docs/pipeline.md links to nothing: {broken}"


def run_page(page, at_least, source_root, example_survey, tmp_path, monkeypatch):
    blocks = python_blocks(page.read_text())
    assert len(blocks) >= at_least
    shutil.copy(example_survey, tmp_path / "survey.csv")
    for name in ("asem_codebook.csv", "asem_data.csv"):  # "Indices from indicator data"
        shutil.copy(source_root / "examples" / "asem" / name, tmp_path / name)
    monkeypatch.chdir(tmp_path)
    namespace = {"__name__": "__docs__"}
    try:
        for line, code, runnable in blocks:
            if not runnable:
                continue
            compiled = compile("\n" * (line - 1) + code, str(page), "exec")
            with warnings.catch_warnings():
                # a warning the guide does not expect is a failure of the guide
                warnings.simplefilter("error")
                try:
                    exec(compiled, namespace)
                except Exception as e:
                    where = [f.lineno for f in traceback.extract_tb(e.__traceback__)
                             if f.filename == str(page)]
                    pytest.fail(f"docs/{page.name}:{where[-1] if where else line}: the example "
                                f"raises {type(e).__name__}: {e}")
    finally:
        plt.close("all")


def survey_actors(example_survey):
    with open(example_survey, newline="") as f:
        return {row["id"] for row in csv.DictReader(f)}


def test_c_guide_names_actors_of_the_example_survey(source_root, example_survey):
    page = (source_root / "docs" / "c-api.md").read_text()
    named = re.findall(r'efc_panel_find_actor\([^,]+, "([^"]+)"\)', page)
    assert named, "docs/c-api.md no longer looks actors up: update this test"
    unknown = sorted(set(named) - survey_actors(example_survey))
    assert not unknown, f"docs/c-api.md names actors examples/data has not: {unknown}"


def test_python_guide_names_actors_of_the_example_survey(source_root, example_survey):
    """Strings that look like actor ids (lower-case words joined by
    hyphens) in the guide's Python examples are actors of the survey."""
    page = (source_root / "docs" / "python.md").read_text()
    code = "".join(c for _, c, _ in python_blocks(page))
    named = set(re.findall(r'"([a-z]+(?:-[a-z]+)+)"', code))
    unknown = sorted(named - survey_actors(example_survey))
    assert not unknown, f"docs/python.md names actors examples/data has not: {unknown}"
