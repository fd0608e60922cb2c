"""Write a new entity's YAML file from a commented template, never over an existing one."""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from pydantic import BaseModel

from ..errors import ScaffoldError, ScaffoldExists
from ..i18n import Locale
from ..link.pipeline import validate
from ..load.hints import nearest
from ..model import registry
from ..model.declare import shapes
from ..model.entities import ID_RE, Clause, DutyArea, Entity, Level, ProcessStep
from ..model.entities.competency import LEVELS
from ..model.fields import field_help
from .schema import SCHEMA_DIR, schema_file


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
        _Line("company", model=model, optional=True),
        _Line("editor_note", model=model, optional=True),
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
        _Line("not_applicable", model=model, optional=True),
        _Line("editor_note", model=model, optional=True),
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


def _competency(model: type[BaseModel], unit: str | None) -> list[_Line]:
    levels = [_Line("levels", model=model, block=True)]
    for _ in range(LEVELS):
        levels += [_Line("name", model=Level, indent=4, item=True),
                   _Line("indicators", model=Level, indent=4, block=True), _Line("-", model=Level, indent=6)]
    return [_Line("name", model=model), _Line("definition", model=model), *levels]


#: Fields every entity has; a scaffold made from the model leaves them to their defaults.
_COMMON = ("kind", "id", "aliases", "source", "effective_date", "version")


def _fields(model: type[BaseModel], unit: str | None) -> list[_Line]:
    """A kind's own fields in model order: required ones to fill in, the others commented out."""
    out = []
    kinds = shapes(model)
    for name, info in model.model_fields.items():
        if name in _COMMON:
            continue
        value = unit if name == "unit" else None
        inner = kinds[name].item
        if info.is_required() and inner is not None and inner.model is not None:
            # A required list of objects (an assessment's items): one item with its own required fields to
            # fill, so the editor sees the shape instead of a placeholder where a list belongs.
            out.append(_Line(name, model=model, block=True))
            required = [n for n, f in inner.model.model_fields.items() if f.is_required()]
            out += [_Line(n, model=inner.model, indent=4, item=i == 0) for i, n in enumerate(required)]
            continue
        out.append(_Line(name, value, model, optional=not info.is_required() and value is None))
    return out


#: Scaffold templates by the name a kind's registry entry gives (``Kind.scaffold``).
#: ``fields`` suits any kind: its lines come from the model and the field help.
TEMPLATES: dict[str, Callable[[type[BaseModel], str | None], list[_Line]]] = {
    "unit.yaml": _unit, "role.yaml": _role, "process.yaml": _process, "policy.yaml": _policy, "term.yaml": _term,
    "competency.yaml": _competency, "fields": _fields,
}


def _lines(kind: str, unit: str | None) -> list[_Line]:
    entry = registry.kind(kind)  # only registered kinds get here; no template is a fallback
    return TEMPLATES[entry.scaffold](entry.model, unit)


def marker(locale: Locale) -> str:
    """The placeholder value that marks a field still to be filled in (validate refuses it until replaced)."""
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
            text = help_.text(locale.lang)
            example = inline_yaml(help_.example_in(locale.lang))
            note = f"{text}{locale.label('new_example')}{example}" if example else text
            out.append(f"{pad[:-2] if line.item else pad}# {note}")
        lead = f"{pad[:-2]}- " if line.item else pad
        # The marker is the value, not a comment: a value typed after it is kept (and validate says
        # to delete the marker), where a comment would silently swallow it.
        if line.key == "-":
            out.append(f"{pad}- {marker(locale)}")
        elif line.block:
            out.append(f"{lead}{line.key}:")
        elif line.optional:
            example = inline_yaml(help_.example_in(locale.lang)) if help_ else ""
            out.append(f"{pad}# {line.key}: {example}")
        elif line.value is not None:
            out.append(f"{lead}{line.key}: {line.value}")
        else:
            out.append(f"{lead}{line.key}: {marker(locale)}")
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


unit_folder = _unit_folder


def _known(roles: Path, locale: Locale, kind: str, ident: str) -> None:
    """Refuse an ``--unit`` or ``--reports-to`` that names nothing: a typo must not become a new folder."""
    if not roles.is_dir():
        raise ScaffoldError(f"new_unknown_{kind}", id=ident, suggestion="")
    table = validate(roles, locale=locale).handbook.table(kind)
    if ident in table or _drafted(roles, kind, ident):
        return
    by_title = {registry.display_name(entity): key for key, entity in table.items()}
    suggestion = by_title.get(ident) or nearest(ident, table)
    raise ScaffoldError(f"new_unknown_{kind}" + ("_suggest" if suggestion else ""), id=ident, suggestion=suggestion)


