"""The output-safety rule (docs/cli.md, "Inputs and outputs"): no output lands on an
input, a failed or interrupted run replaces nothing, descriptors are written in place."""
import os
import pathlib
import resource
import shutil
import signal
import subprocess
import time
import xml.etree.ElementTree as ET

import pytest

EXAMPLE = "examples/data/survey.csv"
EXE = os.environ.get("EFC_CLI", "efc")
SOURCE_ROOT = pathlib.Path(os.environ.get("EFC_SOURCE_ROOT", pathlib.Path(__file__).parents[2]))


def sh(script, *args, **kw):
    """Run a shell script with $E the efc executable (for redirections pytest cannot do)."""
    return subprocess.run(["sh", "-c", script, "sh", *map(str, args)], capture_output=True,
                          env={**os.environ, "E": EXE}, timeout=120, **kw)


@pytest.fixture
def survey(tmp_path, source_root):
    src = tmp_path / "in.csv"
    src.write_bytes((source_root / EXAMPLE).read_bytes())
    return src


def temporaries(d):
    return sorted(str(p) for p in pathlib.Path(d).rglob("*") if ".tmp" in p.name)


# ---- outputs that resolve to an input ---------------------------------------------


def test_dev_stdin_output_is_the_survey_and_refused(survey):
    before = survey.read_bytes()
    r = sh('"$E" score -q - -o /dev/stdin < "$1"', survey)
    assert r.returncode == 2, r.stderr
    assert b"-o would overwrite an input file (the survey, standard input)" in r.stderr
    assert survey.read_bytes() == before


def test_standard_output_onto_the_survey_is_refused(survey):
    before = survey.read_bytes()
    r = sh('"$E" score -q "$1" >> "$1"', survey)
    assert r.returncode == 2, r.stderr
    assert b"standard output would overwrite an input file (the survey " in r.stderr
    assert survey.read_bytes() == before


def test_descriptor_paths_onto_an_input_are_refused(efc, tmp_path, survey):
    before = survey.read_bytes()
    cb = tmp_path / "cb.csv"
    assert efc("model", "--export", "-o", cb).status == 0
    model = cb.read_bytes()
    # a descriptor the shell opened on the model, and a link to /dev/stdin
    r = sh('"$E" score -q --model "$2" -o /dev/fd/3 "$1" 3<"$2"', survey, cb)
    assert r.returncode == 2 and b"(--model " in r.stderr, r.stderr
    (tmp_path / "link").symlink_to("/dev/stdin")
    r = sh('"$E" score -q -o "$2" - < "$1"', survey, tmp_path / "link")
    assert r.returncode == 2 and b"would overwrite an input file" in r.stderr, r.stderr
    assert survey.read_bytes() == before and cb.read_bytes() == model


def test_every_output_is_named_in_its_own_error(efc, tmp_path, survey):
    before = survey.read_bytes()
    cases = [
        (["sensitivity", "--sobol", survey], "--sobol would overwrite an input file"),
        (["sensitivity", "--runs", survey], "--runs would overwrite an input file"),
        (["sensitivity", "--on-error", "skip", "--rejects", survey],
         "--rejects would overwrite an input file"),
        (["sensitivity", "--sobol", tmp_path / "x.csv", "--runs", tmp_path / "x.csv"],
         "--sobol and --runs name the same file"),
        (["sensitivity", "-o", tmp_path / "y.csv", "--runs", tmp_path / "./y.csv"],
         "-o and --runs name the same file"),
        (["score", "--on-error", "skip", "--rejects", "-"],
         "standard output and --rejects name the same file"),
        (["report", "-o", survey], "-o would overwrite an input file"),
        (["chart", "radar", "--actor", "x", "-o", survey], "-o would overwrite an input file"),
        (["trajectory", "-o", survey], "-o would overwrite an input file"),
    ]
    for args, message in cases:
        r = efc(*args, survey)
        assert r.status == 2, (args, r.err)
        assert message in r.err, (args, r.err)
        assert survey.read_bytes() == before
    assert not list(tmp_path.glob("x.csv*")) and not list(tmp_path.glob("y.csv*"))


