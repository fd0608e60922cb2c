"""Who answers for a process: the owner is its one A; meetings name the same parts 主持人 / 参会人 / 列席.

Every page that shows a role's part (the process page, the role page, the RACI matrix, the PDF)
asks this module, so the owner reads as A (or R/A) everywhere and one legend explains all.
"""

from __future__ import annotations

from ..model.entities import Process

#: Participant parts a meeting shows in its own words: who must attend, who sits in.
_MEETING = {"responsible": "attendee", "consulted": "attendee", "informed": "observer", "accountable": "chair"}

#: Letters of each part in the RACI matrix.
_LETTERS = {
    "owner": "A", "owner_responsible": "R/A", "responsible": "R", "consulted": "C", "informed": "I",
    "chair": "A", "attendee": "R", "observer": "I",
}


def is_meeting(process: Process) -> bool:
    """Meetings name parts as 主持人 / 参会人 / 列席 rather than RACI words."""
    return process.category == "会议"


def part_key(process: Process, role_id: str) -> str | None:
    """The part ``role_id`` plays (a ``part_<key>`` locale label), or None when it takes no part.

    The owner is the process's A; listed also as ``responsible``, it both does and answers (R/A).
    """
    parts = [p.part for p in process.participants if p.role == role_id]
    if role_id == process.owner:
        if is_meeting(process):
            return "chair"
        return "owner_responsible" if "responsible" in parts else "owner"
    if not parts:
        return None
    part = parts[0]
    return _MEETING[part] if is_meeting(process) else part


def letters(process: Process, role_id: str) -> str:
    """The matrix cell for a role: ``A``, ``R/A``, ``R``, ``C``, ``I`` or empty."""
    key = part_key(process, role_id)
    return letters_of(key) if key else ""


def letters_of(part: str) -> str:
    """RACI letters of a part key: ``owner_responsible`` → ``R/A``, ``observer`` → ``I``."""
    return _LETTERS.get(part, "A" if part == "accountable" else "")


def people(process: Process) -> list[tuple[str, str]]:
    """``(role id, part key)``: the owner first, then every other participant once, in file order."""
    out = [(process.owner, part_key(process, process.owner) or "owner")]
    seen = {process.owner}
    for participant in process.participants:
        if participant.role not in seen:
            seen.add(participant.role)
            out.append((participant.role, part_key(process, participant.role) or participant.part))
    return out


def second_accountable(process: Process) -> list[tuple[int, str]]:
    """``(participant index, role)`` of every participant other than the owner marked accountable."""
    return [
        (i, p.role) for i, p in enumerate(process.participants) if p.part == "accountable" and p.role != process.owner
    ]


def owner_demoted(process: Process) -> list[tuple[int, str]]:
    """``(participant index, part)`` where the owner is listed as only consulted or informed."""
    return [
        (i, p.part) for i, p in enumerate(process.participants)
        if p.role == process.owner and p.part in ("consulted", "informed")
    ]
