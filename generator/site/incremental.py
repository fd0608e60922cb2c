"""Regenerate after an edit without redoing everything: ``handbook serve`` keeps a :class:`Cache`.

Two things are kept between runs:

* each YAML file's bytes with what reading and parsing them gave. A file whose bytes are the
  same is not parsed again, and it yields the *same* entity objects as last time;
* each page's Markdown with the set of handbook entries its rendering read. Pages render
  against a recording view of the handbook (:func:`recording_view`), so the set is what the
  templates really looked at, not a guess kept by hand. A page is rendered again only when
  an entry it read changed; every other page keeps its text.

Entries are compared by identity first (unchanged files give the same objects), then by
value, so a derived list rebuilt with equal contents counts as unchanged.
"""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..link.handbook import DERIVED, Handbook
from ..load.cache import ParsedFile, Stamp

#: The key recorded when a page iterates or counts a whole table rather than looking one key up.
ALL = "\x00all"

Read = tuple[str, Any]
"""``(handbook field, key)``: one entry a page looked at."""


@dataclass
class RenderedPage:
    """One page as last rendered, with every handbook entry the rendering read."""

    text: str
    reads: frozenset[Read]


@dataclass
class Stats:
    """What the last run redid and what it reused (shown by tests and the benchmark)."""

    parsed: int = 0
    parse_reused: int = 0
    rendered: int = 0
    render_reused: int = 0
    fragments_rendered: int = 0
    fragments_reused: int = 0


@dataclass
class Cache:
    """State carried from one generate to the next in the same process. Valid for one locale."""

    lang: str = ""
    files: dict[Path, ParsedFile] = field(default_factory=dict)
    handbook: Handbook | None = None
    pages: dict[str, RenderedPage] = field(default_factory=dict)
    fragments: dict[str, RenderedPage] = field(default_factory=dict)
    """Parts of pages kept the same way (``docs path#part``), e.g. one unit's table in the KPI index."""
    titled: dict[str, tuple[str, bytes]] = field(default_factory=dict)
    """Docs path → (page text, the bytes written for it): the front-matter title costs a Markdown parse."""
    nav: tuple[Any, str] | None = None
    """The nav and theme data last written with their YAML text: dumping 1,000 roles' nav
    costs more than building it, and most saves leave it as it was."""
    deferred: set[str] = field(default_factory=set)
    """Pages whose kept text is out of date: a run was told to leave them for later (``render``'s ``defer``)."""
    on_disk: dict[str, tuple[bytes, int, int]] = field(default_factory=dict)
    """The generated folder's files as last written or read (``output.write_tree``)."""
    stats: Stats = field(default_factory=Stats)

    def use(self, lang: str) -> None:
        """Parse problems and pages hold locale text: a different locale makes everything kept useless."""
        if lang != self.lang:
            self.lang = lang
            self.files.clear()
            self.handbook = None
            self.pages.clear()
            self.fragments.clear()
            self.titled.clear()
            self.nav = None
            self.deferred.clear()

    def start(self, lang: str) -> None:
        """Begin a run: count afresh what it redoes."""
        self.use(lang)
        self.stats = Stats()

    def unchanged(self, path: Path, rel: str, stamp: Stamp) -> ParsedFile | None:
        """What the file gave last time, if ``stat`` says it is as it was then (1,000 files'
        ``stat`` take a tenth of reading them, which a save at 1,000 roles would wait for)."""
        hit = self.files.get(path)
        if hit is not None and hit.stamp == stamp and hit.source.rel == rel:
            self.stats.parse_reused += 1
            return hit
        return None

    def parsed(self, path: Path, rel: str, raw: bytes) -> ParsedFile | None:
        """What ``raw`` gave last time, if the file held exactly these bytes under this name."""
        hit = self.files.get(path)
        if hit is not None and hit.raw == raw and hit.source.rel == rel:
            self.stats.parse_reused += 1
            return hit
        return None

    def keep(self, path: Path, parsed: ParsedFile) -> None:
        """Remember a freshly parsed file."""
        self.stats.parsed += 1
        self.files[path] = parsed

    def forget_other_files(self, paths: set[Path]) -> None:
        """Drop files that are gone (deleted or renamed)."""
        for path in [p for p in self.files if p not in paths]:
            del self.files[path]


class Recorder:
    """Collects the reads of the page being rendered."""

    def __init__(self) -> None:
        self.current: set[Read] = set()

    def start(self) -> None:
        """Start recording a new page."""
        self.current = set()


class _Recording(dict[Any, Any]):
    """A dict that notes every key looked up, and :data:`ALL` when it is iterated or counted."""

    def __init__(self, data: dict[Any, Any], name: str, recorder: Recorder, default: Callable[[], Any] | None) -> None:
        super().__init__(data)
        self._name = name
        self._recorder = recorder
        self._default = default  # the defaultdict factory of the original, without inserting

    def __getitem__(self, key: Any) -> Any:
        self._recorder.current.add((self._name, key))
        try:
            return dict.__getitem__(self, key)
        except KeyError:
            if self._default is None:
                raise
            return self._default()

    def get(self, key: Any, default: Any = None) -> Any:
        self._recorder.current.add((self._name, key))
        return dict.get(self, key, default)

    def __contains__(self, key: object) -> bool:
        self._recorder.current.add((self._name, key))
        return dict.__contains__(self, key)

    def _all(self) -> None:
        self._recorder.current.add((self._name, ALL))

    def __iter__(self) -> Iterator[Any]:
        self._all()
        return dict.__iter__(self)

    def __len__(self) -> int:
        self._all()
        return dict.__len__(self)

    def keys(self) -> Any:
        self._all()
        return dict.keys(self)

    def values(self) -> Any:
        self._all()
        return dict.values(self)

    def items(self) -> Any:
        self._all()
        return dict.items(self)


