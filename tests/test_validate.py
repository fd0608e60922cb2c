"""The validator's core promises: one pass, every problem located, exact wording, right exit code."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.cli import main
from generator.i18n import load_locale
from generator.link.pipeline import validate
from generator.load.problems import Severity, format_text

from .conftest import REPO

ZH = load_locale("zh")


def _write(root: Path, files: dict[str, str]) -> Path:
    for rel, text in files.items():
        path = root / "roles" / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root / "roles"


def _lines(root: Path) -> list[str]:
    result = validate(root / "roles", display_base=root)
    return [format_text(p, ZH) for p in result.problems]


UNIT = "kind: unit\nname: 电话组\n"


def test_sample_handbook_has_no_problems() -> None:
    result = validate(REPO / "roles", display_base=REPO)
    assert [format_text(p, ZH) for p in result.problems] == []
    assert result.handbook.roles, "the sample handbook has roles"


def test_unknown_key_points_at_the_key_and_suggests(tmp_path: Path) -> None:
    _write(tmp_path, {"team.yaml": UNIT, "lead.yaml": "kind: role\ntitle: 组长\nunit: team\ndutys: []\n"})
    assert _lines(tmp_path) == ["roles/lead.yaml:4:1  dutys  未知字段 “dutys” → 是否想写 “duties”？"]


def test_chinese_key_suggests_the_english_one(tmp_path: Path) -> None:
    _write(tmp_path, {"team.yaml": UNIT, "lead.yaml": "kind: role\ntitle: 组长\nunit: team\n职责: []\n"})
    assert _lines(tmp_path) == ["roles/lead.yaml:4:1  职责  未知字段 “职责” → 是否想写 “duties”？"]


def test_every_problem_in_one_pass_sorted_by_file_and_line(tmp_path: Path) -> None:
    _write(
        tmp_path,
        {
            "team.yaml": UNIT,
            "b.yaml": "kind: role\ntitle: B\nunit: teem\n",
            "a.yaml": "kind: role\ntitle: A\nunit: team\nreports_to: nobody\nheadcount:\n  current: -1\n",
        },
    )
    lines = _lines(tmp_path)
    assert lines == [
        "roles/a.yaml:6:12  headcount.current  数值 -1 不能小于 0 → 填写不小于 0 的数",
        "roles/b.yaml:1:1  警告: 这个岗位还没有填写岗位职责 → 添加 “duties:”，按领域列出职责",
        "roles/b.yaml:3:7  unit  找不到部门 “teem” → 是否想写 “team”？",
    ]


def test_reference_inside_block_text_is_located_on_its_line(tmp_path: Path) -> None:
    _write(
        tmp_path,
        {
            "team.yaml": UNIT,
            "rules.yaml": "kind: policy\ntitle: 考勤\nclauses:\n  - id: late\n    text: 迟到扣 30 元\n",
            "lead.yaml": "kind: role\ntitle: 组长\nunit: team\nduties: [{area: x, items: [y]}]\n"
            "summary: |\n  第一行\n  见 [[policy:rules#lat]]\n",
        },
    )
    assert _lines(tmp_path) == [
        "roles/lead.yaml:7:5  summary  制度 “rules” 中没有条款 “lat” → 是否想写 “late”？"
    ]


def test_cycles_are_reported_on_every_member_and_nothing_else(tmp_path: Path) -> None:
    _write(
        tmp_path,
        {
            "team.yaml": UNIT,
            "a.yaml": "kind: role\ntitle: A\nunit: team\nreports_to: b\nduties: [{area: x, items: [y]}]\n",
            "b.yaml": "kind: role\ntitle: B\nunit: team\nreports_to: a\nduties: [{area: x, items: [y]}]\n",
            # Reports into the loop but is not part of it: its own line is right.
            "0-below.yaml": "kind: role\ntitle: C\nunit: team\nreports_to: a\nduties: [{area: x, items: [y]}]\n",
        },
    )
    assert _lines(tmp_path) == [
        "roles/a.yaml:4:13  reports_to  汇报关系形成了循环：a → b → a → 修改其中一个岗位的 reports_to",
        "roles/b.yaml:4:13  reports_to  汇报关系形成了循环：b → a → b → 修改其中一个岗位的 reports_to",
    ]


def test_duplicate_ids_across_files(tmp_path: Path) -> None:
    _write(tmp_path, {"x/team.yaml": UNIT, "y/team.yaml": UNIT})
    assert _lines(tmp_path) == ["roles/y/team.yaml:1:1  id  id “team” 已被 roles/x/team.yaml 使用 → 给其中一个换一个唯一的 id（文件名）"]


def test_warning_exits_zero_unless_strict(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    roles = _write(
        tmp_path,
        {
            "a.yaml": UNIT,
            "b.yaml": "kind: unit\nname: 乙\n",
            "boss.yaml": "kind: role\ntitle: 主管\nunit: a\nduties: [{area: x, items: [y]}]\n",
            "clerk.yaml": "kind: role\ntitle: 职员\nunit: b\nreports_to: boss\nduties: [{area: x, items: [y]}]\n",
        },
    )
    result = validate(roles, display_base=tmp_path)
    assert [(p.code, p.severity) for p in result.problems] == [("reports_outside_unit", Severity.WARNING)]
    monkeypatch.chdir(tmp_path)
    assert main(["validate", str(roles)]) == 0
    assert main(["validate", "--strict", str(roles)]) == 1


def test_exit_codes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    roles = _write(tmp_path, {"team.yaml": UNIT})
    monkeypatch.chdir(tmp_path)
    assert main(["validate", str(roles)]) == 0
    (roles / "bad.yaml").write_text("kind: role\ntitle: [\n", encoding="utf-8")
    assert main(["validate", str(roles)]) == 1
    assert main(["validate", str(tmp_path / "missing")]) == 2
    with pytest.raises(SystemExit) as usage:
        main(["validate", "--no-such-flag"])
    assert usage.value.code == 2
    assert "Traceback" not in capsys.readouterr().err


def test_clock_and_period_formats(tmp_path: Path) -> None:
    _write(
        tmp_path,
        {
            "team.yaml": UNIT + 'schedule:\n  - start: "8:45"\n    activity: 晨会\n',
            "lead.yaml": "kind: role\ntitle: 组长\nunit: team\nduties: [{area: x, items: [y]}]\n"
            "kpis:\n  - metric: 通话\n    comparator: ≥\n    target: 30\n    unit: 次\n    period: 天\n",
        },
    )
    assert _lines(tmp_path) == [
        "roles/lead.yaml:10:13  kpis[0].period  “天” 不是允许的取值 → 是否想写 “日”？可选：日、周、月、季、年",
        'roles/team.yaml:4:12  schedule[0].start  时间 “8:45” 格式不对 → 写成 "08:45"（24 小时制，两位数的时和分，英文冒号，加引号）',
    ]


def test_a_file_that_cannot_be_read_is_not_echoed_by_every_file_that_refers_to_it(tmp_path: Path) -> None:
    import shutil

    shutil.copytree(REPO / "roles", tmp_path / "roles")
    lead = tmp_path / "roles" / "call-center" / "call-center-lead.yaml"
    lead.write_text(lead.read_text(encoding="utf-8").replace("title: 电销团队长", "title: [电销团队长"), encoding="utf-8")
    result = validate(tmp_path / "roles", display_base=tmp_path)
    referring = sum(1 for role in result.handbook.roles.values() if role.reports_to == "call-center-lead")
    assert referring, "the sample has roles reporting to call-center-lead"
    codes = [(p.file, p.code, p.severity) for p in result.problems]
    assert codes == [
        ("roles/call-center/call-center-lead.yaml", "unread_referenced", Severity.WARNING),
        ("roles/call-center/call-center-lead.yaml", "syntax_unclosed_bracket", Severity.ERROR),
    ]
    warning = next(p for p in result.problems if p.code == "unread_referenced")
    assert int(warning.args["count"]) > referring
    assert format_text(warning, ZH) == (
        f"roles/call-center/call-center-lead.yaml:1:1  警告: 另有 {warning.args['count']} 处引用了 “call-center-lead”，"
        "在这个文件能读取之前不逐条列出 → 先改好这个文件的问题，再检查一次"
    )
    # Fixed again, nothing is left over.
    lead.write_text(lead.read_text(encoding="utf-8").replace("title: [电销团队长", "title: 电销团队长"), encoding="utf-8")
    assert validate(tmp_path / "roles", display_base=tmp_path).problems == []


UNIT = "kind: unit\nname: 组\n"
KPI_ROLE = ("kind: role\ntitle: 坐席\nunit: team\nduties:\n  - area: 销售\n    items: [外呼]\n"
            "kpis:\n  - metric: 通话\n    comparator: {comparator}\n    target: 30\n    unit: 次\n    period: 日\n")


@pytest.mark.parametrize("comparator", ["=", "≥", "≤", '"="', '">="'])
def test_a_comparator_typed_as_is_is_read_as_text(tmp_path: Path, comparator: str) -> None:
    """YAML 1.1 reads a lone = as its "value key" (!!value); here it is the comparator "=" (#31)."""
    roles = _write(tmp_path, {"team.yaml": UNIT, "agent.yaml": KPI_ROLE.format(comparator=comparator)})
    result = validate(roles, display_base=tmp_path)
    assert [format_text(p, ZH) for p in result.problems] == []
    assert result.handbook.roles["agent"].kpis[0].comparator == {'"="': "=", '">="': "≥"}.get(comparator, comparator)


def test_a_second_copy_is_offered_a_name_no_file_has(tmp_path: Path) -> None:
    lead = "kind: role\ntitle: 组长\nunit: team\nduties:\n  - area: 管理\n    items: [带队]\n"
    roles = _write(tmp_path, {"team.yaml": UNIT, "lead.yaml": lead, "lead-2.yaml": lead.replace("组长", "副组长"),
                              "lead - 副本.yaml": lead})
    problems = validate(roles, display_base=tmp_path).problems
    assert [(p.code, p.args["suggestion"]) for p in problems] == [("bad_file_name_copy", "lead-3")]
