"""Roles side by side in a real browser: the sample's career path page and the two-role picker."""

from __future__ import annotations

import itertools
from typing import Any

import pytest

from generator.i18n import load_locale
from generator.render import compare

from .conftest import Site, screenshot, site_path

#: No test here searches: the tab gets an empty search index (see the `page` fixture).
pytestmark = pytest.mark.without_search

ZH = load_locale("zh")


def _columns(page: Any, table: str) -> list[list[list[tuple[str, bool]]]]:
    """Per row, per column: each item's text and whether it is marked."""
    result: list[list[list[tuple[str, bool]]]] = page.locator(f"{table} tbody tr").evaluate_all(
        "rows => rows.map(r => Array.from(r.querySelectorAll('td')).map(td =>"
        " Array.from(td.querySelectorAll('li')).map(li => [li.textContent, !!li.querySelector('mark')])))"
    )
    return result


def test_career_path_page_marks_what_each_level_adds(page: Any, site: Site) -> None:
    """Each level of a path links to the path's section on its unit's comparison page, where each
    level's new items are marked; the path's old page of its own redirects there."""
    paths = {tuple(p) for p in site.hb.career_paths.values()}
    assert paths, "the sample has a career path (销售代表 → 客户经理 → 市场经理 → 大区经理)"
    for path in paths:
        unit_page, anchor = compare.location(site.hb, path[0])
        where = unit_page.removesuffix(".md") + f"/#{anchor}"
        for rid in path:
            page.goto(site.url(f"roles/{rid}/"))
            link = page.get_by_role("link", name=ZH.label("compare_this_path"))
            assert link.count() == 1, rid
        link.click()
        page.wait_for_load_state()
        assert site_path(page.url) == where
        shot = screenshot(page, f"compare-{path[0]}", full_page=True)
        table = f"h2[id='{anchor}'] + table.compare"
        heads = page.locator(f"{table} thead th a").all_inner_texts()
        assert heads == [site.hb.roles[rid].title for rid in path], f"screenshot: {shot}"
        for row in _columns(page, table):
            for before, cell in itertools.pairwise(row):
                earlier = {text for text, _ in before}
                assert [marked for _, marked in cell] == [text not in earlier for text, _ in cell]
            assert not any(marked for _, marked in row[0])
        # A link to the path's old page (bookmarks, onboarding mails) still lands on its section.
        page.goto(site.url(f"compare/{path[0]}/"))
        page.wait_for_url(lambda url, want=where: site_path(url) == want)


def test_picker_shows_two_roles_and_marks_what_only_one_has(page: Any, site: Site) -> None:
    left, right = sorted(site.hb.roles)[:2]
    page.goto(site.url(f"compare/?a={left}&b={right}"))
    page.wait_for_selector(f"#compare-table[data-shown='{left} {right}']")
    shot = screenshot(page, "compare-picker", full_page=True)
    assert page.locator("#compare-head-a").inner_text() == site.hb.roles[left].title, f"screenshot: {shot}"
    assert page.locator("#compare-head-b").inner_text() == site.hb.roles[right].title
    for a, b in _columns(page, "#compare-table"):
        assert [m for _, m in a] == [t not in {x for x, _ in b} for t, _ in a]
        assert [m for _, m in b] == [t not in {x for x, _ in a} for t, _ in b]
    assert any(cell for row in _columns(page, "#compare-table") for cell in row)  # read from the role pages
    page.select_option("#compare-b", left)  # a role against itself: nothing differs
    page.wait_for_selector(f"#compare-table[data-shown='{left} {left}']")
    assert all(not m for row in _columns(page, "#compare-table") for cell in row for _, m in cell)
    assert page.locator("#compare-head-b").inner_text() == site.hb.roles[left].title
