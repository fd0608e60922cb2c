"""PDFs rendered in one worker process per core: WeasyPrint's layout is pure Python, one core each.

A worker sets WeasyPrint up once (fonts, stylesheets per company) and then renders the documents
it is handed into the cache; the parent copies them into place. Small runs (the live preview's
one role, a few edits) stay in the calling process: starting a worker costs about a second.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar, Protocol

from . import fonts

#: Fewer documents to render than this stay in the calling process.
POOL_MIN_JOBS = 8


@dataclass(frozen=True)
class Job:
    """One document to render: its print HTML, its stylesheet and the cache file it becomes."""

    name: str
    source: str
    css: str
    target: Path


class EngineType(Protocol):
    """WeasyPrint set up for one stylesheet (render.Engine), passed in by name so workers can build it."""

    def __call__(self, fontset: fonts.FontSet, css: str) -> Any: ...


class _Worker:
    """What one process keeps between documents: an engine per stylesheet."""

    fontset: fonts.FontSet | None = None
    make: EngineType | None = None
    engines: ClassVar[dict[str, Any]] = {}


def _start(fontset: fonts.FontSet, make: EngineType) -> None:
    _Worker.fontset, _Worker.make, _Worker.engines = fontset, make, {}


def _render(jobs: list[Job]) -> list[str]:
    assert _Worker.fontset is not None and _Worker.make is not None
    for job in jobs:
        if job.css not in _Worker.engines:
            _Worker.engines[job.css] = _Worker.make(_Worker.fontset, job.css)
        engine = _Worker.engines[job.css]
        engine.write(engine.render(job.source), job.target)
    return [job.name for job in jobs]


def workers() -> int:
    """How many processes render PDFs: one per core this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def render_all(jobs: list[Job], fontset: fonts.FontSet, make: EngineType, done: Callable[[str], None]) -> None:
    """Render every job into its cache file; ``done(name)`` as each finishes (in any order)."""
    count = min(workers(), len(jobs))
    if count <= 1 or len(jobs) < POOL_MIN_JOBS:
        _start(fontset, make)
        for job in jobs:
            for name in _render([job]):
                done(name)
        return
    # Largest first (a book takes as long as dozens of roles), then dealt out in small batches,
    # so no worker is left alone with the last big document.
    ordered = sorted(jobs, key=lambda job: len(job.source), reverse=True)
    batches = list(_batches(ordered, size=4))
    # spawn, not fork: the caller may hold threads (the live preview's server, jieba's lock).
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(count, mp_context=context, initializer=_start, initargs=(fontset, make)) as pool:
        for names in pool.map(_render, batches):
            for name in names:
                done(name)


def _batches(jobs: Iterable[Job], size: int) -> Iterable[list[Job]]:
    batch: list[Job] = []
    for job in jobs:
        batch.append(job)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch
