"""The search scripts the site serves (``assets/search/``).

`handbook generate` copies them into the generated docs, so any build of them, plain `mkdocs
build` included, serves them; the index they read is written after the build (searchindex.py).
"""

from __future__ import annotations

from pathlib import Path

#: Where the scripts live in the package, and where they go in the docs (and so in the site).
SOURCE = Path(__file__).with_name("searchjs")
TARGET = "assets/search"
#: Our scripts; the page loads ui.js (mkdocs.yml's extra_javascript), which starts worker.js.
OWN = ("ui.js", "worker.js", "core.js")


def ascii_js(text: str) -> str:
    """``text`` with every character outside ASCII written as a ``\\uXXXX`` escape: the same program
    (JavaScript reads the escape alike in strings, regular expressions and names; in a comment it is
    only text), so a site in English serves no Chinese character, not even in the search code's comments."""
    return "".join(c if c.isascii() else "".join(f"\\u{u:04x}" for u in _utf16(c)) for c in text)


def _utf16(char: str) -> list[int]:
    data = char.encode("utf-16-be")
    return [int.from_bytes(data[i:i + 2], "big") for i in range(0, len(data), 2)]


def files() -> dict[str, bytes]:
    """Docs-relative path → bytes of every search script."""
    return {f"{TARGET}/{name}": ascii_js((SOURCE / name).read_text(encoding="utf-8")).encode() for name in OWN}
