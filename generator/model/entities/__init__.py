"""Typed models of the handbook's entities, one kind per module."""

from .assessment import Assessment, ScoreItem, ScoreRule
from .base import ID_PATTERN, ID_RE, Approvers, Duration, Entity, OnboardingStep, Strict
from .competency import Competency, Level
from .consequence import Consequence, Occurrence, Rank, Step, Threshold
from .family import Grade, JobFamily
from .kpi import KPI, KpiPart, SeasonTarget
from .policy import AppliesTo, Clause, Policy
from .process import Participant, Process, ProcessStep, When
from .role import (
    Approval,
    Career,
    DutyArea,
    ExternalContact,
    Headcount,
    InternalContact,
    Qualifications,
    Ratio,
    Relationships,
    Role,
    RoleVariant,
    Signature,
)
from .term import Term
from .timing import Deadline, DutyItem, ResponseTime
from .unit import CompanySettings, TeamStage, TimeBlock, Unit

__all__ = [
    "ID_PATTERN",
    "ID_RE",
    "KPI",
    "AppliesTo",
    "Approval",
    "Approvers",
    "Assessment",
    "Career",
    "Clause",
    "CompanySettings",
    "Competency",
    "Consequence",
    "Deadline",
    "Duration",
    "DutyArea",
    "DutyItem",
    "Entity",
    "ExternalContact",
    "Grade",
    "Headcount",
    "InternalContact",
    "JobFamily",
    "KpiPart",
    "Level",
    "Occurrence",
    "OnboardingStep",
    "Participant",
    "Policy",
    "Process",
    "ProcessStep",
    "Qualifications",
    "Rank",
    "Ratio",
    "Relationships",
    "ResponseTime",
    "Role",
    "RoleVariant",
    "ScoreItem",
    "ScoreRule",
    "SeasonTarget",
    "Signature",
    "Step",
    "Strict",
    "TeamStage",
    "Term",
    "Threshold",
    "TimeBlock",
    "Unit",
    "When",
]
