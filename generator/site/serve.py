"""Live preview: regenerate on every save of ``roles/`` or ``handbook/`` while MkDocs serves and reloads."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import threading
from collections.abc import Callable
from pathlib import Path

from ..editor import editguide
from ..i18n import Locale
from ..load.problems import Problem
from ..project import Project
from .engine import Engine, zensical_command, zensical_config
from .generate import GenerateOutcome, generate
from .incremental import Cache

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

    def regenerate(self) -> GenerateOutcome:
        """Generate once; after an invalid save keep the last good pages and show the problems page."""
        outcome = generate(self.project, self.locale, cache=self.cache)
        shown = not outcome.ok and show_problems(self.project, outcome.problems, self.locale)
        self.report(outcome, shown)
        return outcome

    def _snapshot(self) -> dict[Path, float]:
        folders = [self.project.roles, self.project.handbook]
        return {
            p: p.stat().st_mtime
            for folder in folders
            for p in folder.rglob("*")
            if p.is_file() and self.project.generated not in p.parents
        }

    def watch(self, stop: threading.Event, interval: float = 0.5) -> None:
        """Poll the sources until ``stop`` is set; regenerate when any file changed."""
        last = self._snapshot()
        while not stop.wait(interval):
            now = self._snapshot()
            if now != last:
                last = now
                self.regenerate()


def serve(preview: Preview, dev_addr: str, engine: Engine = "mkdocs") -> None:
    """Serve the docs with the engine's live reload while a thread regenerates them on save (blocks)."""
    stop = threading.Event()
    thread = threading.Thread(target=preview.watch, args=(stop,), daemon=True)
    thread.start()
    try:
        if engine == "zensical":
            _serve_zensical(preview.project, dev_addr)
        else:
            from mkdocs.commands.serve import serve as mkdocs_serve

            mkdocs_serve(str(preview.project.mkdocs_yml), dev_addr=dev_addr, livereload=True, hooks=[str(HOOK)])
    finally:
        stop.set()


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