def test_questionnaire_and_export_never_replace_their_model(efc, tmp_path):
    cb = tmp_path / "cb.csv"
    assert efc("model", "--export", "-o", cb).status == 0
    before = cb.read_bytes()
    for mode in ("--export", "--template", "--questionnaire"):
        r = efc("model", "--model", cb, mode, "-o", cb)
        assert r.status == 2 and "-o would overwrite an input file (--model " in r.err, r.err
    hard = tmp_path / "hard.csv"
    os.link(cb, hard)
    r = efc("model", "--model", cb, "--export", "-o", hard)
    assert r.status == 2, r.err
    assert cb.read_bytes() == before


# ---- descriptors and devices are written in place ---------------------------------


def test_dev_stdout_appends_to_a_log(tmp_path, survey):
    log = tmp_path / "log"
    log.write_text("earlier line\n")
    r = sh('"$E" score -q "$1" -o /dev/stdout >> "$2"', survey, log)
    assert r.returncode == 0, r.stderr
    lines = log.read_text().splitlines()
    assert lines[0] == "earlier line" and lines[1].startswith("id,period,efc")
    assert len(lines) == 1 + 1 + 42
    # a link to /dev/stdout is a descriptor too, and so is /dev/fd/1
    (tmp_path / "out").symlink_to("/dev/stdout")
    for target in (tmp_path / "out", "/dev/fd/1", "/proc/self/fd/1"):
        r = sh('"$E" score -q "$1" -o "$3" >> "$2"', survey, log, target)
        assert r.returncode == 0, r.stderr
    assert len(log.read_text().splitlines()) == 4 * 43 + 1
    assert (tmp_path / "out").is_symlink()
    assert temporaries(tmp_path) == []


def test_closed_standard_output_is_an_io_error(tmp_path, survey):
    before = survey.read_bytes()
    for script in ('"$E" score -q "$1" -o /dev/stdout >&-', '"$E" score -q "$1" >&-',
                   '"$E" model --export >&-', '"$E" --help >&-',
                   '"$E" report -q "$1" -o /dev/fd/1 >&-'):
        r = sh(script, survey)
        assert r.returncode == 3, (script, r.stderr)
        assert b"standard output is closed" in r.stderr, (script, r.stderr)
        assert survey.read_bytes() == before
    # closed standard input, with the survey read from it
    r = sh('"$E" score -q <&-')
    assert r.returncode == 3 and b"standard input is closed" in r.stderr, r.stderr
    # with standard output closed, a file output still works and nothing lands on the survey
    out = tmp_path / "o.csv"
    r = sh('"$E" score -q "$1" -o "$2" >&-', survey, out)
    assert r.returncode == 0, r.stderr
    assert out.read_text().startswith("id,period,efc")
    assert survey.read_bytes() == before


def test_dangling_link_creates_its_target(efc, tmp_path, survey):
    link = tmp_path / "link.csv"
    link.symlink_to("sub/target.csv")
    (tmp_path / "sub").mkdir()
    r = efc("score", "-q", "-o", link, survey)
    assert r.status == 0, r.err
    assert link.is_symlink() and os.readlink(link) == "sub/target.csv"
    assert (tmp_path / "sub" / "target.csv").read_text().startswith("id,period,efc")
    # a chain of links, the last one dangling
    (tmp_path / "first.csv").symlink_to("link2.csv")
    (tmp_path / "link2.csv").symlink_to(tmp_path / "final.csv")
    assert efc("model", "--export", "-o", tmp_path / "first.csv").status == 0
    assert (tmp_path / "first.csv").is_symlink() and (tmp_path / "link2.csv").is_symlink()
    assert (tmp_path / "final.csv").read_text().startswith("id,parent")
    # a loop of links is an I/O error, not a hang
    (tmp_path / "loop1").symlink_to("loop2")
    (tmp_path / "loop2").symlink_to("loop1")
    r = efc("model", "--export", "-o", tmp_path / "loop1")
    assert r.status == 3 and "loop1" in r.err, r.err


