"""The standard 岗位说明书 sections as data: job code, family × grade matrix, authority,
relationships, environment and hours, duty weights, qualifications and the approval block.

The matrix is checked against the sample's own YAML (each role in the cell of its family and
grade, vacancies from planned − current); the checks against small projects written here.
"""

from __future__ import annotations

import re
import tempfile
from pathlib import Path
from typing import Any

import pytest
import yaml

from generator.i18n import load_locale
from generator.link.pipeline import validate
from generator.load.problems import Problem, Severity
from generator.model import paths, registry
from generator.render import formatting
from generator.render.views import role_view

from .conftest import REPO
from .test_views import handbook, pages, printer, seen

ZH = load_locale("zh")


def _sample_roles() -> dict[str, dict[str, Any]]:
    out = {}
    for path in (REPO / "roles").rglob("*.yaml"):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        if isinstance(data, dict) and data.get("kind") == "role":
            out[data.get("id", path.stem)] = data
    return out


def _table(page: str) -> tuple[list[str], dict[str, list[str]]]:
    """The first Markdown table of ``page``: its header cells and each row's cells by its first cell."""
    lines = [line for line in page.splitlines() if line.startswith("|")]
    split = [[c.strip() for c in line.strip("|").split(" | ")] for line in lines]
    header, rows = split[0], split[2:]
    return header, {row[0]: row[1:] for row in rows}


def test_matrix_places_every_sample_role_by_its_family_and_grade() -> None:
    roles = _sample_roles()
    placed = {rid: r for rid, r in roles.items() if r.get("family") or r.get("grade")}
    assert len(placed) >= 5, "the sample places several roles on the matrix"
    header, rows = _table(pages("sample", "zh")[registry.kind("family").index])
    grade_col = {re.search(r"\(\.\./grades/([\w-]+)\.md\)", h).group(1): i for i, h in enumerate(header[1:])  # type: ignore[union-attr]
                 if "grades/" in h}
    family_row = {re.search(r"\(([\w-]+)\.md\)", k).group(1): v for k, v in rows.items()}  # type: ignore[union-attr]
    for rid, data in placed.items():
        cell = family_row[data["family"]][grade_col[data["grade"]]]
        entry = re.search(rf"\[[^\]]+\]\(\.\./roles/{rid}\.md\)( \*\*空缺 (\d+)\*\*)?", cell)
        assert entry, (rid, cell)
        counts = data.get("headcount") or {}
        gap = counts["planned"] - counts["current"] if "planned" in counts and "current" in counts else 0
        assert (int(entry.group(2)) if entry.group(2) else 0) == max(gap, 0), rid
    others = [rid for rid in roles if rid not in placed]
    matrix_cells = "".join(cell for row in rows.values() for cell in row)
    assert not any(f"roles/{rid}.md" in matrix_cells for rid in others)
    # Grades run from the lowest rank up, as their files say.
    ranks = {g: yaml.safe_load((REPO / "roles/ladder" / f"{g}.yaml").read_text(encoding="utf-8"))["rank"]
             for g in grade_col}
    assert sorted(grade_col, key=grade_col.__getitem__) == sorted(ranks, key=ranks.__getitem__)


def test_family_and_grade_pages_list_their_roles() -> None:
    site = pages("sample", "zh")
    for rid, data in _sample_roles().items():
        if data.get("family"):
            assert f"../roles/{rid}.md" in site[paths.page("family", data["family"])], rid
        if data.get("grade"):
            assert f"../roles/{rid}.md" in site[paths.page("grade", data["grade"])], rid


def test_approval_block_prints_who_and_when() -> None:
    roles = _sample_roles()
    rid = next(r for r, d in roles.items() if d.get("approval", {}).get("approved"))
    paper = printer("sample", "zh").role_html(rid)
    signoff = seen(paper.partition('<section class="signoff">')[2].partition("</table>")[0])
    for step in ("prepared", "reviewed", "approved"):
        sig = roles[rid]["approval"][step]
        assert seen(sig["by"]) in signoff and str(sig["date"]) in signoff, step


def test_hours_derive_from_the_unit_unless_the_role_says() -> None:
    hb = handbook("sample", "zh")
    rid = next(r for r, role in hb.roles.items() if role.unit == "call-center" and role.hours is None)
    assert role_view(hb, ZH, rid).value("hours") == "08:45–18:30（电销中心作息）"
    result = _validate_role({"hours": "09:00–17:30，周六轮休"})
    view = role_view(result.handbook, ZH, "r")
    assert view.value("hours") == "09:00–17:30，周六轮休"


