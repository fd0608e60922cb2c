"""The build in a fixed order: validate everything, then generate, then build the site and swap it in."""

from __future__ import annotations

import contextlib
import logging
import os
import shutil
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from ..editor import editguide
from ..i18n import Locale
from ..link.handbook import Handbook
from ..link.pipeline import Result, validate
from ..load.problems import Problem, has_errors
from ..project import DOCS, Project
from ..render.pages import Renderer, abbreviation_titles
from . import incremental
from .incremental import Cache, Fragments, Recorder, recording_view
from .navigation import build_nav, jieba_dict, nav_yaml
from .output import WriteReport, hand_written, merge_docs, with_title, write_tree
from .redirects import redirect_pages
from .theme import theme_config


class SiteBuildError(Exception):
    """MkDocs refused the generated site (a broken link or anchor in strict mode, a bad config)."""

    def __init__(self, messages: list[str]) -> None:
        super().__init__("\n".join(messages))
        self.messages = messages


@dataclass
class GenerateOutcome:
    """Validation result, plus what was written when validation passed."""

    result: Result
    problems: list[Problem] = field(default_factory=list)
    report: WriteReport | None = None

    @property
    def ok(self) -> bool:
        """True when the generated folder was written."""
        return self.report is not None


def _manual_titles(manual: dict[str, bytes]) -> list[tuple[str, str]]:
    out = []
    for rel, data in sorted(manual.items()):
        if not rel.endswith(".md") or rel == "index.md":
            continue
        text = data.decode("utf-8", errors="replace")
        title = next((line[2:].strip() for line in text.splitlines() if line.startswith("# ")), rel)
        out.append((rel, title))
    return out


def _render(hb: Handbook, locale: Locale, cache: Cache | None) -> dict[str, str]:
    if cache is None:
        return Renderer(hb, locale).pages()
    recorder = Recorder()
    fragments = Fragments(cache, recorder)
    renderer = Renderer(hb, locale, view=recording_view(hb, recorder), fragment=fragments)
    # Every page marks the glossary's abbreviations: when they change, every page is rendered again.
    everything = cache.handbook is None or abbreviation_titles(cache.handbook) != abbreviation_titles(hb)
    return incremental.render(
        cache, hb, renderer.page_list(), recorder, fragments=fragments, everything=everything
    )


def generate(
    project: Project, locale: Locale, *, strict: bool = False, cache: Cache | None = None
) -> GenerateOutcome:
    """Validate ``roles/``; if clean, write Markdown, nav and search dictionary into the generated folder.

    ``cache`` (kept by the caller from one run to the next, as ``handbook serve`` does) makes
    a run after a small edit re-read only the changed files and re-render only the pages whose
    inputs changed; the files written are the same as without it.
    """
    if cache is not None:
        cache.start(locale.lang)
    result = validate(project.roles, locale=locale, display_base=project.root, cache=cache)
    outcome = GenerateOutcome(result=result, problems=list(result.problems))
    if has_errors(result.problems, strict=strict):
        return outcome
    pages = _render(result.handbook, locale, cache)
    manual, link_problems = hand_written(project.handbook)
    if link_problems:
        outcome.problems += link_problems
        return outcome
    guide = editguide.pages(locale)
    for rel, text in guide.items():
        # Listed in the nav like a hand-written guide; a real hand-written page of that name wins.
        manual.setdefault(rel, with_title(text).encode("utf-8"))
    files, clashes = merge_docs(
        pages, manual, project.handbook.name, abbreviation_titles(result.handbook),
        titled=cache.titled if cache is not None else None,
    )
    if clashes:
        outcome.problems += clashes
        return outcome
    editguide.add_edit_sources(files, [*pages, *guide], result.handbook, project.root, DOCS)
    for rel, html in redirect_pages(result.handbook, locale).items():
        files.setdefault(f"{DOCS}/{rel}", html.encode("utf-8"))
    nav = build_nav(result.handbook, locale, _manual_titles(manual))
    files["nav.yml"] = nav_yaml(nav, theme_config(result.handbook, locale)).encode("utf-8")
    files["jieba_user_dict.txt"] = jieba_dict(result.handbook).encode("utf-8")
    if project.generated.is_symlink():
        # write_tree deletes stale files; through a link it would delete someone else's.
        rel = project.generated.relative_to(project.root).as_posix()
        outcome.problems.append(Problem(rel, 1, 1, "", "generated_is_link"))
        return outcome
    outcome.report = write_tree(project.generated, files)
    return outcome


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


@contextlib.contextmanager
def _in_dir(path: Path) -> Iterator[None]:
    # mkdocs.yml names the jieba dictionary relative to the project root, as `mkdocs build` sees it.
    old = Path.cwd()
    os.chdir(path)
    try:
        yield
    finally:
        os.chdir(old)


def build_site(project: Project, *, site_dir: Path | None = None) -> Path:
    """Run MkDocs (strict) into a staging folder next to ``site/`` and return it; nothing is replaced yet."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException

    target = site_dir or project.site
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(dir=target.parent, prefix=".site-staging-"))
    collector = _Collect()
    logger = logging.getLogger("mkdocs")
    logger.addHandler(collector)
    try:
        with _in_dir(project.root):
            config = load_config(str(project.mkdocs_yml), site_dir=str(staging), strict=True)
            build(config)
    except (MkDocsException, SystemExit, OSError) as exc:
        shutil.rmtree(staging, ignore_errors=True)
        raise SiteBuildError(collector.messages or [str(exc)]) from exc
    except BaseException:
        # A crash (a bug, Ctrl-C) must not leave a half-built staging folder behind either.
        shutil.rmtree(staging, ignore_errors=True)
        raise
    finally:
        logger.removeHandler(collector)
    return staging


def swap_in(staging: Path, target: Path) -> None:
    """Replace ``target`` with ``staging`` so readers never see a half-built site."""
    old = None
    if target.exists():
        old = target.with_name(f".site-old-{os.getpid()}")
        shutil.rmtree(old, ignore_errors=True)
        target.rename(old)
    try:
        staging.rename(target)
    except BaseException:
        if old is not None:
            old.rename(target)  # put the previous site back: a failed swap loses nothing
        raise
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


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
