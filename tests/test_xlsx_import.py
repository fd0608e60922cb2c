"""``handbook import xlsx``: an untouched workbook changes nothing; one edited cell changes one field of
one file; a broken workbook writes nothing and says where, for the sample and every fixture."""

from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook, load_workbook
from openpyxl.utils import get_column_letter

from generator.link.pipeline import validate
from generator.office import changes
from generator.office.cells import plain
from generator.office.columns import Column, SheetSpec, sheets
from generator.office.xlsx_export import export, names, spec_rows
from generator.office.xlsx_import import read_workbook

from .office_data import HANDBOOKS, Loaded, loaded


def run(workbook: Path, data: Loaded) -> changes.Outcome:
    reading = read_workbook(workbook, data.hb, data.locale)
    return changes.import_reading(reading, data.hb, data.roles, data.problems, data.locale)


def run_cached(workbook: Path, data: Loaded) -> changes.Outcome:
    """As the command runs it: the result's validation reuses the first one's parses."""
    parses = changes.SharedParses()
    result = validate(data.roles, locale=data.locale, display_base=data.roles.parent, cache=parses)
    reading = read_workbook(workbook, result.handbook, data.locale)
    return changes.import_reading(reading, result.handbook, data.roles, result.problems, data.locale, parses)


def copy_of(name: str, tmp: Path) -> Loaded:
    roles = tmp / "roles"
    shutil.copytree(loaded(name).roles, roles)
    return loaded(name, roles)


def reread(data: Loaded) -> Any:
    return validate(data.roles, locale=data.locale, display_base=data.roles.parent)


def files(roles: Path) -> dict[str, bytes]:
    return {p.relative_to(roles).as_posix(): p.read_bytes() for p in sorted(roles.rglob("*.yaml"))}


@pytest.mark.parametrize("name", sorted(HANDBOOKS))
def test_an_untouched_workbook_changes_nothing_also_headed_by_yaml_keys(name: str, tmp_path: Path) -> None:
    data = copy_of(name, tmp_path)
    before = files(data.roles)
    book = export(data.hb, data.locale, tmp_path / "hb.xlsx")
    outcome = run(book, data)
    assert outcome.problems == [] and outcome.texts == {}
    changes.write(outcome)
    assert files(data.roles) == before
    older = run(_edited(book, tmp_path, _headed_by_yaml_keys(data)), data)
    assert older.problems == [] and older.texts == {}


def _other(value: Any, column: Column, data: Loaded) -> Any:
    """A different value of the same type for a cell, or None when the column is not mutated here."""
    if column.form == "ref":
        others = [i for i in sorted(data.hb.table(column.ref or "")) if i != value]
        return others[0] if others else None
    if column.form == "lines":
        return f"{value}\n补充一项" if column.ref is None and column.scalar in (None, "text") else None
    if column.form != "scalar":
        return None
    if column.scalar == "choice":
        others = [c for c in column.choices if c != value]
        return others[0] if others else None
    if column.scalar == "bool":
        return not value
    if column.scalar in ("int", "number") and isinstance(value, (int, float)):
        return value + 1 if value < 30 else value - 1
    if column.scalar == "date" and isinstance(value, (dt.date, dt.datetime)):
        return value + dt.timedelta(days=1)
    if column.scalar == "text" and isinstance(value, str) and not value.startswith(("第", "0", "1", "2")):
        return value + "改"
    return None


def _cases(data: Loaded, book: Path) -> Iterator[tuple[SheetSpec, Column, int, int, Any]]:
    """One cell per sheet and kind of column: (sheet, column, row, column number, new value)."""
    wb = load_workbook(book)
    for spec in sheets(data.locale):
        ws = wb[spec.title]
        seen: set[tuple[str, str | None, str | None]] = set()
        col = len(spec.key_headers)
        for column in spec.columns:
            col += 1
            at = col
            col += 1 if column.named else 0
            sort = (column.form, column.scalar, column.ref)
            if sort in seen:
                continue
            for row in range(2, ws.max_row + 1):
                value = ws.cell(row=row, column=at).value
                new = _other(value, column, data) if value is not None else None
                if new is not None:
                    seen.add(sort)
                    yield spec, column, row, at, new
                    break


