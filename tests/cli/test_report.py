"""efc report, efc chart and efc model --questionnaire: the SVG is well-formed
XML with the expected elements, the HTML is self-contained and escaped, French
reports use the model's French texts and decimal commas, every error has its
status, and the outputs for the bundled example are byte-stable golden files
(tests/data/report; EFC_UPDATE_GOLDEN=1 rewrites them)."""
import csv
import io
import os
import re
import xml.etree.ElementTree as ET

import pytest

SURVEY = "examples/data/survey.csv"
SVG = "{http://www.w3.org/2000/svg}"
GOLDEN = "tests/data/report"
NASTY = "<b>&\"'x"


def svg_root(path):
    return ET.parse(path).getroot()  # raises on malformed XML


def by_class(root, tag, cls):
    return [e for e in root.iter(SVG + tag) if cls in e.get("class", "").split()]


def group_transfers(efc, source_root):
    """The transfer steps of the example on groups, per actor (efc trajectory --steps)."""
    r = efc("trajectory", "--steps", "-q", source_root / SURVEY)
    assert r.status == 0, r.err
    steps = {}
    for row in csv.DictReader(io.StringIO(r.text)):
        steps.setdefault(row["id"], []).append(row)
    return steps


# ---- charts ------------------------------------------------------------------


def test_radar_svg(efc, source_root, tmp_path):
    out = tmp_path / "radar.svg"
    r = efc("chart", "radar", "--actor", "ferme-des-coteaux", "--group", "sector", "-q",
            source_root / SURVEY, "-o", out)
    assert r.status == 0, r.err
    root = svg_root(out)
    assert root.tag == SVG + "svg" and root.get("role") == "img"
    assert "ferme-des-coteaux" in root.get("aria-label")
    assert root.find(SVG + "title").text == root.get("aria-label")
    assert root.find(SVG + "style") is not None  # standalone: its own styles
    assert len(by_class(root, "polygon", "actor")) == 1
    assert len(by_class(root, "polygon", "median")) == 1
    # one label per axis and block of the default model
    labels = [("".join(t.itertext())) for t in by_class(root, "text", "axis")]
    for label in ["Social utility", "Ecological dimension", "Local economic development",
                  "Intangible resources", "Cooperation"]:
        assert sum(label in x.replace("  ", " ") or label.replace(" ", "") in x.replace(" ", "")
                   for x in labels) == 1, (label, labels)
    assert len(by_class(root, "circle", "pt")) == 5
    # three thresholds (social, ecological, local economy) drawn across their spokes
    assert len(by_class(root, "line", "thrbar")) == 3 + 1  # and one in the legend
    assert len(by_class(root, "rect", "frame")) == 1


def test_radar_points_are_the_scores(efc, source_root, tmp_path):
    # the actor's polygon at the top spoke (social) sits at 1 - score of the radius
    out = tmp_path / "radar.svg"
    r = efc("chart", "radar", "--actor", "velo-atelier", "--at", "2023", "-q",
            source_root / SURVEY, "-o", out)
    assert r.status == 0, r.err
    scores = efc("score", "-q", source_root / SURVEY).text
    row = [x for x in csv.DictReader(io.StringIO(scores))
           if x["id"] == "velo-atelier" and x["period"] == "2023"][0]
    poly = by_class(svg_root(out), "polygon", "actor")[0].get("points").split()
    x, y = map(float, poly[0].split(","))
    grid = by_class(svg_root(out), "polygon", "grid")[-1].get("points").split()
    top = float(grid[0].split(",")[1])  # the outer ring's top: score 1
    centre = top + 112
    assert abs((centre - y) / 112 - float(row["social"])) < 0.002
    assert "2023" in svg_root(out).get("aria-label")


def test_trajectory_svg_marks_every_transfer(efc, source_root, tmp_path):
    steps = group_transfers(efc, source_root)
    assert sum(len(v) for v in steps.values()) == 26
    groups = 8  # the default model's groups, one panel each
    for actor in ["ferme-des-coteaux", "ressourcerie-est", "velo-atelier", "coop-mobilite",
                  "imprimerie-duval"]:
        out = tmp_path / f"{actor}.svg"
        r = efc("chart", "trajectory", "--actor", actor, "-q", source_root / SURVEY, "-o", out)
        assert r.status == 0, r.err
        root = svg_root(out)
        assert len(by_class(root, "polyline", "line")) == groups
        assert len(by_class(root, "text", "panel")) == groups
        assert len(by_class(root, "polygon", "trm")) == len(steps[actor]), actor
        assert len(by_class(root, "line", "tr")) == len(steps[actor]) + 1  # + the legend's
        # three thresholds, each a dotted line across its panel (and the legend's)
        assert len(by_class(root, "line", "thr")) == 3 + 1


