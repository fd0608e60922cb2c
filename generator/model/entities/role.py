"""The Role model: a position (岗位) with its duties, requirements and targets."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from pydantic import Field, field_validator

from .base import Entity, OnboardingStep, PolicyRef, Slug, Strict, Text
from .competency import LEVELS
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
    """A duty written in the long form: a mapping with ``text``, a weight, the essential flag or a timing field."""
    return isinstance(value, dict) and bool({"text", "weight", "essential", "deadlines", "response_times"} & set(value))


class DutyArea(Strict):
    """Duties grouped under one area, such as 渠道维护 or 队伍建设."""

    area: str
    weight: float | None = Field(default=None, gt=0, le=100)
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
    experience_years: float | None = Field(default=None, ge=0, le=50)
    experience: str | None = None
    skills: list[Text] = Field(default_factory=list)
    certificates_required: list[str] = Field(default_factory=list)
    certificates_preferred: list[str] = Field(default_factory=list)
    languages: list[str] = Field(default_factory=list)
    abilities: list[Text] = Field(default_factory=list)


class InternalContact(Strict):
    """A role or unit inside the company the role works with, and about what."""

    role: Slug | None = None
    unit: Slug | None = None
    about: str | None = None


class ExternalContact(Strict):
    """A party outside the company (合作银行, 客户 …), and about what."""

    party: str
    about: str | None = None


class Relationships(Strict):
    """工作关系: who the role works with inside and outside the company."""

    internal: list[InternalContact] = Field(default_factory=list)
    external: list[ExternalContact] = Field(default_factory=list)


class Signature(Strict):
    """One line of the approval block: who (a name or a position) and when."""

    by: str
    date: dt.date | None = None


class Approval(Strict):
    """编制人, 审核人, 批准人 of the job description, each with a date."""

    prepared: Signature | None = None
    reviewed: Signature | None = None
    approved: Signature | None = None


class Career(Strict):
    """Where the role leads."""

    next: list[Slug] = Field(default_factory=list)
    note: str | None = None


class RoleVariant(Strict):
    """One version of a role (by branch, channel …): its name and the parts that differ.

    A part left out is the role's own; the rest of the role is shared by every variant.
    """

    id: Slug
    name: str
    summary: str | None = None
    headcount: Headcount | None = None
    duties: list[DutyArea] | None = None
    authority: list[Text] | None = None
    relationships: Relationships | None = None
    qualifications: Qualifications | None = None
    competencies: dict[Slug, Annotated[int, Field(ge=1, le=LEVELS)]] | None = None
    kpis: list[KPI] | None = None
    environment: str | None = None
    hours: str | None = None

    def parts(self) -> list[str]:
        """The fields this variant gives its own, in the role's field order."""
        return [name for name in VARIANT_PARTS if getattr(self, name) is not None]


#: What a variant may give its own: the role fields a branch or channel changes.
VARIANT_PARTS = ("summary", "headcount", "duties", "authority", "relationships", "qualifications",
                 "competencies", "kpis", "environment", "hours")


class Role(Entity):
    """A position (岗位)."""

    kind: Literal["role"]
    title: str
    unit: Slug
    reports_to: Slug | None = None
    code: str | None = None
    family: Slug | None = None
    grade: Slug | None = None
    headcount: Headcount | None = None
    summary: str = ""
    duties: list[DutyArea] = Field(default_factory=list)
    authority: list[Text] = Field(default_factory=list)
    relationships: Relationships | None = None
    qualifications: Qualifications | None = None
    competencies: dict[Slug, Annotated[int, Field(ge=1, le=LEVELS)]] = Field(default_factory=dict)
    kpis: list[KPI] = Field(default_factory=list)
    environment: str | None = None
    hours: str | None = None
    career: Career | None = None
    approval: Approval | None = None
    policies: list[PolicyRef] = Field(default_factory=list)
    onboarding: list[OnboardingStep] = Field(default_factory=list)
    variants: list[RoleVariant] = Field(default_factory=list)

    def as_variant(self, variant_id: str) -> Role:
        """This role as one of its variants reads it: the variant's parts in place of the role's own."""
        variant = next(v for v in self.variants if v.id == variant_id)
        update = {name: getattr(variant, name) for name in variant.parts()}
        return self.model_copy(update={**update, "variants": []})

    def variant(self, variant_id: str) -> RoleVariant | None:
        """The variant ``variant_id`` of this role, if it has one."""
        return next((v for v in self.variants if v.id == variant_id), None)
