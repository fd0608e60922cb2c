"""A page's sections from the field table: each field's value put into the words a page shows.

``model/fields.yaml`` lays a kind's page out in sections and says how each field is shown; this
module turns an entity into those sections (:class:`SectionView`), each a run of :class:`Part`.
A field with a layout of its own (duties, KPIs …) gets its value from the caller's ``special``
builders; every other field is presented from its type alone (text, a named entity, a list, a
number in words, a nested model as facts of its own). So a new field, declared in a section,
reaches the page and the PDF with no edit here or in a template.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from pydantic import BaseModel

from ..i18n import Locale
from ..link.handbook import Handbook
from ..model.choices import choice_fields, choice_set
from ..model.declare import ANY_KIND, Shape, shapes
from ..model.fields import COMPUTED, Section, declared, hidden, sections
from . import formatting
from .writer import NOT_TEXT, Named, display_name

Gap = Literal["", "todo", "na", "none", "skip"]
"""Why a part shows no value: "" it has one; todo 待补充; na 不适用 (HR said so); none 无; skip nothing."""


@dataclass(frozen=True)
class Part:
    """One field (or a computed fact) of a section: its label and its value as the page shows it.

    ``value`` is text (references still ``[[kind:id]]``), a :class:`Named`, a tuple of those, a
    tuple of parts (a nested model), or the view of a field with a layout of its own.
    """

    name: str = field(metadata=NOT_TEXT)
    label: str = field(metadata=NOT_TEXT)
    value: Any
    layout: str = field(default="fact", metadata=NOT_TEXT)
    """The template macro that lays it out: ``fact``, ``block``, ``bullets``, ``facts`` or a field's own."""
    gap: Gap = field(default="", metadata=NOT_TEXT)


@dataclass(frozen=True)
class SectionView:
    """One section of a page: its anchor, its heading and its parts in order."""

    id: str = field(metadata=NOT_TEXT)
    label: str = field(metadata=NOT_TEXT)
    parts: tuple[Part, ...]
    keep_labels: bool = field(default=False, metadata=NOT_TEXT)
    """Label even a lone part: it was picked out of a section of several (a variant's own parts)."""

    @property
    def shown(self) -> bool:
        """False when every part is empty and says to show nothing."""
        return any(p.gap != "skip" for p in self.parts)

    @property
    def labelled(self) -> bool:
        """True when the section shows several labelled parts, each then a line "label：value"; a
        section showing one stands it under its heading alone (unlabelled parts, such as a link
        after it, do not count)."""
        shown = sum(1 for p in self.parts if p.gap != "skip" and p.label)
        return shown > 1 or (self.keep_labels and shown > 0)


@dataclass(frozen=True)
class Computed:
    """A fact a page computes (``=name`` in a section): its label's locale key, what shows when it
    is empty, and its layout."""

    label: str
    empty: Gap = "skip"
    layout: str = "fact"


Special = Callable[[], Any]
"""Builds the view of a field with a layout of its own (or of a computed fact); None or empty when it has none."""


class Plain(str):
    """Text the generator wrote (a date, a number in words): shown as it is, with no Markdown escaping."""

    plain = True


def _empty(value: Any) -> bool:
    """True for no value: None, empty text or list, or a view that says it holds nothing; never a number."""
    if isinstance(value, (bool, int, float)):
        return False
    return not value


