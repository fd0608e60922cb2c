"""Rules and targets as data: consequence types, ladders, thresholds, ranks, weights, seasons, deadlines.

The fixture ``tests/fixtures/rules`` writes each everyday fact of a job description in its field;
the sample handbook is checked to keep its facts in fields too (no ``amount: 0``, no deadline in a note).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import markdown
import pytest
import yaml

from generator.i18n import load_locale
from generator.link.pipeline import validate
from generator.load.problems import Severity, format_text
from generator.model import paths
from generator.model.entities import Consequence
from generator.model.entities.consequence import COUNTED
from generator.model.script import simplified
from generator.render import formatting
from generator.render.pages import Renderer

from .conftest import FIXTURES, REPO
from .test_views import EXTENSIONS, seen, web_text

ZH = load_locale("zh")
EN = load_locale("en")
RULES = FIXTURES / "rules" / "roles"
#: The Traditional-Chinese fixture (a second fictional company, tests/test_hant.py): its facts sit in fields too.
HANT = FIXTURES / "hant" / "roles"


def _walk(data: Any, key: str = "") -> list[tuple[str, Any]]:
    """Every (key, value) pair of a YAML tree."""
    out: list[tuple[str, Any]] = []
    if isinstance(data, dict):
        for k, v in data.items():
            out.append((str(k), v))
            out += _walk(v, str(k))
    elif isinstance(data, list):
        for v in data:
            out += _walk(v, key)
    return out


def squash(text: str) -> str:
    """Text as the page shows it to a reader: no whitespace."""
    return re.sub(r"\s+", "", text)


def _yaml_files(root: Path) -> list[Path]:
    return sorted(root.rglob("*.yaml"))


@pytest.mark.parametrize("root", [REPO / "roles", RULES, HANT, FIXTURES / "group" / "roles", FIXTURES / "hospital" / "roles"],
                         ids=["sample", "rules", "hant", "group", "hospital"])
def test_no_consequence_is_written_as_amount_zero(root: Path) -> None:
    files = _yaml_files(root)
    assert files
    for path in files:
        for key, value in _walk(yaml.safe_load(path.read_text(encoding="utf-8"))):
            assert not (key == "amount" and value == 0), path


#: Deadlines and response limits written as prose: these have fields (deadlines, response_times).
TIMING_IN_PROSE = re.compile(r"前提交|前报送|前上报|\d+\s*(小时|个?工作日|天)内|每月\s*\d+\s*日前|周[一二三四五六日]\s*\d")


@pytest.mark.parametrize("root", [REPO / "roles", RULES, HANT, FIXTURES / "group" / "roles", FIXTURES / "hospital" / "roles"],
                         ids=["sample", "rules", "hant", "group", "hospital"])
def test_no_deadline_or_response_time_sits_only_in_a_note(root: Path) -> None:
    for path in _yaml_files(root):
        for key, value in _walk(yaml.safe_load(path.read_text(encoding="utf-8"))):
            if key in ("note", "when", "extra") and isinstance(value, str):
                # Traditional text (週五 18:00 前提交) is read in Simplified, the script the pattern is written in.
                assert not TIMING_IN_PROSE.search(simplified(value)), (path.name, key, value)


def test_every_counted_consequence_of_the_sample_has_an_amount() -> None:
    result = validate(REPO / "roles", display_base=REPO)
    hb = result.handbook
    consequences = [c for r in hb.roles.values() for k in r.kpis for c in k.consequences]
    consequences += [c for p in hb.policies.values() for cl in p.clauses for c in cl.consequences]
    assert consequences
    for c in consequences:
        assert c.type not in COUNTED or (c.amount or 0) > 0, c
    assert {c.type for c in consequences} - COUNTED, "the sample has non-money consequences"


def test_the_rules_fixture_validates_and_its_facts_show_on_the_pages() -> None:
    result = validate(RULES, display_base=RULES.parent)
    assert [format_text(p, ZH) for p in result.problems] == []
    hb = result.handbook
    pages = Renderer(hb, ZH).pages()
    role_page = web_text("rules", "zh", "outbound-lead")
    role = hb.roles["outbound-lead"]
    assert squash(formatting.scorecard(role.kpis, ZH)) in role_page
    for kpi in role.kpis:
        assert squash(formatting.target(kpi, ZH)) in role_page
        for c in kpi.consequences:
            assert squash(formatting.consequence(c, ZH)) in role_page
    for area in role.duties:
        for item in area.items:
            assert squash(formatting.timing(item.deadlines, item.response_times, ZH)) in role_page
    policy_page = seen(markdown.markdown(pages[paths.page("policy", "attendance")], extensions=EXTENSIONS))
    for clause in hb.policies["attendance"].clauses:
        for c in clause.consequences:
            assert squash(formatting.consequence(c, ZH)) in policy_page


def test_scorecard_lists_each_weight_and_the_weights_sum_to_100() -> None:
    hb = validate(RULES).handbook
    kpis = hb.roles["outbound-lead"].kpis
    weighted = [k for k in kpis if k.weight]
    text = formatting.scorecard(kpis, ZH)
    assert sum(k.weight or 0 for k in weighted) == 100
    for k in weighted:
        assert ZH.label("score_term").format(metric=k.metric, weight=formatting.number(k.weight or 0)) in text


def _problems(tmp_path: Path, role_yaml: str, lang: str = "zh") -> list[str]:
    roles = tmp_path / "roles"
    roles.mkdir()
    (roles / "team.yaml").write_text("kind: unit\nname: 组\n", encoding="utf-8")
    (roles / "lead.yaml").write_text(role_yaml, encoding="utf-8")
    locale = load_locale(lang)
    result = validate(roles, locale=locale, display_base=tmp_path)
    return [format_text(p, locale) for p in result.problems if p.severity is Severity.ERROR]


ROLE = "kind: role\ntitle: 组长\nunit: team\nduties:\n  - area: 日常\n    items: [带队]\nkpis:\n"


def _kpi(metric: str, weight: int) -> str:
    return f"  - metric: {metric}\n    comparator: '≥'\n    target: 1\n    unit: 次\n    period: 月\n    weight: {weight}\n"


def test_weights_that_do_not_sum_to_100_name_the_gap(tmp_path: Path) -> None:
    lines = _problems(tmp_path, ROLE + _kpi("出勤率", 20) + _kpi("服务质量", 30) + _kpi("上级评价", 40))
    assert lines == [
        "roles/lead.yaml:13:13  kpis[0].weight  各项考核指标的权重合计 90%，还差 10%"
        " → 调整这 3 项指标的 weight，使合计正好 100（例如把某一项加 10）"
    ]


def test_weights_over_100_in_english(tmp_path: Path) -> None:
    lines = _problems(tmp_path, ROLE + _kpi("a", 60) + _kpi("b", 50), "en")
    assert len(lines) == 1 and "110%" in lines[0] and "10% too much" in lines[0] and "kpis[0].weight" in lines[0]


def test_money_without_amount_and_amount_zero_are_errors(tmp_path: Path) -> None:
    kpi = (
        "  - metric: 通话\n    comparator: '≥'\n    target: 30\n    unit: 次\n    period: 日\n    consequences:\n"
        "      - {effect: penalty, type: money}\n      - {effect: penalty, type: money, amount: 0}\n"
    )
    lines = _problems(tmp_path, ROLE + kpi)
    assert [line.split("  ")[1] for line in lines] == ["kpis[0].consequences[0]", "kpis[0].consequences[1].amount"]
    assert "必须写 amount" in lines[0] and "amount 写成了 0" in lines[1]


def test_non_money_consequences_need_no_amount(tmp_path: Path) -> None:
    kpi = (
        "  - metric: 通话\n    comparator: '≥'\n    target: 30\n    unit: 次\n    period: 日\n    consequences:\n"
        "      - {effect: penalty, type: eligibility, what: 取消当月评优资格}\n"
        "      - {effect: penalty, type: warning}\n"
    )
    assert _problems(tmp_path, ROLE + kpi) == []


def test_a_target_needs_a_comparator_and_a_deadline_needs_a_time(tmp_path: Path) -> None:
    role = (
        "kind: role\ntitle: 组长\nunit: team\nduties:\n  - area: 日常\n    items:\n"
        "      - text: 日报\n        deadlines:\n          - {what: 日报}\n"
        "          - {weekday: 五, day: 25}\n"
        "kpis:\n  - metric: 通话\n    target: 30\n    unit: 次\n    period: 日\n"
    )
    codes = [line.split("  ")[1] for line in _problems(tmp_path, role)]
    assert codes == ["duties[0].items[0].deadlines[0]", "duties[0].items[0].deadlines[1].day", "kpis[0].target"]


def test_legacy_reward_and_penalty_types_still_read() -> None:
    old = Consequence.model_validate({"type": "penalty", "amount": 1, "currency": "分"})
    assert (old.effect, old.type) == ("penalty", "points")
    assert formatting.consequence(old, ZH) == formatting.consequence(
        Consequence(effect="penalty", type="points", amount=1), ZH
    )


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_ladder_rungs_and_ranks_say_their_numbers(lang: str) -> None:
    locale = load_locale(lang)
    hb = validate(RULES, locale=locale).handbook
    for clause in hb.policies["attendance"].clauses:
        for c in clause.consequences:
            text = formatting.consequence(c, locale)
            if c.occurrence:
                assert str(c.occurrence.nth) in text
            if c.threshold:
                assert str(c.threshold.more_than) in text
            if c.what:
                assert c.what in text
    for kpi in hb.roles["outbound-lead"].kpis:
        for c in kpi.consequences:
            if c.rank:
                assert str(c.rank.last) in formatting.consequence(c, locale)
