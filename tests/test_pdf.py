"""Job-description PDFs: real WeasyPrint output read back with pypdf, poppler's pdftotext and fontTools."""

from __future__ import annotations

import functools
import io
import re
import shutil
import subprocess
from pathlib import Path
from typing import cast

import pytest
from fontTools.pens.boundsPen import BoundsPen
from fontTools.ttLib import TTFont
from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject, StreamObject

from generator.cli import main
from generator.i18n import load_locale
from generator.link.handbook import Handbook
from generator.link.pipeline import validate
from generator.model import paths
from generator.pdf.book import COMBINED, UNIT_DIR, appendix_pages, book_order, unit_books, unit_pages
from generator.pdf.chapters import Chapters
from generator.pdf.render import PdfRenderer, PdfReport, css_string, pdf_files
from generator.pdf.run import write_pdfs
from generator.project import Project
from generator.render import formatting
from generator.site.linkcheck import check_site

from .conftest import FIXTURES, OUTPUT, REPO, copy_project, pdf_texts
from .pdfcells import overprinted

A4 = (595.28, 841.89)
LOCALE = load_locale("zh")


def squash(text: str) -> str:
    """Text without any whitespace: PDF extraction breaks lines and spaces letters freely."""
    return re.sub(r"\s+", "", text)


@pytest.fixture(scope="session")
def sample_pdfs(tmp_path_factory: pytest.TempPathFactory) -> tuple[Handbook, Path, PdfReport]:
    """Every role PDF and the book of the repo's sample handbook, rendered once."""
    hb = validate(REPO / "roles", locale=LOCALE, display_base=REPO).handbook
    out = tmp_path_factory.mktemp("pdf")
    report = write_pdfs(hb, LOCALE, out / "pdf", out / "cache")
    return hb, out / "pdf", report


@functools.cache
def _page_texts(path: Path, stamp: tuple[int, int]) -> tuple[str, ...]:
    """Each page's text; several tests read the same PDFs. ``stamp`` keeps a rewritten file from reusing it."""
    return tuple(pdf_texts(path))


def page_texts(path: Path) -> tuple[str, ...]:
    """:func:`_page_texts` of the file as it is now."""
    st = path.stat()
    return _page_texts(path, (st.st_mtime_ns, st.st_size))


def _fonts(reader: PdfReader) -> dict[str, DictionaryObject]:
    found: dict[str, DictionaryObject] = {}

    def visit(resources: DictionaryObject) -> None:
        for ref in resources.get("/Font", DictionaryObject()).values():
            font = ref.get_object()
            # Stamped pages hold two subsets of the face (the page's and its page number's), each its own object.
            found[f"{font['/BaseFont']} {getattr(ref, 'idnum', '')}"] = font
        for form in resources.get("/XObject", DictionaryObject()).values():
            form = form.get_object()
            if form.get("/Subtype") == "/Form" and "/Resources" in form:  # the page number, laid over as a form
                visit(cast(DictionaryObject, form["/Resources"].get_object()))

    for page in reader.pages:
        visit(cast(DictionaryObject, page["/Resources"].get_object()))
    return found


def _to_unicode(font: DictionaryObject) -> dict[int, str]:
    cmap = cast(StreamObject, font["/ToUnicode"].get_object()).get_data().decode("latin-1")
    out: dict[int, str] = {}
    for block in re.findall(r"beginbfchar(.*?)endbfchar", cmap, re.S):
        for code, uni in re.findall(r"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>", block):
            out[int(code, 16)] = bytes.fromhex(uni).decode("utf-16-be")
    for block in re.findall(r"beginbfrange(.*?)endbfrange", cmap, re.S):
        for lo, hi, uni in re.findall(r"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>", block):
            first = int.from_bytes(bytes.fromhex(uni), "big")
            for offset, code in enumerate(range(int(lo, 16), int(hi, 16) + 1)):
                out[code] = chr(first + offset)
    return out


