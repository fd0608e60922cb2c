"""Printing a role page from the browser (real Chromium, print media): clean paper.

For every role of the sample: the tree list under the org chart (the chart's text for the
screen) and the link to the checklist section are not printed, the checklist section is (on a
sheet of its own, to tick by hand), and the printed pages end with the role's own content.
(The checklist's own print button, which prints the section alone, is tried in test_wayfinding.)
"""

from __future__ import annotations

import io
import re
import unicodedata
from typing import Any

import pytest

from generator.i18n import load_locale
from generator.site.engine import DEFAULT_ENGINE

from ..conftest import pdf_texts
from .conftest import Site, page_url, screenshot, swept

#: No test here searches: the tab skips the search index (see the `page` fixture).
pytestmark = pytest.mark.without_search

LOCALE = load_locale("zh")


def _squash(text: str) -> str:
    """Text without whitespace, Kangxi radicals (which the CJK face's ToUnicode maps some
    characters to) folded back to the usual characters."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def test_printing_a_role_page_leaves_out_the_tree_list_and_the_link_only_end(page: Any, site: Site) -> None:
    checked = 0
    # By the size of its page, so the other engine prints the shortest and the longest role page.
    roles = sorted(site.hb.roles, key=lambda rid: (site.root / page_url("role", rid) / "index.html").stat().st_size)
    printed = swept(site, roles, lambda rid: "role")
    for rid in printed:
        page.goto(site.url(page_url("role", rid)))
        page.emulate_media(media="print")
        trees = page.locator(".md-content .org-chart + ul")
        assert trees.count() == 1, f"{rid}: a role page has one chart with its tree list"
        assert not trees.first.is_visible(), f"{rid}: the tree list prints; {screenshot(page, f'print-{rid}')}"
        assert page.locator(".md-content .org-chart svg").first.is_visible(), f"{rid}: the chart itself prints"
        links = page.locator(".md-content a.handbook-to-checklist")
        assert links.count() == 1 and not links.first.is_visible(), f"{rid}: the checklist link prints"
        assert page.locator(".md-content h2#onboarding").is_visible(), f"{rid}: the checklist does not print"
        blocks = page.locator(".md-content article :is(li, p, td, h2, h3)").filter(visible=True)
        last = _squash(blocks.last.inner_text().rstrip("¶"))[-12:]
        sheets = pdf_texts(page.pdf(format="A4"))
        first, final = _squash(sheets[0]), _squash(sheets[-1])
        assert _squash(LOCALE.label("basic_facts")) in first, rid
        # The last printed page holds the end of the role's last printed block, not just a stray link.
        assert last in final, (rid, last, final[-200:])
        # The checklist starts a sheet of its own, to tick by hand.
        heading = _squash(LOCALE.label("onboarding"))
        assert any(_squash(sheet).startswith(heading) for sheet in sheets[1:]), (rid, "checklist not on its own sheet")
        page.emulate_media(media="screen")
        checked += 1
    assert checked == len(printed) > 0 and (len(printed) == len(roles) or site.engine != DEFAULT_ENGINE)


def _other_pages(site: Site) -> dict[str, str]:
    """One page of every other type, chosen from the data: the unit with the most roles, the
    process with the most steps, the policy with the most clauses, and the index pages."""
    hb = site.hb
    unit = max(hb.units, key=lambda u: len(hb.unit_roles.get(u, [])))
    process = max(hb.processes.values(), key=lambda p: len(p.steps))
    policy = max(hb.policies.values(), key=lambda p: len(p.clauses))
    return {
        "home": "", "unit": page_url("unit", unit), "process": page_url("process", process.id),
        "policy": page_url("policy", policy.id), "glossary": "glossary/", "raci": "raci/", "kpis": "kpis/",
        "org": "org/",
    }


def test_printing_any_other_page_gives_clean_paper(page: Any, site: Site) -> None:
    """No site header, nav or search on paper: the first printed words are the page's title,
    and nothing is cut at the sheet's edges (the widest tables, RACI and KPIs, included)."""
    import logging

    import pdfplumber

    logging.getLogger("pdfminer").setLevel(logging.ERROR)  # Chromium's fonts lack a FontBBox pdfminer reports
    for kind, path in _other_pages(site).items():
        page.goto(site.url(path))
        page.emulate_media(media="print")
        title = _squash(page.locator(".md-content h1").first.inner_text().rstrip("¶"))
        data = page.pdf(format="A4")
        page.emulate_media(media="screen")
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            first = _squash(pdf.pages[0].extract_text() or "")
            assert first.startswith(title), (kind, title, first[:80])
            for number, sheet in enumerate(pdf.pages, 1):
                xs = [(c["x0"], c["x1"]) for c in sheet.chars]
                assert xs, f"{kind} p{number}: an empty printed page"
                # At least 10 mm (28 pt) of paper on each side of every character.
                assert min(x0 for x0, _ in xs) >= 28 and max(x1 for _, x1 in xs) <= float(sheet.width) - 28, (kind, number)
