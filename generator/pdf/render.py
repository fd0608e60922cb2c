"""Job-description PDFs (岗位说明书): print HTML per role, WeasyPrint, a content-keyed cache, the combined book.

Speed comes from two things. The font: :mod:`generator.fonts` cuts Noto Sans CJK SC down
to the build's characters once, so WeasyPrint's per-PDF subsetting works on a small face.
The cache: a PDF is keyed by a hash of its HTML, the font and WeasyPrint's version, so a
rebuild lays out only the roles whose content changed.
"""

from __future__ import annotations

import base64
import hashlib
import shutil
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import PdfError
from ..i18n import Locale, load_locale
from ..link.handbook import Handbook, company_locale
from ..render import sections
from ..render.env import Labels, make_env
from ..render.home import site_company
from ..render.views import pdf_name, role_view
from ..render.writer import Writer
from . import book, fonts, pool
from .book import COMBINED
from .chapters import Chapters

if TYPE_CHECKING:
    from weasyprint import Document
    from weasyprint.text.fonts import FontConfiguration

TEMPLATES = Path(__file__).parent / "templates"
#: Folder (under the project) for the subset fonts and rendered PDFs; git-ignored.
CACHE_DIR = ".handbook-cache"


@dataclass
class PdfReport:
    """What one PDF run did."""

    rendered: list[str] = field(default_factory=list)
    """File names laid out and written by WeasyPrint in this run."""
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


def _page_of(locale: Locale) -> str:
    """``第 {page} 页 / 共 {pages} 页`` as a CSS content value with page counters."""
    template = locale.label("pdf_page_of")
    parts: list[str] = []
    rest = template
    while rest:
        head, sep, tail = rest.partition("{")
        if head:
            parts.append(css_string(head))
        if not sep:
            break
        name, _, rest = tail.partition("}")
        parts.append("counter(pages)" if name == "pages" else "counter(page)")
    return " ".join(parts)


#: The logo files a company may give, by suffix (the model's pattern allows only these).
LOGO_TYPES = {".svg": "image/svg+xml", ".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg"}


#: The only ``data:`` URLs the PDF may load: the logos :meth:`PdfRenderer.logo_of` writes.
_LOGO_URIS = tuple(f"data:{kind};base64," for kind in LOGO_TYPES.values())


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
        self._logos: dict[str, str] = {}
        #: This renderer in the other languages a group's companies use, by language.
        self._others: dict[str, PdfRenderer] = {}
        #: The print stylesheet, parsed once per build and handed to WeasyPrint beside the HTML.
        self.css = self.env.get_template("print.css.j2").render(
            family=fonts.CSS_FAMILY,
            doc_title=css_string(locale.label("pdf_doc_title")),
            book_title=css_string(locale.label("pdf_handbook_title")),
            page_of=_page_of(locale),
        )

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
            company=self.company_of(unit),
            logo_of=self.logo_of,
            v=role_view(self.hb, self.locale, role_id, variant),
            revisions=self.hb.revisions.get(("role", role_id), []),
            rows=sections.rows,
            blocks=sections.blocks,
            fact=sections.fact,
        ))

    def book_html(self, order: list[tuple[str, list[str]]], title: str, *, whole: bool = False) -> str:
        """A book of the units and roles in ``order`` (see :func:`book.book_order`) as one HTML document;
        the ``whole`` handbook's ends with the appendices."""
        if self._chapters is None:
            self._chapters = Chapters(self.hb, self.locale)
        made = book.make_book(self.hb, self.locale, self._chapters, order, whole=whole)
        return book.keep_small_tables(self.env.get_template("book.html.j2").render(
            lang=self.locale.lang,
            L=self.labels,
            w=self.writer,
            company=self.company,
            logo_of=self.logo_of,
            title=title,
            parts=made.parts,
            appendices=made.appendices,
            revisions_of=lambda rid: self.hb.revisions.get(("role", rid), []),
            rows=sections.rows,
            blocks=sections.blocks,
            fact=sections.fact,
        ))

    def books(self) -> dict[str, str]:
        """Every book's HTML by its file name: the whole handbook, then ``unit/<id>.pdf`` per unit."""
        hb, suffix = self.hb, self.locale.label("pdf_handbook_title")
        out = {}
        whole = book.book_order(hb)
        if whole:
            out[COMBINED] = self.book_html(whole, f"{self.company} {suffix}".strip(), whole=True)
        for uid in book.unit_books(hb):
            here = self.local(uid)
            title = f"{hb.units[uid].name} {here.locale.label('pdf_handbook_title')}"
            order = book.book_order(hb, uid)
            # The top unit's book holds what the whole handbook holds: the same document, laid out once.
            out[f"{book.UNIT_DIR}/{uid}.pdf"] = here.book_html(order, title, whole=order == whole)
        return out

    def book_css(self, name: str) -> str:
        """The stylesheet of book ``name`` (``unit/<id>.pdf`` is in its unit's company's language)."""
        uid = name.removeprefix(f"{book.UNIT_DIR}/").removesuffix(".pdf")
        return self.local(uid).css if name.startswith(f"{book.UNIT_DIR}/") else self.css


def _digest(*parts: str) -> str:
    h = hashlib.sha256()
    for part in parts:
        h.update(part.encode("utf-8"))
        h.update(b"\0")
    return h.hexdigest()[:24]