def _embedded(font: DictionaryObject) -> TTFont | None:
    descendants = cast(ArrayObject, font["/DescendantFonts"])
    descendant = cast(DictionaryObject, descendants[0].get_object())
    descriptor = cast(DictionaryObject, descendant["/FontDescriptor"].get_object())
    for key in ("/FontFile3", "/FontFile2", "/FontFile"):
        if key in descriptor:
            return TTFont(io.BytesIO(cast(StreamObject, descriptor[key].get_object()).get_data()))
    return None


def _drawn(font: TTFont, code: int) -> bool:
    """True if glyph ``code`` (Identity-H: code = glyph index) exists and has an outline."""
    order = font.getGlyphOrder()
    if code >= len(order):
        return False
    if "CFF " in font:
        charstring = font["CFF "].cff[0].CharStrings[order[code]]
        charstring.decompile()
        return any(op not in ("endchar",) for op in charstring.program if isinstance(op, str))
    pen = BoundsPen(font.getGlyphSet())
    font.getGlyphSet()[order[code]].draw(pen)
    return pen.bounds is not None


def test_every_role_has_a_pdf_with_its_title_a_duty_and_a_kpi_target(
    sample_pdfs: tuple[Handbook, Path, PdfReport],
) -> None:
    hb, out, _ = sample_pdfs
    assert hb.roles, "the sample has roles"
    for rid, role in hb.roles.items():
        text = squash("".join(page_texts(out / f"{rid}.pdf")))
        assert squash(role.title) in text, rid
        duties = [item.text for area in role.duties for item in area.items if "[[" not in item.text]
        if duties:
            assert squash(duties[0]) in text, (rid, duties[0])
        if role.kpis:
            assert squash(formatting.target(role.kpis[0], LOCALE)) in text, rid


def test_role_pdf_holds_its_onboarding_checklist(sample_pdfs: tuple[Handbook, Path, PdfReport]) -> None:
    from generator.render.onboarding import plan

    hb, out, _ = sample_pdfs
    checked = 0
    for rid in hb.roles:
        groups = plan(hb, rid)
        items = [item.text for g in groups for item in g.items if "[[" not in item.text]
        if not items:
            continue
        text = squash("".join(page_texts(out / f"{rid}.pdf")))
        assert squash(LOCALE.label("onboarding")) in text, rid
        # The CJK face's ToUnicode maps its middle dot back as U+2022; compare without dots.
        plain = text.replace("\u2022", "").replace("\u00b7", "")
        assert squash(items[-1]).replace("\u00b7", "") in plain, (rid, items[-1])
        checked += 1
    assert checked > 0, "some sample roles have an onboarding checklist"


def test_pages_are_a4_and_fonts_embedded_with_a_glyph_for_every_character(
    sample_pdfs: tuple[Handbook, Path, PdfReport],
) -> None:
    hb, out, report = sample_pdfs
    assert report.missing_glyphs == frozenset()
    books = [out / COMBINED, *(out / UNIT_DIR / f"{uid}.pdf" for uid in unit_books(hb))]
    for path in [*(out / f"{rid}.pdf" for rid in hb.roles), *books]:
        reader = PdfReader(path)
        for page in reader.pages:
            box = page.mediabox
            assert (float(box.width), float(box.height)) == pytest.approx(A4, abs=0.5), path.name
        shown: dict[str, bool] = {}
        fonts = _fonts(reader)
        assert fonts, path.name
        for name, font in fonts.items():
            embedded = _embedded(font)
            assert embedded is not None, f"{path.name}: {name} is not embedded"
            assert "+" in name, f"{path.name}: {name} is not a subset"
            for code, char in _to_unicode(font).items():
                shown[char] = shown.get(char, False) or char.isspace() or _drawn(embedded, code)
        missing = sorted(c for c, ok in shown.items() if not ok)
        assert not missing, f"{path.name}: no glyph for {missing}"
        text = "".join(page_texts(path))
        stray = sorted({c for c in text if not c.isspace()} - set(shown))
        assert not stray, f"{path.name}: text not drawn by an embedded font: {stray}"


