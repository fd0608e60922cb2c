"""The sign-off register HR keeps: who holds each role, which version of its job description they
signed and when; and each role's status against its current version (from the release history).

The register lives in ``signoffs/*.csv`` beside ``roles/``, never inside it: nothing that builds the
site or the PDFs reads it, so employee numbers cannot reach a page or the search index. One row per
person and role, columns ``role,employee,signed,date`` (``signed``: a release name or a content
hash; empty with ``date`` for a holder who has not signed yet). More columns (a name, a note) are
kept out of every output.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass, field
from pathlib import Path

from ..link.handbook import Handbook
from ..load.problems import Problem
from ..model.fingerprint import PATTERN
from .verify import Version, current_hash, versions

#: The register's folder, relative to the project root.
FOLDER = "signoffs"
COLUMNS = ("role", "employee", "signed", "date")


@dataclass(frozen=True)
class Row:
    """One line of the register."""

    file: str
    line: int
    role: str
    employee: str
    signed: str
    date: dt.date | None


@dataclass
class Status:
    """One role's sign-offs against its current version."""

    role: str
    current: Version
    signed_current: list[Row] = field(default_factory=list)
    signed_older: list[tuple[Row, Version | None]] = field(default_factory=list)
    """Each signature of an earlier version, with that version (None: the current release's name
    signed, but the files have changed since)."""
    never: list[Row] = field(default_factory=list)


def read_register(root: Path, display_base: Path) -> tuple[list[Row], list[Problem]]:
    """Every row of ``root/signoffs/*.csv``, and the mistakes in them (file, line, column name)."""
    rows: list[Row] = []
    problems: list[Problem] = []
    for path in sorted((root / FOLDER).glob("*.csv")):
        rel = path.relative_to(display_base).as_posix() if path.is_relative_to(display_base) else str(path)
        text = path.read_bytes().decode("utf-8-sig", errors="replace")
        reader = csv.DictReader(io.StringIO(text))
        missing = [c for c in COLUMNS if c not in (reader.fieldnames or [])]
        if missing:
            problems.append(Problem(rel, 1, 1, "", "signoff_columns", {"missing": ", ".join(missing)}))
            continue
        for record in reader:
            line = reader.line_num
            values = {c: (record.get(c) or "").strip() for c in COLUMNS}
            date = None
            if values["date"]:
                try:
                    date = dt.date.fromisoformat(values["date"])
                except ValueError:
                    problems.append(Problem(rel, line, 1, "date", "signoff_bad_date", {"value": values["date"]}))
                    continue
            if not values["role"] or not values["employee"]:
                problems.append(Problem(rel, line, 1, "role" if not values["role"] else "employee", "signoff_empty"))
                continue
            if bool(values["signed"]) != bool(date):
                problems.append(Problem(rel, line, 1, "signed" if not values["signed"] else "date", "signoff_half"))
                continue
            rows.append(Row(rel, line, values["role"], values["employee"], values["signed"], date))
    return rows, problems


def _version_of(signed: str, known: list[Version]) -> Version | None:
    """The version a row's ``signed`` names: a content hash, or a release name (its main document)."""
    value = signed.lower()
    if PATTERN.fullmatch(value):
        return next((v for v in known if v.hash == value), None)
    released = [v for v in known if v.release == signed and v.variant is None]
    return next((v for v in released if not v.current), released[0] if released else None)


def status(hb: Handbook, rows: list[Row]) -> tuple[list[Status], list[Problem]]:
    """Each role named in the register (in the handbook's order) with who signed what; rows naming no
    role or no version that ever existed are problems."""
    problems: list[Problem] = []
    out: dict[str, Status] = {}
    for row in rows:
        if row.role not in hb.roles:
            problems.append(Problem(row.file, row.line, 1, "role", "signoff_unknown_role", {"id": row.role}))
            continue
        known = versions(hb, row.role)
        current = next(v for v in known if v.current and v.variant is None)
        st = out.setdefault(row.role, Status(row.role, current))
        if not row.signed:
            st.never.append(row)
            continue
        version = _version_of(row.signed, known)
        if version is None:
            problems.append(Problem(row.file, row.line, 1, "signed", "signoff_unknown_version",
                                    {"value": row.signed, "role": row.role}))
        elif version.hash in {v.hash for v in known if v.current}:
            st.signed_current.append(row)
        else:
            st.signed_older.append((row, version))
    order = {rid: i for i, rid in enumerate(hb.roles)}
    return sorted(out.values(), key=lambda s: order[s.role]), problems


def is_current(hb: Handbook, role: str, version: Version) -> bool:
    """True when ``version`` is what ``role``'s files publish now."""
    return version.hash == current_hash(hb, role)
