"""The Python examples run as a user runs them, and do what they say."""
import os
import subprocess
import sys

import matplotlib.pyplot as plt


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
