"""What a job-description PDF says about itself: the role, version and content hash its metadata
(Keywords) carries, or failing that the hash printed in its footer, read from its text."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..model.fingerprint import PATTERN

_KEYWORD = re.compile(r"handbook-(role|hash|version):([^,\s]+)")


@dataclass(frozen=True)
class Printed:
    """What one PDF names: each empty where it could not be read."""

    hashes: tuple[str, ...]
    """Content hashes found (the metadata's, else every one in the text, first page first)."""
    role: str = ""
    version: str = ""
    from_text: bool = False
    """True when read from the page text (the metadata was gone, as after a print-to-PDF)."""


def read_pdf(path: Path, labels: tuple[str, ...]) -> Printed | None:
    """The hashes ``path`` carries, or None when it is no readable PDF. ``labels`` are the words the
    footer puts before a hash (内容指纹, Content hash …): in text, a hash counts only after one of them."""
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(path)
        meta: Any = reader.metadata or {}
        keywords = str(meta.get("/Keywords") or "")
        found = {m.group(1): m.group(2) for m in _KEYWORD.finditer(keywords)}
        if found.get("hash"):
            return Printed((found["hash"],), found.get("role", ""), found.get("version", ""))
        text = "\n".join(page.extract_text() or "" for page in reader.pages)
    except (PdfReadError, OSError, ValueError):
        return None
    hashes: list[str] = []
    for label in labels:
        for m in re.finditer(re.escape(label) + r"\s*[:：]?\s*", text):
            h = PATTERN.match(text, m.end())
            if h and h.group() not in hashes:
                hashes.append(h.group())
    return Printed(tuple(hashes), from_text=True)
