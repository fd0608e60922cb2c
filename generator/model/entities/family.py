"""The job family (职务序列) and grade (职级) models: where a role sits in the company's ladder."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from .base import Entity


class JobFamily(Entity):
    """A job family (职务序列), such as 销售序列 or 管理序列."""

    kind: Literal["family"]
    name: str
    description: str = ""


class Grade(Entity):
    """A grade (职级), such as P3 or M1; ``rank`` orders grades from junior (1) upward."""

    kind: Literal["grade"]
    name: str
    rank: int = Field(ge=1, le=99)
    description: str = ""
