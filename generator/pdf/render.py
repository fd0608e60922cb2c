"""Job-description PDFs (岗位说明书): print HTML per role, WeasyPrint, a content-keyed cache, the combined book.

Speed comes from two things. The font: :mod:`generator.fonts` cuts Noto Sans CJK SC down
to the build's characters once, so WeasyPrint's per-PDF subsetting works on a small face.
The cache: a PDF is keyed by a hash of its HTML, the font and WeasyPrint's version, so a
rebuild lays out only the roles whose content changed.
"""

from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass, field, replace
from typing import Any

from markupsafe import Markup

from ..i18n import Locale, load_locale
from ..link.handbook import Handbook, company_locale
from ..render import sections
from ..render.env import Labels, make_env
from ..render.home import site_company
from ..render.orgtree import Node
from ..render.views import pdf_name, role_view
from ..render.writer import Writer
from . import book, fonts
from .assemble import BASE
from .book import COMBINED
from .chapters import Chapter, Chapters
from .chart import chart_image
from .engine import LOGO_TYPES, TEMPLATES
from .stamp import FOLIO, stamp_css

#: Folder (under the project) for the subset fonts and rendered PDFs; git-ignored.
CACHE_DIR = ".handbook-cache"


@dataclass
class PdfReport:
    """What one PDF run did."""

    rendered: list[str] = field(default_factory=list)
    """File names made in this run: a role's laid out (or stamped anew), a book put together."""
    laid_out: list[str] = field(default_factory=list)
    """What WeasyPrint laid out in this run: role PDFs by file name, a book's pieces as ``unit:<id>``,
    ``chapter:<page>``, ``contents:<book>``, and page-number stamps as ``stamps:…``."""
    reused: list[str] = field(default_factory=list)
    """File names copied from the cache because their content had not changed."""
    missing_glyphs: frozenset[str] = frozenset()
    """Characters with no glyph in Noto Sans CJK SC (printed with a fallback font)."""


def css_string(text: str) -> str:
    """A CSS string literal; also safe inside ``<style>`` (no ``<`` survives)."""
    out = []
    for ch in text:
        if ch in '"\\<>' or ord(ch) < 0x20:
            out.append(f"\\{ord(ch):x} ")
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


