"""The semantic diff of two snapshots, its files parsed and compared in worker processes when there are many.

Only files whose bytes differ are parsed. Each worker takes a share of the file names (a file
edited or moved keeps its name, so both of its versions land in the same share) and compares
what it parsed on its own. The few entities that reach across shares (an id in two files, a
rename to a new file name through ``aliases``) are compared again in this process from all of
their files, so the result is the one a single process gives.
"""

from __future__ import annotations

import multiprocessing
import os
import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import PurePosixPath

from ..i18n import Locale, available, load_locale
from . import snapshot
from .cache import EntityCache, Row, rows
from .semantic import EntityDiff, order, pair_up
from .snapshot import Key, Parsed, Snapshot

#: Below this many files to parse, one process is quicker than starting workers.
PARALLEL_FROM = 200
#: More workers than this only add start-up and cache-writing contention.
MAX_JOBS = 8


@dataclass(frozen=True)
class _Job:
    old: Snapshot
    new: Snapshot
    locale: Locale
    roles_rel: str
    cache: EntityCache | None


@dataclass
class Part:
    """What one worker found in its share: the differences, and what they might share with other shares."""

    found: list[EntityDiff]
    keys: dict[Key, tuple[list[str], list[str]]] = field(default_factory=dict)
    """Every entity parsed, with the file it was read from in the old and in the new snapshot."""
    links: list[tuple[Key, Key]] = field(default_factory=list)
    """``(new entity, an old id it names in aliases)``: a rename the share may not see both ends of."""
    rows: list[Row] = field(default_factory=list)
    """Cache entries of the entities the worker parsed, for this process to write."""


#: The two snapshots, set before the workers are forked so that they inherit them (a snapshot
#: reads its bytes through git or from memory and is not sent to a worker).
_JOB: _Job | None = None


def diff(
    old: Snapshot, new: Snapshot, locale: Locale, roles_rel: str = "roles", cache: EntityCache | None = None,
    *, jobs: int | None = None,
) -> list[EntityDiff]:
    """Every entity that differs between two snapshots, in kind-then-id order.

    ``jobs`` is the number of worker processes; by default one per CPU when there are at least
    :data:`PARALLEL_FROM` files to parse, and always one where forking is not safe.
    """
    gone, came = snapshot.differing(old, new)
    workers = workers_for(len(gone) + len(came), jobs)
    if workers < 2:
        return pair_up(_parse(old, gone, locale, roles_rel, cache), _parse(new, came, locale, roles_rel, cache))
    for lang in available():
        load_locale(lang)  # parsing checks every language's placeholder: loaded once, before the fork
    global _JOB
    _JOB = _Job(old, new, locale, roles_rel, cache)
    try:
        with multiprocessing.get_context("fork").Pool(workers) as pool:
            parts = pool.map(_run, shares(gone, came, workers * 2), chunksize=1)
    finally:
        _JOB = None
    if cache is not None:
        cache.put_rows([row for found in parts for row in found.rows])

    def again(gone: list[str], came: list[str]) -> list[EntityDiff]:
        return pair_up(_parse(old, gone, locale, roles_rel, cache), _parse(new, came, locale, roles_rel, cache))

    return merge(parts, again)


def _parse(snap: Snapshot, paths: list[str], locale: Locale, roles_rel: str, cache: EntityCache | None) -> Parsed:
    return snapshot.parse(snap, paths, locale, roles_rel, cache)


def workers_for(files: int, jobs: int | None) -> int:
    """How many worker processes to parse ``files`` files with (1: this process alone)."""
    if jobs is None:
        if files < PARALLEL_FROM:
            return 1
        affinity = getattr(os, "sched_getaffinity", None)
        jobs = min(len(affinity(0)) if affinity is not None else (os.cpu_count() or 1), MAX_JOBS)
    # Forking a process that runs other threads (a server, a file watcher) can copy a held lock;
    # on macOS, system libraries are not safe across a fork at all.
    if jobs < 2 or threading.active_count() > 1 or not sys.platform.startswith("linux"):
        return 1
    return jobs


def shares(gone: list[str], came: list[str], n: int) -> list[tuple[list[str], list[str]]]:
    """``gone`` and ``came`` split into ``n`` shares by file name, each list still in path order."""
    names = sorted({PurePosixPath(p).name for p in (*gone, *came)})
    share = {name: i % n for i, name in enumerate(names)}
    out: list[tuple[list[str], list[str]]] = [([], []) for _ in range(n)]
    for path in gone:
        out[share[PurePosixPath(path).name]][0].append(path)
    for path in came:
        out[share[PurePosixPath(path).name]][1].append(path)
    return [s for s in out if s[0] or s[1]]


def _run(share: tuple[list[str], list[str]]) -> Part:
    """In a worker: parse one share of both snapshots and compare it."""
    job = _JOB
    if job is None:  # pragma: no cover - only reachable if a worker were not forked from diff()
        raise RuntimeError("history worker started without a job")
    before = snapshot.parse(job.old, share[0], job.locale, job.roles_rel, job.cache, store=False)
    after = snapshot.parse(job.new, share[1], job.locale, job.roles_rel, job.cache, store=False)
    found = part(before, after, len(job.roles_rel) + 1)
    if job.cache is not None:
        found.rows = rows(before.fresh) + rows(after.fresh)
    return found


def part(before: Parsed, after: Parsed, cut: int) -> Part:
    """The differences of one share, with the keys and renames it holds (``cut`` strips ``roles/``)."""
    out = Part(pair_up(before, after))
    for key, rel in before.files.items():
        out.keys.setdefault(key, ([], []))[0].append(rel[cut:])
    for key, rel in after.files.items():
        out.keys.setdefault(key, ([], []))[1].append(rel[cut:])
    out.links = [(key, (key[0], alias)) for key, entity in after.entities.items() for alias in entity.aliases]
    return out


def merge(parts: list[Part], again: Callable[[list[str], list[str]], list[EntityDiff]]) -> list[EntityDiff]:
    """The shares' differences, those reaching across shares compared again by ``again(old paths, new paths)``."""
    where: dict[Key, int] = {}
    tainted: set[Key] = set()
    for i, found in enumerate(parts):
        for key in {*found.keys, *(alias for _, alias in found.links)}:
            if where.setdefault(key, i) != i:
                tainted.add(key)
    links = [link for found in parts for link in found.links]
    grew = bool(tainted)
    while grew:  # a rename joins its two ends: when one is compared again, so is the other
        grew = False
        for a, b in links:
            if (a in tainted) != (b in tainted):
                tainted |= {a, b}
                grew = True
    out = [
        d for found in parts for d in found.found
        if (d.kind, d.id) not in tainted and (d.old_id is None or (d.kind, d.old_id) not in tainted)
    ]
    if tainted:
        gone = sorted({p for found in parts for k, (o, _) in found.keys.items() if k in tainted for p in o})
        came = sorted({p for found in parts for k, (_, n) in found.keys.items() if k in tainted for p in n})
        out += again(gone, came)
    out.sort(key=order)
    return out
