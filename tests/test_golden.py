"""Golden tests: generated output of the fixtures, reviewed in diffs.

Markdown of a few pages (zh, and one page in English), the generated nav, and one job
description PDF's extracted text. Refresh after an intended change with
``pytest tests/test_golden.py --update-golden`` and review the diff.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from pypdf import PdfReader

from generator.i18n import load_locale
from generator.link.pipeline import validate
from generator.pdf.run import write_pdfs
from generator.project import Project
from generator.render.pages import Renderer
from generator.site.generate import generate

from .conftest import FIXTURES, copy_project

GOLDEN = Path(__file__).parent / "golden"
PAGES = [
    "roles/agent.md",
    "roles/team-lead.md",
    "processes/standup.md",
    "org/phone-team/index.md",
    "policies/rules.md",
    "glossary/index.md",
    "kpis/index.md",
]
ENGLISH_PAGE = "roles/team-lead.md"
PDF_ROLE = "team-lead"


def _matches(name: str, actual: str, update: bool) -> None:
    golden = GOLDEN / name
    if update:
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(actual, encoding="utf-8")
    assert golden.is_file(), f"no golden file {golden}; run pytest tests/test_golden.py --update-golden"
    assert actual == golden.read_text(encoding="utf-8"), f"{name} differs from {golden}"


@pytest.fixture(scope="module")
def rendered() -> dict[str, str]:
    result = validate(FIXTURES / "mini" / "roles", display_base=FIXTURES / "mini")
    assert result.problems == []
    return Renderer(result.handbook, load_locale("zh")).pages()


@pytest.mark.parametrize("page", PAGES)
def test_page_matches_golden(rendered: dict[str, str], page: str, update_golden: bool) -> None:
    _matches(page, rendered[page], update_golden)


def test_english_page_matches_golden(update_golden: bool) -> None:
    result = validate(FIXTURES / "english" / "roles", display_base=FIXTURES / "english")
    assert result.problems == []
    pages = Renderer(result.handbook, load_locale("en")).pages()
    _matches(f"en/{ENGLISH_PAGE}", pages[ENGLISH_PAGE], update_golden)


def test_nav_matches_golden(tmp_path: Path, update_golden: bool) -> None:
    project: Project = copy_project(FIXTURES / "mini", tmp_path / "mini")
    assert generate(project, load_locale("zh")).ok
    _matches("nav.yml", (project.generated / "nav.yml").read_text(encoding="utf-8"), update_golden)


def test_pdf_text_matches_golden(tmp_path: Path, update_golden: bool) -> None:
    result = validate(FIXTURES / "mini" / "roles", display_base=FIXTURES / "mini")
    assert result.problems == []
    write_pdfs(result.handbook, load_locale("zh"), tmp_path / "pdf", tmp_path / "cache", [PDF_ROLE], combined=False)
    reader = PdfReader(tmp_path / "pdf" / f"{PDF_ROLE}.pdf")
    text = "\n\f\n".join(page.extract_text() for page in reader.pages)
    _matches(f"pdf/{PDF_ROLE}.txt", text.rstrip() + "\n", update_golden)
