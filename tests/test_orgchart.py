"""Org charts: geometry read back from the SVG, headcounts against the seeds, a 500-role org, a real browser."""

from __future__ import annotations

import functools
import http.server
import itertools
import posixpath
import random
import threading
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml
from fontTools.ttLib import TTCollection, TTFont

from generator.i18n import load_locale
from generator.link.handbook import Handbook
from generator.link.headcount import role_headcount, unit_totals
from generator.link.pipeline import validate
from generator.model import paths
from generator.project import Project
from generator.render import orgchart
from generator.render.orglayout import DETAIL_SIZE, TITLE_SIZE, Box, Line, layout, text_width, wrap

from .conftest import OUTPUT, REPO

SVG = "{http://www.w3.org/2000/svg}"
FONTS = Path("/usr/share/fonts/opentype/noto")
LOCALE = load_locale("zh")


# ---------------------------------------------------------------- reading an SVG back


@functools.cache
def _font(bold: bool) -> TTFont:
    path = FONTS / ("NotoSansCJK-Bold.ttc" if bold else "NotoSansCJK-Regular.ttc")
    return next(f for f in TTCollection(str(path)).fonts if f["name"].getDebugName(1) == "Noto Sans CJK SC")


def real_width(text: str, size: float, bold: bool = False) -> float:
    """Advance width of ``text`` in the real Noto Sans CJK SC, as WeasyPrint and Chromium here draw it."""
    font = _font(bold)
    cmap, hmtx, upm = font.getBestCmap(), font["hmtx"], font["head"].unitsPerEm
    return float(sum(hmtx[cmap.get(ord(ch), ".notdef")][0] for ch in text) * size / upm)


@dataclass
class Drawn:
    """A box read back from the SVG."""

    x: float
    y: float
    w: float
    h: float
    href: str | None
    texts: list[tuple[str, float, float, float, bool]]
    """``(text, x, baseline, size, bold)``."""


def read_svg(svg: str) -> tuple[ET.Element, list[Drawn]]:
    """Parse the SVG (it must be well-formed XML) and return its boxes."""
    root = ET.fromstring(svg)
    assert root.tag == f"{SVG}svg"
    assert root.get("font-family") == "Noto Sans CJK SC, sans-serif"
    assert not list(root.iter(f"{SVG}script")), "no scripts in a chart"
    out: list[Drawn] = []
    for parent in root:
        href = parent.get("href") if parent.tag == f"{SVG}a" else None
        group = parent[0] if parent.tag == f"{SVG}a" else parent
        if group.tag != f"{SVG}g" or "oc-box" not in (group.get("class") or ""):
            continue
        rect = group.find(f"{SVG}rect")
        assert rect is not None
        # A site chart leaves size and weight to handbook.css (browser/test_chart_style.py holds
        # it to these): titles 14 px, bold in a unit's box and the role's own, the rest 12 px.
        heavy = {"oc-unit", "oc-self"} & set((group.get("class") or "").split())
        texts = [
            (t.text or "", float(t.get("x", 0)), float(t.get("y", 0)),
             float(t.get("font-size") or (TITLE_SIZE if t.get("class") == "oc-title" else DETAIL_SIZE)),
             t.get("font-weight") == "bold" or ("font-size" not in t.attrib and t.get("class") == "oc-title"
                                                and bool(heavy)))
            for t in group.iter(f"{SVG}text")
        ]
        x, y, w, h = (float(rect.get(k, 0)) for k in ("x", "y", "width", "height"))
        out.append(Drawn(x, y, w, h, href, texts))
    return root, out


