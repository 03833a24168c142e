"""efc.Chart: the library's own SVG (efc/chart.h), the bytes efc chart radar
writes, shown inline in a notebook without matplotlib."""
import xml.etree.ElementTree as ET

import numpy as np
import pandas as pd
import pytest

import efc

SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture
def panel(example_survey):
    return efc.Panel.from_survey(example_survey, groups=["sector"])


@pytest.mark.parametrize("args, kwargs", [
    ((), {"peers": "sector"}),
    (("--at", "2022", "--title", "T <&>"), {"peers": "sector", "period": 2022,
                                            "title": "T <&>"}),
])
def test_radar_is_the_cli_chart(panel, example_survey, run_efc, tmp_path, args, kwargs):
    out = tmp_path / "r.svg"
    run_efc("chart", "radar", "-q", "--actor", "velo-atelier", "--group", "sector", *args,
            example_survey, "-o", out)
    chart = panel.radar("velo-atelier", **kwargs)
    assert chart.svg.encode() == out.read_bytes()
    chart.save(tmp_path / "p.svg")
    assert (tmp_path / "p.svg").read_bytes() == out.read_bytes()


def test_radar_of_all_actors_is_the_cli_chart_without_groups(example_survey, run_efc,
                                                             tmp_path):
    out = tmp_path / "r.svg"
    run_efc("chart", "radar", "-q", "--actor", "cantine-du-plateau", example_survey, "-o", out)
    chart = efc.Panel.from_survey(example_survey).radar("cantine-du-plateau")
    assert str(chart).encode() == out.read_bytes()


def test_radar_content(panel):
    chart = panel.radar("velo-atelier", title=False)
    root = ET.fromstring(chart.svg.encode())
    assert root.get("aria-label") == "velo-atelier, scores at 2024"
    assert root.find(f"{SVG}style").text == efc.Chart.style()
    assert not [t for t in root.iter(f"{SVG}text") if t.get("class") == "title"]
    labels = ["".join(t.itertext()) for t in root.iter(f"{SVG}text")
              if t.get("class", "").startswith("axis")]
    model = panel.model
    for node in model.radar_nodes:
        assert any(model.label(node).replace(" ", "") in lab.replace(" ", "") for lab in labels)
    assert "Peer median (all actors, 14 actors)" in labels
    fr = panel.radar("velo-atelier", lang="fr")
    assert "Utilit\u00e9 sociale" in fr.svg
    with pytest.raises(efc.NotFoundError):
        panel.radar("velo-atelier", lang="de")
    with pytest.raises(efc.NotFoundError):
        panel.radar("velo-atelier", peers="nope")
    with pytest.raises(efc.NotFoundError):
        panel.radar("nobody")
    assert "class=\"median\"" not in panel.radar("velo-atelier", medians=False).svg


def test_chart_from_scores_in_any_form():
    model = efc.Model.default()
    answers = {leaf: 2 for leaf in model.leaf_ids}
    answers["soc_needs"] = 4
    scores = model.score(answers)
    charts = [efc.Chart.radar(model, scores),
              efc.Chart.radar(model, model.score_detail(answers)),
              efc.Chart.radar(model, pd.Series(scores)),
              efc.Chart.radar(model, np.array([scores[n] for n in model.node_ids]))]
    assert len({c.svg for c in charts}) == 1
    assert 'aria-label="Radar chart"' in charts[0].svg and ">Scores</text>" in charts[0].svg
    # a missing spoke is marked, not drawn at zero
    partial = efc.Chart.radar(model, {"social": 0.5, "ecological": None, "local_economy": 0.7})
    assert "class=\"axis missing\"" in partial.svg
    with pytest.raises(efc.ArgumentError):
        efc.Chart.radar(model, [0.5, 0.5])
    with pytest.raises(efc.ArgumentError):
        efc.Chart.radar(model, {"social": "high"})
    with pytest.raises(efc.ArgumentError):
        efc.Chart.radar("model", scores)


def test_chart_escapes_and_shows_inline():
    b = efc.ModelBuilder()
    b.add_group("root", label="Root")
    for k in range(3):
        b.add_group(f"g{k}", "root", label=f"G{k} <&>\"'")
        b.add_leaf(f"x{k}", f"g{k}", 0, 1)
    model = b.build()
    chart = efc.Chart.radar(model, {"g0": 0.2, "g1": 0.5, "g2": 0.9}, {"g0": 0.4},
                            title="<b>t</b>", series="a & b", median_series="<m>")
    svg = chart.svg
    assert "G0 &lt;&amp;&gt;&quot;&#39;" in svg and "<b>" not in svg
    assert "&lt;b&gt;t&lt;/b&gt;" in svg and "a &amp; b" in svg and "&lt;m&gt;" in svg
    ET.fromstring(svg.encode())  # well-formed
    html = chart._repr_html_()
    assert html.startswith('<div class="efc-chart"><svg ') and "<?xml" not in html
    assert chart._repr_svg_() == svg
    assert repr(chart).startswith("<efc.Chart 'Radar chart': ")
