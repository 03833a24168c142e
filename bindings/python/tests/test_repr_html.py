"""What the package's objects show in a notebook (_repr_html_): the content
a reader needs, every text of a model, a survey or a frame escaped, and
markup that parses as XML (so a stray '<' in a label cannot open an
element)."""
import xml.etree.ElementTree as ET

import pandas as pd
import pytest

import efc

NASTY = 'a <b>&"c\'</b>'  # a node label, an actor id, a group value
ESCAPED = "a &lt;b&gt;&amp;&quot;c&#x27;&lt;/b&gt;"


def parse(markup: str):
    """The repr as an XML tree (&#160; is the only entity besides XML's)."""
    assert "<script" not in markup and "<style" not in markup
    return ET.fromstring(markup.replace("&#160;", "\u00a0"))


def texts(markup: str) -> str:
    return "".join(parse(markup).itertext())


@pytest.fixture
def nasty_model():
    b = efc.ModelBuilder()
    b.add_group("root", aggregate="power:2", label=NASTY, threshold=0.5)
    b.add_group("g", "root", weight=3, label="G <&>", min_coverage=0.5)
    b.add_leaf("x", "g", 0, 4, label="X & Y", levels={0: "none <0>", 4: "all"})
    b.add_leaf("y", "g", 1, 10, direction="-", transform="log", weight=1)
    b.add_leaf("z", "root", 1, 5, label="z")
    return b.build()


def test_model_shows_its_tree_weights_and_aggregations():
    m = efc.Model.default()
    markup = m._repr_html_()
    text = texts(markup)
    assert "efc.Model" in text and "default: 37 nodes, 29 leaves" in text
    assert m.sha256[:12] in text
    # every node once, in the tree's order (depth first from the root)
    ids = [el.text for el in parse(markup).iter("code")][2:]  # root in the summary, sha256
    assert sorted(ids) == sorted(m.node_ids) and ids[0] == m.root
    assert "geomean, coverage \u2265 1" in text
    assert "Social utility" in text and "mean, coverage \u2265 0.6" in text
    assert "50%" in text  # effects and levers share the root


def test_model_escapes_its_labels(nasty_model):
    markup = nasty_model._repr_html_()
    assert ESCAPED in markup and NASTY not in markup
    assert "G &lt;&amp;&gt;" in markup and "X &amp; Y" in markup
    text = texts(markup)
    assert NASTY in text  # and it reads back as the label
    assert "power 2" in text and "coverage \u2265 0.5" in text
    assert "0\u20134, higher is better" in text and "1\u201310, lower is better, log" in text
    assert "75%" in text and "25%" in text  # g weighs 3 against z's 1
    # the tree: g's leaves indented deeper than g
    rows = [tr for tr in parse(markup).iter("tr")][1:]
    first = ["".join(tr[0].itertext()) for tr in rows]
    assert [len(t) - len(t.lstrip("\u00a0")) for t in first] == [0, 4, 8, 8, 4]


def test_node(nasty_model):
    markup = nasty_model.node("x")._repr_html_()
    assert "X &amp; Y" in markup and "none &lt;0&gt;" in markup
    assert "0 = none <0>; 4 = all" in texts(markup)
    text = texts(nasty_model.node("root")._repr_html_())
    assert "power 2" in text and "g, z" in text and "0.5" in text


def test_result(nasty_model):
    r = nasty_model.score_detail({"x": 9, "y": 1, "z": 5})
    text = texts(r._repr_html_())
    assert "efc.Result" in text and "1 value clamped (x)" in text
    assert "all thresholds passed" in text or "a threshold failed" in text
    parse(efc.Model.default().score_detail({})._repr_html_())


def test_panel(example_survey):
    p = efc.Panel.from_survey(example_survey, groups=["sector"])
    markup = p._repr_html_()
    text = texts(markup)
    assert "14 actors, 42 assessments" in text and "2022, 2023, 2024" in text
    assert "grouped by sector" in text
    head = [th.text for th in parse(markup).iter("th")]
    assert head[:5] == ["actor", "assessments", "first", "last", "sector"]
    assert head[5] == "latest efc" and "social" in head
    actor = p.actors[0]
    latest = p.scores(nodes=["efc"], actors=[actor])["efc"].iloc[-1]
    assert f"{latest:.3f}".rstrip("0") in text


def test_panel_escapes_actors_and_groups(nasty_model):
    frame = pd.DataFrame({"id": [NASTY, "b"], "period": [2020, 2021], "sector": ["<s>", "&"],
                          "x": [1, 2], "y": [2, 3], "z": [3, 4]})
    markup = efc.Panel.from_frame(frame, nasty_model, groups="sector")._repr_html_()
    assert ESCAPED in markup and "&lt;s&gt;" in markup and NASTY not in markup
    assert NASTY in texts(markup)


def test_panel_lists_twenty_actors_of_many(nasty_model):
    frame = pd.DataFrame({"id": [f"a{i:02}" for i in range(25)], "period": 2020, "x": 1, "y": 2,
                          "z": 3})
    text = texts(efc.Panel.from_frame(frame, nasty_model)._repr_html_())
    assert "a19" in text and "a20" not in text and "5 more (of 25)" in text


def test_quality(example_survey):
    q = efc.Quality.from_survey(example_survey)
    text = texts(q._repr_html_())
    assert "42 rows, 5 scales, 3 items flagged" in text
    alpha = q.scales().loc["social", "alpha"]
    assert f"{alpha:.3f}".rstrip("0") in text
    assert "res_overload" in text and "negative_r, raises_alpha" in text


def test_quality_escapes_labels(nasty_model):
    frame = pd.DataFrame({"x": [0, 1, 2, 4], "y": [1, 2, 5, 9], "z": [1, 2, 3, 5]})
    markup = efc.Quality.from_frame(frame, nasty_model)._repr_html_()
    assert "G &lt;&amp;&gt;" in markup
    parse(markup)


def test_sensitivity(example_survey):
    p = efc.Panel.from_survey(example_survey)
    s = p.sensitivity(samples=32, sobol=True, seed=3)
    markup = s._repr_html_()
    text = texts(markup)
    assert "of efc: 7 inputs, 32 runs, 14 actors ranked" in text
    best = s.ranks().index[0]
    rows = [tr for tr in parse(markup).iter("tr")]
    assert "".join(rows[1][0].itertext()) == best
    assert "weight:social" in text and "first order" in text
    # without Sobol indices: no table of them
    plain = texts(p.sensitivity(samples=8)._repr_html_())
    assert "first order" not in plain


def test_sensitivity_escapes_actors(nasty_model):
    frame = pd.DataFrame({"id": [NASTY, "b", "c"], "period": 2020, "x": [1, 2, 3],
                          "y": [2, 3, 4], "z": [3, 4, 5]})
    markup = efc.Panel.from_frame(frame, nasty_model).sensitivity(samples=8)._repr_html_()
    assert ESCAPED in markup and NASTY not in markup
    parse(markup)


def test_a_large_model_shows_its_first_200_nodes():
    b = efc.ModelBuilder()
    b.add_group("root")
    for k in range(300):
        b.add_leaf(f"x{k}", "root", 0, 1)
    text = texts(b.build()._repr_html_())
    assert "x198" in text and "x199" not in text and "101 more (of 301)" in text
