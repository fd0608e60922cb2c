"""How many printed pages each role's job-description PDF has, read back from the built files."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from ..render.views import pdf_name


def page_counts(folder: Path, role_ids: Iterable[str]) -> dict[str, int]:
    """Role id → pages of ``folder/<role>.pdf`` (roles without a PDF there are left out)."""
    from pypdf import PdfReader

    out = {}
    for rid in role_ids:
        path = folder / pdf_name(rid)
        if path.is_file():
            out[rid] = len(PdfReader(path).pages)
    return out
