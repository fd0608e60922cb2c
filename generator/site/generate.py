"""Generate: validate ``roles/`` and, when clean, write the Markdown, nav and search dictionary."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from ..editor import editguide
from ..history import with_history
from ..i18n import Locale
from ..link.handbook import Handbook, company_locales
from ..link.pipeline import Result, validate
from ..load.problems import Problem, has_errors
from ..model import paths
from ..project import DOCS, Project
from ..render import compare
from ..render.changelog import FEED, atom_feed
from ..render.pages import Renderer, abbreviation_titles
from . import incremental, searchassets
from .incremental import Cache, Fragments, Recorder, recording_view
from .navigation import build_nav, compact, nav_yaml, not_in_nav
from .output import WriteReport, hand_written, merge_docs, with_title, write_tree
from .redirects import redirect_pages
from .theme import add_page_meta, company_logo, theme_config


@dataclass
class GenerateOutcome:
    """Validation result, plus what was written when validation passed."""

    result: Result
    problems: list[Problem] = field(default_factory=list)
    report: WriteReport | None = None
    notes: list[str] = field(default_factory=list)
    """Things to tell the user that are not problems in the data (a shallow clone's missing history)."""
    held_back: list[str] = field(default_factory=list)
    """Files left out because they are still being filled in (``hold_back_unfinished``)."""

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


def _render(
    hb: Handbook, locale: Locale, cache: Cache | None, defer: Callable[[str], bool] | None = None,
    *, home: bool = True,
) -> dict[str, str]:
    if cache is None:
        return Renderer(hb, locale, home=home).pages()
    recorder = Recorder()
    fragments = Fragments(cache, recorder)
    renderer = Renderer(hb, locale, view=recording_view(hb, recorder), fragment=fragments, home=home)
    # Every page marks the glossary's abbreviations: when they change, every page is rendered again.
    everything = (
        cache.handbook is None
        or abbreviation_titles(cache.handbook) != abbreviation_titles(hb)
        or company_locales(cache.handbook) != company_locales(hb)  # a company's pages change language
    )
    return incremental.render(
        cache, hb, renderer.page_list(), recorder, fragments=fragments, everything=everything, defer=defer
    )


def generate(
    project: Project,
    locale: Locale,
    *,
    strict: bool = False,
    cache: Cache | None = None,
    defer: Callable[[str], bool] | None = None,
    hold_back_unfinished: bool = False,
) -> GenerateOutcome:
    """Validate ``roles/``; if clean, write Markdown, nav and search dictionary into the generated folder.

    ``cache`` (kept by the caller from one run to the next, as ``handbook serve`` does) makes
    a run after a small edit re-read only the changed files and re-render only the pages whose
    inputs changed; the files written are the same as without it. With a cache, ``defer``
    (docs path → True to leave that page for the next run) lets the pages someone is looking
    at be written first: the others keep their old text until a run without it.

    ``hold_back_unfinished`` (the live preview) leaves out a file whose template placeholders
    are not all filled yet, as if it were not there: its entry has no entity anyway, and one
    file being filled in must not keep every other page from updating. Its problems are listed
    on the preview's problems page.
    """
    if cache is not None:
        cache.start(locale.lang)
    result = validate(project.roles, locale=locale, display_base=project.root, cache=cache)
    outcome = GenerateOutcome(result=result, problems=list(result.problems))
    held = {p.file for p in result.problems if p.code.startswith("placeholder_")} if hold_back_unfinished else set()
    outcome.held_back = sorted(held)

    def blocking() -> list[Problem]:
        return [p for p in outcome.problems if p.file not in held]

    if not has_errors(blocking()):
        # Revision records and default versions from git; warnings only, so they obey --strict.
        found, shallow = with_history(result.handbook, project.root, project.roles, locale)
        outcome.problems = sorted([*outcome.problems, *found], key=Problem.sort_key)
        outcome.notes += [locale.label("git_shallow")] if shallow else []
    if has_errors(blocking(), strict=strict):
        return outcome
    manual, link_problems = hand_written(project.handbook)
    if link_problems:
        outcome.problems += link_problems
        return outcome
    # A hand-written home page (handbook/index.md) wins over the one made from the company settings.
    pages = _render(result.handbook, locale, cache, defer, home=paths.HOME not in manual)
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
    add_page_meta(files, result.handbook, locale, DOCS)
    feed = atom_feed(result.handbook, locale, locale.label("changes"))
    if feed is not None:
        files[f"{DOCS}/{FEED}"] = feed.encode("utf-8")
    for rel, data in compare.version_files(result.handbook, locale).items():
        files[f"{DOCS}/{rel}"] = data.encode("utf-8")
    for rel, script in searchassets.files().items():
        files[f"{DOCS}/{rel}"] = script
    for rel, html in redirect_pages(result.handbook, locale).items():
        files.setdefault(f"{DOCS}/{rel}", html.encode("utf-8"))
    short = compact(len(pages))
    nav = build_nav(result.handbook, locale, _manual_titles(manual), short=short)
    theme = theme_config(result.handbook, locale)
    docs_pages = [key.removeprefix(f"{DOCS}/") for key in files if key.endswith(".md")]
    theme["not_in_nav"] = not_in_nav(nav, docs_pages, short)
    logo = company_logo(result.handbook)
    if logo is not None:
        # The company logo beside the site title: copied into the docs, served from the site itself.
        rel = f"assets/company-logo{logo.suffix.lower()}"
        files[f"{DOCS}/{rel}"] = logo.read_bytes()
        theme["theme"]["logo"] = rel
    if cache is not None and cache.nav is not None and cache.nav[0] == (nav, theme):
        text = cache.nav[1]
    else:
        text = nav_yaml(nav, theme)
        if cache is not None:
            cache.nav = ((nav, theme), text)
    if held:
        unfinished = [p for p in outcome.problems if p.file in held]
        files[f"{DOCS}/{editguide.PREVIEW_PAGE}"] = editguide.preview_page(unfinished, locale).encode("utf-8")
    files["nav.yml"] = text.encode("utf-8")
    if project.generated.is_symlink():
        # write_tree deletes stale files; through a link it would delete someone else's.
        rel = project.generated.relative_to(project.root).as_posix()
        outcome.problems.append(Problem(rel, 1, 1, "", "generated_is_link"))
        return outcome
    outcome.report = write_tree(project.generated, files, cache.on_disk if cache is not None else None)
    return outcome
