"""Derived views: onboarding plans, abbreviation hover, what-changed order, escaping of free text."""

from __future__ import annotations

from pathlib import Path

from generator.link.pipeline import validate
from generator.render.markup import Abbreviations, escape_plain
from generator.render.onboarding import due_day, plan
from generator.render.pages import changes

from .conftest import REPO


def test_due_days_order_days_before_weeks_before_months() -> None:
    assert sorted(["第1月", "第2周", "第1天", "第1周"], key=due_day) == ["第1天", "第1周", "第2周", "第1月"]


def test_onboarding_plan_merges_role_unit_company_and_team_stages() -> None:
    hb = validate(REPO / "roles", display_base=REPO).handbook
    role = hb.roles["telesales-rep"]
    groups = plan(hb, role.id)
    items = [(g.when, item.text) for g in groups for item in g.items]
    for step in role.onboarding:
        assert (step.when, step.text) in items
    for uid in [role.unit, *hb.ancestors(role.unit)]:
        for step in hb.units[uid].onboarding:
            assert (step.when, step.text) in items, f"{uid}: {step.text}"
        for stage in hb.units[uid].stages:
            if not stage.months[:1].isdigit():
                continue  # a situation ("when someone struggles"), not a month to schedule
            for topic in stage.training:
                assert any(text.endswith(topic) for _, text in items), topic
    whens = [g.when for g in groups]
    assert whens == sorted(whens, key=due_day)


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
