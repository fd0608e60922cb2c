"""Search acceptance computed from the data, typed into the real search box of each engine's site.

Cases (``tests/searchcases.py``): every title, its near misses, its other spellings, the glossary's
abbreviations and synonyms, the questions generated from the data (each KPI, meeting, clause, role
and term asked about as a new hire asks), and the questions people wrote, in a tuning half and a
held-out half. The sample runs them all; the Traditional and the English fixture run the generated
ones in their own language. Each category's hit rate goes to ``test-output/search-acceptance.txt``
and must meet its goal on both engines (README, "Search", has the numbers).
"""

from __future__ import annotations

import functools
import re
import shutil
import threading
from collections.abc import Callable, Iterator
from http.server import ThreadingHTTPServer
from typing import Any

import pytest

from generator.i18n import load_locale
from generator.link.handbook import Handbook
from generator.link.pipeline import validate
from generator.project import Project
from generator.site.engine import Engine

from ..conftest import FIXTURES, OUTPUT, REPO, build_project, copy_project
from ..searchcases import CATEGORIES, Case, Category
from .conftest import LOCAL_HOST, Chrome, Site, _QuietHandler, screenshot
from .searchbox import HandbookSearch, Result, SearchBox

REPORT = OUTPUT / "search-acceptance.txt"
#: The fixtures searched besides the sample, with the language each is written in.
FIXTURE_LANGS = {"hant": "zh-Hant", "english": "en"}


def hit(results: list[Result], case: Case, top: int) -> bool:
    return any(r.offers(t) for r in results[:top] for t in case.targets)


def _check(category: Category, hb: Handbook, lang: str, box: SearchBox, where: str) -> None:
    cases = category.make(hb, lang)
    if not cases:
        pytest.skip(f"{where} has no {category.name} cases")
    misses = []
    for case in cases:
        results = box.search(case.query)
        if not hit(results, case, category.top):
            top = " | ".join(str(r) for r in results[:3]) or "(nothing)"
            misses.append(f"{case.query} → want {', '.join(map(str, case.targets))}; got {top}")
    rate = 1 - len(misses) / len(cases)
    line = f"{where}\t{category.name}\t{len(cases) - len(misses)}/{len(cases)}\t{rate:.1%}\t(top {category.top}; goal {category.goal:.0%})"
    REPORT.parent.mkdir(parents=True, exist_ok=True)
    with REPORT.open("a", encoding="utf-8") as out:
        out.write(line + "\n" + "".join(f"\t  miss: {m}\n" for m in misses))
    shot = screenshot(box.page, f"acceptance-{where}-{category.name}")
    assert rate >= category.goal, (
        f"{where} {category.name}: {rate:.1%} in the top {category.top}, need {category.goal:.0%}; misses:\n  "
        + "\n  ".join(misses) + f"\nscreenshot: {shot}"
    )


@pytest.mark.parametrize("category", CATEGORIES, ids=[c.name for c in CATEGORIES])
def test_search_finds_what_people_type(category: Category, search_box: SearchBox, site: Site) -> None:
    _check(category, site.hb, "zh", search_box, f"{site.engine}\tsample")


@pytest.fixture(scope="module")
def fixture_sites(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Callable[[str, Engine], tuple[str, Handbook]]]:
    """Each fixture's site built by an engine (once), served on a local port: its base URL and handbook."""
    servers: list[ThreadingHTTPServer] = []
    built: dict[tuple[str, Engine], tuple[str, Handbook]] = {}

    def get(name: str, engine: Engine) -> tuple[str, Handbook]:
        if (name, engine) not in built:
            project: Project = copy_project(FIXTURES / name, tmp_path_factory.mktemp(f"{name}-{engine}"))
            for part in (".theme", "assets"):  # a fixture with pages of its own has no theme or assets
                if not (project.handbook / part).exists():
                    shutil.copytree(REPO / "handbook" / part, project.handbook / part)
            config = project.mkdocs_yml.read_text(encoding="utf-8")
            project.mkdocs_yml.write_text(config.replace("language: zh", f"language: {FIXTURE_LANGS[name]}"),
                                          encoding="utf-8")
            build_project(project, FIXTURE_LANGS[name], engine)
            server = ThreadingHTTPServer((LOCAL_HOST, 0), functools.partial(_QuietHandler, directory=str(project.site)))
            threading.Thread(target=server.serve_forever, daemon=True).start()
            servers.append(server)
            hb = validate(project.roles, locale=load_locale(FIXTURE_LANGS[name])).handbook
            built[(name, engine)] = (f"http://{LOCAL_HOST}:{server.server_address[1]}/", hb)
        return built[(name, engine)]

    try:
        yield get
    finally:
        for server in servers:
            server.shutdown()
            server.server_close()


@pytest.fixture(scope="module")
def fixture_box(chrome: Chrome) -> Iterator[Callable[[str], SearchBox]]:
    """A tab on a fixture's home page with the search open (one tab, moved from site to site)."""
    tab: Any = chrome.new_page()

    def open_at(base: str) -> SearchBox:
        tab.goto(base)
        return HandbookSearch(tab)

    try:
        yield open_at
    finally:
        tab.close()


GENERATED = [c for c in CATEGORIES if not c.written]


@pytest.mark.parametrize("category", GENERATED, ids=[c.name for c in GENERATED])
@pytest.mark.parametrize("fixture", sorted(FIXTURE_LANGS))
def test_search_finds_what_people_type_on_the_fixtures(
    category: Category, fixture: str, site: Site,
    fixture_sites: Callable[[str, Engine], tuple[str, Handbook]], fixture_box: Callable[[str], SearchBox],
) -> None:
    base, hb = fixture_sites(fixture, site.engine)
    _check(category, hb, FIXTURE_LANGS[fixture], fixture_box(base), f"{site.engine}\t{fixture}")


def test_the_offline_search_counts_what_the_browser_counts(site: Site) -> None:
    """``tests/search_offline.py`` (the same scripts in node, for quick tries) meets the goals the
    browser run meets, on the same built site, held-out half included."""
    assert shutil.which("node"), "node is needed (Debian: nodejs; make installs it)"
    from ..search_offline import report

    for category, total, misses in report(site.root, held_out=True):
        assert total and 1 - len(misses) / total >= category.goal, f"{category.name}: {len(misses)} of {total}: {misses}"



@pytest.mark.parametrize("fixture", sorted(FIXTURE_LANGS))
def test_the_search_dialog_speaks_the_sites_language(
    fixture: str, site: Site,
    fixture_sites: Callable[[str, Engine], tuple[str, Handbook]], fixture_box: Callable[[str], SearchBox],
) -> None:
    """zh-Hant and en sites show the dialog's words (placeholder, close, count, nothing found) in their language."""
    base, hb = fixture_sites(fixture, site.engine)
    locale = load_locale(FIXTURE_LANGS[fixture])
    box = fixture_box(base)
    dialog = box.page.locator("dialog.hb-search")
    assert dialog.locator(".hb-search__close").inner_text() == locale.label("search_close")
    assert dialog.locator("input").get_attribute("placeholder") == locale.label("search_placeholder")
    title = next(iter(hb.roles.values())).title
    assert box.search(title)
    status = dialog.locator("[role=status]").inner_text()
    many = re.escape(locale.label("search_many")).replace(re.escape("{n}"), r"\d+")
    assert status == locale.label("search_one") or re.fullmatch(many, status), status
    assert box.search("xyzzyq") == []
    assert dialog.locator("[role=status]").inner_text() == locale.label("search_none")
    screenshot(box.page, f"search-{site.engine}-{fixture}-language")
