"""The report as a reader sees it: headless Chromium (Debian's chromium,
installed by tools/setup.sh) renders the example's report in both languages,
with JavaScript disabled, to a PNG that must not be blank and must show every
chart: each chart's frame is drawn in a colour used nowhere else
(SVG_FRAME_COLOUR in cli/svg.h), so charts are counted as the connected
shapes of that colour."""
import os
import shutil
import subprocess

import pytest

SURVEY = "examples/data/survey.csv"
FRAME = (0x7A, 0x3E, 0x9D)
WIDTH, HEIGHT = 1280, 26000

np = pytest.importorskip("numpy")
Image = pytest.importorskip("PIL.Image", reason="python3-pil (tools/setup.sh installs it)")


def chromium():
    exe = shutil.which("chromium") or shutil.which("chromium-browser")
    if not exe:
        pytest.skip("chromium is not installed (tools/setup.sh installs Debian's chromium)")
    return exe


def render(exe, html, png, home, height=HEIGHT):
    # a private HOME: no profile of the user is read or written
    env = dict(os.environ, HOME=str(home))
    p = subprocess.run([exe, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
                        "--disable-javascript",
                        "--force-device-scale-factor=1", f"--window-size={WIDTH},{height}",
                        f"--screenshot={png}", html.as_uri()],
                       env=env, capture_output=True, timeout=120)
    assert p.returncode == 0 and png.exists(), p.stderr.decode(errors="replace")
    return np.asarray(Image.open(png).convert("RGB"))


def components(mask, min_pixels=200):
    """Connected shapes (8-neighbours) of a boolean mask with at least min_pixels, as
    bounding boxes [top, left, bottom, right]: runs of each row joined to the runs they
    touch in the row above (union-find), fast enough for a page of 30 million pixels."""
    parent, boxes, pixels, previous = [], [], [], []

    def find(i):
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for y in np.nonzero(mask.any(axis=1))[0]:
        row = np.concatenate(([0], mask[y].view(np.int8), [0]))
        edges = np.flatnonzero(np.diff(row))
        current = []
        for x0, x1 in zip(edges[::2], edges[1::2] - 1):
            i = len(parent)
            parent.append(i)
            boxes.append([y, x0, y, x1])
            pixels.append(x1 - x0 + 1)
            for j, (p0, p1, py) in previous:
                if py == y - 1 and p0 <= x1 + 1 and p1 >= x0 - 1:
                    a, b = find(i), find(j)
                    if a != b:
                        parent[b] = a
            current.append((i, (x0, x1, y)))
        previous = current
    merged = {}
    for i in range(len(parent)):
        r = find(i)
        box, n = merged.get(r, ([y for y in boxes[i]], 0))
        b = boxes[i]
        merged[r] = ([min(box[0], b[0]), min(box[1], b[1]), max(box[2], b[2]),
                      max(box[3], b[3])], n + pixels[i])
    return [box for box, n in merged.values() if n >= min_pixels]


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_report_renders_in_chromium(efc, source_root, tmp_path, lang):
    exe = chromium()
    html = tmp_path / f"report-{lang}.html"
    r = efc("report", "--group", "sector", "--lang", lang, "-q", source_root / SURVEY, "-o", html)
    assert r.status == 0, r.err
    img = render(exe, html, tmp_path / "report.png", tmp_path)
    assert img.shape == (HEIGHT, WIDTH, 3)
    rows = np.nonzero((img.astype(int).sum(axis=2) < 740).any(axis=1))[0]
    # the whole page fits in the screenshot, with white below it
    assert rows.max() < HEIGHT - 200, "the report is taller than the screenshot"
    page = img[: rows.max() + 1]
    # not blank: much ink and many colours (text, tables, charts)
    ink = (page.astype(int).sum(axis=2) < 600).mean()
    assert ink > 0.01, f"only {ink:.2%} of the page is drawn"
    codes = page.reshape(-1, 3)[::7].astype(np.int32)
    colours = len(np.unique(codes[:, 0] << 16 | codes[:, 1] << 8 | codes[:, 2]))
    assert colours > 200, f"only {colours} colours"
    # every chart drawn: 14 actors x (a radar + a trajectory figure)
    mask = (page[:, :, 0] == FRAME[0]) & (page[:, :, 1] == FRAME[1]) & (page[:, :, 2] == FRAME[2])
    frames = components(mask)
    assert len(frames) == 28, f"{len(frames)} charts visible, 28 expected"
    # and each is drawn as a whole: a frame of the chart's size
    sizes = sorted((b[3] - b[1] + 1, b[2] - b[0] + 1) for b in frames)
    assert sizes[0][0] >= 500 and sizes[0][1] >= 300, sizes[:3]


def test_chart_renders_in_chromium(efc, source_root, tmp_path):
    exe = chromium()
    svg = tmp_path / "radar.svg"
    r = efc("chart", "radar", "--actor", "coop-mobilite", "--lang", "fr", "-q",
            source_root / SURVEY, "-o", svg)
    assert r.status == 0, r.err
    img = render(exe, svg, tmp_path / "radar.png", tmp_path, height=600)
    mask = (img[:, :, 0] == FRAME[0]) & (img[:, :, 1] == FRAME[1]) & (img[:, :, 2] == FRAME[2])
    assert len(components(mask)) == 1
    # the actor's polygon is filled in its blue, tinted
    blue = (abs(img[:, :, 0].astype(int) - 0xCE) < 20) & (abs(img[:, :, 2].astype(int) - 0xE6) < 20)
    assert blue.sum() > 5000