@pytest.mark.parametrize("name", sorted(HANDBOOKS))
def test_one_edited_cell_changes_that_field_in_one_file(name: str, tmp_path: Path) -> None:
    source = loaded(name)
    book = export(source.hb, source.locale, tmp_path / "hb.xlsx")
    applied = 0
    cases = list(_cases(source, book))
    # Every kind of column once per handbook, at most a dozen cells (each case validates twice).
    picked = list({(c[1].form, c[1].scalar, c[1].ref): c for c in cases}.values())[:12]
    for n, (spec, column, row, at, new) in enumerate(picked):
        roles = tmp_path / str(n) / "roles"
        shutil.copytree(source.roles, roles)
        before = files(roles)
        wb = load_workbook(book)
        wb[spec.title].cell(row=row, column=at).value = new
        edited = tmp_path / f"edited-{n}.xlsx"
        wb.save(edited)
        # As the command runs: the copy validated once, its parses reused for the result and the reread.
        parses = changes.SharedParses()
        first = validate(roles, locale=source.locale, display_base=roles.parent, cache=parses)
        outcome = changes.import_reading(read_workbook(edited, first.handbook, source.locale), first.handbook,
                                         roles, first.problems, source.locale, parses)
        if outcome.problems:  # a value the rules refuse (a cycle, a duplicate rank): said at its cell
            assert all(p.sheet and p.cell for p in outcome.problems[:1]), outcome.problems
            continue
        changes.write(outcome)
        after = files(roles)
        changed = [f for f in after if after[f] != before.get(f)]
        assert len(changed) == 1, (spec.title, column.label, changed)
        # The sheet's rows as export writes them, before and after: only the edited cell differs.
        after_hb = validate(roles, locale=source.locale, display_base=roles.parent, cache=parses).handbook
        new_rows = spec_rows(spec, after_hb, names(after_hb))
        old_rows = spec_rows(spec, source.hb, names(source.hb))
        assert len(new_rows) == len(old_rows), spec.title
        differ = [(r + 2, c + 1) for r, (a, b) in enumerate(zip(new_rows, old_rows, strict=True))
                  for c, (x, y) in enumerate(zip(a, b, strict=True)) if plain(x) != plain(y)]
        derived = _name_columns(spec)  # names shown beside ids follow a renamed entity everywhere
        assert [d for d in differ if d[1] not in derived] == [(row, at)], (spec.title, column.label, differ)
        assert plain(new_rows[row - 2][at - 1]) == plain(new)
        applied += 1
    assert applied >= min(3, len(picked))


def _name_columns(spec: SheetSpec) -> set[int]:
    out = {2} if spec.field is not None else set()
    col = len(spec.key_headers)
    for column in spec.columns:
        col += 1
        if column.named:
            col += 1
            out.add(col)
    return out


def _edited(book: Path, tmp_path: Path, change: Any) -> Path:
    wb = load_workbook(book)
    change(wb)
    out = tmp_path / "broken.xlsx"
    wb.save(out)
    return out


def _header(ws: Any, label: str) -> int:
    return [c.value for c in ws[1]].index(label) + 1


def test_broken_workbooks_write_nothing_and_say_where(tmp_path: Path) -> None:
    data = copy_of("sample", tmp_path)
    before = files(data.roles)
    book = export(data.hb, data.locale, tmp_path / "hb.xlsx")
    role_sheet = next(s for s in sheets(data.locale) if s.kind == "role" and s.field is None).title
    first = load_workbook(book)[role_sheet]["A2"].value

    def wrong_sheet(wb: Workbook) -> None:
        wb["岗位"].title = "岗位表"

    def unknown_owner(wb: Workbook) -> None:
        wb["岗位·岗位职责"]["A2"] = "no-such-role"

    def merged(wb: Workbook) -> None:
        wb["岗位"].merge_cells("B3:C3")

    def date_as_text(wb: Workbook) -> None:
        ws = wb["岗位"]
        ws.cell(row=2, column=_header(ws, "生效日期")).value = "2024.1.5"

    def deleted_unit(wb: Workbook) -> None:
        ws = wb["岗位"]
        ws.cell(row=2, column=_header(ws, "所属部门")).value = "call-centre"

    def new_role_without_unit(wb: Workbook) -> None:
        ws = wb["岗位"]
        ws.cell(row=ws.max_row + 1, column=1).value = "night-agent"
        ws.cell(row=ws.max_row, column=_header(ws, "名称")).value = "夜班坐席"

    unit_column = get_column_letter(_header(load_workbook(book)["岗位"], "所属部门"))
    expected = {
        wrong_sheet: "岗位表!A1  不认识的工作表 “岗位表” → 把它改回导出时的名称（部门、部门·一日安排、部门·团队发展阶段、部门·班次、"
                     "部门·排班、部门·部门考核指标…），或删除这张表",
        unknown_owner: "岗位·岗位职责!A2  找不到岗位 “no-such-role” → 先在“岗位”表里加上这一行，或改成已有的 id",
        merged: "岗位!B3  合并的单元格 B3:C3 → 取消合并，每个单元格各填各的值",
        date_as_text: "岗位!D2  生效日期  日期 “2024.1.5” 是以文字输入的 → 写成 2024-01-05（单元格格式为日期或文本都可以）",
        deleted_unit: f"岗位!{unit_column}2  所属部门  找不到部门 “call-centre” → 改成已有的 id，是否想写 “call-center”？",
        new_role_without_unit: f"岗位!A{len(data.hb.roles) + 2}  id  缺少必填字段 “unit” → 在此处添加 “unit: …”",
    }
    for change, text in expected.items():
        outcome = run(_edited(book, tmp_path, change), data)
        shown = [p.text() for p in outcome.problems]
        assert any(s.startswith(text) for s in shown), (change.__name__, shown)
        assert [p.text() for p in run_cached(tmp_path / "broken.xlsx", data).problems] == shown
        changes.write(outcome) if not outcome.problems else None
        assert files(data.roles) == before
    assert first


