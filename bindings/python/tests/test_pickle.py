"""Every public object pickles (pickle, cloudpickle), copies (copy.copy,
copy.deepcopy) and works in another process, and is equal to what it was
(issue 20, section 2; docs/python.md, "Pickling, processes and Dask").

Model: its canonical codebook; Panel: its model and assessments; Quality
and Sensitivity: their results as read from the library, bit for bit; a
Survey, a stream being read, refuses with efc.StateError. Equality is by
content, and hash agrees with it."""
import copy
import os
import pickle
import signal
import subprocess
import sys
import textwrap

import numpy as np
import pandas as pd
import pytest

import efc

SMALL = ("id,parent,weight,min,max,direction,transform,aggregate,min_coverage,threshold\n"
         "g,,1,,,,,mean,0,0.5\nx,g,1,0,4,+,none,,,\ny,g,1,0,4,-,none,,,\n")


def _cloudpickle():
    try:
        import cloudpickle
    except ImportError:
        pytest.skip("cloudpickle is not installed (apt-get install python3-cloudpickle)")
    return cloudpickle


def _round_trip(how: str, obj):
    if how.startswith("pickle"):
        protocol = int(how.split(":")[1])
        return pickle.loads(pickle.dumps(obj, protocol=protocol))
    if how == "cloudpickle":
        cp = _cloudpickle()
        return cp.loads(cp.dumps(obj))
    if how == "deepcopy":
        return copy.deepcopy(obj)
    assert how == "copy"
    return copy.copy(obj)


WAYS = [f"pickle:{p}" for p in range(2, pickle.HIGHEST_PROTOCOL + 1)] + \
    ["cloudpickle", "deepcopy", "copy"]


@pytest.fixture(scope="module")
def survey_path():
    from conftest import SOURCE_ROOT
    return SOURCE_ROOT / "examples" / "data" / "survey.csv"


@pytest.fixture(scope="module")
def panel(survey_path):
    return efc.Panel.from_survey(survey_path, groups=["sector", "sphere"])


@pytest.fixture(scope="module")
def date_panel():
    # dates written dd/mm/yyyy, a missing score, a grouping column
    model = efc.Model.from_text(SMALL, name="small.csv")
    frame = pd.DataFrame({"id": ["a", "a", "b", "b", "c"],
                          "period": ["31/12/2023", "30/06/2024", "31/12/2023", "31/12/2024",
                                     "01/01/2024"],
                          "kind": ["p", "p", "q", None, "q"],
                          "x": [1, 2, 3, np.nan, 0], "y": [4, 3, 1, 2, 0]})
    return efc.Panel.from_frame(frame, model, groups="kind", date_format="dmy", name="f")


@pytest.fixture(scope="module")
def quality(survey_path):
    return efc.Quality.from_survey(survey_path, min_answers=20)


@pytest.fixture(scope="module")
def sensitivity(panel):
    return panel.sensitivity(samples=64, seed=3, sobol=True, bootstrap=50, top=5,
                             aggregations={"efc": ["mean", "geomean", "power:2"]}, threads=1)


# ---- models ----

@pytest.mark.parametrize("how", WAYS)
def test_model_round_trip(how):
    for m in (efc.Model.default(), efc.Model.from_text(SMALL, name="small.csv"),
              efc.ModelBuilder().add_group("r").add_leaf("a", "r", 0, 1).build()):
        again = _round_trip(how, m)
        assert again == m and hash(again) == hash(m)
        assert again.sha256 == m.sha256 and again.to_codebook() == m.to_codebook()
        assert again.source == m.source and again.node_ids == m.node_ids
        assert again.score_array(np.ones((2, len(m.leaf_ids)))).tobytes() == \
            m.score_array(np.ones((2, len(m.leaf_ids)))).tobytes()
        if how in ("copy", "deepcopy"):
            assert again is m  # immutable: the copy is the model itself


def test_model_pickles_by_a_module_function():
    # a bound classmethod is what cloudpickle serialised by value (issue 20)
    fn, args = efc.Model.default().__reduce__()
    assert fn.__module__ == "efc.model" and "." not in fn.__qualname__


def test_model_equality_is_content():
    m = efc.Model.default()
    same = efc.Model.from_text(m.to_codebook(), name="elsewhere.csv")
    assert same == m and hash(same) == hash(m) and same.source != m.source
    edited = m.copy().set_threshold("efc", 0.5).build()
    assert edited != m and not (edited == m)
    assert len({m, same, edited, efc.Model.default()}) == 2
    assert {m: 1}[same] == 1
    assert m != "default" and m != None  # noqa: E711
    assert m == m.copy().build()


