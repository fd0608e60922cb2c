"""A book put together from PDFs already laid out: its contents, then its units', roles' and chapters' own
PDFs page for page, numbered on by stamps, with one outline and links that land inside the book.

Each piece was laid out by WeasyPrint on its own (a role's pages are those of its own PDF, laid
out once for it and every book it is in). Links between pieces were written as addresses under
:data:`BASE` (``https://handbook.invalid/#role-x``): here each becomes a link to the named
destination of the book that holds it, or is dropped when the book does not hold its target
(the words stay, as on paper).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .stamp import CHUNK, stamp

if TYPE_CHECKING:
    from pypdf import PdfReader, PdfWriter

#: Where a link between pieces points until the book resolves it (``.invalid`` is never a real host).
BASE = "https://handbook.invalid/"


@dataclass(frozen=True)
class Piece:
    """One laid-out part of a book, in the book's order."""

    path: Path
    title: str
    """Its entry in the book's outline (the contents' own is its heading)."""
    level: int
    """1: a unit, an appendix or the contents (top of the outline); 2: a role or chapter under its unit."""


def _outline_items(reader: PdfReader, items: list[Any], start: int) -> list[tuple[str, int, list[Any]]]:
    """``(title, book page index, children)`` of a piece's outline items."""
    out: list[tuple[str, int, list[Any]]] = []
    for item in items:
        if isinstance(item, list):
            if out:
                out[-1][2].extend(_outline_items(reader, item, start))
            continue
        page = reader.get_destination_page_number(item)
        if page is not None:
            out.append((str(item.title), start + page, []))
    return out


def _add_outline(writer: PdfWriter, items: list[tuple[str, int, list[Any]]], parent: Any) -> None:
    for title, page, children in items:
        node = writer.add_outline_item(title=title, page_number=page, parent=parent, is_open=False)
        _add_outline(writer, children, node)


def _name_tree(writer: PdfWriter, dests: dict[str, tuple[int, float | None]]) -> None:
    """The book's named destinations, one sorted array (pypdf's own adder sorts by insertion: slow at thousands)."""
    from pypdf.generic import ArrayObject, DictionaryObject, FloatObject, NameObject, NullObject, TextStringObject

    names = ArrayObject()
    for name in sorted(dests):
        index, top = dests[name]
        page = writer.pages[index].indirect_reference
        names.append(TextStringObject(name))
        names.append(ArrayObject([page, NameObject("/XYZ"), NullObject(),
                                  FloatObject(top) if top is not None else NullObject(), NullObject()]))
    tree = DictionaryObject({NameObject("/Names"): names})
    # pypdf has no public setter for a whole name tree.
    writer._root_object[NameObject("/Names")] = DictionaryObject({NameObject("/Dests"): writer._add_object(tree)})


def _links(writer: PdfWriter, dests: dict[str, tuple[int, float | None]]) -> None:
    """Each link written under :data:`BASE` to the named destination it means, or gone when the book lacks it."""
    from pypdf.generic import ArrayObject, NameObject, TextStringObject

    for page in writer.pages:
        annots = page.get("/Annots")
        if not annots:
            continue
        kept = ArrayObject()
        for ref in annots:
            annot = ref.get_object()
            uri = str(annot.get("/A", {}).get("/URI", "")) if annot.get("/Subtype") == "/Link" else ""
            if not uri.startswith(BASE):
                kept.append(ref)
                continue
            anchor = uri.partition("#")[2]
            if anchor in dests:
                del annot[NameObject("/A")]
                annot[NameObject("/Dest")] = TextStringObject(anchor)
                kept.append(ref)
        page[NameObject("/Annots")] = kept


def assemble(pieces: Sequence[Piece], folios: Sequence[Path], out: Path, *, title: str, author: str) -> int:
    """Write the book of ``pieces`` to ``out``, page ``n`` stamped with page ``n`` of the ``folios``
    (chunks of :data:`stamp.CHUNK` pages); returns its page count."""
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    dests: dict[str, tuple[int, float | None]] = {}
    outline: list[tuple[str, int, list[Any]]] = []
    for piece in pieces:
        reader = PdfReader(piece.path)
        start = len(writer.pages)
        for page in reader.pages:
            writer.add_page(page)
        for name, dest in reader.named_destinations.items():
            index = reader.get_destination_page_number(dest)
            if index is not None:
                top = dest.get("/Top")
                dests[str(name)] = (start + index, float(top) if top is not None else None)
        own = _outline_items(reader, list(reader.outline), start)
        # A piece's outline is its heading with its sections below: the book keeps the sections under
        # the piece's own entry (a role under its unit, a unit's chapter likewise).
        children = own[0][2] if own else []
        entry = (piece.title, start, children)
        if piece.level == 2 and outline:
            outline[-1][2].append(entry)
        else:
            outline.append(entry)
    readers = [PdfReader(path) for path in folios]
    if len(writer.pages) > CHUNK * len(readers):
        raise ValueError(f"{out.name}: {len(writer.pages)} pages, page numbers for {CHUNK * len(readers)}")
    for index, page in enumerate(writer.pages):
        stamp(page, readers[index // CHUNK].pages[index % CHUNK])
    _links(writer, dests)
    _name_tree(writer, dests)
    _add_outline(writer, outline, None)
    writer.add_metadata({"/Title": title, "/Author": author, "/Creator": "handbook"})
    tmp = out.with_name(out.name + ".tmp")
    with tmp.open("wb") as fh:
        writer.write(fh)
    tmp.replace(out)
    return len(writer.pages)


def finish(raw: Path, stamps: Path, out: Path) -> int:
    """A document's own PDF: its laid-out pages (``raw``) with page ``n`` of ``stamps`` printed on page ``n``;
    its metadata (the role, version and content hash ``handbook verify`` reads) kept as it was."""
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=raw)
    over = PdfReader(stamps)
    for page, number in zip(writer.pages, over.pages, strict=True):
        stamp(page, number)
    tmp = out.with_name(out.name + ".tmp")
    with tmp.open("wb") as fh:
        writer.write(fh)
    tmp.replace(out)
    return len(writer.pages)
