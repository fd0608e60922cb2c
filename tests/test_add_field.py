"""Adding a field is its model line, its table entry (help, example, zh/en label), its view line, two templates.

Done to a copy of the package (a ``location`` on roles, 工作地点), then a real generate, MkDocs build
and WeasyPrint PDF in both languages by a fresh interpreter importing the copy: the page and
the PDF show the label and value, and the JSON Schema describes the field in both languages.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from pypdf import PdfReader

from .conftest import FIXTURES, REPO, copy_project

ENTRY = {"location": {"zh": "工作地点，如 浦东新区。", "en": "Where the job is done.", "example": "浦东新区",
                      "label": {"zh": "工作地点", "en": "Location"}}}

PAGE_LINE = '- **{{ L.reports_to }}**'
PAGE_ADDED = '{% if v.location %}\n- **{{ L.location }}**{{ L.colon }}{{ r.esc(v.location) }}\n{% endif %}\n'
PDF_LINE = '<tr><th>{{ L.headcount }}</th>'
PDF_ADDED = '<tr><th>{{ L.location }}</th><td colspan="3">{{ v.location or L.none }}</td></tr>\n'


def add_location(pkg: Path) -> list[str]:
    """Add ``location`` to roles the documented way; the files touched, relative to the package."""
    touched = []

    def change(rel: str, old: str, new: str) -> None:
        path = pkg / rel
        text = path.read_text(encoding="utf-8")
        assert text.count(old) == 1, (rel, old)
        path.write_text(text.replace(old, new), encoding="utf-8")
        touched.append(rel)

    change("model/entities/role.py", "    reports_to: Slug | None = None\n",
           "    reports_to: Slug | None = None\n    location: str | None = None\n")
    table = (pkg / "model/fields.yaml").read_text(encoding="utf-8")
    (pkg / "model/fields.yaml").write_text(table + yaml.safe_dump(ENTRY, allow_unicode=True), encoding="utf-8")
    touched.append("model/fields.yaml")
    change("render/views.py", "    reports_to: Named | None\n", "    reports_to: Named | None\n    location: str | None\n")
    views = (pkg / "render/views.py").read_text(encoding="utf-8")
    anchor = '        reports_to=named(hb, "role", role.reports_to) if role.reports_to else None,\n'
    assert views.count(anchor) == 1
    (pkg / "render/views.py").write_text(views.replace(anchor, anchor + "        location=role.location,\n"), encoding="utf-8")
    change("render/templates/role.md.j2", PAGE_LINE, PAGE_ADDED + PAGE_LINE)
    change("pdf/templates/_role.html.j2", PDF_LINE, PDF_ADDED + PDF_LINE)
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
    """A copy of the generator package with ``location`` added to roles."""
    root = tmp_path_factory.mktemp("pkg-field")
    shutil.copytree(REPO / "generator", root / "generator", ignore=shutil.ignore_patterns("__pycache__"))
    return root, add_location(root / "generator")


def test_five_files_and_nothing_else(package: tuple[Path, list[str]]) -> None:
    root, touched = package
    copy = root / "generator"
    changed = sorted(
        p.relative_to(copy).as_posix() for p in copy.rglob("*")
        if p.is_file() and (REPO / "generator" / p.relative_to(copy)).read_bytes() != p.read_bytes()
    )
    assert changed == sorted(set(touched)) and len(changed) == 5


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_location_shows_on_page_and_pdf_and_in_schema(
    package: tuple[Path, list[str]], tmp_path: Path, lang: str
) -> None:
    project = copy_project(FIXTURES / "mini", tmp_path / "p")
    role_file = sorted(p for p in project.roles.glob("*.yaml") if "kind: role" in p.read_text(encoding="utf-8"))[0]
    role_file.write_text(role_file.read_text(encoding="utf-8") + "location: 浦东新区\n", encoding="utf-8")
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
    label = ENTRY["location"]["label"][lang]  # type: ignore[index]
    page = (project.site / "roles" / role_file.stem / "index.html").read_text(encoding="utf-8")
    assert f"<strong>{label}</strong>" in page and "浦东新区" in page
    pdf = PdfReader(project.root / "pdf" / f"{role_file.stem}.pdf")
    text = "".join(page.extract_text() for page in pdf.pages)
    assert label in text and "浦东新区" in text
    described = json.loads(result["schema"])["properties"]["location"]["description"]
    assert described == f"{ENTRY['location']['zh']}\n\n{ENTRY['location']['en']}"
