"""Load → parse → link → check: the whole validation pass over a ``roles/`` folder."""

from __future__ import annotations

import contextlib
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from ..i18n import Locale, load_locale
from ..load.cache import ParseCache, ParsedFile, stamp_of
from ..load.parse import parse_source
from ..load.problems import Problem, Severity
from ..load.source import Source, parse_bytes, read_bytes
from ..model.entities import Entity
from . import ladder
from .check import check
from .handbook import Handbook, kind_of, link
from .renames import group_vanished, title_instead_of_id

#: Most files a handbook may hold; far above any real company, low enough to stop a runaway.
MAX_FILES = 20_000


@dataclass
class Result:
    """What validation found: the linked handbook (possibly partial) and every problem, sorted."""

    handbook: Handbook
    problems: list[Problem] = field(default_factory=list)
    files: int = 0


def discover(root: Path) -> list[Path]:
    """YAML files below ``root``, sorted; hidden folders and files are skipped."""
    return _entries(_visible_files(root))


def _entries(files: list[Path]) -> list[Path]:
    # By parts, as Path's own order (PurePosixPath compares its parts), without its slow __lt__.
    return sorted((path for path in files if path.suffix in (".yaml", ".yml")), key=lambda path: path.parts)


def _visible_files(root: Path) -> list[Path]:
    return _walk(root)[0]


def _walk(root: Path) -> tuple[list[Path], set[Path]]:
    """Files and links below ``root``, outside hidden folders; links to folders are not followed.

    One ``os.scandir`` per folder: the type of each entry comes with the listing, where
    ``rglob`` plus ``is_file`` cost a ``stat`` and two path parses per file (0.1 s a save at
    1,000 roles, and the preview walks the tree on every save).
    """
    found: list[Path] = []
    links: set[Path] = set()  # which are links, known from the listing (no lstat per file later)
    folders = [root]
    while folders:
        folder = folders.pop()
        try:
            with os.scandir(folder) as listing:
                entries = list(listing)
        except OSError:  # unreadable or gone meanwhile: as rglob, nothing from it
            continue
        for entry in entries:
            if entry.name.startswith("."):
                continue
            path = _path(folder, entry)
            if entry.is_symlink():
                found.append(path)
                links.add(path)
            elif entry.is_file():
                found.append(path)
            elif entry.is_dir():
                folders.append(path)
    return found, links


#: Each file's Path from the last walks, by its text: the same object again next time, with what it
#: worked out about itself (its text, parts, hash) already there. At 1,000 roles every check walks
#: 2,000 files; making and hashing their paths anew was a tenth of an edit's check.
_PATHS: dict[str, Path] = {}


def _path(folder: Path, entry: os.DirEntry[str]) -> Path:
    text = entry.path
    path = _PATHS.get(text)
    if path is None:
        if len(_PATHS) > 200_000:
            _PATHS.clear()  # never a store that only grows
        path = _PATHS[text] = folder / entry.name
    return path


#: Copies an editor or ``handbook fmt`` keeps on purpose; never mistaken for a skipped entry.
_BACKUPS = (".bak", ".orig", "~")


def _skipped(files: list[Path]) -> list[Path]:
    """Of ``files``, those that look like entries but are not read: ``x.yml.txt``, ``x.YAML``, a
    text file starting ``kind:``."""
    out = []
    for path in files:
        name = path.name.lower()
        if path.suffix in (".yaml", ".yml") or name.endswith(_BACKUPS) or not path.is_file():
            continue
        if ".yaml" in name or ".yml" in name:
            out.append(path)
            continue
        with contextlib.suppress(OSError), path.open("rb") as handle:
            if handle.read(64).lstrip(b"\xef\xbb\xbf").startswith(b"kind:"):
                out.append(path)
    return sorted(out)


def slug_of(name: str) -> str:
    """The id a file name most likely means: ``Call Center_Lead`` → ``call-center-lead``."""
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")


def _display(path: Path, base: Path) -> str:
    # A file below ``base``, the usual case, by its text: relative_to parses both paths again (a
    # tenth of an edit's check at 1,000 roles, once per file).
    text, prefix = str(path), str(base)
    if prefix != "/" and text.startswith(prefix + "/") and "/." not in text and "//" not in text:
        return text[len(prefix) + 1 :]
    try:
        return path.relative_to(base).as_posix()
    except ValueError:
        return path.as_posix()


def _load(
    path: Path, rel: str, locale: Locale, cache: ParseCache | None, draft: bytes | None = None
) -> tuple[Entity | None, Source | None, list[Problem]]:
    """One file read and parsed, or taken from ``cache`` when it is unchanged (same stamp, or same bytes).

    ``draft``: bytes to read in the file's place (a form not yet saved); never kept in the cache.
    """
    if draft is not None:
        return _parse(path, rel, locale, draft)
    stamp = stamp_of(path)  # before reading: a save in between then shows as a new stamp next time
    if cache is not None and stamp is not None:
        kept = cache.unchanged(path, rel, stamp)
        if kept is not None:
            return kept.entity, kept.source, kept.problems
    raw = read_bytes(path, rel)
    if isinstance(raw, Problem):
        return None, None, [raw]
    hit = cache.parsed(path, rel, raw) if cache is not None else None
    if hit is not None:
        hit.stamp = stamp  # touched, not changed
        return hit.entity, hit.source, hit.problems
    entity, source, problems = _parse(path, rel, locale, raw)
    if cache is not None and source is not None:
        cache.keep(path, ParsedFile(raw, source, entity, problems, stamp))
    return entity, source, problems


