"""A new hire's plan: the role's, its units' and the company's onboarding steps, by due date."""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..link.handbook import Handbook

_WHEN = re.compile(r"^第(\d+)(天|周|月)$")
_DAYS = {"天": 1, "周": 7, "月": 30}
_MONTHS = re.compile(r"^(\d+)")


@dataclass(frozen=True)
class Item:
    """One checklist line: its text, an optional reference, and where it comes from."""

    text: str
    ref: str | None
    origin: tuple[str, str]
    """``(kind, id)`` of the entity that defines the step."""


@dataclass(frozen=True)
class Group:
    """All items due by the same point, e.g. 第1周."""

    when: str
    items: tuple[Item, ...]


def due_day(when: str) -> int:
    """Days from the start date: 第1天 → 1, 第2周 → 14, 第1月 → 30."""
    match = _WHEN.match(when)
    if not match:
        return 10_000
    return int(match[1]) * _DAYS[match[2]]


def plan(hb: Handbook, role_id: str) -> list[Group]:
    """The role's checklist: its own steps, then its unit's and every ancestor unit's, by due date.

    A unit's team stages (建立初期, 动荡期 …) add their training topics to the month the
    stage starts, so a new call-center hire sees what the team trains in its first months.
    """
    role = hb.roles[role_id]
    units = [role.unit, *hb.ancestors(role.unit)] if role.unit in hb.units else []
    buckets: dict[str, list[Item]] = {}

    def add(when: str, item: Item) -> None:
        buckets.setdefault(when, []).append(item)

    for step in role.onboarding:
        add(step.when, Item(step.text, step.ref, ("role", role.id)))
    for uid in units:
        unit = hb.units[uid]
        for step in unit.onboarding:
            add(step.when, Item(step.text, step.ref, ("unit", uid)))
        for stage in unit.stages:
            start = _MONTHS.match(stage.months.strip())
            if not start:
                continue
            when = f"第{int(start[1])}月"
            for topic in stage.training:
                add(when, Item(f"{stage.name}·{topic}", f"unit:{uid}", ("unit", uid)))
    return [Group(when, tuple(items)) for when, items in sorted(buckets.items(), key=lambda kv: due_day(kv[0]))]