def _local_fetcher(allowed: Sequence[Path]) -> Any:
    """A WeasyPrint URL fetcher for our own templates and font files only.

    YAML text is escaped before it reaches the PDF's HTML, so nothing else should ever be
    asked for; if it is, it is refused, never fetched from the network or read from disk.
    """
    from urllib.parse import unquote, urlsplit

    from weasyprint.urls import URLFetcher

    roots = [path.resolve() for path in allowed]

    class LocalFetcher(URLFetcher):  # type: ignore[misc]  # WeasyPrint ships no type hints
        def fetch(self, url: str, headers: Any = None) -> Any:
            parts = urlsplit(url)
            if parts.scheme == "data" and url.startswith(_LOGO_URIS):  # the company logo, inlined by logo_of
                return super().fetch(url, headers)
            path = Path(unquote(parts.path)).resolve() if parts.scheme == "file" else None
            if path is None or not any(path == root or path.is_relative_to(root) for root in roots):
                raise ValueError(f"the PDF may not load {url[:80]!r}")
            return super().fetch(url, headers)

    return LocalFetcher(allowed_protocols=("file", "data"))


class Engine:
    """WeasyPrint with the subset faces, set up once and shared by every document of a build."""

    def __init__(self, fontset: fonts.FontSet, css: str) -> None:
        from weasyprint import CSS
        from weasyprint.text.fonts import FontConfiguration

        self.font_config: FontConfiguration = FontConfiguration()
        self.fetcher = _local_fetcher([TEMPLATES, *fontset.files.values()])
        self.stylesheets = [
            CSS(string=fontset.css(), font_config=self.font_config, url_fetcher=self.fetcher),
            CSS(string=css, font_config=self.font_config, url_fetcher=self.fetcher),
        ]

    def render(self, source: str) -> Document:
        from weasyprint import HTML

        return HTML(string=source, base_url=str(TEMPLATES), url_fetcher=self.fetcher).render(
            stylesheets=self.stylesheets, font_config=self.font_config
        )

    @staticmethod
    def write(document: Document, path: Path) -> None:
        tmp = path.with_name(path.name + ".tmp")
        document.write_pdf(tmp)
        tmp.replace(path)


def pdf_files(hb: Handbook) -> list[str]:
    """The files a full :func:`write_pdfs` run writes, relative to its ``out_dir``: each role's
    (and each variant's) job description, then the books (read by the link check of a site
    built without them)."""
    names = [pdf_name(rid, v) for rid, role in hb.roles.items() for v in (None, *(v.id for v in role.variants))]
    if book.book_order(hb):
        names.append(COMBINED)
    return names + [f"{book.UNIT_DIR}/{uid}.pdf" for uid in book.unit_books(hb)]


def write_pdfs(
    hb: Handbook,
    locale: Locale,
    out_dir: Path,
    cache: Path,
    role_ids: Iterable[str] | None = None,
    *,
    combined: bool = True,
    company: str | None = None,
) -> PdfReport:
    """Write ``<role-id>.pdf`` for the given roles (default: all) into ``out_dir``; with ``combined``
    also the books: ``handbook.pdf`` and ``unit/<unit-id>.pdf``.

    Unknown role ids raise ``KeyError``; the caller checks them first.
    """
    wanted = list(hb.roles) if role_ids is None else list(role_ids)
    for rid in wanted:
        if rid not in hb.roles:
            raise KeyError(rid)
    renderer = PdfRenderer(hb, locale, company)
    # Every role's HTML, even for a partial run: the font is cut to the whole handbook's
    # characters, so it (and every cached PDF keyed by it) stays the same whichever roles run.
    sources = {pdf_name(rid): renderer.role_html(rid) for rid in hb.roles}
    # A role's variants each get a job description of their own, written with the role's.
    variants = {rid: [pdf_name(rid, v.id) for v in hb.roles[rid].variants] for rid in hb.roles}
    for rid in hb.roles:
        for v in hb.roles[rid].variants:
            sources[pdf_name(rid, v.id)] = renderer.role_html(rid, v.id)
    # Each document's stylesheet: its words (the running header, 第 N 页) in its company's language.
    styles = {name: renderer.local(hb.roles[rid].unit).css for rid in hb.roles
              for name in (pdf_name(rid), *variants[rid])}
    # Books too (their titles, contents and unit charts add characters), made in every run for the same reason.
    books = renderer.books()
    styles.update({name: renderer.book_css(name) for name in books})
    text = "".join(sources.values()) + "".join(books.values())
    fontset = fonts.prepare(text, cache)  # a missing font raises FontError, itself a PdfError

    import weasyprint

    salt = f"{weasyprint.__version__}|{fontset.digest}"
    store = cache / "pdf"
    store.mkdir(parents=True, exist_ok=True)
    out_dir.mkdir(parents=True, exist_ok=True)
    report = PdfReport(missing_glyphs=fontset.missing)
    used: set[Path] = set()

    jobs = {name: sources[name] for rid in wanted for name in (pdf_name(rid), *variants[rid])}
    if combined:
        jobs.update(books)
    cached = {name: store / f"{_digest(salt, styles[name], source)}.pdf" for name, source in jobs.items()}
    used.update(cached.values())
    # Only what changed is rendered (the cache is keyed by the HTML, its stylesheet and the fonts),
    # in one worker per core; the rest is copied from the cache.
    todo = [pool.Job(name, source, styles[name], cached[name]) for name, source in jobs.items()
            if not cached[name].is_file()]
    try:
        pool.render_all(todo, fontset, Engine, report.rendered.append)
        fresh = set(report.rendered)
        for name in jobs:
            if name not in fresh:
                report.reused.append(name)
            target = out_dir / name
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(cached[name], target)
    except (OSError, ValueError) as exc:
        raise PdfError(str(exc)) from exc
    if role_ids is None:
        # A full run knows every PDF that is still current; older ones are dead weight.
        for path in store.glob("*.pdf"):
            if path not in used:
                path.unlink(missing_ok=True)
    return report
