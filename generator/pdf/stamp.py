"""Page numbers printed onto finished pages (a stamp), so one laid-out page serves every document it is in.

A role's pages are laid out once by WeasyPrint with the page-number box of the footer left
empty. Its own PDF gets ``第 n 页 / 共 N 页`` stamped on; a book that holds it gets the book's
``第 n 页`` instead. The stamps are themselves WeasyPrint pages (the same stylesheet, the same
face, the footer box in the same place, everything else empty), laid out once per set of
texts and cached, then laid over each page with pikepdf.
"""

from __future__ import annotations

from collections.abc import Sequence

from markupsafe import escape

#: The CSS value the print stylesheet's page-number box shows: the stamp's text (empty elsewhere).
FOLIO = "string(folio)"
#: How many pages one stamp document of a book's page numbers holds (cached each on its own, so a
#: book grown by a page lays out one more chunk at most, not every number again).
CHUNK = 400

#: Every running box but the page number's drawn empty, without its rule: the page below has them.
#: The rule's 0.6 pt go to the padding, so the number stands where the page's own box puts it.
_ONLY_THE_NUMBER = """
@page {
  @top-left { content: none; border: none; }
  @top-center { content: none; border: none; }
  @top-right { content: none; border: none; }
  @bottom-left { content: " "; border-top: none; padding-top: 7.6866pt; }
  @bottom-right { border-top: none; padding-top: 7.6866pt; }
}
@page toc {
  @top-right { content: none; border: none; }
  @bottom-left { content: " "; border-top: none; padding-top: 7.6866pt; }
}
html, body { margin: 0; }
p.folio { string-set: folio content(); visibility: hidden; margin: 0; height: 1px; break-after: page; }
"""


def stamp_css(print_css: str) -> str:
    """The stylesheet of stamp pages: the print stylesheet (whose page-number box shows :data:`FOLIO`)
    with every other running box blanked, so the number lands where the page's own would."""
    return print_css + _ONLY_THE_NUMBER


def stamp_html(texts: Sequence[str], lang: str) -> str:
    """A document of one page per text, each page showing only that text in the page-number box."""
    pages = "".join(f'<p class="folio">{escape(text)}</p>' for text in texts)
    return f'<!DOCTYPE html><html lang="{escape(lang)}"><head><meta charset="utf-8"></head><body>{pages}</body></html>'


def page_of_texts(template: str, total: int) -> list[str]:
    """``第 1 页 / 共 N 页`` … ``第 N 页 / 共 N 页`` for a document of ``total`` pages."""
    return [template.format(page=n, pages=total) for n in range(1, total + 1)]


def folio_texts(template: str, chunk: int) -> list[str]:
    """The book page numbers of chunk ``chunk`` (``第 1 页`` … for chunk 0)."""
    return [template.format(page=n) for n in range(chunk * CHUNK + 1, (chunk + 1) * CHUNK + 1)]

