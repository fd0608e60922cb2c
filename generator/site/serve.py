"""Live preview: regenerate on every save of ``roles/`` or ``handbook/``, rebuild what changed, reload the browser."""

from __future__ import annotations

import collections
import contextlib
import functools
import logging
import os
import shutil
import subprocess
import tempfile
import threading
import time
from collections.abc import Callable, Collection, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..editor import editguide
from ..i18n import Locale
from ..load.problems import Problem
from ..project import Project
from . import mkinternals
from .engine import Engine, zensical_command, zensical_config
from .generate import GenerateOutcome, generate
from .incremental import Cache
from .livebuild import Changes, LiveBuild
from .watch import SourceWatch

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig

#: Where the live preview lists the problems of an invalid save.
PREVIEW_URL = editguide.PREVIEW_PAGE.removesuffix(".md") + "/"
HOOK = Path(__file__).with_name("preview_hook.py")
#: What the preview turns on in ``extra``: edit buttons open the local YAML; the invalid-save banner.
PREVIEW_EXTRA = {"local_edit": True, "live_preview": True}
#: Files written from every page (MkDocs' search index, the sitemap): a request for one waits
#: until no page is due, at most :data:`SHARED_WAIT` seconds (the first start at 1,000 roles
#: writes its pages in about a minute).
SHARED_FILES = frozenset({"search/search_index.json", "sitemap.xml", "sitemap.xml.gz"})
SHARED_WAIT = 300.0
#: After a save the background work waits this long for the browsers to reload, so that the
#: reload is served by a process not busy with the pages left for later (at 1,000 roles each
#: costs 0.2 s of the one Python thread that may run at a time) ...
RELOAD_QUIET = 1.0
#: ... or this long after an open page was asked for again, for its styles and scripts.
RELOAD_GRACE = 0.3


def show_problems(project: Project, problems: list[Problem], locale: Locale) -> bool:
    """Live preview after an invalid save: keep the last good pages and add one listing the problems.

    The theme's banner links to that page from every page; the next good save removes it
    (it is not among the generated files, so ``write_tree`` deletes it). False when there are
    no pages yet to keep.
    """
    if not project.docs.is_dir() or project.generated.is_symlink():
        return False
    target = project.docs / editguide.PREVIEW_PAGE
    data = editguide.preview_page(problems, locale).encode("utf-8")
    if target.is_file() and target.read_bytes() == data:
        return True
    fd, tmp = tempfile.mkstemp(dir=project.docs, prefix=".tmp-")
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
    os.replace(tmp, target)
    return True


class Preview:
    """Regenerates the docs after each save; one :class:`Cache` for the session, so a save
    re-reads only changed files and re-renders only the pages they touch."""

    def __init__(self, project: Project, locale: Locale, report: Callable[[GenerateOutcome, bool], None]) -> None:
        self.project = project
        self.locale = locale
        self.cache = Cache()
        self.report = report
        """Called after every run with its outcome and whether the problems page is shown."""
        self.changes = Changes()
        """What the runs since the last :meth:`take_changes` wrote into the generated folder."""
        self._ok = True
        """Whether the last run wrote the generated folder (an invalid save stops the catching up)."""

    def regenerate(self, looking_at: Collection[str] = ()) -> GenerateOutcome:
        """Generate once; after an invalid save keep the last good pages and show the problems page.

        With ``looking_at`` (site URLs open in a browser) only the pages at those URLs are
        rendered again now; the others the save changed wait for :meth:`catch_up`. At 1,000
        roles a duty's edit changes 118 pages (the roles citing it, its unit, the indexes):
        half a second the editor need not wait for.
        """
        wanted = set(looking_at)
        return self._run((lambda path: docs_url(path) not in wanted) if wanted else None)

    def _run(self, defer: Callable[[str], bool] | None) -> GenerateOutcome:
        """Generate once and note what it wrote; after an invalid save, show the problems page."""
        outcome = generate(self.project, self.locale, cache=self.cache, defer=defer, hold_back_unfinished=True)
        self._ok = outcome.ok
        shown = not outcome.ok and show_problems(self.project, outcome.problems, self.locale)
        if outcome.report is not None:
            self.changes.add(outcome.report.written, outcome.report.removed)
        elif shown:
            self.changes.add([f"docs/{editguide.PREVIEW_PAGE}"])
        self.report(outcome, shown)
        return outcome

    @property
    def behind(self) -> bool:
        """Whether pages were left for :meth:`catch_up` and it can render them. After an invalid
        save it cannot: they stay left for later until a save is valid again (retrying would
        only fail again, and print so, in a loop)."""
        return self._ok and bool(self.cache.deferred)

    def deferred_urls(self) -> set[str]:
        """The site URLs of the pages left for :meth:`catch_up`."""
        return {docs_url(path) for path in self.cache.deferred}

    def catch_up(self, pause: Callable[[], bool] | None = None) -> GenerateOutcome:
        """Render the pages the last :meth:`regenerate` left for later; once ``pause`` says True
        (a save waits), leave the rest for later again rather than keep the save waiting."""
        return self._run((lambda path: pause()) if pause is not None else None)

    def take_changes(self) -> Changes:
        """What changed since the last call, and start collecting afresh."""
        changes, self.changes = self.changes, Changes()
        return changes

    def watch(self, stop: threading.Event, changed: Callable[[], object] | None = None) -> None:
        """Watch the sources until ``stop`` is set; call ``changed`` (default: regenerate) after a change."""
        watcher = SourceWatch([self.project.roles, self.project.handbook], skip=self.project.generated)
        watcher.run(stop, changed or self.regenerate)


