"""A real headless Chromium (Debian's) driven by Playwright against the built sample site on 127.0.0.1.

Every test here runs once per site engine (MkDocs + Material, Zensical): the ``site`` fixture is
parametrised by engine, and each engine's sample site is built once per session. The site is
copied so the job-description PDF of
one role can be added next to it, as ``handbook build`` does, without touching the shared build.
Every request the pages and their workers make is logged, and Chromium writes a net log of its
own traffic too, so the intranet test sees requests no page asked for.
"""

from __future__ import annotations

import functools
import json
import re
import shutil
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from generator.i18n import load_locale
from generator.link.handbook import Handbook
from generator.link.pipeline import validate
from generator.model import paths
from generator.pdf.render import CACHE_DIR
from generator.pdf.run import write_pdfs
from generator.project import Project
from generator.site.engine import DEFAULT_ENGINE, ENGINES, Engine

from ..conftest import OUTPUT

CHROMIUM = Path("/usr/bin/chromium")
SCREENSHOTS = OUTPUT / "screenshots"
LOCAL_HOST = "127.0.0.1"
#: The flags the issue asks for: headless, no sandbox (root in a container), no background traffic.
REQUIRED_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-quic",
    "--disable-sync",
]
#: Chromium still phones home with the flags above (autofill field types for any page with an
#: input, network time); measured in its net log here. These silence most of it; Debian's build
#: (Google API keys in /etc/chromium.d) still checks accounts and updates, which the intranet
#: test lists but does not blame on the site.
QUIET_ARGS = [
    "--disable-features=AutofillServerCommunication,NetworkTimeServiceQuerying,OptimizationHints,MediaRouter,Translate",
    "--disable-extensions",
    "--disable-component-extensions-with-background-pages",
    "--disable-default-apps",
    "--disable-domain-reliability",
    "--disable-client-side-phishing-detection",
    "--no-pings",
    "--no-default-browser-check",
    "--metrics-recording-only",
]
#: Milliseconds Playwright waits for an element or a navigation before the test fails.
TIMEOUT_MS = 30_000  # generous: a wait only lasts this long when something is wrong, or the machine is busy


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Run the intranet test last in this package: it checks what every other browser test requested."""
    here = Path(__file__).parent
    ours = [item for item in items if item.path.parent == here]
    if not ours:
        return
    start = items.index(ours[0])
    rest = [item for item in items if item not in ours]
    ordered = [item for item in ours if item.path.name != "test_intranet.py"]
    ordered += [item for item in ours if item.path.name == "test_intranet.py"]
    items[:] = rest[:start] + ordered + rest[start:]


class _QuietHandler(SimpleHTTPRequestHandler):
    """Static files; no log line per request in the test output."""

    def log_message(self, format: str, *args: Any) -> None:
        pass


@dataclass
class Site:
    """The sample site as served: its folder, base URL, the handbook it was built from, its engine."""

    root: Path
    base: str
    hb: Handbook
    pdf_role: str
    """The role whose PDF was written next to the site."""
    engine: Engine = "mkdocs"

    def url(self, site_path: str) -> str:
        """Absolute URL of a site-relative path such as ``roles/agent/``."""
        return self.base + site_path.lstrip("/")


def swept(site: Site, items: list[str], kind: Callable[[str], str]) -> list[str]:
    """The items a page-by-page sweep visits on ``site``: every one on the default engine; on the
    other engine the first and the last of each kind. The pages are the same Markdown on both; what
    differs is the engine's theme, and a theme's fault shows on every page of a kind. So the slow
    sweeps (every page at phone width, every role page printed) run in full once per suite."""
    if site.engine == DEFAULT_ENGINE:
        return items
    groups: dict[str, list[str]] = {}
    for item in items:
        groups.setdefault(kind(item), []).append(item)
    return [item for group in groups.values() for item in dict.fromkeys((group[0], group[-1]))]


def site_path(url: str) -> str:
    """The site-relative path and fragment of a served URL (``roles/x/#y``), query dropped."""
    parts = urlsplit(url)
    return parts.path.lstrip("/") + (f"#{parts.fragment}" if parts.fragment else "")


def first_role_in_nav(hb: Handbook) -> tuple[list[str], str]:
    """The unit path (root first) and id of the first role the nav lists, walking units depth first."""

    def walk(unit_id: str, trail: list[str]) -> tuple[list[str], str] | None:
        trail = [*trail, unit_id]
        if hb.unit_roles.get(unit_id):
            return trail, hb.unit_roles[unit_id][0]
        for child in hb.unit_children.get(unit_id, []):
            found = walk(child, trail)
            if found:
                return found
        return None

    for root in hb.root_units():
        found = walk(root, [])
        if found:
            return found
    raise AssertionError("the sample has no role inside a unit")


@pytest.fixture(scope="session")
def handbook(sample_project: Project) -> Handbook:
    """The sample handbook the site was built from (for expectations: titles, ids, clauses)."""
    result = validate(sample_project.roles, locale=load_locale("zh"))
    return result.handbook


@pytest.fixture(scope="package", params=ENGINES)
def site(
    request: pytest.FixtureRequest,
    sample_projects: Callable[[Engine], Project],
    handbook: Handbook,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[Site]:
    """One engine's built site plus one role's PDF, served by a threaded http.server on a free local port."""
    engine: Engine = request.param
    sample_project = sample_projects(engine)
    root = tmp_path_factory.mktemp(f"served-{engine}") / "site"
    shutil.copytree(sample_project.site, root)
    _units, pdf_role = first_role_in_nav(handbook)
    # The PDF step of `handbook build`, for the one role the navigation test opens.
    write_pdfs(handbook, load_locale("zh"), root / "pdf", sample_project.root / CACHE_DIR, [pdf_role], combined=False)
    server = ThreadingHTTPServer((LOCAL_HOST, 0), functools.partial(_QuietHandler, directory=str(root)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield Site(root, f"http://{LOCAL_HOST}:{server.server_address[1]}/", handbook, pdf_role, engine)
    finally:
        server.shutdown()
        server.server_close()


@dataclass
class Chrome:
    """One Chromium for these tests: its context, every URL its pages asked for, its net log."""

    context: Any
    playwright: Any
    netlog: Path
    requests: list[str] = field(default_factory=list)
    closed: bool = False

    def new_page(self) -> Any:
        """A fresh tab with the test timeouts."""
        page = self.context.new_page()
        page.set_default_timeout(TIMEOUT_MS)
        page.set_default_navigation_timeout(TIMEOUT_MS)
        return page

    def close(self) -> None:
        """Quit Chromium (which completes the net log); safe to call twice."""
        if not self.closed:
            self.closed = True
            self.context.close()
            self.playwright.stop()

    def netlog_requests(self) -> list[tuple[str, str]]:
        """``(url, initiator)`` of every request Chromium started, its own included; read after close().

        The initiator is the origin of the page that asked ("not an origin" when Chromium itself did).
        """
        data = json.loads(self.netlog.read_text(encoding="utf-8"))
        start_job = data["constants"]["logEventTypes"]["URL_REQUEST_START_JOB"]
        return [
            (event["params"]["url"], str(event["params"].get("initiator", "")))
            for event in data["events"]
            if event["type"] == start_job and "url" in event.get("params", {})
        ]


@pytest.fixture(scope="package")
def chrome(site: Site, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Chrome]:
    """Debian's Chromium, headless, with a fresh profile folder, one per engine's site (the intranet
    test reads what it requested); closed when this package is done with that site
    (other tests start their own Playwright, which cannot run beside this one)."""
    assert CHROMIUM.is_file(), f"{CHROMIUM} is missing: run `make system-deps` (Debian package chromium)"
    from playwright.sync_api import sync_playwright

    folder = tmp_path_factory.mktemp("chromium")
    netlog = folder / "netlog.json"
    playwright = sync_playwright().start()
    try:
        context = playwright.chromium.launch_persistent_context(
            str(folder / "profile"),
            executable_path=str(CHROMIUM),
            headless=True,
            args=[*REQUIRED_ARGS, *QUIET_ARGS, f"--log-net-log={netlog}"],
            viewport={"width": 1280, "height": 900},
            locale="zh-CN",
        )
    except BaseException:
        playwright.stop()
        raise
    browser = Chrome(context, playwright, netlog)
    context.on("request", lambda request: browser.requests.append(request.url))
    try:
        yield browser
    finally:
        browser.close()


#: The search index of either engine (Material: search/search_index.json; Zensical: search.json).
SEARCH_INDEX = re.compile(r"/search(/search_index)?\.json(\?.*)?$")


def _empty_index(route: Any) -> None:
    """Answer a search index request with the real index, its documents left out (its config kept)."""
    index = json.loads(route.fetch().text())
    for key, value in index.items():
        if isinstance(value, list):  # Material's "docs", Zensical's "items": the documents
            index[key] = []
    route.fulfill(status=200, content_type="application/json", body=json.dumps(index))


@pytest.fixture
def page(chrome: Chrome, request: pytest.FixtureRequest) -> Iterator[Any]:
    """A fresh tab, closed after the test.

    Tests marked ``without_search`` read pages and never search: their tab gets a search index
    with no documents in it. Both engines' search workers fetch and index the whole site on
    every page load, which was 40 % of the time of a test that opens all ~160 pages. Refusing
    the index outright is no good: both themes' scripts then stop answering clicks (the palette
    toggle, abbreviation tips). The request is still made, so the intranet test still sees it.
    """
    tab = chrome.new_page()
    if request.node.get_closest_marker("without_search"):
        tab.route(SEARCH_INDEX, _empty_index)
    try:
        yield tab
    finally:
        tab.close()


def screenshot(page: Any, name: str, *, full_page: bool = False) -> Path:
    """Save what the tab shows under test-output/screenshots/ and return the path (for messages)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{re.sub(r'[^A-Za-z0-9._-]+', '_', name)}.png"
    page.screenshot(path=str(path), full_page=full_page)
    return path


def material_config(page: Any) -> dict[str, Any]:
    """Material's own settings and translations, which it writes into every page."""
    text = page.locator("#__config").text_content()
    assert text, "the page has Material's #__config script"
    config: dict[str, Any] = json.loads(text)
    return config


def page_url(kind: str, ident: str) -> str:
    """Site-relative URL of an entity's page (an API: paths.url)."""
    return paths.url(kind, ident)


@pytest.fixture(scope="module")
def search_box(chrome: Chrome, site: Site) -> Iterator[Any]:
    """One tab per test module on the home page, the engine's search open and its index loaded once."""
    from .searchbox import open_search  # it reads this module's helpers: imported here, not at the top

    tab = chrome.new_page()
    tab.goto(site.base)
    try:
        yield open_search(tab, site.engine)
    finally:
        tab.close()