def test_typical_role_pdf_is_small(sample_pdfs: tuple[Handbook, Path, PdfReport]) -> None:
    hb, out, _ = sample_pdfs
    sizes = sorted((out / f"{rid}.pdf").stat().st_size for rid in hb.roles)
    assert sizes[len(sizes) // 2] < 150_000, sizes


def test_book_outline_lists_every_role_under_its_unit(sample_pdfs: tuple[Handbook, Path, PdfReport]) -> None:
    hb, out, _ = sample_pdfs
    reader = PdfReader(out / COMBINED)
    tree: dict[str, list[str]] = {}
    last = ""
    for item in reader.outline:
        if isinstance(item, list):
            tree[last] = [str(child.title) for child in item if not isinstance(child, list)]
        else:
            last = str(item.title)
            tree.setdefault(last, [])
    titles = {paths.page("process", p.id): p.title for p in hb.processes.values()}
    titles |= {paths.page("policy", p.id): p.title for p in hb.policies.values()}
    for uid, rids in book_order(hb):
        # The unit's roles, then its processes and policies.
        chapters = [titles[page] for page in unit_pages(hb, uid)]
        assert [hb.roles[rid].title for rid in rids] + chapters == tree[hb.units[uid].name]
    # Then the appendices at the top level: company-wide policies, the glossary, the RACI matrix.
    assert [LOCALE.label("glossary"), LOCALE.label("raci")] == list(tree)[-2:]
    listed = sum(len(rids) for _, rids in book_order(hb))
    assert listed == len(hb.roles)
    # Every role's pages are in the book, plus a contents page.
    role_pages = sum(len(PdfReader(out / f"{rid}.pdf").pages) for rid in hb.roles)
    assert role_pages < len(reader.pages)


def test_first_page_renders_for_a_person_to_look_at(sample_pdfs: tuple[Handbook, Path, PdfReport]) -> None:
    hb, out, _ = sample_pdfs
    assert shutil.which("pdftoppm"), "pdftoppm missing: `make test` installs poppler-utils"
    OUTPUT.mkdir(exist_ok=True)
    rid = max(hb.roles, key=lambda r: len(hb.roles[r].kpis))
    prefix = OUTPUT / f"pdf-{rid}"
    subprocess.run(["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", str(out / f"{rid}.pdf"), str(prefix)], check=True)
    assert list(OUTPUT.glob(f"pdf-{rid}*.png"))


def test_css_strings_cannot_break_out() -> None:
    assert css_string('a"b\\c</style>') == '"a\\22 b\\5c c\\3c /style\\3e "'


@pytest.fixture
def mini(tmp_path: Path) -> Project:
    return copy_project(FIXTURES / "mini", tmp_path / "mini")


def test_rebuild_renders_only_changed_pdfs(mini: Project, tmp_path: Path) -> None:
    hb = validate(mini.roles, locale=LOCALE).handbook
    cache = tmp_path / "cache"
    first = write_pdfs(hb, LOCALE, tmp_path / "a", cache)
    books = [COMBINED, *(f"{UNIT_DIR}/{uid}.pdf" for uid in unit_books(hb))]
    everything = {*(f"{rid}.pdf" for rid in hb.roles), *books}
    # A book with the same content as another (the top unit's and the whole handbook) is laid out once.
    assert set(first.rendered) | set(first.reused) == everything
    assert set(first.reused) <= set(books) and len(first.reused) <= 1, first.reused
    again = write_pdfs(hb, LOCALE, tmp_path / "b", cache)
    assert again.rendered == []
    # A KPI target shows on its own role's PDF only (and in the book); digits never change the font.
    changed = next(rid for rid, role in hb.roles.items() if role.kpis)
    source = hb.sources[("role", changed)].path
    text = source.read_text(encoding="utf-8")
    source.write_text(re.sub(r"target: (\d+)", lambda m: f"target: {int(m[1]) + 1}", text, count=1), encoding="utf-8")
    hb2 = validate(mini.roles, locale=LOCALE).handbook
    third = write_pdfs(hb2, LOCALE, tmp_path / "c", cache)
    # The books holding the role change too: the whole handbook and its unit's (and those above).
    holding = [uid for uid in unit_books(hb2) if any(changed in rids for _, rids in book_order(hb2, uid))]
    assert holding
    expected = {f"{changed}.pdf", COMBINED, *(f"{UNIT_DIR}/{u}.pdf" for u in holding)}
    assert set(third.rendered) <= expected and set(third.rendered) | (set(third.reused) & expected) == expected
    # WeasyPrint laid out that role's pages only: the books reuse every other piece as it was, and
    # lay out no more than their contents again (whose numbers may move with the role's length).
    assert first.laid_out and {f"{changed}.pdf"} <= set(third.laid_out), third.laid_out
    contents = {f"contents:{name}" for name in expected}
    assert set(third.laid_out) - contents == {f"{changed}.pdf"}, third.laid_out


def test_a_book_page_of_a_role_is_that_role_s_own_page(sample_pdfs: tuple[Handbook, Path, PdfReport]) -> None:
    """A role's pages in a book are its own PDF's, page for page, with the content hash ``handbook verify``
    checks in their footer (so a page taken out of a book verifies as the role's PDF does); only the page
    number differs: the book's, not the role's own count."""
    import unicodedata

    from generator.model.fingerprint import PATTERN
    from generator.pdf.readback import read_pdf

    hb, out, _ = sample_pdfs
    book_texts = page_texts(out / COMBINED)
    dests = _dest_pages(PdfReader(out / COMBINED))
    label = LOCALE.label("content_hash")
    for rid in hb.roles:
        own = page_texts(out / f"{rid}.pdf")
        printed = read_pdf(out / f"{rid}.pdf", (label,))
        assert printed is not None and printed.role == rid and len(printed.hashes) == 1, rid
        start = dests[f"role-{rid}"] - 1
        for number, text in enumerate(own, 1):
            mine = squash(unicodedata.normalize("NFKC", text))
            in_book = squash(unicodedata.normalize("NFKC", book_texts[start + number - 1]))
            footer = squash(LOCALE.label("pdf_page_of").format(page=number, pages=len(own)))
            folio = squash(LOCALE.label("pdf_book_page").format(page=start + number))
            assert mine.endswith(footer) and in_book.endswith(folio), (rid, number)
            assert mine.removesuffix(footer) == in_book.removesuffix(folio), (rid, number)
            assert printed.hashes[0] in in_book and PATTERN.search(printed.hashes[0]), (rid, number)


def _pixels(pdf: Path, first: int, last: int, folder: Path) -> list[bytes]:
    """Pages ``first``..``last`` of ``pdf`` drawn by poppler (40 dpi, grey), the footer band left out."""
    from PIL import Image

    prefix = folder / f"{pdf.stem}-{first}"
    subprocess.run(["pdftoppm", "-r", "40", "-gray", "-f", str(first), "-l", str(last), str(pdf), str(prefix)],
                   check=True)
    out = []
    for path in sorted(folder.glob(f"{prefix.name}-*.pgm")):
        with Image.open(path) as image:
            out.append(image.crop((0, 0, image.width, image.height * 92 // 100)).tobytes())
    return out


def test_a_book_draws_each_role_as_its_own_pdf_with_one_copy_of_each_face(
    sample_pdfs: tuple[Handbook, Path, PdfReport], tmp_path: Path
) -> None:
    """The whole book holds one font program per face, not each role's subset, and still draws every
    glyph as the role's own PDF does: the shortest and the longest role, page by page, in pixels."""
    import pikepdf

    hb, out, _ = sample_pdfs
    programs: dict[str, set[tuple[int, int]]] = {}
    with pikepdf.open(out / COMBINED) as book:
        for obj in book.objects:
            if isinstance(obj, pikepdf.Dictionary) and obj.get("/Type") == "/FontDescriptor" and "/FontFile3" in obj:
                face = str(obj.FontName).partition("+")[2]
                programs.setdefault(face, set()).add(obj.FontFile3.objgen)
    assert programs.keys() >= {"Handbook-Sans", "Handbook-Sans-Bold"}
    assert len(programs["Handbook-Sans"]) == len(programs["Handbook-Sans-Bold"]) == 1, programs
    dests = _dest_pages(PdfReader(out / COMBINED))
    by_length = sorted(hb.roles, key=lambda rid: len(PdfReader(out / f"{rid}.pdf").pages))
    for rid in (by_length[0], by_length[-1]):
        count = len(PdfReader(out / f"{rid}.pdf").pages)
        start = dests[f"role-{rid}"]
        own = _pixels(out / f"{rid}.pdf", 1, count, tmp_path)
        in_book = _pixels(out / COMBINED, start, start + count - 1, tmp_path)
        assert len(own) == count and own == in_book, rid


def test_build_writes_pdfs_and_links_them(mini: Project) -> None:
    assert main(["--project", str(mini.root), "build", "--engine", "mkdocs"]) == 0
    hb = validate(mini.roles, locale=LOCALE).handbook
    for rid in hb.roles:
        pdf = mini.site / "pdf" / f"{rid}.pdf"
        assert pdf.is_file()
        page = (mini.site / "roles" / rid / "index.html").read_text(encoding="utf-8")
        href = re.search(r'<a href="([^"]+\.pdf)"', page)
        assert href is not None
        assert (mini.site / "roles" / rid / href[1]).resolve() == pdf.resolve()
    assert (mini.site / "pdf" / COMBINED).is_file()
    books = unit_books(hb)
    assert books
    for uid in hb.units:
        page = (mini.site / "org" / uid / "index.html").read_text(encoding="utf-8")
        href = re.search(r'<a href="([^"]+\.pdf)"', page)
        assert (href is not None) == (uid in books), uid
        if href is not None:
            assert (mini.site / "org" / uid / href[1]).resolve() == (mini.site / "pdf" / UNIT_DIR / f"{uid}.pdf").resolve()
            assert (mini.site / "pdf" / UNIT_DIR / f"{uid}.pdf").is_file()
    written = sorted(p.relative_to(mini.site / "pdf").as_posix() for p in (mini.site / "pdf").rglob("*.pdf"))
    assert written == sorted(pdf_files(hb)), "the link check of a site built without PDFs expects these"
    assert [str(b) for b in check_site(mini.site).broken] == []


def test_failed_pdf_step_leaves_the_old_site(mini: Project, monkeypatch: pytest.MonkeyPatch) -> None:
    assert main(["--project", str(mini.root), "build", "--engine", "mkdocs"]) == 0
    before = sorted(p.relative_to(mini.site) for p in mini.site.rglob("*"))
    monkeypatch.setenv("HANDBOOK_CJK_FONT_DIR", str(mini.root / "no-fonts-here"))
    shutil.rmtree(mini.root / ".handbook-cache", ignore_errors=True)
    assert main(["--project", str(mini.root), "build", "--engine", "mkdocs"]) == 1
    assert sorted(p.relative_to(mini.site) for p in mini.site.rglob("*")) == before
    assert not list(mini.root.glob(".site-staging-*"))


def test_pdf_command_rejects_unknown_roles(mini: Project, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--project", str(mini.root), "pdf", "no-such-role"]) == 1
    assert "no-such-role" in capsys.readouterr().err



MM = 72 / 25.4
EDGE = 0.5
"""Slack in points: a rule drawn on the margin line is half its width outside it."""


def _margins(css: str) -> tuple[float, float, float, float]:
    """``(top, right, bottom, left)`` of the A4 page in points, as the print stylesheet sets them."""
    page = re.search(r"@page\s*\{[^@}]*?margin:\s*([\d.]+)mm\s+([\d.]+)mm\s+([\d.]+)mm\s+([\d.]+)mm", css)
    assert page is not None, "the print stylesheet sets the page margins"
    top, right, bottom, left = (float(page[i]) * MM for i in range(1, 5))
    return top, right, bottom, left



def _outside(path: Path, margins: tuple[float, float, float, float]) -> tuple[int, list[str]]:
    """``(boxes measured, boxes outside)`` of one PDF: every char, rect, line and curve inside the
    side margins; only the running header and footer in the top and bottom ones."""
    import pdfplumber

    top, right, bottom, left = margins
    outside: list[str] = []
    checked = 0
    with pdfplumber.open(path) as pdf:
        for number, page in enumerate(pdf.pages, 1):
            width, height = float(page.width), float(page.height)
            for kind in ("chars", "rects", "lines", "curves"):
                for obj in getattr(page, kind):
                    checked += 1
                    x0, x1, y0, y1 = obj["x0"], obj["x1"], obj["top"], obj["bottom"]
                    what = obj.get("text") or kind[:-1]
                    where = f"{path.stem} p{number} {what!r}"
                    if x0 < left - EDGE or x1 > width - right + EDGE:
                        outside.append(f"{where} x {x0:.1f}–{x1:.1f} (body {left:.1f}–{width - right:.1f})")
                    elif y0 < 0 or y1 > height:
                        outside.append(f"{where} off the sheet at y {y0:.1f}–{y1:.1f}")
                    elif not (top - EDGE <= y0 and y1 <= height - bottom + EDGE) and kind != "chars":
                        # Header and footer rules and text live in the margin; body boxes do not.
                        band = y1 <= top + EDGE or y0 >= height - bottom - EDGE
                        if not band:
                            outside.append(f"{where} {kind[:-1]} across the margin at y {y0:.1f}–{y1:.1f}")
    return checked, outside


@pytest.mark.parametrize("fixture, lang", [("rules", "zh"), ("hant", "zh-Hant"), ("english", "en"), ("mini", "zh"),
                                           ("group", "zh")])
def test_fixture_role_pdfs_keep_inside_the_margins_too(fixture: str, lang: str, tmp_path: Path) -> None:
    """The fixtures hold what the sample lacks (a weighted scorecard, seasons, variants, Traditional,
    English): every role's PDF inside the margins, and each table cell's words inside the cell."""
    from generator.i18n import load_locale
    from generator.pdf.render import PdfRenderer
    from generator.render.views import pdf_name

    locale = load_locale(lang)
    hb = validate(REPO / "tests" / "fixtures" / fixture / "roles", locale=locale).handbook
    write_pdfs(hb, locale, tmp_path / "pdf", tmp_path / "cache", combined=False)
    margins = _margins(PdfRenderer(hb, locale).css)
    names = [n for rid in hb.roles for n in (pdf_name(rid), *(pdf_name(rid, v.id) for v in hb.roles[rid].variants))]
    outside: list[str] = []
    checked = 0
    words = 0
    for name in names:
        counted, found = _outside(tmp_path / "pdf" / name, margins)
        checked += counted
        outside += found
        in_cells, crossing = overprinted(tmp_path / "pdf" / name)
        words += in_cells
        outside += crossing
    assert checked > 300 and words > 30, (checked, words)
    assert not outside, f"{len(outside)} boxes outside the margins or their cells, e.g. {outside[:8]}"


def test_every_role_pdf_and_the_handbook_keep_their_content_inside_the_margins(sample_pdfs: tuple[Handbook, Path, PdfReport]) -> None:
    """Every char, rect, line and curve of every page sits inside the side margins; only the
    running header and footer use the top and bottom margins, and nothing runs off the sheet."""

    from generator.pdf.render import PdfRenderer

    hb, out, _ = sample_pdfs
    margins = _margins(PdfRenderer(hb, LOCALE).css)
    outside: list[str] = []
    checked = 0
    # Each role's own PDF, and the whole handbook, whose chapters (processes, policies, glossary,
    # RACI) come from the site's Markdown rather than from the print templates.
    for rid in [*hb.roles, COMBINED.removesuffix(".pdf")]:
        counted, found = _outside(out / f"{rid}.pdf", margins)
        checked += counted
        outside += found
        if rid in hb.roles:  # each table cell's words inside the cell (the book's chapters are the site's)
            outside += overprinted(out / f"{rid}.pdf")[1]
    assert checked > 1000, checked
    assert not outside, f"{len(outside)} boxes outside the margins, e.g. {outside[:8]}"


def test_role_pdf_sections_follow_the_job_description_order_with_the_chart_on_page_one(
    sample_pdfs: tuple[Handbook, Path, PdfReport],
) -> None:
    """Read back from the real PDFs: headings in the standard order, and the reporting chart
    (its heading and the marked box of the role itself) on the first page, beside the facts."""
    from generator.model import fields
    from generator.model.entities import Role

    hb, out, _ = sample_pdfs
    # The sections every job description prints: those with a field that says 待补充 when empty.
    titles = [squash(LOCALE.label(s.label)) for s in fields.sections(Role)
              if any(fields.declared(Role, f).empty == "todo" for f in s.fields)]
    assert len(titles) >= 10
    for rid in hb.roles:
        pages = [squash(text) for text in page_texts(out / f"{rid}.pdf")]
        text = "".join(pages)
        at, positions = 0, []
        for title in titles:
            found = text.find(title, at)
            assert found >= 0, (rid, title, "missing or out of order")
            positions.append(found)
            at = found + len(title)
        assert squash(LOCALE.label("reporting_chart")) in pages[0], rid
        assert squash(LOCALE.label("chart_this_role")) in pages[0], rid
        assert squash(LOCALE.label("pdf_signoff")) in text, rid


def _dest_pages(reader: PdfReader) -> dict[str, int]:
    """Named destination → page number (from 1)."""
    out = {}
    for name, dest in reader.named_destinations.items():
        index = reader.get_destination_page_number(dest)
        assert index is not None, name
        out[str(name)] = index + 1
    return out


def test_books_number_pages_on_and_their_contents_give_the_real_pages(
    sample_pdfs: tuple[Handbook, Path, PdfReport],
) -> None:
    """For the handbook and every unit book: the page each contents entry names is the page its
    link lands on and the page its unit or role starts (the role's title on it); footers count on
    from 1 to the end."""
    import unicodedata

    hb, out, _ = sample_pdfs
    books = {COMBINED: book_order(hb), **{f"{UNIT_DIR}/{uid}.pdf": book_order(hb, uid) for uid in unit_books(hb)}}
    assert len(books) > 2
    chapter = Chapters(hb, LOCALE).anchors
    for name, order in books.items():
        reader = PdfReader(out / name)
        total = len(reader.pages)
        dests = _dest_pages(reader)
        anchors = [
            a for uid, rids in order
            for a in (f"unit-{uid}", *(f"role-{rid}" for rid in rids), *(chapter[p] for p in unit_pages(hb, uid)))
        ]
        if name == COMBINED or order == book_order(hb):
            anchors += [chapter[p] for p in appendix_pages(hb)]
        if name == COMBINED:  # the whole handbook: every process, every policy, the glossary and RACI
            wanted = {f"process-{i}" for i in hb.processes} | {f"policy-{i}" for i in hb.policies} | {"glossary", "raci"}
            assert wanted <= set(anchors), sorted(wanted - set(anchors))
        starts = [dests[a] for a in anchors]
        assert starts == sorted(starts) and len(set(starts)) == len(starts), (name, starts)
        toc_pages = starts[0] - 1
        texts = page_texts(out / name)
        toc_text = "\n".join(texts[:toc_pages])
        numbers = [int(n) for n in re.findall(r"(\d+)\s*$", toc_text, flags=re.M)]
        assert numbers == starts, (name, numbers, starts)
        linked = {}
        for i in range(toc_pages):
            for annot in reader.pages[i].get("/Annots", []):
                annot = annot.get_object()
                if annot.get("/Subtype") == "/Link" and "/Dest" in annot:
                    linked[str(annot["/Dest"])] = dests[str(annot["/Dest"])]
        assert sorted(linked) == sorted(anchors), name
        assert [linked[a] for a in anchors] == starts, name
        # The page a line names holds what the line says (each role's page its title).
        for _uid, rids in order:
            for rid in rids:
                assert squash(hb.roles[rid].title) in squash(texts[dests[f"role-{rid}"] - 1]), (name, rid)
        # Every page carries the book's page number (stamped), never its own document's count.
        for number, page_text in enumerate(texts, 1):
            footer = squash(LOCALE.label("pdf_book_page").format(page=number))
            text = squash(unicodedata.normalize("NFKC", page_text))
            assert text.endswith(footer), (name, number, text[-60:])
        assert total == len(texts)


def test_handbook_links_land_inside_the_book(sample_pdfs: tuple[Handbook, Path, PdfReport]) -> None:
    """Links in the chapters made from site pages (a process's owner, a policy's clause, a RACI
    row) land on a page of the book; none is left pointing at a site page that paper cannot open."""
    hb, out, _ = sample_pdfs
    reader = PdfReader(out / COMBINED)
    dests = _dest_pages(reader)
    # Pages before the first unit are the contents; links after them are the chapters' own.
    body = dests[f"unit-{book_order(hb)[0][0]}"]
    inside, broken = 0, []
    for number, page in enumerate(reader.pages, 1):
        for annot in page.get("/Annots", []):
            annot = annot.get_object()
            if annot.get("/Subtype") != "/Link":
                continue
            if "/Dest" in annot:
                inside += number >= body and str(annot["/Dest"]) in dests
                if str(annot["/Dest"]) not in dests:
                    broken.append(f"p{number} → #{annot['/Dest']}")
                continue
            uri = str(annot.get("/A", {}).get("/URI", ""))
            if not uri.startswith(("http://", "https://", "mailto:")):
                broken.append(f"p{number} → {uri!r}")
    assert inside > 0, "no link in the chapters lands in the book"
    assert not broken, broken[:10]


@pytest.mark.parametrize("where", ["sample", "english", "group", "hant", "hospital", "mini"])
def test_the_top_units_book_is_the_whole_handbook_and_every_other_book_its_units(where: str) -> None:
    """The top unit's book holds what the whole book holds, so it is that book under the company's title
    (one task instead of two, the largest of a run); a unit below it, even one holding every role, keeps
    its own title. Checked on the entries ``write_pdfs`` puts together, no layout needed."""
    roles = REPO / "roles" if where == "sample" else FIXTURES / where / "roles"
    hb = validate(roles, locale=LOCALE, display_base=roles.parent).handbook
    renderer = PdfRenderer(hb, LOCALE)
    books = renderer.books()
    whole = book_order(hb)
    shared = [uid for uid in unit_books(hb) if books[f"{UNIT_DIR}/{uid}.pdf"] is books[COMBINED]]
    assert shared, "the top unit of every handbook here holds every role"
    for uid in unit_books(hb):
        _, title, order, _ = books[f"{UNIT_DIR}/{uid}.pdf"]
        assert order == book_order(hb, uid)
        if uid in shared:
            assert uid in hb.root_units() and order == whole
        else:
            assert hb.units[uid].name in title, (uid, title)
