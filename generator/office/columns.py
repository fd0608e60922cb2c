"""The workbook's sheets and columns, made from the kind registry and the field declarations.

Nothing here lists a field. A kind's main sheet has a row per entity: the id, then a column per
plain field (nested models such as ``headcount`` flattened to ``编制人数·现有``); a list of models
at the top of a kind (duties, KPIs, clauses, steps …) gets a sheet of its own with a row per
item. What does not flatten into a cell of its own is written in the cell as one item per line
(a list), or as YAML flow text (a mapping, a list of lists). A reference column gets a readable
name column beside it and a drop-down of the ids; a fixed choice a drop-down of its values.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from typing import Any, Literal

from pydantic import BaseModel

from ..i18n import Locale, load_locale
from ..model import registry
from ..model.declare import ANY_KIND, Scalar, Shape, shapes
from ..model.fields import declared, kind_words

Form = Literal["scalar", "ref", "lines", "yaml"]
"""How a column's cell holds its value: as it is, an id, one item per line, YAML flow text."""

#: Nested models deeper than this go into one YAML cell, not a column per field.
MAX_DEPTH = 3
#: Characters Excel refuses in a sheet's name.
_BAD_TITLE = re.compile(r"[\[\]:*?/\\]")
#: The hidden sheet holding the drop-downs' lists (inline lists are capped at 255 characters).
LISTS_SHEET = "lists"


@dataclass(frozen=True)
class Column:
    """One column of a sheet: where its value sits in the file, its header and how the cell holds it."""

    path: tuple[str, ...]
    """Keys from the entity (main sheet) or from the list item (item sheet) to the value."""
    label: str
    form: Form
    scalar: Scalar | None = None
    choices: tuple[str, ...] = ()
    ref: str | None = None
    """The kind an id names (``ref`` columns, and ``lines`` columns of ids)."""

    @property
    def named(self) -> bool:
        """True when a readable name column stands beside this one."""
        return self.ref is not None


@dataclass(frozen=True)
class SheetSpec:
    """One sheet of entities (``field`` None) or of the items of one list field of a kind."""

    kind: str
    field: str | None
    title: str
    columns: tuple[Column, ...]
    model: type[BaseModel]

    @property
    def headers(self) -> list[str]:
        """The header row: the key columns, then each column (and its name column)."""
        return [*self.key_headers, *(h for c in self.columns for h in self.column_headers(c))]

    owner: str = ""
    """What the kind is called (the item sheets' first columns name the entity a row belongs to)."""

    @property
    def key_headers(self) -> list[str]:
        """Headers of the columns that say which entity (and which item) a row is."""
        return [f"{self.owner} id", self.owner, "№"] if self.field is not None else ["id"]

    def column_headers(self, column: Column) -> list[str]:
        """The column's header, and its name column's."""
        return [column.label, f"{column.label}{NAME_SUFFIX}"] if column.named else [column.label]


#: Put after a reference column's header for the name column beside it.
NAME_SUFFIX = "·名称"


def sheet_title(text: str) -> str:
    """``text`` as Excel takes a sheet's name: at most 31 characters, none of ``[]:*?/\\``."""
    return _BAD_TITLE.sub("-", text)[:31]


def _label(model: type[BaseModel], name: str, locale: Locale) -> str:
    """The field guide's label, else its short name (every field has one: tests/test_field_words.py)."""
    return declared(model, name).called(locale.lang) or name


def _columns(model: type[BaseModel], locale: Locale, prefix: tuple[str, ...], heading: str, depth: int,
             top: bool) -> Iterator[Column | tuple[str, type[BaseModel]]]:
    """Columns of ``model``'s fields; at the top of a kind, ``(field, item model)`` for a list of models."""
    for name, shape in shapes(model).items():
        if top and name in ("kind", "id"):
            continue  # the kind is the sheet, the id the first column
        label = f"{heading}·{_label(model, name, locale)}" if heading else _label(model, name, locale)
        path = (*prefix, name)
        if top and shape.item is not None and shape.item.model is not None:
            yield name, shape.item.model
        elif shape.model is not None and depth < MAX_DEPTH:
            yield from _columns(shape.model, locale, path, label, depth + 1, False)
        else:
            yield _column(path, label, shape)


