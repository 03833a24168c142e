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


# A model on which efc chart radar (groups of items) and efc.plot.radar (the
# groups among the root's grandchildren) used to draw different spokes: `a`
# holds items directly under the root, and `d` is a group of items below a
# group of groups. Both now draw the library's (efc_model_radar_node).
SPOKES = ("id,parent,label,min,max,threshold\n"
          "root,,Root,,,\n"
          "a,root,Spoke a,,,0.4\n"
          "b,root,Block b,,,\n"
          "c,root,Block c,,,\n"
          "b1,b,Spoke b1,,,\n"
          "b2,b,Spoke b2,,,\n"
          "d,c,Spoke d,,,\n"
          "a1,a,,0,4,\na2,a,,0,4,\nb1x,b1,,0,4,\nb1y,b1,,0,4,\n"
          "b2x,b2,,0,4,\nb2y,b2,,0,4,\ndx,d,,0,4,\ndy,d,,0,4,\n")


def test_radar_spokes_are_those_of_efc_chart(tmp_path, run_efc):
    import xml.etree.ElementTree as ET
    codebook = tmp_path / "spokes.csv"
    codebook.write_text(SPOKES)
    survey = tmp_path / "survey.csv"
    survey.write_text("id,period,a1,a2,b1x,b1y,b2x,b2y,dx,dy\n"
                      "x,2024,1,2,3,4,0,1,2,3\ny,2024,4,4,2,2,1,1,0,0\n")
    m = efc.Model.from_codebook(codebook)
    assert m.scales == ["a", "b1", "b2", "d"]
    assert m.radar_nodes == m.scales
    ax = efc.plot.radar(m, m.score({"a1": 1, "a2": 2, "b1x": 3, "b1y": 4, "b2x": 0,
                                     "b2y": 1, "dx": 2, "dy": 3}))
    python = [t.get_text().replace("\n", " ") for t in ax.get_xticklabels()]
    assert python == ["Spoke a", "Spoke b1", "Spoke b2", "Spoke d"]
    svg = tmp_path / "radar.svg"
    run_efc("chart", "radar", "--model", codebook, "--actor", "x", "-q", survey, "-o", svg)
    texts = ["".join(t.itertext()) for t in ET.parse(svg).getroot().iter()
             if t.tag.endswith("}text") and "axis" in t.get("class", "").split()]
    cli = [" ".join(t.split()) for t in texts if t.startswith("Spoke")]
    assert cli == python
    plt.close("all")


def test_radar_of_few_scales_draws_the_items(small):
    # one scale (the root of two items): no radar of scales, the items instead
    assert small.scales == ["g"]
    assert small.radar_nodes == ["x", "y"]
    ax = efc.plot.radar(small, small.score({"x": 1, "y": 2}))
    assert [t.get_text() for t in ax.get_xticklabels()] == ["x", "y"]
    plt.close("all")