def test_trajectory_one_node(efc, source_root, tmp_path):
    out = tmp_path / "t.svg"
    r = efc("chart", "trajectory", "--actor", "ferme-des-coteaux", "--node", "local_economy",
            "--lang", "fr", "--title", NASTY, "-q", source_root / SURVEY, "-o", out)
    assert r.status == 0, r.err
    root = svg_root(out)
    assert len(by_class(root, "polyline", "line")) == 1
    assert [t.text for t in by_class(root, "text", "panel")] == [
        "Développement économique local"]
    assert len(by_class(root, "polygon", "trm")) == 1  # 2023 -> 2024
    assert [t.text for t in by_class(root, "text", "title")] == [NASTY]
    # an item has a trajectory too
    r = efc("chart", "trajectory", "--actor", "velo-atelier", "--node", "soc_needs", "-q",
            source_root / SURVEY, "-o", out)
    assert r.status == 0, r.err
    assert len(by_class(svg_root(out), "circle", "pt")) == 3


# ---- the report ----------------------------------------------------------------


@pytest.fixture
def reports(efc, source_root, tmp_path):
    out = {}
    for lang in ["en", "fr"]:
        p = tmp_path / f"report-{lang}.html"
        r = efc("report", "--group", "sector", "--lang", lang, "-q", source_root / SURVEY,
                "-o", p)
        assert r.status == 0, r.err
        out[lang] = p.read_text(encoding="utf-8")
    return out


def test_report_is_self_contained(reports):
    for html in reports.values():
        # the only URL is the SVG namespace, which is a name, not a resource
        assert set(re.findall(r"https?://[^\"' )]*", html)) == {"http://www.w3.org/2000/svg"}
        for needle in ["<script", "<link", "src=", "@import", "url("]:
            assert needle not in html
        assert "@media print" in html and "break-before:page" in html
        assert html.count("<svg ") == 28  # a radar and a trajectory per actor
        assert html.count("<section class=\"actor\"") == 14
        assert html.count('role="img"') == 28
        assert html.count("<tr><td><a href=\"#a") == 14  # overview rows link to sections
        for i in range(1, 15):
            assert f'id="a{i}"' in html
        # the model is quoted by its hash, not by the time of the run
        assert "3e368090c177" in html


def test_report_numbers_and_words(reports):
    en, fr = reports["en"], reports["fr"]
    assert '<html lang="en">' in en and '<html lang="fr">' in fr
    assert "Social utility" in en and "Utilité sociale" in fr
    assert "Utilité sociale" not in en
    # transport-lebrun misses the ecological threshold with 12.5 (0.125)
    assert "12.5<b title=\"missed\">✗</b>" in en
    assert "12,5<b title=\"manqué\">✗</b>" in fr
    scores_en = re.findall(r"<td[^>]*>(\d+[.,]\d)", en)
    scores_fr = re.findall(r"<td[^>]*>(\d+[.,]\d)", fr)
    assert scores_en and all("." in s for s in scores_en)
    assert scores_fr and all("," in s for s in scores_fr)
    assert [s.replace(".", ",") for s in scores_en] == scores_fr
    assert "Vue d’ensemble" in fr and "Items aux plus grands écarts" in fr


def test_report_gaps_and_ranks(efc, source_root, reports):
    en = reports["en"]
    section = en[en.index('id="a1"'):en.index('id="a2"')]
    assert "aide-domicile-ouest" in section
    # its peers are the health sector (2 actors): the gaps are below their median
    assert "Peer median (sector: health, 2 actors)" in section
    gaps = re.findall(r"<code>(\w+)</code></td><td>[^<]*</td><td>[^<]*</td><td>([^<]*)</td>",
                      section)
    assert len(gaps) == 5
    values = [float(g.replace("−", "-")) for _, g in gaps]
    assert values == sorted(values) and all(v < 0 for v in values)
    # ranks are those of efc rank
    ranked = {row["id"]: row for row in csv.DictReader(io.StringIO(
        efc("rank", "--group", "sector", "-q", source_root / SURVEY).text))}
    row = ranked["aide-domicile-ouest"]
    assert f"{row['rank']}\u00a0/\u00a014" in section
    assert f"{row['sector_rank']}\u00a0/\u00a02" in section


