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


def files() -> dict[str, bytes]:
    """Docs-relative path → bytes of every search script."""
    return {f"{TARGET}/{name}": (SOURCE / name).read_bytes() for name in OWN}
