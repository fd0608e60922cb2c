"""A new hire's first week on a phone (390 × 844), measured in the real browser on both engines:
from the home page to "my KPIs" in three taps, KPI tables that keep every column meaningful and
every word at 12 px or more, no control floating over the text, and a KPI index read without
scrolling sideways."""

from __future__ import annotations

from typing import Any

import pytest

from generator.i18n import load_locale
from generator.model import paths

from .conftest import Site, screenshot, site_path

pytestmark = pytest.mark.without_search

PHONE = {"width": 390, "height": 844}
ZH = load_locale("zh")
#: The smallest text a reader is given, in CSS pixels.
MIN_PX = 12

#: Visible elements a finger can press that stay put while the page scrolls (fixed or sticky), outside
#: the header (the drawer, off screen until opened, is not visible).
_FLOATING = """() => [...document.querySelectorAll('body *')].filter(e => {
  const style = getComputedStyle(e);
  if (!['fixed', 'sticky'].includes(style.position) || e.closest('header, dialog')) return false;
  const box = e.getBoundingClientRect();
  const shown = box.width > 0 && box.height > 0 && box.right > 0 && box.left < innerWidth && box.bottom > 0
    && box.top < innerHeight && style.visibility !== 'hidden' && Number(style.opacity) > 0;
  const pressable = e.matches('a, button, label, input, [role=button]') || e.querySelector('a, button, label, input');
  return shown && pressable && !e.closest('article');
}).map(e => e.tagName + '.' + e.className)"""

#: Every text node's element inside ``root``: its font size in pixels (the smallest text counts).
_FONT_SIZES = """root => [...root.querySelectorAll('*')].filter(e => e.offsetParent !== null
  && [...e.childNodes].some(n => n.nodeType === 3 && n.textContent.trim())).map(e => parseFloat(getComputedStyle(e).fontSize))"""

#: Columns of ``table`` whose every body cell is empty and that still take room.
_EMPTY_COLUMNS = """table => { const rows = [...table.querySelectorAll('tbody tr')]; const out = [];
  const width = table.rows[0].cells.length;
  for (let c = 0; c < width; c++) {
    const cells = rows.map(r => r.cells[c]).filter(Boolean);
    if (cells.length && cells.every(td => !td.textContent.replace(/[\\s—–-]/g, '')) && cells[0].offsetWidth > 0) out.push(c);
  }
  return out; }"""


def _in_view(page: Any, locator: Any) -> bool:
    box = locator.bounding_box()
    return box is not None and box["y"] >= 0 and box["y"] + box["height"] <= PHONE["height"]


def test_my_kpis_are_three_taps_from_the_home_page(page: Any, site: Site) -> None:
    hb = site.hb
    role = next(hb.roles[rid] for unit in hb.units for rid in hb.unit_roles.get(unit, []) if hb.roles[rid].kpis)
    page.set_viewport_size(PHONE)
    page.goto(site.base, wait_until="load")
    taps, swipes = [], 0

    def tap(locator: Any, what: str) -> None:
        nonlocal swipes
        assert locator.count(), f"nothing to tap for {what}; screenshot: {screenshot(page, 'phone-path-missing')}"
        if not _in_view(page, locator):
            swipes += 1  # Playwright scrolls it into view, as a thumb would
        locator.click()
        taps.append(what)

    tap(page.locator(f'details[data-picker-unit="{role.unit}"] > summary'), "the unit")
    tap(page.locator(f'details[data-picker-unit="{role.unit}"] a.handbook-picker__role', has_text=role.title), role.title)
    page.wait_for_load_state("load")
    assert site_path(page.url) == paths.url("role", role.id)
    tap(page.locator('.handbook-sections a[href="#kpis"]'), "the KPI section")
    heading = page.locator("h2#kpis")
    shot = screenshot(page, f"phone-path-{site.engine}-kpis")
    assert _in_view(page, heading), f"the KPI heading is not in view after the jump; screenshot: {shot}"
    header = page.locator("header.md-header").bounding_box()
    box = heading.bounding_box()
    assert header and box and box["y"] >= header["y"] + header["height"] - 1, "the heading hides under the header"
    assert len(taps) <= 3, f"{len(taps)} taps: {taps}"
    assert swipes == 0, f"{swipes} swipes needed to reach a button"

    table = page.locator("h2#kpis ~ * table, h2#kpis ~ table").first
    assert table.count(), f"the role page shows no KPI table; screenshot: {shot}"
    assert table.evaluate(_EMPTY_COLUMNS) == [], f"a KPI column is empty; screenshot: {shot}"
    sizes = table.evaluate(_FONT_SIZES)
    assert sizes and min(sizes) >= MIN_PX, f"KPI text at {min(sizes)} px; screenshot: {shot}"
    floating = page.evaluate(_FLOATING)
    assert floating == [], f"controls float over the text: {floating}; screenshot: {shot}"


def test_the_kpi_index_reads_on_a_phone_without_scrolling_sideways(page: Any, site: Site) -> None:
    page.set_viewport_size(PHONE)
    page.goto(site.url("kpis/"), wait_until="load")
    shot = screenshot(page, f"phone-kpis-{site.engine}", full_page=True)
    wide = page.evaluate("""() => [...document.querySelectorAll('article table')].map(t => {
        const holder = t.closest('.md-typeset__scrollwrap') || t;
        return holder.scrollWidth - holder.clientWidth; })""")
    assert wide and max(wide) <= 1, f"the KPI index scrolls sideways by {max(wide)} px; screenshot: {shot}"
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    metric = page.locator("article table tbody td:nth-child(2)").first
    box = metric.bounding_box()
    assert box and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], "the metric is off screen"
    sizes = page.locator("article table").first.evaluate(_FONT_SIZES)
    assert min(sizes) >= MIN_PX, f"KPI index text at {min(sizes)} px; screenshot: {shot}"
    assert page.evaluate(_FLOATING) == [], f"controls float over the text; screenshot: {shot}"
