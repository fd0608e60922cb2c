"""Headcounts computed from the roles: per role (ratios applied), per unit (summed), and ratio checks."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

from .handbook import Handbook


def role_headcount(hb: Handbook, role_id: str) -> tuple[int | None, int | None]:
    """``(current, planned)`` for a role; a ratio rule is applied to the counted role."""
    role = hb.roles[role_id]
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


def unit_totals(hb: Handbook, unit_id: str) -> Mapping[str, int | None]:
    """Headcount of a unit and everything below it: computed, never typed.

    A role with only a current count counts the same in the plan: no plan means no change.
    """
    current = planned = 0
    known_current = known_planned = False
    for uid in [unit_id, *hb.descendants(unit_id)]:
        for rid in hb.unit_roles.get(uid, []):
            now, plan = role_headcount(hb, rid)
            if now is not None:
                current += now
                known_current = True
            if plan is not None:
                planned += plan
                known_planned = True
            elif now is not None:
                planned += now
    return {"current": current if known_current else None, "planned": planned if known_planned else None}


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
