"""The job family × grade matrix (职务序列 × 职级): which roles sit where, with their vacancies."""

from __future__ import annotations

from dataclasses import dataclass

from ..link.handbook import Handbook
from ..model.entities import Grade
from .collation import pinyin_key


@dataclass(frozen=True)
class Placed:
    """A role in a cell, with its open positions (planned − current; None when either is not given)."""

    role: str
    title: str
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


def matrix(hb: Handbook) -> Matrix:
    """Every role with a family or a grade, placed (from ``hb.role_places``, not the roles themselves)."""
    grades = sorted(hb.table("grade").values(), key=lambda g: (g.rank if isinstance(g, Grade) else 0, g.id))
    cells: dict[tuple[str | None, str | None], list[Placed]] = {}
    places = dict(hb.role_places.items())
    for rid in sorted(places, key=lambda r: (pinyin_key(places[r].title), r)):
        place = places[rid]
        cells.setdefault((place.family, place.grade), []).append(Placed(rid, place.title, place.vacant))
    families: list[str | None] = list(hb.table("family"))
    columns: list[str | None] = [g.id for g in grades]
    if any(f is None for f, _ in cells):
        families.append(None)
    if any(g is None for _, g in cells):
        columns.append(None)
    return Matrix(tuple(families), tuple(columns), {k: tuple(v) for k, v in cells.items()})
