"""The Term model: a glossary entry."""

from __future__ import annotations

from typing import Literal

from .base import Entity, Text


class Term(Entity):
    """A glossary term (术语), optionally with its abbreviation."""

    kind: Literal["term"]
    term: str
    abbreviation: str | None = None
    english: str | None = None
    definition: Text
