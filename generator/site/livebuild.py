"""MkDocs' build kept in memory for the live preview: after a save, only the pages whose Markdown changed.

A full MkDocs build renders every page (2,139 at 1,000 roles, about a minute). After a save
the generator has rewritten only the files whose bytes changed; when those are pages (and
neither the nav, the theme nor the set of files changed) every other page's HTML is what it
was, so only the changed pages are read, rendered and written again. What every page shares
is rewritten from the kept state: the search index (each page's entries are kept), the
sitemap and the other theme templates. The result is byte for byte what a full build of the
same config writes (``tests/test_livebuild.py``). Anything else falls back to a full build.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mkdocs import utils
from mkdocs.commands import build as mkbuild
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files, InclusionLevel, get_files, set_exclusions
from mkdocs.structure.nav import Navigation, get_navigation
from mkdocs.structure.pages import Page

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
    """One site folder built once in full, then page by page; ``config`` loads a fresh config."""

    def __init__(self, config: Callable[[], MkDocsConfig]) -> None:
        self._load = config
        self._state: _State | None = None
        self.rendered = 0
        """Pages rendered by the last build (for the bench and the tests)."""
        self.pending: list[File] = []
        """Changed pages not written yet (see :meth:`update`)."""
        self._stale = False
        """Whether what all pages share (search index, sitemap) waits for :meth:`flush`."""

    @property
    def site_dir(self) -> Path:
        """Where the pages are written."""
        assert self._state is not None, "build first"
        return Path(self._state.config.site_dir)

    def full(self) -> None:
        """MkDocs' build, step by step as ``mkdocs.commands.build.build``, keeping what later updates need."""
        config = self._load()
        config = config.plugins.on_config(config)
        config.plugins.on_pre_build(config=config)
        utils.clean_directory(config.site_dir)
        files = get_files(config)
        env = config.theme.get_env()
        files.add_files_from_theme(env, config)
        files = config.plugins.on_files(files, config=config)
        set_exclusions(files, config)
        nav = get_navigation(files, config)
        nav = config.plugins.on_nav(nav, config=config, files=files)
        state = _State(config, files, nav, env)
        self.pending = []
        for file in self._pages(state):
            if file.page is None and file.inclusion.is_not_in_nav():  # type: ignore[no-untyped-call]
                Page(None, file, config)
            assert file.page is not None
            mkbuild._populate_page(file.page, config, files)
        state.env = config.plugins.on_env(env, config=config, files=files)
        files.copy_static_files(inclusion=InclusionLevel.is_in_serve)
        self._state = state
        self._render(state, self._pages(state))

    def update(self, changes: Changes, first: Iterable[str] = ()) -> None:
        """Bring the site up to date with ``changes``: the changed pages only when that is enough.

        Changed pages at the URLs in ``first`` (the pages open in a browser) are written now and
        the rest are left in :attr:`pending`, for :meth:`flush` or :meth:`flush_page` right after.
        """
        self.flush()
        state = self._state
        paths = changes.pages()
        if state is None or paths is None or not self._incremental(state, *paths, set(first)):
            self.full()

    def flush(self) -> None:
        """Write the pages left pending, then everything all pages share."""
        if self._state is not None and (self.pending or self._stale):
            pages, self.pending = self.pending, []
            self._render(self._state, pages)

    def flush_page(self, url: str) -> None:
        """Write the page at ``url`` now if it is pending (someone asks for it before :meth:`flush`)."""
        page = next((f for f in self.pending if f.url == url), None)
        if self._state is not None and page is not None:
            self.pending.remove(page)
            self._render(self._state, [page], shared=False)

    def _incremental(self, state: _State, written: set[str], removed: set[str], first: set[str]) -> bool:
        known = {f.src_uri: f for f in self._pages(state)}
        added = (written - known.keys()) | (removed & known.keys())
        if not added <= VOLATILE:
            return False  # a new or deleted page changes the nav and other pages' links
        config, files = state.config, state.files
        for uri in removed & known.keys():
            files.remove(known[uri])
            state.entries.pop(uri, None)
            _delete(Path(known[uri].abs_dest_path), Path(config.site_dir))
        for uri in written - known.keys():
            new = File(uri, config.docs_dir, config.site_dir, config.use_directory_urls)
            state.files = files = _inserted(files, new, config.docs_dir)
            set_exclusions(files, config)
            Page(None, new, config)
        todo = [f for f in self._pages(state) if f.src_uri in written]
        for file in todo:
            assert file.page is not None
            title = file.page.title if file.src_uri in known else None
            mkbuild._populate_page(file.page, config, files)
            if file.src_uri in known and file.page.title != title:
                return False  # the title shows in other pages (previous / next links)
        hot = [f for f in todo if f.url in first]
        if hot:
            self.pending = [f for f in todo if f.url not in first]
            self._render(state, hot, shared=False)
        else:
            self._render(state, todo)
        return True

    @staticmethod
    def _pages(state: _State) -> list[File]:
        return list(state.files.documentation_pages(inclusion=InclusionLevel.is_in_serve))

    def _render(self, state: _State, pages: list[File], *, shared: bool = True) -> None:
        """Write ``pages``; with ``shared``, then what all pages share: theme templates, anchors, search index."""
        config, files, nav, env = state.config, state.files, state.nav, state.env
        index = _search_index(config)
        doc_files = self._pages(state)
        for file in pages:
            assert file.page is not None
            start = len(index.entries) if index is not None else 0
            mkbuild._build_page(file.page, config, doc_files, nav, env, excluded=file.inclusion.is_excluded())  # type: ignore[no-untyped-call]
            if index is not None:
                state.entries[file.src_uri] = index.entries[start:]
        self.rendered = len(pages)
        self._stale = not shared
        if not shared:
            return
        for template in config.theme.static_templates:
            mkbuild._build_theme_template(template, env, files, config, nav)
        for template in config.extra_templates:
            mkbuild._build_extra_template(template, files, config, nav)
        for file in doc_files:
            assert file.page is not None
            file.page.validate_anchor_links(files=files, log_level=config.validation.links.anchors)
        if index is not None:
            index.entries = [entry for f in doc_files for entry in state.entries.get(f.src_uri, [])]
        config.plugins.on_post_build(config=config)


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
