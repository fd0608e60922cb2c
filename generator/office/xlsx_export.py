"""``handbook export xlsx``: the whole handbook as one workbook HR can edit and import again.

Rows are HR's files as written (the values of the YAML, not the model's defaults), so that the
import can tell what HR changed from what was there. Drop-downs read hidden list sheets, since
Excel caps an inline list at 255 characters.
"""

from __future__ import annotations

import datetime as dt
import io
import unicodedata
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet

from ..i18n import Locale
from ..link.handbook import Handbook
from ..model import registry
from . import cells
from .columns import LISTS_SHEET, Column, SheetSpec, get, sheets
from .staffing import write_staffing

#: Empty rows below the data that still get the drop-downs, for new entries.
SPARE_ROWS = 200
#: Widest a column is made, in character widths (longer text wraps).
MAX_WIDTH = 48
_HEADER_FILL = PatternFill("solid", fgColor="DDE6F0")


def width_of(text: str) -> int:
    """Display width of the longest line of ``text``: a Chinese character is two columns wide."""
    return max((sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in line)
                for line in text.split("\n")), default=0)


def entity_rows(hb: Handbook, kind: str) -> list[tuple[str, Any]]:
    """``(id, the file's data)`` of every entity of ``kind``, in the order of their files."""
    found = [(hb.source_of(kind, ident), ident) for ident in hb.table(kind)]
    return [(ident, source.data) for source, ident in sorted(found, key=lambda p: p[0].rel)]


def names(hb: Handbook) -> dict[str, dict[str, str]]:
    """Kind → id → what a reader calls it."""
    return {k: {i: registry.display_name(e) for i, e in hb.table(k).items()} for k in registry.KINDS}


def spec_rows(spec: SheetSpec, hb: Handbook, known: dict[str, dict[str, str]]) -> list[list[Any]]:
    """The rows of one sheet, as export writes them (also what import compares with)."""
    rows: list[list[Any]] = []
    for ident, data in entity_rows(hb, spec.kind):
        if spec.field is None:
            rows.append([ident, *_cells(spec.columns, data, known)])
            continue
        items = get(data, (spec.field,))
        if not isinstance(items, list):
            continue
        title = known[spec.kind].get(ident, "")
        for n, item in enumerate(items, start=1):
            rows.append([ident, title, n, *_cells(spec.columns, item, known)])
    return rows


def _cells(columns: Iterable[Column], data: Any, known: dict[str, dict[str, str]]) -> list[Any]:
    out: list[Any] = []
    for column in columns:
        value = get(data, column.path) if isinstance(data, dict) else None
        out.append(cells.cell(value, column))
        if column.named:
            out.append(_name(value, column, known))
    return out


def _name(value: Any, column: Column, known: dict[str, dict[str, str]]) -> str | None:
    table = known.get(column.ref or "", {})
    if isinstance(value, str):
        return table.get(value.split("#")[0])
    if isinstance(value, list):
        return "\n".join(table.get(str(v).split("#")[0], "") for v in value)
    return None


class _Lists:
    """The hidden sheet of drop-down values: one column per list, each written once."""

    def __init__(self, sheet: Worksheet) -> None:
        self.sheet = sheet
        self.ranges: dict[tuple[str, ...], str] = {}

    def range(self, values: tuple[str, ...]) -> str | None:
        if not values:
            return None
        if values not in self.ranges:
            col = get_column_letter(len(self.ranges) + 1)
            for row, value in enumerate(values, start=1):
                self.sheet.cell(row=row, column=len(self.ranges) + 1, value=value)
            self.ranges[values] = f"{quote_sheetname(LISTS_SHEET)}!${col}$1:${col}${len(values)}"
        return self.ranges[values]


def _validations(ws: Worksheet, spec: SheetSpec, lists: _Lists, ids: dict[str, tuple[str, ...]], last: int) -> None:
    col = len(spec.key_headers) + 1
    for column in spec.columns:
        values: tuple[str, ...] = ()
        if column.form == "ref":
            values = ids.get(column.ref or "", ())
        elif column.form == "scalar" and column.scalar == "choice":
            values = column.choices
        elif column.form == "scalar" and column.scalar == "bool":
            values = ("true", "false")
        source = lists.range(values)
        if source is not None:
            letter = get_column_letter(col)
            dv = DataValidation(type="list", formula1=f"={source}", allow_blank=True, showErrorMessage=False)
            dv.add(f"{letter}2:{letter}{last}")
            ws.add_data_validation(dv)
        col += 2 if column.named else 1


def _sheet(wb: Workbook, spec: SheetSpec, rows: list[list[Any]]) -> Worksheet:
    ws: Worksheet = wb.create_sheet(spec.title)
    headers = spec.headers
    ws.append(headers)
    widths = [width_of(h) for h in headers]
    for row in rows:
        ws.append(row)
        for i, value in enumerate(row):
            if isinstance(value, str) and widths[i] < MAX_WIDTH:
                widths[i] = max(widths[i], width_of(value))
    bold = Font(bold=True)
    for i, head in enumerate(ws[1], start=1):
        head.font = bold
        head.fill = _HEADER_FILL
        ws.column_dimensions[get_column_letter(i)].width = min(max(widths[i - 1], 4), MAX_WIDTH) + 2
    wrap = Alignment(wrap_text=True, vertical="top")
    for row_cells in ws.iter_rows(min_row=2):
        for c in row_cells:
            if isinstance(c.value, str) and ("\n" in c.value or width_of(c.value) > MAX_WIDTH):
                c.alignment = wrap
            elif isinstance(c.value, (dt.date, dt.datetime)):
                c.number_format = "yyyy-mm-dd"
    ws.freeze_panes = f"{get_column_letter(len(spec.key_headers) + 1)}2"
    print_setup(ws)
    return ws


def print_setup(ws: Worksheet) -> None:
    """Printed landscape, a page wide, the header row on every page (HR prints the staffing table)."""
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.print_title_rows = "1:1"


def workbook(hb: Handbook, locale: Locale, *, template: bool = False) -> Workbook:
    """The workbook of ``hb`` (with ``template``, every sheet's headers and drop-downs but no rows)."""
    wb = Workbook()
    if wb.active is not None:
        wb.remove(wb.active)
    wb.properties.language = locale.lang
    known = names(hb)
    ids = {k: tuple(sorted(table)) for k, table in known.items()}
    staffing = wb.create_sheet(locale.label("office_staffing"))
    write_staffing(staffing, hb, locale, empty=template)
    print_setup(staffing)
    made: list[tuple[Worksheet, SheetSpec, int]] = []
    for spec in sheets(locale):
        rows = [] if template else spec_rows(spec, hb, known)
        made.append((_sheet(wb, spec, rows), spec, len(rows) + 1 + SPARE_ROWS))
    lists_sheet = wb.create_sheet(LISTS_SHEET)
    lists_sheet.sheet_state = "hidden"
    lists = _Lists(lists_sheet)
    for ws, spec, last in made:
        _validations(ws, spec, lists, ids, last)
    return wb


def export(hb: Handbook, locale: Locale, out: Path, *, template: bool = False) -> Path:
    """Write the workbook to ``out`` (whole, or not at all)."""
    buffer = io.BytesIO()
    workbook(hb, locale, template=template).save(buffer)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(f".{out.name}.tmp")
    tmp.write_bytes(buffer.getvalue())
    tmp.replace(out)
    return out
