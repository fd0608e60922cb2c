"""Completeness made visible (#14, item 7): ``n/a`` sections, 待补充, the completeness page,
``handbook validate --completeness`` and editorial notes that never publish.

The expected gaps are read off the role pages themselves (every section showing 待补充), so the
report is checked against what a reader sees, for every role of the sample.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from generator.cli import main
from generator.i18n import load_locale
from generator.link import completeness
from generator.link.pipeline import validate
from generator.model import paths
from generator.pdf.render import PdfRenderer
from generator.render.pages import Renderer

from .conftest import REPO
from .test_views import seen

ZH = load_locale("zh")
TODO = f'<span class="todo">{ZH.label("todo")}</span>'
NA = f'<span class="na">{ZH.label("not_applicable")}</span>'


def _shown_gaps(page: str, marker: str) -> set[str]:
    """Labels of the sections and facts of a role page that show ``marker`` (待补充 or 不适用)."""
    found = set()
    heading = ""
    for line in page.splitlines():
        if line.startswith("## "):
            heading = re.sub(r"\s*\{#.*\}$", "", line[3:]).strip()
        elif m := re.match(r"- \*\*(.+?)\*\*", line):
            if marker in line:
                found.add(m.group(1))
        elif line.strip() == marker:
            found.add(heading)
    return found


def _labels(sections: tuple[str, ...]) -> set[str]:
    return {completeness.label(s, ZH) for s in sections}


#: The sections a role page shows without a 待补充 of its own: approval is the PDF's signature block.
_UNSHOWN = {completeness.label("approval", ZH)}


def test_every_gap_the_report_names_is_a_todo_on_the_role_page_and_back() -> None:
    hb = validate(REPO / "roles", display_base=REPO).handbook
    rendered = Renderer(hb, ZH).pages()
    wanted = _labels(tuple(completeness.ROLE_SECTIONS))
    checked = 0
    for rid in hb.roles:
        shown = _shown_gaps(rendered[paths.page("role", rid)], TODO) & wanted
        reported = _labels(completeness.role_gaps(hb, rid).missing)
        assert shown == reported - _UNSHOWN, rid
        checked += bool(shown)
    assert checked > len(hb.roles) // 2, "most sample roles still lack sections"


@pytest.fixture(scope="module")
def marked(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the sample where one role writes ``kpis: n/a`` and lists career as not applying."""
    root = tmp_path_factory.mktemp("na")
    shutil.copytree(REPO / "roles", root / "roles")
    role = root / "roles" / "finance-officer.yaml"
    found = next((root / "roles").rglob("finance-officer.yaml"))
    text = found.read_text(encoding="utf-8").rstrip("\n")
    found.write_text(
        text + "\nkpis: n/a\nnot_applicable: [career]\neditor_note: 编辑备注不应发布XYZ\n", encoding="utf-8"
    )
    assert not role.exists()
    return root


def test_na_sections_say_so_on_the_page_and_in_the_pdf_and_are_not_gaps(marked: Path) -> None:
    result = validate(marked / "roles", display_base=marked)
    assert result.problems == []
    hb = result.handbook
    role = hb.roles["finance-officer"]
    assert set(role.not_applicable) == {"kpis", "career"} and not role.kpis
    page = Renderer(hb, ZH).pages()[paths.page("role", "finance-officer")]
    assert _shown_gaps(page, NA) == _labels(("kpis", "career"))
    assert not _shown_gaps(page, TODO) & _labels(("kpis", "career"))
    gaps = completeness.role_gaps(hb, "finance-officer")
    assert gaps.not_applicable == ("kpis", "career") and not {"kpis", "career"} & set(gaps.missing)
    pdf = seen(PdfRenderer(hb, ZH).role_html("finance-officer"))
    kpi_title, career_title = ZH.label("kpi_table"), ZH.label("career")
    assert f"{kpi_title}{ZH.label('not_applicable')}" in pdf and f"{career_title}{ZH.label('not_applicable')}" in pdf


def test_editor_notes_never_publish_and_are_listed_for_hr(marked: Path) -> None:
    hb = validate(marked / "roles", display_base=marked).handbook
    rendered = Renderer(hb, ZH).pages()
    note = "编辑备注不应发布XYZ"
    holding = [page for page, text in rendered.items() if note in text]
    assert holding == [paths.COMPLETENESS]
    assert note not in seen(PdfRenderer(hb, ZH).role_html("finance-officer"))
    sample_notes = [n.note for n in completeness.editor_notes(hb)]
    assert note in sample_notes and len(sample_notes) > 5, "the sample's 原文未… notes moved to editor_note"
    assert not any("原文未" in text for page, text in rendered.items() if page != paths.COMPLETENESS)


def test_validate_completeness_lists_each_role_with_what_it_lacks(
    marked: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    (marked / "mkdocs.yml").write_text("site_name: x\n", encoding="utf-8")
    monkeypatch.chdir(marked)
    assert main(["validate", "--completeness"]) == 0
    out = capsys.readouterr().out
    hb = validate(marked / "roles", display_base=marked).handbook
    sep = ZH.label("list_sep")
    for rid in hb.roles:
        gaps = completeness.role_gaps(hb, rid)
        rel = hb.source_of("role", rid).rel
        lead = f"{rel}  {hb.roles[rid].title}{ZH.label('colon')}"
        line = next((ln for ln in out.splitlines() if ln.strip().startswith(lead)), None)
        if not gaps.missing:
            assert line is None, rid
            continue
        assert line is not None, rid
        listed = line.strip().removeprefix(lead).split(sep)
        assert listed == [completeness.label(s, ZH) for s in gaps.missing], rid
    assert "编辑备注不应发布XYZ" in out
