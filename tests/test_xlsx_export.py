"""``handbook export xlsx``: a sheet per kind and list field, from the declarations, for every handbook."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from generator.link.headcount import company_totals
from generator.model import registry
from generator.model.fields import declared
from generator.office.cells import plain
from generator.office.columns import LISTS_SHEET, sheets
from generator.office.xlsx_export import export, width_of

from .office_data import HANDBOOKS, loaded


@pytest.fixture(scope="module", params=sorted(HANDBOOKS))
def exported(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> tuple[str, Path]:
    name = request.param
    data = loaded(name)
    out = export(data.hb, data.locale, tmp_path_factory.mktemp(name) / "handbook.xlsx")
    return name, out


def test_every_kind_has_its_sheet_with_every_entity_by_id(exported: tuple[str, Path]) -> None:
    name, path = exported
    data = loaded(name)
    wb = load_workbook(path)
    for spec in sheets(data.locale):
        ws = wb[spec.title]
        assert [c.value for c in ws[1]] == spec.headers
        if spec.field is None:
            ids = [r[0] for r in ws.iter_rows(min_row=2, values_only=True) if r[0]]
            assert sorted(map(str, ids)) == sorted(data.hb.table(spec.kind)), spec.title
            assert ws.freeze_panes == "B2"
        else:
            want = sum(len(getattr(e, spec.field) or []) if isinstance(getattr(e, spec.field), list) else 0
                       for e in data.hb.table(spec.kind).values())
            rows = [r for r in ws.iter_rows(min_row=2, values_only=True) if r[0]]
            assert len(rows) == want, spec.title
    assert wb[LISTS_SHEET].sheet_state == "hidden"


def test_headers_are_the_field_guides_labels_in_the_handbooks_language(exported: tuple[str, Path]) -> None:
    name, path = exported
    data = loaded(name)
    role_sheet = next(s for s in sheets(data.locale) if s.kind == "role" and s.field is None)
    headers = [c.value for c in load_workbook(path)[role_sheet.title][1]]
    for field in ("unit", "reports_to", "summary"):
        assert declared(registry.kind("role").model, field).label_in(data.locale.lang) in headers


def test_every_reference_and_choice_has_a_drop_down_from_the_hidden_lists(exported: tuple[str, Path]) -> None:
    name, path = exported
    data = loaded(name)
    wb = load_workbook(path)
    for spec in sheets(data.locale):
        ws = wb[spec.title]
        validated = {str(r).split(":")[0].rstrip("0123456789") for dv in ws.data_validations.dataValidation
                     for r in dv.sqref.ranges}
        col = len(spec.key_headers)
        for column in spec.columns:
            col += 1
            letter = get_column_letter(col)
            wants = (column.form == "ref" and data.hb.table(column.ref or "")) or (column.form == "scalar" and column.scalar == "choice")
            if wants:
                assert letter in validated, (spec.title, column.label)
            if column.named:
                col += 1
                names = [r[0] for r in ws.iter_rows(min_row=2, min_col=col, max_col=col, values_only=True)]
                ids = [r[0] for r in ws.iter_rows(min_row=2, min_col=col - 1, max_col=col - 1, values_only=True)]
                for ident, shown in zip(ids, names, strict=True):
                    if isinstance(ident, str) and "\n" not in ident and ident in data.hb.table(column.ref or ""):
                        assert shown == registry.display_name(data.hb.table(column.ref or "")[ident])
        for dv in ws.data_validations.dataValidation:
            assert dv.formula1.startswith(f"='{LISTS_SHEET}'!")


def test_staffing_sheet_totals_come_from_the_headcount_module(exported: tuple[str, Path]) -> None:
    name, path = exported
    data = loaded(name)
    ws = load_workbook(path)[data.locale.label("office_staffing")]
    last = [c.value for c in ws[ws.max_row]]
    total = company_totals(data.hb)
    assert last[0] == data.locale.label("headcount_total")
    assert last[4:7] == [total.planned, total.current, total.vacant]
    roles = {r[2] for r in ws.iter_rows(min_row=2, values_only=True) if r[2]}
    assert roles == set(data.hb.roles)


def test_widths_fit_chinese_text(exported: tuple[str, Path]) -> None:
    name, path = exported
    ws = load_workbook(path)[sheets(loaded(name).locale)[0].title]
    for col in ws.iter_cols(min_row=1, max_row=min(ws.max_row, 30)):
        width = ws.column_dimensions[get_column_letter(col[0].column or 1)].width
        longest = max(width_of(plain(c.value)) for c in col if c.value is not None)
        assert width >= min(longest, 48), col[0].value
    assert width_of("岗位职责") == 8


def test_no_word_of_one_company_in_anothers_workbook(exported: tuple[str, Path]) -> None:
    name, path = exported
    text = "\n".join(str(v) for ws in load_workbook(path) for row in ws.iter_rows(values_only=True)
                     for v in row if v is not None)
    for other in HANDBOOKS:
        if other != name and other != "group" and name != "group":
            for entity in list(loaded(other).hb.units.values())[:3]:
                if entity.name not in [u.name for u in loaded(name).hb.units.values()]:
                    assert entity.name not in text, (other, entity.name)


def test_template_has_headers_and_drop_downs_but_no_rows(tmp_path: Path) -> None:
    data = loaded("sample")
    wb = load_workbook(export(data.hb, data.locale, tmp_path / "t.xlsx", template=True))
    for spec in sheets(data.locale):
        ws = wb[spec.title]
        assert ws.max_row == 1 and [c.value for c in ws[1]] == spec.headers
    assert any(ws.data_validations.dataValidation for ws in wb)
