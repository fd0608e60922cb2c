"""Order that reads (issue #33): processes by time of day, then how often, then pinyin, never by file id;
the glossary's letters also list abbreviations under their own letter; the unit books hold what the
unit's web page says of it, and keep tables of a few rows on one page."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from generator.i18n import load_locale
from generator.link.handbook import Handbook
from generator.link.pipeline import validate
from generator.pdf import book
from generator.render import collation
from generator.render.pages import Renderer, sorted_terms

from .conftest import REPO

ZH = load_locale("zh")


@pytest.fixture(scope="module")
def hb() -> Handbook:
    return validate(REPO / "roles").handbook


def test_a_units_processes_read_by_time_of_day_then_pinyin(hb: Handbook) -> None:
    uid = max(hb.unit_processes, key=lambda u: len(hb.unit_processes[u]))
    pids = hb.unit_processes[uid]
    assert len(pids) > 3, "the sample has a unit with several processes"
    want = sorted(pids, key=lambda pid: collation.process_key(hb.processes[pid]))
    assert want != sorted(pids), "the sample's reading order differs from file-id order (else this checks nothing)"
    pages = Renderer(hb, ZH).page_list()
    unit_md = pages[f"org/{uid}/index.md"]()
    assert _first_column(unit_md, "processes") == want
    assert _first_column(pages["processes/index.md"](), uid) == want


def _first_column(markdown: str, section: str) -> list[str]:
    """The process id each table row of a section links to first."""
    part = markdown.split(f"{{#{section}}}", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"(?m)^\| \[[^]]*\]\((?:[./]*processes/)?([a-z0-9-]+)(?:/index)?\.md\)", part)


def test_timed_processes_come_by_clock_then_untimed_by_pinyin(hb: Handbook) -> None:
    timed = [p for p in hb.processes.values() if p.when and p.when.times]
    ordered = sorted(timed, key=collation.process_key)
    clock = [p.when.times[0] for p in ordered if p.when]
    assert clock == sorted(clock)
    untimed = [p for p in hb.processes.values() if p.when is None]
    keys = [collation.process_key(p) for p in sorted(untimed, key=collation.process_key)]
    assert [k[3] for k in keys] == sorted(k[3] for k in keys), "processes with no time read by pinyin"


def test_the_glossary_lists_abbreviations_under_their_own_letter(hb: Handbook) -> None:
    letters = {letter: (terms, refs) for letter, terms, refs in sorted_terms(hb)}
    moved = [t for t in hb.terms.values() if t.abbreviation and
             collation.initial(t.abbreviation) != collation.initial(t.term)]
    assert moved, "the sample has a term whose abbreviation starts with another letter (TSR for 电话销售代表)"
    for term in moved:
        assert term in letters[collation.initial(term.abbreviation or "")][1], term.abbreviation
        assert term in letters[collation.initial(term.term)][0], "the term itself stays under its pinyin"
    glossary = Renderer(hb, ZH).page_list()["glossary/index.md"]()
    tsr = next(t for t in moved if t.abbreviation == "TSR")
    section = glossary.split("{#letter-t}", 1)[1].split("\n## ", 1)[0]
    assert f'href="#{tsr.id}"' in section and "TSR" in section


def test_a_unit_book_holds_the_units_description_schedule_and_stages(hb: Handbook) -> None:
    from generator.pdf.chapters import Chapters

    unit = next(u for u in hb.units.values() if u.schedule and u.stages and u.description)
    about = book.unit_about(Chapters(hb, ZH), unit.id, lambda _: True)
    text = re.sub(r"<[^>]+>", "", about)
    assert unit.schedule[0].activity in text or (unit.schedule[0].process or "") in about
    assert ZH.label("schedule") in text and ZH.label("stages") in text
    assert all(stage.name in text for stage in unit.stages)
    assert ZH.label("roles_of_unit") not in text, "roles, processes and policies come in full elsewhere in the book"
    assert "pdf-download" not in about


def test_tables_of_a_few_rows_are_kept_whole() -> None:
    rows = "".join("<tr><td>x</td></tr>" for _ in range(book.FEW_ROWS))
    long = "".join("<tr><td>x</td></tr>" for _ in range(book.FEW_ROWS + 1))
    html = f'<table class="kpis">{rows}</table><table>{long}</table><table>{rows[:20]}</table>'
    marked = book.keep_small_tables(html)
    assert marked.count("few-rows") == 2
    assert '<table class="few-rows kpis">' in marked
    css = (Path(book.__file__).parent / "templates" / "print.css.j2").read_text(encoding="utf-8")
    assert re.search(r"table\.few-rows\s*\{\s*break-inside:\s*avoid", css)


def test_a_checklist_has_one_task_per_clause_or_step(hb: Handbook) -> None:
    """Every role's checklist links each clause or step once, and repeating one is a warning."""
    from generator.render.onboarding import plan

    for rid in hb.roles:
        items = [item for group in plan(hb, rid) for item in group.items]
        keys = [item.ref or item.text for item in items]
        assert len(keys) == len(set(keys)), f"{rid}: {keys}"


def test_a_role_step_repeating_its_units_is_warned_and_shown_once(tmp_path: Path) -> None:
    from generator.link.pipeline import validate as check
    from generator.render.onboarding import plan

    roles = tmp_path / "roles"
    roles.mkdir()
    (roles / "team.yaml").write_text(
        "kind: unit\nname: 电话组\nonboarding:\n  - when: 第1天\n    text: 读考勤制度。\n    ref: policy:rules#late\n",
        encoding="utf-8")
    (roles / "rules.yaml").write_text(
        "kind: policy\ntitle: 考勤\nclauses:\n  - id: late\n    text: 迟到扣 30 元。\n", encoding="utf-8")
    (roles / "agent.yaml").write_text(
        "kind: role\ntitle: 坐席\nunit: team\nduties:\n  - area: 销售\n    items: [打电话]\nonboarding:\n"
        "  - when: 第1天\n    text: 了解迟到的扣罚。\n    ref: policy:rules#late\n", encoding="utf-8")
    result = check(roles)
    assert [(p.code, p.line, p.field) for p in result.problems] == [("onboarding_duplicate", 8, "onboarding[0]")]
    items = [item for group in plan(result.handbook, "agent") for item in group.items]
    assert [item.text for item in items] == ["了解迟到的扣罚。"], "the role's own words win"
