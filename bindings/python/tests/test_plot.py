"""Charts: drawn with matplotlib's Agg backend to PNG, with the expected
lines, transfer marks and labels, and not blank; and fit for a paper (issue
20, section 4): measured on the renderer's text boxes, no tick label
overlaps another, the legend touches no data and stays out of neighbouring
Axes, radar labels clear the markers, series differ by line style and
marker, the chart's words follow lang."""
import itertools

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

import efc  # noqa: E402


def not_blank(path):
    img = plt.imread(path)
    return img.std() > 0.01


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


@pytest.fixture
def hdi_panel(hdi):
    model = efc.Model.from_codebook(hdi / "hdi.csv")
    return efc.Panel.from_survey(hdi / "hdi_panel.csv", model, id="iso3", period="year")


@pytest.fixture
def survey_panel(example_survey):
    return efc.Panel.from_survey(example_survey)


# ---- what the renderer drew ----

def renderer_of(fig, path):
    fig.savefig(path)  # a plain savefig, as the docs say: the final layout
    return fig.canvas.get_renderer()


def shown(labels):
    return [t for t in labels if t.get_visible() and t.get_text()]


def overlap(a, b, tol=0.5):
    return a.x0 < b.x1 - tol and b.x0 < a.x1 - tol and a.y0 < b.y1 - tol and b.y0 < a.y1 - tol


def series(ax):
    """The data lines (not the transfer marks nor the legend's samples)."""
    return [line for line in ax.lines
            if len(line.get_xdata()) and line.get_color() != efc.plot._TRANSFER]


def touches_data(box, ax):
    """Whether a display box touches a line (its points, padded by the
    marker, or a segment) or a transfer mark."""
    px = ax.figure.dpi / 72
    for line in ax.lines:
        if not len(line.get_xdata()):
            continue
        path = line.get_transform().transform_path(line.get_path())
        reach = max(line.get_markersize(), line.get_linewidth()) / 2 * px
        padded = box.padded(reach)
        if padded.count_contains(path.vertices) or path.intersects_bbox(padded, filled=False):
            return True
    for c in ax.collections:
        points = c.get_offset_transform().transform(c.get_offsets())
        if box.padded(np.sqrt(max(c.get_sizes())) / 2 * px).count_contains(points):
            return True
    return False


def assert_ticks_apart(ax, renderer, axis="x"):
    labels = shown(ax.get_xticklabels() if axis == "x" else ax.get_yticklabels())
    boxes = [t.get_window_extent(renderer) for t in labels]
    for (a, ta), (b, tb) in itertools.combinations(zip(boxes, labels), 2):
        assert not overlap(a, b), (ta.get_text(), tb.get_text())
    return [t.get_text() for t in labels]


def assert_legend_clear(ax, renderer):
    leg = ax.get_legend()
    assert leg is not None
    box = leg.get_window_extent(renderer)
    assert not touches_data(box, ax), "the legend covers data"
    page = ax.figure.bbox
    assert page.x0 <= box.x0 and box.x1 <= page.x1 + 1 and page.y0 <= box.y0 \
        and box.y1 <= page.y1 + 1, "the legend leaves the figure"
    for other in ax.figure.axes:
        if other is not ax:
            assert not overlap(box, other.get_tightbbox(renderer)), "on a neighbouring Axes"
    return box


def ring_values(ax):
    return [t for t in ax.texts if t.get_gid() == "efc-ring"]


def assert_greyscale_apart(lines):
    styles = [(line.get_linestyle(), line.get_marker()) for line in lines]
    assert len(set(styles)) == len(styles), styles
    markers = [line.get_marker() for line in lines]
    assert len(set(markers)) == len(markers), markers  # up to nine series


# ---- radar ----

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


def test_radar_fit_for_print(tmp_path, example_survey):
    m = efc.Model.default()
    df = efc.read_survey(example_survey)
    ax = efc.plot.radar(m, df.iloc[:5], labels=list("abcde"), lang="fr")
    out = tmp_path / "radar.png"
    renderer = renderer_of(ax.figure, out)
    assert_greyscale_apart(ax.lines)
    # spoke labels clear of each other and of every marker and line
    spokes = shown(ax.get_xticklabels())
    assert len(spokes) == 5
    assert_ticks_apart(ax, renderer)
    for t in spokes:
        assert not touches_data(t.get_window_extent(renderer), ax), t.get_text()
    # ring values in French, on no line, marker or label
    rings = ring_values(ax)
    assert [t.get_text() for t in rings] == ["0,25", "0,5", "0,75", "1"]
    for t in rings:
        box = t.get_window_extent(renderer)
        assert not touches_data(box, ax), t.get_text()
        for other in spokes + [u for u in rings if u is not t]:
            assert not overlap(box, other.get_window_extent(renderer))
    assert_legend_clear(ax, renderer)
    for t in spokes:
        assert not overlap(ax.get_legend().get_window_extent(renderer),
                           t.get_window_extent(renderer))
    assert plt.imread(out).shape[:2] == (550, 800)  # 8 x 5.5 in at 100 dpi, whole


