"""What each field means, in one table (``fields.yaml``): zh and en help, an example, and its page label.

The JSON Schema, the editing guide, the scaffold comments and the labels pages and PDFs show
for a field are all made from this table; the models carry no second copy. Keys are
``Model.field``, or a plain ``field`` that covers every model without an entry of its own.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel

from .script import traditional

#: The one table of field meanings.
FIELDS_FILE = Path(__file__).parent / "fields.yaml"


@dataclass(frozen=True)
class FieldHelp:
    """What one field means, in both languages, and an example value."""

    zh: str
    en: str
    example: Any = None

    def text(self, lang: str) -> str:
        """The help in ``lang``: zh, zh-Hant (converted from zh), else English."""
        return in_lang(self.zh, self.en, lang)


def in_lang(zh: str, en: str, lang: str) -> str:
    """The Chinese or English of a pair for ``lang``; zh-Hant is the Chinese in Traditional script."""
    if lang == "zh":
        return zh
    if lang == "zh-Hant":
        return traditional(zh) if zh else en
    return en or zh


@cache
def table() -> dict[str, dict[str, Any]]:
    """The table as read: entry key → ``{zh, en, example, label}``."""
    data = yaml.load(FIELDS_FILE.read_text(encoding="utf-8"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    return {str(k): v for k, v in data.items()}


def entry_key(model: type[BaseModel], name: str) -> str | None:
    """The table key that describes ``model.name``: the most specific ``Class.name`` in the MRO, else ``name``."""
    rows = table()
    found = None
    for klass in reversed(model.__mro__):
        key = f"{klass.__name__}.{name}"
        if key in rows:
            found = key
    if found is None and name in rows:
        found = name
    return found


def field_help(model: type[BaseModel], name: str) -> FieldHelp:
    """Help for ``model.name``; a field with no entry gets empty help (tests/test_fields.py forbids it)."""
    key = entry_key(model, name)
    entry = table()[key] if key else {}
    return FieldHelp(zh=str(entry.get("zh", "")), en=str(entry.get("en", "")), example=entry.get("example"))


def labels(lang: str) -> dict[str, str]:
    """Page labels the table gives, keyed by field name (``reports_to`` → 直接上级), for the locale."""
    out: dict[str, str] = {}
    for key, entry in table().items():
        label = entry.get("label")
        if isinstance(label, dict) and lang in label:
            out[key.rpartition(".")[2]] = str(label[lang])
        elif isinstance(label, dict) and lang == "zh-Hant" and "zh" in label:
            out[key.rpartition(".")[2]] = traditional(str(label["zh"]))
    return out
