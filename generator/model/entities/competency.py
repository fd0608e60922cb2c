"""The Competency model (胜任力): a definition and five proficiency levels with behavioural indicators."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from .base import Entity, Strict, Text

#: How many proficiency levels a competency has; roles ask for one of them (1 … LEVELS).
LEVELS = 5


class Level(Strict):
    """One proficiency level: its name (了解, 熟练 …) and what a holder at that level does."""

    name: str
    indicators: list[Text] = Field(default_factory=list)


class Competency(Entity):
    """A competency (胜任力) that roles reference as ``competencies: {id: level}``."""

    kind: Literal["competency"]
    name: str
    definition: Text
    levels: list[Level] = Field(default_factory=list)
