"""How many printed pages each role's job description has before its appendix, read back from the built files."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from ..render.views import pdf_name


def page_counts(folder: Path, role_ids: Iterable[str]) -> dict[str, int]:
    """Role id → printed pages of ``folder/<role>.pdf`` up to the signatures (roles without a PDF there
    are left out): the onboarding checklist after them is an appendix, not the description's length.
    """
    from pypdf import PdfReader

    out = {}
    for rid in role_ids:
        path = folder / pdf_name(rid)
        if path.is_file():
            reader = PdfReader(path)
            # _role.html.j2 gives the appendix this id; WeasyPrint makes every id a named destination
            appendix = reader.named_destinations.get(f"appendix-{rid}")
            page = reader.get_destination_page_number(appendix) if appendix else None
            out[rid] = page if page is not None else len(reader.pages)
    return out
