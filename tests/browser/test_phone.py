"""Reading on a phone (390 × 844) and on wide screens, in the real browser, over every page of the built site.

Nothing may be cut off without a cue: whatever scrolls sideways carries the scroll cue the
theme's script adds, and no element pokes out of the screen outside such a scroller.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from .conftest import Site, screenshot, swept

#: No test here searches: the tab skips the search index (see the `page` fixture).
pytestmark = pytest.mark.without_search

PHONE = {"width": 390, "height": 844}
WIDE = {"width": 1920, "height": 1080}

#: In the page: every element of the article that clips its content, whether it says so, and
#: every element that sticks out past the screen's right edge with no scroller around it.
_MEASURE = """() => {
  const article = document.querySelector("article") || document.body;
  const clipped = [];
  const outside = [];
  const scrolls = (el) => ["auto", "scroll", "hidden"].includes(getComputedStyle(el).overflowX);
  for (const el of article.querySelectorAll("*")) {
    if (el.closest(".handbook-chart-full")) continue;
    const wide = el.scrollWidth > el.clientWidth + 1;
    const box = el.getBoundingClientRect();
    if (wide && scrolls(el)) {
      const holder = el.matches("pre > code") ? el.parentElement : el;
      const cue = holder.previousElementSibling;
      const cued = el.classList.contains("handbook-scrolls") && cue !== null
        && cue.classList.contains("handbook-scroll-cue") && !cue.hidden && cue.getBoundingClientRect().height > 0
        && cue.textContent.trim().length > 0;
      if (!cued) clipped.push(el.tagName + "." + el.className + " " + el.scrollWidth + ">" + el.clientWidth);
    }
    if (box.right <= window.innerWidth + 1 || (box.width === 0 && box.height === 0)) continue;
    const scroller = el.parentElement && el.parentElement.closest(".handbook-scrolls");
    if (!scroller || !article.contains(scroller)) outside.push(el.tagName + "." + el.className + " right=" + Math.round(box.right));
  }
  return {clipped, outside, page: document.documentElement.scrollWidth, screen: window.innerWidth};
}"""


def site_pages(site: Site) -> list[str]:
    """Every page of the built site (redirect stubs left at old URLs aside), as site paths."""
    out = []
    for path in sorted(site.root.rglob("*.html")):
        if "http-equiv=\"refresh\"" in path.read_text(encoding="utf-8", errors="replace")[:2000]:
            continue
        rel = path.relative_to(site.root).as_posix()
        out.append(rel.removesuffix("index.html"))
    return out


def _goto(page: Any, site: Site, path: str) -> None:
    # "load", not "networkidle": the pages are static, and idle waits half a second on each.
    page.goto(site.url(path), wait_until="load")


def test_nothing_is_cut_off_on_a_phone_without_a_cue(page: Any, site: Site) -> None:
    page.set_viewport_size(PHONE)
    pages = site_pages(site)
    assert len(pages) > len(site.hb.roles), "the site lists fewer pages than it has roles"
    failures = []
    cued = 0
    for path in swept(site, pages, lambda p: p.split("/")[0]):
        _goto(page, site, path)
        found = page.evaluate(_MEASURE)
        cued += page.locator(".handbook-scroll-cue:not([hidden])").count()
        if found["clipped"] or found["outside"] or found["page"] > found["screen"]:
            shot = screenshot(page, f"phone-{path or 'home'}")
            failures.append(f"/{path}: {found} ({shot})")
    assert not failures, "content cut off on a 390 px screen:\n" + "\n".join(failures)
    # The sample has wide tables and charts: if no cue showed anywhere, the measure saw nothing.
    assert cued > 0, "no scroll cue on any page: the script did not run or the measure is blind"


def test_wide_screens_show_charts_and_matrices_whole(page: Any, site: Site) -> None:
    page.set_viewport_size(WIDE)
    wide = [p for p in site_pages(site) if p.startswith(("org/", "raci/", "kpis/"))]
    failures = []
    for path in wide:
        _goto(page, site, path)
        found = page.evaluate(_MEASURE)
        scrolling = page.locator(".handbook-scrolls").count()
        if scrolling or found["outside"]:
            failures.append(f"/{path}: {scrolling} scrolling element(s); {found}")
    assert wide and not failures, "at 1920 px a chart or matrix still scrolls:\n" + "\n".join(failures)


def _chart_pages(site: Site) -> list[str]:
    """One page of each kind that draws a chart: the company chart, a unit's, a role's."""
    unit = next(uid for uid in site.hb.units if site.hb.unit_roles.get(uid))
    return ["org/", f"org/{unit}/", f"roles/{site.pdf_role}/"]


@pytest.mark.parametrize("kind", [0, 1, 2], ids=["company", "unit", "role"])
def test_a_chart_opens_full_screen_and_closes(page: Any, site: Site, kind: int) -> None:
    page.set_viewport_size(PHONE)
    _goto(page, site, _chart_pages(site)[kind])
    chart = page.locator(".org-chart").first
    drawn = float(chart.locator("svg").get_attribute("width") or 0)
    button = page.locator(".handbook-chart-bar button").first
    button.click()
    box = chart.bounding_box()
    assert box and box["width"] >= PHONE["width"] - 1 and box["height"] >= PHONE["height"] - 1, box
    svg = chart.locator("svg").bounding_box()
    assert svg and abs(svg["width"] - drawn) < 1, f"full screen shows the chart at {svg} not its {drawn} px"
    assert button.is_visible() and button.get_attribute("aria-expanded") == "true"
    screenshot(page, f"chart-full-{kind}")
    page.keyboard.press("Escape")
    assert "handbook-chart-full" not in (chart.get_attribute("class") or "")


def test_an_abbreviation_shows_its_meaning_on_tap(page: Any, site: Site) -> None:
    page.set_viewport_size(PHONE)
    titles = {}
    for path in (f"roles/{rid}/" for rid in site.hb.roles):
        _goto(page, site, path)
        if page.locator("article abbr[title]").count():
            abbr = page.locator("article abbr[title]").first
            titles[path] = abbr.get_attribute("title")
            abbr.scroll_into_view_if_needed()
            abbr.click()  # a tap: focus and click, no hover
            tip = page.locator(".md-tooltip2--active")
            tip.wait_for(state="visible")
            assert (tip.text_content() or "").strip() == titles[path]
            break
    assert titles, "no role page marks an abbreviation, though the glossary defines some"


def _luminance(rgb: list[float]) -> float:
    def channel(c: float) -> float:
        c /= 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(c) for c in rgb[:3])
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: list[float], b: list[float]) -> float:
    """WCAG contrast ratio of two sRGB colours."""
    la, lb = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


_CHART_COLOURS = """() => {
  const rgb = (value) => {
    const c = document.createElement("canvas").getContext("2d");
    c.fillStyle = value; c.fillRect(0, 0, 1, 1);
    return Array.from(c.getImageData(0, 0, 1, 1).data);
  };
  const out = [];
  for (const box of document.querySelectorAll(".org-chart .oc-box")) {
    const fill = rgb(getComputedStyle(box.querySelector("rect")).fill);
    for (const text of box.querySelectorAll("text")) out.push([text.textContent, fill, rgb(getComputedStyle(text).fill)]);
  }
  return {boxes: out, page: rgb(getComputedStyle(document.body).backgroundColor)};
}"""


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_chart_words_are_readable_in_both_colour_schemes(page: Any, site: Site, scheme: str) -> None:
    page.emulate_media(color_scheme=scheme)
    _goto(page, site, "")
    page.evaluate("localStorage.clear()")  # Material keeps the last scheme it used; start from the system's
    weak = []
    for path in _chart_pages(site):
        _goto(page, site, path)
        expected = "slate" if scheme == "dark" else "default"
        assert page.locator("body").get_attribute("data-md-color-scheme") == expected
        found = page.evaluate(_CHART_COLOURS)
        assert found["boxes"], f"/{path} has no chart boxes"
        for text, fill, colour in found["boxes"]:
            ratio = contrast(fill, colour)
            if ratio < 4.5:
                weak.append(f"/{path} {text!r}: {ratio:.2f}")
    assert not weak, f"chart labels below 4.5:1 in {scheme} mode:\n" + "\n".join(weak)


def test_the_palette_toggle_switches_to_dark_and_back(page: Any, site: Site) -> None:
    page.emulate_media(color_scheme="light")
    _goto(page, site, "")
    page.evaluate("localStorage.clear()")
    page.reload()
    toggle = page.locator("form[data-md-component=palette] label:visible").first
    assert (toggle.get_attribute("title") or "").strip(), "the toggle has no words"
    toggle.click()
    assert page.locator("body").get_attribute("data-md-color-scheme") == "slate"
    page.locator("form[data-md-component=palette] label:visible").first.click()
    assert page.locator("body").get_attribute("data-md-color-scheme") == "default"


def test_site_pages_found_every_role(site: Site) -> None:
    pages = set(site_pages(site))
    missing = [rid for rid in site.hb.roles if f"roles/{rid}/" not in pages]
    assert not missing
    assert Path(site.root / "404.html").is_file()
