"""Export one JSON Schema per kind, with Chinese and English field help and examples, for editors."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from ..i18n import load_locale
from ..load.parse import iter_models
from ..model import registry
from ..model.choices import LANGS, choice_fields, choice_set
from ..model.declare import Shape, shapes
from ..model.entities.base import NOT_APPLICABLE_WORDS, Entity, optional_sections
from ..model.entities.role import VariantBase
from ..model.fields import declared

#: Folder of the committed schema files, relative to the project root.
SCHEMA_DIR = "schema"
#: Draft 7: what the YAML language server (VS Code) and check-jsonschema both read fully.
DRAFT = "http://json-schema.org/draft-07/schema#"



def _kind_title(kind: str) -> str:
    """``岗位 / Role``: the kind's name in both languages, for the schema's title."""
    key = registry.kind(kind).label
    return f"{load_locale('zh').label(key)} / {load_locale('en').label(key).capitalize()}"


def schema_file(kind: str) -> str:
    """File name of a kind's schema, e.g. ``role.schema.json``."""
    return f"{kind}.schema.json"


def _loosen_strings(node: Any) -> None:
    """Plain text fields also take numbers (``version: 2024.1``): the models turn them into text."""
    if isinstance(node, dict):
        if node.get("type") == "string" and not ({"pattern", "format", "enum", "const"} & node.keys()):
            node["type"] = ["string", "number"]
        for value in node.values():
            _loosen_strings(value)
    elif isinstance(node, list):
        for value in node:
            _loosen_strings(value)


def _kind_text(zh_help: str, en_help: str) -> str:
    """The ``kind`` field's help with every registered kind filled in (``{kinds}``), in both languages."""
    zh = load_locale("zh")
    sep, open_, close = zh.label("list_sep"), zh.label("paren_open"), zh.label("paren_close")
    zh_list = sep.join(f"{k}{open_}{zh.label(registry.kind(k).label)}{close}" for k in registry.KINDS)
    *first, last = registry.KINDS
    en_list = f"{', '.join(first)} or {last}" if first else last
    return f"{zh_help.format(kinds=zh_list)}\n\n{en_help.format(kinds=en_list)}"


def _describe(props: dict[str, Any], model: type[BaseModel]) -> None:
    for name, prop in props.items():
        decl = declared(model, name)
        help_ = decl.help
        prop.pop("title", None)
        if "$ref" in prop and len(prop) > 1:
            # Draft 7 ignores keywords next to $ref, and with them the hover text.
            prop["allOf"] = [{"$ref": prop.pop("$ref")}]
        zh, en = help_.zh, help_.en
        if decl.variant and (issubclass(model, VariantBase) or not issubclass(model, Entity)):
            # A variant's field (or a part of one it merges, such as qualifications.skills) says
            # whether it takes the role's place or comes after it.
            key = f"variant_mode_{decl.variant}"
            zh, en = f"{zh}{load_locale('zh').label(key)}", f"{en} {load_locale('en').label(key)}"
        text = "\n\n".join(t for t in (zh, en) if t)
        if name == "kind":
            text = _kind_text(help_.zh, help_.en)
        if text:
            prop["description"] = text
        if help_.example is not None:
            # The Chinese example, then the English one where it differs (the guide shows its language's).
            prop["examples"] = [help_.example, *([help_.example_en] if help_.example_en is not None else [])]
        _spellings(prop, model, name)
        refers = _refers_to(shapes(model).get(name))
        if refers:
            # Which kind the id names, from the model's declaration: the editing guide, forms and
            # workbooks read it (editors ignore keys starting with x-).
            prop["x-refers-to"] = refers


def _spellings(prop: dict[str, Any], model: type[BaseModel], name: str) -> None:
    """A fixed choice's enum takes every accepted spelling (``weekly`` and ``週`` pass the editor's
    check as they pass ours), and ``x-choices`` lists it per language for the editing guide."""
    found = choice_fields(model).get(name)
    if found is None:
        return
    chosen = choice_set(found[0])
    allowed = [v for v in chosen.values if v in found[2]]
    accepted = list(dict.fromkeys(s for v in allowed for lang in LANGS for s in (v, *chosen.spellings[v][lang])))
    shown = {lang: [chosen.shown(v, lang) for v in allowed] for lang in LANGS}

    def visit(node: Any) -> None:
        if isinstance(node, dict):
            if "enum" in node and set(node["enum"]) <= set(allowed):
                node["enum"] = accepted
                node["x-choices"] = shown
            for value in node.values():
                visit(value)
        elif isinstance(node, list):
            for value in node:
                visit(value)

    visit(prop)


def _refers_to(shape: Shape | None) -> str | None:
    """The kind a reference field (or a list of references, or a mapping keyed by ids) names."""
    while shape is not None and shape.ref is None:
        shape = shape.item or shape.key
    return shape.ref.kind if shape is not None and shape.ref is not None else None


def kind_schema(kind: str) -> dict[str, Any]:
    """The JSON Schema of one kind's YAML file."""
    model = registry.kind(kind).model
    schema = copy.deepcopy(model.model_json_schema())
    by_name = {cls.__name__: cls for cls in iter_models(model)}
    _describe(schema.get("properties", {}), model)
    for name, sub in schema.get("$defs", {}).items():
        sub.pop("title", None)
        if name in by_name:
            _describe(sub.get("properties", {}), by_name[name])
    # The id defaults to the file name, so an editor must not demand it.
    schema["required"] = [r for r in schema.get("required", []) if r != "id"]
    _loosen_strings(schema)
    # A section that does not apply is written `kpis: n/a` (parse moves it into not_applicable).
    for name in optional_sections(model):
        prop = schema["properties"][name]
        described = {k: prop.pop(k) for k in ("description", "examples", "default") if k in prop}
        schema["properties"][name] = {**described, "anyOf": [prop, {"enum": sorted(NOT_APPLICABLE_WORDS)}]}
    schema["title"] = _kind_title(kind)
    return {"$schema": DRAFT, **schema}


def schemas() -> dict[str, str]:
    """File name → JSON text of every kind's schema, as committed under ``schema/``."""
    return {
        schema_file(kind): json.dumps(kind_schema(kind), ensure_ascii=False, indent=2) + "\n" for kind in registry.KINDS
    }


def write_schemas(folder: Path) -> list[str]:
    """Write the schema files into ``folder``; returns the names of the files that changed."""
    folder.mkdir(parents=True, exist_ok=True)
    changed = []
    for name, text in schemas().items():
        target = folder / name
        if not target.is_file() or target.read_text(encoding="utf-8") != text:
            target.write_text(text, encoding="utf-8")
            changed.append(name)
    return changed


def stale(folder: Path) -> list[str]:
    """Names of schema files in ``folder`` that are missing or differ from the models."""
    return [
        name
        for name, text in schemas().items()
        if not (folder / name).is_file() or (folder / name).read_text(encoding="utf-8") != text
    ]
