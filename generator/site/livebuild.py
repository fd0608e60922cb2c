"""MkDocs' build kept in memory for the live preview: each page written when it is first asked
for or has changed, the rest in the background.

A full MkDocs build renders every page (3,078 at 1,000 roles, about a minute) before the
first one can be served. Here :meth:`LiveBuild.start` only reads the config, the files and
the nav (seconds); every page is then *due*: :meth:`LiveBuild.page` writes one the moment a
browser asks for it, and :meth:`LiveBuild.work` writes the others a slice at a time, so a
request never waits for more than one slice. After a save the generator has rewritten only
the files whose bytes changed; when those are pages (and neither the nav, the theme nor the
set of files changed) every other page's HTML is what it was, so only the changed pages
become due again, the ones open in a browser written at once (:meth:`LiveBuild.update`).
What every page shares (the search index, from each page's kept entries, the sitemap, the
other theme templates) is written once no page is due. The result is byte for byte what
MkDocs' own build of the same config writes (``tests/test_livebuild.py``). Anything else
starts afresh.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mkdocs import utils
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files, InclusionLevel, get_files, set_exclusions
from mkdocs.structure.nav import Navigation, get_navigation
from mkdocs.structure.pages import Page

from . import mkinternals

#: Pages that may come and go without a full build: nothing but the preview's banner script asks for them.
VOLATILE = frozenset({"preview-problems.md"})
DOCS = "docs/"
log = logging.getLogger(__name__)


@dataclass
class Changes:
    """What the generator changed since the last build, relative to the generated folder."""

    written: set[str] = field(default_factory=set)
    removed: set[str] = field(default_factory=set)

    def add(self, written: Iterable[str], removed: Iterable[str] = ()) -> None:
        """Merge another run's changes (several saves may come before one build)."""
        for rel in written:
            self.written.add(rel)
            self.removed.discard(rel)
        for rel in removed:
            self.removed.add(rel)
            self.written.discard(rel)

    def pages(self) -> tuple[set[str], set[str]] | None:
        """``(written, removed)`` page paths inside the docs folder, or None when a full build is needed."""
        if any(not rel.startswith(DOCS) or not rel.endswith(".md") for rel in self.written | self.removed):
            return None
        written = {rel.removeprefix(DOCS) for rel in self.written}
        removed = {rel.removeprefix(DOCS) for rel in self.removed}
        return written, removed


@dataclass
class _State:
    config: MkDocsConfig
    files: Files
    nav: Navigation
    env: Any
    entries: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    """Each page's search index entries, by source path."""


