"""A book put together from PDFs already laid out: its contents, then its units', roles' and chapters' own
PDFs page for page, numbered on by stamps, with one outline and links that land inside the book.

Each piece was laid out by WeasyPrint on its own (a role's pages are those of its own PDF, laid
out once for it and every book it is in). Links between pieces were written as addresses under
:data:`BASE` (``https://handbook.invalid/#role-x``): here each becomes a link to the named
destination of the book that holds it, or is dropped when the book does not hold its target
(the words stay, as on paper).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .fonts import CSS_FAMILY
from .stamp import CHUNK

if TYPE_CHECKING:
    import pikepdf

#: Where a link between pieces points until the book resolves it (``.invalid`` is never a real host).
BASE = "https://handbook.invalid/"
#: Part of a book's cache key: bumped when the way pieces are put together changes the file.
RECIPE = "shared-faces-2"
#: The PostScript name WeasyPrint gives each of our faces (its font description, spaces as hyphens).
_FACE_NAMES = {"Handbook-Sans": "regular", "Handbook-Sans-Bold": "bold"}


@dataclass(frozen=True)
class Piece:
    """One laid-out part of a book, in the book's order."""

    path: Path
    title: str
    """Its entry in the book's outline (the contents' own is its heading)."""
    level: int
    """1: a unit, an appendix or the contents (top of the outline); 2: a role or chapter under its unit."""


def _dest_pages(pdf: pikepdf.Pdf) -> dict[str, tuple[int, Any]]:
    """A piece's named destinations: name → (page index, the rest of its destination array)."""
    import pikepdf

    index = {page.obj.objgen: i for i, page in enumerate(pdf.pages)}
    found: dict[str, tuple[int, Any]] = {}
    names = pdf.Root.get("/Names")
    if names is not None and "/Dests" in names:
        for name, dest in pikepdf.NameTree(names.Dests).items():
            dest = dest.D if isinstance(dest, pikepdf.Dictionary) else dest
            if isinstance(dest, pikepdf.Array) and len(dest) and dest[0].objgen in index:
                found[str(name)] = (index[dest[0].objgen], list(dest[1:]))
    return found


def _outline_items(first: Any, pages: dict[tuple[int, int], int], start: int) -> list[tuple[str, int, list[Any]]]:
    """``(title, book page index, children)`` of a piece's outline items from ``first`` on (destinations as page
    arrays), read from the dictionaries themselves: pikepdf's outline model cost a sixth of a book's assembly,
    half of it writing back the outline it had only been asked to read."""
    import pikepdf

    out: list[tuple[str, int, list[Any]]] = []
    item, seen = first, set()
    while isinstance(item, pikepdf.Dictionary) and item.objgen not in seen:
        seen.add(item.objgen)  # a broken /Next chain must not loop
        dest = item.get("/Dest")
        if dest is None and isinstance(item.get("/A"), pikepdf.Dictionary):
            dest = item.A.get("/D")
        if isinstance(dest, pikepdf.Array) and len(dest) and dest[0].objgen in pages:
            children = _outline_items(item.get("/First"), pages, start)
            out.append((str(item.get("/Title", "")), start + pages[dest[0].objgen], children))
        item = item.get("/Next")
    return out


def _write_outline(book: pikepdf.Pdf, items: list[tuple[str, int, list[Any]]]) -> None:
    """The book's outline, written as plain dictionaries (pikepdf's outline helper looks each page up
    again per item: 8 s for the 26,000 entries of a 1,000-role book). Entries start closed."""
    import pikepdf

    pages = [page.obj for page in book.pages]

    def level(entries: list[tuple[str, int, list[Any]]], parent: Any) -> list[Any]:
        nodes = [book.make_indirect(pikepdf.Dictionary(
            Title=pikepdf.String(title), Parent=parent,
            Dest=pikepdf.Array([pages[page], pikepdf.Name.XYZ, None, None, None]),
        )) for title, page, _ in entries]
        for i, (node, (_, _, children)) in enumerate(zip(nodes, entries, strict=True)):
            if i:
                node.Prev = nodes[i - 1]
            if i + 1 < len(nodes):
                node.Next = nodes[i + 1]
            if children:
                kids = level(children, node)
                node.First, node.Last, node.Count = kids[0], kids[-1], -len(kids)
        return nodes

    root = book.make_indirect(pikepdf.Dictionary(Type=pikepdf.Name.Outlines))
    top = level(items, root)
    if top:
        root.First, root.Last, root.Count = top[0], top[-1], len(top)
    book.Root.Outlines = root


def _links(pdf: pikepdf.Pdf, dests: dict[str, Any]) -> None:
    """Each link written under :data:`BASE` to the named destination it means, or gone when the book lacks it."""
    import pikepdf

    for page in pdf.pages:
        annots = page.obj.get("/Annots")
        if not annots:
            continue
        kept = pikepdf.Array()
        for annot in annots:
            action = annot.get("/A")
            uri = str(action.get("/URI", "")) if annot.get("/Subtype") == "/Link" and action is not None else ""
            if not uri.startswith(BASE):
                kept.append(annot)
                continue
            anchor = uri.partition("#")[2]
            if anchor in dests:
                del annot["/A"]
                annot.Dest = pikepdf.String(anchor)
                kept.append(annot)
        page.obj.Annots = kept


