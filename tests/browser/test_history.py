"""The change log in a real browser: releases from the fixture's git history, the start-date filter, links."""

from __future__ import annotations

import functools
import threading
from collections.abc import Iterator
from http.server import ThreadingHTTPServer
from typing import Any

import pytest

from generator.i18n import load_locale
from generator.link.handbook import Handbook
from generator.model.fingerprint import content_hash
from generator.render.changelog import ReleaseChanges, by_release
from generator.site.build import build

from ..history_fixture import make_history
from .conftest import LOCAL_HOST, _QuietHandler, screenshot, site_path

#: No test here searches: the tab gets an empty search index (see the `page` fixture).
pytestmark = pytest.mark.without_search

ZH = load_locale("zh")


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Handbook]]:
    """The fixture history's site (no PDFs), served on a free local port, with its handbook."""
    project = make_history(tmp_path_factory.mktemp("history-site"))
    outcome = build(project, ZH, pdfs=False)
    assert outcome.site is not None, outcome
    server = ThreadingHTTPServer((LOCAL_HOST, 0), functools.partial(_QuietHandler, directory=str(project.site)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://{LOCAL_HOST}:{server.server_address[1]}/", outcome.generated.result.handbook
    finally:
        server.shutdown()
        server.server_close()


def _shown(page: Any) -> list[str]:
    return [str(d) for d in page.locator("section.release:visible").evaluate_all("els => els.map(e => e.dataset.date)")]


def _releases(hb: Handbook) -> list[ReleaseChanges]:
    releases = by_release(hb)
    assert len(releases) >= 3
    return releases


def test_since_my_start_date_hides_older_releases(page: Any, served: tuple[str, Handbook]) -> None:
    base, hb = served
    releases = _releases(hb)
    page.goto(base + "changes/")
    assert _shown(page) == [r.date.isoformat() for r in releases]
    for rel in releases:
        since = rel.date.isoformat()
        page.fill("#changes-since", since)
        expected = [r.date.isoformat() for r in releases if r.date.isoformat() >= since]
        shot = screenshot(page, f"changes-since-{since}", full_page=True)
        assert _shown(page) == expected, f"since {since}; screenshot: {shot}"
        assert page.locator("#changes-none").is_hidden()
    page.fill("#changes-since", "2999-01-01")
    assert _shown(page) == [] and page.locator("#changes-none").is_visible()
    # The date is the reader's own: it stays on the next visit.
    page.fill("#changes-since", releases[0].date.isoformat())
    page.reload()
    assert page.input_value("#changes-since") == releases[0].date.isoformat()
    assert _shown(page) == [releases[0].date.isoformat()]
    page.fill("#changes-since", "")


def test_each_change_links_to_its_section(page: Any, served: tuple[str, Handbook]) -> None:
    base, hb = served
    page.goto(base + "changes/")
    page.fill("#changes-since", "")
    links = page.locator("section.release li a", has_text=ZH.label("changes_see"))
    expected = sum(1 for r in _releases(hb) for e in r.entries for c in e.changes if c.anchor)
    assert links.count() == expected > 0
    for i in range(links.count()):
        page.goto(base + "changes/")
        target = links.nth(i).get_attribute("href")
        links.nth(i).click()
        page.wait_for_load_state()
        anchor = site_path(page.url).partition("#")[2]
        assert anchor and page.locator(f"[id='{anchor}']").count() == 1, (target, page.url)


def test_role_page_shows_its_revision_table(page: Any, served: tuple[str, Handbook]) -> None:
    base, hb = served
    rid, revisions = next((k[1], v) for k, v in hb.revisions.items() if k[0] == "role" and len(v) > 1)
    page.goto(base + f"roles/{rid}/")
    table = page.locator("h2#revisions").locator("xpath=following::table[1]")
    shot = screenshot(page, f"revisions-{rid}", full_page=True)
    rows = table.locator("tbody tr")
    assert rows.count() == len(revisions), f"screenshot: {shot}"
    for i, rev in enumerate(revisions):
        cells = rows.nth(i).locator("td").all_inner_texts()
        # Release, date, the content hash of the role as released (handbook verify), what changed.
        assert cells[:3] == [rev.release, rev.date.isoformat(), content_hash(rev.entity)]
        assert cells[3].split("\n") == ([c.text for c in rev.changes] or [ZH.label("revision_first")])


def _cells(page: Any) -> list[list[list[tuple[str, bool]]]]:
    """Per section row, per side: each item's text and whether it is marked."""
    result: list[list[list[tuple[str, bool]]]] = page.locator("#compare-table tbody tr").evaluate_all(
        "rows => rows.map(r => Array.from(r.querySelectorAll('td')).map(td =>"
        " Array.from(td.querySelectorAll('li')).map(li => [li.textContent, !!li.querySelector('mark')])))"
    )
    return result


def test_compare_a_roles_two_versions(page: Any, served: tuple[str, Handbook]) -> None:
    """From a role's 修订记录 to the role at its last release beside it now, then at its first release."""
    from generator.render.compare import ANCHORS, SECTIONS, items, plain

    base, hb = served
    for rid in ("sales-rep", "visual-designer"):  # a duty added in 2024.2; renamed (and retitled) in 2024.3
        revisions = hb.revisions[("role", rid)]
        assert len(revisions) >= 2 and all(rev.entity is not None for rev in revisions)
        page.goto(base + f"roles/{rid}/")
        page.get_by_role("link", name=ZH.label("compare_versions_link")).click()
        last, first = revisions[-1], revisions[0]
        page.wait_for_selector(f"#compare-table[data-shown='{rid}@{last.release} {rid}@']")
        assert site_path(page.url).startswith("compare/")
        labels = page.locator("#compare-av option").all_inner_texts()
        assert labels == [ZH.label("compare_now")] + [f"{r.release}（{r.date.isoformat()}）" for r in reversed(revisions)]
        page.select_option("#compare-av", first.release)
        page.wait_for_selector(f"#compare-table[data-shown='{rid}@{first.release} {rid}@']")
        shot = screenshot(page, f"compare-versions-{rid}", full_page=rid == "sales-rep")
        assert f"av={first.release}" in page.url, f"the choice is in the address, to share; screenshot: {shot}"
        assert page.locator("#compare-head-a").inner_text() == f"{first.entity.title} · {first.release}（{first.date.isoformat()}）"
        assert page.locator("#compare-head-b").inner_text() == hb.roles[rid].title
        then = items(hb, first.entity, ZH)
        now = items(hb, hb.roles[rid], ZH)
        for section, (a, b) in zip(SECTIONS, _cells(page), strict=True):
            old = [plain(t, hb) for t in then[section]]
            new = [plain(t, hb) for t in now[section]]
            assert [t for t, _ in a] == old and [t for t, _ in b] == new, (rid, ANCHORS[section])
            assert [m for _, m in a] == [t not in new for t in old]
            assert [m for _, m in b] == [t not in old for t in new]
        if rid == "sales-rep":
            marked = [t for row in _cells(page) for t, m in row[1] if m]
            assert marked == ["生意发展：每月向客户经理提交分销商拜访记录"], f"screenshot: {shot}"
