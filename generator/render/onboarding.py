"""A new hire's plan: the role's, its units' and the company's onboarding steps in 第1天 / 第1周 / 第1月.

Only the role's own tasks: the training a unit's team stages list is what its leaders deliver,
shown on the unit page, not items for every newcomer to tick.

The checklist is a section of the role's page (anchor ``#onboarding``), not a page of its own: at
1,000 roles those pages were 1,000 of the site's 2,184, and both engines pay per page. The old
address ``roles/<id>/onboarding/`` was handed to new hires, so it stays, a static redirect to the
section (:func:`redirects`).
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass

from ..link.handbook import Handbook
from ..model import paths
from ..model.entities.base import OnboardingStep

_WHEN = re.compile(r"^第(\d+)(天|周|月)$")
_DAYS = {"天": 1, "周": 7, "月": 30}

#: The checklist's groups, as the role page promises them: by the last day each covers.
GROUPS = (("第1天", 1), ("第1周", 7), ("第1月", 30))
#: Items due after the first month, if HR writes any (the sample has none).
LATER = "第1月后"
#: Locale label of each group's heading.
LABELS = {
    "第1天": "onboarding_day1", "第1周": "onboarding_week1", "第1月": "onboarding_month1", LATER: "onboarding_later",
}


@dataclass(frozen=True)
class Item:
    """One checklist line: its text, an optional reference, who sees it done, and its due day."""

    text: str
    ref: str | None
    origin: tuple[str, str]
    """``(kind, id)`` of the entity that defines the step."""
    owner: str | None = None
    """The role that sees it done (the step's ``owner``, else the new hire's direct manager)."""
    day: int = 1
    """Due day, counted from the first day (1)."""


@dataclass(frozen=True)
class Group:
    """All items due within the same period: 第1天, 第1周 or 第1月."""

    when: str
    items: tuple[Item, ...]

    @property
    def label(self) -> str:
        """The locale label of the group's heading."""
        return LABELS[self.when]


def due_day(when: str) -> int:
    """Days from the start date: 第1天 → 1, 第2周 → 14, 第1月 → 30."""
    match = _WHEN.match(when)
    if not match:
        return 10_000
    return int(match[1]) * _DAYS[match[2]]


def _group(day: int) -> str:
    for when, last in GROUPS:
        if day <= last:
            return when
    return LATER


def plan(hb: Handbook, role_id: str) -> list[Group]:
    """The role's checklist: its own steps, then its unit's and every ancestor unit's, by due day."""
    role = hb.roles[role_id]
    units = [role.unit, *hb.ancestors(role.unit)] if role.unit in hb.units else []
    manager = role.reports_to if role.reports_to in hb.roles else None
    steps: list[tuple[OnboardingStep, tuple[str, str]]] = [(s, ("role", role.id)) for s in role.onboarding]
    for uid in units:
        steps += [(s, ("unit", uid)) for s in hb.units[uid].onboarding]
    # One task per clause or step: the first wins, so the role's own step before its unit's (a
    # repeat is a validation warning, link/assignments.py).
    seen: set[str] = set()
    items = []
    for step, origin in steps:
        if (step.ref or step.text) in seen:
            continue
        seen.add(step.ref or step.text)
        items.append(Item(step.text, step.ref, origin, step.owner or manager, step.day or due_day(step.when)))
    buckets: dict[str, list[Item]] = {}
    for item in sorted(items, key=lambda it: it.day):  # stable: same day keeps role, unit, company order
        buckets.setdefault(_group(item.day), []).append(item)
    order = [when for when, _ in GROUPS] + [LATER]
    return [Group(when, tuple(buckets[when])) for when in order if when in buckets]


def redirects(hb: Handbook) -> dict[str, tuple[str, str]]:
    """``{docs path of a checklist's old page: (href of the role page's section, relative to the old
    page; the role's id)}``: every role's, and every old id's of a renamed role (its old checklist
    address too)."""
    ids = {rid: rid for rid in hb.roles}
    ids.update({alias: current for (kind, alias), current in hb.aliases.items() if kind == "role"})
    out = {}
    for old, current in sorted(ids.items()):
        source = paths.onboarding_redirect(old)
        target = posixpath.dirname(paths.redirect("role", current))
        out[source] = (f"{posixpath.relpath(target, posixpath.dirname(source))}/#{paths.ONBOARDING}", current)
    return out
