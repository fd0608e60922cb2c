"""Workbooks as an office suite leaves them: every exported workbook opened and saved by LibreOffice
(headless) still imports with zero changes; and random cell edits either land exactly or are refused
at their cell (hypothesis)."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from generator.link.pipeline import validate
from generator.office import changes
from generator.office.cells import plain
from generator.office.columns import sheets
from generator.office.xlsx_export import export
from generator.office.xlsx_import import read_workbook

from .office_data import HANDBOOKS, loaded


@pytest.fixture(scope="module")
def through_libreoffice(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Each handbook's workbook, exported, then opened and saved again as .xlsx by LibreOffice."""
    tmp = tmp_path_factory.mktemp("libreoffice")
    books = []
    for name in sorted(HANDBOOKS):
        data = loaded(name)
        books.append(export(data.hb, data.locale, tmp / "ours" / f"{name}.xlsx"))
    subprocess.run(
        ["soffice", f"-env:UserInstallation=file://{tmp / 'profile'}", "--headless", "--convert-to",
         "xlsx:Calc MS Excel 2007 XML", "--outdir", str(tmp / "saved"), *map(str, books)],
        check=True, capture_output=True, timeout=600,
    )
    return {name: tmp / "saved" / f"{name}.xlsx" for name in HANDBOOKS}


@pytest.mark.parametrize("name", sorted(HANDBOOKS))
def test_a_workbook_saved_by_libreoffice_imports_with_no_change(name: str, through_libreoffice: dict[str, Path]
                                                                ) -> None:
    data = loaded(name)
    saved = through_libreoffice[name]
    wb = load_workbook(saved, read_only=True)
    for spec in sheets(data.locale):
        assert [c.value for c in next(wb[spec.title].iter_rows(max_row=1))] == spec.headers, spec.title
    outcome = changes.import_reading(read_workbook(saved, data.hb, data.locale), data.hb, data.roles,
                                     data.problems, data.locale)
    assert outcome.problems == [] and outcome.texts == {}


_CELL = st.one_of(
    st.text(alphabet="坐席主管每日通话次数质检aA1-/ ．。，", min_size=1, max_size=12),
    st.integers(min_value=-3, max_value=120),
    st.sampled_from(["2024/1/5", "2024-02-30", "n/a", "", "是", "true", "3万"]),
)


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                 HealthCheck.too_slow])
@given(column=st.integers(min_value=0, max_value=400), row=st.integers(min_value=0, max_value=400), value=_CELL)
def test_a_mutated_cell_lands_exactly_or_is_refused_at_its_cell(tmp_path: Path, column: int, row: int,
                                                               value: str | int) -> None:
    source = loaded("mini")
    spec = next(s for s in sheets(source.locale) if s.kind == "role" and s.field is None)
    # hypothesis replays a failing case in the same tmp_path: every run gets its own folder
    work = Path(tempfile.mkdtemp(prefix="case-", dir=tmp_path))
    shutil.copytree(source.roles, work / "roles")
    data = loaded("mini", work / "roles")
    book = export(data.hb, data.locale, work / "hb.xlsx")
    wb = load_workbook(book)
    ws = wb[spec.title]
    col = 2 + column % (ws.max_column - 1)
    if ws.cell(row=1, column=col).value not in [c.label for c in spec.columns]:
        return  # a name column: export writes it, import reads nothing from it
    at = 2 + row % (ws.max_row - 1)
    ws.cell(row=at, column=col).value = value
    edited = work / "edited.xlsx"
    wb.save(edited)
    outcome = changes.import_reading(read_workbook(edited, data.hb, data.locale), data.hb, data.roles,
                                     data.problems, data.locale)
    if outcome.problems:
        assert all(p.sheet == spec.title and p.cell for p in outcome.problems), outcome.problems
        return
    changes.write(outcome)
    after = validate(data.roles, locale=data.locale, display_base=work).handbook
    again = load_workbook(export(after, data.locale, work / "again.xlsx"))[spec.title]
    assert len(outcome.texts) <= 1
    got, want = plain(again.cell(row=at, column=col).value), plain(value)
    assert got == want or (got.replace("\n", "") == want.replace(" ", "")), (got, want)