CONTEXT = {
    "team.yaml": {"kind": "unit", "name": "电话组"},
    "lead.yaml": {"kind": "role", "title": "组长", "unit": "team", "duties": [{"area": "管理", "items": ["带队"]}]},
    "sales.yaml": {"kind": "family", "name": "销售序列"},
    "p1.yaml": {"kind": "grade", "name": "P1", "rank": 1},
}


def _validate_role(fields: dict[str, Any], tmp: Path | None = None) -> Any:
    root = Path(tmp or tempfile.mkdtemp()) / "roles"
    root.mkdir(parents=True, exist_ok=True)
    for name, data in CONTEXT.items():
        (root / name).write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    role = {"kind": "role", "title": "坐席", "unit": "team", "duties": [{"area": "销售", "items": ["通话"]}], **fields}
    (root / "r.yaml").write_text(yaml.safe_dump(role, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return validate(root, locale=ZH)


def _errors(result: Any) -> list[Problem]:
    return [p for p in result.problems if p.severity is Severity.ERROR and p.file.endswith("r.yaml")]


@pytest.mark.parametrize(
    ("weights", "code"),
    [((60, 40), None), ((60, 30), "duty_weights_short"), ((70, 40), "duty_weights_over"), ((100, None), None),
     ((50, None), "duty_weights_short"), ((33.3, 66.7), None)],
)
def test_duty_area_weights_add_up_to_100_when_given(tmp_path: Path, weights: tuple[Any, ...], code: str | None) -> None:
    duties = [{"area": f"领域{i}", **({"weight": w} if w is not None else {}), "items": ["一项"]}
              for i, w in enumerate(weights)]
    problems = _errors(_validate_role({"duties": duties}, tmp_path))
    assert [p.code for p in problems] == ([code] if code else [])
    if code:
        lines = (tmp_path / "roles/r.yaml").read_text(encoding="utf-8").splitlines()
        assert problems[0].field == "duties[0].weight"
        assert problems[0].line == next(i + 1 for i, line in enumerate(lines) if "weight:" in line)
        assert problems[0].args["total"] == f"{sum(w for w in weights if w):g}"


def test_item_weights_add_up_within_their_area(tmp_path: Path) -> None:
    items = [{"text": "通话", "weight": 70, "essential": True}, {"text": "登记", "weight": 20}]
    duties = [{"area": "销售", "items": items}, {"area": "服务", "items": ["回访"]}]
    problems = _errors(_validate_role({"duties": duties}, tmp_path))
    assert [(p.code, p.field, p.args["area"], p.args["gap"]) for p in problems] == [
        ("item_weights_short", "duties[0].items[0].weight", "销售", "10")]
    items[1]["weight"] = 30
    result = _validate_role({"duties": duties}, tmp_path)
    assert not _errors(result)
    area = role_view(result.handbook, ZH, "r").value("duties")[0]
    assert area.essential == (True, False) and area.item_weights == ("70%", "30%")


@pytest.mark.parametrize(
    ("fields", "field", "kind"),
    [({"family": "sale"}, "family", "family"), ({"grade": "p2"}, "grade", "grade"),
     ({"relationships": {"internal": [{"role": "leader"}]}}, "relationships.internal[0].role", "role"),
     ({"relationships": {"internal": [{"unit": "tem"}]}}, "relationships.internal[0].unit", "unit")],
)
def test_unknown_family_grade_or_contact_is_a_missing_reference(
    tmp_path: Path, fields: dict[str, Any], field: str, kind: str
) -> None:
    problems = _errors(_validate_role(fields, tmp_path))
    assert [(p.code.startswith("ref_missing"), p.field, p.args["kind"]) for p in problems] == [(True, field, kind)]


def test_known_references_and_one_contact_target(tmp_path: Path) -> None:
    ok = {"family": "sales", "grade": "p1", "relationships": {"internal": [{"role": "lead", "about": "汇报"}],
                                                             "external": [{"party": "客户"}]}}
    assert not _errors(_validate_role(ok, tmp_path))
    both = {"relationships": {"internal": [{"role": "lead", "unit": "team"}]}}
    assert [p.code for p in _errors(_validate_role(both, tmp_path))] == ["contact_role_or_unit"]
    neither = {"relationships": {"internal": [{"about": "汇报"}]}}
    assert [p.code for p in _errors(_validate_role(neither, tmp_path))] == ["contact_role_or_unit"]


def _sample(kind: str) -> dict[str, dict[str, Any]]:
    out = {}
    for path in (REPO / "roles").rglob("*.yaml"):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        if isinstance(data, dict) and data.get("kind") == kind:
            out[data.get("id", path.stem)] = data
    return out


def test_competency_page_lists_the_roles_that_need_each_level() -> None:
    roles, comps = _sample("role"), _sample("competency")
    assert comps and any(r.get("competencies") for r in roles.values())
    site = pages("sample", "zh")
    for cid, comp in comps.items():
        assert len(comp["levels"]) == 5
        _, rows = _table(site[paths.page("competency", cid)])
        cells = list(rows.values())
        for n, level in enumerate(comp["levels"], start=1):
            need = {rid for rid, r in roles.items() if (r.get("competencies") or {}).get(cid) == n}
            shown = set(re.findall(r"\(\.\./roles/([\w-]+)\.md\)", cells[n - 1][-1]))
            assert shown == need, (cid, n)
            assert all(seen(i) in seen(cells[n - 1][0]) for i in level["indicators"]), (cid, n)


def test_a_role_shows_the_indicators_of_its_level_from_the_library() -> None:
    hb = handbook("sample", "zh")
    comps = _sample("competency")
    rid, role = next((r, role) for r, role in hb.roles.items() if role.competencies)
    view = role_view(hb, ZH, rid)
    for need, (cid, level) in zip(view.value("competencies"), role.competencies.items(), strict=True):
        assert need.competency.id == cid
        assert need.indicators == tuple(comps[cid]["levels"][level - 1]["indicators"])
        assert need.level.startswith(f"{level} 级")


LEVELS5 = [{"name": n, "indicators": [f"{n}的表现"]} for n in ("了解", "掌握", "熟练", "精通", "专家")]


@pytest.mark.parametrize(("levels", "role_level", "codes"), [
    (LEVELS5, 3, []), (LEVELS5[:4], 3, ["competency_levels"]), (LEVELS5, 6, ["num_less_than_equal"]),
])
def test_competency_levels_and_role_levels_are_checked(
    tmp_path: Path, levels: list[dict[str, Any]], role_level: int, codes: list[str]
) -> None:
    CONTEXT["listen.yaml"] = {"kind": "competency", "name": "倾听", "definition": "听懂客户。", "levels": levels}
    try:
        result = _validate_role({"competencies": {"listen": role_level}}, tmp_path)
    finally:
        del CONTEXT["listen.yaml"]
    errors = [p for p in result.problems if p.severity is Severity.ERROR]
    assert [p.code for p in errors if p.code in {"competency_levels", "num_less_than_equal"} or p.code.startswith("ref")] == codes


def test_unknown_competency_is_a_missing_reference(tmp_path: Path) -> None:
    problems = _errors(_validate_role({"competencies": {"listen": 3}}, tmp_path))
    assert [(p.code, p.field, p.args["kind"]) for p in problems] == [("ref_missing", "competencies.listen", "competency")]


@pytest.mark.parametrize("project", ["sample", "rules", "english", "mini"])
def test_each_process_a_role_takes_part_in_shows_its_length_and_limits(project: str) -> None:
    """The process's own duration, deadlines and response limits, and those of the steps the role
    does, stand in the role's process table (and so, by test_views, on the page and in print)."""
    hb = handbook(project, "zh")
    checked = 0
    for rid in hb.roles:
        rows = {row.process.id: row for row in role_view(hb, ZH, rid).value("processes") or ()}
        for pid, _ in hb.role_processes.get(rid, []):
            process = hb.processes[pid]
            steps = [s for s in process.steps if s.actor == rid]
            limits = [formatting.deadline(d, ZH) for d in [*process.deadlines, *(d for s in steps for d in s.deadlines)]]
            limits += [formatting.response_time(r, ZH)
                       for r in [*process.response_times, *(r for s in steps for r in s.response_times)]]
            if process.duration:
                limits.append(formatting.duration(process.duration, ZH))
            for limit in limits:
                assert limit in (rows[pid].timing or ""), (rid, pid, limit)
                checked += 1
            if not limits:
                assert rows[pid].timing is None, (rid, pid)
    assert checked > 0 or project != "sample"
