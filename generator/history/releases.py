"""Releases (git tags) and each entity's revision record; missing versions and dates come from them."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..i18n import Locale
from ..link.handbook import Handbook, Key
from ..load.problems import Problem, Severity
from ..model import registry
from ..model.entities import Entity, Policy
from ..model.revisions import Revision, RevisionLine
from .cache import EntityCache
from .git import GitError, Release, Repo
from .parts import diff
from .semantic import EntityDiff, Item
from .snapshot import Snapshot, at_rev, parse
from .wording import line, lines


@dataclass
class Record:
    """What git says about the handbook's published versions."""

    releases: list[Release] = field(default_factory=list)
    revisions: dict[Key, list[Revision]] = field(default_factory=dict)
    """``(kind, id)`` → the releases that changed the entity, oldest first, under its current id."""
    shallow: bool = False
    """True on a clone without full history: nothing is read, the typed values stand."""


def read_record(roles: Path, locale: Locale, cache: Path | None = None) -> Record:
    """Every release's changes, release by release; an empty record where there is no git history."""
    try:
        repo = Repo(roles)
        if repo.shallow():
            return Record(shallow=True)
        if not repo.has_commits():
            return Record()
        releases = repo.releases()
        prefix = repo.prefix(roles)
    except (GitError, ValueError):
        return Record()  # not a repository (an export, a tarball): the typed values are all there is
    kept = EntityCache(cache) if cache is not None else None
    revisions: dict[Key, list[Revision]] = {}
    before = Snapshot("", {}, lambda ids: {})
    for release in releases:
        after = at_rev(repo, release.commit, prefix)
        changed = diff(before, after, locale, roles.name, kept)
        published = _published(after, changed, locale, roles.name, kept)
        for found in changed:
            key = (found.kind, found.id)
            if found.op == "removed":
                revisions.pop(key, None)
                continue
            if found.op == "renamed" and found.old_id is not None:
                revisions[key] = revisions.pop((found.kind, found.old_id), [])
            first = found.op == "added"
            revisions.setdefault(key, []).append(
                Revision(release.name, release.date, () if first else _lines(found, locale), published.get(key))
            )
        before = after
    return Record(releases, revisions)


#: Kinds whose every released version is kept with its revision (the comparison page reads roles').
VERSIONED = frozenset({"role"})


def _published(
    snap: Snapshot, changed: list[EntityDiff], locale: Locale, roles_rel: str, cache: EntityCache | None
) -> dict[Key, Entity]:
    """The entities of :data:`VERSIONED` kinds that ``changed`` at ``snap``, as it holds them (the diff
    has just parsed their files, so with a cache they are read back, not parsed again)."""
    files = [d.file.removeprefix(f"{roles_rel}/") for d in changed if d.kind in VERSIONED and d.op != "removed"]
    wanted = {(d.kind, d.id) for d in changed}
    parsed = parse(snap, files, locale, roles_rel, cache)
    return {key: entity for key, entity in parsed.entities.items() if key in wanted}


def _lines(found: EntityDiff, locale: Locale) -> tuple[RevisionLine, ...]:
    """The worded changes, each with the place on the page it is about."""
    out = [RevisionLine(text) for text in lines(found, locale)[: 1 if found.op == "renamed" else 0]]
    for change in found.changes:
        top = change.path[0] if change.path and isinstance(change.path[0], str) else ""
        anchor = registry.kind(found.kind).sections.get(top, "")
        item = change.path[1] if len(change.path) > 1 else None
        if isinstance(item, Item) and item.of == "Clause" and item.key and change.op != "removed":
            anchor = item.key  # the clause itself: /policies/<id>/#<clause-id>
        out.append(RevisionLine(line(change, locale), anchor))
    return tuple(out)


def _live(hb: Handbook, kind: str, ident: str, revisions: list[Revision]) -> list[Revision]:
    """``revisions`` with anchors to clauses that no longer exist pointed at the clause list."""
    policy = hb.policies.get(ident) if kind == "policy" else None
    if not isinstance(policy, Policy):
        return revisions
    ids = {c.id for c in policy.clauses}
    known = set(registry.kind("policy").sections.values()) | ids | {""}
    def kept(c: RevisionLine) -> RevisionLine:
        return c if c.anchor in known else RevisionLine(c.text, "clauses")

    return [Revision(r.release, r.date, tuple(kept(c) for c in r.changes), r.entity) for r in revisions]


def attach(hb: Handbook, record: Record) -> list[Problem]:
    """Give ``hb`` its revision records and fill missing versions and dates from them.

    A version or date typed in the YAML still wins; one older than the entity's last change
    is a warning, since the page would then claim an older text than it shows.
    """
    problems: list[Problem] = []
    order = {r.name: i for i, r in enumerate(record.releases)}
    hb.derive()
    hb.revisions = {}
    for (kind, ident), revisions in record.revisions.items():
        table = hb.table(kind)
        entity = table.get(ident)
        if entity is None or not revisions:
            continue
        hb.revisions[(kind, ident)] = _live(hb, kind, ident, revisions)
        last = revisions[-1]
        source = hb.sources.get((kind, ident))
        args = {"release": last.release, "date": last.date.isoformat()}
        if entity.effective_date is not None and entity.effective_date < last.date and source is not None:
            pos = source.pos(("effective_date",))
            problems.append(Problem(source.rel, pos.line, pos.col, "effective_date", "history_date_older",
                                    {**args, "value": entity.effective_date.isoformat()}, Severity.WARNING))
        typed = order.get(entity.version or "")
        if typed is not None and typed < order[last.release] and source is not None:
            pos = source.pos(("version",))
            problems.append(Problem(source.rel, pos.line, pos.col, "version", "history_version_older",
                                    {**args, "value": entity.version or ""}, Severity.WARNING))
        update: dict[str, object] = {}
        if entity.version is None:
            update["version"] = last.release
        if entity.effective_date is None:
            update["effective_date"] = last.date
        if update:
            table[ident] = entity.model_copy(update=update)
    return problems
