"""Entities parsed from old revisions, kept on disk by the git id of their file's bytes.

A blob id names its bytes for ever, so an entry never goes stale; the key also holds the
file name (an omitted ``id`` is the name), and the database's name a digest of the models,
so a changed model starts a fresh cache instead of reading old shapes. One SQLite file:
thousands of entries are written in one transaction, not as thousands of small files.
"""

from __future__ import annotations

import contextlib
import hashlib
import sqlite3
from functools import cache
from pathlib import Path, PurePosixPath

from pydantic import ValidationError

from ..model import entities, registry
from ..model.entities import Entity


@cache
def _models_digest() -> str:
    # The models' source text: cheaper than their JSON schemas, and it changes whenever they do.
    digest = hashlib.sha256()
    for path in sorted(Path(entities.__file__).parent.glob("*.py")):
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def _key(blob: str, path: str) -> str:
    return f"{blob}/{PurePosixPath(path).name}"


class EntityCache:
    """``(blob id, file name) → entity`` in ``folder/entities-<models>.sqlite``."""

    def __init__(self, folder: Path) -> None:
        self.file = folder / f"entities-{_models_digest()}.sqlite"

    def _connect(self) -> sqlite3.Connection:
        self.file.parent.mkdir(parents=True, exist_ok=True)
        db = sqlite3.connect(self.file, timeout=5)
        db.execute("CREATE TABLE IF NOT EXISTS entity (key TEXT PRIMARY KEY, kind TEXT, body TEXT)")
        return db

    def get_many(self, wanted: dict[str, str]) -> dict[str, Entity]:
        """``path → entity`` for the ``path → blob id`` pairs parsed before; a cache that cannot be read is empty."""
        keys = {_key(blob, path): path for path, blob in wanted.items()}
        found: dict[str, Entity] = {}
        try:
            with contextlib.closing(self._connect()) as db:
                rows = []
                items = list(keys)
                for start in range(0, len(items), 500):  # SQLite's limit on parameters per statement
                    chunk = items[start : start + 500]
                    marks = ",".join("?" * len(chunk))
                    rows += db.execute(f"SELECT key, kind, body FROM entity WHERE key IN ({marks})", chunk).fetchall()
        except (OSError, sqlite3.Error):
            return found
        for key, kind, body in rows:
            try:
                found[keys[key]] = registry.kind(kind).model.model_validate_json(body)
            except (KeyError, ValidationError):
                continue
        return found

    def put_many(self, parsed: dict[str, tuple[str, Entity]]) -> None:
        """Keep ``path → (blob id, entity)``; a cache that cannot be written is only slower, never wrong."""
        self.put_rows(rows(parsed))

    def put_rows(self, found: list[Row]) -> None:
        """Keep rows made by :func:`rows` (in a worker process, say), all in one transaction."""
        if not found:
            return
        try:
            with contextlib.closing(self._connect()) as db, db:
                db.executemany("INSERT OR REPLACE INTO entity VALUES (?, ?, ?)", found)
        except (OSError, sqlite3.Error):
            return


Row = tuple[str, str, str]
"""``(key, kind, entity as JSON)``: one entry of the cache."""


def rows(parsed: dict[str, tuple[str, Entity]]) -> list[Row]:
    """The cache entries of ``path → (blob id, entity)``."""
    return [
        (_key(blob, path), str(getattr(entity, "kind", "")), entity.model_dump_json())
        for path, (blob, entity) in parsed.items()
    ]
