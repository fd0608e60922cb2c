"""PDF work done in one worker process per core: WeasyPrint's layout is pure Python, one core each.

A worker sets WeasyPrint up once (fonts, stylesheets per company) and then does the tasks it is
handed: lay a document out into the cache, stamp page numbers on, put a book together. Small runs
(the live preview's one role, a few edits) stay in the calling process: starting a worker costs
about a second.
"""

from __future__ import annotations

import multiprocessing
import os
import re
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar, Protocol

from . import assemble, fonts

#: Fewer tasks than this stay in the calling process.
POOL_MIN_JOBS = 8


class EngineType(Protocol):
    """WeasyPrint set up for one stylesheet (engine.Engine), passed in by name so workers can build it."""

    def __call__(self, fontset: fonts.FontSet, css: str) -> Any: ...


class _Worker:
    """What one process keeps between tasks: an engine per stylesheet."""

    fontset: fonts.FontSet | None = None
    make: EngineType | None = None
    engines: ClassVar[dict[str, Any]] = {}


def _start(fontset: fonts.FontSet, make: EngineType) -> None:
    _Worker.fontset, _Worker.make, _Worker.engines = fontset, make, {}


def lay_out(source: str, css: str, target: Path) -> int:
    """Lay ``source`` out with ``css`` into ``target``; its page count."""
    assert _Worker.fontset is not None and _Worker.make is not None
    if css not in _Worker.engines:
        _Worker.engines[css] = _Worker.make(_Worker.fontset, css)
    engine = _Worker.engines[css]
    document = engine.render(source)
    engine.write(document, target)
    return len(document.pages)


@dataclass(frozen=True)
class Job:
    """One document to lay out: its print HTML, its stylesheet and the cache file it becomes."""

    name: str
    source: str
    css: str
    target: Path

    @property
    def size(self) -> int:
        return len(self.source)

    def run(self) -> int:
        return lay_out(self.source, self.css, self.target)


@dataclass(frozen=True)
class Finish:
    """A document's own PDF from its laid-out pages and its page-number stamps."""

    name: str
    raw: Path
    stamps: Path
    target: Path
    size: int = 1

    def run(self) -> int:
        return assemble.finish(self.raw, self.stamps, self.target)


#: Where the contents put an entry's page number (filled in once the pages before it are counted).
PAGE_MARK = re.compile(r"\[\[page:([^\]]+)\]\]")


@dataclass(frozen=True)
class Book:
    """A book: its contents laid out (their page numbers filled in) and its laid-out pieces put after them."""

    name: str
    front: str
    """The contents' HTML, each page number a :data:`PAGE_MARK` of the anchor it names."""
    css: str
    front_target: Path
    starts: dict[str, int]
    """Anchor → its page in the book counted from the first page after the contents (from 0)."""
    pieces: tuple[assemble.Piece, ...]
    folios: tuple[Path, ...]
    target: Path
    title: str
    author: str
    faces: tuple[tuple[str, Path], ...] = ()
    """The build's font files by weight: the book holds one copy of each (``assemble._share_faces``)."""
    front_pages: int = 0
    """The contents' page count if known (the last run's, for the same entries); else it is guessed."""

    @property
    def size(self) -> int:
        return len(self.starts) * 1000

    def _number(self, front: int) -> Callable[[re.Match[str]], str]:
        return lambda m: str(self.starts[m.group(1)] + front + 1)

    def run(self) -> int:
        # About 37 lines a page, fewer on the first (the 41 books of a 300-role handbook: all right).
        front = self.front_pages or 1 + len(self.starts) // 37
        for _ in range(4):  # the contents' own length moves every number; it settles in a round or two
            html = PAGE_MARK.sub(self._number(front), self.front)
            pages = lay_out(html, self.css, self.front_target)
            if pages == front:
                break
            front = pages
        return assemble.assemble(self.pieces, self.folios, self.target, title=self.title, author=self.author,
                                 faces=dict(self.faces))


Task = Job | Finish | Book


def _run(tasks: list[Task]) -> list[tuple[str, int]]:
    return [(task.name, task.run()) for task in tasks]


def workers() -> int:
    """How many processes do PDF work: one per core this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def run_all(tasks: list[Task], fontset: fonts.FontSet, make: EngineType, done: Callable[[str, int], None]) -> None:
    """Do every task; ``done(name, pages)`` as each finishes (in any order)."""
    count = min(workers(), len(tasks))
    if count <= 1 or len(tasks) < POOL_MIN_JOBS:
        _start(fontset, make)
        for task in tasks:
            for name, pages in _run([task]):
                done(name, pages)
        return
    # Largest first (a book takes as long as dozens of roles), then dealt out in small batches,
    # so no worker is left alone with the last big one.
    ordered = sorted(tasks, key=lambda task: task.size, reverse=True)
    batches = list(_batches(ordered, size=batch_size(len(tasks), count)))
    # spawn, not fork: the caller may hold threads (the live preview's server, jieba's lock).
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(count, mp_context=context, initializer=_start, initargs=(fontset, make)) as pool:
        for results in pool.map(_run, batches):
            for name, pages in results:
                done(name, pages)


def batch_size(tasks: int, count: int) -> int:
    """Tasks per batch: 4 saves a round trip per task on a long run; a short one (a book's dozen page-number
    chunks of 2 s each) goes one by one, or a worker would sit idle while the other does two batches."""
    return max(1, min(4, tasks // (count * 4)))


def _batches(tasks: Iterable[Task], size: int) -> Iterable[list[Task]]:
    batch: list[Task] = []
    for task in tasks:
        if isinstance(task, Book):  # a book alone: two in one batch could leave the other worker idle
            yield [task]
            continue
        batch.append(task)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch
