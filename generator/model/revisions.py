"""One line of an entity's revision record (修订记录): a release that changed it, and what changed."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class RevisionLine:
    """One change, worded, with the section or clause of the entity's page it is about."""

    text: str
    anchor: str = ""
    """An anchor on the entity's page (``kpis``, a clause id), or ``""`` for the page itself."""


@dataclass(frozen=True)
class Revision:
    """A release in which an entity changed, read from git (never typed)."""

    release: str
    """The release's name: its git tag, such as ``2024.2``."""
    date: dt.date
    changes: tuple[RevisionLine, ...]
    """What changed, in the readers' words; empty for the release that first published it."""
    entity: Any = field(default=None, compare=False)
    """The entity as this release published it, where it is kept (roles: the comparison page
    shows a role's versions side by side); None otherwise."""