# ---- builders ----

@pytest.mark.parametrize("how", WAYS)
def test_builder_round_trip(how):
    b = efc.Model.default().copy().set_threshold("efc", 0.5)
    again = _round_trip(how, b)
    assert again is not b
    again.set_weight("levers", 2)  # independent of the original
    b_model, again_model = b.build(), again.build()
    assert b_model.node("levers").weight == 1 and again_model.node("levers").weight == 2
    assert again_model.node("efc").threshold == 0.5


@pytest.mark.parametrize("how", ["pickle:4", "cloudpickle"])
def test_builder_that_does_not_build_refuses(how):
    b = efc.ModelBuilder().add_group("root")  # a group without children
    with pytest.raises(efc.StateError, match="cannot be pickled.*does not build"):
        _round_trip(how, b)
    b.add_leaf("a", "root", 0, 1)  # still editable
    assert _round_trip(how, b).build() == b.build()
    with pytest.raises(efc.ArgumentError, match="already built"):
        _round_trip(how, b)


# ---- panels ----

def _panel_reads(p):
    a = p.actors[0]
    return [p.scores(), p.scores(nodes=p.model.node_ids), p.trajectories(), p.transfers(),
            p.rank(), p.rank(period=p.periods(a)[-1]), p.group_stats(),
            p.compare(p.actors[0], p.actors[-1]), pd.DataFrame([p.trajectory(a)]),
            pd.Series(p.periods(a)), pd.Series(p.period_values(a))]


@pytest.mark.parametrize("how", WAYS)
def test_panel_round_trip(how, panel, date_panel):
    for p in (panel, date_panel):
        again = _round_trip(how, p)
        assert again == p and hash(again) == hash(p) and again is not p
        assert again.model == p.model and again.actors == p.actors and len(again) == len(p)
        assert again.group_columns == p.group_columns and again.period_kind == p.period_kind
        for mine, theirs in zip(_panel_reads(p), _panel_reads(again)):
            pd.testing.assert_frame_equal(pd.DataFrame(mine), pd.DataFrame(theirs))
            assert pd.DataFrame(mine).attrs == pd.DataFrame(theirs).attrs
    # the survey's date format travels (with which periods given as arguments are read)
    again = _round_trip(how, date_panel)
    assert again._format == date_panel._format == ("dmy", False)
    assert again.assessment("a", "2024-06-30") == date_panel.assessment("a", "2024-06-30") == 1


def test_panel_rebuilt_from_misaligned_scores(panel, misaligned):
    # pickle (protocol 5, a cluster's transport) may give back the scores as a
    # view at any byte offset of its stream
    rebuild, (state,) = panel.__reduce__()
    odd = misaligned(state["assessments"][5])
    state = dict(state, assessments=state["assessments"][:5] + (odd,))
    again = rebuild(state)
    assert again == panel and hash(again) == hash(panel)


def test_panel_keeps_rejected_rows_and_source():
    data = b"id,period,x,y\na,2024,1,2\nb,2024,9,x\nc,2023,1,1\n"
    p = efc.Panel.from_survey(data, efc.Model.from_text(SMALL), on_error="skip", name="s.csv")
    again = pickle.loads(pickle.dumps(p))
    pd.testing.assert_frame_equal(again.rejected, p.rejected)
    assert len(p.rejected) == 1 and again._source == "s.csv"
    deep = copy.deepcopy(p)
    assert deep.rejected is not p.rejected  # deep: a frame of its own
    pd.testing.assert_frame_equal(deep.rejected, p.rejected)


def test_panel_equality_is_content(survey_path, panel):
    same = efc.Panel.from_survey(survey_path, groups=["sector", "sphere"])
    assert same == panel and hash(same) == hash(panel)
    assert efc.Panel.from_survey(survey_path, groups=["sector"]) != panel  # other groups
    assert efc.Panel.from_survey(survey_path) != panel
    scores = panel.scores(nodes=panel.model.node_ids)
    scores.loc[0, "efc"] = 0.5  # one score changed
    changed = efc.Panel.from_frame(scores, panel.model, id="actor", scored=True,
                                   groups=["sector", "sphere"])
    assert changed != panel
    # the same scores from a frame: equal but for the lines (frame positions)
    from_frame = efc.Panel.from_frame(panel.scores(nodes=panel.model.node_ids), panel.model,
                                      id="actor", scored=True, groups=["sector", "sphere"])
    assert from_frame != panel
    assert panel != "panel" and len({panel, same}) == 1


