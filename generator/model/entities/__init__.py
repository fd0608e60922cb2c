"""Typed models of the handbook's entities, one kind per module."""

from .base import Consequence, Duration, Entity, OnboardingStep, Step, Strict
from .kpi import KPI
from .policy import AppliesTo, Clause, Policy
from .process import Participant, Process, ProcessStep, When
from .role import Career, DutyArea, Headcount, Qualifications, Ratio, Role
from .term import Term
from .unit import TeamStage, TimeBlock, Unit

#: Model class for each ``kind:`` value.
KINDS: dict[str, type[Entity]] = {
    "unit": Unit,
    "role": Role,
    "process": Process,
    "policy": Policy,
    "term": Term,
}

__all__ = [
    "KINDS",
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
