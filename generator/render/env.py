"""The one place Jinja environments are made, per output, and the locale labels templates read."""

from __future__ import annotations

import functools
import re
from pathlib import Path
from typing import Any, Literal

import jinja2
from markupsafe import Markup

from ..i18n import Locale
from ..model.fingerprint import content_hash
from .collation import process_key

TEMPLATES_DIR = Path(__file__).parent / "templates"

Output = Literal["markdown", "html"]
"""What a template writes: Markdown pages for the site, or print HTML for WeasyPrint."""


@functools.cache
def make_env(output: Output = "markdown", templates: Path = TEMPLATES_DIR) -> jinja2.Environment:
    """The Jinja environment for one output and template folder, made once per process.

    Markdown: autoescape everywhere, so a value that skips the Markdown filters (see
    :mod:`markup`) is still HTML-escaped. Print HTML: ``*.html.j2`` is HTML-escaped and the
    stylesheet is not (it is CSS, quoted by ``css_string``). Either way no YAML text reaches
    a page raw.
    """
    autoescape: bool | Any = (
        True
        if output == "markdown"
        else jinja2.select_autoescape(enabled_extensions=("html.j2",), default_for_string=True)
    )
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(templates),
        autoescape=autoescape,
        trim_blocks=True,
        lstrip_blocks=True,
        # Generated Markdown files end in a newline like hand-written ones; print HTML need not.
        keep_trailing_newline=output == "markdown",
        undefined=jinja2.StrictUndefined,
        # Markdown heading ids are written "{#id}", which is Jinja's comment syntax by default.
        comment_start_string="{##",
        comment_end_string="##}",
    )
    # Targets, times and dates that must not wrap mid-value ("分钟/↵日", "2024-↵01-01").
    env.filters["nobr"] = lambda text: Markup('<span class="handbook-nobr">{}</span>').format(text)
    # A target with seasons ("≥ 120 通/日；11–12 月（旺季）≥ 150 通/日") keeps each value whole
    # but may wrap between them, so a narrow column grows by one value, not by the whole line.
    env.filters["nobr_each"] = lambda text, sep: Markup(sep).join(
        Markup('<span class="handbook-nobr">{}</span>').format(part) for part in Markup(text).split(sep)
    )
    # In print's narrow target column even one season's line is too wide to keep whole: only the
    # values themselves (≥ 130 通/日) stay unbroken, and the line may wrap after its season's name.
    env.filters["nobr_values"] = _nobr_values
    # Processes in reading order (time of day, then how often, then pinyin), never by file id.
    # The content hash a release published (修订记录), for an entity kept with its revision.
    env.filters["content_hash"] = lambda entity: content_hash(entity) if entity is not None else ""
    env.filters["in_reading_order"] = lambda pids, hb: sorted(pids, key=lambda pid: process_key(hb.processes[pid]))
    env.tests["match_months"] = lambda value: bool(re.fullmatch(r"[0-9]+(?:\s*[-–~]\s*[0-9]+)?", str(value)))
    return env


class Labels:
    """Locale labels as attributes (``L.duties``) for templates; a missing one fails the build."""

    def __init__(self, locale: Locale) -> None:
        self._locale = locale
        # Plain attributes, so ``L.colon`` (70,000 lookups in a 1,000-role build) skips __getattr__.
        self.__dict__.update({key: locale.label(key) for key in locale.labels if key.isidentifier()})

    @property
    def locale_lang(self) -> str:
        """The locale's language code (zh, zh-Hant, en)."""
        return self._locale.lang

    def __getattr__(self, key: str) -> str:
        if key not in self._locale.labels:
            raise AttributeError(key)  # StrictUndefined then fails the render, naming the key
        return self._locale.label(key)

    def __call__(self, key: str, **args: Any) -> str:
        return self._locale.label(key).format(**args)


def _nobr_values(text: Markup, values: tuple[str, ...]) -> Markup:
    """``text`` (escaped) with each of ``values`` in it wrapped in a no-break span, left to right."""
    out, rest = Markup(""), Markup(text)
    for value in values:
        escaped = Markup.escape(value)
        head, found, tail = rest.partition(escaped)
        if not found:
            continue
        out += head + Markup('<span class="handbook-nobr">{}</span>').format(value)
        rest = Markup(tail)
    return out + rest