# ---- quality ----

def _quality_reads(q):
    return [q.scales(), q.scale_items(), q.reliability(), q.items(), q.levels(),
            pd.Series(q.flags(), dtype=object), pd.Series([q.rows, repr(q)])]


@pytest.mark.parametrize("how", WAYS)
def test_quality_round_trip(how, quality, survey_path):
    for q in (quality, efc.Quality.from_survey(survey_path, distributions=False)):
        again = _round_trip(how, q)
        assert again == q and hash(again) == hash(q)
        for mine, theirs in zip(_quality_reads(q), _quality_reads(again)):
            pd.testing.assert_frame_equal(pd.DataFrame(mine), pd.DataFrame(theirs))
        assert (again.min_answers, again.min_share, again.distributions) == \
            (q.min_answers, q.min_share, q.distributions)


def test_quality_equality_is_content(quality, survey_path):
    same = efc.Quality.from_survey(survey_path, min_answers=20)
    assert same == quality and hash(same) == hash(quality)
    assert efc.Quality.from_survey(survey_path) != quality  # other options
    frame = efc.read_survey(survey_path, answers=True)
    answers = frame.rename(columns=lambda c: c[:-len("_answer")] if c.endswith("_answer")
                           else c)
    assert efc.Quality.from_frame(answers.iloc[:-1], min_answers=20) != quality


# ---- sensitivity ----

def _sensitivity_reads(s):
    a = s.panel.actors[0]
    return [s.ranks(), s.sobol(), s.runs(), pd.DataFrame(s.run_ranks()),
            pd.Series(s.actor(a)), pd.Series(s.run(0)), pd.Series([s.rank(0, a)]),
            pd.Series([s.inputs, s.alternatives(len(s.inputs) - 1), s.ranked, s.variance,
                       s.node, s.samples, s.top, repr(s)])]


@pytest.mark.parametrize("how", WAYS)
def test_sensitivity_round_trip(how, sensitivity):
    again = _round_trip(how, sensitivity)
    assert again == sensitivity and hash(again) == hash(sensitivity)
    assert again.panel == sensitivity.panel
    for mine, theirs in zip(_sensitivity_reads(sensitivity), _sensitivity_reads(again)):
        pd.testing.assert_frame_equal(pd.DataFrame(mine), pd.DataFrame(theirs))
        assert pd.DataFrame(mine).attrs == pd.DataFrame(theirs).attrs
    # bit for bit
    assert again.run_ranks().tobytes() == sensitivity.run_ranks().tobytes()
    assert again.runs()["mean_abs_rank_shift"].to_numpy().tobytes() == \
        sensitivity.runs()["mean_abs_rank_shift"].to_numpy().tobytes()


def test_sensitivity_pickled_before_any_read(panel):
    s = panel.sensitivity(samples=32, seed=5)
    again = pickle.loads(pickle.dumps(s))  # every part is read for the pickle
    assert again._s is None and again == s
    pd.testing.assert_frame_equal(again.ranks(), s.ranks())


def test_sensitivity_equality_is_content(panel, sensitivity):
    # same seed, same bits, whatever the threads: equal
    rerun = panel.sensitivity(samples=64, seed=3, sobol=True, bootstrap=50, top=5,
                              aggregations={"efc": ["mean", "geomean", "power:2"]}, threads=2)
    assert rerun == sensitivity and hash(rerun) == hash(sensitivity)
    other = panel.sensitivity(samples=64, seed=4, sobol=True, bootstrap=50, top=5,
                              aggregations={"efc": ["mean", "geomean", "power:2"]})
    assert other != sensitivity and sensitivity != "s"


# ---- what refuses ----

@pytest.mark.parametrize("how", WAYS)
def test_survey_refuses(how, survey_path):
    with efc.Survey(survey_path, batch_size=8) as s:
        s.read_batch()
        with pytest.raises(efc.StateError, match="cannot be pickled or copied: it is a stream"):
            _round_trip(how, s)
        assert len(s.read()) == 42 - 8  # and goes on reading


# ---- plain results and errors ----