def docs_url(path: str) -> str:
    """The site URL MkDocs gives a page of the docs folder (``roles/x.md`` → ``roles/x/``; the
    home page is ``./``), with the directory URLs ``mkdocs.yml`` asks for."""
    from mkdocs.structure.files import File

    return str(File(path, None, "", use_directory_urls=True).url)


def serve(preview: Preview, dev_addr: str, engine: Engine = "mkdocs") -> None:
    """Serve the docs with the engine's live reload while a thread watches the sources (blocks)."""
    if engine == "mkdocs":
        _serve_mkdocs(preview, dev_addr)
        return
    stop = threading.Event()
    thread = threading.Thread(target=preview.watch, args=(stop,), daemon=True)
    thread.start()
    try:
        _serve_zensical(preview.project, dev_addr)
    finally:
        stop.set()


def preview_config(project: Project, site_dir: Path, serve_url: str) -> MkDocsConfig:
    """``mkdocs.yml`` as the preview builds it: our hook, a private site folder, the server's URL."""
    from mkdocs.config import load_config

    config = load_config(str(project.mkdocs_yml), site_dir=str(site_dir), hooks=[str(HOOK)])
    config.site_url = serve_url
    config.plugins.on_startup(command="serve", dirty=False)
    return config


class PreviewSite:
    """What the preview's server does on a save, between requests and for a request, with the
    server and its threads left out (so tests can drive it step by step).

    A save is regenerated inside the server's build, so a page asked for meanwhile waits for
    it; the pages open in a browser are rendered and written before the browsers reload, the
    other changed pages after. Only a request for a page that is due, or left for later (or
    for what all pages share, before it is whole) waits; every other file is served as is.
    """

    def __init__(self, preview: Preview, live: LiveBuild) -> None:
        self.preview = preview
        self.live = live
        self.lock = _Turns()
        self.open_pages: collections.deque[str] = collections.deque(maxlen=8)
        """The URLs browsers asked for lately: the pages worth writing first."""
        self._theme = _theme_stamp(preview.project)
        self._quiet_until = 0.0

    def quiet_for(self) -> float:
        """Seconds the background should still leave the process to the reloading browsers."""
        return max(0.0, self._quiet_until - time.monotonic())

    def saved(self) -> None:
        """The server's build after a save: regenerate, rendering the open pages now; write those."""
        preview, live = self.preview, self.live
        with self.lock.first():
            preview.regenerate(looking_at=self.open_pages)
            changes = preview.take_changes()
            if _theme_stamp(preview.project) != self._theme:  # mkdocs.yml or a theme override: every page
                self._theme = _theme_stamp(preview.project)
                live.start()
                live.page_all(self.open_pages)
            else:
                live.update(changes, first=set(self.open_pages))
        self._quiet_until = time.monotonic() + RELOAD_QUIET

    def step(self) -> bool:
        """One slice of background work: the pages a save left for later, then due pages. True while work remains."""
        with self.lock.background():
            self._catch_up(pause=self.lock.wanted)
            return self.live.work(pause=self.lock.wanted) or self.preview.behind

    def asked(self, path: str) -> None:
        """Before the server answers a request for ``path``: make sure what it serves is current."""
        url = path.lstrip("/") or "./"  # MkDocs' URL for the home page
        if path.endswith(("/", ".html")):
            if url not in self.open_pages:
                self.open_pages.append(url)
            elif self.quiet_for() > RELOAD_GRACE:  # an open page reloads: its assets come next
                self._quiet_until = time.monotonic() + RELOAD_GRACE
        if self.preview.behind and url in self.preview.deferred_urls():
            with self.lock.first():  # a link followed before the background caught up
                self._catch_up()
        if url in self.live.due:
            with self.lock.first():
                self.live.page(url)
        elif url in SHARED_FILES:
            self.live.settled.wait(timeout=SHARED_WAIT)

    def _catch_up(self, pause: Callable[[], bool] | None = None) -> None:
        # Called holding the lock.
        if self.preview.behind:
            self.preview.catch_up(pause)
            self.live.update(self.preview.take_changes(), first=set(self.open_pages))


