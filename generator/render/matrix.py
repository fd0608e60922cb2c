"""The job family × grade matrix (职务序列 × 职级): which roles sit where, with their vacancies."""

from __future__ import annotations

from dataclasses import dataclass

from ..link.handbook import Handbook
from ..link.headcount import role_headcount
from ..model.entities import Grade
from .collation import pinyin_key


@dataclass(frozen=True)
class Placed:
    """A role in a cell, with its open positions (planned − current; None when either is not given)."""

    role: str
    vacant: int | None


@dataclass(frozen=True)
class Matrix:
    """Rows are families (ids; None = roles with a grade but no family), columns grades by rank (None = no grade)."""

    families: tuple[str | None, ...]
    grades: tuple[str | None, ...]
    cells: dict[tuple[str | None, str | None], tuple[Placed, ...]]

    def cell(self, family: str | None, grade: str | None) -> tuple[Placed, ...]:
        """The roles of ``family`` at ``grade``, by pinyin of their titles (empty when none)."""
        return self.cells.get((family, grade), ())

    def vacant(self, family: str | None, grade: str | None) -> int:
        """Open positions in a cell, adding only the roles whose planned and current counts are known."""
        return sum(p.vacant or 0 for p in self.cell(family, grade))


def vacancy(hb: Handbook, role_id: str) -> int | None:
    """Planned − current (never below 0) for a role, or None when either is not known."""
    current, planned = role_headcount(hb, role_id)
    if current is None or planned is None:
        return None
    return max(planned - current, 0)


def matrix(hb: Handbook) -> Matrix:
    """Every role with a family or a grade, placed; roles with neither are not on the matrix."""
    grades = sorted(hb.table("grade").values(), key=lambda g: (g.rank if isinstance(g, Grade) else 0, g.id))
    cells: dict[tuple[str | None, str | None], list[Placed]] = {}
    for rid in sorted(hb.roles, key=lambda r: (pinyin_key(hb.roles[r].title), r)):
        role = hb.roles[rid]
        family = role.family if role.family in hb.table("family") else None
        grade = role.grade if role.grade in hb.table("grade") else None
        if family is None and grade is None:
            continue
        cells.setdefault((family, grade), []).append(Placed(rid, vacancy(hb, rid)))
    families: list[str | None] = list(hb.table("family"))
    columns: list[str | None] = [g.id for g in grades]
    if any(f is None for f, _ in cells):
        families.append(None)
    if any(g is None for _, g in cells):
        columns.append(None)
    return Matrix(tuple(families), tuple(columns), {k: tuple(v) for k, v in cells.items()})
