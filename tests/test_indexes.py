"""Derived views: onboarding plans, abbreviation hover, what-changed order, escaping of free text."""

from __future__ import annotations

from pathlib import Path

from generator.i18n import load_locale
from generator.link.pipeline import validate
from generator.model import paths
from generator.model.entities import Role
from generator.render.markup import Abbreviations, escape_plain
from generator.render.onboarding import GROUPS, due_day, plan
from generator.render.pages import Renderer, changes

from .conftest import REPO


def test_due_days_order_days_before_weeks_before_months() -> None:
    assert sorted(["第1月", "第2周", "第1天", "第1周"], key=due_day) == ["第1天", "第1周", "第2周", "第1月"]


def test_every_checklist_has_exactly_the_promised_groups_and_only_its_own_tasks() -> None:
    hb = validate(REPO / "roles", display_base=REPO).handbook
    promised = [when for when, _last in GROUPS]
    for role in hb.roles.values():
        groups = plan(hb, role.id)
        assert [g.when for g in groups] == [w for w in promised if w in {g.when for g in groups}], role.id
        items = [item for g in groups for item in g.items]
        units = [role.unit, *hb.ancestors(role.unit)]
        expected = [s.text for s in role.onboarding] + [s.text for u in units for s in hb.units[u].onboarding]
        assert sorted(item.text for item in items) == sorted(expected), role.id  # no team-stage syllabus
        for g in groups:
            first, last = (1, 1) if g.when == "第1天" else (2, 7) if g.when == "第1周" else (8, 30)
            for item in g.items:
                assert first <= item.day <= last, (role.id, g.when, item)
                assert item.owner is None or item.owner in hb.roles, item
        assert all(item.owner for item in items) or role.reports_to is None, role.id


def test_sample_onboarding_steps_name_their_owner_and_day() -> None:
    hb = validate(REPO / "roles", display_base=REPO).handbook
    steps = [s for r in hb.roles.values() for s in r.onboarding]
    assert steps and all(s.owner in hb.roles and s.day for s in steps)


def test_abbreviations_are_marked_even_when_glued_to_chinese() -> None:
    abbr = Abbreviations({"TSR": "电话销售代表", "KPI": "关键绩效指标"})
    out = abbr.escape("每位TSR的KPI，不是 TSRX")
    assert out.count("<abbr") == 2
    assert '<abbr title="电话销售代表">TSR</abbr>' in out
    assert "TSRX" in out


def test_abbreviation_titles_are_escaped() -> None:
    abbr = Abbreviations({"QA": '质检 "<b>"'})
    assert '<abbr title="质检 &quot;&lt;b&gt;&quot;">QA</abbr>' in abbr.escape("QA")


def test_escape_plain_neutralises_html_and_markdown() -> None:
    text = escape_plain('<img src=x onerror="alert(1)"> [a](javascript:x) {: .c } **b**')
    assert "<" not in text and ">" not in text
    assert "\\[a\\]\\(javascript:x\\)" in text
    assert "\\{: \\.c \\}" in text
    assert "\\*\\*b\\*\\*" in text


def test_changes_are_newest_first(tmp_path: Path) -> None:
    roles = tmp_path / "roles"
    roles.mkdir()
    (roles / "team.yaml").write_text("kind: unit\nname: 组\neffective_date: 2023-05-01\n", encoding="utf-8")
    (roles / "old.yaml").write_text("kind: term\nterm: 旧\ndefinition: x\neffective_date: 2020-01-01\n", encoding="utf-8")
    (roles / "new.yaml").write_text("kind: term\nterm: 新\ndefinition: x\nversion: '2'\neffective_date: 2024-02-01\n", encoding="utf-8")
    (roles / "none.yaml").write_text("kind: term\nterm: 无\ndefinition: x\n", encoding="utf-8")
    hb = validate(roles, display_base=tmp_path).handbook
    assert [e.id for _, e in changes(hb)] == ["new", "team", "old"]


def _gave_no_number(role: Role) -> bool:
    hc = role.headcount
    return hc is None or (hc.current is None and hc.planned is None and hc.ratio is None)


def test_unit_headcount_says_how_many_roles_gave_no_number_instead_of_counting_zero() -> None:
    """编制 / 现有 / 空缺 per unit, and "N 个岗位未填报" for the roles without a number (#14, item 8)."""
    hb = validate(REPO / "roles", display_base=REPO).handbook
    locale = load_locale("zh")
    pages = Renderer(hb, locale).pages()
    lead = f"- **{locale.label('unit_headcount')}**"
    seen_unreported = seen_vacant = 0
    for uid in hb.units:
        roles = [hb.roles[rid] for u in [uid, *hb.descendants(uid)] for rid in hb.unit_roles.get(u, [])]
        silent = sum(1 for role in roles if _gave_no_number(role))
        line = next(ln for ln in pages[paths.page("unit", uid)].splitlines() if ln.startswith(lead))
        if silent:
            seen_unreported += 1
            assert f"{silent} 个岗位未填报" in line, (uid, line)
        else:
            assert "未填报" not in line, (uid, line)
        if "空缺" in line:
            seen_vacant += 1
            planned = int(line.split("编制 ")[1].split(" ")[0])
            current = int(line.split("现有 ")[1].split(" ")[0])
            assert f"空缺 {planned - current} 人" in line and planned > current, line
    assert seen_unreported and seen_vacant, "the sample has units with silent roles and with vacancies"
    total_lead = f"**{locale.label('headcount_total')}**"
    total = next(ln for ln in pages[paths.ROLES_INDEX].splitlines() if ln.startswith(total_lead))
    assert f"{sum(1 for r in hb.roles.values() if _gave_no_number(r))} 个岗位未填报" in total