def assert_sound(svg: str) -> list[Drawn]:
    """No two boxes overlap; every label fits its box in the real font; all inside the canvas."""
    root, boxes = read_svg(svg)
    width, height = float(root.get("width", 0)), float(root.get("height", 0))
    for a, b in itertools.combinations(boxes, 2):
        overlap_x = min(a.x + a.w, b.x + b.w) - max(a.x, b.x)
        overlap_y = min(a.y + a.h, b.y + b.h) - max(a.y, b.y)
        assert overlap_x <= 0 or overlap_y <= 0, f"boxes overlap: {a.texts[0][0]!r} and {b.texts[0][0]!r}"
    for box in boxes:
        assert box.x >= 0 and box.x + box.w <= width and box.y >= 0 and box.y + box.h <= height
        for text, x, baseline, size, bold in box.texts:
            half = real_width(text, size, bold) / 2
            assert box.x + 2 <= x - half and x + half <= box.x + box.w - 2, f"{text!r} overflows its box"
            assert box.y <= baseline - 0.88 * size and baseline + 0.12 * size <= box.y + box.h, f"{text!r} clipped"
    return boxes


def titles(boxes: list[Drawn]) -> str:
    """All text of a chart's boxes; wrapped titles joined back together."""
    return "".join(t[0] for box in boxes for t in box.texts)


def resolve(page: str, href: str) -> str:
    """Site-relative URL of the page a chart's link leads to: charts link from their Markdown file to
    another one, as Markdown links do (both engines turn that into the page's URL)."""
    assert href.endswith(".md"), href
    return orgchart.page_url(posixpath.normpath(posixpath.join(posixpath.dirname(page), href)))


# ---------------------------------------------------------------- the sample handbook


@pytest.fixture(scope="module")
def sample() -> Handbook:
    result = validate(REPO / "roles", locale=LOCALE, display_base=REPO)
    return result.handbook


