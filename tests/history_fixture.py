"""A short, real history of edits to the sample handbook, made as a git repository in a temporary folder.

Three releases (tags) and one commit after the last: each step edits the sample's YAML text
the way an HR editor would, so the tests read history from git exactly as users' clones do.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from generator.project import Project

from .conftest import REPO, copy_project


@dataclass(frozen=True)
class Step:
    """One commit: its date, message, the edits it makes and the tag it gets (if released)."""

    date: str
    message: str
    edits: list[Callable[[Path], None]]
    tag: str | None = None


def replace(rel: str, old: str, new: str, count: int = 1) -> Callable[[Path], None]:
    """An edit replacing ``old`` by ``new`` in ``roles/<rel>``; fails when ``old`` is not there."""

    def edit(roles: Path) -> None:
        path = roles / rel
        text = path.read_text(encoding="utf-8")
        assert old in text, f"{rel}: {old!r} not found (the sample changed; update the fixture)"
        path.write_text(text.replace(old, new, count), encoding="utf-8")

    return edit


def move(rel: str, new_rel: str) -> Callable[[Path], None]:
    """An edit renaming (or moving) a file."""

    def edit(roles: Path) -> None:
        (roles / new_rel).parent.mkdir(parents=True, exist_ok=True)
        (roles / rel).rename(roles / new_rel)

    return edit


STEPS = [
    Step("2024-01-01", "初版岗位说明书", [], tag="2024.1"),
    Step(
        "2024-03-15",
        "电销：早会压缩到 8 分钟；销售代表新增一条职责；术语改了格式",
        [
            replace("call-center/call-center-lead.yaml", "target: 10\n    unit: 分钟", "target: 8\n    unit: 分钟"),
            replace(
                "sales-dept/sales-rep.yaml",
                "      - 勇于探索创新，为培训和发展部提供有价值的经验总结\n",
                "      - 勇于探索创新，为培训和发展部提供有价值的经验总结\n      - 每月向客户经理提交分销商拜访记录\n",
            ),
            # Version and date no longer typed: they come from the release that last changed the role.
            replace("sales-dept/sales-rep.yaml", 'effective_date: 2024-01-01\nversion: "2024.1"\n', ""),
            # Formatting only: a comment is no change to a reader.
            replace("glossary/kpi.yaml", "kind: term\n", "# 关键绩效指标\nkind: term\n"),
        ],
    ),
    Step("2024-04-01", "发布 2024.2", [], tag="2024.2"),
    Step(
        "2024-06-20",
        "考勤制度删去请假条款；美工设计改名视觉设计",
        [
            replace(
                "renewal/attendance.yaml",
                "  - id: leave\n    title: 休假与请假\n    text: 员工休假、事假、病假、婚假等按公司有关规定管理执行。\n",
                "",
            ),
            move("ecommerce/art-designer.yaml", "ecommerce/visual-designer.yaml"),
            replace(
                "ecommerce/visual-designer.yaml",
                "kind: role\ntitle: 美工设计\n",
                "kind: role\ntitle: 视觉设计\naliases: [art-designer]\n",
            ),
        ],
        tag="2024.3",
    ),
    Step(
        "2024-08-05",
        "销售代表：职责顺序调整",
        [
            replace(
                "sales-dept/sales-rep.yaml",
                "      - 按生意需要建立并充实、调整当地销售队伍\n      - 提高组织结构运转效率，优化当地工作流程\n",
                "      - 提高组织结构运转效率，优化当地工作流程\n      - 按生意需要建立并充实、调整当地销售队伍\n",
            ),
        ],
    ),
]


def git(root: Path, *args: str, date: str | None = None) -> str:
    """Run git in ``root`` with a fixed identity (and dates, when given); its output."""
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "HR",
        "GIT_AUTHOR_EMAIL": "hr@example.com",
        "GIT_COMMITTER_NAME": "HR",
        "GIT_COMMITTER_EMAIL": "hr@example.com",
        "GIT_CONFIG_GLOBAL": os.devnull,
        "GIT_CONFIG_NOSYSTEM": "1",
    }
    if date:
        env["GIT_AUTHOR_DATE"] = env["GIT_COMMITTER_DATE"] = f"{date}T09:00:00+08:00"
    done = subprocess.run(["git", *args], cwd=root, env=env, capture_output=True, text=True, check=True)
    return done.stdout


def make_history(dest: Path, steps: list[Step] | None = None) -> Project:
    """A copy of the sample project in ``dest`` whose ``roles/`` has the history of ``steps``."""
    project = copy_project(REPO, dest)
    shutil.rmtree(project.roles / ".git", ignore_errors=True)
    git(dest, "init", "-q", "-b", "main")
    (dest / ".gitignore").write_text("site/\nhandbook/generated/\n.handbook-cache/\n", encoding="utf-8")
    for step in STEPS if steps is None else steps:
        for edit in step.edits:
            edit(project.roles)
        git(dest, "add", "-A")
        git(dest, "commit", "-q", "--allow-empty", "-m", step.message, date=step.date)
        if step.tag:
            git(dest, "tag", step.tag, date=step.date)
    return project