# ---- a failed run replaces nothing ------------------------------------------------


def test_a_failed_run_keeps_every_earlier_output(efc, tmp_path):
    dup = tmp_path / "dup.csv"
    dup.write_text("id,period,soc_needs\na,2020,1\na,2020,2\nb,2020,x\n")
    rej, out = tmp_path / "rej.csv", tmp_path / "out.csv"
    for verb in ("trajectory", "rank", "sensitivity", "report"):
        rej.write_text("old rejects\n")
        out.write_text("old output\n")
        r = efc(verb, "-q", "--on-error", "skip", "--rejects", rej, "-o", out, dup)
        assert r.status == 1 and "two assessments" in r.err, (verb, r.err)
        assert rej.read_text() == "old rejects\n", verb
        assert out.read_text() == "old output\n", verb
        assert temporaries(tmp_path) == [], verb
    # the same survey without the duplicate: both are replaced
    dup.write_text("id,period,soc_needs\na,2020,1\nb,2020,x\n")
    r = efc("trajectory", "-q", "--on-error", "skip", "--rejects", rej, "-o", out, dup)
    assert r.status == 5, r.err
    assert rej.read_text().startswith("line,column,reason")
    assert out.read_text().startswith("id,")


def test_sensitivity_failure_keeps_its_side_files(efc, tmp_path, survey):
    files = {n: tmp_path / f"{n}.csv" for n in ("o", "sobol", "runs")}
    for f in files.values():
        f.write_text("previous\n")
    # --by on a node whose scores nobody has at that period fails after the files are opened
    r = efc("sensitivity", "--at", "1999", "--sobol", files["sobol"], "--runs",
            files["runs"], "-o", files["o"], survey)
    assert r.status == 1, r.err
    assert all(f.read_text() == "previous\n" for f in files.values())
    assert temporaries(tmp_path) == []


# ---- report pages -----------------------------------------------------------------


def test_pages_are_checked_against_inputs(efc, tmp_path, survey):
    pages = tmp_path / "r-actors"
    pages.mkdir()
    inside = pages / "a1.html"
    inside.write_bytes(survey.read_bytes())
    r = efc("report", "-q", "--pages", "-o", tmp_path / "r.html", inside)
    assert r.status == 2 and "holds an input file" in r.err, r.err
    assert inside.read_bytes() == survey.read_bytes()
    inside.unlink()
    (pages / "notes.txt").write_text("mine\n")
    r = efc("report", "-q", "--pages", "-o", tmp_path / "r.html", survey)
    assert r.status == 2 and "holds 'notes.txt'" in r.err, r.err
    assert (pages / "notes.txt").read_text() == "mine\n"
    assert not (tmp_path / "r.html").exists()
    (pages / "notes.txt").unlink()
    pages.rmdir()
    (tmp_path / "r-actors").write_text("a file\n")
    r = efc("report", "-q", "--pages", "-o", tmp_path / "r.html", survey)
    assert r.status == 2 and "is not a directory" in r.err, r.err


def test_pages_refuse_devices(efc, tmp_path, survey):
    for out in ("/dev/null", "/dev/stdout", "-"):
        r = efc("report", "-q", "--pages", "-o", out, survey)
        assert r.status == 2 and "--pages needs -o FILE" in r.err, (out, r.err)
    assert not os.path.exists("/dev/null-actors")


def test_pages_directory_holds_exactly_this_report(efc, tmp_path, survey):
    out = tmp_path / "r.html"
    assert efc("report", "-q", "--pages", "-o", out, survey).status == 0
    pages = tmp_path / "r-actors"
    assert len(list(pages.iterdir())) == 14
    two = "ferme-des-coteaux,legumerie-solidaire"
    assert efc("report", "-q", "--pages", "--actors", two, "-o", out, survey).status == 0
    names = sorted(p.name for p in pages.iterdir())
    assert len(names) == 2
    html = out.read_text()
    assert all(f'href="r-actors/{n}' in html for n in names)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.csv", "r-actors", "r.html"]
    # a failed run leaves the pages of the last good one
    r = efc("report", "-q", "--pages", "--actors", "nobody", "-o", out, survey)
    assert r.status == 1
    assert sorted(p.name for p in pages.iterdir()) == names
    assert temporaries(tmp_path) == []


