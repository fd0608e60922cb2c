"""What each field means and how it is shown, in one table (``fields.yaml``).

A field's entry holds its zh and en help, an example, its label, and how the outputs treat it
(layout, what an empty value shows, whether completeness counts it, whether a variant may
give its own); a kind's entry lays its page out in sections. The JSON Schema, the editing
guide, the scaffold comments, the page and PDF sections, completeness and variants are all
made from this table and the models' types (``declare.py``); nothing keeps a list of its own.
Keys are ``Model.field``, or a plain ``field`` that covers every model without an entry of its own.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel

from .script import traditional

#: The one table of field meanings.
FIELDS_FILE = Path(__file__).parent / "fields.yaml"

Empty = Literal["todo", "none", "skip"]
"""What a page shows for an empty field: 待补充 (or 不适用), 无, or nothing at all."""
VariantMode = Literal["replace", "add", "merge"]
"""How a role's variant may give the field: its own value in place of the role's, items after the role's, or (a nested
model) each of its own fields by that field's mode."""

#: A field name in a section that starts with this is computed for the page, not typed in YAML.
COMPUTED = "="


@dataclass(frozen=True)
class FieldHelp:
    """What one field means, in both languages, and an example value."""

    zh: str
    en: str
    example: Any = None
    example_en: Any = None
    """The example an English handbook would write, where ``example`` holds Chinese."""

    def text(self, lang: str) -> str:
        """The help in ``lang``: zh, zh-Hant (converted from zh), else English."""
        return in_lang(self.zh, self.en, lang)

    def example_in(self, lang: str) -> Any:
        """The example for a handbook in ``lang``: the English one in English (else the only one),
        the Chinese one in Traditional script for zh-Hant."""
        if lang == "en" and self.example_en is not None:
            return self.example_en
        return _traditional_values(self.example) if lang == "zh-Hant" else self.example


def _traditional_values(value: Any) -> Any:
    if isinstance(value, str):
        return traditional(value)
    if isinstance(value, list):
        return [_traditional_values(v) for v in value]
    if isinstance(value, dict):
        return {k: _traditional_values(v) for k, v in value.items()}
    return value


@dataclass(frozen=True)
class FieldDecl:
    """Everything the table declares about one field of one model."""

    name: str
    help: FieldHelp
    label: dict[str, str]
    short: dict[str, str]
    """What editors call a field that pages show under no label of their own (a form's label, a
    workbook's column): ``short: {zh, en}`` in the table."""
    """The label in zh and en (zh-Hant is converted); empty when the table gives none."""
    layout: str | None = None
    empty: Empty = "skip"
    complete: bool = False
    variant: VariantMode | None = None
    format: str | None = None
    filled_by: tuple[str, ...] = ()
    """Computed facts of the field's section that, when there, stand in for it (see fields.yaml)."""
    needs: tuple[str, ...] = ()
    """Fields of the same object without which this one says nothing (an event needs a lead time)."""

    def label_in(self, lang: str) -> str:
        """The label in ``lang`` (the field's name when the table gives none)."""
        return in_lang(self.label.get("zh", ""), self.label.get("en", ""), lang) or self.name

    def called(self, lang: str) -> str:
        """What the field is called in ``lang`` where an editor meets it: its page label, else its
        short name; empty when the table gives neither (tests/test_fields.py says every field has one)."""
        words = self.label or self.short
        return in_lang(words.get("zh", ""), words.get("en", ""), lang)


@dataclass(frozen=True)
class Section:
    """One section of a kind's page: its anchor, the locale key of its heading, its fields in order."""

    id: str
    label: str
    fields: tuple[str, ...]


def in_lang(zh: str, en: str, lang: str) -> str:
    """The Chinese or English of a pair for ``lang``; zh-Hant is the Chinese in Traditional script."""
    if lang == "zh":
        return zh
    if lang == "zh-Hant":
        return traditional(zh) if zh else en
    return en or zh


