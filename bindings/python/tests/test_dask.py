"""efc.dask (issue 20, section 2; docs/python.md, "Dask"): a dask.dataframe
scored where its partitions live, equal bit for bit to Model.score_frame on
the computed frame; a panel built from one, equal to Panel.from_frame; the
same on a distributed.LocalCluster of two worker processes. Skipped where
Dask is not installed (python3-dask, python3-distributed)."""
import os
import subprocess
import sys
import warnings

import numpy as np
import pandas as pd
import pytest

import efc

try:
    import dask
    import dask.dataframe as dd
except ImportError:
    pytest.skip("dask is not installed (apt-get install python3-dask)", allow_module_level=True)

import efc.dask  # noqa: E402

SMALL = ("id,parent,weight,min,max,direction,transform,aggregate,min_coverage,threshold\n"
         "g,,1,,,,,mean,0,0.5\nx,g,1,0,4,+,none,,,\ny,g,1,0,4,-,none,,,\n")

OPTION_SETS = [
    {},
    {"id": "id", "period": "period", "keep": ["sector"], "coverage": True, "items": True,
     "passes": True},
    {"nodes": ["efc", "social", "soc_needs"], "threads": 2},
]


@pytest.fixture(scope="module")
def survey(example_survey_path):
    frame = pd.read_csv(example_survey_path)
    frame.index = 1000 - 7 * np.arange(len(frame))  # an index of its own, not 0..n-1
    return frame


@pytest.fixture(scope="module")
def example_survey_path():
    from conftest import SOURCE_ROOT
    return SOURCE_ROOT / "examples" / "data" / "survey.csv"


def _same(a: pd.DataFrame, b: pd.DataFrame) -> None:
    """Equal frames, bit for bit: columns, dtypes, index, and the bytes of
    every float column (NaN where NaN)."""
    assert list(a.columns) == list(b.columns)
    assert a.dtypes.to_dict() == b.dtypes.to_dict()
    assert a.index.equals(b.index)
    for c in a.columns:
        if a[c].dtype == np.float64:
            assert a[c].to_numpy().tobytes() == b[c].to_numpy().tobytes(), c
        else:
            assert a[c].equals(b[c]), c


# ---- the module ----

def _python(code: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=120)


def test_import_efc_does_not_import_dask():
    p = _python("import sys, efc; efc.Model.default(); print('dask' in sys.modules)")
    assert p.returncode == 0, p.stderr
    assert p.stdout.strip() == "False"


def test_without_dask_the_import_names_the_package():
    # a process where dask cannot be imported
    p = _python("import sys; sys.modules['dask'] = None\n"
                "import efc\n"
                "try:\n    import efc.dask\nexcept ImportError as e:\n"
                "    print(type(e).__name__, e.name, '|', e)\n")
    assert p.returncode == 0, p.stderr
    assert p.stdout.startswith("ImportError dask |"), p.stdout
    assert "python3-dask" in p.stdout


# ---- score_frame ----

@pytest.mark.parametrize("options", OPTION_SETS)
def test_score_frame_equals_the_package(survey, options):
    model = efc.Model.default()
    ddf = dd.from_pandas(survey.sort_index(), npartitions=4)
    lazy = efc.dask.score_frame(model, ddf, **options)
    expected = model.score_frame(ddf.compute(), **options)
    assert lazy.divisions == ddf.divisions and lazy.npartitions == 4
    # the meta is the real function's: the same columns and dtypes as computed
    assert lazy.dtypes.to_dict() == expected.dtypes.to_dict()
    assert list(lazy.columns) == list(expected.columns)
    _same(lazy.compute(scheduler="sync"), expected)
    _same(lazy.compute(scheduler="threads"), expected)


def test_score_frame_keeps_an_unsorted_index(survey):
    model = efc.Model.default()
    ddf = dd.from_pandas(survey, npartitions=3, sort=False)  # 1000, 993, ...: no divisions
    got = efc.dask.score_frame(model, ddf, id="id").compute(scheduler="sync")
    _same(got, model.score_frame(survey, id="id"))


