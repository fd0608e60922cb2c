"""The Role model: a position (岗位) with its duties, requirements and targets."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Annotated, Any, ClassVar, Literal, Optional

from pydantic import BaseModel, Field, create_model, field_validator

from ..choices import Choice
from ..fields import declared
from .base import (
    Approvers,
    CompetencyId,
    Entity,
    FamilyId,
    GradeId,
    OnboardingStep,
    PolicyClause,
    RoleId,
    Slug,
    Strict,
    Text,
    UnitId,
)
from .competency import LEVELS
from .kpi import KPI
from .timing import DutyItem


class Ratio(Strict):
    """A staffing rule: ``count`` of this role per ``per`` of role ``of``."""

    count: int = Field(default=1, ge=1)
    per: int = Field(ge=1)
    of: RoleId


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

    role: RoleId | None = None
    unit: UnitId | None = None
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


class SpecialHours(Strict):
    """特殊工时: a working-time system other than the standard one, approved by the labour authority."""

    type: Annotated[Literal["不定时", "综合计算工时"], Choice("special_hours_type")]
    approval_no: str | None = None
    expires: dt.date | None = None


class ReviewBy(Strict):
    """When the job description must be reviewed next, and which role answers for it."""

    date: dt.date
    owner: RoleId | None = None


class Career(Strict):
    """Where the role leads."""

    next: list[RoleId] = Field(default_factory=list)
    note: str | None = None


class Role(Entity):
    """A position (岗位)."""

    kind: Literal["role"]
    title: str
    unit: UnitId
    reports_to: RoleId | None = None
    code: str | None = None
    family: FamilyId | None = None
    grade: GradeId | None = None
    headcount: Headcount | None = None
    summary: str = ""
    duties: list[DutyArea] = Field(default_factory=list)
    authority: list[Text] = Field(default_factory=list)
    relationships: Relationships | None = None
    qualifications: Qualifications | None = None
    competencies: dict[CompetencyId, Annotated[int, Field(ge=1, le=LEVELS)]] = Field(default_factory=dict)
    kpis: list[KPI] = Field(default_factory=list)
    environment: str | None = None
    hours: str | None = None
    #: The unit's shifts (ids of its ``shifts``, or of a unit above it) this role works.
    shifts: list[Slug] = Field(default_factory=list)
    special_hours: SpecialHours | None = None
    career: Career | None = None
    approval: Approval | None = None
    approvers: Approvers | None = None
    review_by: ReviewBy | None = None
    policies: list[PolicyClause] = Field(default_factory=list)
    onboarding: list[OnboardingStep] = Field(default_factory=list)
    variants: list[RoleVariant] = Field(default_factory=list)

    def as_variant(self, variant_id: str) -> Role:
        """This role as one of its variants reads it: each part the variant gives in place of the
        role's own, or after it (``variant: add`` in fields.yaml)."""
        variant = next(v for v in self.variants if v.id == variant_id)
        update = {}
        for name in variant.parts():
            update[name] = merged(Role, name, getattr(self, name), getattr(variant, name))
        return self.model_copy(update={**update, "variants": []})

    def variant(self, variant_id: str) -> RoleVariant | None:
        """The variant ``variant_id`` of this role, if it has one."""
        return next((v for v in self.variants if v.id == variant_id), None)


def merged(model: type[BaseModel], name: str, own: Any, given: Any) -> Any:
    """``model.name`` as a variant reads it: ``given`` in place of ``own`` (``variant: replace``), after
    it (``add``), or, for a nested model (``merge``), each field the variant typed merged by its own mode."""
    mode = declared(model, name).variant
    if mode == "add":
        return [*own, *given]
    if mode == "merge" and isinstance(given, BaseModel) and isinstance(own, BaseModel):
        inner = type(given)
        return own.model_copy(update={
            part: merged(inner, part, getattr(own, part), getattr(given, part)) for part in given.model_fields_set
        })
    return given


class VariantBase(Strict):
    """What every role variant has; its other fields are the role fields ``fields.yaml`` lets a
    variant give (``variant: replace`` or ``add``), made by :func:`variant_model`."""

    id: Slug
    name: str
    #: The model whose field-table entries the variant's fields read (see ``fields.entry_key``).
    fields_like: ClassVar[type[BaseModel]]

    def parts(self) -> list[str]:
        """The fields this variant gives its own, in the role's field order."""
        return [name for name in type(self).model_fields if name not in ("id", "name")
                and getattr(self, name) is not None]


def variant_model(role: type[Entity]) -> type[VariantBase]:
    """The model of a role's variant: ``id``, ``name`` and, optional, each role field a variant may give."""
    given: dict[str, Any] = {}
    for name, info in role.model_fields.items():
        if declared(role, name).variant is not None:
            optional: Any = Optional[info.annotation]  # noqa: UP045 (a type built at run time)
            given[name] = (Annotated[optional, *info.metadata] if info.metadata else optional, None)
    made = create_model("RoleVariant", __base__=VariantBase, __module__=__name__, **given)
    made.fields_like = role
    return made


if TYPE_CHECKING:
    RoleVariant = VariantBase
else:
    RoleVariant = variant_model(Role)
    Role.model_rebuild()
