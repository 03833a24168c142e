"""Charts: drawn with matplotlib's Agg backend to PNG, with the expected
lines, transfer marks and labels, and not blank."""
import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

import efc  # noqa: E402


def not_blank(path):
    img = plt.imread(path)
    return img.std() > 0.01


def test_radar(tmp_path, example_survey):
    m = efc.Model.default()
    df = efc.read_survey(example_survey)
    ax = efc.plot.radar(m, df.iloc[:3], labels=["a", "b", "c"], lang="fr", title="Axes")
    assert len(ax.lines) == 3
    assert [t.get_text().replace("\n", " ") for t in ax.get_xticklabels()] == [
        "Utilité sociale", "Dimension écologique", "Développement économique local",
        "Ressources immatérielles", "Coopération"]
    out = tmp_path / "radar.png"
    ax.figure.savefig(out)
    assert not_blank(out)
    one = efc.plot.radar(m, m.score({leaf: 3 for leaf in m.leaf_ids}))
    assert len(one.lines) == 1
    plt.close("all")


def test_trajectory_marks_transfers(tmp_path, example_survey):
    p = efc.Panel.from_survey(example_survey)
    actor = "plateforme-logistique"  # ecological falls in 2024 while effects rise
    ax = efc.plot.trajectory(p, actor)
    labels = [line.get_label() for line in ax.lines]
    assert "impact transfer (falls while its parent rises)" in labels
    red = [line for line in ax.lines if line.get_color() == efc.plot._TRANSFER]
    steps = p.transfers(nodes=["efc", "social", "ecological", "local_economy", "resources",
                               "cooperation"])
    assert len(red) == (steps["actor"] == actor).sum() + 1  # the segments and the legend entry
    assert all(line.get_linestyle() == "--" for line in red)  # and only they are red
    out = tmp_path / "trajectory.png"
    ax.figure.savefig(out)
    assert not_blank(out)


def test_charts_keep_labels_and_legend_inside(tmp_path):
    m = efc.Model.default()
    rows = [m.score({leaf: v for leaf in m.leaf_ids}) for v in (1, 2, 3)]
    ax = efc.plot.radar(m, rows, labels=["un", "deux", "trois"], lang="fr")
    fig = ax.figure
    fig.savefig(tmp_path / "r.png")  # a plain savefig, as the docs say
    renderer = fig.canvas.get_renderer()
    page = fig.bbox
    for artist in [ax.get_legend(), *ax.get_xticklabels()]:
        box = artist.get_window_extent(renderer)
        assert page.x0 <= box.x0 and box.x1 <= page.x1 + 1, artist
        assert page.y0 <= box.y0 and box.y1 <= page.y1 + 1, artist
    plt.close("all")
    plt.close("all")


def test_radar_spokes_are_those_of_efc_chart(tmp_path, source_root, run_efc):
    # a model on which efc chart radar (groups of items) and efc.plot.radar
    # (the groups among the root's grandchildren) used to draw different
    # spokes (tests/data/spokes/README.md): both draw efc_model_radar_node
    import xml.etree.ElementTree as ET
    codebook = source_root / "tests" / "data" / "spokes" / "model.csv"
    survey = source_root / "tests" / "data" / "spokes" / "survey.csv"
    m = efc.Model.from_codebook(codebook)
    assert m.scales == ["a", "b1", "b2", "d"]
    assert m.radar_nodes == m.scales
    x = efc.read_survey(survey, model=m).iloc[0]
    ax = efc.plot.radar(m, {n: x[n] for n in m.group_ids})
    python = [t.get_text().replace("\n", " ") for t in ax.get_xticklabels()]
    assert python == ["Spoke a", "Spoke b1", "Spoke b2", "Spoke d"]
    svg = tmp_path / "radar.svg"
    run_efc("chart", "radar", "--model", codebook, "--actor", "x", "-q", survey, "-o", svg)
    texts = ["".join(t.itertext()) for t in ET.parse(svg).getroot().iter()
             if t.tag.endswith("}text") and "axis" in t.get("class", "").split()]
    assert [" ".join(t.split()) for t in texts if t.startswith("Spoke")] == python
    plt.close("all")


def test_radar_of_few_scales_draws_the_items(small):
    # one scale (the root of two items): no radar of scales, the items instead
    assert small.scales == ["g"]
    assert small.radar_nodes == ["x", "y"]
    ax = efc.plot.radar(small, small.score({"x": 1, "y": 2}))
    assert [t.get_text() for t in ax.get_xticklabels()] == ["x", "y"]
    plt.close("all")