class LiveBuild:
    """One site folder written page by page; ``config`` loads a fresh config for each start."""

    def __init__(self, config: Callable[[], MkDocsConfig]) -> None:
        self._load = config
        self._state: _State | None = None
        self.due: dict[str, File] = {}
        """Pages not written since they last changed, by URL (read without the caller's lock:
        a page leaves it only once its file is whole)."""
        self.settled = threading.Event()
        """Set while nothing is due and what all pages share is written (the search index is whole)."""
        self.rendered = 0
        """Pages written since the last :meth:`start` or :meth:`update` (for the bench and the tests)."""
        self._populated: set[str] = set()
        """Pages read and converted at least once since the last start (their titles are known)."""
        self._stale = False
        """Whether what all pages share must be written again once nothing is due."""

    @property
    def site_dir(self) -> Path:
        """Where the pages are written."""
        assert self._state is not None, "start first"
        return Path(self._state.config.site_dir)

    def start(self) -> None:
        """MkDocs' build as ``mkdocs.commands.build.build`` begins it, up to the nav; every page due.

        Nothing is rendered yet: :meth:`page` and :meth:`work` do that. The theme's own
        assets are copied now, so a page served at once finds its stylesheets.
        """
        config = self._load()
        config = config.plugins.on_config(config)
        config.plugins.on_pre_build(config=config)
        files = get_files(config)
        env = config.theme.get_env()
        files.add_files_from_theme(env, config)
        files = config.plugins.on_files(files, config=config)
        set_exclusions(files, config)
        nav = get_navigation(files, config)
        nav = config.plugins.on_nav(nav, config=config, files=files)
        for file in self._pages(files):
            if file.page is None and file.inclusion.is_not_in_nav():  # type: ignore[no-untyped-call]
                Page(None, file, config)
        env = config.plugins.on_env(env, config=config, files=files)
        self.settled.clear()
        self._state = _State(config, files, nav, env)
        self._populated = set()
        self.due = {f.url: f for f in self._pages(files)}
        self._stale = True
        self.rendered = 0
        utils.clean_directory(config.site_dir)
        files.copy_static_files(inclusion=InclusionLevel.is_in_serve)

    def full(self) -> None:
        """Start and write everything now (what a fresh build gives; the tests compare with it)."""
        self.start()
        while self.work(budget=float("inf")):
            pass

    def page(self, url: str) -> None:
        """Write the page at ``url`` now if it is due (someone asks for it)."""
        file = self.due.get(url)
        if file is not None:
            self._write([file])

    def work(self, budget: float = 0.05, pause: Callable[[], bool] | None = None) -> bool:
        """Write due pages for about ``budget`` seconds, then, once none is due, what all pages
        share; stop early once ``pause`` says True (a save or a request waits: at 1,000 roles
        one page takes 0.2 s). True while work remains (call again, letting requests in between)."""
        state = self._state
        if state is None:
            return False
        deadline = time.perf_counter() + budget
        waits = pause or (lambda: False)
        while self.due and time.perf_counter() < deadline and not waits():
            self._write([next(iter(self.due.values()))])
        if self.due or waits():
            return True
        if self._stale:
            self._shared(state)
        return False

    def update(self, changes: Changes, first: Iterable[str] = ()) -> None:
        """Bring the site up to date with ``changes``: the changed pages become due, and those
        at the URLs in ``first`` (the pages open in a browser) are written now. When that is
        not enough (the nav, the set of files or the theme changed) start afresh."""
        state = self._state
        paths = changes.pages()
        self.rendered = 0
        if state is None or paths is None or not self._incremental(state, *paths, set(first)):
            self.start()
            self.page_all(first)

    def page_all(self, urls: Iterable[str]) -> None:
        """:meth:`page` for each of ``urls``."""
        for url in urls:
            self.page(url)

    def _incremental(self, state: _State, written: set[str], removed: set[str], first: set[str]) -> bool:
        known = {f.src_uri: f for f in self._pages(state.files)}
        added = (written - known.keys()) | (removed & known.keys())
        if not added <= VOLATILE:
            return False  # a new or deleted page changes the nav and other pages' links
        config, files = state.config, state.files
        for uri in removed & known.keys():
            file = known[uri]
            files.remove(file)
            state.entries.pop(uri, None)
            self.due.pop(file.url, None)
            self._populated.discard(uri)
            _delete(Path(file.abs_dest_path), Path(config.site_dir))
        for uri in written - known.keys():
            new = File(uri, config.docs_dir, config.site_dir, config.use_directory_urls)
            state.files = files = _inserted(files, new, config.docs_dir)
            set_exclusions(files, config)
            Page(None, new, config)
        changed = [f for f in self._pages(files) if f.src_uri in written]
        if not changed and not removed:
            return True
        self.settled.clear()
        self._stale = True
        for file in changed:
            self.due[file.url] = file
        self.page_all(f.url for f in changed if f.url in first)
        return True

    @staticmethod
    def _pages(files: Files) -> list[File]:
        return list(files.documentation_pages(inclusion=InclusionLevel.is_in_serve))

    def _write(self, pages: list[File]) -> None:
        """Read, convert and write ``pages``, keeping each one's search entries."""
        state = self._state
        assert state is not None
        config, files, nav, env = state.config, state.files, state.nav, state.env
        index = _search_index(config)
        doc_files = self._pages(files)
        for file in pages:
            assert file.page is not None
            title = file.page.title if file.src_uri in self._populated else None
            mkinternals.populate_page(file.page, config, files)
            if title is not None and file.page.title != title:
                # The title shows on other pages (the nav's section pages, previous / next links).
                self.due.update((f.url, f) for f in doc_files)
            self._populated.add(file.src_uri)
            if index is not None:
                index.entries = []
            excluded = file.inclusion.is_excluded()  # type: ignore[no-untyped-call]
            mkinternals.build_page(file.page, config, doc_files, nav, env, excluded=excluded)
            if index is not None:
                state.entries[file.src_uri] = index.entries
            self.due.pop(file.url, None)  # only now: a request that saw it due waits for the whole file
            self.rendered += 1

    def _shared(self, state: _State) -> None:
        """What all pages share: theme templates, the anchors' check, the search index, post-build."""
        config, files, nav, env = state.config, state.files, state.nav, state.env
        doc_files = self._pages(files)
        for template in config.theme.static_templates:
            mkinternals.build_theme_template(template, env, files, config, nav)
        for template in config.extra_templates:
            mkinternals.build_extra_template(template, files, config, nav)
        for file in doc_files:
            assert file.page is not None
            file.page.validate_anchor_links(files=files, log_level=config.validation.links.anchors)
        index = _search_index(config)
        if index is not None:
            index.entries = [entry for f in doc_files for entry in state.entries.get(f.src_uri, [])]
        config.plugins.on_post_build(config=config)
        self._stale = False
        self.settled.set()


def _delete(path: Path, site: Path) -> None:
    """Remove a built page and the folders it leaves empty, as a fresh build would not have them."""
    path.unlink(missing_ok=True)
    folder = path.parent
    while folder != site and folder.is_relative_to(site) and not any(folder.iterdir()):
        folder.rmdir()
        folder = folder.parent


def _walk_key(uri: str) -> tuple[tuple[int, Any], ...]:
    """Where ``os.walk`` (so MkDocs' ``get_files``) puts a file: a folder's files, index first, then sub-folders."""
    *folders, name = uri.split("/")
    stem = name.rsplit(".", 1)[0]
    return (*((1, folder) for folder in folders), (0, (stem not in ("index", "README"), name)))


def _inserted(files: Files, new: File, docs_dir: str) -> Files:
    """``files`` with ``new`` where a fresh build would have it: the pages' order is the sitemap's and the index's."""
    items = list(files)
    from_docs = [i for i, f in enumerate(items) if f.src_dir == docs_dir]
    later = [i for i in from_docs if _walk_key(items[i].src_uri) > _walk_key(new.src_uri)]
    items.insert(later[0] if later else (from_docs[-1] + 1 if from_docs else 0), new)
    return Files(items)


def _search_index(config: MkDocsConfig) -> Any:
    """The search plugin's index with its entries cleared, or None without one (each build fills it afresh)."""
    for plugin in config.plugins.values():
        index = getattr(plugin, "search_index", None)
        if index is not None and hasattr(index, "entries"):
            index.entries = []
            return index
    return None
