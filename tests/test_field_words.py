"""Every field an editor meets has a word in every language: a form's label and a workbook's column
say 权重 or Weight, never the YAML key ``weight``. Cases: every field of every kind, at any depth."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from pydantic import BaseModel

from generator.editor.forms import FormField, kind_form
from generator.i18n import available, load_locale
from generator.model import registry
from generator.model.declare import shapes
from generator.model.fields import declared
from generator.office import columns

LANGS = available()


def _fields(model: type[BaseModel], depth: int = 0) -> Iterator[tuple[type[BaseModel], str]]:
    for name, shape in shapes(model).items():
        yield model, name
        inner = shape.model or (shape.item.model if shape.item is not None else None)
        if inner is not None and depth < 6:
            yield from _fields(inner, depth + 1)


FIELDS = sorted({(m.__name__, n): (m, n) for k in registry.KINDS for m, n in _fields(registry.kind(k).model)}.items())


def test_the_walk_reaches_nested_fields() -> None:
    assert {"DutyItem", "Deadline", "RotaStaff"} <= {model for (model, _), _ in FIELDS}


@pytest.mark.parametrize("lang", LANGS)
def test_every_field_has_a_word_in_every_language(lang: str) -> None:
    missing = [f"{m.__name__}.{n}" for _, (m, n) in FIELDS if not declared(m, n).called(lang).strip()]
    assert missing == [], "give these a label or a short name in model/fields.yaml"


def _form_fields(field: FormField) -> Iterator[FormField]:
    yield field
    for child in (*field.fields, *((field.item,) if field.item else ())):
        yield from _form_fields(child)


@pytest.mark.parametrize("lang", LANGS)
def test_no_form_label_is_a_yaml_key(lang: str) -> None:
    raw = {f.name for k in registry.KINDS for f in _form_fields(kind_form(k, lang)) if f.name and f.label == f.name}
    assert raw == set()


@pytest.mark.parametrize("lang", LANGS)
def test_no_workbook_header_is_a_yaml_key(lang: str) -> None:
    raw = set()
    for spec in columns.sheets(load_locale(lang)):
        raw |= {c.label for c in spec.columns if c.label.split("·")[-1] == c.path[-1]}
        raw |= {spec.title for part in spec.title.split("·") if part in {n for _, (_, n) in FIELDS}}
    assert raw == set()
