"""Make YAML text safe Markdown: HTML-escaped, Markdown-escaped, references turned into links."""

from __future__ import annotations

import html
import posixpath
import re
from collections.abc import Callable

from markupsafe import Markup

from .refs import Ref, split_text

#: Characters Python-Markdown (with the tables extension) lets us backslash-escape.
_MD_ESCAPABLE = re.compile(r"([\\`*_{}\[\]()#+\-.!|])")

LinkResolver = Callable[[Ref], tuple[str, str] | None]
"""Maps a reference to ``(target .md path with optional #anchor, default label)``."""


def escape_plain(text: str) -> str:
    """Escape ``text`` so Markdown renders it literally and no HTML survives."""
    escaped = html.escape(text, quote=True)
    return _MD_ESCAPABLE.sub(r"\\\1", escaped)


def relative(target: str, page: str) -> str:
    """Link from the Markdown file ``page`` to ``target`` (both relative to docs_dir)."""
    path, _, anchor = target.partition("#")
    rel = posixpath.relpath(path, posixpath.dirname(page) or ".")
    return f"{rel}#{anchor}" if anchor else rel


def render_text(text: str | None, page: str, resolve: LinkResolver, *, block: bool = False) -> Markup:
    """Free text → Markdown; ``block`` keeps line breaks as paragraphs, otherwise one line."""
    if not text:
        return Markup("")
    parts: list[str] = []
    for piece in split_text(text):
        if isinstance(piece, Ref):
            found = resolve(piece)
            if found is None:
                # Validation reports unresolved references; rendering just shows the text.
                parts.append(escape_plain(piece.label or f"{piece.kind}:{piece.id}"))
                continue
            target, default_label = found
            label = escape_plain(piece.label or default_label)
            parts.append(f"[{label}]({relative(target, page)})")
        else:
            parts.append(escape_plain(piece))
    out = "".join(parts).strip()
    if block:
        lines = [line.strip() for line in out.splitlines() if line.strip()]
        out = "\n\n".join(lines)
    else:
        out = " ".join(line.strip() for line in out.splitlines() if line.strip())
    return Markup(out)
