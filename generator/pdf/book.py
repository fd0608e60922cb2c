"""What the printable books hold: the whole handbook, and one book per unit, each unit with what its
web page says of it (description, daily schedule, team stages), its chart, its roles' job
descriptions, its processes and its policies; the whole handbook ends with the company-wide
policies, the glossary and the RACI matrix.

A book is put together from pieces laid out on their own (pdf/assemble.py): its contents, each
unit's opening pages, each role's job description (the pages of the role's own PDF) and each
chapter; a piece is laid out once however many books hold it. The contents' page numbers are
counted from the pieces' pages, and every page of the book is stamped with its number.
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
class Line:
    """One line of a book's contents: where it leads and what it says."""

    anchor: str
    title: str


@dataclass(frozen=True)
class UnitLines:
    """A unit's lines in a book's contents: the unit, then its roles and chapters."""

    id: str
    name: str
    depth: int
    entries: tuple[Line, ...]


@dataclass(frozen=True)
class Slot:
    """One laid-out piece in a book's order: a unit's opening, a role's job description or a chapter."""

    kind: str
    """``unit``, ``role`` or ``chapter``."""
    ident: str
    """The unit or role id, or the chapter's site page."""
    anchor: str
    level: int
    """1: a unit or an appendix; 2: a role or chapter under its unit (the outline's levels)."""


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


def sequence(hb: Handbook, chapters: Chapters, order: list[tuple[str, list[str]]], *, whole: bool) -> list[Slot]:
    """The pieces of the book of ``order`` in print order, the appendices last when it is the ``whole`` handbook."""
    out = []
    for uid, rids in order:
        out.append(Slot("unit", uid, anchor("unit", uid), 1))
        out += [Slot("role", rid, anchor("role", rid), 2) for rid in rids]
        out += [Slot("chapter", page, chapters.anchors[page], 2) for page in unit_pages(hb, uid)]
    if whole:
        out += [Slot("chapter", page, chapters.anchors[page], 1) for page in appendix_pages(hb)]
    return out


def contents(hb: Handbook, chapters: Chapters, order: list[tuple[str, list[str]]], title_of: Callable[[str], str],
             *, whole: bool) -> tuple[list[UnitLines], list[Line]]:
    """The contents of the book of ``order``: per unit its lines, then the appendices' lines
    (``title_of`` gives a chapter's title from its page)."""
    depth = {uid: d for d, uid in units_in_order(hb)}
    top = min((depth[uid] for uid, _ in order), default=0)
    units = [
        UnitLines(uid, hb.units[uid].name, depth[uid] - top, tuple(
            [Line(anchor("role", rid), hb.roles[rid].title) for rid in rids]
            + [Line(chapters.anchors[page], title_of(page)) for page in unit_pages(hb, uid)]
        ))
        for uid, rids in order
    ]
    extra = [Line(chapters.anchors[page], title_of(page)) for page in appendix_pages(hb)] if whole else []
    return units, extra


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
