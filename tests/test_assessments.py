"""Assessments as a kind, and the scoring facts around them: KPIs on units, KPIs in words or in parts
or without a period, capped and floored amounts, named points, thresholds counted in days.

Cases come from the data: every assessment and unit KPI of the sample and the rules fixture."""

from __future__ import annotations

import re

import markdown
import pytest

from generator.i18n import load_locale
from generator.model import paths
from generator.model.entities import KPI, Assessment, Consequence
from generator.render import formatting
from generator.render.assessments import score_rule
from generator.render.views import role_view

from .test_views import EXTENSIONS, handbook, pages, web_text

ZH = load_locale("zh")
EN = load_locale("en")
PROJECTS = ("sample", "rules")


def _assessments(project: str) -> list[Assessment]:
    return [a for a in handbook(project, "zh").table("assessment").values() if isinstance(a, Assessment)]


def test_the_data_holds_assessments_and_unit_kpis() -> None:
    assert all(_assessments(p) for p in PROJECTS)
    assert any(u.kpis for u in handbook("rules", "zh").units.values())


@pytest.mark.parametrize("project", PROJECTS)
def test_each_assessment_page_shows_its_items_scorers_shares_and_rules(project: str) -> None:
    hb, site = handbook(project, "zh"), pages(project, "zh")
    for a in _assessments(project):
        page = site[paths.page("assessment", a.id)]
        for item in a.items:
            row = next(line for line in page.splitlines() if line.startswith(f"| {item.name} |"))
            if item.weight is not None:
                assert f"{formatting.number(item.weight)}%" in row, (a.id, item.name)
            if item.scorer:
                assert hb.roles[item.scorer].title in row, (a.id, item.name)
            for text in (item.method, item.standard):
                if text:
                    assert text in row, (a.id, item.name)
        assert formatting.number(a.total) in page
        for rule in a.rules:
            assert score_rule(rule, ZH) in page, (a.id, rule)
            assert str(formatting.number(rule.below if rule.below is not None else rule.at_least or 0)) in page


def _units_up(project: str, unit: str) -> set[str]:
    units = handbook(project, "zh").units
    seen = set()
    while unit in units and unit not in seen:
        seen.add(unit)
        unit = units[unit].parent or ""
    return seen


@pytest.mark.parametrize("project", PROJECTS)
def test_every_role_lists_the_assessments_of_its_units_and_only_those(project: str) -> None:
    hb = handbook(project, "zh")
    listed_somewhere = 0
    for rid, role in hb.roles.items():
        expected = {a.title for a in _assessments(project)
                    if set(a.applies_to.units) & _units_up(project, role.unit) or rid in a.applies_to.roles}
        shown = {n.name for n in role_view(hb, ZH, rid).value("assessments") or ()}
        # Processes and policies may add more; the unit's and the role's own are never missing.
        assert expected <= shown, rid
        for title in shown:
            assert title in web_text(project, "zh", rid), rid
        listed_somewhere += bool(shown)
    assert listed_somewhere > 0


def _unit_kpis(project: str) -> list[tuple[str, KPI]]:
    return [(uid, k) for uid, u in handbook(project, "zh").units.items() for k in u.kpis]


def test_unit_kpis_show_on_the_unit_page_and_the_kpi_index() -> None:
    site = pages("rules", "zh")
    cases = _unit_kpis("rules")
    assert cases
    for uid, kpi in cases:
        target = formatting.target(kpi, ZH)
        assert target in site[paths.page("unit", uid)], (uid, kpi.metric)
        assert formatting.target(kpi, ZH, with_period=False) in site[paths.KPIS_INDEX], (uid, kpi.metric)


def _kpi(**fields: object) -> KPI:
    return KPI.model_validate({"metric": "合规分", **fields})


def test_a_kpi_in_words_in_parts_or_without_a_period_reads_as_written() -> None:
    assert formatting.target(_kpi(standard="当月无有效投诉"), ZH) == "当月无有效投诉"
    parted = formatting.target(_kpi(comparator="≥", target=30, unit="分", period="季",
                                    parts=[{"name": "I 类", "comparator": ">=", "target": 10}]), ZH)
    assert parted.startswith("≥ 30 分/季") and "其中 I 类 ≥ 10 分" in parted
    assert formatting.target(_kpi(comparator="≥", target=95, unit="%"), ZH) == "≥ 95 %"
    assert "of which I ≤ 0 incidents" in formatting.target(
        _kpi(comparator="≤", target=2, unit="incidents", parts=[{"name": "I", "comparator": "≤", "target": 0}]), EN)


def _cons(**fields: object) -> Consequence:
    return Consequence.model_validate({"effect": "penalty", **fields})


@pytest.mark.parametrize(("fields", "zh", "en"), [
    ({"type": "money", "amount": 50, "maximum": 500, "step": {"every": 1, "unit": "天"},
      "threshold": {"more_than": 1, "per": "月", "what": "超期", "unit": "天"}},
     ["超期超过 1 天", "每增加 1 天", "50 元", "最高 500 元"], ["more than 1 天 超期", "at most 500"]),
    ({"type": "money", "amount": 100, "minimum": 300}, ["100 元", "最低 300 元"], ["at least 300"]),
    ({"type": "points", "amount": 2, "points": "绩效分"}, ["扣罚绩效分 2 分"], ["2 points (绩效分)"]),
])
def test_consequences_keep_caps_floors_point_names_and_counted_units(
        fields: dict[str, object], zh: list[str], en: list[str]) -> None:
    cons = _cons(**fields)
    for words, locale in ((zh, ZH), (en, EN)):
        text = formatting.consequence(cons, locale)
        for word in words:
            assert word in text, (word, text)
    assert not re.search(r"超过 1 次", formatting.consequence(cons, ZH))


@pytest.mark.parametrize("project", PROJECTS)
def test_a_roles_assessments_stand_below_its_kpi_table_not_inside_it(project: str) -> None:
    """With or without a weighted score, the line after the KPI table must not become one of its rows."""
    hb, site = handbook(project, "zh"), pages(project, "zh")
    label = ZH.label("assessments_of_role")
    checked = 0
    for rid in hb.roles:
        if not role_view(hb, ZH, rid).value("assessments"):
            continue
        page = markdown.markdown(site[paths.page("role", rid)], extensions=EXTENSIONS)
        tables = re.findall(r"<table>.*?</table>", page, flags=re.S)
        assert label in page and not any(label in t for t in tables), rid
        checked += 1
    assert checked > 0
