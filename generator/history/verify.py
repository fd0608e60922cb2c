"""Which version of which role a content hash belongs to: the current files, or a release (from the
revision records git gives, see :mod:`.releases`), for ``handbook verify`` and the sign-off register."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass

from ..link.handbook import Handbook
from ..model.entities import Role
from ..model.fingerprint import content_hash


@dataclass(frozen=True)
class Version:
    """One published version of a role (or of one of its variants) and its content hash."""

    role: str
    variant: str | None
    hash: str
    release: str
    """The release that published it; ``""`` for the files as they are now."""
    date: dt.date | None
    current: bool


def _hashes(role: Role) -> Iterator[tuple[str | None, str]]:
    yield None, content_hash(role)
    for v in role.variants:
        yield v.id, content_hash(role.as_variant(v.id))


def versions(hb: Handbook, role_id: str | None = None) -> list[Version]:
    """Every version of every role (or of ``role_id``): the current one first, then its releases, newest first."""
    out: list[Version] = []
    for rid, role in hb.roles.items():
        if role_id is not None and rid != role_id:
            continue
        for variant, h in _hashes(role):
            out.append(Version(rid, variant, h, role.version or "", role.effective_date, True))
        for rev in reversed(hb.revisions.get(("role", rid), [])):
            if isinstance(rev.entity, Role):
                for variant, h in _hashes(rev.entity):
                    out.append(Version(rid, variant, h, rev.release, rev.date, False))
    return out


def find(hb: Handbook, hashes: tuple[str, ...], role_id: str = "") -> list[Version]:
    """The versions whose hash is one of ``hashes`` (a role's current one before its releases)."""
    wanted = {h.lower() for h in hashes}
    return [v for v in versions(hb, role_id or None) if v.hash in wanted]


def current_hash(hb: Handbook, role_id: str) -> str:
    """The hash of ``role_id`` as its files say now."""
    return content_hash(hb.roles[role_id])


def changes_since(hb: Handbook, role_id: str, release: str) -> list[tuple[str, dt.date, tuple[str, ...]]]:
    """The releases after ``release`` that changed ``role_id``, each with its changes in words."""
    revisions = hb.revisions.get(("role", role_id), [])
    names = [r.release for r in revisions]
    later = revisions[names.index(release) + 1 :] if release in names else []
    return [(r.release, r.date, tuple(c.text for c in r.changes)) for r in later]


def unreleased(hb: Handbook, role_id: str) -> bool:
    """True when the files now differ from what the last release published of ``role_id``."""
    revisions = hb.revisions.get(("role", role_id), [])
    last = revisions[-1].entity if revisions else None
    return isinstance(last, Role) and content_hash(last) != current_hash(hb, role_id)