def _parse(path: Path, rel: str, locale: Locale, raw: bytes) -> tuple[Entity | None, Source, list[Problem]]:
    source, problems = parse_bytes(path, rel, raw)
    entity = None
    if not problems:
        entity, problems = parse_source(source, locale)
        if entity is not None:  # a file's errors first; its silent traps once it reads
            problems = [*source.warnings, *problems]
    return entity, source, problems


#: Codes of "no such id" problems, the ones a file that cannot be read sets off elsewhere.
_MISSING = ("ref_missing", "ref_missing_suggest")


def _knock_on_hidden(problems: list[Problem], unread: dict[str, str]) -> list[Problem]:
    """Without the references to files that could not be read, counted on those files instead.

    One typo that breaks ``call-center-lead.yaml`` would otherwise add 80 “no such role”
    lines in other files, burying the one line that matters. They come back, if still
    true, once the file reads again.
    """
    kept: list[Problem] = []
    hidden: dict[str, int] = {}
    for problem in problems:
        ident = problem.args.get("id", "")
        if problem.code in _MISSING and ident in unread:
            hidden[ident] = hidden.get(ident, 0) + 1
        else:
            kept.append(problem)
    for ident, count in hidden.items():
        args = {"id": ident, "count": str(count)}
        kept.append(Problem(unread[ident], 1, 1, "", "unread_referenced", args, Severity.WARNING))
    return kept


def validate(
    root: Path, *, locale: Locale | None = None, display_base: Path | None = None, cache: ParseCache | None = None,
    drafts: Mapping[Path, bytes | None] | None = None, derive: bool = True,
) -> Result:
    """Read every file under ``root`` and report all problems in one pass.

    With a ``cache`` (kept by the caller between runs, see :mod:`incremental`), files whose
    bytes did not change are not parsed again. ``drafts`` (``handbook edit``'s forms) are read
    in place of the files at those paths, None as if the file were gone, a new path as a new file:
    the whole handbook checked as it would be if they were saved, with nothing written.
    ``derive=False``: the handbook's reverse references and career paths, which no check reads,
    are worked out only if asked for (``handbook edit``'s checks want the problems alone).
    """
    drafts = {p.resolve(): v for p, v in (drafts or {}).items()}
    locale = locale or load_locale()
    root = root.resolve()
    base = (display_base or Path.cwd()).resolve()
    if cache is not None:
        cache.use(locale.lang)
    problems: list[Problem] = []
    parsed: list[tuple[Entity, Source]] = []
    # The id a file that could not be read would most likely have (its name) → that file.
    unread: dict[str, str] = {}
    files, links = _walk(root)
    if drafts:
        gone = {p for p, v in drafts.items() if v is None}
        present = [p for p in files if p not in gone] if gone else files
        known = set(present)
        added = [p for p, v in drafts.items() if v is not None and p.is_relative_to(root) and p not in known]
        files = [*present, *added]
    paths = _entries(files)
    if not paths:
        problems.append(Problem(_display(root, base), 1, 1, "", "no_files"))
    for path in paths[:MAX_FILES]:
        rel = _display(path, base)
        # From the listing; a draft may name a new path, asked of the disk as before.
        linked = bool(links and path in links) or bool(drafts and path in drafts and path.is_symlink())
        if linked and not path.resolve().is_relative_to(root):
            # A link out of roles/ could make us read (and publish) any file on the machine.
            problems.append(Problem(rel, 1, 1, "", "outside_link"))
            continue
        entity, source, file_problems = _load(path, rel, locale, cache, drafts.get(path) if drafts else None)
        problems += file_problems
        if entity is not None and source is not None:
            parsed.append((entity, source))
        elif file_problems:
            unread.setdefault(path.stem, rel)
            # "Call-Center-Lead.yaml" is the file the references to call-center-lead meant.
            unread.setdefault(slug_of(path.stem), rel)
    if cache is not None:
        cache.forget_other_files(set(paths[:MAX_FILES]))
    for path in _skipped(files):
        name = path.name
        stem = name[: name.lower().find(".y")] if ".y" in name.lower() else path.stem
        args = {"name": name, "suggestion": f"{stem}.yaml"}
        problems.append(Problem(_display(path, base), 1, 1, "", "skipped_file", args, Severity.WARNING))
    if len(paths) > MAX_FILES:
        problems.append(Problem(_display(root, base), 1, 1, "", "too_many_files", {"limit": str(MAX_FILES)}))
    handbook = link(parsed, derive=derive)
    ladder.gather(handbook)  # the job ladder's tables: families × grades, competencies
    problems = title_instead_of_id(problems, handbook)
    def holders() -> dict[str, tuple[str, str]]:
        return {source.rel: (kind_of(entity), entity.id) for entity, source in parsed}

    problems += group_vanished(_knock_on_hidden(check(handbook, parsed), unread), handbook, holders)
    problems.sort(key=Problem.sort_key)
    return Result(handbook=handbook, problems=problems, files=len(paths))
