"""Table geometry read back from a PDF (pdfplumber): each word of a table stays inside its cell, so no
two cells' text boxes overlap and no text overprints the next column."""

from __future__ import annotations

from pathlib import Path

SLACK = 0.6
"""Points: a glyph's side bearing may touch the cell's rule."""


def overprinted(path: Path) -> tuple[int, list[str]]:
    """``(words measured, words that cross out of their cell)`` of every table on every page of ``path``.

    A word belongs to the cell its first character starts in; it must end inside that cell (a long
    target that runs on into the weight column does not), and it must not overlap another word."""
    import pdfplumber

    checked = 0
    found: list[str] = []
    with pdfplumber.open(path) as pdf:
        for number, page in enumerate(pdf.pages, 1):
            cells = [cell for table in page.find_tables() for row in table.rows for cell in row.cells if cell]
            if not cells:
                continue
            words = page.extract_words(keep_blank_chars=False, use_text_flow=True)
            placed: list[tuple[float, float, float, float, str]] = []
            for word in words:
                x0, x1, top, bottom = word["x0"], word["x1"], word["top"], word["bottom"]
                middle = (top + bottom) / 2
                cell = next((c for c in cells if c[0] - SLACK <= x0 < c[2] and c[1] <= middle <= c[3]), None)
                if cell is None:
                    continue
                checked += 1
                where = f"{path.stem} p{number} {word['text']!r}"
                if x1 > cell[2] + SLACK:
                    found.append(f"{where} ends at x {x1:.1f}, past its cell's right edge {cell[2]:.1f}")
                for other in placed:
                    if x0 < other[1] - SLACK and other[0] < x1 - SLACK and top < other[3] - SLACK and other[2] < bottom - SLACK:
                        found.append(f"{where} overlaps {other[4]!r}")
                placed.append((x0, x1, top, bottom, word["text"]))
    return checked, found
