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
    english: str | None = None
    #: The term as the other script's readers say it, when that is more than a change of characters
    #: (软件 / 軟體): shown beside the term and found by search.
    other_script: str | None = None
    definition: Text

    @property
    def shown(self) -> str:
        """How the term is named on pages: ``坐席代表（TSR）``; ``PRP 时间`` stays as it is."""
        if not self.abbreviation or self.abbreviation in self.term:
            return self.term
        return aside(self.term, self.abbreviation)


def aside(text: str, extra: str) -> str:
    """``text`` with ``extra`` in parentheses of the text's own script: ``坐席代表（TSR）``,
    ``Telesales rep (TSR)``. By the script, not the site's locale: a Chinese term keeps
    full-width parentheses on an English page, and an English one never gets them."""
    if text[-1:].isascii():
        return f"{text} ({extra})"
    return f"{text}（{extra}）"
