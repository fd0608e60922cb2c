"""The Unit model: a department or team, its place in the tree and its daily schedule."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from .base import Clock, Entity, OnboardingStep, Slug, Strict, Text, Weekday


class TimeBlock(Strict):
    """One block of the unit's working day."""

    start: Clock
    end: Clock | None = None
    activity: str
    days: list[Weekday] = Field(default_factory=list)
    process: Slug | None = None
    note: str | None = None


class TeamStage(Strict):
    """A stage of a new team's life (建立初期, 动荡期, 稳定期) and how to lead it."""

    name: str
    months: str
    problems: list[Text] = Field(default_factory=list)
    approach: list[Text] = Field(default_factory=list)
    training: list[Text] = Field(default_factory=list)


class Unit(Entity):
    """A department or team (部门/团队)."""

    kind: Literal["unit"]
    name: str
    parent: Slug | None = None
    description: str = ""
    channel: str | None = None
    schedule: list[TimeBlock] = Field(default_factory=list)
    stages: list[TeamStage] = Field(default_factory=list)
    onboarding: list[OnboardingStep] = Field(default_factory=list)