def _serve_mkdocs(
    preview: Preview, dev_addr: str, on_saved: Callable[[], None] | None = None, ready: threading.Event | None = None
) -> None:
    # MkDocs' own server and live reload, with our builder (site/livebuild.py): the server
    # starts once the nav is known, a page is written when it is first asked for, and a thread
    # writes the others a slice at a time (PreviewSite says what happens when).
    from mkdocs.livereload import LiveReloadServer

    host, _, port = dev_addr.rpartition(":")
    site = Path(tempfile.mkdtemp(prefix="handbook-preview-"))
    live = LiveBuild(lambda: preview_config(preview.project, site, f"http://{host}:{port}/"))
    at = PreviewSite(preview, live)
    wake = threading.Event()
    stop = threading.Event()

    def builder() -> None:
        at.saved()
        wake.set()
        if on_saved is not None:  # handbook edit: the page reloads its preview once the save is in
            on_saved()

    def worker() -> None:
        while not stop.is_set():
            quiet = at.quiet_for()
            if quiet > 0:
                stop.wait(quiet)
                continue
            wake.clear()
            if not at.step():
                wake.wait()

    def app(environ: dict[str, Any], start_response: Any) -> Any:
        path = str(environ.get("PATH_INFO", ""))
        if not path.startswith("/livereload/"):
            at.asked(path)
        return server.serve_request(environ, start_response)

    mkinternals.check()  # before anything starts: a MkDocs the preview was not tested with stops here
    preview.take_changes()  # the first run's, which the start below covers
    quiet = _QuietProblemsPage()
    logging.getLogger("mkdocs.livereload").addFilter(quiet)
    try:
        live.start()
        server = LiveReloadServer(builder=builder, host=host, port=int(port), root=str(site))
        mkinternals.check_server(server)
        server.set_app(app)
        server.error_handler = lambda code: _error_page(site, code)
        # The server waits this long for more changes before building; our watcher has
        # already let the burst of events settle (site/watch.py), so the default 0.1 s is waste.
        server.build_delay = 0.01
        # Watching mkdocs.yml also turns on the server's reload script in every page it serves.
        server.watch(str(preview.project.mkdocs_yml))
        threading.Thread(target=worker, daemon=True).start()
        rebuild = functools.partial(mkinternals.request_rebuild, server)
        thread = threading.Thread(target=preview.watch, args=(stop, rebuild), daemon=True)
        thread.start()
        if ready is not None:
            ready.set()
        try:
            server.serve()  # type: ignore[no-untyped-call]
        except KeyboardInterrupt:
            pass
        finally:
            server.shutdown()
    finally:
        logging.getLogger("mkdocs.livereload").removeFilter(quiet)
        stop.set()
        wake.set()
        shutil.rmtree(site, ignore_errors=True)


class _Turns:
    """The build's lock, which the background writer lets go of whenever a save or a request
    waits for it: ``threading.Lock`` is not fair, and the writer, taking it again at once, could
    keep a waiting save out for a second or more. The writer waits on a condition until nobody
    else does (no polling)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._waiters = threading.Condition()
        self._waiting = 0

    @contextlib.contextmanager
    def first(self) -> Iterator[None]:
        """Hold the lock as soon as the background writer's slice ends."""
        with self._waiters:
            self._waiting += 1
        try:
            with self._lock:
                yield
        finally:
            with self._waiters:
                self._waiting -= 1
                self._waiters.notify_all()

    def wanted(self) -> bool:
        """Whether someone waits for the lock (the background's cue to let go early)."""
        return self._waiting > 0

    @contextlib.contextmanager
    def background(self) -> Iterator[None]:
        """Hold the lock once nobody else waits for it."""
        with self._waiters:
            self._waiters.wait_for(lambda: self._waiting == 0)
        with self._lock:
            yield


class _QuietProblemsPage(logging.Filter):
    """Every page asks for the problems page (the banner's script): its 404 is no news to print."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "/preview-problems/" not in record.getMessage()


def _theme_stamp(project: Project) -> dict[Path, float]:
    """Modification times of mkdocs.yml and the theme overrides (``theme.custom_dir``)."""
    files = [project.mkdocs_yml, *(p for p in (project.handbook / ".theme").rglob("*") if p.is_file())]
    return {p: p.stat().st_mtime for p in files}


def _error_page(site: Path, code: int) -> bytes | None:
    page = site / f"{code}.html"
    return page.read_bytes() if code in (404, 500) and page.is_file() else None


def _serve_zensical(project: Project, dev_addr: str) -> None:
    # Zensical loads no MkDocs hooks: the preview's extras go into the config it serves, with the
    # project folder for edit links (its templates have no config_file_path). It writes what it
    # serves to disk: a folder of its own, so the built site/ never carries the preview's links.
    extra = {**PREVIEW_EXTRA, "project_root": project.root.resolve().as_posix()}
    folder = Path(tempfile.mkdtemp(dir=project.mkdocs_yml.parent, prefix=".site-preview-"))
    try:
        with zensical_config(project, extra=extra, site_dir=folder.name) as config:
            subprocess.run(zensical_command("serve", "-f", str(config), "-a", dev_addr), cwd=project.root, check=False)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
