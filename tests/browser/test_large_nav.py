"""A large handbook's short nav in Chromium, on both engines: every role within two clicks of the home page.

Past ``NAV_FULL_MAX_PAGES`` pages the nav lists units and index pages only (both engines render the
whole nav into every page, so listing every role cost pages × roles). A reader then finds a role
by its unit: one click on the unit in the home page's nav, one on the role in the unit's page.
This walks exactly that in the browser, for every role of a synthetic handbook past the threshold,
without the home page's role picker (which would make it one click and prove nothing about the nav).
"""

from __future__ import annotations

import functools
import shutil
import threading
from collections.abc import Iterator
from http.server import ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

import pytest

from generator.i18n import load_locale
from generator.link.pipeline import validate
from generator.model import paths
from generator.site import navigation
from generator.site.build import build
from tests.synthetic import write_project

from .conftest import LOCAL_HOST, Site, _QuietHandler, screenshot, site_path

#: Roles of the synthetic handbook, and the short nav's threshold for this test: the same code path as
#: the real threshold (``NAV_FULL_MAX_PAGES``) at a third of the build, since the threshold is read
#: when the nav is written. The fixture checks the handbook is past both.
ROLES = 60
THRESHOLD = 150
#: Links of the nav (drawer included) on every page: units, index pages, guides; never one per role.
NAV_LINKS = "nav.md-nav a.md-nav__link[href]"


#: These tests read pages and never search (see the ``page`` fixture).
pytestmark = pytest.mark.without_search


@pytest.fixture(scope="module")
def large(site: Site, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    """The engine of ``site`` (the browser's, one per engine) building a synthetic handbook past the
    threshold, served on a free local port."""
    engine = site.engine
    project, _ = write_project(tmp_path_factory.mktemp(f"large-{engine}"), ROLES)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(navigation, "NAV_FULL_MAX_PAGES", THRESHOLD)
        outcome = build(project, load_locale("zh"), pdfs=False, engine=engine)
    assert outcome.ok, (outcome.generated.problems[:3], outcome.site_errors[:3])
    pages = sum(1 for _ in project.docs.rglob("*.md"))
    assert pages > THRESHOLD, f"{pages} pages: too few to get the short nav"
    assert THRESHOLD < navigation.NAV_FULL_MAX_PAGES, "the test's threshold is meant to be below the real one"
    hb = validate(project.roles).handbook
    root = project.site
    server = ThreadingHTTPServer((LOCAL_HOST, 0), functools.partial(_QuietHandler, directory=str(root)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield Site(root, f"http://{LOCAL_HOST}:{server.server_address[1]}/", hb, "", engine)
    finally:
        server.shutdown()
        server.server_close()
        shutil.rmtree(Path(project.root), ignore_errors=True)


def _links(page: Any, selector: str) -> set[str]:
    # getAttribute, resolved here: an org chart's SVG link has no string .href.
    hrefs = page.eval_on_selector_all(
        selector, "els => els.map(e => new URL(e.getAttribute('href'), document.baseURI).href)"
    )
    return {site_path(href).split("#")[0] for href in hrefs}


def test_every_role_is_two_clicks_from_home(page: Any, large: Site) -> None:
    """Click one link of the home page (its nav or its text, the role picker left out), then one link of
    the page it opens: every role is among the second pages."""
    hb = large.hb
    role_urls = {paths.url("role", rid): rid for rid in hb.roles}
    page.goto(large.url(""), wait_until="load")
    home = page.url
    first = _links(page, f"{NAV_LINKS}, article a[href]:not([data-picker] a)") - {""}
    assert not first & set(role_urls), "a role on the home page outside the picker: this would prove nothing"
    reached: set[str] = set()
    for url in sorted(first):
        if url.endswith((".pdf", ".xml")):
            continue
        page.goto(urljoin(home, "/" + url), wait_until="load")
        reached |= _links(page, "a[href]") & set(role_urls)
    missing = sorted(role_urls[u] for u in set(role_urls) - reached)
    assert not missing, f"{len(missing)} roles not two clicks from home: {missing[:5]}"


def test_every_role_is_linked_from_its_units_page(page: Any, large: Site) -> None:
    """The way by the org chart: each unit's page (in the nav under 组织架构) links each of its roles."""
    hb = large.hb
    for uid, rids in sorted(hb.unit_roles.items()):
        page.goto(large.url(paths.url("unit", uid)), wait_until="load")
        linked = _links(page, "article a[href]")
        missing = [rid for rid in rids if paths.url("role", rid) not in linked]
        assert not missing, f"{uid}: {missing[:5]} {screenshot(page, 'large-unit')}"


def test_a_role_pages_nav_does_not_grow_with_the_handbook(page: Any, large: Site) -> None:
    """The nav on a role's page holds the units and the index pages: not one link per role or process."""
    hb = large.hb
    rid = sorted(hb.roles)[len(hb.roles) // 2]
    page.goto(large.url(paths.url("role", rid)), wait_until="load")
    links = _links(page, NAV_LINKS)
    leaves = {paths.url(kind, ident) for kind in ("role", "process", "policy")
              for ident in hb.table(kind)} - {paths.url("role", rid)}
    assert not links & leaves, sorted(links & leaves)[:5]
    assert len(links) < len(hb.units) + 40, len(links)
