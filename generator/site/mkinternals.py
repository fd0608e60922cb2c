"""The MkDocs internals the live preview builds with: named in one place, checked before it starts.

MkDocs has no public call to build one page, nor to ask its server for a rebuild; the preview
(``livebuild.py``, ``serve.py``) uses these private names of the MkDocs releases it was tested
with, ``TESTED`` (``pyproject.toml`` pins the same range). ``check()`` runs before the server
starts: a MkDocs outside the range, or one that lacks a name, stops ``handbook serve`` with a
message saying which, instead of a traceback at the first save.
"""

from __future__ import annotations

import threading
from typing import Any

import mkdocs
from mkdocs.commands import build as _build

from ..errors import UserError

#: The MkDocs releases the preview was tested with: at least the first, below the second.
TESTED = ((1, 6), (1, 7))
#: Functions of ``mkdocs.commands.build`` that build one page, the theme's templates and the extra ones.
BUILD_NAMES = ("_populate_page", "_build_page", "_build_theme_template", "_build_extra_template")
#: What ``LiveReloadServer`` itself sets when its own watcher sees a change.
SERVER_NAMES = ("_rebuild_cond", "_want_rebuild")


def _version() -> tuple[int, ...]:
    return tuple(int(part) for part in mkdocs.__version__.split(".")[:2] if part.isdigit())


def check() -> None:
    """Refuse to start on a MkDocs the preview was not tested with, naming the version and the fix."""
    low, high = TESTED
    missing = [name for name in BUILD_NAMES if not callable(getattr(_build, name, None))]
    if not low <= _version() < high or missing:
        raise UserError(
            "serve_mkdocs_untested", version=mkdocs.__version__, low=".".join(map(str, low)),
            high=".".join(map(str, high)), missing=", ".join(missing) or "—",
        )


def check_server(server: Any) -> None:
    """The same for the server object: its rebuild flag and condition must be where the preview asks for them."""
    missing = [name for name in SERVER_NAMES if not hasattr(server, name)]
    if missing:
        low, high = TESTED
        raise UserError(
            "serve_mkdocs_untested", version=mkdocs.__version__, low=".".join(map(str, low)),
            high=".".join(map(str, high)), missing=", ".join(missing),
        )


def populate_page(page: Any, config: Any, files: Any) -> None:
    """Read one page's Markdown and render it to HTML (MkDocs' step before templating)."""
    _build._populate_page(page, config, files)


def build_page(page: Any, config: Any, doc_files: Any, nav: Any, env: Any, *, excluded: bool) -> None:
    """Write one page through the theme's template."""
    _build._build_page(page, config, doc_files, nav, env, excluded=excluded)


def build_theme_template(template: str, env: Any, files: Any, config: Any, nav: Any) -> None:
    """Write one of the theme's own templates (search index, sitemap, 404)."""
    _build._build_theme_template(template, env, files, config, nav)


def build_extra_template(template: str, files: Any, config: Any, nav: Any) -> None:
    """Write one of the config's extra templates."""
    _build._build_extra_template(template, files, config, nav)


def request_rebuild(server: Any) -> None:
    """What the server's own file watcher does on a change (it has no public call for it)."""
    condition: threading.Condition = server._rebuild_cond
    with condition:
        server._want_rebuild = True
        condition.notify_all()
