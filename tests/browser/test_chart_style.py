"""The site's org charts leave their colours and type to one <style> each instead of attributes on every
element; they must look exactly as the same chart did carrying them itself (as print's still does), with
the site's own stylesheet (hover, dark mode) as it is: drawn in the same spot of the built page, every
pixel the same."""

from __future__ import annotations

import io
from typing import Any

import pytest
from PIL import Image, ImageChops

from generator.i18n import load_locale
from generator.model import paths
from generator.render import orgchart, orgtree

from .conftest import Site, page_url, screenshot

LOCALE = load_locale("zh")


def _styled(site: Site, kind: str, ident: str) -> tuple[str, str]:
    """The chart the page of ``kind``/``ident`` shows, drawn with its own colours, and its page's URL."""
    hb = site.hb
    page = paths.page(kind, ident)
    if kind == "role":
        tree = orgtree.role_tree(hb, LOCALE, ident)
        title = LOCALE.label("chart_of_role").format(title=hb.roles[ident].title)
    else:
        tree = orgtree.unit_tree(hb, LOCALE, ident)
        title = LOCALE.label("chart_of_unit").format(name=hb.units[ident].name)
    svg, _ = orgchart.render_svg(orgtree.fold(tree, LOCALE), LOCALE, orgchart.relative_href(page), title)
    return svg, page_url(kind, ident)


def _charts(site: Site) -> list[tuple[str, str]]:
    """A role chart with the role's own box and a staffing bar; a unit chart with units' boxes."""
    hb = site.hb
    role = next(svg for rid in sorted(hb.roles) if 'fill="#ffab91"' in (svg := _styled(site, "role", rid))[0])
    unit = next(svg for uid in sorted(hb.units) if "oc-unit" in (svg := _styled(site, "unit", uid))[0])
    return [role, unit]


def _png(locator: Any) -> Image.Image:
    return Image.open(io.BytesIO(locator.screenshot())).convert("RGB")


@pytest.mark.without_search
def test_a_site_chart_is_drawn_as_its_own_colours_say(page: Any, site: Site) -> None:
    page.set_viewport_size({"width": 1600, "height": 1200})
    for styled, url in _charts(site):
        page.goto(site.url(url))
        page.mouse.move(0, 0)
        drawn = page.locator(".md-content .org-chart svg").first
        assert "fill=" not in drawn.evaluate("e => e.querySelector('.oc-box').outerHTML"), f"{url}: colours inline"
        shot = screenshot(page, f"chart-style-{url}", full_page=True)
        # The page's chart pinned to the window's corner (same container, same CSS), drawn; then the
        # same chart with every colour on its elements in its place, drawn again: same pixels.
        page.evaluate(
            """() => { const mine = document.querySelector('.md-content .org-chart');
                       const twin = mine.cloneNode(true); twin.id = 'twin';
                       Object.assign(twin.style, {position: 'fixed', top: '0', left: '0', margin: '0', zIndex: 9999});
                       mine.after(twin); }"""
        )
        ours = _png(page.locator("#twin svg"))
        # As the chart was before it left its look to a <style> of its own: its own colours, and no
        # chart's rules on the page (a <style> in an inline SVG applies to the whole page).
        removed = page.evaluate(
            """svg => { const rules = document.querySelectorAll('.org-chart svg style');
                       rules.forEach(e => e.remove());
                       document.getElementById('twin').innerHTML = svg; return rules.length; }""",
            styled,
        )
        assert removed >= 2, f"{url}: no <style> in the chart ({removed})"
        theirs = _png(page.locator("#twin svg"))
        assert ours.size == theirs.size, f"{url}: {ours.size} vs {theirs.size}; screenshot: {shot}"
        if ImageChops.difference(ours, theirs).getbbox() is not None:
            pair = Image.new("RGB", (ours.width * 2 + 8, ours.height), "red")
            pair.paste(ours, (0, 0))
            pair.paste(theirs, (ours.width + 8, 0))
            pair.save(shot.with_name(shot.stem + "-pair.png"))
            pytest.fail(f"{url}: the site's chart (left) differs from its styled twin: {shot.stem}-pair.png")
