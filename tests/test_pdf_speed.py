"""What makes the PDFs cheaper keeps them as they were: the org charts' SVG labels drawn a run at a time
(pdf/svgtext.py) look as WeasyPrint's own letter-by-letter drawing does, what needs letter-by-letter drawing
still gets it; and the worker pool deals a short round out so that no worker sits idle (pdf/pool.py)."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from pypdf import PdfReader

from generator.i18n import load_locale
from generator.link.pipeline import validate
from generator.pdf import fonts, svgtext
from generator.pdf.engine import Engine
from generator.pdf.render import PdfRenderer

from .conftest import FIXTURES, REPO

#: The chart of a job description's print HTML: its SVG as an image (pdf/chart.py).
CHART = re.compile(r'<div class="chart"><img class="org-chart" src="data:image/svg\+xml;base64,[^"]+" alt="[^"]*"></div>')


def _draw(engine: Engine, html: str, out: Path, *, one_run: bool) -> tuple[list[bytes], str]:
    """``html`` laid out with the one-run drawer on or off: its pages in pixels (100 dpi) and its text."""
    import weasyprint.svg as svg_module

    drawer = sys.modules["weasyprint.svg.text"].text
    fast = svg_module.TAGS["text"]
    assert getattr(fast, "_handbook_one_run", False), "Engine installs the one-run drawer"
    chosen = fast if one_run else drawer
    for tag in ("a", "text", "textPath", "tspan"):
        svg_module.TAGS[tag] = chosen
    svg_module.text = chosen
    try:
        engine.write(engine.render(html), out)
    finally:
        for tag in ("a", "text", "textPath", "tspan"):
            svg_module.TAGS[tag] = fast
        svg_module.text = fast
    subprocess.run(["pdftoppm", "-r", "100", "-gray", str(out), str(out.with_suffix(""))], check=True)
    from PIL import Image

    pixels = []
    for page in sorted(out.parent.glob(f"{out.stem}-*.pgm")):
        with Image.open(page) as image:
            pixels.append(image.tobytes())
    return pixels, "".join(page.extract_text() for page in PdfReader(out).pages)


def _apart(a: bytes, b: bytes) -> int:
    """How many pixels of two grey pages differ by more than anti-aliasing does (a label's glyphs placed
    as one run may sit a hundredth of a point from where adding up single letters put them)."""
    return sum(1 for x, y in zip(a, b, strict=True) if abs(x - y) > 96)


@pytest.mark.parametrize("roles, lang", [(REPO / "roles", "zh"), (FIXTURES / "english" / "roles", "en")],
                         ids=["sample", "english"])
def test_every_role_chart_draws_the_same_pixels_a_run_at_a_time(roles: Path, lang: str, tmp_path: Path) -> None:
    """Every role's chart, as its job description prints it, drawn both ways: the same pixels, and each
    role's title among the words of its chart (a label is one run of text, read back whole)."""
    locale = load_locale(lang)
    hb = validate(roles, locale=locale).handbook
    renderer = PdfRenderer(hb, locale)
    pages = {rid: renderer.role_html(rid) for rid in hb.roles}
    charts = {rid: CHART.findall(html) for rid, html in pages.items()}
    assert all(len(found) == 1 for found in charts.values()), "one chart image per job description"
    # Every chart on a page of its own in one document: two layouts for the whole handbook.
    body = "".join(f'<div style="break-after: page">{found[0]}</div>' for found in charts.values())
    html = f'<!DOCTYPE html><html lang="{locale.lang}"><head><meta charset="utf-8"></head><body>{body}</body></html>'
    fontset = fonts.prepare("".join(pages.values()), tmp_path / "cache")
    engine = Engine(fontset, renderer.css)
    slow, _ = _draw(engine, html, tmp_path / "slow.pdf", one_run=False)
    fast, text = _draw(engine, html, tmp_path / "fast.pdf", one_run=True)
    assert len(fast) == len(charts)
    assert [_apart(a, b) for a, b in zip(slow, fast, strict=True)] == [0] * len(fast)
    words = "".join(text.split())
    for rid in hb.roles:
        assert "".join(hb.roles[rid].title.split()) in words, rid


def test_text_placed_letter_by_letter_is_left_to_weasyprint(tmp_path: Path) -> None:
    """Position lists, rotation, spacing and tspans keep WeasyPrint's drawer: the same pixels either way,
    and only the plain line is a run of its own."""
    assert svgtext.install()
    plain = '<text x="10" y="20" font-size="12" text-anchor="middle">部门经理 Manager</text>'
    others = [
        '<text x="10 20 30" y="40" font-size="12">逐字</text>',
        '<text x="10" y="60" dx="2" font-size="12">偏移</text>',
        '<text x="10" y="80" rotate="15" font-size="12">旋转</text>',
        '<text x="10" y="100" letter-spacing="3" font-size="12">字距</text>',
        '<text x="10" y="120" font-size="12">外<tspan font-weight="bold">内</tspan></text>',
    ]
    svg = ('<svg xmlns="http://www.w3.org/2000/svg" width="200" height="140" font-family="Handbook Sans">'
           + plain + "".join(others) + "</svg>")
    html = f'<html lang="zh"><body><div class="chart">{svg}</div></body></html>'
    fontset = fonts.prepare(svg, tmp_path / "cache")
    engine = Engine(fontset, "")
    slow, _ = _draw(engine, html, tmp_path / "slow.pdf", one_run=False)
    fast, _ = _draw(engine, html, tmp_path / "fast.pdf", one_run=True)
    assert [_apart(a, b) for a, b in zip(slow, fast, strict=True)] == [0]

    from xml.etree import ElementTree

    from weasyprint.svg import SVG
    from weasyprint.text.fonts import FontConfiguration

    tree = SVG(ElementTree.fromstring(svg), "file:///chart.svg", FontConfiguration()).tree
    nodes = [node for node in tree if node.tag == "text"]
    assert [svgtext.simple(node) for node in nodes] == [True] + [False] * len(others)


def test_a_short_round_is_dealt_out_one_task_at_a_time_and_a_long_one_in_fours() -> None:
    """pool.batch_size: the dozen page-number chunks of a big book (2 s each) must not go as three batches of
    four to two workers (one idle for the last batch); a thousand roles go in fours (fewer round trips)."""
    from generator.pdf.pool import batch_size

    for count in (1, 2, 4):
        for tasks in range(1, 2000, 7):
            size = batch_size(tasks, count)
            assert 1 <= size <= 4
            assert -(-tasks // size) >= min(tasks, 4 * count), (tasks, count)  # every worker gets several batches
    assert batch_size(12, 2) == 1 and batch_size(1131, 2) == 4
