"""The Assessment model: a scored review (考核表) with weighted items, who scores them, and what a total leads to."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from .base import Entity, Period, PolicyClause, ProcessId, RoleId, Strict, Text, UnitId
from .consequence import Consequence
from .policy import AppliesTo


class ScoreItem(Strict):
    """One scored item: 护理文书书写 30%, scored by the head nurse by spot checks, monthly."""

    name: str
    weight: float | None = Field(default=None, gt=0, le=100)
    points: float | None = Field(default=None, gt=0)
    scorer: RoleId | None = None
    method: str | None = None
    period: Period | None = None
    standard: Text | None = None


class ScoreRule(Strict):
    """What a total score leads to: 低于 85 分取消当月评优; 95 分及以上奖励 200 元."""

    below: float | None = Field(default=None, ge=0)
    at_least: float | None = Field(default=None, ge=0)
    consequences: list[Consequence] = Field(min_length=1)


class Assessment(Entity):
    """An assessment (考核): scored items and the rules on their total, for roles, units, processes or policies."""

    kind: Literal["assessment"]
    title: str
    unit: UnitId | None = None
    owner: RoleId | None = None
    summary: Text | None = None
    period: Period | None = None
    total: float = Field(default=100, gt=0)
    applies_to: AppliesTo = Field(default_factory=AppliesTo)
    processes: list[ProcessId] = Field(default_factory=list)
    policies: list[PolicyClause] = Field(default_factory=list)
    items: list[ScoreItem] = Field(min_length=1)
    rules: list[ScoreRule] = Field(default_factory=list)
