"""The 人员配置表 sheet: 编制 / 现有 / 空缺 per role and per unit, with the company's total.

Every number comes from ``link/headcount.py`` (ratios applied, units summed with what is below
them), as on the site's role index; the sheet is for reading and printing, import skips it.
"""

from __future__ import annotations

from collections.abc import Iterator

from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from ..i18n import Locale
from ..link.handbook import Handbook
from ..link.headcount import company_totals, role_headcount, unit_totals

Row = tuple[str, str, str, str, int | None, int | None, int | None]


def _units(hb: Handbook) -> Iterator[tuple[str, int]]:
    """Unit ids in tree order, with their depth."""
    stack = [(u, 0) for u in reversed(hb.root_units())]
    while stack:
        unit, depth = stack.pop()
        yield unit, depth
        stack.extend((c, depth + 1) for c in reversed(hb.unit_children.get(unit, [])))


def staffing_rows(hb: Handbook) -> list[Row]:
    """Unit rows (totals of the unit and below), each followed by its own roles' rows; the total last."""
    rows: list[Row] = []
    for unit_id, depth in _units(hb):
        total = unit_totals(hb, unit_id)
        name = "　" * depth + hb.units[unit_id].name
        rows.append((unit_id, name, "", "", total.planned, total.current, total.vacant))
        for role_id in hb.unit_roles.get(unit_id, []):
            current, planned = role_headcount(hb, role_id)
            plan = planned if planned is not None else current
            vacant = plan - current if plan is not None and current is not None and plan > current else None
            rows.append((unit_id, "", role_id, hb.roles[role_id].title, plan, current, vacant))
    company = company_totals(hb)
    rows.append(("", "", "", "", company.planned, company.current, company.vacant))
    return rows


def write_staffing(ws: Worksheet, hb: Handbook, locale: Locale, *, empty: bool = False) -> None:
    """Fill ``ws`` with the staffing table (headers only when ``empty``)."""
    headers = [locale.label(k) for k in ("office_unit_id", "office_unit", "office_role_id", "office_role",
                                         "roles_index_planned", "roles_index_current", "roles_index_vacant")]
    ws.append(headers)
    bold = Font(bold=True)
    for c in ws[1]:
        c.font = bold
    rows = [] if empty else staffing_rows(hb)
    for row in rows:
        if not row[0]:
            row = (locale.label("headcount_total"), *row[1:])
        ws.append(list(row))
        if not row[2]:
            for c in ws[ws.max_row]:
                c.font = bold
    for i, width in enumerate((18, 24, 26, 24, 8, 8, 8), start=1):
        ws.column_dimensions[get_column_letter(i)].width = width
    ws.freeze_panes = "A2"