def test_report_sections_for_some_actors(efc, source_root, tmp_path):
    out = tmp_path / "r.html"
    r = efc("report", "--actors", "velo-atelier, coop-mobilite", "-q", source_root / SURVEY,
            "-o", out)
    assert r.status == 0, r.err
    html = out.read_text()
    assert html.count("<section class=\"actor\"") == 2 and html.count("<svg ") == 4
    assert html.count("<tr><td><a href") == 2 and html.count("<tr><td>") >= 14
    assert "--actors" in html  # the note says why the others have no section
    # without --group the peers are all actors
    assert "Peer median (all actors, 14 actors)" in html


def test_report_escapes_survey_and_model_texts(efc, tmp_path):
    model = tmp_path / "m.csv"
    model.write_text("id,parent,label,label_fr,weight,min,max,aggregate,threshold,levels\n"
                     "g,,\"G <&> \"\"q\"\"\",G fr <i>,1,,,mean,0.5,\n"
                     "a,g,A <script>,,1,0,4,,,\"0=<none>|4=\"\"all\"\" & more\"\n"
                     "b,g,B 'quote',,1,0,4,,,\nc,g,C,,1,0,4,,,\n")
    survey = tmp_path / "s.csv"
    survey.write_text("id,period,grp,a,b,c\n"
                      f"\"{NASTY.replace(chr(34), chr(34) * 2)}\",2023,\"<g&>\",1,2,3\n"
                      f"\"{NASTY.replace(chr(34), chr(34) * 2)}\",2024,\"<g&>\",0,2,4\n"
                      "plain,2024,\"<g&>\",4,4,4\n")
    for lang in ["en", "fr"]:
        out = tmp_path / f"r-{lang}.html"
        r = efc("report", "--model", model, "--group", "grp", "--lang", lang,
                "--title", NASTY, "-q", survey, "-o", out)
        assert r.status == 0, r.err
        html = out.read_text()
        for raw in [NASTY, "<g&>", "G <&>", "<script>", "<i>"]:
            assert raw not in html, raw
        assert "&lt;b&gt;&amp;&quot;&#39;x" in html and "&lt;g&amp;&gt;" in html
        # every chart is well-formed XML on its own
        svgs = re.findall(r"<svg .*?</svg>", html, flags=re.S)
        assert len(svgs) == 4
        for s in svgs:
            ET.fromstring(s)
    out = tmp_path / "c.svg"
    for kind in ["radar", "trajectory"]:
        r = efc("chart", kind, "--model", model, "--actor", NASTY, "--group", "grp", "-q",
                survey, "-o", out)
        assert r.status == 0, r.err
        root = svg_root(out)
        assert NASTY in root.get("aria-label")
    q = tmp_path / "q.html"
    assert efc("model", "--model", model, "--questionnaire", "-o", q).status == 0
    html = q.read_text()
    assert "<none>" not in html and "&lt;none&gt;" in html and "&quot;all&quot; &amp; more" in html


def test_report_does_not_depend_on_the_locale(efc, source_root, tmp_path):
    exe = os.environ["EFC_CLI"]
    import subprocess
    outs = []
    for loc in ["C", "fr_FR.UTF-8"]:
        out = tmp_path / f"r-{loc}.html"
        env = dict(os.environ, LC_ALL=loc, LANG=loc)
        p = subprocess.run([exe, "report", "--lang", "fr", "-q", source_root / SURVEY, "-o", out],
                           env=env, capture_output=True)
        assert p.returncode == 0, p.stderr
        outs.append(out.read_bytes())
    assert outs[0] == outs[1]


# ---- errors ---------------------------------------------------------------------


@pytest.mark.parametrize("args,status,message", [
    (["chart"], 2, "radar or trajectory"),
    (["chart", "pie", "--actor", "x"], 2, "radar or trajectory, got 'pie'"),
    (["chart", "radar", SURVEY], 2, "--actor ID"),
    (["chart", "radar", "--actor", "nobody", SURVEY], 1, "actor 'nobody' is not in the survey"),
    (["chart", "radar", "--actor", "velo-atelier", "--at", "2030", SURVEY], 1,
     "no assessment at period 2030"),
    (["chart", "radar", "--actor", "velo-atelier", "--at", "soon", SURVEY], 2, "--at"),
    (["chart", "radar", "--actor", "velo-atelier", "--node", "social", SURVEY], 2,
     "--node applies to trajectory"),
    (["chart", "trajectory", "--actor", "velo-atelier", "--node", "nope", SURVEY], 2,
     "no node 'nope'"),
    (["chart", "trajectory", "--actor", "velo-atelier", "--at", "2023", SURVEY], 2,
     "--at applies to radar"),
    (["report", "--lang", "de", SURVEY], 2, "not one of en fr"),
    (["report", "--scale", "100", SURVEY], 2, "does not apply"),
    (["report", "--actors", "velo-atelier,nobody", SURVEY], 1, "'nobody' is not in the survey"),
    (["report", "--group", "nope", SURVEY], 1, "nope"),
    (["report", "--period-column", "nope", SURVEY], 1, "period"),
    (["model", "--questionnaire", "--export"], 2, "cannot be combined"),
    (["model", "--questionnaire", "--lang", "de"], 2, "not one of en fr"),
])
def test_errors(efc, source_root, tmp_path, args, status, message):
    out = tmp_path / "out"
    args = [source_root / a if a == SURVEY else a for a in args]
    r = efc(*args, "-o", out)
    assert r.status == status, r.err
    assert message in r.err
    assert not out.exists()  # no partial file


