"""Adding a role field is its model line and its table entry (help, example, label, section): two files.

Done to a copy of the package (``travel_required``, 需要出差, the issue's own example), then a real
generate, MkDocs build and WeasyPrint PDF in both languages by a fresh interpreter importing the
copy, with the value in the project's data (the third file): the page and the PDF show the label
and the value in words, and the JSON Schema describes the field in both languages. No view, no
template and no locale file is touched: the facts section lays out whatever the table puts in it.
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

from generator.i18n import load_locale

from .conftest import FIXTURES, REPO, copy_project, pdf_texts

ENTRY: dict[str, dict[str, Any]] = {"Role.travel_required": {"zh": "是否需要经常出差。", "en": "Whether the job means frequent travel.",
                                  "example": True, "label": {"zh": "需要出差", "en": "Travel required"}}}


def add_travel(pkg: Path) -> list[str]:
    """Add ``travel_required`` to roles the documented way; the files touched, relative to the package."""
    touched = []

    def change(rel: str, old: str, new: str) -> None:
        path = pkg / rel
        text = path.read_text(encoding="utf-8")
        assert text.count(old) == 1, (rel, old)
        path.write_text(text.replace(old, new), encoding="utf-8")
        touched.append(rel)

    change("model/entities/role.py", "    reports_to: RoleId | None = None\n",
           "    reports_to: RoleId | None = None\n    travel_required: bool | None = None\n")
    change("model/fields.yaml", "=direct_reports, headcount,", "=direct_reports, travel_required, headcount,")
    table = (pkg / "model/fields.yaml").read_text(encoding="utf-8")
    (pkg / "model/fields.yaml").write_text(table + "\n" + yaml.safe_dump(ENTRY, allow_unicode=True), encoding="utf-8")
    return touched


RUN = """\
import json, sys
from pathlib import Path

import generator
from generator.editor.schema import schemas
from generator.i18n import load_locale
from generator.project import Project
from generator.site.build import build, make_pdfs

project = Project(Path(sys.argv[1]))
locale = load_locale(sys.argv[2])
outcome = build(project, locale, pdfs=False)
out = {"package": generator.__file__, "ok": outcome.ok, "schema": schemas()["role.schema.json"],
       "problems": [p.code for p in outcome.generated.problems], "site_errors": outcome.site_errors}
if outcome.ok:
    pdfs = make_pdfs(project, locale, project.root / "pdf", [sys.argv[3]])
    out["pdf_error"] = pdfs.error
print(json.dumps(out, ensure_ascii=False))
"""


@pytest.fixture(scope="module")
def package(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[str]]:
    """A copy of the generator package with ``travel_required`` added to roles."""
    root = tmp_path_factory.mktemp("pkg-field")
    shutil.copytree(REPO / "generator", root / "generator", ignore=shutil.ignore_patterns("__pycache__"))
    return root, add_travel(root / "generator")


def test_two_package_files_and_nothing_else(package: tuple[Path, list[str]]) -> None:
    root, touched = package
    copy = root / "generator"
    changed = sorted(
        p.relative_to(copy).as_posix() for p in copy.rglob("*")
        if p.is_file() and (REPO / "generator" / p.relative_to(copy)).read_bytes() != p.read_bytes()
    )
    assert changed == sorted(set(touched)) == ["model/entities/role.py", "model/fields.yaml"]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_field_shows_on_page_and_pdf_and_in_schema(
    package: tuple[Path, list[str]], tmp_path: Path, lang: str
) -> None:
    project = copy_project(FIXTURES / "mini", tmp_path / "p")
    role_file = sorted(p for p in project.roles.glob("*.yaml") if "kind: role" in p.read_text(encoding="utf-8"))[0]
    role_file.write_text(role_file.read_text(encoding="utf-8") + "travel_required: true\n", encoding="utf-8")
    script = tmp_path / "run.py"
    script.write_text(RUN, encoding="utf-8")
    env = {"PYTHONPATH": str(package[0]), "PATH": str(Path(sys.executable).parent), "HOME": str(tmp_path)}
    done = subprocess.run(
        [sys.executable, str(script), str(project.root), lang, role_file.stem],
        cwd=project.root, env=env, capture_output=True, text=True, timeout=600, check=False,
    )
    assert done.returncode == 0, done.stderr
    result: dict[str, Any] = json.loads(done.stdout.splitlines()[-1])
    assert Path(result["package"]).is_relative_to(package[0])
    assert result["ok"] and not result["pdf_error"], result
    entry = ENTRY["Role.travel_required"]
    label, yes = entry["label"][lang], load_locale(lang).label("value_yes")
    page = (project.site / "roles" / role_file.stem / "index.html").read_text(encoding="utf-8")
    assert f"<strong>{label}</strong>{load_locale(lang).label('colon')}{yes}" in page
    text = "".join(pdf_texts(project.root / "pdf" / f"{role_file.stem}.pdf"))
    assert re.search(rf"{re.escape(label)}\s+{yes}\b", text), text[:600]
    described = json.loads(result["schema"])["properties"]["travel_required"]["description"]
    assert described == f"{entry['zh']}\n\n{entry['en']}"
