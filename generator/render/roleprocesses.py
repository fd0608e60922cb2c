"""The processes and meetings a role takes part in, as its page and PDF list them: its part, when
they run, and how long they take and what is due by when (its own steps' limits included)."""

from __future__ import annotations

from dataclasses import dataclass

from ..i18n import Locale
from ..link.handbook import Handbook
from ..model.entities import Process
from . import formatting
from .collation import process_key
from .writer import Named, named


@dataclass(frozen=True)
class ProcessRow:
    """A process or meeting the role takes part in, with its part and when it happens."""

    process: Named
    part: str
    when: str | None
    when_note: str | None
    timing: str | None = None
    """How long it takes and what is due by when, the role's own steps' limits included:
    ``时长 ≤ 30 分钟；会后 1 天内``."""


def _timing(process: Process, role_id: str, locale: Locale) -> str:
    """A process's duration, deadlines and response limits, and those of the steps the role does."""
    steps = [s for s in process.steps if s.actor == role_id]
    deadlines = [*process.deadlines, *(d for s in steps for d in s.deadlines)]
    responses = [*process.response_times, *(r for s in steps for r in s.response_times)]
    length = formatting.duration(process.duration, locale) if process.duration else ""
    parts = [locale.label("duration_of").format(d=length)] if length else []
    parts.append(formatting.timing(deadlines, responses, locale))
    return locale.label("season_sep").join(p for p in parts if p)


def role_processes(hb: Handbook, locale: Locale, role_id: str) -> tuple[ProcessRow, ...]:
    """By time of day, then how often, as in the nav: 早会 (08:45) before 夕会 (18:30)."""
    taken = [(pid, part) for pid, part in hb.role_processes.get(role_id, []) if pid in hb.processes]
    rows = []
    for pid, part in sorted(taken, key=lambda taken_part: process_key(hb.processes[taken_part[0]])):
        process = hb.processes[pid]
        when = process.when
        rows.append(
            ProcessRow(
                process=named(hb, "process", pid),
                part=locale.label(f"part_{part}"),
                when=formatting.when(when, locale) if when else None,
                when_note=when.note if when else None,
                timing=_timing(process, role_id, locale) or None,
            )
        )
    return tuple(rows)