def test_pages_follow_a_linked_overview(efc, tmp_path, survey):
    (tmp_path / "real").mkdir()
    link = tmp_path / "r.html"
    link.symlink_to(tmp_path / "real" / "report.html")
    assert efc("report", "-q", "--pages", "-o", link, survey).status == 0
    assert link.is_symlink()
    assert len(list((tmp_path / "real" / "report-actors").iterdir())) == 14
    assert 'href="report-actors/a1.html"' in (tmp_path / "real" / "report.html").read_text()


# ---- signals and limits -----------------------------------------------------------


@pytest.fixture(scope="module")
def big_survey(tmp_path_factory):
    """A survey long enough that a run is still writing when it is signalled."""
    path = tmp_path_factory.mktemp("big") / "big.csv"
    lines = (SOURCE_ROOT / EXAMPLE).read_text().splitlines()
    header, body = lines[0], lines[1:]
    with path.open("w") as f:
        f.write(header + "\n")
        for k in range(12000):
            for line in body:
                f.write(f"r{k}-{line}\n")
    return path


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM, signal.SIGHUP, signal.SIGPIPE])
@pytest.mark.parametrize("verb", ["score", "report"])
def test_signals_leave_no_temporary_file(tmp_path, big_survey, sig, verb):
    out = tmp_path / ("o.html" if verb == "report" else "o.csv")
    out.write_text("previous\n")
    rej = tmp_path / "rej.csv"
    rej.write_text("previous\n")
    args = [EXE, verb, "-q", "--on-error", "skip", "--rejects", rej, "-o", out]
    if verb == "report":
        args += ["--pages"]
    proc = subprocess.Popen([*map(str, args), str(big_survey)], stderr=subprocess.PIPE)
    deadline = time.monotonic() + 60
    # signalled once it has begun writing its temporary files
    while not temporaries(tmp_path) and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.005)
    proc.send_signal(sig)
    proc.communicate(timeout=60)
    if proc.returncode == 0:
        pytest.skip("the run ended before the signal")  # not seen: the survey is long
    assert proc.returncode == -sig
    assert temporaries(tmp_path) == []
    assert out.read_text() == "previous\n" and rej.read_text() == "previous\n"
    assert not (tmp_path / "o-actors").exists()


@pytest.mark.parametrize("verb", ["score", "report"])
def test_a_signal_while_outputs_are_created_leaves_nothing(tmp_path, survey, verb):
    """Signals sent at random instants of the start-up, where the temporary files and
    the pages directory are created: none may be left behind (a file created but not
    yet listed for the handler was, about once in 60 runs)."""
    import random
    rng = random.Random(15)
    out = tmp_path / ("o.html" if verb == "report" else "o.csv")
    args = [EXE, verb, "-q", "--on-error", "skip", "--rejects", tmp_path / "rej.csv", "-o", out]
    if verb == "report":
        args += ["--pages"]
    args = [*map(str, args), str(survey)]
    leftovers = 0
    for _ in range(250):
        proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(rng.random() * 0.004)
        proc.send_signal(signal.SIGINT)
        proc.wait(timeout=60)
        found = temporaries(tmp_path)
        if found:
            leftovers += 1
            for p in sorted(found, key=len, reverse=True):
                (os.rmdir if os.path.isdir(p) else os.unlink)(p)
    assert leftovers == 0


def test_file_size_limit_is_a_write_error(tmp_path, big_survey):
    out = tmp_path / "o.csv"
    out.write_text("previous\n")

    def limit():
        resource.setrlimit(resource.RLIMIT_FSIZE, (100000, 100000))

    for args, name in ((["-o", out], str(out)), ([], "<stdout>")):
        with open(tmp_path / "stdout", "wb") as so:
            r = subprocess.run([EXE, "score", "-q", *map(str, args), str(big_survey)], stdout=so,
                               stderr=subprocess.PIPE, preexec_fn=limit, timeout=120)
        assert r.returncode == 3, r.stderr
        assert f"efc: {name}: write error: File too large".encode() in r.stderr
    assert out.read_text() == "previous\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["o.csv", "stdout"]


