"""The Policy model: rules made of clauses that can be linked one by one."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from .base import Entity, RoleId, Slug, Strict, Text, UnitId
from .consequence import Consequence
from .timing import Deadline, ResponseTime


class AppliesTo(Strict):
    """Whom a policy binds."""

    units: list[UnitId] = Field(default_factory=list)
    roles: list[RoleId] = Field(default_factory=list)


class Clause(Strict):
    """One clause; its id is its permanent anchor (``/policies/<policy>/#<clause>``)."""

    id: Slug
    title: str | None = None
    text: Text
    consequences: list[Consequence] = Field(default_factory=list)
    deadlines: list[Deadline] = Field(default_factory=list)
    response_times: list[ResponseTime] = Field(default_factory=list)
    aliases: list[Slug] = Field(default_factory=list)


class Policy(Entity):
    """A policy (制度)."""

    kind: Literal["policy"]
    title: str
    unit: UnitId | None = None
    summary: str = ""
    applies_to: AppliesTo = Field(default_factory=AppliesTo)
    clauses: list[Clause] = Field(min_length=1)
