"""What the printable books hold: the whole handbook, and one book per unit, each unit with its chart and roles.

A book is one HTML document laid out by WeasyPrint in one go, so its page numbers run on
from the contents to the last page and the contents take each entry's page from the
layout itself (CSS ``target-counter``), never from a count made beforehand.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..i18n import Locale
from ..link.handbook import Handbook
from ..render import orgtree
from ..render.pages import units_in_order
from ..render.views import Chart, RoleView, holds_roles, role_view

#: File name of the book holding the whole handbook.
COMBINED = "handbook.pdf"
#: Folder (inside the PDF folder) of the per-unit books.
UNIT_DIR = "unit"


@dataclass(frozen=True)
class Part:
    """One unit in a book: its name, its org chart and its roles' job descriptions."""

    id: str
    name: str
    depth: int
    """Depth below the book's top unit, for the contents' indent."""
    chart: Chart | None
    roles: tuple[RoleView, ...]


def book_order(hb: Handbook, top: str | None = None) -> list[tuple[str, list[str]]]:
    """``(unit id, role ids)`` in org-tree order (only ``top`` and the units below it, if given);
    units without roles left out, each role once."""
    wanted = None if top is None else {top, *hb.descendants(top)}
    out = []
    seen: set[str] = set()
    for _, uid in units_in_order(hb):
        if wanted is not None and uid not in wanted:
            continue
        rids = [rid for rid in hb.unit_roles.get(uid, []) if rid in hb.roles and rid not in seen]
        seen.update(rids)
        if rids:
            out.append((uid, rids))
    return out


def unit_books(hb: Handbook) -> list[str]:
    """Units that get a book of their own: every unit with a role in it or below it."""
    return [uid for _, uid in units_in_order(hb) if holds_roles(hb, uid)]


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
