"""Rows of the index pages a reader scans: every role with its unit, manager and headcount."""

from __future__ import annotations

from dataclasses import dataclass

from ..link.handbook import Handbook
from ..link.headcount import role_headcount
from .collation import pinyin_key


@dataclass(frozen=True)
class RoleRow:
    """One line of ``/roles/``: the role, its unit and manager ids, and its counts (None = not stated)."""

    role: str
    unit: str
    reports_to: str | None
    planned: int | None
    current: int | None
    grade: str | None

    @property
    def vacant(self) -> int | None:
        """Open positions: the plan minus today's count, when both are known."""
        if self.planned is None or self.current is None:
            return None
        return max(self.planned - self.current, 0)


def role_rows(hb: Handbook, unit_order: list[tuple[int, str]]) -> list[RoleRow]:
    """Every role, units in tree order, roles by pinyin within a unit; ratio rules applied to counts."""
    rows = []
    for _depth, uid in unit_order:
        for rid in sorted(hb.unit_roles.get(uid, []), key=lambda r: pinyin_key(hb.roles[r].title)):
            role = hb.roles[rid]
            current, planned = role_headcount(hb, rid)
            # A role with only today's count plans no change (the rule unit totals use too).
            planned = current if planned is None else planned
            grade = hb.get("grade", role.grade) if role.grade else None
            name = str(getattr(grade, "name", role.grade)) if role.grade else None
            rows.append(RoleRow(rid, uid, role.reports_to, planned, current, name))
    return rows
