"""The build, once, in a fixed order: validate, generate, site into staging, PDFs into staging, swap in.

The CLI, the tests and the benchmark all call :func:`build`, so what they measure and check
is what ``handbook build`` does. Nothing is replaced until every step has succeeded: a
failure at any step leaves the previous ``site/`` exactly as it was.
"""

from __future__ import annotations

import os
import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import PdfError, SiteBuildError
from ..history import with_history
from ..i18n import Locale
from ..link.pipeline import Result, validate
from ..load.problems import Problem, has_errors
from ..pdf.render import CACHE_DIR, PdfReport
from ..pdf.run import write_pdfs
from ..project import Project
from .engine import DEFAULT_ENGINE, Engine, build_site, require_config
from .generate import GenerateOutcome, generate
from .incremental import Cache
from .pagelang import mark_languages
from .searchindex import write_index


@dataclass
class PdfOutcome:
    """What a PDF run did, or why it made nothing."""

    problems: list[Problem] = field(default_factory=list)
    """Validation problems; with errors among them no PDF was written."""
    unknown: list[str] = field(default_factory=list)
    """Role ids asked for that the handbook does not have."""
    error: str = ""
    """Why WeasyPrint or the font set-up failed."""
    report: PdfReport | None = None

    @property
    def ok(self) -> bool:
        """True when the PDFs were written."""
        return self.report is not None


@dataclass
class BuildOutcome:
    """The result of each step :func:`build` reached; ``site`` is set only when the new site is in place."""

    generated: GenerateOutcome
    site_errors: list[str] = field(default_factory=list)
    """MkDocs' messages when it refused the generated docs."""
    pdfs: PdfOutcome | None = None
    site: Path | None = None
    seconds: dict[str, float] = field(default_factory=dict)
    """CPU seconds each step took (``generate``, ``site``, ``pdf``), for the benchmark."""
    warnings: list[str] = field(default_factory=list)
    """What the site lacks although it was built (the CLI prints each)."""

    @property
    def ok(self) -> bool:
        """True when the new site replaced the old one."""
        return self.site is not None


def make_pdfs(
    project: Project,
    locale: Locale,
    out_dir: Path,
    role_ids: list[str] | None = None,
    validated: Result | None = None,
) -> PdfOutcome:
    """Job-description PDFs for ``role_ids`` (default: every role plus the combined book) into ``out_dir``."""
    result = validated or validate(project.roles, locale=locale, display_base=project.root)
    if validated is None and not has_errors(result.problems):
        with_history(result.handbook, project.root, project.roles, locale)  # 修订记录 in the PDFs
    outcome = PdfOutcome(problems=list(result.problems))
    if has_errors(result.problems, strict=False):
        return outcome
    outcome.unknown = [rid for rid in role_ids or [] if rid not in result.handbook.roles]
    if outcome.unknown:
        return outcome
    try:
        outcome.report = write_pdfs(
            result.handbook, locale, out_dir, project.root / CACHE_DIR, role_ids or None, combined=not role_ids
        )
    except PdfError as err:
        outcome.error = err.message(locale)
    return outcome


def build(
    project: Project,
    locale: Locale,
    *,
    strict: bool = False,
    site_dir: Path | None = None,
    pdfs: bool = True,
    cache: Cache | None = None,
    engine: Engine = DEFAULT_ENGINE,
) -> BuildOutcome:
    """Validate, generate, build the site with ``engine``, its search index and the PDFs, then swap it in."""
    require_config(project)  # before anything is written
    clock = time.process_time()
    outcome = BuildOutcome(generated=generate(project, locale, strict=strict, cache=cache))
    outcome.seconds["generate"] = time.process_time() - clock
    if not outcome.generated.ok:
        return outcome
    target = site_dir or project.site
    try:
        staging = build_site(project, site_dir=target, engine=engine)
    except SiteBuildError as err:
        outcome.site_errors = err.messages
        return outcome
    finally:
        outcome.seconds["site"] = time.process_time() - clock - outcome.seconds["generate"]
    try:
        result = outcome.generated.result
        if result is not None:
            write_index(staging, project.docs, result.handbook, locale)
            mark_languages(staging, result.handbook, locale.lang)
        if pdfs:
            # PDFs go into the staging folder too: if they fail, the old site stays whole.
            outcome.pdfs = make_pdfs(project, locale, staging / "pdf", validated=outcome.generated.result)
            outcome.seconds["pdf"] = time.process_time() - clock - outcome.seconds["generate"] - outcome.seconds["site"]
            if not outcome.pdfs.ok:
                shutil.rmtree(staging, ignore_errors=True)
                return outcome
        swap_in(staging, target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    outcome.site = target
    return outcome


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
