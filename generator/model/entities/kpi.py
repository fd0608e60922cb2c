"""The KPI model: a measurable target with its period, its weight in the score and its consequences."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, field_validator

from .base import Period, Slug, Strict
from .consequence import Consequence

Comparator = Literal["≥", "≤", "="]

_ASCII_COMPARATORS = {">=": "≥", "<=": "≤", "==": "="}

#: ``11-12`` (November to December) or a single month ``7``.
MONTHS_PATTERN = r"^(1[0-2]|[1-9])(-(1[0-2]|[1-9]))?$"


class SeasonTarget(Strict):
    """A target that differs for some months or a named season: 11–12 月旺季 150 通."""

    months: str | None = Field(default=None, pattern=MONTHS_PATTERN)
    """Month or month range, ``11-12``; may wrap the year end (``12-2``)."""
    name: str | None = None
    """The season's name, such as 旺季."""
    target: float


class KPI(Strict):
    """A target such as 通话次数 ≥ 30 次/日, with what follows from meeting or missing it."""

    id: Slug | None = None
    metric: str
    comparator: Comparator | None = None
    """Required whenever ``target`` is given."""
    target: float | None = None
    """The number to reach; leave out while it is still to be set, and say by whom in ``set_by``."""
    set_by: str | None = None
    """Who sets a target not yet known, in words: 由分公司下达."""
    seasons: list[SeasonTarget] = Field(default_factory=list)
    unit: str = ""
    """Unit of the target: 次, 分钟, 台, 万元 …; required whenever ``target`` is given."""
    period: Period
    weight: float | None = Field(default=None, gt=0, le=100)
    """Share of the role's weighted score, in percent; the weights of a role add up to 100."""
    consequences: list[Consequence] = Field(default_factory=list)
    note: str | None = None

    @field_validator("comparator", mode="before")
    @classmethod
    def _ascii_comparator(cls, value: object) -> object:
        # Editors type ">=" far more easily than "≥"; both mean the same.
        return _ASCII_COMPARATORS.get(value, value) if isinstance(value, str) else value
