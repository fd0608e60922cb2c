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

from .i18n import Locale
from .navigation import build_nav, jieba_dict, nav_yaml
from .output import DOCS, WriteReport, hand_written, merge_docs, write_tree
from .redirects import redirect_pages
from .pages import Renderer
from .pipeline import Result, validate
from .problems import Problem, has_errors
from .project import Project


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


def generate(project: Project, locale: Locale, *, strict: bool = False) -> GenerateOutcome:
    """Validate ``roles/``; if clean, write Markdown, nav and search dictionary into the generated folder."""
    result = validate(project.roles, locale=locale, display_base=project.root)
    outcome = GenerateOutcome(result=result, problems=list(result.problems))
    if has_errors(result.problems, strict=strict):
        return outcome
    pages = Renderer(result.handbook, locale).pages()
    manual = hand_written(project.handbook)
    files, clashes = merge_docs(pages, manual, project.handbook.name)
    if clashes:
        outcome.problems += clashes
        return outcome
    for rel, html in redirect_pages(result.handbook, locale).items():
        files.setdefault(f"{DOCS}/{rel}", html.encode("utf-8"))
    nav = build_nav(result.handbook, locale, _manual_titles(manual))
    files["nav.yml"] = nav_yaml(nav).encode("utf-8")
    files["jieba_user_dict.txt"] = jieba_dict(result.handbook).encode("utf-8")
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
    staging.rename(target)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)
