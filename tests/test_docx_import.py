"""``handbook import docx``: one-table Word job descriptions, made here with python-docx in zh and en,
become role files that validate; labels with no place are named; a file that would not validate
writes nothing."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from docx import Document

from generator.cli import main
from generator.model import registry

from .conftest import copy_project
from .office_data import HANDBOOKS, loaded


def word_file(path: Path, rows: list[list[str]], heading: str = "岗位说明书") -> Path:
    doc = Document()
    doc.add_heading(heading, level=1)
    table = doc.add_table(rows=len(rows), cols=max(len(r) for r in rows))
    for row, values in zip(table.rows, rows, strict=True):
        for cell, value in zip(row.cells, values, strict=False):
            cell.text = value
        if len(values) == 2 and len(row.cells) == 4:  # a label over one cell, its value over three
            row.cells[1].merge(row.cells[3]).text = values[1]
    doc.save(str(path))
    return path


def _project(name: str, tmp_path: Path) -> Path:
    root = tmp_path / name
    copy_project(HANDBOOKS[name].parent, root)
    return root


@pytest.mark.parametrize("name", ["sample", "english"])
def test_a_one_table_job_description_becomes_a_role(name: str, tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    data = loaded(name)
    root = _project(name, tmp_path)
    unit = sorted(data.hb.units.values(), key=lambda u: u.id)[0]
    boss = next(r for r in sorted(data.hb.roles.values(), key=lambda r: r.id) if r.unit == unit.id)
    zh = data.locale.lang != "en"
    labels = (["岗位名称", "所属部门", "直接上级", "岗位职责", "任职资格", "薪酬福利"] if zh else
              ["Job title", "Department", "Reports to", "Duties", "Qualifications", "Pay and benefits"])
    title = "夜班客服专员" if zh else "Night service agent"
    duties = "1. 接听夜间来电\n2. 记录并转交工单" if zh else "1. Answer calls at night\n2. Log and pass on tickets"
    rows = [[labels[0], title, labels[1], unit.name], [labels[2], boss.title],
            [labels[3], duties], [labels[4], "（1）大专以上\n（2）普通话标准" if zh else "- College\n- Clear speech"],
            [labels[5], "面议" if zh else "negotiable"]]
    source = word_file(tmp_path / "night-agent.docx", rows)
    monkeypatch.chdir(root)
    assert main(["import", "docx", str(source)]) == 0
    out = capsys.readouterr()
    assert f"“{labels[5]}”" in out.err and "docx-labels.yaml" in out.err  # not placed, and where to map it
    assert not list((root / "roles").rglob("night-agent.yaml"))  # a preview writes nothing
    assert main(["import", "docx", str(source), "--apply"]) == 0
    [made] = list((root / "roles").rglob("night-agent.yaml"))
    unit_folder = data.hb.source_of("unit", unit.id).path.parent.relative_to(data.roles.resolve())
    assert made.parent == root / "roles" / unit_folder  # where `handbook new role --unit` puts it
    role = loaded(name, root / "roles").hb.roles["night-agent"]
    assert role.title == title and role.unit == unit.id and role.reports_to == boss.id
    assert [i.text for i in role.duties[0].items] == duties.replace("1. ", "").replace("2. ", "").split("\n")
    assert role.qualifications is not None and len(role.qualifications.abilities) == 2
    assert registry.display_name(role) == title


def test_what_would_not_validate_writes_nothing(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    root = _project("sample", tmp_path)
    source = word_file(tmp_path / "x.docx", [["岗位名称", "夜班专员"], ["所属部门", "不存在的部门"]])
    before = sorted(p.relative_to(root).as_posix() for p in (root / "roles").rglob("*.yaml"))
    monkeypatch.chdir(root)
    assert main(["import", "docx", str(source), "--apply"]) == 1
    err = capsys.readouterr().err
    assert "x.docx  所属部门  " in err and "不存在的部门" in err
    assert sorted(p.relative_to(root).as_posix() for p in (root / "roles").rglob("*.yaml")) == before


def test_a_file_without_a_table_or_title_is_named(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    root = _project("mini", tmp_path)
    empty = tmp_path / "empty.docx"
    Document().save(str(empty))
    untitled = word_file(tmp_path / "untitled.docx", [["所属部门", "x"]])
    monkeypatch.chdir(root)
    assert main(["import", "docx", str(empty), str(untitled)]) == 1
    err = capsys.readouterr().err
    assert "empty.docx  " in err and "untitled.docx  " in err
    shutil.rmtree(root)


@pytest.mark.parametrize(("text", "line", "words"), [
    ("岗位名称: {field: title}\n薪酬福利: {field: pay, as: text\n", 3, "YAML"),  # the flow map is never closed
    ("岗位名称: {field: title}\n薪酬福利: {as: text}\n", 2, "“薪酬福利”"),
    ("岗位名称: {field: title}\n\n薪酬福利: {field: summary, as: money}\n", 3, "“薪酬福利”"),
    ("岗位名称: {field: title}\n薪酬福利: {field: salary_band}\n", 2, "“salary_band”"),
    ("- 岗位名称\n- 薪酬福利\n", 1, "“…”"),
])
def test_a_broken_label_file_is_named_at_its_line_and_reads_no_document(
        text: str, line: int, words: str, tmp_path: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    root = _project("sample", tmp_path)
    (root / "handbook" / "docx-labels.yaml").write_text(text, encoding="utf-8")
    source = word_file(tmp_path / "x.docx", [["岗位名称", "夜班客服专员"], ["薪酬福利", "面议"]])
    monkeypatch.chdir(root)
    assert main(["import", "docx", str(source)]) == 2
    err = capsys.readouterr().err
    assert f"handbook/docx-labels.yaml:{line}" in err and words in err and "→" in err and "Traceback" not in err


def test_the_projects_own_label_places_a_row_the_shipped_ones_do_not(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    root = _project("sample", tmp_path)
    source = word_file(tmp_path / "x.docx", [["岗位名称", "夜班客服专员"], ["工作概要", "夜间接听来电"]])
    monkeypatch.chdir(root)
    main(["import", "docx", str(source)])
    assert "“工作概要”" in capsys.readouterr().err  # the shipped labels have no place for it
    (root / "handbook" / "docx-labels.yaml").write_text("# 本公司的写法\n工作概要: summary\n", encoding="utf-8")
    main(["import", "docx", str(source)])
    assert "“工作概要”" not in capsys.readouterr().err
