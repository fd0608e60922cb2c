"""What the validation pipeline may keep between runs: each file's bytes with what they gave.

The pipeline only needs the :class:`ParseCache` protocol; ``handbook serve`` passes its
:class:`generator.site.incremental.Cache`, which also keeps rendered pages.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from ..model.entities import Entity
from .problems import Problem
from .source import Source


@dataclass
class ParsedFile:
    """One YAML file as last read: its bytes, and what they gave."""

    raw: bytes
    source: Source
    entity: Entity | None
    problems: list[Problem]


class ParseCache(Protocol):
    """Parsed files kept by the caller from one validation to the next."""

    def use(self, lang: str) -> None:
        """Forget everything when the locale changes (problems hold locale text)."""

    def parsed(self, path: Path, rel: str, raw: bytes) -> ParsedFile | None:
        """What ``raw`` gave last time, if the file held exactly these bytes under this name."""

    def keep(self, path: Path, parsed: ParsedFile) -> None:
        """Remember a freshly parsed file."""

    def forget_other_files(self, paths: set[Path]) -> None:
        """Drop files that are gone (deleted or renamed)."""
