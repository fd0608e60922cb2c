"""One source per field: the field table covers every model field, names only real fields, and has no rival."""

from __future__ import annotations

import ast
import itertools
import typing
from pathlib import Path
from typing import Any

import pytest
import yaml
from pydantic import BaseModel, ValidationError

from generator import i18n
from generator.i18n import LOCALES_DIR, LocaleFileError, _not_text, available, kind_labels, load_locale
from generator.load.parse import iter_models
from generator.model import fields, registry

from .conftest import REPO

MODELS = {cls.__name__: cls for kind in registry.KINDS.values() for cls in iter_models(kind.model)}


def test_every_model_field_has_an_entry_with_both_languages_and_an_example() -> None:
    missing = []
    for name, cls in MODELS.items():
        for field in cls.model_fields:
            key = fields.entry_key(cls, field)
            entry = fields.table().get(key or "", {})
            if not (entry.get("zh") and entry.get("en") and "example" in entry):
                missing.append(f"{name}.{field}")
    assert missing == []


def test_every_entry_names_a_field_that_reads_it() -> None:
    used = {fields.entry_key(cls, field) for cls in MODELS.values() for field in cls.model_fields}
    field_entries = {key for key in fields.table() if not fields.is_model_entry(key)}
    assert sorted(field_entries - used) == []
    assert sorted(key for key in fields.table() if fields.is_model_entry(key) and key not in MODELS) == []


@pytest.mark.parametrize("lang", available())
def test_labels_come_from_the_table_only(lang: str) -> None:
    own = yaml.safe_load((LOCALES_DIR / f"{lang}.yaml").read_text(encoding="utf-8"))["labels"]
    from_table = {**fields.labels(lang), **kind_labels(lang)}
    assert sorted(set(own) & set(from_table)) == []  # a label written twice could drift
    locale = load_locale(lang)
    for key, text in from_table.items():
        assert locale.label(key) == text


def test_every_label_has_every_language() -> None:
    for key, entry in fields.table().items():
        label = entry.get("label")
        if label is not None and not fields.is_model_entry(key):
            # zh-Hant is converted from zh when loaded (locales/zh-Hant.yaml derives), so it has no column.
            assert sorted(label) == sorted(set(available()) - {"zh-Hant"}), key
            assert all(str(v).strip() for v in label.values()), key


def test_models_hold_no_second_copy_of_the_help() -> None:
    """Attribute docstrings in the models would be a second text for the same field."""
    found = []
    for path in sorted((REPO / "generator/model/entities").glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for cls in (n for n in ast.walk(tree) if isinstance(n, ast.ClassDef)):
            for node, after in itertools.pairwise(cls.body):
                if (
                    isinstance(node, ast.AnnAssign)
                    and isinstance(after, ast.Expr)
                    and isinstance(after.value, ast.Constant)
                    and isinstance(after.value.value, str)
                ):
                    found.append(f"{path.name}:{after.lineno}")
    assert found == []


def test_kind_help_lists_every_registered_kind() -> None:
    from generator.editor.schema import kind_schema

    for kind in registry.KINDS:
        text = kind_schema(kind)["properties"]["kind"]["description"]
        assert all(name in text for name in registry.KINDS)
        assert load_locale("zh").label(registry.kind(kind).label) in text


# ---- the project's own YAML, read as strictly as HR's ----

OWN_YAML = [*sorted(LOCALES_DIR.glob("*.yaml")), fields.FIELDS_FILE]


@pytest.mark.parametrize("path", OWN_YAML, ids=[p.name for p in OWN_YAML])
def test_own_yaml_passes_the_reader_hr_files_get(path: Path) -> None:
    """No duplicate key, tag, anchor, TAB or look-alike character: what validate would tell HR."""
    from generator.load.source import parse_bytes

    source, problems = parse_bytes(path, path.name, path.read_bytes())
    assert problems == [] and [w.code for w in source.warnings if w.code != "ascii_punctuation"] == []


@pytest.mark.parametrize("lang", available())
def test_every_key_and_text_of_a_locale_is_text(lang: str) -> None:
    data = yaml.safe_load((LOCALES_DIR / f"{lang}.yaml").read_text(encoding="utf-8"))
    assert list(_not_text(data)) == []


def test_every_help_and_label_of_the_field_table_is_text() -> None:
    texts = {key: {k: v for k, v in entry.items() if k in ("zh", "en", "label", "short", "name", "plural")}
             for key, entry in fields.table().items()}
    assert list(_not_text(texts)) == []


def test_a_value_yaml_reads_as_true_fails_loading_with_its_place(tmp_path: Path) -> None:
    """The trap itself: `bool_yes: Yes` and a key `yes:` are not text, and loading says where."""
    bad = tmp_path / "xx.yaml"
    bad.write_text("labels:\n  bool_yes: Yes\n  yes: ok\n  fine: 好\nproblems: {}\n", encoding="utf-8")
    with pytest.raises(LocaleFileError) as err:
        i18n._read(bad)
    assert "labels.bool_yes = True" in str(err.value) and "the key True" in str(err.value)
    assert "fine" not in str(err.value)


def _required(cls: type[BaseModel]) -> dict[str, Any]:
    """The model's required fields, each its example (``kind`` its one value): the least that validates."""
    out = {}
    for field, info in cls.model_fields.items():
        if info.is_required():
            out[field] = typing.get_args(info.annotation)[0] if field == "kind" else fields.declared(cls, field).help.example
    return out


def test_every_example_is_a_value_its_field_takes() -> None:
    """The examples the guide, the schema and `handbook new` show are values validate accepts: each
    is validated by its model, beside the examples of the model's required fields."""
    refused = []
    for name, cls in MODELS.items():
        for field in cls.model_fields:
            example = fields.declared(cls, field).help.example
            if example is None or field == "kind":
                continue
            try:
                cls.model_validate({**_required(cls), field: example})
            except ValidationError as err:
                refused.append(f"{name}.{field}: {example!r}: {err.errors()[0]['msg']}")
    assert refused == []
