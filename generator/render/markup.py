"""Make YAML text safe Markdown: HTML-escaped, Markdown-escaped, references turned into links."""

from __future__ import annotations

import functools
import html
import posixpath
import re
from collections.abc import Callable

from markupsafe import Markup

from ..model.refs import Ref, split_text

#: Characters Python-Markdown (with the tables extension) lets us backslash-escape.
_MD_ESCAPABLE = re.compile(r"([\\`*_{}\[\]()#+\-.!|])")

LinkResolver = Callable[[Ref], tuple[str, str] | None]
"""Maps a reference to ``(target .md path with optional #anchor, default label)``."""


class Abbreviations:
    """Wraps known abbreviations (TSR, KPI …) in ``<abbr title>`` so readers see their meaning on hover."""

    def __init__(self, titles: dict[str, str]) -> None:
        self.titles = titles
        words = sorted((w for w in titles if w), key=len, reverse=True)
        # ASCII boundaries only: in Chinese text an abbreviation is glued to the words around it.
        self.pattern = (
            re.compile(r"(?<![A-Za-z0-9])(" + "|".join(re.escape(w) for w in words) + r")(?![A-Za-z0-9])")
            if words
            else None
        )

    def escape(self, text: str) -> str:
        """``escape_plain`` with abbreviations marked up."""
        if self.pattern is None:
            return escape_plain(text)
        out, last = [], 0
        for m in self.pattern.finditer(text):
            out.append(escape_plain(text[last : m.start()]))
            title = html.escape(self.titles[m[1]], quote=True)
            out.append(f'<abbr title="{title}">{escape_plain(m[1])}</abbr>')
            last = m.end()
        out.append(escape_plain(text[last:]))
        return "".join(out)


NO_ABBREVIATIONS = Abbreviations({})


def _escape_char(ch: str) -> str:
    return _MD_ESCAPABLE.sub(r"\\\1", html.escape(ch, quote=True))


#: HTML-escape, then backslash-escape Markdown, as one table: both work character by
#: character, so composing them per character gives the same text, in one C-level pass.
_PLAIN = str.maketrans({ch: _escape_char(ch) for ch in "&<>\"'\\`*_{}[]()#+-.!|"})


def escape_plain(text: str) -> str:
    """Escape ``text`` so Markdown renders it literally and no HTML survives."""
    return text.translate(_PLAIN)


@functools.lru_cache(maxsize=8192)
def _relative_dir(target_dir: str, from_dir: str) -> str:
    return posixpath.relpath(target_dir or ".", from_dir or ".")


def relative_path(path: str, from_dir: str) -> str:
    """``posixpath.relpath(path, from_dir)`` with the folder part cached: relpath calls getcwd
    and abspath, and a 1,000-role handbook links the same few folders 100,000 times."""
    folder, _, name = path.rpartition("/")
    if not name or name in (".", "..") or from_dir == path or from_dir.startswith(path + "/"):
        return posixpath.relpath(path or ".", from_dir or ".")
    up = _relative_dir(folder, from_dir)
    return name if up == "." else f"{up}/{name}"


def relative(target: str, page: str) -> str:
    """Link from the Markdown file ``page`` to ``target`` (both relative to docs_dir)."""
    path, _, anchor = target.partition("#")
    rel = relative_path(path, posixpath.dirname(page))
    return f"{rel}#{anchor}" if anchor else rel


def render_text(
    text: str | None,
    page: str,
    resolve: LinkResolver,
    *,
    block: bool = False,
    abbreviations: Abbreviations = NO_ABBREVIATIONS,
) -> Markup:
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
            parts.append(abbreviations.escape(piece))
    out = "".join(parts).strip()
    if block:
        lines = [line.strip() for line in out.splitlines() if line.strip()]
        out = "\n\n".join(lines)
    else:
        out = " ".join(line.strip() for line in out.splitlines() if line.strip())
    return Markup(out)
