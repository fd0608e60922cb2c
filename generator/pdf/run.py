"""One PDF run: every role's job description and the books, laid out only where something changed.

Three rounds, each in one worker per core (pool.py):
1. lay out what is not in the cache: each role's pages (page-number box empty), each unit's opening
   pages and each chapter, once however many books hold them;
2. lay out the page-number stamps the pages need (``第 n 页 / 共 N 页`` per length of a role's PDF,
   ``第 n 页`` per chunk of a book), also cached;
3. stamp each role's own PDF, and put each book together: its contents (numbers counted from its
   pieces' pages), then its pieces, every page stamped with its number.
Every file is keyed by a hash of what it is made from (HTML, stylesheet, fonts, WeasyPrint's version,
and for a stamped or assembled file the keys of its parts), so a second run makes only files whose
inputs changed, and a role's edit touches that role's PDF and the books that hold it.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterable
from pathlib import Path

from ..errors import PdfError
from ..i18n import Locale
from ..link.handbook import Handbook
from ..render.views import pdf_name
from . import assemble, book, fonts, pool, stamp
from .assemble import Piece
from .engine import Engine
from .render import PdfRenderer, PdfReport, _digest

#: Page counts of laid-out files in the cache, by key (read by the next run instead of every PDF).
PAGES_FILE = "pages.json"


class _Store:
    """The cache folder of laid-out and finished PDFs, each named by its key, and their page counts."""

    def __init__(self, folder: Path, salt: str) -> None:
        self.folder, self.salt = folder, salt
        folder.mkdir(parents=True, exist_ok=True)
        try:
            self.pages: dict[str, int] = json.loads((folder / PAGES_FILE).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            self.pages = {}
        self.used: set[str] = set()

    def key(self, *parts: str) -> str:
        key = _digest(self.salt, *parts)
        self.used.add(key)
        return key

    def path(self, key: str) -> Path:
        return self.folder / f"{key}.pdf"

    def has(self, key: str) -> bool:
        return key in self.pages and self.path(key).is_file()

    def save(self, prune: bool) -> None:
        if prune:  # a full run knows every file that is still current; older ones are dead weight
            for path in self.folder.glob("*.pdf"):
                if path.stem not in self.used:
                    path.unlink(missing_ok=True)
            self.pages = {k: v for k, v in self.pages.items() if k in self.used}
        tmp = self.folder / f"{PAGES_FILE}.tmp"
        tmp.write_text(json.dumps(self.pages, sort_keys=True), encoding="utf-8")
        tmp.replace(self.folder / PAGES_FILE)


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
    # Every document's HTML, even for a partial run: the font is cut to the whole handbook's
    # characters, so it (and every cached PDF keyed by it) stays the same whichever roles run.
    # A role's variants each get a job description of their own, written with the role's.
    roles = {pdf_name(rid, v): (renderer.local(role.unit), renderer.role_html(rid, v))
             for rid, role in hb.roles.items() for v in (None, *(v.id for v in role.variants))}
    books = renderer.books()
    chapters = renderer.chapters()
    slots = {name: book.sequence(hb, chapters, order, whole=whole) for name, (_, _, order, whole) in books.items()}
    pieces: dict[str, tuple[PdfRenderer, str]] = {}
    for name, (here, _, _, _) in books.items():
        for slot in slots[name]:
            if slot.kind != "role" and f"{slot.kind}:{slot.ident}" not in pieces:
                html = here.unit_html(slot.ident) if slot.kind == "unit" else here.chapter_html(slot.ident)
                pieces[f"{slot.kind}:{slot.ident}"] = (here, html)
    fronts = {name: here.front_html(order, title, whole=whole) for name, (here, title, order, whole) in books.items()}
    text = "".join(h for _, h in roles.values()) + "".join(h for _, h in pieces.values()) + "".join(fronts.values())
    words = [r.locale.label(k) for r in {id(r): r for r, _ in (*roles.values(), *pieces.values())}.values()
             for k in ("pdf_page_of", "pdf_book_page")]
    # The charts' labels too (base64 inside the HTML). A missing font raises FontError.
    fontset = fonts.prepare(text + renderer.chart_text() + "".join(words) + "0123456789", cache)

    import weasyprint

    store = _Store(cache / "pdf", f"{weasyprint.__version__}|{fontset.digest}")
    report = PdfReport(missing_glyphs=fontset.missing)
    mine = {name for rid in wanted for name in (pdf_name(rid), *(pdf_name(rid, v.id) for v in hb.roles[rid].variants))}
    raw = {name: store.key(r.css, html) for name, (r, html) in roles.items() if name in mine}
    piece_keys = {key: store.key(r.css, html) for key, (r, html) in pieces.items()} if combined else {}
    todo: list[pool.Task] = [pool.Job(name, roles[name][1], roles[name][0].css, store.path(k))
                             for name, k in raw.items() if not store.has(k)]
    todo += [pool.Job(key, pieces[key][1], pieces[key][0].css, store.path(k))
             for key, k in piece_keys.items() if not store.has(k)]
    by_name = {**raw, **piece_keys}
    try:
        _run(todo, fontset, store, by_name, report)
        # Round 2: the stamps. A role's own PDF is numbered 第 n 页 / 共 N 页; a book's pages 第 n 页.
        stamps: dict[tuple[int, int], str] = {}  # (id of renderer, pages or chunk) → key
        todo = []

        def stamp_doc(r: PdfRenderer, label: str, texts: list[str]) -> str:
            key = store.key(r.stamp_css, *texts)
            if not store.has(key) and all(job.name != label for job in todo):
                todo.append(pool.Job(label, stamp.stamp_html(texts, r.locale.lang), r.stamp_css, store.path(key)))
                by_name[label] = key
            return key

        for name, k in raw.items():
            r, total = roles[name][0], store.pages[k]
            if (id(r), total) not in stamps:
                texts = stamp.page_of_texts(r.locale.label("pdf_page_of"), total)
                stamps[id(r), total] = stamp_doc(r, f"stamps:{r.locale.lang}:{total}", texts)
        plans = {}
        if combined:
            for name, (here, title, _, _) in books.items():
                body = sum(store.pages[piece_keys[f"{s.kind}:{s.ident}"]] if s.kind != "role"
                           else store.pages[raw[pdf_name(s.ident)]] for s in slots[name])
                # The contents take about a page per 30 lines; stamps for twice that, never short.
                chunks = (body + 2 * (len(slots[name]) // 30 + 2)) // stamp.CHUNK + 1
                folios = [stamp_doc(here, f"folios:{here.locale.lang}:{c}",
                                    stamp.folio_texts(here.locale.label("pdf_book_page"), c)) for c in range(chunks)]
                plans[name] = (here, title, folios, body)
        _run(todo, fontset, store, by_name, report)
        # Round 3: each role's own PDF stamped, each book put together.
        finished = {name: store.key(k, stamps[id(roles[name][0]), store.pages[k]]) for name, k in raw.items()}
        todo = [pool.Finish(name, store.path(raw[name]), store.path(stamps[id(roles[name][0]), store.pages[raw[name]]]),
                            store.path(k)) for name, k in finished.items() if not store.has(k)]
        shapes = {}  # book → the key of its contents' page count, read from the last run that made them
        for name, (here, title, folios, _) in plans.items():
            parts, starts, keys = [], {}, []
            at = 0
            for s in slots[name]:
                k = raw[pdf_name(s.ident)] if s.kind == "role" else piece_keys[f"{s.kind}:{s.ident}"]
                title_of = hb.roles[s.ident].title if s.kind == "role" else (
                    hb.units[s.ident].name if s.kind == "unit" else here.chapter(s.ident).title)
                parts.append(Piece(store.path(k), title_of, s.level))
                starts[s.anchor] = at
                at += store.pages[k]
                keys.append(k)
            front_key = store.key(here.css, fronts[name], *map(str, starts.values()))
            # The contents' length does not depend on their numbers (a column of its own, never wrapped):
            # the last run's count for the same entries is right, so they are laid out once, not twice.
            shapes[name] = store.key("contents-pages", here.css, fronts[name])
            k = store.key(front_key, title, here.company, assemble.RECIPE, *folios, *keys, *(p.title for p in parts))
            finished[name] = k
            if not store.has(k) and all(getattr(t, "target", None) != store.path(k) for t in todo):
                contents = Piece(store.path(front_key), here.locale.label("pdf_contents"), 1)
                todo.append(pool.Book(name, fronts[name], here.css, store.path(front_key), starts,
                                      (contents, *parts), tuple(store.path(f) for f in folios), store.path(k),
                                      title, here.company, tuple(fontset.files.items()),
                                      store.pages.get(shapes[name], 0)))
        _run(todo, fontset, store, finished, report, final=True)
        for name, (_, _, _, body) in plans.items():
            store.pages[shapes[name]] = store.pages[finished[name]] - body
        for name, k in finished.items():
            if name not in report.rendered:
                report.reused.append(name)
            target = out_dir / name
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(store.path(k), target)
    except (OSError, ValueError) as exc:
        raise PdfError(str(exc)) from exc
    store.save(prune=role_ids is None)
    return report


def _run(tasks: list[pool.Task], fontset: fonts.FontSet, store: _Store, keys: dict[str, str], report: PdfReport,
         *, final: bool = False) -> None:
    """Do ``tasks``, recording each file's page count under its key and what was made in ``report``."""

    def done(name: str, pages: int) -> None:
        store.pages[keys[name]] = pages
        if not final:
            report.laid_out.append(name)
            return
        report.rendered.append(name)
        if isinstance(kinds[name], pool.Book):  # its contents were laid out inside its task
            report.laid_out.append(f"contents:{name}")

    kinds = {task.name: task for task in tasks}

    pool.run_all(tasks, fontset, Engine, done)
