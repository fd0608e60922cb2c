"""A kind's edit form, made from the kind registry, the models' types and the field table.

Nothing here names a field of a kind: a field's widget comes from its shape (``model/declare.py``:
text, number, date, fixed choice, reference, list, mapping, nested model), its label and help
from ``model/fields.yaml`` in the site's language, its order from the kind's page sections. A new
field or kind therefore appears in ``handbook edit`` with no form code (tests/test_edit_forms.py
adds one to a copy of the package and finds it in the form).
"""

from __future__ import annotations

import typing
from dataclasses import dataclass, field
from functools import cache
from typing import Any, Literal

from pydantic import BaseModel

from ..model import registry
from ..model.choices import choice_fields, choice_set
from ..model.declare import ANY_KIND, Shape, shapes
from ..model.entities.base import Clock
from ..model.fields import COMPUTED, declared, sections

Widget = Literal["text", "int", "number", "bool", "date", "time", "choice", "ref", "list", "map", "group"]

#: The pattern of a wall-clock time (``HH:MM``): such a text field gets a time input.
_CLOCK_PATTERN = next(getattr(m, "pattern", None) for m in typing.get_args(Clock)[1:])
#: Nested models deeper than this are not unfolded (no model here nests so deep; a guard against a cycle).
MAX_DEPTH = 8


@dataclass(frozen=True)
class FormField:
    """One field of a form: how it is entered, what it is called, what it holds inside."""

    name: str
    widget: Widget
    label: str
    help: str = ""
    required: bool = False
    choices: tuple[str, ...] = ()
    shown: tuple[str, ...] = ()
    """Each choice as the form's language writes it (``周`` → ``week``, ``週``); the value sent and
    saved is the choice itself, as ``choices.yaml`` spells it canonically."""
    chosen: str | None = None
    """The set of fixed choices (``choices.yaml``) the field takes: a file's other spelling of a
    choice (``weekly``) shows as that choice, and stays as written unless another is picked."""
    refers: str | None = None
    """The kind a reference names (``*``: any kind, written ``kind:id``)."""
    clause: bool = False
    """A policy reference that may end in ``#clause-id``."""
    block: bool = False
    """Long text: a text area."""
    fields: tuple[FormField, ...] = ()
    """A nested model's fields."""
    item: FormField | None = None
    """What each entry of a list, or each value of a mapping, is."""
    key: FormField | None = None
    """A mapping's key."""
    short: bool = False
    """A model whose items may be written as their ``text`` alone (``- 负责团队日常管理``)."""
    extra: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)

    def child(self, name: str) -> FormField | None:
        """The nested field called ``name``."""
        return next((f for f in self.fields if f.name == name), None)


def _label(model: type[BaseModel], name: str, lang: str) -> tuple[str, str]:
    decl = declared(model, name)
    help_ = decl.help.text(lang)
    # Every field has a label or a short name in the table (tests/test_field_words.py).
    return decl.called(lang) or name, help_


@cache
def _json_props(model: type[BaseModel]) -> dict[str, Any]:
    return dict(model.model_json_schema().get("properties", {}))


def _is_clock(prop: Any) -> bool:
    """Whether a JSON Schema property (or one of its alternatives) is a wall-clock time."""
    if not isinstance(prop, dict):
        return False
    if prop.get("pattern") == _CLOCK_PATTERN:
        return True
    return any(_is_clock(p) for p in prop.get("anyOf", []))


def _widget(found: Shape, prop: Any, *, depth: int, lang: str, name: str, label: str, help_: str,
            required: bool, block: bool, chosen: str | None = None) -> FormField:
    """``chosen``: the set of fixed choices (``choices.yaml``) the field takes, if any."""
    common: dict[str, Any] = {"name": name, "label": label, "help": help_, "required": required}
    if found.ref is not None:
        return FormField(widget="ref", refers=found.ref.kind, clause=found.ref.clause, **common)
    if found.item is not None:
        item_prop = prop.get("items") if isinstance(prop, dict) else None
        item = _widget(found.item, item_prop, depth=depth, lang=lang, name="", label=label, help_="",
                       required=True, block=block, chosen=chosen)
        return FormField(widget="list", item=item, **common)
    if found.key is not None and found.value is not None:
        key = _widget(found.key, None, depth=depth, lang=lang, name="", label=label, help_="", required=True,
                      block=False)
        value = _widget(found.value, None, depth=depth, lang=lang, name="", label=label, help_="", required=True,
                        block=False)
        return FormField(widget="map", key=key, item=value, **common)
    if found.model is not None:
        if depth >= MAX_DEPTH:
            return FormField(widget="text", **common)
        inner = model_fields(found.model, lang, depth + 1)
        short = "text" in found.model.model_fields and found.model.model_fields["text"].is_required()
        return FormField(widget="group", fields=inner, short=short, **common)
    if found.scalar == "choice":
        words = choice_set(chosen) if chosen else None
        shown = tuple(words.shown(c, lang) for c in found.choices) if words else found.choices
        return FormField(widget="choice", choices=found.choices, shown=shown, chosen=chosen, **common)
    if found.scalar in ("int", "number", "bool", "date"):
        return FormField(widget=found.scalar, **common)
    if _is_clock(prop):
        return FormField(widget="time", **common)
    return FormField(widget="text", block=block, **common)


def _ordered(model: type[BaseModel]) -> list[str]:
    """The model's fields in page order (its sections'), then the rest in the model's order; the id first."""
    names = list(model.model_fields)
    in_sections = [f for s in sections(model) for f in s.fields if not f.startswith(COMPUTED) and f in names]
    order = list(dict.fromkeys(["id", *in_sections, *names]))
    return [n for n in order if n in names]


def model_fields(model: type[BaseModel], lang: str, depth: int = 0) -> tuple[FormField, ...]:
    """The form fields of ``model`` (``kind`` left out: a file's kind is fixed)."""
    out = []
    props = _json_props(model)
    for name in _ordered(model):
        if name == "kind":
            continue
        info = model.model_fields[name]
        label, help_ = _label(model, name, lang)
        block = declared(model, name).layout == "block"
        # A file's id may be left out (it is then the file's name), as the JSON Schema says too.
        required = info.is_required() and not (depth == 0 and name == "id")
        chosen = choice_fields(model).get(name)
        out.append(_widget(shapes(model)[name], props.get(name), depth=depth, lang=lang, name=name, label=label,
                           help_=help_, required=required, block=block, chosen=chosen[0] if chosen else None))
    return tuple(out)


@cache
def kind_form(kind: str, lang: str) -> FormField:
    """The whole form of a kind's file, as one group."""
    entry = registry.kind(kind)
    fields = model_fields(entry.model, lang)
    # The id, then what names the entity (title, name …), then the page's order.
    fields = tuple(sorted(fields, key=lambda f: {"id": 0, entry.display: 1}.get(f.name, 2)))
    return FormField(name="", widget="group", label="", fields=fields)


def referred_kinds(form: FormField) -> set[str]:
    """Every kind a reference of the form names (``*`` for any), for the pickers' lists."""
    found: set[str] = set()
    stack = [form]
    while stack:
        f = stack.pop()
        if f.widget == "ref" and f.refers:
            found.add(f.refers)
        stack.extend(f.fields)
        stack.extend(x for x in (f.item, f.key) if x is not None)
    return found if ANY_KIND not in found else found | set(registry.KINDS)