def present(hb: Handbook, locale: Locale, shape: Shape, value: Any, fmt: str | None = None) -> Any:
    """A typed value as a page shows it: text, a :class:`Named`, a tuple of those, or a tuple of parts."""
    if value is None:
        return None
    if shape.ref is not None:
        if shape.ref.kind == ANY_KIND:
            return f"[[{value}]]"
        if shape.ref.clause:
            return f"[[{shape.ref.kind}:{value}]]"
        entity = hb.get(shape.ref.kind, value)
        return Named(shape.ref.kind, value, display_name(entity) if entity else value)
    if shape.item is not None:
        return tuple(present(hb, locale, shape.item, v) for v in value)
    if shape.key is not None and shape.value is not None:
        colon = locale.label("colon")
        return tuple(f"{present_text(hb, locale, shape.key, k)}{colon}{present_text(hb, locale, shape.value, v)}"
                     for k, v in value.items())
    if shape.model is not None:
        return facts(hb, locale, value)
    if shape.scalar == "bool":
        return locale.label("value_yes" if value else "value_no")
    if shape.scalar in ("int", "number"):
        text = formatting.number(value)
        return Plain(locale.label(fmt).format(n=text) if fmt else text)
    if isinstance(value, dt.date):
        return Plain(value.isoformat())
    return str(value)


def present_text(hb: Handbook, locale: Locale, shape: Shape, value: Any) -> str:
    """A value as one line of text (references as ``[[kind:id]]``), for keys and list items inside a line."""
    shown = present(hb, locale, shape, value)
    if isinstance(shown, Named):
        return f"[[{shown.kind}:{shown.id}]]"
    if isinstance(shown, tuple):
        return locale.label("list_sep").join(
            f"{p.label}{locale.label('colon')}{part_text(p)}" if isinstance(p, Part) else str(p) for p in shown
        )
    return str(shown or "")


def part_text(part: Part) -> str:
    """A part's value as text (for a fact inside a line)."""
    value = part.value
    if isinstance(value, Named):
        return f"[[{value.kind}:{value.id}]]"
    if isinstance(value, tuple):
        return "、".join(part_text(v) if isinstance(v, Part) else
                        (f"[[{v.kind}:{v.id}]]" if isinstance(v, Named) else str(v)) for v in value)
    return str(value or "")


def in_language(model: type[BaseModel], name: str, value: Any, locale: Locale) -> Any:
    """A fixed choice as the site's language writes it (不定时 → flexible hours on an English site);
    files store the canonical value, which a Simplified-Chinese site shows as it is."""
    found = choice_fields(model).get(name)
    if found is None:
        return value
    chosen = choice_set(found[0])
    if isinstance(value, str):
        return chosen.shown(value, locale.lang)
    if isinstance(value, (list, tuple)):
        return type(value)(chosen.shown(v, locale.lang) if isinstance(v, str) else v for v in value)
    return value


def facts(hb: Handbook, locale: Locale, obj: BaseModel) -> tuple[Part, ...]:
    """A nested model's filled fields, in order, each as a part presented from its type."""
    out = []
    for name, shape in shapes(type(obj)).items():
        value = getattr(obj, name)
        if _empty(value) or value is False:
            continue  # a nested model shows what it holds; an unset flag says nothing
        decl = declared(type(obj), name)
        shown = present(hb, locale, shape, in_language(type(obj), name, value, locale), decl.format)
        layout = decl.layout or ("facts" if shape.model is not None else "fact")
        out.append(Part(name, decl.label_in(locale.lang), shown, layout))
    return tuple(out)


def build(
    hb: Handbook,
    locale: Locale,
    entity: BaseModel,
    special: Mapping[str, Special],
    computed: Mapping[str, Computed],
    not_applicable: frozenset[str] = frozenset(),
    skip: frozenset[str] = frozenset(),
) -> tuple[SectionView, ...]:
    """``entity``'s page in the sections its kind's table entry declares.

    ``special`` builds the fields with a layout of their own and the computed facts (``=name``);
    ``computed`` says how each computed fact is labelled and laid out. A model with no sections in
    the table gets a section per field, but for those in ``skip`` (the page's title) and bookkeeping.
    """
    model = type(entity)
    kinds = shapes(model)
    out = []
    for section, heading in _sections(model, locale, skip):
        parts: list[Part] = []
        for name in section.fields:
            if name.startswith(COMPUTED):
                key = name[len(COMPUTED):]
                value = special[key]()
                how = computed[key]
                gap: Gap = "" if not _empty(value) else how.empty
                parts.append(Part(key, locale.label(how.label) if how.label else "", value, how.layout, gap))
                continue
            decl = declared(model, name)
            if name in special:
                value = special[name]()
            else:
                value = present(hb, locale, kinds[name], in_language(model, name, getattr(entity, name), locale),
                                decl.format)
            nested = name not in special and kinds[name].model is not None
            layout = decl.layout or ("facts" if nested else "fact")
            gap = ""
            if _empty(value):
                gap = "na" if name in not_applicable and decl.empty == "todo" else decl.empty
            parts.append(Part(name, decl.label_in(locale.lang), value, layout, gap))
        # A field another part of the section stands in for asks for nothing once that part is there.
        filled = {p.name for p in parts if not p.gap}
        parts = [
            dataclasses.replace(p, gap="skip")
            if p.gap in ("todo", "na") and filled & set(declared(model, p.name).filled_by) else p
            for p in parts
        ]
        out.append(SectionView(section.id, heading, tuple(parts)))
    return tuple(out)


