"""efc --version/--help and the model command: tree, export, template, errors."""
import os
import stat


def test_version(efc):
    r = efc("--version")
    assert r.status == 0
    assert r.text == "efc 0.2.0 (libefc 0.2.0)\n"


def test_usage(efc):
    r = efc()
    assert r.status == 2
    assert "usage: efc" in r.err
    r = efc("--help")
    assert r.status == 0 and "commands:" in r.text
    r = efc("frobnicate")
    assert r.status == 2
    assert r.err == "efc: unknown command 'frobnicate' (see 'efc --help')\n"


def test_model_tree(efc):
    r = efc("model")
    assert r.status == 0
    lines = r.text.splitlines()
    assert lines[0].split()[:4] == ["node", "weight", "aggregate/scale", "coverage"]
    assert lines[1].split()[:4] == ["efc", "1", "geomean", "1"]
    social = next(l for l in lines if l.strip().startswith("social "))
    assert social.startswith("    social") and "0.25" in social and "Social utility" in social
    assert any("eco_single_use" in l and "0..4 (-)" in l for l in lines)
    assert len(lines) == 38  # header and 37 nodes
    fr = efc("model", "--lang", "fr")
    assert "Valeur EFC" in fr.text and "Utilité sociale" in fr.text


def test_model_help(efc):
    r = efc("model", "--help")
    assert r.status == 0 and r.text.startswith("usage: efc model")


def test_export_is_the_embedded_codebook(efc, source_root):
    r = efc("model", "--export")
    assert r.status == 0
    assert r.out == (source_root / "libefc" / "default_codebook.csv").read_bytes()


def test_export_round_trip(efc, tmp_path):
    first = tmp_path / "model.csv"
    assert efc("model", "--export", "-o", first).status == 0
    second = tmp_path / "again.csv"
    assert efc("model", "--model", first, "--export", "--output", second).status == 0
    assert first.read_bytes() == second.read_bytes()
    assert efc("model", "--model", first).text == efc("model").text


def test_template(efc):
    r = efc("model", "--template")
    assert r.status == 0
    fields = r.text.rstrip("\n").split(",")
    assert fields[:3] == ["id", "period", "soc_needs"]
    assert len(fields) == 2 + 29 and fields[-1] == "coop_governance"


def test_template_quotes_odd_ids(efc, tmp_path):
    cb = tmp_path / "cb.csv"
    cb.write_text('id,parent,min,max\nr,,,\n"Q1, trust",r,0,4\n"say ""hi""",r,0,4\n')
    r = efc("model", "--model", cb, "--template")
    assert r.status == 0
    assert r.text == 'id,period,"Q1, trust","say ""hi"""\n'


def test_bad_codebook(efc, tmp_path):
    cb = tmp_path / "bad.csv"
    cb.write_text("id,parent,weight,min,max\nr,,1,,\na,r,-2,0,4\n")
    out = tmp_path / "out.csv"
    r = efc("model", "--model", cb, "--export", "-o", out)
    assert r.status == 1
    assert r.err == f"efc: {cb}:3:3: weight: node 'a': weight must be finite and >= 0, got -2\n"
    assert not out.exists()
    assert os.listdir(tmp_path) == ["bad.csv"]  # no temporary file left either


def test_missing_codebook(efc, tmp_path):
    r = efc("model", "--model", tmp_path / "nope.csv")
    assert r.status == 3
    assert "nope.csv: cannot open:" in r.err


def test_unwritable_output(efc, tmp_path):
    r = efc("model", "--export", "-o", tmp_path / "no" / "such" / "dir.csv")
    assert r.status == 3
    assert "cannot create" in r.err
    r = efc("model", "--export", "-o", "/dev/full")
    assert r.status == 3
    assert "write error" in r.err


def test_devices_are_written_in_place(efc):
    """A device is never replaced by a renamed temporary file."""
    for dev in ("/dev/full", "/dev/null"):
        efc("model", "--export", "-o", dev)
        assert stat.S_ISCHR(os.stat(dev).st_mode), f"{dev} is no longer a device"
    r = efc("model", "--template", "-o", "/dev/stdout")
    assert r.status == 0 and r.text.startswith("id,period,")


def test_usage_errors(efc):
    for args, message in [
        (["model", "--bogus"], "unknown option '--bogus'"),
        (["model", "--model"], "option '--model' needs a value"),
        (["model", "--export=yes"], "option '--export' takes no value"),
        (["model", "--lang", "french"], "two-letter language code"),
        (["model", "extra.csv"], "unexpected argument 'extra.csv'"),
        (["model", "--export", "--template"], "cannot be combined"),
    ]:
        r = efc(*args)
        assert r.status == 2, args
        assert message in r.err, (args, r.err)
        assert "(see 'efc model --help')" in r.err


def test_option_forms(efc, tmp_path):
    out = tmp_path / "t.csv"
    assert efc("model", "--template", f"--output={out}").status == 0
    assert out.read_text().startswith("id,period,")
    out2 = tmp_path / "t2.csv"
    assert efc("model", "--template", f"-o{out2}").status == 0
    assert out2.read_bytes() == out.read_bytes()


def test_model_too_wide_for_a_survey(efc, tmp_path):
    # 99,998 leaves with the id and period make a survey row of 100,000
    # fields, the most a survey row may have: one more leaf is refused
    # where the codebook defines it, naming the limit, not written as a
    # template that efc score would then refuse
    cb = tmp_path / "wide.csv"
    rows = "".join(f"q{j},r,0,4\n" for j in range(1, 100000))
    cb.write_text("id,parent,min,max\nr,,,\n" + rows)
    r = efc("model", "--model", cb, "--template")
    assert r.status == 1 and r.out == b""
    assert f"{cb}:100001:1: id: leaf 'q99999' is leaf number 99999: a model has at most " \
           "99998 leaves" in r.err, r.err
    cb.write_text("id,parent,min,max\nr,,,\n" + rows[:rows.index("q99999,")])
    r = efc("model", "--model", cb, "--template")
    assert r.status == 0 and r.text.count(",") == 99999
    survey = tmp_path / "s.csv"
    survey.write_text(r.text + "a,2024" + ",1" * 99998 + "\n")
    r = efc("score", "--model", cb, survey)
    assert r.status == 0 and r.text == "id,period,r\na,2024,0.25\n", r.err
