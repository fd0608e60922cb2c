"""The KPI model: a measurable target with its period and consequences."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, field_validator

from .base import Consequence, Period, Slug, Strict

Comparator = Literal["≥", "≤", "="]

_ASCII_COMPARATORS = {">=": "≥", "<=": "≤", "==": "="}


class KPI(Strict):
    """A target such as 通话次数 ≥ 30 次/日, with what follows from meeting or missing it."""

    id: Slug | None = None
    metric: str
    comparator: Comparator
    target: float
    unit: str
    period: Period
    consequences: list[Consequence] = Field(default_factory=list)
    note: str | None = None

    @field_validator("comparator", mode="before")
    @classmethod
    def _ascii_comparator(cls, value: object) -> object:
        # Editors type ">=" far more easily than "≥"; both mean the same.
        return _ASCII_COMPARATORS.get(value, value) if isinstance(value, str) else value
