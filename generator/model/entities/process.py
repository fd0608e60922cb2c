"""The Process model: a meeting, routine or procedure with its people, timing and steps."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from ..choices import Choice
from .base import Clock, Duration, Entity, Frequency, RoleId, Strict, Text, UnitId, Weekday
from .timing import Deadline, ResponseTime

Part = Annotated[Literal["responsible", "accountable", "consulted", "informed"], Choice("part")]


class Participant(Strict):
    """A role taking part in a process, with its RACI part."""

    role: RoleId
    part: Part


class When(Strict):
    """When a process runs: 每日 08:45, 每周一和周四, 每小时整点, 每月最后一个工作日 …"""

    every: Frequency
    count: int = Field(default=1, ge=1)
    weekdays: list[Weekday] = Field(default_factory=list)
    day: Annotated[Literal["第一个工作日", "最后一个工作日"], Choice("month_day")] | None = None
    times: list[Clock] = Field(default_factory=list)
    minute: int | None = Field(default=None, ge=0, le=59)
    note: str | None = None


class ProcessStep(Strict):
    """One numbered step."""

    title: Text
    actor: RoleId | None = None
    duration: Duration | None = None
    detail: str | None = None
    substeps: list[Text] = Field(default_factory=list)
    deadlines: list[Deadline] = Field(default_factory=list)
    response_times: list[ResponseTime] = Field(default_factory=list)


class Process(Entity):
    """A process, meeting or routine (流程/会议)."""

    kind: Literal["process"]
    title: str
    category: Annotated[Literal["会议", "流程", "例行工作"], Choice("category")] = "流程"
    unit: UnitId | None = None
    owner: RoleId
    participants: list[Participant] = Field(default_factory=list)
    when: When | None = None
    duration: Duration | None = None
    deadlines: list[Deadline] = Field(default_factory=list)
    response_times: list[ResponseTime] = Field(default_factory=list)
    purpose: str = ""
    key_points: list[Text] = Field(default_factory=list)
    steps: list[ProcessStep] = Field(default_factory=list)
    records: list[str] = Field(default_factory=list)