def test_a_new_row_becomes_a_new_file_where_handbook_new_puts_it(tmp_path: Path) -> None:
    data = copy_of("sample", tmp_path)
    book = export(data.hb, data.locale, tmp_path / "hb.xlsx")
    unit = next(iter(sorted(data.hb.units)))

    def add(wb: Workbook) -> None:
        ws = wb["岗位"]
        row = ws.max_row + 1
        ws.cell(row=row, column=1).value = "night-agent"
        ws.cell(row=row, column=_header(ws, "名称")).value = "夜班坐席"
        ws.cell(row=row, column=_header(ws, "所属部门")).value = unit
        duties = wb["岗位·岗位职责"]
        duties.append(["night-agent", None, 1, "夜班", None, "接听夜间来电\n记录工单"])

    outcome = run(_edited(book, tmp_path, add), data)
    assert outcome.problems == []
    [path] = outcome.texts
    assert path.name == "night-agent.yaml" and path.parent == data.hb.source_of("unit", unit).path.parent
    assert outcome.texts[path].startswith("kind: role\n")
    assert any("夜班坐席" in f"{d.title}" for d in outcome.diffs)
    changes.write(outcome)
    role = reread(data).handbook.roles["night-agent"]
    assert [i.text for i in role.duties[0].items] == ["接听夜间来电", "记录工单"]


