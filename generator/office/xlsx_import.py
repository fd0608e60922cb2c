"""Read a workbook from ``handbook export xlsx`` back into changes of HR's files.

Each cell is compared with the cell export would write for the file's value now; only cells
that differ become changes, at the path of their column. An entity whose id is not on its
kind's sheet is not touched. Every mistake is a :class:`CellProblem` at its cell.
"""

from __future__ import annotations

import re
import zipfile
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from openpyxl import load_workbook

from ..i18n import Locale, available, listed, load_locale
from ..link.handbook import Handbook
from ..load.hints import nearest
from ..model.entities.base import ID_PATTERN
from . import cells
from .cells import CellError
from .columns import LISTS_SHEET, Column, SheetSpec, by_title, get, path_header

_ID = re.compile(ID_PATTERN)
Path_ = tuple[str | int, ...]


@dataclass(frozen=True)
class CellProblem:
    """One mistake in the workbook, at its cell: ``Sheet!Cell  field  what is wrong → how to fix``."""

    sheet: str
    cell: str
    field: str
    message: str
    fix: str

    def text(self) -> str:
        """The line HR reads."""
        field_part = f"  {self.field}" if self.field else ""
        where = f"{self.sheet}!{self.cell}" if self.cell else self.sheet  # a Word file has no cells
        return f"{where}{field_part}  {self.message} → {self.fix}"


def problem(locale: Locale, sheet: str, cell: str, field_name: str, code: str, /, **args: str) -> CellProblem:
    """A :class:`CellProblem` worded from the locale's ``office_*`` entry (``message|fix``)."""
    fill = dict(args)
    if "kind" in fill:
        fill["kind"] = locale.label(f"kind_{fill['kind']}")
    message, _, fix = locale.worded(code, fill).partition("|")
    return CellProblem(sheet, cell, field_name, message, fix)


@dataclass(frozen=True)
class Place:
    """The cell a value of a file came from."""

    sheet: str
    cell: str
    field: str


@dataclass
class EntityChange:
    """What the workbook changes in one entity: values at paths (None: remove), items added or removed."""

    kind: str
    id: str
    new: bool = False
    sets: list[tuple[Path_, Any, Place]] = field(default_factory=list)
    lists: list[tuple[str, list[Any] | None, Place]] = field(default_factory=list)
    """``(field, the whole list as the workbook has it, where)`` for lists whose length changed."""


@dataclass
class Reading:
    """The workbook read against the handbook: its changes and its problems."""

    changes: dict[tuple[str, str], EntityChange] = field(default_factory=dict)
    problems: list[CellProblem] = field(default_factory=list)
    places: dict[tuple[str, str], dict[Path_, Place]] = field(default_factory=lambda: defaultdict(dict))
    """Entity → the cell each path was read from (to put the validator's problems on cells)."""

    def change(self, kind: str, ident: str, new: bool = False) -> EntityChange:
        key = (kind, ident)
        if key not in self.changes:
            self.changes[key] = EntityChange(kind, ident, new)
        return self.changes[key]


@dataclass
class _Row:
    number: int
    values: dict[int, Any]
    """Column index (0-based) → value."""