@pytest.mark.parametrize("how", WAYS)
def test_plain_results(how, survey_path):
    m = efc.Model.default()
    with efc.Survey(survey_path) as s:
        s.read()
        counts = s.counts
    for obj in (m.node("social"), m.node("soc_needs"), m.score_detail({"soc_needs": 3}),
                counts):
        assert _round_trip(how, obj) == obj


@pytest.mark.parametrize("how", ["pickle:2", "pickle:5", "cloudpickle", "deepcopy"])
def test_errors_travel_whole(how):
    with pytest.raises(efc.NotFoundError) as info:
        efc.Model.default().node("nope")
    errors = [info.value,
              efc.InvalidValueError(6, "bad", "f.csv", 3, 2, "x", "f.csv:3:2: bad",
                                    reason="duplicate_assessment", other_line=1,
                                    other_column=2, row=4)]
    try:
        efc.Panel.from_frame(pd.DataFrame({"id": ["a", "a"], "period": [1, 1], "x": [1, 1],
                                           "y": [1, 1]}), efc.Model.from_text(SMALL))
    except efc.InvalidValueError as e:
        errors.append(e)
    assert len(errors) == 3
    fields = ("code", "message", "source", "line", "column", "column_name", "reason",
              "other_line", "other_column", "row", "args")
    for e in errors:
        again = _round_trip(how, e)
        assert type(again) is type(e) and str(again) == str(e)
        assert {f: getattr(again, f) for f in fields} == {f: getattr(e, f) for f in fields}


# ---- other processes ----

def _run_script(tmp_path, code: str, timeout: float = 300) -> str:
    """Run code in a new interpreter (a session of its own, killed whole on
    a timeout); return its output, failing on an error."""
    script = tmp_path / "scenario.py"
    script.write_text(textwrap.dedent(code))
    p = subprocess.Popen([sys.executable, str(script)], cwd=tmp_path, stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, start_new_session=True)
    try:
        out, err = p.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(p.pid, signal.SIGKILL)
        out, err = p.communicate()
        pytest.fail(f"timed out after {timeout} s\n{out.decode()}\n{err.decode()}")
    if p.returncode != 0:
        pytest.fail(f"exit status {p.returncode}\n{out.decode()}\n{err.decode()}")
    return out.decode()


WORK = """
    import multiprocessing, pickle, sys
    import numpy as np
    import efc

    def summary(obj):
        # what the object computes, in whichever process it is
        if isinstance(obj, efc.Model):
            return obj.sha256, obj.score_array(np.full((3, len(obj.leaf_ids)), 2.0)).tobytes()
        if isinstance(obj, efc.Panel):
            return obj.rank().to_csv(), obj.trajectories().to_csv()
        if isinstance(obj, efc.Quality):
            return obj.reliability().to_csv(), obj.items().to_csv()
        if isinstance(obj, efc.Sensitivity):
            return obj.ranks().to_csv(), obj.run_ranks().tobytes(), obj.sobol().to_csv()
        raise TypeError(obj)

    def work(obj):
        # the object itself comes back too (pickled by the worker)
        return obj, summary(obj)

    def sensitivity_there(panel):
        return panel.sensitivity(samples=40, seed=7, sobol=True, bootstrap=20)

    def fails(model):
        return model.node("nope")

    def objects(path):
        panel = efc.Panel.from_survey(path, groups=["sector"])
        return [efc.Model.default(), efc.Model.default().copy().set_weight("levers", 2).build(),
                panel, efc.Quality.from_survey(path),
                panel.sensitivity(samples=40, seed=7, sobol=True, bootstrap=20)]
"""


def test_spawned_processes(tmp_path, survey_path):
    out = _run_script(tmp_path, WORK + f"""
    if __name__ == "__main__":
        objs = objects({str(survey_path)!r})
        with multiprocessing.get_context("spawn").Pool(2) as pool:
            for obj, (back, there) in zip(objs, pool.map(work, objs)):
                assert back == obj and hash(back) == hash(obj), obj
                assert there == summary(obj) == summary(back), obj
            # an analysis run in the worker equals the one run here (same seed)
            remote = pool.apply(sensitivity_there, (objs[2],))
            assert remote == sensitivity_there(objs[2])
            try:
                pool.apply(fails, (objs[0],))
                raise AssertionError("no error")
            except efc.NotFoundError as e:  # the worker's error, whole
                assert e.code == 8 and "nope" in e.message and e.reason == "none", e
        print("ok")
    """)
    assert out.strip() == "ok"