def test_radar_needs_a_polar_axes():
    m = efc.Model.default()
    _, ax = plt.subplots()
    with pytest.raises(efc.ArgumentError, match="polar"):
        efc.plot.radar(m, m.score({leaf: 3 for leaf in m.leaf_ids}), ax=ax)
    with pytest.raises(ValueError):  # as every efc.ArgumentError
        efc.plot.radar(m, m.score({leaf: 3 for leaf in m.leaf_ids}), ax=ax)


def test_radars_in_a_grid_keep_their_legends(tmp_path, example_survey):
    m = efc.Model.default()
    df = efc.read_survey(example_survey)
    for layout in ("constrained", None):
        fig, axes = plt.subplots(1, 2, figsize=(13, 5), layout=layout,
                                 subplot_kw={"projection": "polar"})
        for k, ax in enumerate(axes):
            efc.plot.radar(m, df.iloc[3 * k:3 * k + 3], labels=["x", "y", "z"], ax=ax)
        renderer = renderer_of(fig, tmp_path / f"radars-{layout}.png")
        for ax in axes:
            box = assert_legend_clear(ax, renderer)
            for t in shown(ax.get_xticklabels()) + ring_values(ax):
                assert not overlap(box, t.get_window_extent(renderer)), t.get_text()


def test_charts_keep_labels_and_legend_inside(tmp_path):
    m = efc.Model.default()
    rows = [m.score({leaf: v for leaf in m.leaf_ids}) for v in (1, 2, 3)]
    # short names, and long ones (a polar Axes' legend used to be cut off:
    # the layout measured it from the Axes' room, wider than the circle)
    for names in (["un", "deux", "trois"], ["renov-eco-habitat", "ressourcerie-est",
                                           "cooperative-de-mobilite-partagee"]):
        ax = efc.plot.radar(m, rows, labels=names, lang="fr")
        fig = ax.figure
        renderer = renderer_of(fig, tmp_path / "r.png")
        page = fig.bbox
        for artist in [ax.get_legend(), *ax.get_xticklabels()]:
            box = artist.get_window_extent(renderer)
            assert page.x0 <= box.x0 and box.x1 <= page.x1 + 1, artist
            assert page.y0 <= box.y0 and box.y1 <= page.y1 + 1, artist


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


def test_radar_of_few_scales_draws_the_items(small):
    # one scale (the root of two items): no radar of scales, the items instead
    assert small.scales == ["g"]
    assert small.radar_nodes == ["x", "y"]
    ax = efc.plot.radar(small, small.score({"x": 1, "y": 2}))
    assert [t.get_text() for t in ax.get_xticklabels()] == ["x", "y"]


# ---- trajectory ----

def test_trajectory_marks_transfers(tmp_path, survey_panel):
    p = survey_panel
    actor = "plateforme-logistique"  # ecological falls in 2024 while effects rise
    ax = efc.plot.trajectory(p, actor)
    labels = [line.get_label() for line in ax.lines]
    assert "impact transfer" in labels
    red = [line for line in ax.lines if line.get_color() == efc.plot._TRANSFER]
    steps = p.transfers(nodes=["efc", "social", "ecological", "local_economy", "resources",
                               "cooperation"])
    assert len(red) == (steps["actor"] == actor).sum() + 1  # the segments and the legend entry
    assert all(line.get_linestyle() == "--" for line in red)  # and only they are red
    out = tmp_path / "trajectory.png"
    ax.figure.savefig(out)
    assert not_blank(out)


def test_trajectory_draws_the_parents(tmp_path, survey_panel):
    p, actor = survey_panel, "plateforme-logistique"
    m = p.model
    steps = p.transfers(nodes=[m.root, *m.radar_nodes], actors=[actor])
    assert len(steps) and not set(steps["parent"]) <= {m.root, *m.radar_nodes}
    ax = efc.plot.trajectory(p, actor, parent=True, lang="fr")
    drawn = [line.get_label() for line in series(ax)]
    for parent in steps["parent"]:
        assert m.label(parent, "fr") in drawn
    rises = [line for line in ax.lines
             if line.get_color() == efc.plot._TRANSFER and line.get_linestyle() == ":"
             and len(line.get_xdata())]
    assert len(rises) == len(steps)
    for line, (_, s) in zip(rises, steps.iterrows()):
        assert list(line.get_ydata()) == [s["parent_from"], s["parent_to"]]
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert "transfert d\u2019impact\u00a0: le n\u0153ud baisse" in legend
    assert "\u2026 tandis que son parent monte" in legend
    renderer = renderer_of(ax.figure, tmp_path / "parents.png")
    assert_legend_clear(ax, renderer)
    assert_greyscale_apart(series(ax))


