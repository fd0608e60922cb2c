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
    """Only on these weekdays; every working day when empty."""
    process: Slug | None = None
    """The process that runs in this block, if any."""
    note: str | None = None


class TeamStage(Strict):
    """A stage of a new team's life (建立初期, 动荡期, 稳定期) and how to lead it."""

    name: str
    months: str
    """Months since the team started, e.g. ``1-2``."""
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
    """Sales channel: 银保, 电销, 团险, 续保 …"""
    schedule: list[TimeBlock] = Field(default_factory=list)
    stages: list[TeamStage] = Field(default_factory=list)
    onboarding: list[OnboardingStep] = Field(default_factory=list)
    """Checklist items every role of this unit (and its sub-units) shares."""