# ---- text that is not UTF-8 in HTML and SVG ---------------------------------------


def svg_parts(html):
    parts, start = [], html.find("<svg")
    while start >= 0:
        end = html.index("</svg>", start) + len("</svg>")
        parts.append(html[start:end])
        start = html.find("<svg", end)
    return parts


def test_bytes_that_are_not_utf8_become_replacement_characters(tmp_path, survey):
    latin1 = tmp_path / os.fsdecode(b"caf\xe9.csv")
    latin1.write_bytes(survey.read_bytes())
    title = b"R\xe9sum\xe9 \xff\xfe <&> \xed\xa0\x80 \xf4\x90\x80\x80 \xc3"
    for kind in ("radar", "trajectory"):
        svg = tmp_path / f"{kind}.svg"
        r = subprocess.run([os.fsencode(EXE), b"chart", kind.encode(), b"--actor",
                            b"ferme-des-coteaux", b"--title", title, b"-o", bytes(svg),
                            os.fsencode(latin1)], capture_output=True, timeout=60)
        assert r.returncode == 0, r.stderr
        data = svg.read_bytes()
        data.decode("utf-8")  # well-formed UTF-8
        root = ET.fromstring(data)  # and well-formed XML
        text = "".join(root.itertext())
        assert "R\ufffdsum\ufffd \ufffd\ufffd <&> \ufffd\ufffd\ufffd" in text
    report = tmp_path / "r.html"
    r = subprocess.run([os.fsencode(EXE), b"report", b"-q", b"--title", title, b"-o",
                        bytes(report), os.fsencode(latin1)], capture_output=True, timeout=60)
    assert r.returncode == 0, r.stderr
    html = report.read_bytes().decode("utf-8")
    assert "caf\ufffd.csv" in html and "R\ufffdsum\ufffd" in html
    parts = svg_parts(html)
    assert len(parts) > 20
    for part in parts:
        ET.fromstring(part)
    q = tmp_path / "q.html"
    r = subprocess.run([os.fsencode(EXE), b"model", b"--questionnaire", b"--title", title,
                        b"-o", bytes(q)], capture_output=True, timeout=60)
    if r.returncode == 0:
        q.read_bytes().decode("utf-8")


# ---- found by a hostile review ------------------------------------------------------


def test_paths_with_percent_signs_are_not_formats(efc, tmp_path, survey):
    odd = tmp_path / "q%n%n%s.csv"
    odd.write_bytes(survey.read_bytes())
    r = sh('"$E" score -q "$1" >> "$1"', odd)
    assert r.returncode == 2, r.stderr
    assert b"(the survey " + bytes(odd) + b")" in r.stderr
    r = efc("score", "-o", odd, odd)
    assert r.status == 2 and f"(the survey {odd})" in r.err
    assert efc("report", "-q", "--pages", "-o", tmp_path / "r.html", survey).status == 0
    (tmp_path / "r-actors" / "%s%s%n").write_text("x")
    r = efc("report", "-q", "--pages", "-o", tmp_path / "r.html", survey)
    assert r.status == 2 and "holds '%s%s%n'" in r.err


