"""Typed models of the handbook's entities, one kind per module."""

from .base import ID_PATTERN, ID_RE, Consequence, Duration, Entity, OnboardingStep, Step, Strict
from .kpi import KPI
from .policy import AppliesTo, Clause, Policy
from .process import Participant, Process, ProcessStep, When
from .role import Career, DutyArea, Headcount, Qualifications, Ratio, Role
from .term import Term
from .unit import TeamStage, TimeBlock, Unit

__all__ = [
    "ID_PATTERN",
    "ID_RE",
    "KPI",
    "AppliesTo",
    "Career",
    "Clause",
    "Consequence",
    "Duration",
    "DutyArea",
    "Entity",
    "Headcount",
    "OnboardingStep",
    "Participant",
    "Policy",
    "Process",
    "ProcessStep",
    "Qualifications",
    "Ratio",
    "Role",
    "Step",
    "Strict",
    "TeamStage",
    "Term",
    "TimeBlock",
    "Unit",
    "When",
]
