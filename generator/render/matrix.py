"""The job family × grade matrix (职务序列 × 职级): which roles sit where, with their vacancies."""

from __future__ import annotations

from dataclasses import dataclass

from ..link.handbook import Handbook, Place
from ..model.entities import Grade
from .collation import pinyin_key


@dataclass(frozen=True)
class Matrix:
    """Rows are families (ids; None = roles with a grade but no family), columns grades by rank (None = no grade)."""

    families: tuple[str | None, ...]
    grades: tuple[str | None, ...]
    cells: dict[tuple[str | None, str | None], tuple[Place, ...]]

    def cell(self, family: str | None, grade: str | None) -> tuple[Place, ...]:
        """The roles of ``family`` at ``grade``, by pinyin of their titles (empty when none)."""
        return self.cells.get((family, grade), ())


def matrix(hb: Handbook, family: str | None = None, grade: str | None = None) -> Matrix:
    """The roles with a family or a grade, placed (from ``hb.ladder_cells``, not the roles themselves).

    Given a ``family`` (or ``grade``), only its row (or column) is read: a family's page then
    depends on its own cells, not on every role's place.
    """
    grades = sorted(hb.table("grade").values(), key=lambda g: (g.rank if isinstance(g, Grade) else 0, g.id))
    families: list[str | None] = [family] if family else [*hb.table("family"), None]
    columns: list[str | None] = [grade] if grade else [*(g.id for g in grades), None]
    cells: dict[tuple[str | None, str | None], tuple[Place, ...]] = {}
    for f in families:
        for g in columns:
            placed = hb.ladder_cells.get((f, g))
            if placed and (f or g):
                cells[(f, g)] = tuple(sorted(placed, key=lambda p: (pinyin_key(p.title), p.role)))
    if not family:
        families = [f for f in families if f is not None or any(k[0] is None for k in cells)]
    if not grade:
        columns = [g for g in columns if g is not None or any(k[1] is None for k in cells)]
    return Matrix(tuple(families), tuple(columns), cells)