class PdfRenderer:
    """Print HTML for roles and the contents page; one per build."""

    def __init__(self, hb: Handbook, locale: Locale, company: str | None = None) -> None:
        self.hb = hb
        self.locale = locale
        self.company = site_company(hb, locale)[0] if company is None else company
        self.env = make_env("html", TEMPLATES)
        self.writer = Writer(hb, locale, output="html", font_family=fonts.CSS_FAMILY)
        self.labels = Labels(locale)
        self._chapters: Chapters | None = None
        self._made: dict[str, Chapter] = {}
        self._logos: dict[str, str] = {}
        #: The text of every chart drawn so far: it reaches the PDF inside an image, not the HTML (chart_text).
        self._charts: list[str] = []
        #: This renderer in the other languages a group's companies use, by language.
        self._others: dict[str, PdfRenderer] = {}
        #: The print stylesheet, parsed once per build and handed to WeasyPrint beside the HTML.
        self.css = self.env.get_template("print.css.j2").render(
            family=fonts.CSS_FAMILY,
            doc_title=css_string(locale.label("pdf_doc_title")),
            book_title=css_string(locale.label("pdf_handbook_title")),
            page_of=FOLIO,
        )
        #: The page-number stamps' stylesheet (stamp.py): the same page, only its number drawn.
        self.stamp_css = stamp_css(self.css)

    def local(self, unit_id: str) -> PdfRenderer:
        """This renderer in the language of ``unit_id``'s company: a company of a group that sets its
        own locale has its job descriptions and book in it (the rest is in the site's)."""
        lang = company_locale(self.hb, unit_id) if unit_id in self.hb.units else None
        if lang is None or lang == self.locale.lang:
            return self
        if lang not in self._others:
            self._others[lang] = PdfRenderer(self.hb, load_locale(lang), self.company)
        return self._others[lang]

    def company_of(self, unit_id: str) -> str:
        """The full name of ``unit_id``'s company (the PDF's author): its own in a group, never every company's."""
        settings = self.hb.company_of(unit_id)
        if settings is not None:
            return settings.name
        chain = [unit_id, *self.hb.ancestors(unit_id)]
        return self.hb.units[chain[-1]].name if chain[-1] in self.hb.units else self.company

    def logo_of(self, unit_id: str) -> str:
        """The logo of ``unit_id``'s company as a ``data:`` URI ('' without one): nothing is fetched."""
        if unit_id not in self._logos:
            path = self.hb.logo_file(unit_id)
            uri = ""
            if path is not None and path.is_file():
                kind = LOGO_TYPES[path.suffix.lower()]
                uri = f"data:{kind};base64,{base64.b64encode(path.read_bytes()).decode('ascii')}"
            self._logos[unit_id] = uri
        return self._logos[unit_id]

    def print_chart(self, folded: Node, title: str) -> Markup:
        """A chart as the print pages show it (chart.py)."""
        image = chart_image(self.writer, folded, title)
        self._charts.append(image.text)
        return image.markup

    def chart_text(self) -> str:
        """The characters of every chart drawn so far, in every language: the font must hold them too. Inside
        the HTML a chart is base64, so without this its labels (a fold's "其余", a city's name) fell back
        to the system's full Noto Sans CJK JP: Japanese glyph forms, and a 19 MB font subset again per PDF."""
        return "".join([*self._charts, *(other.chart_text() for other in self._others.values())])

    def role_html(self, role_id: str, variant: str | None = None) -> str:
        """The job description of one role (or of one of its variants) as a standalone HTML document,
        in its company's language (see :meth:`local`; its stylesheet is that renderer's ``css``)."""
        unit = self.hb.roles[role_id].unit
        here = self.local(unit)
        if here is not self:
            return here.role_html(role_id, variant)
        return book.keep_small_tables(self.env.get_template("role.html.j2").render(
            lang=self.locale.lang,
            L=self.labels,
            w=self.writer,
            print_chart=self.print_chart,
            company=self.company_of(unit),
            logo_of=self.logo_of,
            v=role_view(self.hb, self.locale, role_id, variant),
            revisions=self.hb.revisions.get(("role", role_id), []),
            rows=sections.rows,
            blocks=sections.blocks,
            fact=sections.fact,
        ))

    def chapters(self) -> Chapters:
        """The site's pages as chapters, made once per renderer."""
        if self._chapters is None:
            self._chapters = Chapters(self.hb, self.locale)
        return self._chapters

    def chapter(self, page: str) -> Chapter:
        """The chapter of site page ``page`` for any book: its links lead to anything a book may hold,
        and :mod:`assemble` keeps those whose target the book at hand holds."""
        if page not in self._made:
            self._made[page] = self.chapters().chapter(page, _anywhere)
        return self._made[page]

    def _page(self, template: str, **values: Any) -> str:
        html = self.env.get_template(template).render(lang=self.locale.lang, L=self.labels, w=self.writer,
                                                      print_chart=self.print_chart, logo_of=self.logo_of, **values)
        # Links between the pieces of a book point under assemble.BASE until the book resolves them.
        return book.keep_small_tables(html.replace('href="#', f'href="{BASE}#'))

    def unit_html(self, uid: str) -> str:
        """A unit's opening pages in a book (its name, description, schedule, chart), in its company's language."""
        here = self.local(uid)
        if here is not self:
            return here.unit_html(uid)
        (part,) = book.parts(self.hb, self.locale, [(uid, [])])
        about = book.unit_about(self.chapters(), uid, _anywhere)
        return self._page("unit.html.j2", part=replace(part, about=about))

    def chapter_html(self, page: str) -> str:
        """Site page ``page`` as a chapter of the books."""
        return self._page("chapter.html.j2", c=self.chapter(page))

    def front_html(self, order: list[tuple[str, list[str]]], title: str, *, whole: bool) -> str:
        """The contents of the book of ``order`` (see :func:`book.book_order`); the ``whole`` handbook's
        end with the appendices. Page numbers are left as marks (pool.PAGE_MARK)."""
        parts, appendices = book.contents(self.hb, self.chapters(), order, lambda page: self.chapter(page).title,
                                          whole=whole)
        return self._page("front.html.j2", company=self.company, title=title, parts=parts,
                          appendices=appendices, base=BASE)

    def books(self) -> dict[str, tuple[PdfRenderer, str, list[tuple[str, list[str]]], bool]]:
        """Every book by its file name (the whole handbook, then ``unit/<id>.pdf`` per unit): the renderer
        of its language, its title, its units and roles, and whether it ends with the appendices."""
        hb, suffix = self.hb, self.locale.label("pdf_handbook_title")
        out = {}
        whole = book.book_order(hb)
        roots = set(hb.root_units())
        if whole:
            out[COMBINED] = (self, f"{self.company} {suffix}".strip(), whole, True)
        for uid in book.unit_books(hb):
            here = self.local(uid)
            title = f"{hb.units[uid].name} {here.locale.label('pdf_handbook_title')}"
            order = book.book_order(hb, uid)
            if order == whole and here is self and uid in roots and COMBINED in out:
                # The top unit's book holds what the whole handbook holds, appendices too: it is that book,
                # under the company's title, so the two files are one task (a run's largest), not two.
                out[f"{book.UNIT_DIR}/{uid}.pdf"] = out[COMBINED]
                continue
            out[f"{book.UNIT_DIR}/{uid}.pdf"] = (here, title, order, order == whole)
        return out


def _anywhere(anchor: str) -> bool:
    """A chapter's links are kept for any book (see :meth:`PdfRenderer.chapter`)."""
    return True


def _digest(*parts: str) -> str:
    h = hashlib.sha256()
    for part in parts:
        h.update(part.encode("utf-8"))
        h.update(b"\0")
    return h.hexdigest()[:24]


def pdf_files(hb: Handbook) -> list[str]:
    """The files a full :func:`write_pdfs` run writes, relative to its ``out_dir``: each role's
    (and each variant's) job description, then the books (read by the link check of a site
    built without them)."""
    names = [pdf_name(rid, v) for rid, role in hb.roles.items() for v in (None, *(v.id for v in role.variants))]
    if book.book_order(hb):
        names.append(COMBINED)
    return names + [f"{book.UNIT_DIR}/{uid}.pdf" for uid in book.unit_books(hb)]
