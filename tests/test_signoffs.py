"""The sign-off register (#37 item 4): ``signoffs/*.csv`` beside ``roles/``; ``handbook signoff status``
per role (current, older with what changed since in the diff's words, never); mistakes in the register
named by file and line; employee numbers never reach a built site, its search index or a PDF."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

from generator.cli import main
from generator.history import with_history
from generator.history.verify import versions
from generator.i18n import load_locale
from generator.link.pipeline import validate
from generator.project import Project
from generator.site.build import build

from .conftest import FIXTURES, REPO, copy_project
from .history_fixture import make_history

ZH = load_locale("zh")


@pytest.fixture(scope="module")
def history(tmp_path_factory: pytest.TempPathFactory) -> Project:
    return make_history(tmp_path_factory.mktemp("signoffs") / "project")


def _current(project: Project, rid: str) -> str:
    hb = validate(project.roles).handbook
    with_history(hb, project.root, project.roles, ZH)
    return next(v.hash for v in versions(hb, rid) if v.current and v.variant is None)


def _blocks(out: str) -> dict[str, str]:
    """Each role's lines of ``signoff status``, by role id (a block starts at its unindented line)."""
    blocks: dict[str, str] = {}
    role = ""
    for line in out.splitlines():
        m = re.match(r"\S.*（([a-z0-9-]+)）当前版本", line)
        role = m.group(1) if m else role
        blocks[role] = blocks.get(role, "") + line + "\n"
    return blocks


def test_status_per_role(history: Project, capsys: pytest.CaptureFixture[str]) -> None:
    folder = history.root / "signoffs"
    folder.mkdir(exist_ok=True)
    (folder / "2024.csv").write_text(
        "role,employee,signed,date,name\n"
        f"sales-rep,E1001,{_current(history, 'sales-rep')},2024-08-10,张三\n"
        "sales-rep,E1002,2024.1,2024-01-10,李四\n"
        "sales-rep,E1003,,,王五\n"
        "call-center-lead,E2001,2024.2,2024-04-03,赵六\n",
        encoding="utf-8",
    )
    assert main(["--project", str(history.root), "signoff", "status"]) == 0
    out = capsys.readouterr().out
    blocks = _blocks(out)
    block = blocks["sales-rep"]
    assert re.search(r"已签当前版本（1 人）：E1001", block)
    older = block[block.index("E1002 签的是 2024.1") :]
    assert "2024.2：" in older and "每月向客户经理提交分销商拜访记录" in older  # what 2024.2 changed
    assert "未发布：" in older  # the fixture's last commit is after the last tag
    assert "从未签署（1 人）：E1003" in block
    assert "张三" not in out  # only the columns the register defines
    lead = blocks["call-center-lead"]
    assert "已签当前版本（1 人）：E2001" in lead  # unchanged since 2024.2: that release is current
    assert "3 人" not in out and "2 个岗位：2 人已签当前版本，1 人签的是旧版本，1 人从未签署" in out
    assert main(["--project", str(history.root), "signoff", "status", "--check"]) == 1
    assert main(["--project", str(history.root), "signoff", "status", "call-center-lead", "--check"]) == 0


def test_mistakes_in_the_register_are_named_by_file_and_line(
    history: Project, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    project = copy_project(history.root, tmp_path / "p")
    folder = project.root / "signoffs"
    folder.mkdir()
    (folder / "bad.csv").write_text(
        "role,employee,signed,date\n"
        "no-such-role,E1,2024.1,2024-01-01\n"
        "sales-rep,E2,2031.9,2024-01-01\n"
        "sales-rep,E3,2024.1,2024/01/01\n"
        "sales-rep,E4,2024.1,\n"
        ",E5,,\n",
        encoding="utf-8",
    )
    (folder / "columns.csv").write_text("role,who,when\n", encoding="utf-8")
    monkeypatch.chdir(project.root)
    assert main(["signoff", "status"]) == 1
    out = capsys.readouterr().out
    for line, field in ((2, "role"), (3, "signed"), (4, "date"), (5, "date"), (6, "role")):
        assert re.search(rf"^signoffs/bad\.csv:{line}:1  {field}  ", out, re.M), (line, out)
    assert re.search(r"^signoffs/columns\.csv:1:1  .*employee, signed, date", out, re.M)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[str]]:
    """The english fixture with a register of every role, built with its PDFs (the default engine)."""
    root = tmp_path_factory.mktemp("private") / "p"
    project = copy_project(REPO, root, roles=FIXTURES / "english" / "roles")
    hb = validate(project.roles).handbook
    numbers = [f"EMP{90417 + i}" for i, _ in enumerate(hb.roles)]
    (root / "signoffs").mkdir()
    rows = [f"{rid},{num},{hb.roles[rid].version or ''},{'2024-02-01' if hb.roles[rid].version else ''}"
            for rid, num in zip(hb.roles, numbers, strict=True)]
    (root / "signoffs" / "register.csv").write_text("role,employee,signed,date\n" + "\n".join(rows) + "\n")
    outcome = build(project, load_locale("en"))
    assert outcome.ok, outcome
    return project.site, numbers


def test_employee_numbers_never_reach_the_site_its_search_index_or_a_pdf(built: tuple[Path, list[str]]) -> None:
    site, numbers = built
    files = [p for p in site.rglob("*") if p.is_file()]
    assert any(p.name == "index.json" for p in files) and any(p.suffix == ".pdf" for p in files)
    for path in files:
        if path.suffix == ".pdf":
            text = subprocess.run(["pdftotext", "-q", str(path), "-"], capture_output=True, check=True).stdout
        else:
            text = path.read_bytes()
        for number in numbers:
            assert number.encode() not in text, (path, number)
