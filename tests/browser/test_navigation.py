"""Getting around as a reader does: the nav, reference links, clause URLs, org charts, the PDF."""

from __future__ import annotations

import re
from typing import Any

import pytest

from generator.i18n import load_locale
from generator.model.refs import Ref, find_refs
from generator.render.writer import display_name

from .conftest import Site, first_role_in_nav, page_url, screenshot, site_path

#: No test here searches: the tab gets an empty search index (see the `page` fixture).
pytestmark = pytest.mark.without_search

ZH = load_locale("zh")


def _heading(page: Any) -> str:
    """The page's h1 without its permalink mark."""
    text: str = page.locator(".md-content h1").first.evaluate(
        "h => { const c = h.cloneNode(true); c.querySelectorAll('.headerlink').forEach(a => a.remove());"
        " return c.textContent; }"
    )
    return text.strip()


def _nav_link(page: Any, label: str) -> Any:
    """The link in the left-hand nav whose whole text is ``label``."""
    return page.locator(".md-sidebar--primary").get_by_role("link", name=label, exact=True).first


def _content_link(page: Any, site: Site, target: str) -> Any:
    """The link in the page body whose resolved address is ``target`` (site-relative)."""
    # getAttribute, not .href: links inside SVG org charts have no string href.
    hrefs = page.locator(".md-content a[href]").evaluate_all(
        "els => els.map(e => new URL(e.getAttribute('href'), document.baseURI).href)"
    )
    for i, href in enumerate(hrefs):
        if site_path(href) == target:
            return page.locator(".md-content a[href]").nth(i)
    return None


def _in_view(page: Any, locator: Any) -> bool:
    """Inside the window and not hidden under Material's fixed header."""
    box = locator.bounding_box()
    header = page.locator(".md-header").bounding_box()
    top = header["y"] + header["height"] if header else 0
    return box is not None and top - 1 <= box["y"] < page.viewport_size["height"]


def test_home_to_a_role_through_the_nav(page: Any, site: Site) -> None:
    units, role_id = first_role_in_nav(site.hb)
    page.goto(site.base)
    shot = screenshot(page, "home")
    assert page.locator(".md-sidebar--primary").is_visible(), f"no nav on the home page; screenshot: {shot}"
    unit = site.hb.units[units[-1]]
    # A unit's roles sit in its 岗位 group (inside "〈unit〉本部" when it has sub-units).
    groups = [ZH.label("nav_own_pages").format(name=unit.name)] if site.hb.unit_children.get(unit.id) else []
    groups.append(ZH.label("nav_group_roles"))
    steps = [ZH.label("org"), *(site.hb.units[u].name for u in units), *groups, site.hb.roles[role_id].title]
    for label in steps:
        link = _nav_link(page, label)
        shot = screenshot(page, "nav-step")
        assert link.count(), f"the nav on {site_path(page.url)} has no link {label!r}; screenshot: {shot}"
        link.click()
        page.wait_for_load_state()
        if label == site.hb.units[units[-1]].name:
            screenshot(page, f"unit-{units[-1]}", full_page=True)
    shot = screenshot(page, f"role-{role_id}", full_page=True)
    assert site_path(page.url) == page_url("role", role_id), f"nav led to {page.url}; screenshot: {shot}"
    assert _heading(page) == site.hb.roles[role_id].title, f"wrong heading; screenshot: {shot}"


def _a_text_reference(site: Site) -> tuple[str, Ref]:
    """A role page and one reference written in its free text (a policy clause if there is one)."""
    found: list[tuple[str, Ref]] = []
    for role in site.hb.roles.values():
        for ref in find_refs(repr(role.model_dump())):
            if site.hb.get(ref.kind, ref.id) is not None:
                found.append((role.id, ref))
    assert found, "no role's text references another entity: add [[kind:id]] to the sample"
    found.sort(key=lambda item: (item[1].kind != "policy" or not item[1].anchor, item[0]))
    return found[0]


def test_a_text_reference_link_opens_its_target(page: Any, site: Site) -> None:
    role_id, ref = _a_text_reference(site)
    target = page_url(ref.kind, ref.id)
    if ref.anchor and ref.kind == "policy":
        clause = site.hb.resolve_clause(ref.id, ref.anchor)
        target += f"#{clause}"
    page.goto(site.url(page_url("role", role_id)))
    link = _content_link(page, site, target)
    shot = screenshot(page, f"reference-from-{role_id}")
    assert link is not None, f"{page_url('role', role_id)} has no link to {target}; screenshot: {shot}"
    link.click()
    page.wait_for_url(re.compile(re.escape(target.split("#")[0])))
    shot = screenshot(page, f"reference-to-{ref.kind}-{ref.id}")
    assert site_path(page.url) == target, f"the link opened {page.url}, not {target}; screenshot: {shot}"
    entity = site.hb.get(ref.kind, ref.id)
    assert entity is not None
    if ref.kind != "term":
        assert _heading(page) == display_name(entity), f"wrong page; screenshot: {shot}"
    if "#" in target:
        anchor = page.locator(f"#{target.split('#')[1]}")
        assert _in_view(page, anchor), f"{target} is not scrolled into view; screenshot: {shot}"


