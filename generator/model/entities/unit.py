"""The Unit model: a department or team, its place in the tree and its daily schedule."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import Field, StringConstraints

from ..choices import Choice
from .base import Approvers, Clock, EndClock, Entity, OnboardingStep, ProcessId, Strict, Text, UnitId, Weekday
from .kpi import KPI
from .shift import Rota, Shift


class TimeBlock(Strict):
    """One block of the unit's working day."""

    start: Clock
    #: 24:00 ends the day; an end before the start crosses midnight (22:00–06:00).
    end: EndClock | None = None
    activity: str
    days: list[Weekday] = Field(default_factory=list)
    process: ProcessId | None = None
    note: str | None = None


class TeamStage(Strict):
    """A stage of a new team's life (建立初期, 动荡期, 稳定期) and how to lead it."""

    name: str
    months: str
    problems: list[Text] = Field(default_factory=list)
    approach: list[Text] = Field(default_factory=list)
    training: list[Text] = Field(default_factory=list)


#: A logo file beside the unit's YAML, e.g. ``logo.svg`` or ``images/logo.png``: a relative path whose
#: parts are plain names (so never ``..`` or ``/`` first), of an image type the PDF and the site show.
LOGO_PATTERN = r"^[A-Za-z0-9_-]+(?:[./][A-Za-z0-9_-]+)*\.(svg|png|jpg|jpeg)$"
LogoPath = Annotated[str, StringConstraints(pattern=LOGO_PATTERN)]


class CompanySettings(Strict):
    """A company's settings, on the top unit it heads: its name in every PDF header, logo, defaults, locale."""

    name: str
    short_name: str | None = None
    logo: LogoPath | None = None
    effective_date: dt.date | None = None
    locale: Literal["zh", "zh-Hant", "en"] | None = None
    site_name: str | None = None
    description: str | None = None
    welcome: Text | None = None
    #: The company's default approvers of job descriptions (a unit or role may name its own).
    approvers: Approvers | None = None
    #: ``warn``: a role changed after its approval date is a validate warning (so ``--strict`` fails in
    #: CI); ``show`` (default): shown as 待重新审批 on its page, PDF and the completeness page only.
    stale_approval: Annotated[Literal["show", "warn"], Choice("stale_approval")] = "show"


class Unit(Entity):
    """A department or team (部门/团队)."""

    kind: Literal["unit"]
    name: str
    parent: UnitId | None = None
    description: str = ""
    channel: str | None = None
    schedule: list[TimeBlock] = Field(default_factory=list)
    stages: list[TeamStage] = Field(default_factory=list)
    shifts: list[Shift] = Field(default_factory=list)
    rotas: list[Rota] = Field(default_factory=list)
    kpis: list[KPI] = Field(default_factory=list)
    onboarding: list[OnboardingStep] = Field(default_factory=list)
    approvers: Approvers | None = None
    company: CompanySettings | None = None
