"""Adding a kind with references is its model, one registry entry and its field-table entries; nothing else.

The test does exactly that to a copy of the ``generator`` package: a ``course`` kind whose courses
name the roles that take them (``roles: list[RoleId]``), and a ``courses`` field on roles that names
courses (``Annotated[Slug, RefTo("course")]``, placed in the role page's facts). Four package files
change (course.py, registry.py, role.py, fields.yaml) and the project gets its course files: six at
most. A fresh interpreter importing the copy then builds a real site: pages and index from the generic
templates, the nav section, ``[[course:id]]`` links, references checked at their lines in both
directions, reverse references on the course page, a renamed course found by the rename check, the
JSON Schema, ``handbook new course``, and the role's PDF with its courses.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from .conftest import FIXTURES, REPO, copy_project, pdf_texts

PACKAGE = REPO / "generator"

MODEL = '''\
"""The Course model: a training course, its levels and the roles that take it."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from .base import Entity, RoleId, Text


class Course(Entity):
    """A course (培训课程)."""

    kind: Literal["course"]
    title: str
    description: Text
    levels: list[Text] = Field(default_factory=list)
    roles: list[RoleId] = Field(default_factory=list)
'''

REGISTRY_ENTRY = '''
from .entities.course import Course  # noqa: E402

register(Kind(name="course", model=Course, page="courses/{id}.md", index="courses/index.md", display="title",
              nav=Nav.SECTION, ref="course"))