def test_the_command_previews_in_diffs_words_applies_and_fills_a_template(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    from generator.cli import main
    from generator.history.semantic import Change
    from generator.history.wording import line

    from .conftest import copy_project

    root = tmp_path / "project"
    copy_project(HANDBOOKS["mini"].parent, root)
    monkeypatch.chdir(root)
    data = loaded("mini")
    role = sorted(data.hb.roles.values(), key=lambda r: r.id)[0]
    assert main(["export", "xlsx", "-o", "hb.xlsx"]) == 0
    wb = load_workbook(root / "hb.xlsx")
    spec = next(s for s in sheets(data.locale) if s.kind == "role" and s.field is None)
    ws = wb[spec.title]
    label = next(c.label for c in spec.columns if c.path == ("title",))
    row = [c.value for c in ws["A"]].index(role.id) + 1
    ws.cell(row=row, column=_header(ws, label)).value = role.title + "X"
    wb.save(root / "edited.xlsx")
    before = files(root / "roles")
    capsys.readouterr()
    assert main(["import", "xlsx", "edited.xlsx"]) == 0
    out = capsys.readouterr().out
    assert line(Change("changed", ("title",), role.title, role.title + "X"), data.locale) in out  # handbook diff's line
    assert files(root / "roles") == before
    assert main(["import", "xlsx", "edited.xlsx", "--apply"]) == 0
    after = files(root / "roles")
    [changed] = [f for f in after if after[f] != before[f]]
    old, new = before[changed].decode().splitlines(), after[changed].decode().splitlines()
    assert [(a, b) for a, b in zip(old, new, strict=True) if a != b] == [
        (f"title: {role.title}", f"title: {role.title}X")]
    # A template filled in by HR: a new role and its duty.
    assert main(["export", "xlsx", "--template", "-o", "template.xlsx"]) == 0
    wb = load_workbook(root / "template.xlsx")
    ws = wb[spec.title]
    ws.cell(row=2, column=1).value = "night-agent"
    ws.cell(row=2, column=_header(ws, label)).value = "Night agent"
    ws.cell(row=2, column=_header(ws, next(c.label for c in spec.columns if c.path == ("unit",)))).value = role.unit
    wb.save(root / "filled.xlsx")
    assert main(["import", "xlsx", "filled.xlsx", "--apply"]) == 0
    assert list((root / "roles").rglob("night-agent.yaml"))
    assert files(root / "roles").keys() - after.keys() == {
        p.relative_to(root / "roles").as_posix() for p in (root / "roles").rglob("night-agent.yaml")}
    # Exit 1 and nothing written on a problem.
    unit_column = _header(ws, next(c.label for c in spec.columns if c.path == ("unit",)))
    ws.cell(row=2, column=unit_column).value = "nowhere"
    ws.cell(row=2, column=1).value = "day-agent"
    wb.save(root / "broken.xlsx")
    snapshot = files(root / "roles")
    assert main(["import", "xlsx", "broken.xlsx", "--apply"]) == 1
    assert f"!{get_column_letter(unit_column)}2  " in capsys.readouterr().err and files(root / "roles") == snapshot


def test_a_workbook_in_another_language_reads_in_that_language(tmp_path: Path) -> None:
    from generator.i18n import load_locale

    data = loaded("sample")
    book = export(data.hb, load_locale("en"), tmp_path / "en.xlsx")  # `handbook --lang en export xlsx`
    assert "Role" in load_workbook(book, read_only=True).sheetnames
    outcome = run(book, data)
    assert outcome.problems == [] and outcome.texts == {}


def test_a_file_that_is_no_workbook_or_document_is_a_usage_error(tmp_path: Path,
                                                                  capsys: pytest.CaptureFixture[str]) -> None:
    from docx import Document

    from generator.cli import main

    text = tmp_path / "notes.xlsx"
    text.write_text("not a workbook", encoding="utf-8")
    word = tmp_path / "jd.docx"
    Document().save(str(word))
    assert main(["import", "xlsx", str(text)]) == 2
    assert main(["import", "xlsx", str(word)]) == 2  # a zip, but a Word file
    assert main(["import", "docx", str(text)]) == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err and err.count("handbook: ") == 3


@pytest.mark.parametrize("name", ["sample", "english"])
def test_rows_left_out_leave_their_entities_alone(name: str, tmp_path: Path) -> None:
    data = loaded(name)
    book = export(data.hb, data.locale, tmp_path / "hb.xlsx")
    wb = load_workbook(book)
    kept: dict[str, str] = {}
    for spec in sheets(data.locale):  # keep one entity of each kind (its sheet comes first), with its items
        ws = wb[spec.title]
        kept_id = kept.setdefault(spec.kind, str(ws["A2"].value))
        for row in range(ws.max_row, 1, -1):
            if str(ws.cell(row=row, column=1).value) != kept_id:
                ws.delete_rows(row)
    out = tmp_path / "few.xlsx"
    wb.save(out)
    outcome = run(out, data)
    assert outcome.problems == [] and outcome.texts == {}



def _headed_by_yaml_keys(data: Loaded) -> Any:
    """Workbooks exported before every field had a word were headed by the YAML key (``weight``) and
    their item sheets named ``<kind>·<field>``: the change that makes such a workbook."""
    specs = {s.title: s for s in sheets(data.locale)}

    def change(wb: Any) -> None:
        for ws in wb.worksheets:
            spec = specs.get(ws.title)
            if spec is None:
                continue
            by_label = {c.label: c for c in spec.columns}
            for cell in ws[1]:
                column = by_label.get(str(cell.value))
                if column is not None:
                    cell.value = ".".join(column.path)
            old = f"{spec.owner}·{spec.field}"[:31]
            if spec.field is not None and old.lower() != ws.title.lower():  # a sheet's name ignores case
                ws.title = old

    return change


@pytest.mark.parametrize("text", ["2024-02-30", "{on: 2024-13-01}"])
def test_a_cell_that_looks_like_an_impossible_date_stays_text(text: str) -> None:
    # PyYAML raises ValueError building such a date; a role file's loader keeps the text, so does a cell
    from generator.office.cells import decode
    from generator.office.columns import Column

    got = decode(text, Column(path=("x",), label="x", form="yaml"))
    assert got == text
