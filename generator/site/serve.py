"""Live preview: regenerate on every save of ``roles/`` or ``handbook/``, rebuild what changed, reload the browser."""

from __future__ import annotations

import collections
import logging
import os
import shutil
import subprocess
import tempfile
import threading
from collections.abc import Callable
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

    def _snapshot(self) -> dict[Path, float]:
        folders = [self.project.roles, self.project.handbook]
        return {
            p: p.stat().st_mtime
            for folder in folders
            for p in folder.rglob("*")
            if p.is_file() and self.project.generated not in p.parents
        }

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
    # MkDocs' own server and live reload, with our builder: the save is regenerated inside the
    # build, so a page asked for meanwhile waits for it, and only the changed pages are rebuilt.
    # The pages open in a browser are written first and the browsers reload; the other changed
    # pages follow at once in a thread (a page asked for before that is written first).
    from mkdocs.livereload import LiveReloadServer

    host, _, port = dev_addr.rpartition(":")
    site = Path(tempfile.mkdtemp(prefix="handbook-preview-"))
    live = LiveBuild(lambda: preview_config(preview.project, site, f"http://{host}:{port}/"))
    lock = threading.Lock()
    open_pages: collections.deque[str] = collections.deque(maxlen=8)
    theme = _theme_stamp(preview.project)

    def builder() -> None:
        nonlocal theme
        with lock:
            preview.regenerate()
            changes = preview.take_changes()
            if _theme_stamp(preview.project) != theme:  # mkdocs.yml or a theme override: every page
                theme = _theme_stamp(preview.project)
                live.full()
            else:
                live.update(changes, first=set(open_pages))
        threading.Thread(target=flush, daemon=True).start()  # what the open pages did not need

    def flush() -> None:
        with lock:  # every request but the reload poll waits for this lock: none sees a stale file
            live.flush()

    def app(environ: dict[str, Any], start_response: Any) -> Any:
        path = str(environ.get("PATH_INFO", ""))
        if not path.startswith("/livereload/"):
            url = path.lstrip("/")
            with lock:
                live.flush_page(url)
                if path.endswith(("/", ".html")) and url not in open_pages:
                    open_pages.append(url)
        return server.serve_request(environ, start_response)

    preview.take_changes()  # the first run's, which the full build below covers
    stop = threading.Event()
    quiet = _QuietProblemsPage()
    logging.getLogger("mkdocs.livereload").addFilter(quiet)
    try:
        live.full()
        server = LiveReloadServer(builder=builder, host=host, port=int(port), root=str(site))
        server.set_app(app)
        server.error_handler = lambda code: _error_page(site, code)
        # Watching mkdocs.yml also turns on the server's reload script in every page it serves.
        server.watch(str(preview.project.mkdocs_yml))
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
        shutil.rmtree(site, ignore_errors=True)


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