def _drafted(roles: Path, kind: str, ident: str) -> bool:
    """True when ``roles/…/<ident>.yaml`` is a ``kind`` still being filled in: ``new unit`` then
    ``new role --unit`` is the natural order, before the unit's placeholders are filled."""
    declares = re.compile(rf"^kind:\s*{kind}\s*(#.*)?$", re.MULTILINE)
    for path in roles.rglob(f"{ident}.yaml"):
        try:
            if declares.search(path.read_text(encoding="utf-8")):
                return True
        except (OSError, UnicodeDecodeError):
            continue  # validate names what is wrong with the file
    return False


def new_file(
    root: Path, kind: str, ident: str, unit: str | None, locale: Locale,
    *, reports_to: str | None = None, copy_from: str | None = None,
) -> Path:
    """Write ``roles/…/<ident>.yaml`` for a new ``kind``; refuses bad ids, unknown units and roles, existing files.

    ``copy_from`` names a role whose file becomes the start of the new one (its title left to fill in).
    """
    if not registry.is_kind(kind):
        raise ScaffoldError("new_bad_kind", kind=kind, kinds=", ".join(registry.KINDS))
    for value in (ident, unit, reports_to, copy_from):
        if value is not None and not ID_RE.match(value):
            raise ScaffoldError("new_bad_id", id=value)
    roles = root / "roles"
    if unit is not None:
        _known(roles, locale, "unit", unit)
    if reports_to is not None:
        _known(roles, locale, "role", reports_to)
    original = _original(roles, locale, kind, copy_from) if copy_from else None
    if unit is None and original is not None:
        unit = str(getattr(original[0], "unit", "") or "") or None
    folder = _unit_folder(roles, unit) if unit else roles
    target = folder / f"{ident}.yaml"
    existing = sorted(roles.rglob(f"{ident}.yaml")) + sorted(roles.rglob(f"{ident}.yml"))
    if target.exists() or existing:
        # The same file name anywhere under roles/ would be the same id twice.
        raise ScaffoldExists("new_exists", path=(existing[0] if existing else target).relative_to(root).as_posix())
    schema_ref = os.path.relpath(root / SCHEMA_DIR / schema_file(kind), folder).replace(os.sep, "/")
    if original is not None:
        text = copied(original[1], copy_from or "", ident, unit, reports_to, locale, schema_ref)
    else:
        text = render(kind, ident, unit, locale, schema_ref)
        if reports_to is not None:
            text = re.sub(r"(?m)^# reports_to: .*$", f"reports_to: {reports_to}", text, count=1)
    folder.mkdir(parents=True, exist_ok=True)
    with target.open("x", encoding="utf-8") as handle:  # "x": never overwrite, even in a race
        handle.write(text)
    return target


def _original(roles: Path, locale: Locale, kind: str, ident: str) -> tuple[Entity, str]:
    """The entity ``ident`` of ``kind`` and its file's text, to copy; refuses an unknown id."""
    result = validate(roles, locale=locale)
    table = result.handbook.table(kind)
    if ident not in table:
        suggestion = nearest(ident, table)
        raise ScaffoldError(f"new_unknown_{kind}" + ("_suggest" if suggestion else ""), id=ident, suggestion=suggestion)
    source = result.handbook.source_of(kind, ident)
    return table[ident], source.path.read_text(encoding="utf-8")


#: Top-level lines a copy must not keep: its own id and former ids belong to the original.
_NOT_COPIED = re.compile(r"^(id|aliases):")


def copied(text: str, original: str, ident: str, unit: str | None, reports_to: str | None,
           locale: Locale, schema_ref: str) -> str:
    """``text`` of role ``original`` as the start of ``ident``: a new header, no id or aliases, the title to fill."""
    out = [f"# yaml-language-server: $schema={schema_ref}",
           "# " + locale.label("new_copied_header").format(id=ident, original=original, marker=marker(locale))]
    skipping = False
    for line in text.splitlines():
        if line.startswith("# yaml-language-server:"):
            continue
        if _NOT_COPIED.match(line):
            skipping = True  # and the list lines under it
            continue
        if skipping and line.startswith((" ", "-")):
            continue
        skipping = False
        if line.startswith("title:"):
            line = f"title: {marker(locale)}  # {line.removeprefix('title:').strip()}"
        elif unit is not None and line.startswith("unit:"):
            line = f"unit: {unit}"
        elif reports_to is not None and line.startswith("reports_to:"):
            line = f"reports_to: {reports_to}"
        out.append(line)
    return "\n".join(out) + "\n"