class _Reader:
    def __init__(self, hb: Handbook, locale: Locale) -> None:
        self.hb = hb
        self.locale = locale
        self.out = Reading()
        self.main: dict[str, dict[str, _Row]] = defaultdict(dict)
        self.items: dict[tuple[str, str], dict[str, list[_Row]]] = {}
        self.headers: dict[str, dict[int, Column]] = {}
        self.specs: dict[str, SheetSpec] = {}

    def problem(self, sheet: str, cell: str, field_name: str, code: str, /, **args: str) -> None:
        self.out.problems.append(problem(self.locale, sheet, cell, field_name, code, **args))

    def sheet(self, ws: Any, spec: SheetSpec, merged: list[str]) -> None:
        for coord in merged:
            self.problem(ws.title, coord.split(":")[0], "", "office_merged", range=coord)
        rows = ws.iter_rows(values_only=True)
        header = next(rows, None) or ()
        known = {path_header(c): c for c in spec.columns}
        known.update({h: c for c in spec.columns for h in spec.column_headers(c)})
        keys = len(spec.key_headers)
        columns: dict[int, Column] = {}
        for i, title in enumerate(header):
            title = "" if title is None else str(title).strip()
            if i < keys or not title:
                continue
            column = known.get(title)
            if column is None:
                self.problem(ws.title, f"{_letter(i)}1", title, "office_unknown_column", column=title)
            elif title in (column.label, path_header(column)):
                columns[i] = column
        self.headers[spec.title] = columns
        self.specs[spec.title] = spec
        groups: dict[str, list[_Row]] = defaultdict(list)
        for number, values in enumerate(rows, start=2):
            row = {i: v for i, v in enumerate(values) if v is not None and not (isinstance(v, str) and not v.strip())}
            if not row:
                continue
            ident = row.get(0)
            if ident is None:
                self.problem(ws.title, f"A{number}", "id", "office_no_id")
                continue
            ident = cells.plain(ident)
            if not _ID.fullmatch(ident):
                suggestion = re.sub(r"[^a-z0-9]+", "-", ident.lower()).strip("-") or "sales-lead"
                self.problem(ws.title, f"A{number}", "id", "office_bad_id", value=ident, suggestion=suggestion)
                continue
            if spec.field is None:
                if ident in self.main[spec.kind]:
                    self.problem(ws.title, f"A{number}", "id", "office_duplicate_id", value=ident)
                    continue
                self.main[spec.kind][ident] = _Row(number, row)
            else:
                groups[ident].append(_Row(number, row))
        if spec.field is not None:
            self.items[(spec.kind, spec.field)] = groups

    def cell_value(self, sheet: str, row: _Row, i: int, column: Column, known: dict[str, set[str]]) -> Any:
        """The value of a changed cell, or raises :class:`CellError`."""
        value = cells.decode(row.values.get(i), column)
        if column.ref is not None and value is not None:
            for ident in value if isinstance(value, list) else [value]:
                target = str(ident).split("#")[0]
                if target != "n/a" and target not in known.get(column.ref, set()):
                    near = nearest(target, known.get(column.ref, set()))
                    hint = self.locale.label("office_did_you_mean").format(id=near) if near else ""
                    raise CellError("office_unknown_ref", kind=column.ref, value=target, suggestion=hint)
        return value


_MERGED = re.compile(rb'<(?:\w+:)?mergeCell\s+ref="([A-Z]+[0-9]+:[A-Z]+[0-9]+)"')


def _merged_cells(path: Path) -> dict[str, list[str]]:
    """Each worksheet part's merged ranges (``xl/worksheets/sheet3.xml`` → ``["B3:C3"]``)."""
    out: dict[str, list[str]] = {}
    with zipfile.ZipFile(path) as archive:
        for name in archive.namelist():
            if name.startswith("xl/worksheets/") and name.endswith(".xml"):
                found = _MERGED.findall(archive.read(name))
                if found:
                    out[name] = [m.decode("ascii") for m in found]
    return out


def _letter(index: int) -> str:
    from openpyxl.utils import get_column_letter
    return get_column_letter(index + 1)


def read_workbook(path: Path, hb: Handbook, locale: Locale) -> Reading:
    """What the workbook at ``path`` changes in ``hb``'s files, and every problem found in it."""
    reader = _Reader(hb, locale)
    # Read-only is twice as quick on a big workbook; it does not list merged cells, read from the XML.
    wb = load_workbook(path, data_only=True, read_only=True)
    merged = _merged_cells(path)
    # Sheets and headers in the language the workbook was exported in (`--lang`), messages in the user's.
    written = wb.properties.language
    sheet_locale = load_locale(written) if written in available() else locale
    specs = by_title(sheet_locale)
    skip = {sheet_locale.label("office_staffing"), LISTS_SHEET}
    for ws in wb.worksheets:
        if ws.title in skip:
            continue
        spec = specs.get(ws.title)
        if spec is None:
            titles = listed(list(specs)[:6]) + "…"
            reader.problem(ws.title, "A1", "", "office_unknown_sheet", sheet=ws.title, known=titles)
            continue
        reader.sheet(ws, spec, merged.get(getattr(ws, "_worksheet_path", ""), []))
    if reader.out.problems:
        return reader.out
    known = {k: set(hb.table(k)) | set(reader.main.get(k, {})) for k in hb.tables}
    for title, spec in reader.specs.items():
        if spec.field is None:
            _compare_main(reader, title, spec, known)
        else:
            _compare_items(reader, title, spec, known)
    return reader.out