def _share_faces(book: pikepdf.Pdf, faces: Mapping[str, Path]) -> int:
    """One copy of each face for the whole book in place of each piece's own subset of it, where that
    is smaller (a book of a few roles keeps their subsets); returns how many font descriptors now share
    one. Safe because WeasyPrint subsets with retained glyph ids: a piece's subset holds its glyphs
    under the ids of the build's face (``fonts.prepare``), so that face draws every piece's text alike.
    Without this the sample's whole book carried 190 subsets: 6.0 MB, 1.5 MB with them shared."""
    import zlib

    import pikepdf

    found: dict[str, list[pikepdf.Dictionary]] = {}
    for obj in book.objects:
        if not isinstance(obj, pikepdf.Dictionary) or obj.get("/Type") != "/FontDescriptor":
            continue
        weight = _FACE_NAMES.get(str(obj.get("/FontName", "")).partition("+")[2], "")
        if weight in faces and str(obj.get("/FontFamily", "")) == CSS_FAMILY and "/FontFile3" in obj:
            found.setdefault(weight, []).append(obj)
    count = 0
    for weight, descriptors in found.items():
        subsets = {d.FontFile3.objgen: len(d.FontFile3.read_raw_bytes()) for d in descriptors}
        data = faces[weight].read_bytes()
        packed = zlib.compress(data, 9)
        if len(packed) >= sum(subsets.values()):
            continue
        stream = pikepdf.Stream(book, packed)
        stream.Filter = pikepdf.Name.FlateDecode
        stream.Subtype = pikepdf.Name.OpenType
        shared = book.make_indirect(stream)
        for descriptor in descriptors:
            descriptor.FontFile3 = shared
        count += len(descriptors)
    return count


def assemble(pieces: Sequence[Piece], folios: Sequence[Path], out: Path, *, title: str, author: str,
             faces: Mapping[str, Path] | None = None) -> int:
    """Write the book of ``pieces`` to ``out``, page ``n`` stamped with page ``n`` of the ``folios``
    (chunks of :data:`stamp.CHUNK` pages); returns its page count. pikepdf (qpdf) copies the pages:
    pypdf took 30 s of pure Python for a 4,000-page book. With ``faces`` (weight → the build's font
    file), every piece's subset of a face gives way to one copy of it (:func:`_share_faces`)."""
    import pikepdf

    book = pikepdf.Pdf.new()
    opened = []
    dests: dict[str, Any] = {}
    outline: list[tuple[str, int, list[Any]]] = []
    for piece in pieces:
        pdf = pikepdf.Pdf.open(piece.path)
        opened.append(pdf)
        start = len(book.pages)
        for name, (index, rest) in _dest_pages(pdf).items():
            dests[name] = (start + index, rest)
        pages = {page.obj.objgen: i for i, page in enumerate(pdf.pages)}
        outlines = pdf.Root.get("/Outlines")
        own = _outline_items(outlines.get("/First"), pages, start) if outlines is not None else []
        book.pages.extend(pdf.pages)
        # A piece's outline is its heading with its sections below: the book keeps the sections under
        # the piece's own entry (a role under its unit, a unit's chapter likewise).
        entry = (piece.title, start, own[0][2] if own else [])
        if piece.level == 2 and outline:
            outline[-1][2].append(entry)
        else:
            outline.append(entry)
    stamps = [pikepdf.Pdf.open(path) for path in folios]
    if len(book.pages) > CHUNK * len(stamps):
        raise ValueError(f"{out.name}: {len(book.pages)} pages, page numbers for {CHUNK * len(stamps)}")
    for index, page in enumerate(book.pages):
        page.add_overlay(stamps[index // CHUNK].pages[index % CHUNK], pikepdf.Rectangle(page.mediabox))
    _links(book, dests)
    if faces:
        _share_faces(book, faces)
    tree = pikepdf.NameTree.new(book)
    for name, (index, rest) in dests.items():
        tree[name] = pikepdf.Array([book.pages[index].obj, *rest])
    book.Root.Names = pikepdf.Dictionary(Dests=tree.obj)
    _write_outline(book, outline)
    book.docinfo["/Title"] = title
    book.docinfo["/Author"] = author
    book.docinfo["/Creator"] = "handbook"
    tmp = out.with_name(out.name + ".tmp")
    # Object streams pack the thousands of small dictionaries (a sixth off a unit's book).
    book.save(tmp, object_stream_mode=pikepdf.ObjectStreamMode.generate)
    tmp.replace(out)
    return len(book.pages)


def finish(raw: Path, stamps: Path, out: Path) -> int:
    """A document's own PDF: its laid-out pages (``raw``) with page ``n`` of ``stamps`` printed on page ``n``;
    its metadata (the role, version and content hash ``handbook verify`` reads) kept as it was."""
    import pikepdf

    with pikepdf.Pdf.open(raw) as pdf, pikepdf.Pdf.open(stamps) as over:
        for page, number in zip(pdf.pages, over.pages, strict=True):
            page.add_overlay(number, pikepdf.Rectangle(page.mediabox))
        tmp = out.with_name(out.name + ".tmp")
        pdf.save(tmp)
    tmp.replace(out)
    return len(pdf.pages)
