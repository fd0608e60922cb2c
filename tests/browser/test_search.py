"""Search as a reader uses it: type into the engine's own search box and read the result list."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from generator.link.handbook import Handbook

from ..searchcases import Target
from .conftest import Site, page_url, screenshot
from .searchbox import SearchBox, open_search

#: How far down the result list the expected page may be.
TOP = 3


def _only(hb: Handbook, kind: str, match: Callable[[Any], bool], what: str) -> list[Target]:
    found = [e for e in hb.table(kind).values() if match(e)]
    assert found, f"the sample content has no {kind} {what}: add it under roles/"
    return [Target(page_url(kind, e.id)) for e in found]


def _titled(kind: str, title: str) -> Callable[[Handbook], list[Target]]:
    return lambda hb: _only(hb, kind, lambda e: e.title == title, f"titled {title}")


def _titled_with(kind: str, word: str) -> Callable[[Handbook], list[Target]]:
    return lambda hb: _only(hb, kind, lambda e: word in e.title, f"whose title contains {word}")


def _term(match: Callable[[Any], bool], what: str) -> Callable[[Handbook], list[Target]]:
    def expect(hb: Handbook) -> list[Target]:
        terms = [t for t in hb.terms.values() if match(t)]
        assert terms, f"the glossary has no term {what}: add it under roles/glossary/"
        return [Target(*page_url("term", t.id).split("#")) for t in terms]

    return expect


def _clause(clause_id: str, word: str) -> Callable[[Handbook], list[Target]]:
    def expect(hb: Handbook) -> list[Target]:
        found = [
            Target(page_url("policy", p.id), c.id)
            for p in hb.policies.values()
            for c in p.clauses
            if c.id == clause_id and word in (c.title or "") + c.text
        ]
        assert found, f"no policy has a clause {clause_id} about {word}: add it under roles/"
        return found

    return expect


def _roles_with_duty(word: str) -> Callable[[Handbook], list[Target]]:
    return lambda hb: _only(hb, "role", lambda r: word in _dump(r.duties), f"with a duty about {word}")


def _dump(value: object) -> str:
    return repr(value)


@dataclass(frozen=True)
class Case:
    """One query, a slug for its screenshot, and where the reader should land (from the YAML)."""

    query: str
    slug: str
    expect: Callable[[Handbook], list[Target]] | None
    """None: the query must find nothing."""


CASES = [
    Case("夕会", "evening-meeting", _titled("process", "夕会")),
    Case("早会流程", "morning-meeting", _titled("process", "早会")),
    Case("通时通次", "term-talk-time", _term(lambda t: t.term == "通时通次", "通时通次")),
    Case("理财经理", "wealth-manager", _titled("role", "理财经理")),
    Case("续保专员", "renewal-specialist", _titled("role", "续保专员")),
    Case("迟到", "late-arrival", _clause("late-arrival", "迟到")),
    Case("监听", "monitoring", _titled_with("process", "监听")),
    Case("增员", "recruiting", _roles_with_duty("增员")),
    Case("大堂经理", "lobby-manager", _titled("role", "大堂经理")),
    Case("KPI", "term-kpi", _term(lambda t: t.abbreviation == "KPI", "abbreviated KPI")),
    Case("TSR", "term-tsr", _term(lambda t: t.abbreviation == "TSR", "abbreviated TSR")),
    Case("xyzzyq", "nonsense", None),
]


@pytest.mark.parametrize("case", [pytest.param(c, id=c.slug) for c in CASES])
def test_query_finds_the_expected_page_in_the_top_three(case: Case, search_box: SearchBox, site: Site) -> None:
    results = search_box.search(case.query)
    shot = screenshot(search_box.page, f"search-{site.engine}-{case.slug}")
    found = "\n  ".join(str(r) for r in results[:TOP]) or "(nothing)"
    if case.expect is None:
        assert not any(case.query in text for text in _all_text(site.root)), "the nonsense word is in the site"
        assert results == [], f"search {case.query!r} should find nothing; found:\n  {found}\nscreenshot: {shot}"
        return
    targets = case.expect(site.hb)
    hits = [r for r in results[:TOP] if any(r.offers(t) for t in targets)]
    assert hits, (
        f"search {case.query!r}: expected one of {', '.join(map(str, targets))} in the top {TOP}; "
        f"found:\n  {found}\nscreenshot: {shot}"
    )


def test_clause_result_lands_on_the_clause(search_box: SearchBox, site: Site) -> None:
    """Clicking the clause under the 迟到 result opens the policy scrolled to that clause."""
    case = next(c for c in CASES if c.slug == "late-arrival")
    assert case.expect is not None
    target = case.expect(site.hb)[0]
    search_box.search(case.query)
    page = search_box.page
    link = page.locator(
        f'dialog.hb-search a[href*="{target.page}"][href$="#{target.anchor}"]'
    ).first
    shot = screenshot(page, f"search-{site.engine}-late-arrival-click")
    assert link.count(), f"search {case.query!r} offers no link to {target}; screenshot: {shot}"
    link.click()
    page.wait_for_url(re.compile(re.escape(target.page) + r".*#" + re.escape(target.anchor or "")))
    clause = page.locator(f"#{target.anchor}")
    shot = screenshot(page, f"search-{site.engine}-late-arrival-landed")
    assert clause.is_visible() and _in_viewport(page, clause), f"{target} is not in view; screenshot: {shot}"


def test_snippet_shows_the_sentence_that_matches(page: Any, site: Site) -> None:
    """Under the clause found by 迟到, the reader sees the clause's own sentence with that word marked.
    Its own tab: the clause test before it leaves the shared one on the policy page."""

    page.goto(site.base)
    search_box = open_search(page, site.engine)
    case = next(c for c in CASES if c.slug == "late-arrival")
    assert case.expect is not None
    target = case.expect(site.hb)[0]
    policy = next(p for p in site.hb.policies.values() if page_url("policy", p.id) == target.page)
    clause = next(c for c in policy.clauses if c.id == target.anchor)
    sentence = next(s for s in re.split(r"[。；]", clause.text) if case.query in s)
    results = search_box.search(case.query)
    shot = screenshot(search_box.page, f"search-{site.engine}-snippet")
    hit = next((r for r in results if r.offers(target)), None)
    assert hit is not None, f"search {case.query!r} does not offer {target}; screenshot: {shot}"
    shown = re.sub(r"\s+", "", hit.snippet)
    assert re.sub(r"\s+", "", sentence) in shown, f"the snippet {hit.snippet!r} lacks {sentence!r}; screenshot: {shot}"
    marks = page.locator(f'dialog.hb-search a[href*="{target.page}"] mark').all_inner_texts()
    assert case.query in "".join(marks) or case.query in marks, f"{case.query} is not marked: {marks}; screenshot: {shot}"


def _in_viewport(page: Any, locator: Any) -> bool:
    box = locator.bounding_box()
    height = page.viewport_size["height"]
    return box is not None and 0 <= box["y"] < height


def _all_text(root: Path) -> Iterator[str]:
    for path in [*root.rglob("*.html"), *root.rglob("search*.json")]:
        yield path.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def axe() -> Any:
    """The axe-core runner (its script is read once)."""
    from axe_playwright_python.sync_playwright import Axe  # type: ignore[import-untyped]

    return Axe()


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("size", [(1280, 900), (390, 844)], ids=["desktop", "phone"])
def test_the_open_search_with_results_passes_axe_and_closes_on_a_phone(
    page: Any, site: Site, axe: Any, scheme: str, size: tuple[int, int]
) -> None:
    """With the dialog open and results shown: no serious or critical axe finding, in light and dark;
    the dialog speaks the site's language; its close button is in view and closes it."""
    from generator.i18n import load_locale

    zh = load_locale("zh")
    page.set_viewport_size({"width": size[0], "height": size[1]})
    page.emulate_media(color_scheme=scheme)
    page.goto(site.base)
    page.evaluate("localStorage.clear()")  # Material keeps a scheme it used before
    page.reload()
    box = open_search(page, site.engine)
    assert box.search("迟到"), "迟到 finds the lateness clauses"
    name = f"search-{site.engine}-open-{scheme}-{size[0]}"
    shot = screenshot(page, name)
    found = [
        f"{v['id']} ({v['impact']}) {[', '.join(n['target']) for n in v['nodes'][:3]]}"
        for v in axe.run(page).response["violations"] if v["impact"] in {"serious", "critical"}
    ]
    assert not found, f"axe-core, search open, {scheme}:\n" + "\n".join(found) + f"\nscreenshot: {shot}"
    dialog = page.locator("dialog.hb-search")
    close = dialog.locator(".hb-search__close")
    assert close.inner_text() == zh.label("search_close")
    assert dialog.locator("input").get_attribute("placeholder") == zh.label("search_placeholder")
    status = dialog.locator("[role=status]").inner_text()
    assert re.fullmatch(zh.label("search_many").replace("{n}", r"\d+"), status), status
    rect = close.bounding_box()
    assert rect and rect["y"] >= 0 and rect["x"] + rect["width"] <= size[0] and rect["height"] >= 40, rect
    close.click()
    assert not dialog.is_visible(), f"the close button does not close the search; screenshot: {shot}"