def test_score_frame_text_answers_and_nullable_ids():
    model = efc.Model.from_text(SMALL, name="small.csv")
    frame = pd.DataFrame({"id": pd.array([3, 1, None, 2, 10, 4], dtype="Int64"),
                          "x": ["1", " 2.5 ", "", "4", None, "0"],
                          "y": pd.array([4, 3, 1, None, 0, 2], dtype="Int64")})
    ddf = dd.from_pandas(frame, npartitions=2)
    for kw in ({"id": "id", "passes": True}, {"id": "id", "coverage": True, "items": True}):
        lazy = efc.dask.score_frame(model, ddf, **kw)
        expected = model.score_frame(frame, **kw)
        assert lazy.dtypes.to_dict() == expected.dtypes.to_dict()
        _same(lazy.compute(scheduler="sync"), expected)


def test_score_frame_reports_before_computing(survey):
    model = efc.Model.default()
    ddf = dd.from_pandas(survey, npartitions=2)
    with pytest.raises(efc.ArgumentError, match="dask.dataframe.DataFrame.*Model.score_frame"):
        efc.dask.score_frame(model, survey)
    with pytest.raises(efc.ArgumentError, match="model first"):
        efc.dask.score_frame(ddf, model)
    with pytest.raises(TypeError, match="unexpected options.*'colour'"):
        efc.dask.score_frame(model, ddf, colour=True)
    with pytest.raises(efc.NotFoundError, match="no node 'nope'"):
        efc.dask.score_frame(model, ddf, nodes=["nope"])
    # a leaf without a column: one warning, here, not one per partition
    fewer = dd.from_pandas(survey.drop(columns=["soc_needs"]), npartitions=3, sort=False)
    with pytest.warns(UserWarning, match="1 item of the model has no column.*soc_needs"):
        lazy = efc.dask.score_frame(model, fewer)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        got = lazy.compute(scheduler="sync")
    with pytest.warns(UserWarning):
        _same(got, model.score_frame(survey.drop(columns=["soc_needs"])))


def test_score_frame_error_names_the_index_label(survey):
    model = efc.Model.default()
    bad = survey.copy()
    bad.loc[bad.index[9], "soc_access"] = "abc"
    ddf = dd.from_pandas(bad, npartitions=3, sort=False)
    lazy = efc.dask.score_frame(model, ddf)  # nothing read yet
    with pytest.raises(efc.InvalidValueError, match=f"index {bad.index[9]}: 'abc' is not") as e:
        lazy.compute(scheduler="sync")
    assert e.value.reason == "not_a_number" and e.value.column_name == "soc_access"


# ---- panels ----

def test_panel_from_frame_equals_the_package(survey):
    model = efc.Model.default()
    ddf = dd.from_pandas(survey, npartitions=4, sort=False)
    panel = efc.dask.panel_from_frame(ddf, model, groups=["sector", "sphere"])
    expected = efc.Panel.from_frame(survey, model, groups=["sector", "sphere"])
    assert panel == expected and hash(panel) == hash(expected)
    assert panel.actors == expected.actors and panel.group_columns == ["sector", "sphere"]
    assert panel.rank().equals(expected.rank())
    assert panel.trajectories().equals(expected.trajectories())
    assert panel.scores().equals(expected.scores())  # source lines included


def test_panel_from_frame_integer_ids_dates_and_scored():
    model = efc.Model.from_text(SMALL, name="small.csv")
    frame = pd.DataFrame({"who": [10, 2, 10, 1, 2],
                          "when": ["31/12/2023", "30/06/2024", "31/12/2024", "01/01/2024",
                                   "31/12/2023"],
                          "kind": ["p", "q", "p", None, "q"],
                          "x": [1, 2, 3, np.nan, 0], "y": [4, 3, 1, 2, 0]})
    ddf = dd.from_pandas(frame, npartitions=2)
    kw = dict(id="who", period="when", groups="kind", date_format="dmy", name="f")
    panel = efc.dask.panel_from_frame(ddf, model, **kw)
    expected = efc.Panel.from_frame(frame, model, **kw)
    assert panel == expected and panel.actors == [1, 2, 10]
    assert panel.scores().equals(expected.scores())
    assert panel.rank().equals(expected.rank())
    # scored=True: the frame holds the node scores already
    scored = model.score_frame(frame, id="who", period="when", keep=["kind"], items=True)
    scored = scored.rename(columns={"x_norm": "x", "y_norm": "y"})
    again = efc.dask.panel_from_frame(dd.from_pandas(scored, npartitions=2), model,
                                      scored=True, **kw)
    assert again == efc.Panel.from_frame(scored, model, scored=True, **kw) == expected


