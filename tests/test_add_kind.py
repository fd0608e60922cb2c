"""Adding a kind is one registry entry + its model + its templates + its locale words, nothing else.

The test does exactly that to a copy of the ``generator`` package (a ``course`` kind), then
runs a real generate + MkDocs build of a project with courses in a fresh interpreter that
imports the copy. Pages, index page, nav, ``[[course:id]]`` references, duplicate-id and
missing-reference checks, JSON Schema and scaffold all have to come out of the registry: no
other module of the copy is edited.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest
import yaml

from .conftest import FIXTURES, REPO, copy_project

PACKAGE = REPO / "generator"

MODEL = '''\
"""The Course model: a training course a role takes, with its levels."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from .base import Entity, Text


class Course(Entity):
    """A course (培训课程)."""

    kind: Literal["course"]
    title: str
    description: Text
    levels: list[Text] = Field(default_factory=list)
'''

REGISTRY_ENTRY = '''
from .entities.course import Course  # noqa: E402

register(Kind(name="course", model=Course, page="courses/{id}.md", index="courses/index.md",
              display="title", nav=Nav.SECTION, ref="course", scaffold="fields", template="course.md.j2",
              index_template="courses_index.md.j2"))
'''

PAGE_TEMPLATE = """\
# {{ r.esc(e.title) }}

{{ r.block(e.description) }}
{% if e.levels %}

## {{ L.levels }}

{% for level in e.levels %}
1. {{ r.md(level) }}
{% endfor %}
{% endif %}
"""

INDEX_TEMPLATE = """\
# {{ L.kind_course_plural }}

{% for c in entities %}
- {{ r.link(kind.name, c.id) }}
{% endfor %}
"""

WORDS = {
    "zh": {"kind_course": "培训课程", "kind_course_plural": "培训课程一览"},
    "en": {"kind_course": "course", "kind_course_plural": "Courses"},
}

FIELD_HELP = {
    "Course.title": {"zh": "课程名称。", "en": "Name of the course.", "example": "倾听"},
    "Course.description": {"zh": "它是什么。", "en": "What it is.", "example": "听懂客户的需要。"},
    "Course.levels": {"zh": "由低到高的等级。", "en": "Levels, lowest first.", "example": ["能复述"],
                          "label": {"zh": "等级", "en": "Levels"}},
}


def add_course(pkg: Path) -> list[str]:
    """Add the kind to the package copy ``pkg`` the documented way; the files touched, relative."""
    touched = []

    def write(rel: str, text: str, *, append: bool = False) -> None:
        path = pkg / rel
        old = path.read_text(encoding="utf-8") if append else ""
        path.write_text(old + text, encoding="utf-8")
        touched.append(rel)

    write("model/entities/course.py", MODEL)
    registry = (pkg / "model/registry.py").read_text(encoding="utf-8")
    closed = 'KindName = Literal["unit", "role", "process", "policy", "term"'
    assert closed in registry
    write("model/registry.py", registry.replace(closed, closed + ', "course"') + REGISTRY_ENTRY)
    write("render/templates/course.md.j2", PAGE_TEMPLATE)
    write("render/templates/courses_index.md.j2", INDEX_TEMPLATE)
    for lang, words in WORDS.items():
        text = (pkg / f"locales/{lang}.yaml").read_text(encoding="utf-8")
        added = "".join(f"  {key}: {value}\n" for key, value in words.items())
        write(f"locales/{lang}.yaml", text.replace("\nlabels:\n", "\nlabels:\n" + added, 1))
    help_text = yaml.safe_dump(FIELD_HELP, allow_unicode=True, sort_keys=False)
    write("model/fields.yaml", "\n" + help_text, append=True)
    return touched


RUN = """\
import json, sys
from pathlib import Path

import generator
from generator.editor.scaffold import new_file
from generator.editor.schema import schemas
from generator.i18n import load_locale
from generator.project import Project
from generator.site.build import build

project = Project(Path(sys.argv[1]))
locale = load_locale("zh")
outcome = build(project, locale, pdfs=False)
out = {
    "package": generator.__file__,
    "ok": outcome.ok,
    "problems": [{"file": p.file, "code": p.code, "args": dict(p.args)} for p in outcome.generated.problems],
    "site_errors": outcome.site_errors,
    "schemas": schemas(),
}
if outcome.ok:
    out["scaffold"] = new_file(project.root, "course", "new-one", None, locale).read_text(encoding="utf-8")
print(json.dumps(out, ensure_ascii=False))
"""

COURSES: dict[str, dict[str, Any]] = {
    "listening": {"title": "倾听", "description": "听懂客户，再看 [[course:persuasion]] 与 [[role:agent]]。",
                  "levels": ["能复述", "能追问"]},
    "persuasion": {"title": "说服", "description": "以事实说服客户。"},
}


@pytest.fixture(scope="module")
def package(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[str]]:
    """A copy of the generator package with the course kind added."""
    root = tmp_path_factory.mktemp("pkg")
    shutil.copytree(PACKAGE, root / "generator", ignore=shutil.ignore_patterns("__pycache__"))
    return root, add_course(root / "generator")


def _project(dest: Path, courses: dict[str, dict[str, Any]], extra: dict[str, str] | None = None) -> Path:
    project = copy_project(FIXTURES / "mini", dest)
    for ident, data in courses.items():
        path = project.roles / "courses" / f"{ident}.yaml"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(yaml.safe_dump({"kind": "course", **data}, allow_unicode=True), encoding="utf-8")
    for rel, text in (extra or {}).items():
        (project.roles / rel).parent.mkdir(parents=True, exist_ok=True)
        (project.roles / rel).write_text(text, encoding="utf-8")
    return project.root


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


def test_only_registry_model_templates_and_words_change(package: tuple[Path, list[str]]) -> None:
    root, touched = package
    changed = sorted(
        p.relative_to(root / "generator").as_posix()
        for p in (root / "generator").rglob("*")
        if p.is_file() and (not (PACKAGE / p.relative_to(root / "generator")).is_file()
                            or (PACKAGE / p.relative_to(root / "generator")).read_bytes() != p.read_bytes())
    )
    assert changed == sorted(set(touched)) and len(changed) == 7
    python = [rel for rel in changed if rel.endswith(".py")]
    assert python == ["model/entities/course.py", "model/registry.py"]


@pytest.fixture(scope="module")
def built(package: tuple[Path, list[str]], tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Any]]:
    """The mini project plus two courses, generated and built by the extended package."""
    project = _project(tmp_path_factory.mktemp("course"), COURSES)
    result = _run(package[0], project)
    assert result["ok"], (result["problems"], result["site_errors"])
    return project, result


def _words(package: Path) -> dict[str, str]:
    locale = yaml.safe_load((package / "generator/locales/zh.yaml").read_text(encoding="utf-8"))
    return {str(k): str(v) for k, v in locale["labels"].items()}


def test_pages_index_and_nav(built: tuple[Path, dict[str, Any]], package: tuple[Path, list[str]]) -> None:
    project, _ = built
    site = project / "site"
    index = (site / "courses" / "index.html").read_text(encoding="utf-8")
    nav = yaml.safe_load((project / "handbook/generated/nav.yml").read_text(encoding="utf-8"))["nav"]
    sections = [item for item in nav if isinstance(item, dict) and _words(package[0])["kind_course_plural"] in item]
    assert len(sections) == 1
    entries = sections[0][_words(package[0])["kind_course_plural"]]
    assert entries[0] == "courses/index.md"
    for ident, data in COURSES.items():
        page = (site / "courses" / ident / "index.html").read_text(encoding="utf-8")
        assert re.search(f"<h1[^>]*>{data['title']}<", page)
        assert f'href="{ident}/"' in index
        assert {data["title"]: f"courses/{ident}.md"} in entries
        for level in data.get("levels", []):
            assert level in page
        if data.get("levels"):
            assert re.search(f"<h2[^>]*>{FIELD_HELP['Course.levels']['label']['zh']}<", page)  # type: ignore[index]


def test_references_link_both_ways(built: tuple[Path, dict[str, Any]]) -> None:
    project, _ = built
    site = project / "site"
    page = (site / "courses" / "listening" / "index.html").read_text(encoding="utf-8")
    assert 'href="../persuasion/"' in page
    assert 'href="../../roles/agent/"' in page
    assert "[[" not in page


def test_schema_and_scaffold(built: tuple[Path, dict[str, Any]], package: tuple[Path, list[str]]) -> None:
    _, result = built
    schema = json.loads(result["schemas"]["course.schema.json"])
    assert _words(package[0])["kind_course"] in schema["title"]
    assert set(schema["properties"]) >= {"title", "description", "levels"}
    assert "课程名称" in schema["properties"]["title"]["description"]
    scaffold = result["scaffold"]
    assert scaffold.splitlines()[2] == "kind: course"
    for field in ("title", "description"):
        assert f"\n{field}:" in scaffold
    assert "\n# levels:" in scaffold


def test_duplicates_and_missing_references(package: tuple[Path, list[str]], tmp_path: Path) -> None:
    twice = textwrap.dedent("""\
        kind: course
        id: listening
        title: 倾听（重复）
        description: 同一个 id 写了两次。
    """)
    dangling = "kind: course\ntitle: 共情\ndescription: 见 [[course:no-such-thing]]。\n"
    extra = {"elsewhere/listening-copy.yaml": twice, "elsewhere/empathy.yaml": dangling}
    project = _project(tmp_path, COURSES, extra)
    result = _run(package[0], project)
    assert not result["ok"]
    codes = {(p["file"], p["code"]) for p in result["problems"]}
    assert ("roles/elsewhere/listening-copy.yaml", "duplicate_id") in codes
    missing = [p for p in result["problems"] if p["code"].startswith("ref_missing")]
    assert [(p["args"]["kind"], p["args"]["id"]) for p in missing] == [("course", "no-such-thing")]
