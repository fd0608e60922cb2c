"""A unit's named shifts (times up to 24:00, across midnight) and its rotas: who works which shift
on which day of a repeating cycle, and the rules by grade the rota must keep."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from ..choices import Choice
from .base import Clock, EndClock, GradeId, RoleId, Slug, Strict

#: What a shift is: worked by day, worked through the night, or on call (reachable, not on site).
ShiftKind = Annotated[Literal["day", "night", "on-call"], Choice("shift_kind")]


class Shift(Strict):
    """A named shift of a unit: 白班 08:00–16:00, 大夜 00:00–08:00, 小夜 16:00–24:00."""

    id: Slug
    name: str
    start: Clock
    #: 24:00 ends the day; an end before the start crosses midnight (22:00–06:00).
    end: EndClock
    kind: ShiftKind = "day"
    note: str | None = None


class RotaStaff(Strict):
    """Who works a slot of a rota: a role, a grade, or both, and how many people."""

    role: RoleId | None = None
    grade: GradeId | None = None
    count: int = Field(default=1, ge=1, le=99)


class RotaSlot(Strict):
    """One shift of a rota: on which days (or weeks) of the cycle, and who works it."""

    shift: Slug
    #: Days of the cycle (weeks, when the cycle is counted in weeks), 1 first; every one when empty.
    at: list[int] = Field(default_factory=list)
    staff: list[RotaStaff] = Field(default_factory=list)


class RotaRule(Strict):
    """A rule every slot of a rota keeps: on the shifts of ``kind`` (or ``shift``), at least ``count``
    people of grade ``min_grade`` or above (``N1 不单独值夜班`` → a night shift holds an N2 or above)."""

    text: str
    kind: ShiftKind | None = None
    shift: Slug | None = None
    min_grade: GradeId
    count: int = Field(default=1, ge=1, le=99)


class Rota(Strict):
    """A repeating rota (排班): a cycle of days or weeks, which shift on which day, who, and its rules."""

    id: Slug
    name: str
    cycle: int = Field(ge=1, le=366)
    cycle_unit: Annotated[Literal["天", "周"], Choice("cycle_unit")] = "天"
    roles: list[RoleId] = Field(default_factory=list)
    pattern: list[RotaSlot] = Field(default_factory=list)
    rules: list[RotaRule] = Field(default_factory=list)
    note: str | None = None