def _column(path: tuple[str, ...], label: str, shape: Shape) -> Column:
    if shape.ref is not None:
        ref = None if shape.ref.kind == ANY_KIND else shape.ref.kind
        return Column(path, label, "ref" if ref else "scalar", scalar="text", ref=ref)
    if shape.scalar is not None:
        return Column(path, label, "scalar", scalar=shape.scalar, choices=shape.choices)
    if shape.item is not None and (shape.item.scalar is not None or shape.item.ref is not None
                                   or shape.item.model is not None):
        item_ref = shape.item.ref
        ref = item_ref.kind if item_ref is not None and item_ref.kind != ANY_KIND else None
        return Column(path, label, "lines", scalar=shape.item.scalar, choices=shape.item.choices, ref=ref)
    if shape.item is None and shape.key is None and shape.model is None:
        return Column(path, label, "scalar", scalar="text")  # a union of plain values
    return Column(path, label, "yaml")


def _unique(columns: list[Column]) -> tuple[Column, ...]:
    """Columns whose headers are all different (a label two fields share gets its field path)."""
    seen: dict[str, int] = {}
    for c in columns:
        seen[c.label] = seen.get(c.label, 0) + 1
    out = []
    for c in columns:
        if seen[c.label] > 1:
            c = Column(c.path, f"{c.label} ({'.'.join(c.path)})", c.form, c.scalar, c.choices, c.ref)
        out.append(c)
    return tuple(out)


def sheets(locale: Locale) -> tuple[SheetSpec, ...]:
    """Every entity sheet of the workbook, kind by kind in registry order, each kind's item sheets after it."""
    return _sheets(locale.lang)


@cache
def _sheets(lang: str) -> tuple[SheetSpec, ...]:
    locale = load_locale(lang)
    out: list[SheetSpec] = []
    for kind in registry.KINDS.values():
        name = kind_words(kind.model, locale.lang).get("name") or kind.name
        plural = name[:1].upper() + name[1:]  # a sheet holds them all; the singular is the shorter name
        main: list[Column] = []
        items: list[SheetSpec] = []
        for found in _columns(kind.model, locale, (), "", 0, True):
            if isinstance(found, Column):
                main.append(found)
                continue
            name, model = found
            columns = [c for c in _columns(model, locale, (), "", 1, False) if isinstance(c, Column)]
            title = sheet_title(f"{plural}·{_label(kind.model, name, locale)}")
            items.append(SheetSpec(kind.name, name, title, _unique(columns), model, plural))
        out.append(SheetSpec(kind.name, None, sheet_title(plural), _unique(main), kind.model))
        out.extend(items)
    return tuple(out)


def by_title(locale: Locale) -> dict[str, SheetSpec]:
    """The sheets by their title; an item sheet also by ``<kind>·<field>``, the YAML key after the kind,
    as workbooks exported before the field had a word of its own named it."""
    specs = sheets(locale)
    found = {s.title: s for s in specs}
    for spec in specs:
        if spec.field is not None:
            found.setdefault(sheet_title(f"{spec.owner}·{spec.field}"), spec)
    return found


def path_header(column: Column) -> str:
    """A column's YAML path (``weight``, ``ratio.per``): a header the import also takes, as workbooks
    exported before the field had a word of its own were headed."""
    return ".".join(column.path)


def get(data: Any, path: tuple[str | int, ...]) -> Any:
    """The value at ``path`` of plain data, or None when a step is missing or not a mapping/list."""
    for key in path:
        if isinstance(data, dict) and isinstance(key, str):
            data = data.get(key)
        elif isinstance(data, list) and isinstance(key, int) and 0 <= key < len(data):
            data = data[key]
        else:
            return None
    return data