def test_panel_from_frame_errors(survey):
    model = efc.Model.default()
    twice = pd.concat([survey, survey.iloc[[5]]])
    ddf = dd.from_pandas(twice, npartitions=3, sort=False)
    with pytest.raises(efc.InvalidValueError) as e:
        efc.dask.panel_from_frame(ddf, model)
    with pytest.raises(efc.InvalidValueError) as local:
        efc.Panel.from_frame(twice, model)
    assert e.value.reason == local.value.reason == "duplicate_assessment"
    assert str(e.value) == str(local.value)  # the frame's index labels, as one process says
    with pytest.raises(efc.ArgumentError, match="no column 'actor'"):
        efc.dask.panel_from_frame(ddf, model, id="actor")
    with pytest.raises(efc.ArgumentError, match="dask.dataframe.DataFrame"):
        efc.dask.panel_from_frame(survey, model)


# ---- a cluster of two worker processes ----

@pytest.fixture(scope="module")
def client():
    distributed = pytest.importorskip(
        "distributed", reason="distributed is not installed (apt-get install python3-distributed)")
    with dask.config.set({"distributed.worker.daemon": True,
                          "distributed.logging.distributed": "error"}), \
            warnings.catch_warnings():
        # tornado 6.2 under distributed 2022.12: "make_current is deprecated"
        warnings.simplefilter("ignore", DeprecationWarning)
        cluster = distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                           dashboard_address=":0", silence_logs=40)
        with cluster, distributed.Client(cluster) as c:
            yield c


def test_cluster_scores_in_the_workers(client, survey):
    import distributed
    model = efc.Model.default()
    big = pd.concat([survey] * 50, ignore_index=True)  # 700 rows, 6 partitions
    ddf = client.persist(dd.from_pandas(big, npartitions=6))
    options = OPTION_SETS[1]
    lazy = efc.dask.score_frame(model, ddf, **options)
    scored = client.persist(lazy)
    distributed.wait(scored)
    # the scored partitions live in the worker processes, not here
    held = client.who_has(scored)
    assert held and all(w for w in held.values())
    pids = set(client.run(os.getpid).values())
    assert len(pids) == 2 and os.getpid() not in pids
    _same(scored.compute(), model.score_frame(big, **options))


def test_cluster_panel_and_errors(client, survey):
    model = efc.Model.default()
    ddf = dd.from_pandas(survey, npartitions=3, sort=False)
    panel = efc.dask.panel_from_frame(ddf, model, groups="sector")  # the client's scheduler
    assert panel == efc.Panel.from_frame(survey, model, groups="sector")
    bad = survey.copy()
    bad.loc[bad.index[4], "eco_material"] = np.inf
    lazy = efc.dask.score_frame(model, dd.from_pandas(bad, npartitions=2, sort=False))
    with pytest.raises(efc.InvalidValueError) as e:  # raised in a worker, whole here
        lazy.compute()
    assert e.value.reason == "not_finite" and f"frame index {bad.index[4]}" in str(e.value)


def test_cluster_sensitivity_in_chunks(client):
    from conftest import SOURCE_ROOT
    hdi = SOURCE_ROOT / "tests" / "data" / "hdi"
    model = efc.Model.from_codebook(hdi / "hdi.csv")
    panel = efc.Panel.from_survey(hdi / "hdi_panel.csv", model, id="iso3", period="year")
    options = dict(samples=200, sobol=True, bootstrap=50, seed=3)
    spread = efc.dask.sensitivity(panel, chunk=64, client=client, **options)
    local = panel.sensitivity(**options)
    assert not spread.partial and spread == local
    assert spread.run_ranks().tobytes() == local.run_ranks().tobytes()
    assert spread.sobol().equals(local.sobol())
    # the current client by default; and options it does not take
    assert efc.dask.sensitivity(panel, chunk=150, **options) == local
    with pytest.raises(TypeError):
        efc.dask.sensitivity(panel, runs=(0, 10))
    with pytest.raises(ValueError):
        efc.dask.sensitivity(panel, chunk=0)