def test_output_may_not_replace_the_survey(efc, source_root, tmp_path):
    survey = tmp_path / "s.csv"
    survey.write_bytes((source_root / SURVEY).read_bytes())
    for args in [["report"], ["chart", "radar", "--actor", "velo-atelier"]]:
        r = efc(*args, survey, "-o", survey)
        assert r.status == 2 and "input" in r.err
    assert survey.read_bytes() == (source_root / SURVEY).read_bytes()


def test_bad_survey_row_names_its_place(efc, tmp_path):
    survey = tmp_path / "s.csv"
    survey.write_text("id,period,soc_needs\na,2024,1\nb,2024,x\n")
    out = tmp_path / "r.html"
    r = efc("report", survey, "-o", out)
    assert r.status == 1 and "s.csv:3:" in r.err
    assert not out.exists()


# ---- the questionnaire ------------------------------------------------------------


def test_questionnaire_default_model(efc, tmp_path):
    codebook = tmp_path / "default.csv"
    assert efc("model", "--export", "-o", codebook).status == 0
    rows = list(csv.DictReader(codebook.open(encoding="utf-8")))
    leaves = [r for r in rows if r["min"]]
    assert len(leaves) == 29
    for lang in ["en", "fr"]:
        out = tmp_path / f"q-{lang}.html"
        r = efc("model", "--questionnaire", "--lang", lang, "-o", out)
        assert r.status == 0, r.err
        html = out.read_text()
        assert f'<html lang="{lang}">' in html
        assert html.count('<fieldset class="item">') == 29
        sfx = "_fr" if lang == "fr" else ""
        levels = 0
        for leaf in leaves:
            assert f'name="{leaf["id"]}"' in html
            assert leaf["label" + sfx].replace("'", "&#39;") in html
            assert leaf["description" + sfx].replace("'", "&#39;") in html
            for level in leaf["levels" + sfx].split("|"):
                value, text = level.split("=", 1)
                assert text.replace("'", "&#39;") in html, text
                levels += 1
        # each level a radio button, and one for "not applicable" per item
        assert html.count('type="radio"') == levels + 29
        assert "<script" not in html and "http" not in html


def test_questionnaire_from_a_custom_codebook(efc, tmp_path):
    model = tmp_path / "custom.csv"
    model.write_text(
        "id,parent,label,label_fr,description,levels,levels_fr,weight,min,max,aggregate\n"
        "root,,Root,Racine,,,,1,,,mean\n"
        "part,root,Part one,Partie un,About part one,,,1,,,mean\n"
        "q1,part,Question one,Question un,Asked first,1=Low|2.5=Mid|4=High,"
        "1=Bas|2.5=Moyen|4=Haut,1,1,4,\n"
        "q2,root,Budget,Budget,In euros,,,1,0,1000000,\n")
    out = tmp_path / "q.html"
    r = efc("model", "--model", model, "--questionnaire", "--lang", "fr", "-o", out)
    assert r.status == 0, r.err
    html = out.read_text()
    assert html.count('<fieldset class="item">') == 2
    assert "Partie un" in html and "About part one" in html  # no French description: English
    assert 'value="2.5"> <b>2,5</b> Moyen' in html  # decimal comma shown, point submitted
    assert 'type="number" step="any" name="q2"' in html and "0 à 1000000" in html
    assert "custom.csv" in html and str(tmp_path) not in html
    # part one's section closes before q2, which belongs to the root
    assert html.index("</section>") < html.index('name="q2"')


# ---- golden files -------------------------------------------------------------------