@cache
def table() -> dict[str, dict[str, Any]]:
    """The table as read: entry key → its mapping."""
    data = yaml.load(FIELDS_FILE.read_text(encoding="utf-8"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    return {str(k): v for k, v in data.items()}


def is_model_entry(key: str) -> bool:
    """True for a kind's or model's own entry (``Role``), as opposed to a field's (``title``, ``Role.unit``)."""
    return key[:1].isupper() and "." not in key


def entry_key(model: type[BaseModel], name: str) -> str | None:
    """The table key that describes ``model.name``: the most specific ``Class.name`` in the MRO, else ``name``."""
    rows = table()
    found = None
    # A model made from another's fields (a role's variant) reads that model's entries after its own.
    like = getattr(model, "fields_like", None)
    for klass in (*reversed(like.__mro__ if like else ()), *reversed(model.__mro__)):
        key = f"{klass.__name__}.{name}"
        if key in rows:
            found = key
    if found is None and name in rows:
        found = name
    return found


@cache
def declared(model: type[BaseModel], name: str) -> FieldDecl:
    """What the table declares about ``model.name`` (a field with no entry: empty help, see tests/test_fields.py)."""
    key = entry_key(model, name)
    entry = table()[key] if key else {}
    label = entry.get("label")
    short = entry.get("short")
    empty = entry.get("empty", "todo" if entry.get("complete") else "skip")
    return FieldDecl(
        name=name,
        help=FieldHelp(zh=str(entry.get("zh", "")), en=str(entry.get("en", "")), example=entry.get("example"),
                       example_en=entry.get("example_en")),
        label={str(k): str(v) for k, v in label.items()} if isinstance(label, dict) else {},
        short={str(k): str(v) for k, v in short.items()} if isinstance(short, dict) else {},
        layout=entry.get("layout"),
        empty=empty,
        complete=bool(entry.get("complete", False)),
        variant=entry.get("variant"),
        format=entry.get("format"),
        filled_by=tuple(str(f) for f in entry.get("filled_by", [])),
        needs=tuple(str(f) for f in entry.get("needs", [])),
    )


def field_help(model: type[BaseModel], name: str) -> FieldHelp:
    """Help for ``model.name``; a field with no entry gets empty help (tests/test_fields.py forbids it)."""
    return declared(model, name).help


def _model_entry(model: type[BaseModel]) -> dict[str, Any]:
    entry = table().get(model.__name__, {})
    return entry if isinstance(entry, dict) else {}


@cache
def sections(model: type[BaseModel]) -> tuple[Section, ...]:
    """The sections of ``model``'s page, in order; none when the table lays it out in no sections."""
    return tuple(
        Section(str(s["id"]), str(s["label"]), tuple(str(f) for f in s["fields"]))
        for s in _model_entry(model).get("sections", [])
    )


def kind_words(model: type[BaseModel], lang: str) -> dict[str, str]:
    """A kind's name and plural in ``lang`` (``name`` / ``plural`` of its model's entry), as given."""
    entry = _model_entry(model)
    out = {}
    for key in ("name", "plural"):
        words = entry.get(key)
        if isinstance(words, dict):
            out[key] = in_lang(str(words.get("zh", "")), str(words.get("en", "")), lang)
    return out


def hidden(model: type[BaseModel]) -> frozenset[str]:
    """Fields of ``model`` its page never shows (identity, bookkeeping, notes for HR)."""
    return frozenset(str(f) for f in _model_entry(model).get("hidden", []))


def section_of(model: type[BaseModel]) -> dict[str, str]:
    """Field name → the anchor of the section that shows it, for ``model``'s typed fields."""
    return {name: s.id for s in sections(model) for name in s.fields if not name.startswith(COMPUTED)}


def labels(lang: str) -> dict[str, str]:
    """Page labels of the plain entries, keyed by field name (``reports_to`` → 直接上级), for the locale.

    A ``Model.field`` entry's label is read per model (:func:`declared`), never by bare name: two
    models may label one name differently, and a bare name may be a locale word of its own.
    """
    out: dict[str, str] = {}
    for key, entry in table().items():
        label = entry.get("label")
        if "." not in key and not is_model_entry(key) and isinstance(label, dict):
            text = in_lang(str(label.get("zh", "")), str(label.get("en", "")), lang)
            if text:
                out[key] = text
    return out
