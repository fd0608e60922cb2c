"""The consequence model shared by KPIs and policy clauses: what follows, to whom, and on which condition."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field, model_validator

from .base import Period, Strict, Text

Effect = Literal["reward", "penalty"]
#: What kind of thing follows. Only ``money`` and ``points`` are counted, so only they need an amount.
ConsequenceType = Literal["money", "points", "eligibility", "warning", "demotion", "training", "dismissal", "other"]
Recipient = Literal["person", "team", "unit"]
#: The types whose amount is the whole point: without one the rule says nothing.
COUNTED: frozenset[str] = frozenset({"money", "points"})


class Step(Strict):
    """A step rule: the amount applies once per ``every`` ``unit`` above the target."""

    every: float = Field(gt=0)
    unit: str


class Rank(Strict):
    """A ranking place or range: 第 1 名 (first = last = 1), 前 3 名 (last = 3), 第 4–10 名."""

    first: int = Field(default=1, ge=1)
    last: int = Field(ge=1)
    among: str | None = None
    """Ranked among whom, e.g. 全部团队."""


class Occurrence(Strict):
    """One rung of a ladder: the nth time within a period (第 2 次), or the nth time onward (第 3 次起)."""

    nth: int = Field(ge=1)
    onward: bool = False
    within: Period | None = None
    """The period the count restarts in; counted over all time when omitted."""


class Threshold(Strict):
    """Applies once a count passes a limit within a period: 每月迟到超过 3 次."""

    more_than: int = Field(ge=0)
    per: Period
    what: str | None = None
    """What is counted, e.g. 迟到."""


class Consequence(Strict):
    """A reward or a penalty attached to a KPI or a policy clause."""

    effect: Effect
    """``reward`` or ``penalty``."""
    type: ConsequenceType = "money"
    amount: float | None = Field(default=None, ge=0)
    """Required for money and points; optional for the rest (降 1 级)."""
    currency: str = "元"
    """``元`` for money, or any unit the rule counts in."""
    per: str | None = None
    """What one amount is counted per: ``日``, ``月``, ``次`` …"""
    what: str | None = None
    """What it is in words when it is not money: 取消当月评优资格, 通报批评, 团建一次."""
    recipient: Recipient = "person"
    """Who receives it: the person, their team, or the unit."""
    when: str | None = None
    """The condition, in words, when no structured field below says it."""
    conditions: list[Text] = Field(default_factory=list)
    """Prerequisites that must all hold (完成当日任务方可参评)."""
    rank: Rank | None = None
    occurrence: Occurrence | None = None
    threshold: Threshold | None = None
    step: Step | None = None
    """For step rules: the amount is paid per ``step.every`` ``step.unit``."""
    extra: str | None = None
    """A further non-monetary part of the same consequence."""

    @model_validator(mode="before")
    @classmethod
    def _legacy_type(cls, data: Any) -> Any:
        # Files written before consequence types existed say ``type: penalty``; read them as money
        # (or points, when counted in 分) so that no handbook breaks on upgrade.
        if isinstance(data, dict) and data.get("type") in ("reward", "penalty") and "effect" not in data:
            counted = "points" if data.get("currency") == "分" else "money"
            data = {**data, "effect": data["type"], "type": counted}
        return data
