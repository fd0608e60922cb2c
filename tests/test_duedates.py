"""Compliance facts on roles (#37 item 5): 特殊工时 (type, approval number, expiry warned 60 days
before), ``review_by`` with an owner (an overdue review on the role page and the completeness page).
Dates are checked at their edges by moving "today"; every role with the facts, in every fixture."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from generator.i18n import load_locale
from generator.link import duedates
from generator.link.pipeline import validate
from generator.load.problems import Severity, format_text
from generator.model import paths
from generator.pdf.render import PdfRenderer
from generator.render.pages import Renderer

from .conftest import FIXTURES, REPO, build_project, copy_project
from .test_views import seen

ROOTS = [REPO / "roles", FIXTURES / "english" / "roles", FIXTURES / "hant" / "roles"]


def _with_facts(root: Path) -> list[str]:
    hb = validate(root).handbook
    return [rid for rid, r in hb.roles.items() if r.special_hours is not None]


@pytest.mark.parametrize("root", ROOTS, ids=lambda p: p.parent.name)
def test_expiry_warns_from_sixty_days_before(root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    hb = validate(root).handbook
    rids = _with_facts(root)
    assert rids, "each fixture has a role under a special working-hours approval"
    for rid in rids:
        expires = hb.roles[rid].special_hours.expires  # type: ignore[union-attr]
        assert expires is not None
        for offset, code in ((61, None), (60, "special_hours_expiring"), (0, "special_hours_expiring"),
                             (-1, "special_hours_expired")):
            monkeypatch.setattr(duedates, "today", lambda e=expires, o=offset: e - dt.timedelta(days=o))
            found = [p for p in validate(root).problems if p.code.startswith("special_hours") and rid in p.file]
            if code is None:
                assert found == []
            else:
                (problem,) = found
                assert problem.code == code and problem.severity is Severity.WARNING
                assert problem.field == "special_hours.expires"
                line = hb.source_of("role", rid).lines[problem.line - 1]
                assert line.strip().startswith("expires:"), line


def test_special_hours_show_on_the_page_and_in_the_pdf_in_both_scripts() -> None:
    for root, lang in ((REPO / "roles", "zh"), (FIXTURES / "hant" / "roles", "zh-Hant"),
                       (FIXTURES / "english" / "roles", "en")):
        hb = validate(root).handbook
        locale = load_locale(lang)
        pages = Renderer(hb, locale).pages()
        for rid in _with_facts(root):
            hours = hb.roles[rid].special_hours
            assert hours is not None and hours.approval_no
            page = pages[paths.page("role", rid)]
            pdf = seen(PdfRenderer(hb, locale).role_html(rid))
            for text in (hours.approval_no, hours.expires.isoformat() if hours.expires else ""):
                assert seen(text) in seen(page).replace("\\", "") and seen(text) in pdf, (rid, text)
            label = locale.label("environment") if "environment" in locale.labels else ""
            assert label in page


def test_an_overdue_review_shows_on_the_page_and_the_completeness_page(monkeypatch: pytest.MonkeyPatch) -> None:
    root = FIXTURES / "english" / "roles"
    hb = validate(root).handbook
    rid = next(rid for rid, r in hb.roles.items() if r.review_by is not None)
    review = hb.roles[rid].review_by
    assert review is not None
    en = load_locale("en")
    monkeypatch.setattr(duedates, "today", lambda: review.date - dt.timedelta(days=1))
    pages = Renderer(hb, en).pages()
    assert "!!! warning" not in pages[paths.page("role", rid)]
    monkeypatch.setattr(duedates, "today", lambda: review.date + dt.timedelta(days=3))
    (problem,) = [p for p in validate(root).problems if p.code == "review_overdue"]
    assert "3 days overdue" in format_text(problem, en) and review.owner and review.owner in format_text(problem, en)
    pages = Renderer(hb, en).pages()
    page = pages[paths.page("role", rid)]
    assert f'!!! warning "{en.label("due_notice")}"' in page and "3 days overdue" in page
    assert "3 days overdue" in pages[paths.COMPLETENESS] and en.label("due_heading") in pages[paths.COMPLETENESS]


def test_the_notice_is_built_on_the_site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    project = copy_project(REPO, tmp_path / "p", roles=FIXTURES / "english" / "roles")
    hb = validate(project.roles).handbook
    rid, review = next((rid, r.review_by) for rid, r in hb.roles.items() if r.review_by is not None)
    monkeypatch.setattr(duedates, "today", lambda: review.date + dt.timedelta(days=10))
    site = build_project(project, "en", engine="zensical")
    html = (site / "roles" / rid / "index.html").read_text(encoding="utf-8")
    assert 'class="admonition warning"' in html and "10 days overdue" in html