#: Prefix of the read names of the per-kind entity tables (``Handbook.tables``).
_KIND = "tables."


def _tables(hb: Handbook) -> Iterator[tuple[str, dict[Any, Any]]]:
    for f in dataclasses.fields(hb):
        name = f.name.removeprefix("_")
        if f.name.startswith("_") and name not in DERIVED:
            continue  # the handbook's own caches (reporting chains …): no contents of it
        value = getattr(hb, name)  # a derived table is worked out here, if no one asked yet
        if name == "tables":
            # One table per kind, each recorded on its own: a page that reads one role must
            # not count as having read every entity of every kind.
            for kind, table in value.items():
                yield _KIND + kind, table
        elif isinstance(value, dict):
            yield name, value


def recording_view(hb: Handbook, recorder: Recorder) -> Handbook:
    """A handbook with the same contents whose every table records what is read from it."""
    tables = {
        name: _Recording(value, name, recorder, value.default_factory if isinstance(value, defaultdict) else None)
        for name, value in _tables(hb)
    }
    kinds: dict[str, dict[str, Any]] = {
        name.removeprefix(_KIND): tables.pop(name) for name in list(tables) if name.startswith(_KIND)
    }
    fields = {(f"_{name}" if name in DERIVED else name): value for name, value in tables.items()}
    return dataclasses.replace(hb, tables=kinds, **fields)


def changed_entries(old: Handbook | None, new: Handbook) -> set[Read] | None:
    """Every ``(field, key)`` whose value differs, plus ``(field, ALL)`` for each field with a
    difference; None when there is nothing to compare with (everything counts as changed)."""
    if old is None:
        return None
    out: set[Read] = set()
    old_tables = dict(_tables(old))
    missing = object()
    for name, new_table in _tables(new):
        old_table = old_tables.get(name, {})
        if list(old_table) != list(new_table):
            # Same entries in another order (a file moved to another folder) still reorders
            # every page that lists the whole table.
            out.add((name, ALL))
        for key in old_table.keys() | new_table.keys():
            before, after = old_table.get(key, missing), new_table.get(key, missing)
            if before is not after and (before is missing or after is missing or before != after):
                out.add((name, key))
                out.add((name, ALL))
    return out


class Fragments:
    """Parts of a page kept like pages are, so a page listing every unit re-renders one unit's part.

    Renderer calls it as ``fragment(key, render)`` while a page renders. The part's reads
    count for the page too: the page is rendered again whenever a part of it must be.
    """

    def __init__(self, cache: Cache, recorder: Recorder) -> None:
        self.cache = cache
        self.recorder = recorder
        self.changed: set[Read] | None = None
        self.kept: dict[str, RenderedPage] = dict(cache.fragments)
        self.used: set[str] = set()

    def __call__(self, key: str, render: Callable[[], str]) -> str:
        self.used.add(key)
        page_reads = self.recorder.current
        old = self.kept.get(key)
        if old is not None and self.changed is not None and old.reads.isdisjoint(self.changed):
            self.cache.stats.fragments_reused += 1
            page_reads.update(old.reads)
            return old.text
        self.cache.stats.fragments_rendered += 1
        self.recorder.current = set()
        try:
            text = render()
        finally:
            reads = frozenset(self.recorder.current)
            self.recorder.current = page_reads
            page_reads.update(reads)
        self.kept[key] = RenderedPage(text, reads)
        return text


def render(
    cache: Cache,
    hb: Handbook,
    pages: dict[str, Callable[[], str]],
    recorder: Recorder,
    *,
    fragments: Fragments | None = None,
    everything: bool = False,
    defer: Callable[[str], bool] | None = None,
) -> dict[str, str]:
    """Each page's text: kept when nothing it read changed since the last run, else rendered again.

    ``pages`` render against the recording view tied to ``recorder``, their parts through
    ``fragments``. ``everything`` renders all pages (something every page uses, such as the
    glossary's abbreviations, changed). A page out of date for which ``defer`` says True
    keeps its old text for now and is rendered by the next run (in ``Cache.deferred``):
    the live preview renders the page open in the browser first and the others after.
    """
    changed = None if everything else changed_entries(cache.handbook, hb)
    if fragments is not None:
        fragments.changed = changed
    kept: dict[str, RenderedPage] = {}
    reused: set[str] = set()
    out: dict[str, str] = {}
    deferred: set[str] = set()
    for path, render_page in pages.items():
        old = cache.pages.get(path)
        if old is not None and changed is not None and path not in cache.deferred and old.reads.isdisjoint(changed):
            cache.stats.render_reused += 1
            kept[path] = old
            reused.add(path)
        elif old is not None and defer is not None and defer(path):
            # Its old reads stay: the next run renders it because it is deferred, whatever changes.
            kept[path] = old
            deferred.add(path)
        else:
            recorder.start()
            kept[path] = RenderedPage(render_page(), frozenset(recorder.current))
            cache.stats.rendered += 1
        out[path] = kept[path].text
    cache.pages = kept
    cache.deferred = deferred
    if fragments is not None:
        # A part stays valid only if this run looked at it, or kept its page (whose reads hold
        # the part's): a part its re-rendered page no longer asked for may have gone stale.
        cache.fragments = {
            key: part for key, part in fragments.kept.items()
            if key in fragments.used or key.partition("#")[0] in reused
        }
    cache.handbook = hb
    return out
