"""``handbook export docx``: every fact of each role's view is in its Word file, read back through
LibreOffice's PDF, and nothing lies outside the A4 margins; for every role of every handbook."""

from __future__ import annotations

import html
import re
import subprocess
from pathlib import Path

import pdfplumber
import pytest

from generator.office.docx_export import MARGIN, export_docx
from generator.project import Project
from generator.render.views import pdf_name, role_view, texts
from generator.render.writer import Writer

from .conftest import REPO, pdf_texts
from .office_data import HANDBOOKS, loaded

#: Points per millimetre; python-docx lengths are in EMU (914400 per inch).
PT = 72 / 914400


def seen(markup: str) -> str:
    return re.sub(r"\s+", "", html.unescape(re.sub(r"<[^>]+>", "", markup)))


def to_pdf(files: list[Path], out: Path, profile: Path) -> None:
    """LibreOffice headless, once for all files (its own profile, so parallel runs do not collide)."""
    subprocess.run(
        ["soffice", f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "pdf",
         "--outdir", str(out), *map(str, files)],
        check=True, capture_output=True, timeout=600,
    )


def raw_text(pdf: Path) -> str:
    """The PDF's text in content order (a table cell's lines together, wherever a cell wraps)."""
    done = subprocess.run(["pdftotext", "-q", "-raw", "-enc", "UTF-8", str(pdf), "-"], capture_output=True, check=True)
    return done.stdout.decode("utf-8")


@pytest.fixture(scope="module", params=sorted(HANDBOOKS))
def converted(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> tuple[str, Path]:
    name = request.param
    data = loaded(name)
    tmp = tmp_path_factory.mktemp(f"docx-{name}")
    files = export_docx(data.hb, data.locale, Project(REPO), [], tmp / "docx")
    to_pdf(files, tmp / "pdf", tmp / "profile")
    return name, tmp / "pdf"


def test_every_fact_of_the_view_is_in_the_document(converted: tuple[str, Path]) -> None:
    name, folder = converted
    data = loaded(name)
    writer = Writer(data.hb, data.locale, output="html")
    cases = [(r, v) for r, role in data.hb.roles.items() for v in (None, *(x.id for x in role.variants))]
    for role_id, variant in cases:
        shown = re.sub(r"\s+", "", raw_text(folder / pdf_name(role_id, variant)))
        view = role_view(data.hb, data.locale, role_id, variant)
        missing = [(where, text) for where, text in texts(view) if seen(str(writer.text(text))) not in shown]
        assert not missing, (role_id, missing[:5])
        assert seen(view.company) in shown and seen(view.title) in shown


def test_nothing_lies_outside_the_margins(converted: tuple[str, Path]) -> None:
    _, folder = converted
    margin = MARGIN * PT
    for pdf in sorted(folder.glob("*.pdf")):
        with pdfplumber.open(pdf) as doc:
            for page in doc.pages:
                assert abs(page.width - 595.3) < 1 and abs(page.height - 841.9) < 1, pdf.name  # A4
                for box in [*page.chars, *page.rects, *page.lines]:
                    assert box["x0"] >= margin - 1.5 and box["x1"] <= page.width - margin + 1.5, (pdf.name, box)
                    assert box["top"] >= 0 and box["bottom"] <= page.height, (pdf.name, box)


def test_page_numbers_and_the_approval_block(converted: tuple[str, Path]) -> None:
    name, folder = converted
    data = loaded(name)
    hashes = {pdf_name(r, v): role_view(data.hb, data.locale, r, v).content_hash
              for r, role in data.hb.roles.items() for v in (None, *(x.id for x in role.variants))}
    for pdf in sorted(folder.glob("*.pdf"))[:5]:
        with pdfplumber.open(pdf) as doc:
            for n, page in enumerate(doc.pages, start=1):
                foot = [w["text"] for w in page.extract_words() if w["top"] > page.height - MARGIN * PT]
                # The page number, then the same content hash the role's PDF carries (handbook verify).
                assert foot[0] == str(n) and hashes[pdf.name] in "".join(foot), (pdf.name, n, foot)
        whole = "".join(pdf_texts(pdf))
        for key in ("jd_prepared", "jd_reviewed", "jd_approved", "pdf_signature"):
            assert data.locale.label(key) in whole