def _compare_main(reader: _Reader, title: str, spec: SheetSpec, known: dict[str, set[str]]) -> None:
    table = reader.hb.table(spec.kind)
    for ident, row in reader.main[spec.kind].items():
        data = reader.hb.source_of(spec.kind, ident).data if ident in table else None
        for i, column in reader.headers[title].items():
            before = get(data, column.path) if isinstance(data, dict) else None
            if cells.plain(row.values.get(i)) == cells.plain(cells.cell(before, column)):
                continue
            place = Place(title, f"{_letter(i)}{row.number}", column.label)
            try:
                value = reader.cell_value(title, row, i, column, known)
            except CellError as err:
                reader.problem(title, place.cell, column.label, err.code, **err.args_)
                continue
            reader.out.change(spec.kind, ident, new=data is None).sets.append((column.path, value, place))
            reader.out.places[(spec.kind, ident)][column.path] = place
        if data is None:
            reader.out.change(spec.kind, ident, new=True)
            reader.out.places[(spec.kind, ident)][()] = Place(title, f"A{row.number}", "id")


def _compare_items(reader: _Reader, title: str, spec: SheetSpec, known: dict[str, set[str]]) -> None:
    assert spec.field is not None
    groups = reader.items[(spec.kind, spec.field)]
    table = reader.hb.table(spec.kind)
    main_title = next(t for t, s in reader.specs.items() if s.kind == spec.kind and s.field is None) \
        if any(s.kind == spec.kind and s.field is None for s in reader.specs.values()) else ""
    for owner, rows in groups.items():
        if owner not in reader.main[spec.kind]:
            near = nearest(owner, known.get(spec.kind, set()))
            hint = reader.locale.label("office_did_you_mean").format(id=near) if near else ""
            reader.problem(title, f"A{rows[0].number}", "", "office_unknown_owner", kind=spec.kind, value=owner,
                           sheet=main_title or spec.title.split("·")[0], suggestion=hint)
    for owner in reader.main[spec.kind]:
        rows = groups.get(owner, [])
        data = reader.hb.source_of(spec.kind, owner).data if owner in table else None
        before = get(data, (spec.field,)) if isinstance(data, dict) else None
        olds = before if isinstance(before, list) else []
        if not isinstance(before, list) and not rows:
            continue  # n/a, or nothing, and still nothing
        change_items(reader, title, spec, owner, rows, olds, before, known, data is None)


def change_items(reader: _Reader, title: str, spec: SheetSpec, owner: str, rows: list[_Row], olds: list[Any],
                 before: Any, known: dict[str, set[str]], new: bool) -> None:
    """The changes of one entity's list: cells of items on both sides, then items added or removed."""
    assert spec.field is not None
    columns = reader.headers[title]
    made: list[Any] = []
    ok = True
    # Whole items are made only when the list changes length; else only changed cells are read.
    whole = not isinstance(before, list) or len(rows) != len(olds)
    for n, row in enumerate(rows):
        old = olds[n] if n < len(olds) else None
        item: dict[str, Any] = {}
        for i, column in columns.items():
            was = get(old, column.path) if isinstance(old, dict) else None
            unchanged = cells.plain(row.values.get(i)) == cells.plain(cells.cell(was, column))
            if unchanged and not whole:
                continue
            place = Place(title, f"{_letter(i)}{row.number}", column.label)
            try:
                value = was if unchanged else reader.cell_value(title, row, i, column, known)
            except CellError as err:
                reader.problem(title, place.cell, column.label, err.code, **err.args_)
                ok = False
                continue
            path: Path_ = (spec.field, n, *column.path)
            reader.out.places[(spec.kind, owner)][path] = place
            if value is not None:
                _put(item, column.path, value)
            if n < len(olds) and isinstance(before, list) and not unchanged:
                reader.out.change(spec.kind, owner, new).sets.append((path, value, place))
        made.append(old if (isinstance(old, (str, int, float)) and not item) else item)
    if ok and (not isinstance(before, list) or len(rows) != len(olds)):
        place = Place(title, f"A{rows[0].number}" if rows else "A1", spec.field)
        reader.out.change(spec.kind, owner, new).lists.append((spec.field, made, place))


def _put(target: dict[str, Any], path: tuple[str, ...], value: Any) -> None:
    for key in path[:-1]:
        target = target.setdefault(key, {})
    target[path[-1]] = value
