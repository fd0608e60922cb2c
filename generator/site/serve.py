"""Live preview: regenerate on every save of ``roles/`` or ``handbook/``, rebuild what changed, reload the browser."""

from __future__ import annotations

import collections
import contextlib
import logging
import os
import shutil
import subprocess
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..editor import editguide
from ..i18n import Locale
from ..load.problems import Problem
from ..project import Project
from .engine import Engine, zensical_command, zensical_config
from .generate import GenerateOutcome, generate
from .incremental import Cache
from .livebuild import Changes, LiveBuild

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.livereload import LiveReloadServer

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

    def regenerate(self) -> GenerateOutcome:
        """Generate once; after an invalid save keep the last good pages and show the problems page."""
        outcome = generate(self.project, self.locale, cache=self.cache)
        shown = not outcome.ok and show_problems(self.project, outcome.problems, self.locale)
        if outcome.report is not None:
            self.changes.add(outcome.report.written, outcome.report.removed)
        elif shown:
            self.changes.add([f"docs/{editguide.PREVIEW_PAGE}"])
        self.report(outcome, shown)
        return outcome

    def take_changes(self) -> Changes:
        """What changed since the last call, and start collecting afresh."""
        changes, self.changes = self.changes, Changes()
        return changes

    def _snapshot(self) -> dict[str, float]:
        # Walked, not globbed: the generated folder (thousands of pages at 1,000 roles) is
        # pruned, not listed and filtered, so a poll costs milliseconds while pages are written.
        out: dict[str, float] = {}
        skip = os.path.normpath(self.project.generated)
        for folder in (self.project.roles, self.project.handbook):
            for top, dirs, names in os.walk(folder):
                dirs[:] = [d for d in dirs if os.path.join(top, d) != skip]
                for name in names:
                    path = os.path.join(top, name)
                    with contextlib.suppress(FileNotFoundError):  # deleted between listing and stat
                        out[path] = os.stat(path).st_mtime
        return out

    def watch(self, stop: threading.Event, changed: Callable[[], object] | None = None, interval: float = 0.2) -> None:
        """Poll the sources until ``stop`` is set; call ``changed`` (default: regenerate) when any file changed."""
        last = self._snapshot()
        while not stop.wait(interval):
            now = self._snapshot()
            if now != last:
                last = now
                (changed or self.regenerate)()


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


def _serve_mkdocs(preview: Preview, dev_addr: str) -> None:
    # MkDocs' own server and live reload, with our builder (site/livebuild.py): the server
    # starts once the nav is known, a page is written when it is first asked for, and a thread
    # writes the others a slice at a time. A save is regenerated inside the build, so a page
    # asked for meanwhile waits for it; the pages open in a browser are written before the
    # browsers reload, the other changed pages after. Only a request for a page that is due
    # (or for what all pages share, before it is whole) waits; every other file is served as is.
    from mkdocs.livereload import LiveReloadServer

    host, _, port = dev_addr.rpartition(":")
    site = Path(tempfile.mkdtemp(prefix="handbook-preview-"))
    live = LiveBuild(lambda: preview_config(preview.project, site, f"http://{host}:{port}/"))
    lock = _Turns()
    wake = threading.Event()
    stop = threading.Event()
    open_pages: collections.deque[str] = collections.deque(maxlen=8)
    theme = _theme_stamp(preview.project)

    def builder() -> None:
        nonlocal theme
        with lock.first():
            preview.regenerate()
            changes = preview.take_changes()
            if _theme_stamp(preview.project) != theme:  # mkdocs.yml or a theme override: every page
                theme = _theme_stamp(preview.project)
                live.start()
                live.page_all(open_pages)
            else:
                live.update(changes, first=set(open_pages))
        wake.set()

    def worker() -> None:
        while not stop.is_set():
            wake.clear()
            with lock.background():
                more = live.work()
            if not more:
                wake.wait()

    def app(environ: dict[str, Any], start_response: Any) -> Any:
        path = str(environ.get("PATH_INFO", ""))
        if not path.startswith("/livereload/"):
            url = path.lstrip("/")
            if path.endswith(("/", ".html")) and url not in open_pages:
                open_pages.append(url)
            if url in live.due:
                with lock.first():
                    live.page(url)
            elif url in SHARED_FILES:
                live.settled.wait(timeout=SHARED_WAIT)
        return server.serve_request(environ, start_response)

    preview.take_changes()  # the first run's, which the start below covers
    quiet = _QuietProblemsPage()
    logging.getLogger("mkdocs.livereload").addFilter(quiet)
    try:
        live.start()
        server = LiveReloadServer(builder=builder, host=host, port=int(port), root=str(site))
        server.set_app(app)
        server.error_handler = lambda code: _error_page(site, code)
        # Watching mkdocs.yml also turns on the server's reload script in every page it serves.
        server.watch(str(preview.project.mkdocs_yml))
        threading.Thread(target=worker, daemon=True).start()
        thread = threading.Thread(target=preview.watch, args=(stop, lambda: _request_build(server)), daemon=True)
        thread.start()
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
    keep a waiting save out for a second or more."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._count = threading.Lock()
        self._waiting = 0

    @contextlib.contextmanager
    def first(self) -> Iterator[None]:
        """Hold the lock as soon as the background writer's slice ends."""
        with self._count:
            self._waiting += 1
        try:
            with self._lock:
                yield
        finally:
            with self._count:
                self._waiting -= 1

    @contextlib.contextmanager
    def background(self) -> Iterator[None]:
        """Hold the lock once nobody else waits for it."""
        while self._waiting:
            time.sleep(0.005)
        with self._lock:
            yield


class _QuietProblemsPage(logging.Filter):
    """Every page asks for the problems page (the banner's script): its 404 is no news to print."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "/preview-problems/" not in record.getMessage()


def _request_build(server: LiveReloadServer) -> None:
    """What the server's own file watcher does on a change (it has no public call for it)."""
    with server._rebuild_cond:
        server._want_rebuild = True
        server._rebuild_cond.notify_all()


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
