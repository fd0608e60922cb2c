"""Headcounts computed from the roles: per role (ratios applied), per unit (summed), and ratio checks."""

from __future__ import annotations

import math
from dataclasses import dataclass

from ..model.entities import Role
from .handbook import Handbook


def role_headcount(hb: Handbook, role_id: str, role: Role | None = None) -> tuple[int | None, int | None]:
    """``(current, planned)`` for a role (or for ``role``, the role as one of its variants reads it);
    a ratio rule is applied to the counted role."""
    role = role or hb.roles[role_id]
    hc = role.headcount
    if hc is None:
        return None, None
    if hc.current is not None or hc.planned is not None:
        return hc.current, hc.planned
    if hc.ratio and hc.ratio.of in hb.roles and hc.ratio.of != role_id:
        base = hb.roles[hc.ratio.of].headcount
        if base and (base.current is not None or base.planned is not None):
            current = base.current * hc.ratio.count // hc.ratio.per if base.current is not None else None
            planned = base.planned * hc.ratio.count // hc.ratio.per if base.planned is not None else None
            return current, planned
    return None, None


@dataclass(frozen=True)
class UnitHeadcount:
    """A unit's headcount in HR's words: 编制 (authorised), 现有 (current), 空缺 (vacant)."""

    current: int | None
    """现有: the sum of the roles that gave a current count; None when none did."""
    planned: int | None
    """编制: the sum of the authorised counts (a role with only a current count counts it here too)."""
    unreported: int
    """Roles that gave no number at all: said as such ("3 个岗位未填报"), never counted as zero."""

    @property
    def vacant(self) -> int | None:
        """空缺 = 编制 − 现有, when both are known and positions are open."""
        if self.current is None or self.planned is None or self.planned <= self.current:
            return None
        return self.planned - self.current


def unit_totals(hb: Handbook, unit_id: str) -> UnitHeadcount:
    """Headcount of a unit and everything below it: computed, never typed.

    A role with only a current count counts the same in the plan: no plan means no change.
    """
    current = planned = unreported = 0
    known_current = known_planned = False
    for uid in [unit_id, *hb.descendants(unit_id)]:
        for rid in hb.unit_roles.get(uid, []):
            now, plan = role_headcount(hb, rid)
            if now is None and plan is None:
                unreported += 1
            if now is not None:
                current += now
                known_current = True
            if plan is not None:
                planned += plan
                known_planned = True
            elif now is not None:
                planned += now
    return UnitHeadcount(current if known_current else None, planned if known_planned else None, unreported)


def company_totals(hb: Handbook) -> UnitHeadcount:
    """The whole handbook's headcount: every root unit's totals added up."""
    parts = [unit_totals(hb, uid) for uid in hb.root_units()]
    currents = [t.current for t in parts if t.current is not None]
    planned = [t.planned for t in parts if t.planned is not None]
    return UnitHeadcount(
        sum(currents) if currents else None, sum(planned) if planned else None, sum(t.unreported for t in parts)
    )


@dataclass(frozen=True)
class RatioMismatch:
    """A role whose stated count disagrees with its own ratio rule."""

    field: str
    """``current`` or ``planned``: the count that disagrees."""
    actual: int
    expected: str
    """What the rule gives: ``48``, or ``2–3`` when the rule does not divide evenly."""
    base: int
    """The count of the role the rule is measured against."""


def ratio_mismatch(hb: Handbook, role_id: str) -> RatioMismatch | None:
    """The disagreement between a role's counts and its ratio rule, if any.

    The rule describes the intended staffing, so the plan is compared when both roles state
    one; otherwise today's counts. Only counts typed in YAML are compared.
    """
    hc = hb.roles[role_id].headcount
    if hc is None or hc.ratio is None or hc.ratio.of not in hb.roles or hc.ratio.of == role_id:
        return None
    base = hb.roles[hc.ratio.of].headcount
    if base is None:
        return None
    pairs = (("planned", hc.planned, base.planned), ("current", hc.current, base.current))
    for name, actual, base_count in pairs:
        if actual is None or base_count is None:
            continue
        exact = base_count * hc.ratio.count / hc.ratio.per
        low, high = math.floor(exact), math.ceil(exact)
        if low <= actual <= high:
            return None
        expected = str(low) if low == high else f"{low}–{high}"
        return RatioMismatch(name, actual, expected, base_count)
    return None
