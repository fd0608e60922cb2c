"""Write a new entity's YAML file from a commented template, never over an existing one."""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from pydantic import BaseModel

from ..i18n import Locale
from ..model import registry
from ..model.entities import ID_RE, Clause, DutyArea, ProcessStep
from .schema import SCHEMA_DIR, field_help, schema_file


class ScaffoldError(Exception):
    """The file cannot be written: a bad id, an unknown kind, or the file exists already."""

    def __init__(self, code: str, **args: str) -> None:
        super().__init__(code)
        self.code = code
        self.args_ = args


@dataclass(frozen=True)
class _Line:
    """One template line: ``key`` with a filled ``value``, a placeholder (``None``), or commented out."""

    key: str
    value: str | None = None
    model: type[BaseModel] | None = None
    indent: int = 0
    item: bool = False
    """Starts a list item (``- key:``)."""
    optional: bool = False
    """Written as a comment: shown with its example, left for the editor to switch on."""
    block: bool = False
    """Holds nested lines; no value of its own."""


def _unit(model: type[BaseModel], unit: str | None) -> list[_Line]:
    return [
        _Line("name", model=model),
        _Line("parent", unit, model, optional=unit is None),
        _Line("channel", model=model, optional=True),
        _Line("description", model=model, optional=True),
    ]


def _role(model: type[BaseModel], unit: str | None) -> list[_Line]:
    return [
        _Line("title", model=model),
        _Line("unit", unit, model),
        _Line("reports_to", model=model, optional=True),
        _Line("summary", model=model),
        _Line("duties", model=model, block=True),
        _Line("area", model=DutyArea, indent=4, item=True),
        _Line("items", model=DutyArea, indent=4, block=True),
        _Line("-", model=DutyArea, indent=6),
    ]


def _process(model: type[BaseModel], unit: str | None) -> list[_Line]:
    return [
        _Line("title", model=model),
        _Line("category", model=model, optional=True),
        _Line("unit", unit, model, optional=unit is None),
        _Line("owner", model=model),
        _Line("purpose", model=model),
        _Line("steps", model=model, block=True),
        _Line("title", model=ProcessStep, indent=4, item=True),
    ]


def _policy(model: type[BaseModel], unit: str | None) -> list[_Line]:
    return [
        _Line("title", model=model),
        _Line("unit", unit, model, optional=unit is None),
        _Line("summary", model=model, optional=True),
        _Line("clauses", model=model, block=True),
        _Line("id", model=Clause, indent=4, item=True),
        _Line("text", model=Clause, indent=4),
    ]


def _term(model: type[BaseModel], unit: str | None) -> list[_Line]:
    return [
        _Line("term", model=model),
        _Line("abbreviation", model=model, optional=True),
        _Line("definition", model=model),
    ]


#: Fields every entity has; a scaffold made from the model leaves them to their defaults.
_COMMON = ("kind", "id", "aliases", "source", "effective_date", "version")


def _fields(model: type[BaseModel], unit: str | None) -> list[_Line]:
    """A kind's own fields in model order: required ones to fill in, the others commented out."""
    out = []
    for name, info in model.model_fields.items():
        if name in _COMMON:
            continue
        value = unit if name == "unit" else None
        out.append(_Line(name, value, model, optional=not info.is_required() and value is None))
    return out


#: Scaffold templates by the name a kind's registry entry gives (``Kind.scaffold``).
#: ``fields`` suits any kind: its lines come from the model and the field help.
TEMPLATES: dict[str, Callable[[type[BaseModel], str | None], list[_Line]]] = {
    "unit.yaml": _unit, "role.yaml": _role, "process.yaml": _process, "policy.yaml": _policy, "term.yaml": _term,
    "fields": _fields,
}


def _lines(kind: str, unit: str | None) -> list[_Line]:
    entry = registry.kind(kind)  # only registered kinds get here; no template is a fallback
    return TEMPLATES[entry.scaffold](entry.model, unit)


def marker(locale: Locale) -> str:
    """The comment that marks a value still to be filled in."""
    return locale.label("new_marker")


def render(kind: str, ident: str, unit: str | None, locale: Locale, schema_ref: str) -> str:
    """The template text for a new ``kind`` file with id ``ident``."""
    out = [
        f"# yaml-language-server: $schema={schema_ref}",
        "# " + locale.label("new_header").format(kind=locale.label(f"kind_{kind}"), id=ident, marker=marker(locale)),
        f"kind: {kind}",
    ]
    for line in _lines(kind, unit):
        pad = " " * line.indent
        name = "items" if line.key == "-" else line.key
        help_ = field_help(line.model, name) if line.model is not None else None
        if help_ is not None and line.key != "-":
            text = help_.zh if locale.lang == "zh" else help_.en
            example = inline_yaml(help_.example)
            note = f"{text}{locale.label('new_example')}{example}" if example else text
            out.append(f"{pad[:-2] if line.item else pad}# {note}")
        lead = f"{pad[:-2]}- " if line.item else pad
        if line.key == "-":
            out.append(f"{pad}-  # {marker(locale)}")
        elif line.block:
            out.append(f"{lead}{line.key}:")
        elif line.optional:
            example = inline_yaml(help_.example) if help_ else ""
            out.append(f"{pad}# {line.key}: {example}")
        elif line.value is not None:
            out.append(f"{lead}{line.key}: {line.value}")
        else:
            out.append(f"{lead}{line.key}:  # {marker(locale)}")
    return "\n".join(out) + "\n"


def inline_yaml(value: object) -> str:
    """An example as it would be typed on one line of YAML."""
    if value is None:
        return ""
    if isinstance(value, str):
        return f'"{value}"' if re.match(r"^[\d:#\[{]|.*: ", value) else value
    if isinstance(value, list):
        return "[" + ", ".join(inline_yaml(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {inline_yaml(v)}" for k, v in value.items()) + "}"
    return str(value)


def _unit_folder(roles: Path, unit: str) -> Path:
    """The folder holding the unit's own file, else ``roles/<unit>/``."""
    for path in sorted(roles.rglob(f"{unit}.yaml")):
        return path.parent
    return roles / unit


def new_file(root: Path, kind: str, ident: str, unit: str | None, locale: Locale) -> Path:
    """Write ``roles/…/<ident>.yaml`` for a new ``kind``; refuses bad ids and existing files."""
    if not registry.is_kind(kind):
        raise ScaffoldError("new_bad_kind", kind=kind, kinds=", ".join(registry.KINDS))
    for value in (ident, unit):
        if value is not None and not ID_RE.match(value):
            raise ScaffoldError("new_bad_id", id=value)
    roles = root / "roles"
    folder = _unit_folder(roles, unit) if unit else roles
    target = folder / f"{ident}.yaml"
    existing = sorted(roles.rglob(f"{ident}.yaml")) + sorted(roles.rglob(f"{ident}.yml"))
    if target.exists() or existing:
        # The same file name anywhere under roles/ would be the same id twice.
        raise ScaffoldError("new_exists", path=(existing[0] if existing else target).relative_to(root).as_posix())
    schema_ref = os.path.relpath(root / SCHEMA_DIR / schema_file(kind), folder).replace(os.sep, "/")
    text = render(kind, ident, unit, locale, schema_ref)
    folder.mkdir(parents=True, exist_ok=True)
    with target.open("x", encoding="utf-8") as handle:  # "x": never overwrite, even in a race
        handle.write(text)
    return target
