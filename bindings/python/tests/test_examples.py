"""The Python examples run as a user runs them, and do what they say."""
import os
import subprocess
import sys

import matplotlib.pyplot as plt
import pytest


def run(script, *args, cwd=None):
    # the test's environment: the build tree's package and library (and,
    # under ASan, the preloaded runtime the interpreter needs)
    return subprocess.run([sys.executable, str(script), *map(str, args)], capture_output=True,
                          text=True, check=True, cwd=cwd, env=dict(os.environ)).stdout


def test_score_survey(source_root):
    out = run(source_root / "examples" / "python" / "score_survey.py")
    assert out.startswith("42 assessments scored, 0 rejected")
    assert "ecological below its threshold (0.25): transport-lebrun" in out


def test_plot_trajectory(source_root, tmp_path):
    out = run(source_root / "examples" / "python" / "plot_trajectory.py", tmp_path)
    assert "26 impact transfers" in out
    for name in ("trajectory.png", "radar.png"):
        img = plt.imread(tmp_path / name)
        assert img.shape[0] > 300 and img.std() > 0.01, name


def test_quickstart_notebook(source_root, tmp_path):
    """examples/python/quickstart.ipynb runs top to bottom in a fresh kernel
    (jupyter nbconvert --execute, Debian's jupyter-nbconvert and
    python3-ipykernel) and shows what it says: the model's tree, the panel,
    a ranking and the library's radar inline."""
    import json
    import shutil
    jupyter = shutil.which("jupyter-nbconvert")
    if jupyter is None:
        pytest.skip("jupyter-nbconvert is not installed (Debian: apt-get install "
                    "jupyter-nbconvert python3-nbformat python3-ipykernel): the notebook "
                    "examples/python/quickstart.ipynb is not executed")
    try:
        import ipykernel  # noqa: F401  the kernel nbconvert starts
    except ImportError:
        pytest.skip("python3-ipykernel is not installed: the notebook is not executed")
    notebook = source_root / "examples" / "python" / "quickstart.ipynb"
    # the kernel is this interpreter (a virtual environment's, with its efc),
    # not the system's python3 kernel
    spec = tmp_path / "jupyter" / "kernels" / "efc-test"
    spec.mkdir(parents=True)
    (spec / "kernel.json").write_text(json.dumps({
        "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": "efc test", "language": "python"}))
    env = dict(os.environ, JUPYTER_PATH=str(tmp_path / "jupyter"))
    out = tmp_path / "out"
    # run where it lives (it reads ../data/survey.csv), written elsewhere
    subprocess.run([jupyter, "--to", "notebook", "--execute", "--output-dir", str(out),
                    "--ExecutePreprocessor.timeout=300",
                    "--ExecutePreprocessor.kernel_name=efc-test", str(notebook)],
                   capture_output=True, text=True, check=True, cwd=notebook.parent, env=env)
    cells = json.loads((out / "quickstart.ipynb").read_text())["cells"]
    outputs = [o for c in cells if c["cell_type"] == "code" for o in c["outputs"]]
    assert not [o for o in outputs if o["output_type"] == "error"]
    html = ["".join(o["data"].get("text/html", "")) for o in outputs if "data" in o]
    assert any("efc.Model" in h and "Social utility" in h for h in html)
    assert any("efc.Panel" in h and "14 actors, 42 assessments" in h for h in html)
    assert any("renov-eco-habitat" in h and "percentile" in h for h in html)  # rank()
    radars = [h for h in html if '<svg xmlns="http://www.w3.org/2000/svg" class="chart radar"' in h]
    assert len(radars) == 2 and "Utilit\u00e9 sociale" in radars[1]
    assert any("efc.Quality" in h for h in html) and any("efc.Sensitivity" in h for h in html)
