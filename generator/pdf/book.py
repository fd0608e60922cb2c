"""What the printable books hold: the whole handbook, and one book per unit, each unit with what its
web page says of it (description, daily schedule, team stages), its chart, its roles' job
descriptions, its processes and its policies; the whole handbook ends with the company-wide
policies, the glossary and the RACI matrix.

A book is one HTML document laid out by WeasyPrint in one go, so its page numbers run on
from the contents to the last page and the contents take each entry's page from the
layout itself (CSS ``target-counter``), never from a count made beforehand.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from markupsafe import Markup

from ..i18n import Locale
from ..link.handbook import Handbook
from ..model import paths
from ..render import orgtree
from ..render.collation import pinyin_key, process_key
from ..render.pages import units_in_order
from ..render.views import Chart, RoleView, holds_roles, role_view
from .chapters import Chapter, Chapters, anchor

#: File name of the book holding the whole handbook.
COMBINED = "handbook.pdf"
#: Folder (inside the PDF folder) of the per-unit books.
UNIT_DIR = "unit"


@dataclass(frozen=True)
class Part:
    """One unit in a book: its name, its org chart, its roles' job descriptions, its processes and policies."""

    id: str
    name: str
    depth: int
    """Depth below the book's top unit, for the contents' indent."""
    chart: Chart | None
    roles: tuple[RoleView, ...]
    chapters: tuple[Chapter, ...] = ()
    about: str = ""
    """The unit page's own description, daily schedule and team stages, as the site shows them."""


@dataclass(frozen=True)
class Book:
    """What one book holds: its units in order, then (the whole handbook only) the appendices."""

    parts: list[Part]
    appendices: list[Chapter]


def book_order(hb: Handbook, top: str | None = None) -> list[tuple[str, list[str]]]:
    """``(unit id, role ids)`` in org-tree order (only ``top`` and the units below it, if given);
    units with no role, process or policy of their own left out, each role once."""
    wanted = None if top is None else {top, *hb.descendants(top)}
    out = []
    seen: set[str] = set()
    for _, uid in units_in_order(hb):
        if wanted is not None and uid not in wanted:
            continue
        rids = [rid for rid in hb.unit_roles.get(uid, []) if rid in hb.roles and rid not in seen]
        seen.update(rids)
        if rids or hb.unit_processes.get(uid) or hb.unit_policies.get(uid):
            out.append((uid, rids))
    return out


def unit_books(hb: Handbook) -> list[str]:
    """Units that get a book of their own: every unit with a role in it or below it."""
    return [uid for _, uid in units_in_order(hb) if holds_roles(hb, uid)]


def unit_pages(hb: Handbook, uid: str) -> list[str]:
    """The unit's process pages (by time of day, as in the nav), then its policy pages (by pinyin)."""
    processes = sorted(hb.unit_processes.get(uid, []), key=lambda pid: process_key(hb.processes[pid]))
    policies = sorted(hb.unit_policies.get(uid, []), key=lambda pid: pinyin_key(hb.policies[pid].title))
    return [paths.page("process", pid) for pid in processes] + [paths.page("policy", pid) for pid in policies]


def appendix_pages(hb: Handbook) -> list[str]:
    """The whole handbook's last chapters: policies of no unit, the glossary, the RACI matrix."""
    loose = sorted((p for p in hb.policies.values() if p.unit not in hb.units), key=lambda p: pinyin_key(p.title))
    return [paths.page("policy", p.id) for p in loose] + ([paths.GLOSSARY] if hb.terms else []) + [paths.RACI]


def make_book(hb: Handbook, locale: Locale, chapters: Chapters, order: list[tuple[str, list[str]]], *,
              whole: bool) -> Book:
    """The book of the units and roles in ``order``, with the appendices when it is the ``whole`` handbook."""
    pages = {uid: unit_pages(hb, uid) for uid, _ in order}
    extra = appendix_pages(hb) if whole else []
    held = {anchor("unit", uid) for uid, _ in order} | {anchor("role", rid) for _, rids in order for rid in rids}
    held |= {chapters.anchors[page] for page in [*extra, *(p for ps in pages.values() for p in ps)]}
    # A link leads inside the book only to what the book holds; the rest print as words.
    inside = held.__contains__
    return Book(
        [
            Part(part.id, part.name, part.depth, part.chart, part.roles,
                 tuple(chapters.chapter(page, inside) for page in pages[part.id]),
                 unit_about(chapters, part.id, inside))
            for part in parts(hb, locale, order)
        ],
        [chapters.chapter(page, inside) for page in extra],
    )


def parts(hb: Handbook, locale: Locale, order: list[tuple[str, list[str]]]) -> list[Part]:
    """The parts of a book in ``order``, with views of its roles."""
    depth = {uid: d for d, uid in units_in_order(hb)}
    top = min((depth[uid] for uid, _ in order), default=0)
    out = []
    for uid, rids in order:
        tree = orgtree.unit_tree(hb, locale, uid)
        chart = None
        if tree.kind != "root" or tree.children:
            title = locale.label("chart_of_unit").format(name=hb.units[uid].name)
            chart = Chart(title, orgtree.fold(tree, locale), tree)
        views = tuple(role_view(hb, locale, rid) for rid in rids)
        out.append(Part(uid, hb.units[uid].name, depth[uid] - top, chart, views))
    return out


#: The unit page's sections a book repeats (the rest, roles, processes and policies, it holds in full):
#: its day, its shifts and rotas, its team stages.
ABOUT_SECTIONS = ("schedule", "shifts", "rotas", "stages")
_H2 = re.compile(r"(?=<h2\b)")
_PDF_LINK = re.compile(r'<p class="pdf-download">.*?</p>\s*', re.S)


def unit_about(chapters: Chapters, uid: str, inside: Callable[[str], bool]) -> Markup:
    """What the unit's web page says before its first section (its description) and its daily
    schedule and team stages: made from the page itself, so the book and the site cannot differ."""
    page = paths.page("unit", uid)
    body = str(chapters.chapter(page, inside).body)
    head, *sections = _H2.split(body)
    wanted = [s for s in sections if re.match(r'<h2[^>]*\bid="[^"]*--(?:' + "|".join(ABOUT_SECTIONS) + ')"', s)]
    return Markup(_PDF_LINK.sub("", head) + "".join(wanted))


#: A table of this many rows or fewer is kept on one page (with the heading before it).
FEW_ROWS = 8
_TABLE = re.compile(r"<table\b([^>]*)>(.*?)</table>", re.S)


def keep_small_tables(html: str) -> str:
    """Mark every table of a few rows ``few-rows`` (print.css keeps it whole on one page)."""

    def mark(m: re.Match[str]) -> str:
        attrs, inner = m.groups()
        if inner.count("<tr") > FEW_ROWS or "<table" in inner:
            return m.group(0)
        if 'class="' in attrs:
            attrs = attrs.replace('class="', 'class="few-rows ', 1)
        else:
            attrs += ' class="few-rows"'
        return f"<table{attrs}>{inner}</table>"

    return _TABLE.sub(mark, html)
