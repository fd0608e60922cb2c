"""The search scripts the site serves (``assets/search/``): ours, and the vendored MiniSearch.

`handbook generate` copies them into the generated docs, so any build of them, plain `mkdocs
build` included, serves them; the index they read is written after the build (searchindex.py).
"""

from __future__ import annotations

from pathlib import Path

from . import vendor

#: Where the scripts live in the package, and where they go in the docs (and so in the site).
SOURCE = Path(__file__).with_name("searchjs")
TARGET = "assets/search"
#: Our scripts; the page loads ui.js (mkdocs.yml's extra_javascript), which starts worker.js.
OWN = ("ui.js", "worker.js", "core.js")


def files() -> dict[str, bytes]:
    """Docs-relative path → bytes of every search script (without the library while it is missing)."""
    out = {f"{TARGET}/{name}": (SOURCE / name).read_bytes() for name in OWN}
    if not vendor.missing():
        for path in sorted(vendor.HOME.iterdir()):
            out[f"{TARGET}/vendor/{path.name}"] = path.read_bytes()
    return out