#: What a page without declared sections never shows as a section: identity, notes for HR, and
#: provenance (the page's footer shows it).
_BOOKKEEPING = frozenset({"kind", "id", "aliases", "editor_note", "not_applicable", "lint_exempt", "source",
                          "effective_date",
                          "version"})


def _sections(model: type[BaseModel], locale: Locale, skip: frozenset[str]) -> list[tuple[Section, str]]:
    """The model's declared sections with their headings; without any, a section per field shown."""
    declared_sections = sections(model)
    if declared_sections:
        return [(s, locale.label(s.label)) for s in declared_sections]
    shown = [name for name in model.model_fields if name not in _BOOKKEEPING | hidden(model) | skip]
    return [(Section(name.replace("_", "-"), "", (name,)), declared(model, name).label_in(locale.lang))
            for name in shown]


#: Layouts print puts into a facts table when a section shows several labelled parts; the others
#: (duties, KPIs …) lay themselves out between them.
TABLED = frozenset({"fact", "facts", "bullets", "block"})


def blocks(section: SectionView, parts: list[Part]) -> list[tuple[str, tuple[Part, ...]]]:
    """``parts`` (of ``section``) as print lays them out, in order: runs of labelled facts as one
    table (``"table"``), every other part on its own (``"alone"``)."""
    out: list[tuple[str, tuple[Part, ...]]] = []
    for part in parts:
        if section.labelled and part.label and part.layout in TABLED:
            if out and out[-1][0] == "table":
                out[-1] = ("table", (*out[-1][1], part))
            else:
                out.append(("table", (part,)))
        else:
            out.append(("alone", (part,)))
    return out


#: Print pairs two facts on a row of its table when both are at most this many characters long.
SHORT = 16


def _shown_length(value: Any) -> int:
    """About how many characters a value prints as (an entity by its name, a list with separators)."""
    if isinstance(value, Named):
        return len(value.name)
    if isinstance(value, tuple):
        return sum(_shown_length(v) + 1 for v in value)
    return len(str(value or ""))


def _short(part: Part) -> bool:
    return part.layout == "fact" and (bool(part.gap) or _shown_length(part.value) <= SHORT)


def rows(parts: list[Part], head: list[Part] | tuple[Part, ...] = ()) -> list[tuple[Part, ...]]:
    """Print's facts table: two short facts to a row (label, value, label, value), a long one on a row
    of its own, in the order given (``head`` first)."""
    out: list[tuple[Part, ...]] = []
    waiting: Part | None = None
    for part in (*head, *parts):
        if _short(part) and waiting is not None:
            out.append((waiting, part))
            waiting = None
        elif _short(part):
            waiting = part
        else:
            if waiting is not None:
                out.append((waiting,))
                waiting = None
            out.append((part,))
    if waiting is not None:
        out.append((waiting,))
    return out


def fact(name: str, label: str, value: str) -> Part:
    """A fact a template adds to a section (the title at the head of print's facts table)."""
    return Part(name, label, value)
