"""The semantic diff: what changed in each entity, field by field, with list order and formatting ignored."""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

from pydantic import BaseModel

from ..model import registry
from ..model.entities import (
    KPI,
    Clause,
    Consequence,
    Duration,
    DutyArea,
    DutyItem,
    Entity,
    OnboardingStep,
    Participant,
    ProcessStep,
    TeamStage,
    TimeBlock,
    When,
)
from .snapshot import Key, Parsed

Op = Literal["added", "removed", "changed"]


@dataclass(frozen=True)
class Item:
    """One element of a list in a change's path: a KPI by its metric, a clause by its number …"""

    label: str
    number: int | None = None
    """Position in its list (1-based) where readers count items, as with clauses (第 4 条)."""
    of: str = ""
    """The model the item is, e.g. ``Clause``; the wording picks its words by it."""
    key: str = ""
    """The item's id where it has one (a clause's), for linking to it."""


Segment = str | Item
"""A field name, or an item of a list."""


@dataclass(frozen=True)
class Change:
    """One difference inside an entity. Values are as read (text, numbers, models), not yet worded."""

    op: Op
    path: tuple[Segment, ...]
    old: object = None
    new: object = None


@dataclass
class EntityDiff:
    """Everything that changed in one entity between two revisions."""

    kind: str
    id: str
    op: Literal["added", "removed", "changed", "renamed"]
    title: str
    file: str
    old_id: str | None = None
    changes: list[Change] = field(default_factory=list)


#: Fields that are identity or the version label, not content: a rename is reported once, as a
#: rename, and a version or date typed by hand says when, not what, something changed.
_SKIPPED = frozenset({"kind", "id", "aliases", "version", "effective_date", "editor_note", "lint_exempt"})
#: Models compared as one value and worded whole (“未达标时扣罚 50 元/日”, “每日 08:45”).
_ATOMIC: tuple[type[BaseModel], ...] = (Consequence, Duration, When)
#: A KPI's target is one thing to a reader: “≥ 30 次/日” changes as a whole.
_KPI_TARGET = ("comparator", "target", "unit", "period")


def _item_key(value: object) -> object:
    """What identifies a list element across revisions, whatever its place in the list."""
    if isinstance(value, DutyArea):
        return value.area
    if isinstance(value, KPI):
        return value.id or value.metric
    if isinstance(value, Clause):
        return value.id
    if isinstance(value, ProcessStep):
        return value.title
    if isinstance(value, Participant):
        return value.role
    if isinstance(value, TimeBlock):
        return (value.start, value.activity)
    if isinstance(value, TeamStage):
        return value.name
    if isinstance(value, OnboardingStep):
        return value.text
    if isinstance(value, BaseModel):
        return _canonical(value)
    return value


def _canonical(value: object) -> object:
    """A value with the order of every list inside it forgotten: 每周一、四 is 每周四、一."""
    if isinstance(value, list):
        return tuple(sorted(map(_canonical, value), key=repr)) if value else ()
    if isinstance(value, BaseModel):
        return tuple((name, _canonical(getattr(value, name))) for name in type(value).model_fields)
    return value


def _item_label(value: object) -> str:
    if isinstance(value, DutyArea):
        return value.area
    if isinstance(value, KPI):
        return value.metric
    if isinstance(value, (Clause, ProcessStep)):
        return value.title or str(getattr(value, "id", ""))
    if isinstance(value, Participant):
        return value.role
    if isinstance(value, TimeBlock):
        return f"{value.start} {value.activity}"
    if isinstance(value, TeamStage):
        return value.name
    if isinstance(value, OnboardingStep):
        return value.text
    return ""


def _item(value: object, index: int) -> Item:
    numbered = isinstance(value, (Clause, ProcessStep))
    ident = getattr(value, "id", None) if isinstance(value, (Clause, KPI)) else None
    return Item(_item_label(value), index + 1 if numbered else None, type(value).__name__, ident or "")


def diff_entities(old: Entity, new: Entity) -> list[Change]:
    """The changes from ``old`` to ``new`` (two versions of one entity)."""
    return _model(old, new, ())


def _model(old: BaseModel, new: BaseModel, path: tuple[Segment, ...]) -> list[Change]:
    out: list[Change] = []
    kpis = isinstance(old, KPI) and isinstance(new, KPI)
    if kpis and any(getattr(old, f) != getattr(new, f) for f in _KPI_TARGET):
        out.append(Change("changed", (*path, "target"), old, new))
    for name in type(new).model_fields:
        if name in _SKIPPED or (isinstance(new, KPI) and name in _KPI_TARGET):
            continue
        a, b = getattr(old, name, None), getattr(new, name, None)
        if a != b:
            out += _value(a, b, (*path, name))
    return out


def _value(a: object, b: object, path: tuple[Segment, ...]) -> list[Change]:
    if isinstance(a, list) and isinstance(b, list):
        return _list(a, b, path)
    if a is None or a == [] or a == "":
        return [Change("added", path, None, b)]
    if b is None or b == [] or b == "":
        return [Change("removed", path, a, None)]
    if isinstance(a, BaseModel) and isinstance(b, BaseModel) and type(a) is type(b) and not isinstance(a, _ATOMIC):
        return _model(a, b, path)
    if _canonical(a) == _canonical(b):
        return []
    return [Change("changed", path, a, b)]


