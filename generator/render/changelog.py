"""The change log: the entities' revision records regrouped release by release, for /changes/ and its Atom feed."""

from __future__ import annotations

import datetime as dt
import functools
import re
from dataclasses import dataclass, field
from pathlib import Path

import jinja2

from ..i18n import Locale
from ..link.handbook import Handbook
from ..model import paths, registry
from ..model.revisions import RevisionLine

#: Where the feed goes, beside the change log page.
FEED = "changes/feed.xml"
TEMPLATES_DIR = Path(__file__).parent / "templates"


@dataclass
class Entry:
    """What one release changed in one entity."""

    kind: str
    id: str
    changes: tuple[RevisionLine, ...]
    """Empty when the release first published the entity."""


@dataclass
class ReleaseChanges:
    """One release and every entity it changed, in kind-then-id order."""

    name: str
    date: dt.date
    entries: list[Entry] = field(default_factory=list)

    def first_published(self) -> list[tuple[str, list[Entry]]]:
        """The entities this release published for the first time, grouped by kind in registry order."""
        groups: dict[str, list[Entry]] = {}
        for entry in self.entries:
            if not entry.changes:
                groups.setdefault(entry.kind, []).append(entry)
        return list(groups.items())

    @property
    def anchor(self) -> str:
        """The release's heading id: its name as a lower-case ASCII slug (tag names may hold anything)."""
        slug = re.sub(r"[^a-z0-9]+", "-", self.name.lower()).strip("-")
        return f"release-{slug or 'x'}"


def by_release(hb: Handbook) -> list[ReleaseChanges]:
    """Every release that changed something, newest first."""
    found: dict[str, ReleaseChanges] = {}
    kinds = list(registry.KINDS)
    for (kind, ident), revisions in sorted(hb.revisions.items(), key=lambda kv: (kinds.index(kv[0][0]), kv[0][1])):
        for rev in revisions:
            group = found.setdefault(rev.release, ReleaseChanges(rev.release, rev.date))
            group.entries.append(Entry(kind, ident, rev.changes))
    return sorted(found.values(), key=lambda r: r.date, reverse=True)


def target(entry: Entry, line: RevisionLine | None = None) -> str:
    """Docs-relative path (with anchor) of what a change is about."""
    page = paths.page(entry.kind, entry.id)
    return f"{page}#{line.anchor}" if line is not None and line.anchor and "#" not in page else page


@functools.cache
def _env() -> jinja2.Environment:
    # XML needs the same escaping HTML does (& < > " '), so autoescape guards the feed too.
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES_DIR), autoescape=True, trim_blocks=True, lstrip_blocks=True,
        undefined=jinja2.StrictUndefined, keep_trailing_newline=True,
    )


def atom_feed(hb: Handbook, locale: Locale, title: str) -> str | None:
    """The Atom feed of the change log (links relative to the feed), or None without releases."""
    releases = by_release(hb)
    if not releases:
        return None

    def url(entry: Entry, line: RevisionLine | None = None) -> str:
        # Relative to the feed at /changes/feed.xml, so the feed works wherever the site is served.
        base = "../" + paths.url(entry.kind, entry.id)
        return f"{base}#{line.anchor}" if line is not None and line.anchor and "#" not in base else base

    def name(entry: Entry) -> str:
        entity = hb.get(entry.kind, entry.id)
        return registry.display_name(entity) if entity is not None else entry.id

    return _env().get_template("changes_feed.xml.j2").render(
        releases=releases, title=title, lang=locale.lang, url=url, name=name, label=locale.label,
    )
