"""The Term model: a glossary entry."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from .base import Entity, Text


class Term(Entity):
    """A glossary term (术语), optionally with its abbreviation."""

    kind: Literal["term"]
    term: str
    abbreviation: str | None = None
    synonyms: list[str] = Field(default_factory=list)
    """Other words for the same thing (早会 for 晨会); search treats them as the term."""
    english: str | None = None
    definition: Text

    @property
    def shown(self) -> str:
        """How the term is named on pages: ``坐席代表（TSR）``; ``PRP 时间``, not ``PRP 时间（PRP）``."""
        shown = self.abbreviation and self.abbreviation not in self.term
        return f"{self.term}（{self.abbreviation}）" if shown else self.term