def test_fresh_interpreter_reads_a_pickle(tmp_path, survey_path):
    # written by one process, read by another that never saw the objects
    out = _run_script(tmp_path, WORK + f"""
    if __name__ == "__main__":
        objs = objects({str(survey_path)!r})
        if sys.argv[1:] == ["write"]:
            pickle.dump((objs, [summary(o) for o in objs]), open("objs.pickle", "wb"))
        else:
            import subprocess
            subprocess.run([sys.executable, __file__, "write"], check=True)
            theirs, summaries = pickle.load(open("objs.pickle", "rb"))
            assert theirs == objs
            assert [summary(o) for o in theirs] == summaries == [summary(o) for o in objs]
            print("ok")
    """)
    assert out.strip() == "ok"


def test_dask_processes(tmp_path, survey_path):
    try:
        import dask  # noqa: F401
    except ImportError:
        pytest.skip("dask is not installed (apt-get install python3-dask)")
    out = _run_script(tmp_path, WORK + f"""
    import dask

    def rank_of(panel, node):
        return panel.rank(node=node)

    if __name__ == "__main__":
        objs = objects({str(survey_path)!r})
        model, panel = objs[0], objs[2]
        tasks = [dask.delayed(work)(o) for o in objs]
        tasks.append(dask.delayed(sensitivity_there)(panel))
        tasks += [dask.delayed(rank_of)(panel, n) for n in ("social", "ecological")]
        *results, remote, social, ecological = dask.compute(*tasks, scheduler="processes",
                                                            num_workers=2)
        for obj, (back, there) in zip(objs, results):
            assert back == obj and there == summary(obj), obj
        assert remote == sensitivity_there(panel)
        assert social.equals(panel.rank(node="social"))
        assert ecological.equals(panel.rank(node="ecological"))
        print("ok")
    """)
    assert out.strip() == "ok"


# ---- threads ----

def test_pickling_while_other_threads_use_the_objects(tmp_path, survey_path):
    out = _run_script(tmp_path, f"""
    import pickle, threading
    import numpy as np
    import efc

    def hammer(n, fn):
        errors, start = [], threading.Barrier(n)
        def run(i):
            try:
                start.wait()
                fn(i)
            except BaseException as e:
                errors.append(e)
        threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        return errors

    path = {str(survey_path)!r}
    model = efc.Model.default()
    panel = efc.Panel.from_survey(path, groups=["sector"])
    quality = efc.Quality.from_survey(path)
    for iteration in range(3):
        s = panel.sensitivity(samples=48, seed=iteration, sobol=True, bootstrap=10)
        expected = s.ranks()  # read once, from a twin
        twin = panel.sensitivity(samples=48, seed=iteration, sobol=True, bootstrap=10)
        builder = efc.ModelBuilder().add_group("root").add_leaf("x0", "root", 0, 1)
        pickled = []

        def use(i):
            for k in range(15):
                if i % 2:  # pickle every object while the others read it
                    objs = pickle.loads(pickle.dumps([model, panel, quality, twin, builder]))
                    assert objs[:4] == [model, panel, quality, twin]
                    pickled.append(objs[4])
                elif i == 0:
                    builder.add_leaf(f"x{{k + 1}}", "root", 0, 1)
                else:
                    model.score_array(np.ones((100, len(model.leaf_ids))))
                    panel.rank(), panel.trajectories(), quality.reliability()
                    assert twin.ranks().equals(expected)
                    twin.run_ranks(), twin.sobol(), hash(twin)
        errors = hammer(8, use)
        assert not errors, errors
        assert twin == s
        final = builder.build()
        for b in pickled:  # each a whole builder of the moment: x0 .. xk
            leaves = b.build().leaf_ids
            assert leaves == final.leaf_ids[:len(leaves)], leaves
    print("ok")
    """)
    assert out.strip() == "ok"


def test_panel_of_integer_ids_keeps_them():
    """A panel from a frame of integer ids comes back with integer ids in
    their natural order (the ids' dtype travels with the assessments)."""
    import pandas as pd
    m = efc.ModelBuilder().add_group("g").add_leaf("x", "g", 0, 1).build()
    df = pd.DataFrame({"org": [10, 2, 1], "year": [1, 1, 1], "x": [0.5, 0.2, 0.9]})
    p = efc.Panel.from_frame(df, m, id="org", period="year")
    q = pickle.loads(pickle.dumps(p))
    assert q == p and q.actors == [1, 2, 10]
    assert q.scores()["actor"].dtype == np.int64
    assert list(q.rank().index) == [1, 10, 2]
