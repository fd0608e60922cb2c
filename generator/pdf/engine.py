"""WeasyPrint set up once per build: our fonts and stylesheets, and a URL fetcher that loads nothing
but our own templates, font files and inlined logos."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import fonts, svgtext

if TYPE_CHECKING:
    from weasyprint import Document
    from weasyprint.text.fonts import FontConfiguration

TEMPLATES = Path(__file__).parent / "templates"
#: The logo files a company may give, by suffix (the model's pattern allows only these).
LOGO_TYPES = {".svg": "image/svg+xml", ".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg"}
#: The only ``data:`` URLs the PDF may load: the logos :meth:`PdfRenderer.logo_of` writes.
_LOGO_URIS = tuple(f"data:{kind};base64," for kind in LOGO_TYPES.values())


def _local_fetcher(allowed: Sequence[Path]) -> Any:
    """A WeasyPrint URL fetcher for our own templates and font files only.

    YAML text is escaped before it reaches the PDF's HTML, so nothing else should ever be
    asked for; if it is, it is refused, never fetched from the network or read from disk.
    """
    from urllib.parse import unquote, urlsplit

    from weasyprint.urls import URLFetcher

    roots = [path.resolve() for path in allowed]

    class LocalFetcher(URLFetcher):  # type: ignore[misc]  # WeasyPrint ships no type hints
        def fetch(self, url: str, headers: Any = None) -> Any:
            parts = urlsplit(url)
            if parts.scheme == "data" and url.startswith(_LOGO_URIS):  # the company logo, inlined by logo_of
                return super().fetch(url, headers)
            path = Path(unquote(parts.path)).resolve() if parts.scheme == "file" else None
            if path is None or not any(path == root or path.is_relative_to(root) for root in roots):
                raise ValueError(f"the PDF may not load {url[:80]!r}")
            return super().fetch(url, headers)

    return LocalFetcher(allowed_protocols=("file", "data"))


class Engine:
    """WeasyPrint with the subset faces, set up once and shared by every document of a build."""

    def __init__(self, fontset: fonts.FontSet, css: str) -> None:
        from weasyprint import CSS
        from weasyprint.text.fonts import FontConfiguration

        svgtext.install()  # the charts' labels drawn a line at a time, not a letter at a time
        self.font_config: FontConfiguration = FontConfiguration()
        self.fetcher = _local_fetcher([TEMPLATES, *fontset.files.values()])
        self.stylesheets = [
            CSS(string=fontset.css(), font_config=self.font_config, url_fetcher=self.fetcher),
            CSS(string=css, font_config=self.font_config, url_fetcher=self.fetcher),
        ]

    def render(self, source: str) -> Document:
        from weasyprint import HTML

        return HTML(string=source, base_url=str(TEMPLATES), url_fetcher=self.fetcher).render(
            stylesheets=self.stylesheets, font_config=self.font_config
        )

    @staticmethod
    def write(document: Document, path: Path) -> None:
        tmp = path.with_name(path.name + ".tmp")
        document.write_pdf(tmp)
        tmp.replace(path)
