"""History from git: the semantic diff between revisions, releases and each entity's revision record."""

from __future__ import annotations

from pathlib import Path

from ..i18n import Locale
from ..link.handbook import Handbook
from ..load.problems import Problem
from .cache import EntityCache
from .git import WORKTREE, GitError, Release, Repo
from .parts import diff
from .releases import Record, attach, read_record
from .semantic import Change, EntityDiff
from .snapshot import Snapshot, at_rev, on_disk

#: Where entities parsed from old revisions are kept, inside the project's cache folder.
CACHE = Path(".handbook-cache") / "history"


def with_history(hb: Handbook, project_root: Path, roles: Path, locale: Locale) -> tuple[list[Problem], bool]:
    """Give ``hb`` the revision records git holds (see :mod:`.releases`): its warnings, and
    whether the clone is shallow (then the typed versions and dates stand alone)."""
    record = read_record(roles, locale, project_root / CACHE)
    problems = attach(hb, record)
    hb.apply_company_defaults()  # what neither the YAML nor a release dates takes the company's default
    return problems, record.shallow


def snapshot_of(repo: Repo, roles: Path, rev: str) -> Snapshot:
    """``roles/`` at ``rev``, or on disk for :data:`WORKTREE`."""
    return on_disk(roles) if rev == WORKTREE else at_rev(repo, rev, repo.prefix(roles))


def default_base(repo: Repo) -> str:
    """What ``handbook diff`` compares with when given no revision: the last release, else HEAD."""
    releases = repo.releases()
    return releases[-1].name if releases else "HEAD"


def diff_revs(
    roles: Path, old: str | None = None, new: str | None = None, *, locale: Locale, cache: Path | None = None
) -> tuple[str, str, list[EntityDiff]]:
    """``(old, new, changes)`` between two revisions of ``roles/``; ``new`` defaults to the files on disk.

    ``cache`` is a folder where entities parsed from old revisions are kept (see :mod:`.cache`).

    Raises :class:`GitError` when git, the repository or a revision is missing (on a shallow
    clone, saying that the revision may be in the history the clone lacks).
    """
    repo = Repo(roles)
    if not repo.has_commits():
        raise GitError("git_no_rev", rev=old or "HEAD")
    base = old or default_base(repo)
    head = new or WORKTREE
    roles_rel = roles.name
    kept = EntityCache(cache) if cache is not None else None
    try:
        found = diff(snapshot_of(repo, roles, base), snapshot_of(repo, roles, head), locale, roles_rel, kept)
    except GitError as err:
        if err.code == "git_no_rev" and repo.shallow():  # the release is in the history this clone lacks
            raise GitError("git_no_rev_shallow", **err.args_) from err
        raise
    return base, head, found


__all__ = [
    "CACHE", "WORKTREE", "Change", "EntityDiff", "GitError", "Record", "Release", "Repo",
    "attach", "diff", "diff_revs", "read_record", "snapshot_of", "with_history",
]
