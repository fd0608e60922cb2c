"""The KPI model: a measurable target with its period, its weight in the score and its consequences."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, field_validator

from ..choices import Choice
from .base import Period, Slug, Strict, Text
from .consequence import Consequence

Comparator = Annotated[Literal["≥", "≤", "="], Choice("comparator")]

_ASCII_COMPARATORS = {">=": "≥", "<=": "≤", "==": "="}

#: ``11-12`` (November to December) or a single month ``7``.
MONTHS_PATTERN = r"^(1[0-2]|[1-9])(-(1[0-2]|[1-9]))?$"


class SeasonTarget(Strict):
    """A target that differs for some months or a named season: 11–12 月旺季 150 通."""

    months: str | None = Field(default=None, pattern=MONTHS_PATTERN)
    name: str | None = None
    target: float


class KpiPart(Strict):
    """A part of a KPI's target that has a target of its own: 其中 I 类 ≥ 10 分."""

    name: str
    comparator: Comparator
    target: float
    unit: str | None = None

    @field_validator("comparator", mode="before")
    @classmethod
    def _ascii_comparator(cls, value: object) -> object:
        return _ASCII_COMPARATORS.get(value, value) if isinstance(value, str) else value


class KPI(Strict):
    """A target such as 通话次数 ≥ 30 次/日, with what follows from meeting or missing it."""

    id: Slug | None = None
    metric: str
    comparator: Comparator | None = None
    target: float | None = None
    set_by: str | None = None
    seasons: list[SeasonTarget] = Field(default_factory=list)
    unit: str = ""
    standard: Text | None = None
    parts: list[KpiPart] = Field(default_factory=list)
    # Without a period the target holds whenever it is measured (a pass rate, a licence kept valid).
    period: Period | None = None
    weight: float | None = Field(default=None, gt=0, le=100)
    consequences: list[Consequence] = Field(default_factory=list)
    note: str | None = None

    @field_validator("comparator", mode="before")
    @classmethod
    def _ascii_comparator(cls, value: object) -> object:
        # Editors type ">=" far more easily than "≥"; both mean the same.
        return _ASCII_COMPARATORS.get(value, value) if isinstance(value, str) else value