def _yaml_roles(unit: str) -> list[dict[str, Any]]:
    """The role files of a unit, read straight from YAML (not through the generator)."""
    out = []
    for path in sorted((REPO / "roles").rglob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        if isinstance(data, dict) and data.get("kind") == "role" and data.get("unit") == unit:
            out.append(data)
    return out


def test_call_center_total_matches_the_seed(sample: Handbook) -> None:
    roles = _yaml_roles("call-center")
    typed = sum(int(r["headcount"]["current"]) for r in roles if "current" in (r.get("headcount") or {}))
    assert typed == 55, "the seed: 1 销售经理 + 2 经理助理 + 4 团队长 + 4 × 12 电销人员"
    assert unit_totals(sample, "call-center").current == typed
    chart = orgchart.unit_chart(sample, LOCALE, "call-center")
    assert chart is not None
    boxes = assert_sound(chart.svg)
    by_title = {box.texts[0][0]: box for box in boxes}
    rep = next(r for r in roles if (r.get("headcount") or {}).get("ratio"))
    ratio = rep["headcount"]["ratio"]
    assert ratio["count"] == 12 and ratio["per"] == 1
    assert f"各 × {ratio['count']}" in titles([by_title[str(rep["title"])]])
    assert "× 2" in titles([by_title["经理助理"]]) and "× 4" in titles([by_title["电销团队长"]])


def test_renewal_team_shows_now_planned_and_open(sample: Handbook) -> None:
    roles = _yaml_roles("renewal-team")
    spec = next(r for r in roles if r["title"] == "续保专员")
    now, planned = spec["headcount"]["current"], spec["headcount"]["planned"]
    assert (now, planned) == (9, 16), "the seed: 9 now, 16 planned"
    expected_now = sum(int((r.get("headcount") or {}).get("current", 0)) for r in roles)
    expected_planned = sum(
        int((r.get("headcount") or {}).get("planned", (r.get("headcount") or {}).get("current", 0)))
        for r in roles
    )
    totals = unit_totals(sample, "renewal-team")
    assert (totals.current, totals.planned) == (expected_now, expected_planned)
    chart = orgchart.unit_chart(sample, LOCALE, "renewal-team")
    assert chart is not None
    box = next(b for b in assert_sound(chart.svg) if b.texts[0][0] == "续保专员")
    text = titles([box])
    assert f"× {now}" in text and f"编制 {planned}" in text and f"空缺 {planned - now}" in text


def _charts(hb: Handbook) -> Iterator[tuple[str, str, orgchart.OrgChart]]:
    yield "org", paths.ORG_INDEX, orgchart.company_chart(hb, LOCALE)
    for uid in hb.units:
        chart = orgchart.unit_chart(hb, LOCALE, uid)
        if chart is not None:
            yield uid, paths.page("unit", uid), chart
    for rid in hb.roles:
        yield rid, paths.page("role", rid), orgchart.role_chart(hb, LOCALE, rid)


def test_every_sample_chart_is_sound_and_links_every_box(sample: Handbook) -> None:
    pages = {paths.url("role", r) for r in sample.roles} | {paths.url("unit", u) for u in sample.units}
    for name, page, chart in _charts(sample):
        boxes = assert_sound(chart.svg)
        assert 0 < chart.boxes == len(boxes) <= orgchart.MAX_BOXES, name
        for box in boxes:
            assert box.href, f"{name}: box {box.texts[0][0]!r} has no link"
            assert resolve(page, box.href) in pages, (name, box.href)
    # A unit chart that did not need folding shows every role of the unit, each linking to its page.
    for uid in sample.units:
        unit_chart = orgchart.unit_chart(sample, LOCALE, uid)
        rids = sample.unit_roles.get(uid, [])
        if unit_chart is None or len(rids) + len(sample.unit_children.get(uid, [])) > orgchart.MAX_BOXES:
            continue
        boxes = read_svg(unit_chart.svg)[1]
        text = titles(boxes)
        targets = {resolve(paths.page("unit", uid), b.href or "") for b in boxes}
        for rid in rids:
            assert sample.roles[rid].title.replace(" ", "") in text.replace(" ", ""), (uid, rid)
            assert paths.url("role", rid) in targets, (uid, rid)


def test_role_chart_marks_the_role_among_boss_peers_and_reports(sample: Handbook) -> None:
    for rid, role in sample.roles.items():
        boxes = read_svg(orgchart.role_chart(sample, LOCALE, rid).svg)[1]
        targets = {resolve(paths.page("role", rid), b.href or "") for b in boxes}
        expected = {rid, *sample.direct_reports.get(rid, [])}
        if role.reports_to in sample.roles:
            expected |= {role.reports_to, *sample.direct_reports.get(role.reports_to, [])}
        assert targets == {paths.url("role", r) for r in expected}, rid
        marked = [b for b in boxes if b.texts[0][0] == LOCALE.label("chart_this_role")]
        assert len(marked) == 1 and resolve(paths.page("role", rid), marked[0].href or "") == paths.url("role", rid)


def test_role_chart_svg_for_print_links_absolute_or_not_at_all(sample: Handbook) -> None:
    plain = orgchart.role_chart_svg(sample, "telesales-rep")
    assert "href" not in plain and "min-width" not in plain
    assert_sound(plain)
    absolute = orgchart.role_chart_svg(sample, "telesales-rep", base_url="https://hr.example.com/handbook")
    hrefs = {b.href for b in read_svg(absolute)[1]}
    assert "https://hr.example.com/handbook/roles/telesales-rep/" in hrefs
    assert all(h and h.startswith("https://hr.example.com/handbook/") for h in hrefs)


# ---------------------------------------------------------------- unit tests of the layout


def test_width_estimate_never_below_the_real_font(sample: Handbook) -> None:
    texts = [r.title for r in sample.roles.values()] + [u.name for u in sample.units.values()]
    texts += ["MWmw@% Team Leader (TL)", "×·（）、，—…", "各 × 12 · 共 48", "空缺 7"]
    for text, bold in itertools.product(texts, (False, True)):
        assert text_width(text, 14, bold=bold) >= real_width(text, 14, bold), text


def test_long_titles_wrap_and_keep_every_character() -> None:
    title = "华东区域银行保险渠道高级客户经理（VIP Wealth Management）兼培训讲师"
    lines = wrap(title, 14, 140)
    assert len(lines) > 2
    assert "".join(lines).replace(" ", "") == title.replace(" ", "")
    assert all(text_width(line, 14) <= 140 or len(line) == 1 for line in lines)
    assert not any(line[0] in "）,，" for line in lines)


def test_wide_fanout_stacks_leaves_and_stays_apart() -> None:
    def leaf(i: int) -> Box:
        return Box([Line(f"岗位{i}")])

    root = Box([Line("部门负责人")], children=[leaf(i) for i in range(30)] + [Box([Line("主管")], [leaf(99)])])
    chart = layout(root)
    assert chart.width < 900, "30 leaves hang in columns, not one 30-box row"
    for a, b in itertools.combinations(chart.boxes, 2):
        assert min(a.x + a.w, b.x + b.w) <= max(a.x, b.x) or min(a.y + a.h, b.y + b.h) <= max(a.y, b.y)


# ---------------------------------------------------------------- headcount checks


_ROLE = """kind: role
title: {title}
unit: team
{extra}
duties:
  - area: 职责
    items: [做事]
"""


def _write(folder: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


@pytest.mark.parametrize(
    ("rep_headcount", "problem"),
    [
        ("headcount:\n  current: 40\n  ratio: {count: 12, per: 1, of: lead}", True),
        ("headcount:\n  current: 48\n  ratio: {count: 12, per: 1, of: lead}", False),
        ("headcount:\n  current: 40\n  planned: 48\n  ratio: {count: 12, per: 1, of: lead}", False),
    ],
)
def test_a_ratio_that_contradicts_the_counts_is_reported(tmp_path: Path, rep_headcount: str, problem: bool) -> None:
    files = {
        "team.yaml": "kind: unit\nname: 小组\n",
        "lead.yaml": _ROLE.format(title="组长", extra="headcount:\n  current: 4\n  planned: 4"),
        "rep.yaml": _ROLE.format(title="坐席", extra=f"reports_to: lead\n{rep_headcount}"),
    }
    result = validate(_write(tmp_path, files), locale=LOCALE, display_base=tmp_path)
    found = [p for p in result.problems if p.code == "headcount_ratio_mismatch"]
    assert bool(found) == problem, found
    if found:
        assert (found[0].file, found[0].line, found[0].field) == ("rep.yaml", 6, "headcount.current")
        message, _ = found[0].texts(LOCALE)
        assert "组长 4 人应配 48 人" in message and "40" in message


# ---------------------------------------------------------------- a synthetic org of 500 roles in 40 units


def synthetic_roles(folder: Path, n_roles: int = 500, n_units: int = 40, seed: int = 7) -> Path:
    """Units in a random tree; roles in random reporting trees, with one very wide and one very deep unit."""
    rng = random.Random(seed)
    units = [f"u{i:02d}" for i in range(n_units)]
    for i, uid in enumerate(units):
        parent = f"\nparent: {units[rng.randrange(i)]}" if i else ""
        (folder / f"{uid}.yaml").write_text(f"kind: unit\nname: 第{i}号区域业务发展部{parent}\n", encoding="utf-8")
    shares = {units[1]: 60, units[2]: 45}  # one unit 60 roles flat, one a 45-deep chain
    rest = (n_roles - sum(shares.values())) // (n_units - 2)
    counts = [shares.get(u, rest) for u in units]
    counts[0] += n_roles - sum(counts)
    rid = 0
    for uid, count in zip(units, counts, strict=True):
        mine: list[str] = []
        for _ in range(count):
            ident = f"r{rid:03d}"
            if uid == units[1]:
                boss = mine[0] if mine else None
            elif uid == units[2]:
                boss = mine[-1] if mine else None
            else:
                boss = rng.choice(mine) if mine else None
            long = "（兼区域培训与质量管理 Senior Coordinator）" if rid % 17 == 0 else ""
            extra = f"reports_to: {boss}\n" if boss else ""
            extra += f"headcount:\n  current: {rng.randint(1, 20)}\n"
            if rid % 5 == 0:
                extra += f"  planned: {rng.randint(20, 30)}\n"
            text = f"kind: role\ntitle: 岗位{rid}{long}\nunit: {uid}\n{extra}duties:\n  - area: 职责\n    items: [做事]\n"
            (folder / f"{ident}.yaml").write_text(text, encoding="utf-8")
            mine.append(ident)
            rid += 1
    return folder


def test_500_roles_in_40_units_every_chart_within_the_box_limit(tmp_path: Path) -> None:
    result = validate(synthetic_roles(tmp_path), locale=LOCALE, display_base=tmp_path)
    hb = result.handbook
    assert (len(hb.roles), len(hb.units)) == (500, 40)
    assert not [p for p in result.problems if p.severity.value == "error"]
    n = 0
    for name, page, chart in _charts(hb):
        boxes = assert_sound(chart.svg)
        assert len(boxes) <= orgchart.MAX_BOXES, name
        for box in boxes:
            assert box.href and resolve(page, box.href).strip("/"), name
        n += 1
    assert n == 1 + 40 + 500
    # The wide unit folds its 59 reports; the deep one folds below the limit; both say what they hide.
    for uid in ("u01", "u02"):
        folded = orgchart.unit_chart(hb, LOCALE, uid)
        assert folded is not None
        text = titles(read_svg(folded.svg)[1])
        assert "其余" in text or "下属" in text, uid
    assert sum(role_headcount(hb, r)[0] or 0 for r in hb.roles) == unit_totals(hb, "u00").current


# ---------------------------------------------------------------- the built site, in a real browser


def test_built_pages_inline_the_charts_and_their_links_resolve(sample_site: Path) -> None:
    for page in ("org/index.html", "org/call-center/index.html", "roles/call-center-lead/index.html"):
        html = (sample_site / page).read_text(encoding="utf-8")
        start = html.index('<svg xmlns="http://www.w3.org/2000/svg" class="org-chart-svg"')
        svg = html[start : html.index("</svg>", start) + len("</svg>")]
        base = posixpath.dirname(page) + "/"
        for box in read_svg(svg)[1]:
            assert box.href
            target = posixpath.normpath(posixpath.join(base, box.href))
            assert (sample_site / target / "index.html").is_file(), (page, box.href)
        assert "<script" not in svg


def test_screenshots_of_the_charts(sample_project: Project) -> None:
    """Screenshots for a person to look at (test-output/orgchart-*.png), and label fit in Chromium's own layout."""
    from playwright.sync_api import sync_playwright

    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(sample_project.site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    OUTPUT.mkdir(exist_ok=True)
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox"])
            page = browser.new_page(viewport={"width": 1280, "height": 1000})
            for name, url in (("org", "org/"), ("unit", "org/call-center/"), ("role", "roles/call-center-lead/")):
                page.goto(base + url)
                chart = page.locator(".org-chart svg").first
                chart.scroll_into_view_if_needed()
                page.screenshot(path=str(OUTPUT / f"orgchart-{name}.png"), full_page=True)
                # Every label's rendered box lies inside its rectangle, measured by the browser itself.
                bad = chart.evaluate(
                    """svg => [...svg.querySelectorAll('g.oc-box')].flatMap(g => {
                        const r = g.querySelector('rect').getBBox();
                        return [...g.querySelectorAll('text')].map(t => [t.textContent, t.getBBox()])
                          .filter(([, b]) => b.x < r.x || b.x + b.width > r.x + r.width
                                          || b.y < r.y - 1 || b.y + b.height > r.y + r.height + 1)
                          .map(([s]) => s);
                    })"""
                )
                assert bad == [], (name, bad)
                assert chart.bounding_box() is not None
            browser.close()
    finally:
        server.shutdown()