def test_a_clause_url_scrolls_the_clause_into_view(page: Any, site: Site) -> None:
    found = [(p.id, c) for p in site.hb.policies.values() for c in p.clauses if c.id == "late-arrival"]
    assert found, "no policy has the clause late-arrival (the attendance policy): add it under roles/"
    policy_id, clause = found[0]
    url = f"{page_url('policy', policy_id)}#{clause.id}"
    page.goto(site.url(url))
    page.wait_for_load_state()
    heading = page.locator(f"#{clause.id}")
    shot = screenshot(page, f"clause-{policy_id}-{clause.id}")
    assert heading.count(), f"{url} has no element with id {clause.id}; screenshot: {shot}"
    assert _in_view(page, heading), f"{url}: the clause is not in view; screenshot: {shot}"
    if clause.title:
        assert clause.title in (heading.text_content() or ""), f"{url} points at the wrong clause; screenshot: {shot}"


def test_clicking_a_box_in_a_unit_org_chart_opens_the_role(page: Any, site: Site) -> None:
    units, _role = first_role_in_nav(site.hb)
    unit_id = units[-1]
    page.goto(site.url(page_url("unit", unit_id)))
    boxes = page.locator(".md-content svg a")
    shot = screenshot(page, f"org-chart-{unit_id}", full_page=True)
    assert boxes.count(), f"no org chart SVG with links on {page_url('unit', unit_id)}; screenshot: {shot}"
    role_pages = {page_url("role", rid): rid for rid in site.hb.unit_roles[unit_id]}
    # An SVG link's href is relative to the page: resolve it as the browser does.
    resolved = boxes.evaluate_all(
        "els => els.map(e => new URL(e.getAttribute('href') || e.getAttribute('xlink:href'), document.baseURI).href)"
    )
    hrefs = [site_path(h) for h in resolved]
    index = next((i for i, h in enumerate(resolved) if site_path(h) in role_pages), None)
    assert index is not None, f"no box in the chart links to a role of {unit_id}: {hrefs}; screenshot: {shot}"
    expected = site_path(resolved[index])
    boxes.nth(index).click()
    page.wait_for_url(re.compile(re.escape(expected) + "$"))
    shot = screenshot(page, f"org-chart-click-{role_pages[expected]}")
    assert _heading(page) == site.hb.roles[role_pages[expected]].title, f"wrong page; screenshot: {shot}"


def test_clicking_the_superior_in_a_role_chart_opens_the_superior(page: Any, site: Site) -> None:
    """A role page is served one folder below its Markdown file (roles/x.md → roles/x/), where the
    engines once read the chart's links differently (#31): the superior's box, and the role's own."""
    role_id, role = next((rid, r) for rid, r in sorted(site.hb.roles.items()) if r.reports_to in site.hb.roles)
    boss = str(role.reports_to)
    page.goto(site.url(page_url("role", role_id)))
    boxes = page.locator(".md-content svg a")
    resolved = [site_path(h) for h in boxes.evaluate_all(
        "els => els.map(e => new URL(e.getAttribute('href'), document.baseURI).href)"
    )]
    shot = screenshot(page, f"role-chart-{role_id}", full_page=True)
    assert page_url("role", role_id) in resolved, f"the role's own box leads to {resolved}; screenshot: {shot}"
    assert page_url("role", boss) in resolved, f"no box leads to {boss}: {resolved}; screenshot: {shot}"
    boxes.nth(resolved.index(page_url("role", boss))).click()
    page.wait_for_url(re.compile(re.escape(page_url("role", boss)) + "$"))
    shot = screenshot(page, f"role-chart-click-{boss}")
    assert _heading(page) == site.hb.roles[boss].title, f"wrong page; screenshot: {shot}"


def test_the_role_page_pdf_link_serves_a_pdf(page: Any, site: Site) -> None:
    role_id = site.pdf_role
    page.goto(site.url(page_url("role", role_id)))
    links = page.locator('.md-content a[href$=".pdf"]')
    shot = screenshot(page, f"pdf-link-{role_id}")
    assert links.count(), f"{page_url('role', role_id)} has no PDF link; screenshot: {shot}"
    href = links.first.evaluate("e => e.href")
    assert site_path(href) == f"pdf/{role_id}.pdf", f"the PDF link points at {href}; screenshot: {shot}"
    # Fetched by the page itself, so the request goes through the browser (and its request log).
    answer = page.evaluate(
        """async (url) => {
            const r = await fetch(url);
            const bytes = new Uint8Array(await r.arrayBuffer());
            return {status: r.status, type: r.headers.get("content-type"), head: Array.from(bytes.slice(0, 5)),
                    size: bytes.length};
        }""",
        href,
    )
    assert answer["status"] == 200, f"{href} answered {answer['status']}; screenshot: {shot}"
    assert (answer["type"] or "").split(";")[0] == "application/pdf", f"{href} is {answer['type']}"
    assert bytes(answer["head"]) == b"%PDF-", f"{href} does not start with %PDF- ({answer['size']} bytes)"