def test_pages_directory_against_other_outputs_and_inputs(efc, tmp_path, survey):
    bad = tmp_path / "bad.csv"
    bad.write_text(survey.read_text() + "bogus,row,with,bad,values\n")
    out = tmp_path / "r.html"
    assert efc("report", "-q", "--pages", "-o", out, survey).status == 0
    pages = tmp_path / "r-actors"
    r = efc("report", "-q", "--on-error", "skip", "--pages", "-o", out, "--rejects",
            pages / "a1.html", bad)
    assert r.status == 2 and "--rejects would go into the directory of --pages" in r.err
    r = efc("report", "-q", "--on-error", "skip", "--pages", "-o", out, "--rejects", pages, bad)
    assert r.status == 3 and "is a directory" in r.err
    # the directory not made yet, and --rejects named as it
    other = tmp_path / "o.html"
    r = efc("report", "-q", "--on-error", "skip", "--pages", "-o", other, "--rejects",
            tmp_path / "o-actors", bad)
    assert r.status == 2 and "--rejects would go into the directory of --pages" in r.err
    # a directory named like a page, holding the survey
    (pages / "a5.html").unlink()
    (pages / "a5.html").mkdir()
    inner = pages / "a5.html" / "s.csv"
    inner.write_bytes(survey.read_bytes())
    r = efc("report", "-q", "--pages", "-o", out, inner)
    assert r.status == 2 and "holds 'a5.html'" in r.err
    assert inner.exists() and temporaries(tmp_path) == []
    # the survey on standard input, a file of the directory
    inner.unlink()
    (pages / "a5.html").rmdir()
    (pages / "a1.html").write_bytes(survey.read_bytes())
    r = sh('"$E" report -q --pages -o "$1" - < "$2"', out, pages / "a1.html")
    assert r.returncode == 2 and b"holds an input file (the survey standard input)" in r.stderr
    assert (pages / "a1.html").read_bytes() == survey.read_bytes()
    # a loop of links as the directory
    loop = tmp_path / "loop-actors"
    loop.symlink_to("loop-actors")
    r = efc("report", "-q", "--pages", "-o", tmp_path / "loop.html", survey)
    assert r.status == 3 and "Too many levels of symbolic links" in r.err


def test_an_output_on_another_outputs_temporary_name_is_refused(tmp_path, survey):
    out = tmp_path / "x"
    r = sh('cd "$1" && exec "$E" score -q --on-error skip -o x --rejects "x.tmp$$.0" "$2"',
           tmp_path, survey)
    assert r.returncode == 2 and b"one is the other's temporary name" in r.stderr
    assert not out.exists()


@pytest.mark.skipif(os.geteuid() != 0 or not shutil.which("setpriv"), reason="needs root")
def test_a_refused_rename_replaces_no_output(tmp_path, survey):
    """In a sticky directory another user's file cannot be replaced: the run
    fails (exit 3) before any of its outputs is, the one it could replace too."""
    d = tmp_path / "sticky"
    d.mkdir()
    d.chmod(0o1777)
    tmp_path.chmod(0o755)
    src = d / "s.csv"
    src.write_text(survey.read_text() + "bogus,row,with,bad,values\n")
    src.chmod(0o644)
    theirs, mine = d / "o.csv", d / "rej.csv"
    theirs.write_text("root's\n")
    theirs.chmod(0o666)
    mine.write_text("old rejects\n")
    os.chown(mine, 65534, 65534)
    r = subprocess.run(["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", EXE,
                        "score", "-q", "--on-error", "skip", "-o", str(theirs), "--rejects",
                        str(mine), str(src)], capture_output=True, timeout=60)
    assert r.returncode == 3, r.stderr
    assert theirs.read_text() == "root's\n" and mine.read_text() == "old rejects\n"
    assert temporaries(d) == []


def test_a_closed_pipe_ends_by_sigpipe_or_is_a_write_error(big_survey):
    """The reader of standard output goes away: efc ends by SIGPIPE, as
    `efc score ... | head` expects; with SIGPIPE ignored from the start, a
    write error (exit 3) that says so."""
    for ignored in (False, True):
        proc = subprocess.Popen(
            [EXE, "score", "-q", str(big_survey)], stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            preexec_fn=(lambda: signal.signal(signal.SIGPIPE, signal.SIG_IGN)) if ignored
            else None)
        proc.stdout.readline()
        proc.stdout.close()
        err = proc.stderr.read().decode()
        proc.wait(timeout=60)
        if ignored:
            assert proc.returncode == 3 and "Broken pipe" in err
        else:
            assert proc.returncode == -signal.SIGPIPE and err == ""
