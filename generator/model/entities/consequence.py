"""The consequence model shared by KPIs and policy clauses: what follows, to whom, and on which condition."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import Field, model_validator

from ..choices import Choice
from .base import Period, Strict, Text

Effect = Annotated[Literal["reward", "penalty"], Choice("effect")]
#: What kind of thing follows. Only ``money`` and ``points`` are counted, so only they need an amount.
ConsequenceType = Annotated[
    Literal["money", "points", "eligibility", "warning", "demotion", "training", "dismissal", "other"],
    Choice("consequence_type"),
]
Recipient = Annotated[Literal["person", "team", "unit"], Choice("recipient")]
#: Money and points; a rule that names none counts in its company's default (``choices.yaml``).
Currency = Annotated[Literal["元", "美元", "港元", "新台币", "欧元", "英镑", "分"], Choice("currency")]
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


class Occurrence(Strict):
    """One rung of a ladder: the nth time within a period (第 2 次), or the nth time onward (第 3 次起)."""

    nth: int = Field(ge=1)
    onward: bool = False
    within: Period | None = None


class Threshold(Strict):
    """Applies once a count passes a limit within a period: 每月迟到超过 3 次."""

    more_than: int = Field(ge=0)
    per: Period
    what: str | None = None
    unit: str | None = None


class Consequence(Strict):
    """A reward or a penalty attached to a KPI or a policy clause."""

    effect: Effect
    type: ConsequenceType = "money"
    amount: float | None = Field(default=None, ge=0)
    minimum: float | None = Field(default=None, ge=0)
    maximum: float | None = Field(default=None, ge=0)
    currency: Currency | None = None
    points: str | None = None
    per: str | None = None
    what: str | None = None
    recipient: Recipient = "person"
    when: str | None = None
    conditions: list[Text] = Field(default_factory=list)
    rank: Rank | None = None
    occurrence: Occurrence | None = None
    threshold: Threshold | None = None
    step: Step | None = None
    extra: str | None = None

    @model_validator(mode="before")
    @classmethod
    def _legacy_type(cls, data: Any) -> Any:
        # Files written before consequence types existed say ``type: penalty``; read them as money
        # (or points, when counted in 分) so that no handbook breaks on upgrade.
        if isinstance(data, dict) and data.get("type") in ("reward", "penalty") and "effect" not in data:
            counted = "points" if data.get("currency") == "分" else "money"
            data = {**data, "effect": data["type"], "type": counted}
        elif isinstance(data, dict) and "type" in data and "effect" not in data:
            # An unknown type such as 罚款 is the one mistake to report; the file fails on it anyway,
            # so a provisional effect only keeps a second, derived message away.
            data = {**data, "effect": "penalty"}
        return data