def _list(a: Sequence[object], b: Sequence[object], path: tuple[Segment, ...]) -> list[Change]:
    """Elements matched by what identifies them, so a new order is no change."""
    old = {_item_key(v): (i, v) for i, v in enumerate(a)}
    new = {_item_key(v): (i, v) for i, v in enumerate(b)}
    out: list[Change] = []
    removed = [(i, v) for k, (i, v) in old.items() if k not in new]
    added = [(i, v) for k, (i, v) in new.items() if k not in old]
    for key, (i, value) in new.items():
        if key in old and old[key][1] != value:
            before = old[key][1]
            if _canonical(before) == _canonical(value):
                continue
            if isinstance(value, BaseModel) and isinstance(before, BaseModel) and not isinstance(value, _ATOMIC):
                out += _model(before, value, (*path, _item(value, i)))
            else:
                out.append(Change("changed", path, before, value))
    pairs, removed, added = _reworded(removed, added)
    out += [Change("changed", path, x, y) for x, y in pairs]
    out += [Change("removed", (*path, _item(v, i)) if _numbered(v) else path, v, None) for i, v in removed]
    out += [Change("added", (*path, _item(v, i)) if _numbered(v) else path, None, v) for i, v in added]
    return out


def _numbered(value: object) -> bool:
    return isinstance(value, (Clause, ProcessStep))


def _reworded(
    removed: list[tuple[int, object]], added: list[tuple[int, object]]
) -> tuple[list[tuple[object, object]], list[tuple[int, object]], list[tuple[int, object]]]:
    """Pairs of a removed and an added line of text close enough to read as one line reworded."""
    pairs: list[tuple[object, object]] = []
    left = list(added)
    kept: list[tuple[int, object]] = []
    atomic_gone = [(i, v) for i, v in removed if isinstance(v, _ATOMIC)]
    atomic_came = [(i, v) for i, v in added if isinstance(v, _ATOMIC)]
    if atomic_gone and len(atomic_gone) == len(atomic_came):
        # 扣罚 50 元 → 扣罚 80 元: as many rules removed as added reads as the rules changed, in order.
        pairs += [(x, y) for (_, x), (_, y) in zip(atomic_gone, atomic_came, strict=True)]
        removed = [r for r in removed if r not in atomic_gone]
        left = [a for a in left if a not in atomic_came]
    for i, value in removed:
        text = _plain_text(value)
        if text is None:
            kept.append((i, value))
            continue
        scored = [
            (difflib.SequenceMatcher(None, text, other, autojunk=False).ratio(), n)
            for n, (_, other) in enumerate((j, _plain_text(o)) for j, o in left)
            if other is not None
        ]
        best = max(scored, default=(0.0, -1))
        if best[0] >= 0.6:
            pairs.append((text, _plain_text(left.pop(best[1])[1])))
        else:
            kept.append((i, value))
    return pairs, kept, left


def _plain_text(value: object) -> str | None:
    """A line of text: a string, or a duty with no timing (its text is all there is to reword)."""
    if isinstance(value, str):
        return value
    if isinstance(value, DutyItem) and not value.deadlines and not value.response_times:
        return str(value.text)
    return None


def title_of(entity: Entity) -> str:
    """The entity's name as readers know it."""
    return registry.display_name(entity)


def pair_up(before: Parsed, after: Parsed) -> list[EntityDiff]:
    """Every entity that differs between the parsed files of two snapshots, in kind-then-id order.

    An entity whose old id is among a new entity's ``aliases`` was renamed, not removed and added.
    """
    renamed: dict[Key, Key] = {}
    for key, entity in after.entities.items():
        for alias in entity.aliases:
            old_key = (key[0], alias)
            if old_key in before.entities and old_key not in after.entities and key not in before.entities:
                renamed[old_key] = key
    out: list[EntityDiff] = []
    for key, entity in after.entities.items():
        file = after.files[key]
        was = next((k for k, v in renamed.items() if v == key), None)
        if was is not None:
            found = EntityDiff(key[0], key[1], "renamed", title_of(entity), file, old_id=was[1])
            found.changes = diff_entities(before.entities[was], entity)
            out.append(found)
        elif key in before.entities:
            changes = diff_entities(before.entities[key], entity)
            if changes:
                out.append(EntityDiff(key[0], key[1], "changed", title_of(entity), file, changes=changes))
        else:
            out.append(EntityDiff(key[0], key[1], "added", title_of(entity), file))
    for key, entity in before.entities.items():
        if key not in after.entities and key not in renamed:
            out.append(EntityDiff(key[0], key[1], "removed", title_of(entity), before.files[key]))
    out.sort(key=order)
    return out


def order(found: EntityDiff) -> tuple[int, str]:
    kinds = list(registry.KINDS)
    return (kinds.index(found.kind) if found.kind in kinds else len(kinds), found.id)
