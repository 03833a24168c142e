"""The documentation names what the tool has: every node of the default model
is explained in docs/reference-model.md, every option of a command is in
docs/cli.md."""
import re


def test_reference_model_explains_every_node(efc, source_root):
    doc = (source_root / "docs" / "reference-model.md").read_text()
    tree = efc("model").text.splitlines()[1:]
    ids = [line.split()[0] for line in tree]
    assert len(ids) == 37
    missing = [i for i in ids if f"`{i}`" not in doc]
    assert not missing, f"not in docs/reference-model.md: {missing}"


def test_cli_manual_lists_every_option(efc, source_root):
    manual = (source_root / "docs" / "cli.md").read_text()
    man_page = (source_root / "docs" / "efc.1").read_text().replace("\\-", "-")
    for command in commands(efc):
        help_text = efc(command, "--help").text
        assert f"## `efc {command}`" in manual
        assert f".B {command}" in man_page
        for option in set(re.findall(r"--[a-z][a-z-]+", help_text)):
            assert f"`{option}" in manual, f"{command} {option} is not in docs/cli.md"
            if command != "model":
                assert option in man_page, f"{command} {option} is not in docs/efc.1"


def commands(efc):
    """The commands `efc --help` lists."""
    return re.findall(r"^  ([a-z]+) ", efc("--help").text, flags=re.M)


def test_commands_are_all_documented(efc):
    assert commands(efc) == ["model", "score", "index", "trajectory", "compare", "rank", "reliability",
                             "items", "sensitivity", "report", "chart"]


def test_internals_page_maps_every_library_file(source_root):
    """docs/internals.md names every file of libefc/ and only tests that exist."""
    page = (source_root / "docs" / "internals.md").read_text()
    files = sorted(p.name for p in (source_root / "libefc").iterdir()
                   if p.suffix in (".c", ".h", ".csv", ".map"))
    missing = [f for f in files if f"`{f}`" not in page]
    assert not missing, f"not in docs/internals.md: {missing}"
    tests = "".join(p.read_text() for p in (source_root / "tests").rglob("test_*.[cp]*"))
    named = set(re.findall(r"`(test_[a-z0-9_]+)`", page))
    assert len(named) > 10
    unknown = sorted(t for t in named if not re.search(rf"\b{t}\(", tests))
    assert not unknown, f"docs/internals.md names tests that do not exist: {unknown}"