def test_trajectory_in_french(tmp_path, hdi_panel, survey_panel):
    ax = efc.plot.trajectory(survey_panel, "plateforme-logistique", lang="fr")
    assert ax.get_ylabel() == "score" and ax.get_xlabel() == "p\u00e9riode"
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert legend[0] == "Valeur EFC" and "transfert d\u2019impact" in legend
    assert "impact" not in " ".join(legend).replace("d\u2019impact", "")
    renderer = renderer_of(ax.figure, tmp_path / "fr.png")
    assert assert_ticks_apart(ax, renderer, "y") == ["0", "0,2", "0,4", "0,6", "0,8", "1"]
    assert assert_ticks_apart(ax, renderer) == ["2022", "2023", "2024"]
    en = efc.plot.trajectory(survey_panel, "plateforme-logistique")
    assert en.get_xlabel() == "period"


def test_trajectory_of_33_years(tmp_path, hdi_panel):
    m = hdi_panel.model
    ax = efc.plot.trajectory(hdi_panel, "FRA")
    out = tmp_path / "fra.png"
    renderer = renderer_of(ax.figure, out)
    ticks = assert_ticks_apart(ax, renderer)
    assert 4 <= len(ticks) <= 12 and ticks[0] == "1990", ticks
    assert all(int(t) % 5 == 0 for t in ticks), ticks
    assert_legend_clear(ax, renderer)
    assert_greyscale_apart(series(ax))
    # the root and the radar's spokes (the items: the HDI has one scale)
    assert [line.get_label() for line in series(ax)] == [
        m.label(n) for n in [m.root, *m.radar_nodes]]
    assert plt.imread(out).shape[:2] == (450, 900)
    assert not_blank(out)


@pytest.mark.parametrize("layout", ["constrained", None])
def test_trajectories_in_a_grid(tmp_path, hdi_panel, layout):
    fig, axes = plt.subplots(2, 3, figsize=(12, 6), layout=layout)
    for ax, country in zip(axes.flat, ["FRA", "AFG", "IND", "NOR", "BRA", "NER"]):
        efc.plot.trajectory(hdi_panel, country, ax=ax, lang="fr")
    renderer = renderer_of(fig, tmp_path / f"grid-{layout}.png")
    for ax in axes.flat:
        ticks = assert_ticks_apart(ax, renderer)
        assert 2 <= len(ticks) <= 8, ticks
        assert_legend_clear(ax, renderer)


def test_trajectory_with_dates(tmp_path, small):
    days = pd.date_range("2021-01-01", periods=36, freq="MS")
    frame = pd.DataFrame({"id": "a", "period": days, "x": np.linspace(0, 4, 36),
                          "y": np.linspace(4, 1, 36)})
    p = efc.Panel.from_frame(frame, small)
    assert p.period_kind == "date"
    for width in (9, 4):
        fig, ax = plt.subplots(figsize=(width, 3.5), layout="constrained")
        efc.plot.trajectory(p, "a", ax=ax)
        renderer = renderer_of(fig, tmp_path / f"dates-{width}.png")
        ticks = assert_ticks_apart(ax, renderer)
        assert 2 <= len(ticks) <= 12, ticks
        assert all(t[:2] == "20" for t in ticks), ticks
        assert_legend_clear(ax, renderer)
        # the root and the radar's spokes: the items, as radar() draws them
        assert [line.get_label() for line in series(ax)] == ["g", "x", "y"]
    few = efc.Panel.from_frame(frame.iloc[:3], small)
    ax = efc.plot.trajectory(few, "a")
    renderer = renderer_of(ax.figure, tmp_path / "few.png")
    assert assert_ticks_apart(ax, renderer) == ["2021-01-01", "2021-02-01", "2021-03-01"]


def test_trajectory_legend_band_when_no_room(tmp_path, survey_panel):
    # a small plain figure (no layout engine) full of lines: the legend goes
    # above the data, inside the Axes, whose y axis still stops at 1
    fig, axes = plt.subplots(1, 2, figsize=(10, 5))
    for ax in axes:
        efc.plot.trajectory(survey_panel, "plateforme-logistique", ax=ax, parent=True)
    renderer = renderer_of(fig, tmp_path / "band.png")
    for ax in axes:
        assert ax.get_ylim()[1] > 1
        assert_legend_clear(ax, renderer)
        assert [t.get_text() for t in shown(ax.get_yticklabels())][-1] == "1"
    # so crowded that the band takes most of the height: still clear, and said
    fig, axes = plt.subplots(1, 2, figsize=(9, 3.5))
    with pytest.warns(UserWarning, match="legend=False"):
        for ax in axes:
            efc.plot.trajectory(survey_panel, "plateforme-logistique", ax=ax, parent=True)
    renderer = renderer_of(fig, tmp_path / "crowded.png")
    for ax in axes:
        assert_legend_clear(ax, renderer)


def test_trajectory_rejects_a_polar_axes_and_bad_legend(survey_panel):
    _, ax = plt.subplots(subplot_kw={"projection": "polar"})
    with pytest.raises(efc.ArgumentError, match="polar"):
        efc.plot.trajectory(survey_panel, "plateforme-logistique", ax=ax)
    with pytest.raises(efc.ArgumentError, match="legend"):
        efc.plot.trajectory(survey_panel, "plateforme-logistique", legend="top")
    ax = efc.plot.trajectory(survey_panel, "plateforme-logistique", legend=False)
    assert ax.get_legend() is None