'''

ROLE_FIELD = '    courses: list[Annotated[Slug, RefTo("course")]] = Field(default_factory=list)\n'

TABLE: dict[str, Any] = {
    "Course.title": {"zh": "课程名称。", "en": "Name of the course.", "example": "倾听"},
    "Course.description": {"zh": "它是什么。", "en": "What it is.", "example": "听懂客户的需要。",
                           "label": {"zh": "课程简介", "en": "About"}, "layout": "block"},
    "Course.levels": {"zh": "由低到高的等级。", "en": "Levels, lowest first.", "example": ["能复述"],
                      "label": {"zh": "课程等级", "en": "Levels"}, "layout": "bullets"},
    "Course.roles": {"zh": "学这门课的岗位 id。", "en": "Ids of the roles that take it.", "example": ["agent"],
                     "label": {"zh": "适用岗位", "en": "Roles"}},
    "Role.courses": {"zh": "岗位要学的课程 id。", "en": "Ids of the courses the role takes.",
                     "example": ["listening"], "label": {"zh": "培训课程", "en": "Courses"}},
    "Course": {"name": {"zh": "培训课程", "en": "course"}, "plural": {"zh": "培训课程一览", "en": "Courses"}},
}


def add_course(pkg: Path) -> list[str]:
    """Add the kind to the package copy ``pkg`` the documented way; the files touched, relative."""
    touched = []

    def change(rel: str, old: str, new: str) -> None:
        path = pkg / rel
        text = path.read_text(encoding="utf-8") if old else ""
        assert not old or text.count(old) == 1, (rel, old)
        path.write_text(text.replace(old, new) if old else new, encoding="utf-8")
        touched.append(rel)

    change("model/entities/course.py", "", MODEL)
    registry = (pkg / "model/registry.py").read_text(encoding="utf-8")
    closed = 'KindName = Literal["unit", "role", "process", "policy", "term"'
    change("model/registry.py", closed, closed + ', "course"')
    change("model/registry.py", registry.splitlines()[-1] + "\n", registry.splitlines()[-1] + "\n" + REGISTRY_ENTRY)
    change("model/entities/role.py", "    variants: list[RoleVariant]", ROLE_FIELD + "    variants: list[RoleVariant]")
    change("model/entities/role.py", "from ..fields import declared\n", "from ..declare import RefTo\nfrom ..fields import declared\n")
    change("model/fields.yaml", "fields: [unit, reports_to,", "fields: [unit, courses, reports_to,")
    table = (pkg / "model/fields.yaml").read_text(encoding="utf-8")
    (pkg / "model/fields.yaml").write_text(table + "\n" + yaml.safe_dump(TABLE, allow_unicode=True), encoding="utf-8")
    return touched


RUN = """\
import json, sys
from pathlib import Path

import generator
from generator.editor.scaffold import new_file
from generator.editor.schema import schemas
from generator.i18n import load_locale
from generator.project import Project
from generator.site.build import build, make_pdfs

project = Project(Path(sys.argv[1]))
locale = load_locale("zh")
outcome = build(project, locale, pdfs=False)
out = {
    "package": generator.__file__,
    "ok": outcome.ok,
    "problems": [{"file": p.file, "line": p.line, "field": p.field, "code": p.code, "args": dict(p.args)}
                 for p in outcome.generated.problems],
    "site_errors": outcome.site_errors,
    "schemas": schemas(),
    "words": {k: locale.label(k) for k in ("kind_course", "kind_course_plural")},
}
if outcome.ok:
    out["pdf_error"] = make_pdfs(project, locale, project.root / "pdf", ["agent"]).error
    out["scaffold"] = new_file(project.root, "course", "new-one", None, locale).read_text(encoding="utf-8")
    # The workbook: a sheet for the new kind, a column for the role's new field, and an unchanged round trip.
    from openpyxl import load_workbook
    from generator.link.pipeline import validate
    from generator.office import changes
    from generator.office.xlsx_export import export
    from generator.office.xlsx_import import read_workbook
    res = validate(project.roles, locale=locale, display_base=project.root)
    book = export(res.handbook, locale, project.root / "hb.xlsx")
    wb = load_workbook(book, read_only=True)
    out["sheets"] = {ws.title: [list(r) for r in ws.iter_rows(max_row=3, values_only=True)] for ws in wb.worksheets}
    back = changes.import_reading(read_workbook(book, res.handbook, locale), res.handbook, project.roles,
                                  res.problems, locale)
    out["import"] = [len(back.problems), len(back.texts)]
print(json.dumps(out, ensure_ascii=False, default=str))
"""

COURSES: dict[str, dict[str, Any]] = {
    "listening": {"title": "倾听", "description": "听懂客户，再看 [[course:persuasion]] 与 [[role:agent]]。",
                  "levels": ["能复述", "能追问"], "roles": ["agent"]},
    "persuasion": {"title": "说服", "description": "以事实说服客户。"},
}


@pytest.fixture(scope="module")
def package(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[str]]:
    """A copy of the generator package with the course kind added."""
    root = tmp_path_factory.mktemp("pkg")
    shutil.copytree(PACKAGE, root / "generator", ignore=shutil.ignore_patterns("__pycache__"))
    return root, add_course(root / "generator")


def _project(dest: Path, courses: dict[str, dict[str, Any]], agent_courses: list[str] | None = None,
             extra: dict[str, str] | None = None) -> tuple[Path, list[str]]:
    """The mini project with ``courses`` and the agent taking ``agent_courses``; the project files written."""
    project = copy_project(FIXTURES / "mini", dest)
    written = []
    for ident, data in courses.items():
        path = project.roles / "courses" / f"{ident}.yaml"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(yaml.safe_dump({"kind": "course", **data}, allow_unicode=True), encoding="utf-8")
        written.append(path.relative_to(project.root).as_posix())
    agent = project.roles / "agent.yaml"
    agent.write_text(agent.read_text(encoding="utf-8") + f"courses: {json.dumps(agent_courses or [])}\n",
                     encoding="utf-8")
    written.append("roles/agent.yaml")
    for rel, text in (extra or {}).items():
        (project.roles / rel).parent.mkdir(parents=True, exist_ok=True)
        (project.roles / rel).write_text(text, encoding="utf-8")
    return project.root, written


def _run(package: Path, project: Path) -> dict[str, Any]:
    script = project / "run.py"
    script.write_text(RUN, encoding="utf-8")
    env = {"PYTHONPATH": str(package), "PATH": str(Path(sys.executable).parent), "HOME": str(project)}
    done = subprocess.run(
        [sys.executable, str(script), str(project)], cwd=project, env=env, capture_output=True, text=True,
        timeout=600, check=False,
    )
    assert done.returncode == 0, done.stderr
    result: dict[str, Any] = json.loads(done.stdout.splitlines()[-1])
    assert Path(result["package"]).is_relative_to(package), "the copy, not the installed package, must run"
    return result


@pytest.fixture(scope="module")
def built(package: tuple[Path, list[str]], tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Any]]:
    """The mini project plus two courses (the agent takes both), generated and built by the extended package."""
    project, _ = _project(tmp_path_factory.mktemp("course"), COURSES, ["listening", "persuasion"])
    result = _run(package[0], project)
    assert result["ok"], (result["problems"], result["site_errors"])
    return project, result


def test_four_package_files_and_the_data_make_at_most_six(
    package: tuple[Path, list[str]], tmp_path: Path
) -> None:
    root, touched = package
    changed = sorted(
        p.relative_to(root / "generator").as_posix()
        for p in (root / "generator").rglob("*")
        if p.is_file() and (not (PACKAGE / p.relative_to(root / "generator")).is_file()
                            or (PACKAGE / p.relative_to(root / "generator")).read_bytes() != p.read_bytes())
    )
    assert changed == sorted(set(touched))
    assert changed == ["model/entities/course.py", "model/entities/role.py", "model/fields.yaml", "model/registry.py"]
    _, data = _project(tmp_path, {"listening": COURSES["listening"]}, ["listening"])
    assert len(changed) + len(data) <= 6


def test_pages_index_and_nav_come_from_the_generic_templates(built: tuple[Path, dict[str, Any]]) -> None:
    project, result = built
    site = project / "site"
    plural = result["words"]["kind_course_plural"]
    index = (site / "courses" / "index.html").read_text(encoding="utf-8")
    assert re.search(f"<h1[^>]*>{plural}<", index)
    nav = yaml.safe_load((project / "handbook/generated/nav.yml").read_text(encoding="utf-8"))["nav"]
    sections = [item for item in nav if isinstance(item, dict) and plural in item]
    assert len(sections) == 1
    entries = sections[0][plural]
    assert entries[0] == "courses/index.md"
    for ident, data in COURSES.items():
        page = (site / "courses" / ident / "index.html").read_text(encoding="utf-8")
        assert re.search(f"<h1[^>]*>{data['title']}<", page)
        assert f'href="{ident}/"' in index
        assert {data["title"]: f"courses/{ident}.md"} in entries
        assert re.search(f"<h2[^>]*>{TABLE['Course.description']['label']['zh']}", page)
        for level in data.get("levels", []):
            assert re.search(f"<li>{level}</li>", page)
        if data.get("levels"):
            assert re.search(f"<h2[^>]*>{TABLE['Course.levels']['label']['zh']}", page)


def test_references_link_both_ways(built: tuple[Path, dict[str, Any]]) -> None:
    project, _ = built
    site = project / "site"
    course = (site / "courses" / "listening" / "index.html").read_text(encoding="utf-8")
    assert 'href="../persuasion/"' in course  # [[course:persuasion]] in text
    assert course.count('href="../../roles/agent/"') >= 2  # [[role:agent]] in text, and the roles field
    assert "[[" not in course
    persuasion = (site / "courses" / "persuasion" / "index.html").read_text(encoding="utf-8")
    referenced = persuasion.split('id="referenced-by"', 1)[1]
    assert 'href="../../roles/agent/"' in referenced and 'href="../listening/"' in referenced
    role = (site / "roles" / "agent" / "index.html").read_text(encoding="utf-8")
    facts = role.split('id="facts"', 1)[1].split("<h2", 1)[0]
    assert TABLE["Role.courses"]["label"]["zh"] in facts
    assert 'href="../../courses/listening/"' in facts and 'href="../../courses/persuasion/"' in facts


def test_the_role_pdf_shows_its_courses(built: tuple[Path, dict[str, Any]]) -> None:
    project, result = built
    assert not result["pdf_error"]
    text = "".join(pdf_texts(project / "pdf" / "agent.pdf"))
    assert TABLE["Role.courses"]["label"]["zh"] in text and "倾听" in text and "说服" in text


def test_the_workbook_has_the_kinds_sheet_and_the_roles_column(built: tuple[Path, dict[str, Any]]) -> None:
    _, result = built
    sheets = result["sheets"]
    course = result["words"]["kind_course"]
    assert sorted(r[0] for r in sheets[course][1:]) == ["listening", "persuasion"]
    role_headers = sheets[next(t for t in sheets if t == "岗位")][0]
    assert TABLE["Role.courses"]["label"]["zh"] in role_headers
    assert result["import"] == [0, 0]


def test_schema_and_scaffold(built: tuple[Path, dict[str, Any]]) -> None:
    _, result = built
    schema = json.loads(result["schemas"]["course.schema.json"])
    assert result["words"]["kind_course"] in schema["title"]
    assert set(schema["properties"]) >= {"title", "description", "levels", "roles"}
    assert "课程名称" in schema["properties"]["title"]["description"]
    role_schema = json.loads(result["schemas"]["role.schema.json"])
    assert "课程 id" in role_schema["properties"]["courses"]["description"]
    scaffold = result["scaffold"]
    assert scaffold.splitlines()[2] == "kind: course"
    for field in ("title", "description"):
        assert f"\n{field}:" in scaffold
    assert "\n# levels:" in scaffold


def test_references_are_checked_at_their_lines_in_both_directions(
    package: tuple[Path, list[str]], tmp_path: Path
) -> None:
    twice = "kind: course\nid: listening\ntitle: 倾听（重复）\ndescription: 同一个 id 写了两次。\n"
    dangling = "kind: course\ntitle: 共情\ndescription: 见 [[course:no-such-thing]]。\nroles:\n  - agent\n  - nobody\n"
    extra = {"elsewhere/listening-copy.yaml": twice, "elsewhere/empathy.yaml": dangling}
    project, _ = _project(tmp_path, COURSES, ["listening", "no-such-course"], extra)
    result = _run(package[0], project)
    assert not result["ok"]
    codes = {(p["file"], p["code"]) for p in result["problems"]}
    assert ("roles/elsewhere/listening-copy.yaml", "duplicate_id") in codes
    missing = sorted((p["file"], p["line"], p["field"], p["args"]["kind"], p["args"]["id"])
                     for p in result["problems"] if p["code"].startswith("ref_missing"))
    agent_lines = (project / "roles/agent.yaml").read_text(encoding="utf-8").splitlines()
    courses_line = next(i for i, line in enumerate(agent_lines, 1) if line.startswith("courses:"))
    assert missing == [
        ("roles/agent.yaml", courses_line, "courses[1]", "course", "no-such-course"),
        ("roles/elsewhere/empathy.yaml", 3, "description", "course", "no-such-thing"),
        ("roles/elsewhere/empathy.yaml", 6, "roles[1]", "role", "nobody"),
    ]


def test_a_renamed_course_is_found_by_the_rename_check(package: tuple[Path, list[str]], tmp_path: Path) -> None:
    """Two references to a course whose file was renamed: one error at the new file, naming the alias to add."""
    renamed = {"active-listening": COURSES["listening"], "persuasion": COURSES["persuasion"]}
    referrer = "kind: course\ntitle: 共情\ndescription: 先学 [[course:listening]]。\n"
    project, _ = _project(tmp_path, renamed, ["listening"], {"courses/empathy.yaml": referrer})
    result = _run(package[0], project)
    found = [(p["file"], p["code"], p["args"].get("new")) for p in result["problems"] if p["code"].startswith("id_")]
    assert found == [("roles/courses/active-listening.yaml", "id_renamed", "active-listening")]
