"""Shared building blocks of every entity model: the strict base, ids, clocks and amounts."""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator, model_validator

from ..choices import Choice, normalise
from ..declare import ANY_KIND, RefTo
from ..lintrules import LintRule

#: An entity id: lower-case ASCII words joined by hyphens. It becomes a URL path
#: segment, so it can never hold "/", "..", spaces or Chinese characters.
#: The one place the pattern is written; everything else reads these names.
ID_WORDS = r"[a-z0-9]+(?:-[a-z0-9]+)*"
ID_PATTERN = f"^{ID_WORDS}$"
ID_RE = re.compile(ID_PATTERN)
#: ``policy-id`` or ``policy-id#clause-id``.
POLICY_REF_PATTERN = f"^{ID_WORDS}(?:#{ID_WORDS})?$"

Slug = Annotated[str, StringConstraints(pattern=ID_PATTERN, max_length=64)]

#: A reference to a clause inside a policy: ``policy-id`` or ``policy-id#clause-id``.
PolicyRef = Annotated[str, StringConstraints(pattern=POLICY_REF_PATTERN, max_length=130)]

#: Ids that name an entity of one kind: the reference check, reverse references, renames, forms
#: and workbooks all learn from these annotations which fields hold references (``model/declare.py``).
UnitId = Annotated[Slug, RefTo("unit")]
RoleId = Annotated[Slug, RefTo("role")]
ProcessId = Annotated[Slug, RefTo("process")]
FamilyId = Annotated[Slug, RefTo("family")]
GradeId = Annotated[Slug, RefTo("grade")]
CompetencyId = Annotated[Slug, RefTo("competency")]
#: A policy, or one clause of it: ``attendance`` or ``attendance#late-arrival``.
PolicyClause = Annotated[PolicyRef, RefTo("policy", clause=True)]
#: Any entity, written as a reference without brackets: ``policy:attendance#late-arrival``.
AnyRef = Annotated[str, RefTo(ANY_KIND)]

#: A wall-clock time, 24-hour ``HH:MM``.
Clock = Annotated[str, StringConstraints(pattern=r"^([01][0-9]|2[0-3]):[0-5][0-9]$")]
#: An end time: a wall-clock time, or ``24:00`` for the end of the day (a shift 16:00–24:00).
END_CLOCK_PATTERN = r"^(([01][0-9]|2[0-3]):[0-5][0-9]|24:00)$"
EndClock = Annotated[str, StringConstraints(pattern=END_CLOCK_PATTERN)]

#: Free text shown to readers. Bounded so that a runaway paste cannot bloat every page.
Text = Annotated[str, StringConstraints(min_length=1, max_length=4000)]

#: Fixed choices: canonical values here, every spelling an editor may type in ``model/choices.yaml``.
Period = Annotated[Literal["日", "周", "月", "季", "年"], Choice("period")]
Weekday = Annotated[Literal["一", "二", "三", "四", "五", "六", "日"], Choice("weekday")]
TimeUnit = Annotated[Literal["分钟", "小时", "天", "工作日"], Choice("time_unit")]
Frequency = Annotated[Literal["小时", "日", "工作日", "周", "旬", "月", "季", "年"], Choice("frequency")]


class Strict(BaseModel):
    """Base of every model: unknown keys are errors, values are immutable once read."""

    model_config = ConfigDict(
        extra="forbid",
        frozen=True,
        str_strip_whitespace=True,
        coerce_numbers_to_str=True,
        allow_inf_nan=False,  # 1e999 / .nan pass YAML as floats and cannot be shown or summed
    )

    @model_validator(mode="before")
    @classmethod
    def _canonical_choices(cls, data: Any) -> Any:
        """會議 / meeting, 週 / weekly, 小時 / hours are accepted and stored as 会议 / 周 / 小时 (model/choices.py)."""
        return normalise(cls, data)


class Approvers(Strict):
    """Who prepares, reviews and approves a job description, as roles: on a role, its unit (the
    nearest unit up the tree that says) or the company's settings, step by step."""

    prepared: RoleId | None = None
    reviewed: RoleId | None = None
    approved: RoleId | None = None


class Entity(Strict):
    """Fields every kind shares: identity, provenance and version."""

    id: Slug
    aliases: list[Slug] = Field(default_factory=list)
    source: str | None = None
    effective_date: dt.date | None = None
    version: str | None = None
    #: For HR only: never published; listed on the completeness page (open questions, source conflicts).
    editor_note: Text | None = None
    #: Sections that do not apply to this entity (``kpis: n/a`` in YAML lands here): shown as 不适用, not 待补充.
    not_applicable: list[str] = Field(default_factory=list)
    #: Content rules (``handbook lint``) that do not apply here, each with the reason HR gives; listed
    #: on the completeness page, never published.
    lint_exempt: dict[LintRule, Text] = Field(default_factory=dict)


#: What HR writes for a section that does not apply, in either script and in English.
NOT_APPLICABLE_WORDS = frozenset({"n/a", "N/A", "不适用", "不適用"})
#: Fields that are bookkeeping, not sections a reader looks for: never ``n/a``.
_NEVER_NA = frozenset({"kind", "id", "aliases", "source", "effective_date", "version", "editor_note",
                       "not_applicable", "lint_exempt", "variants"})


def optional_sections(model: type[BaseModel]) -> list[str]:
    """The fields of ``model`` that may be written ``n/a``: every optional one but the bookkeeping."""
    return [name for name, info in model.model_fields.items() if name not in _NEVER_NA and not info.is_required()]


class Duration(Strict):
    """How long something takes or may take, e.g. at most 10 minutes, or 15–20 minutes."""

    min: float | None = Field(default=None, ge=0)
    max: float | None = Field(default=None, gt=0)
    unit: Annotated[Literal["分钟", "小时", "天"], Choice("time_unit")] = "分钟"


#: ``Day 1``, ``week 2``, ``Month 3``: an English handbook's onboarding times.
_ENGLISH_WHEN = re.compile(r"^\s*(day|week|month)\s*([1-9][0-9]?)\s*$", re.IGNORECASE)
_ENGLISH_UNITS = {"day": "天", "week": "周", "month": "月"}


class OnboardingStep(Strict):
    """One item of a new hire's checklist."""

    when: Annotated[str, StringConstraints(pattern=r"^第[1-9][0-9]?(天|周|月)$")]

    @field_validator("when", mode="before")
    @classmethod
    def _week_in_either_script(cls, value: Any) -> Any:
        """第1週 (Traditional) and ``Week 1`` (English) are stored as 第1周, the form the checklist groups by."""
        if not isinstance(value, str):
            return value
        english = _ENGLISH_WHEN.match(value)
        if english:
            return f"第{english.group(2)}{_ENGLISH_UNITS[english.group(1).casefold()]}"
        return value.replace("週", "周")
    text: Text
    # What it is about, as a reference such as ``policy:attendance#late-arrival``.
    ref: AnyRef | None = None
    # The role that sees it done with the new hire; the new hire's direct manager when omitted.
    owner: RoleId | None = None
    # The day it is due, counted from the first day (1); the last day of ``when`` when omitted.
    day: int | None = Field(default=None, ge=1, le=366)
