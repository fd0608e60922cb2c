"""The Role model: a position (岗位) with its duties, requirements and targets."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field, field_validator

from .base import Entity, OnboardingStep, PolicyRef, Slug, Strict, Text
from .kpi import KPI
from .timing import DutyItem


class Ratio(Strict):
    """A staffing rule: ``count`` of this role per ``per`` of role ``of``."""

    count: int = Field(default=1, ge=1)
    per: int = Field(ge=1)
    of: Slug


class Headcount(Strict):
    """How many people hold the role now, how many are planned, or by which rule."""

    current: int | None = Field(default=None, ge=0)
    planned: int | None = Field(default=None, ge=0)
    ratio: Ratio | None = None
    note: str | None = None


def _is_item(value: Any) -> bool:
    """A duty written in the long form: a mapping with ``text`` or a timing field."""
    return isinstance(value, dict) and bool({"text", "deadlines", "response_times"} & set(value))


class DutyArea(Strict):
    """Duties grouped under one area, such as 渠道维护 or 队伍建设."""

    area: str
    items: list[DutyItem] = Field(default_factory=list)

    @field_validator("items", mode="before")
    @classmethod
    def _plain_items(cls, value: Any) -> Any:
        # Most duties are one sentence; only those with a deadline need the longer form.
        return [v if _is_item(v) else {"text": v} for v in value] if isinstance(value, list) else value


class Qualifications(Strict):
    """What a holder of the role must or should bring."""

    education: str | None = None
    major: str | None = None
    age_max: int | None = Field(default=None, ge=16, le=80)
    experience: str | None = None
    certificates_required: list[str] = Field(default_factory=list)
    certificates_preferred: list[str] = Field(default_factory=list)
    abilities: list[Text] = Field(default_factory=list)


class Career(Strict):
    """Where the role leads."""

    next: list[Slug] = Field(default_factory=list)
    note: str | None = None


class Role(Entity):
    """A position (岗位)."""

    kind: Literal["role"]
    title: str
    unit: Slug
    reports_to: Slug | None = None
    headcount: Headcount | None = None
    summary: str = ""
    duties: list[DutyArea] = Field(default_factory=list)
    qualifications: Qualifications | None = None
    kpis: list[KPI] = Field(default_factory=list)
    career: Career | None = None
    policies: list[PolicyRef] = Field(default_factory=list)
    onboarding: list[OnboardingStep] = Field(default_factory=list)
