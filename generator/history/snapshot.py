"""The handbook's files at one revision (or on disk), and the entities of the files two revisions do not share."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from ..i18n import Locale
from ..load.parse import parse_source
from ..load.source import MAX_FILE_BYTES, parse_data
from ..model.entities import Entity
from .cache import EntityCache
from .git import WORKTREE, Repo, blob_id

Key = tuple[str, str]
"""``(kind, id)``: what names an entity across revisions."""


@dataclass
class Snapshot:
    """The YAML files below ``roles/`` at one revision: path → blob id, and a way to read their bytes."""

    rev: str
    """The revision as the user named it (``""`` for the files on disk)."""
    files: dict[str, str]
    read: Callable[[list[str]], dict[str, bytes]]
    """Bytes of the given blob ids."""


@dataclass
class Parsed:
    """The entities of some files of a snapshot, with the file each came from."""

    entities: dict[Key, Entity] = field(default_factory=dict)
    files: dict[Key, str] = field(default_factory=dict)
    unreadable: list[str] = field(default_factory=list)
    """Files that did not parse at that revision (they are skipped, not guessed at)."""
    fresh: dict[str, tuple[str, Entity]] = field(default_factory=dict)
    """``path → (blob id, entity)`` of the files parsed here, not read from the cache."""


def _yaml(path: str) -> bool:
    parts = PurePosixPath(path).parts
    return path.endswith((".yaml", ".yml")) and not any(p.startswith(".") for p in parts)


def at_rev(repo: Repo, rev: str, roles_prefix: str) -> Snapshot:
    """The files of ``roles/`` in commit ``rev``."""
    files = {p: b for p, b in repo.tree(rev, roles_prefix).items() if _yaml(p)}
    return Snapshot(rev, files, repo.blobs)


def on_disk(folder: Path) -> Snapshot:
    """The files of ``roles/`` as they are on disk now (edits not committed yet included)."""
    data: dict[str, bytes] = {}
    files: dict[str, str] = {}
    for path in sorted(folder.rglob("*")):
        rel = path.relative_to(folder).as_posix()
        if not _yaml(rel) or path.is_symlink() or not path.is_file():
            continue
        raw = path.read_bytes()
        files[rel] = blob_id(raw)
        data[files[rel]] = raw
    return Snapshot(WORKTREE, files, lambda ids: {i: data[i] for i in ids if i in data})


def parse(
    snapshot: Snapshot, paths: list[str], locale: Locale, roles_rel: str = "roles", cache: EntityCache | None = None,
    *, store: bool = True,
) -> Parsed:
    """The entities in ``paths`` of ``snapshot``; a file that does not parse is listed, not raised.

    Entities parsed here are written to ``cache`` unless ``store`` is false (then the caller
    writes ``fresh``: worker processes leave the writing to one process, instead of waiting
    for each other's locks).
    """
    out = Parsed()
    wanted = [p for p in paths if p in snapshot.files]
    known = cache.get_many({p: snapshot.files[p] for p in wanted}) if cache is not None else {}
    raw = snapshot.read([snapshot.files[p] for p in wanted if p not in known])
    fresh = out.fresh
    for path in wanted:
        rel = f"{roles_rel}/{path}"
        entity = known.get(path)
        if entity is None:
            data = raw.get(snapshot.files[path])
            entity = _entity(path, rel, data, locale)
            if entity is None:
                out.unreadable.append(rel)
                continue
            fresh[path] = (snapshot.files[path], entity)
        key = (str(getattr(entity, "kind", "")), entity.id)
        out.entities.setdefault(key, entity)
        out.files.setdefault(key, rel)
    if cache is not None and store:
        cache.put_many(fresh)
    return out


def _entity(path: str, rel: str, data: bytes | None, locale: Locale) -> Entity | None:
    if data is None or len(data) > MAX_FILE_BYTES:
        return None
    source = parse_data(Path(path), rel, data)  # the same data as parse_bytes, without positions
    return None if source is None else parse_source(source, locale)[0]


def differing(old: Snapshot, new: Snapshot) -> tuple[list[str], list[str]]:
    """Paths of ``old`` and of ``new`` whose bytes the other does not have at the same place.

    A file moved to another folder unchanged keeps its name, so its id, and is no change: it
    is left out. Everything else (edited, added, removed, renamed) is returned for parsing.
    """
    gone = {p: b for p, b in old.files.items() if new.files.get(p) != b}
    came = {p: b for p, b in new.files.items() if old.files.get(p) != b}
    moved_from = {(PurePosixPath(p).name, b): p for p, b in gone.items() if p not in new.files}
    for path, blob in list(came.items()):
        source = moved_from.get((PurePosixPath(path).name, blob))
        if source is not None and path not in old.files:
            del came[path]
            del gone[source]
    return sorted(gone), sorted(came)