def golden_outputs(efc, source_root, tmp_path):
    survey = source_root / SURVEY
    runs = {
        "report-en.html": ["report", "--group", "sector", survey],
        "report-fr.html": ["report", "--group", "sector", "--lang", "fr", survey],
        "radar-ferme-des-coteaux.svg": ["chart", "radar", "--actor", "ferme-des-coteaux",
                                        "--group", "sector", survey],
        "trajectory-ressourcerie-est.svg": ["chart", "trajectory", "--actor",
                                            "ressourcerie-est", survey],
        "questionnaire-en.html": ["model", "--questionnaire"],
        "questionnaire-fr.html": ["model", "--questionnaire", "--lang", "fr"],
    }
    out = {}
    tmp_path.mkdir()
    for name, args in runs.items():
        p = tmp_path / name
        r = efc(*args, "-q", "-o", p) if args[0] != "model" else efc(*args, "-o", p)
        assert r.status == 0, r.err
        out[name] = p.read_bytes()
    return out


def test_golden_files(efc, source_root, tmp_path):
    first = golden_outputs(efc, source_root, tmp_path / "1")
    second = golden_outputs(efc, source_root, tmp_path / "2")
    assert first == second  # byte-stable
    golden = source_root / GOLDEN
    if os.environ.get("EFC_UPDATE_GOLDEN") == "1":
        for name, data in first.items():
            (golden / name).write_bytes(data)
    for name, data in first.items():
        assert (golden / name).read_bytes() == data, (
            f"{GOLDEN}/{name} differs: if the change is meant, rerun with EFC_UPDATE_GOLDEN=1")


def test_report_pages(efc, source_root, tmp_path):
    out = tmp_path / "my report.html"
    r = efc("report", "--pages", "--group", "sector", "--actors", "velo-atelier,coop-mobilite",
            "-q", source_root / SURVEY, "-o", out)
    assert r.status == 0, r.err
    overview = out.read_text()
    assert "<svg " not in overview and overview.count("<tbody>") == 1
    links = re.findall(r'href="([^"#]+)"', overview)
    assert links == ["my%20report-actors/a4.html", "my%20report-actors/a14.html"]
    pages = sorted(p.name for p in (tmp_path / "my report-actors").iterdir())
    assert pages == ["a14.html", "a4.html"]
    page = (tmp_path / "my report-actors" / "a14.html").read_text()
    assert "<h2>velo-atelier</h2>" in page and page.count("<svg ") == 2
    assert 'href="../my%20report.html#overview"' in page
    assert "@media print" in page and "<script" not in page
    # --pages needs a file to put the directory beside
    r = efc("report", "--pages", "-q", source_root / SURVEY)
    assert r.status == 2 and "--pages needs -o FILE" in r.err


# The spokes are the library's (efc_model_radar_node), whoever draws them
# (tests/data/spokes/README.md; the Python package draws the same).
SPOKES = "tests/data/spokes"


def spoke_labels(svg_element):
    texts = ["".join(t.itertext()) for t in svg_element.iter(SVG + "text")
             if "axis" in t.get("class", "").split()]
    return [" ".join(t.split()) for t in texts if t.startswith("Spoke")]


def test_radar_spokes_of_a_custom_model(efc, source_root, tmp_path):
    model = source_root / SPOKES / "model.csv"
    survey = source_root / SPOKES / "survey.csv"
    want = ["Spoke a", "Spoke b1", "Spoke b2", "Spoke d"]
    out = tmp_path / "r.svg"
    r = efc("chart", "radar", "--model", model, "--actor", "x", "-q", survey, "-o", out)
    assert r.status == 0, r.err
    assert spoke_labels(svg_root(out)) == want
    html = tmp_path / "r.html"
    r = efc("report", "--model", model, "--actors", "x", "-q", survey, "-o", html)
    assert r.status == 0, r.err
    radars = [ET.fromstring(s) for s in re.findall(r"<svg .*?</svg>", html.read_text(),
                                                   flags=re.S)]
    assert want in [spoke_labels(s) for s in radars]
    # the verdict on the thresholds is efc score's pass_all, an item's
    # threshold (b2x) included: x misses a (0.375) and b2x (0); y meets a
    # but not b2x (0.25), where a verdict on the groups alone said "all met"
    assert re.findall(r'<td class="t[^"]*">([^<]*)</td>', html.read_text()) == [
        "missed: Spoke a, b2x", "missed: b2x"]
    scores = efc("score", "-q", "--model", model, survey).text.splitlines()
    assert scores[0].endswith(",a_pass,b2x_pass,pass_all")
    assert scores[1].endswith(",0,0,0") and scores[2].endswith(",1,0,0")
