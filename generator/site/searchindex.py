"""The search index as readers need it, for either engine: rewritten in the staging folder after the build.

Both engines index every page's text as it stands; what a reader types is often not in it:
an abbreviation (TSR) or a glossary synonym (早会 for 晨会), the Traditional spelling of a
Simplified title (續保專員) or the reverse, or the kind of page (早会流程). Each entity's own
entry gets those words appended to its text, so the engines' own matching finds them, and
pages that help nobody searching (the change log, the live preview's problem page, the
editors' field guide) leave the index.
"""

from __future__ import annotations

import html
import json
from collections.abc import Iterable
from functools import cache
from pathlib import Path
from typing import Any

from ..editor import editguide
from ..i18n import Locale
from ..link.handbook import Handbook
from ..model import paths
from ..model.entities import Term
from ..model.registry import KINDS, display_name
from .engine import Engine

#: Where each engine writes its index inside the site.
INDEX_FILE: dict[Engine, str] = {"mkdocs": "search/search_index.json", "zensical": "search.json"}
#: The list of entries in each engine's index file.
_ENTRIES: dict[Engine, str] = {"mkdocs": "docs", "zensical": "items"}
#: Site-relative URL prefixes whose entries leave the index (change log, preview problems, editing guide).
UNLISTED = tuple(
    md.removesuffix("index.md").removesuffix(".md").rstrip("/") + "/"
    for md in (paths.CHANGES, editguide.PREVIEW_PAGE, editguide.PAGE)
)
#: Zero-width space: jieba's word boundary in Material's index, which a reader must never see or copy.
ZWSP = "\u200b"


@cache
def _converters() -> tuple[Any, Any]:
    import opencc

    return opencc.OpenCC("s2t"), opencc.OpenCC("t2s")


def script_variants(text: str) -> set[str]:
    """``text`` in Traditional and in Simplified Chinese (OpenCC), without ``text`` itself."""
    to_traditional, to_simplified = _converters()
    return {to_traditional.convert(text), to_simplified.convert(text)} - {text}


def _aliases(hb: Handbook) -> list[tuple[str, set[str]]]:
    """Each glossary word with the other words that mean the same (term, abbreviation, synonyms)."""
    groups: list[tuple[str, set[str]]] = []
    for term in hb.terms.values():
        words = {term.term, *term.synonyms}
        if term.abbreviation:
            words.add(term.abbreviation)
        groups += [(word, words - {word}) for word in words]
    return groups


def keywords(hb: Handbook, locale: Locale) -> dict[str, list[str]]:
    """Site-relative URL of each entity's entry → the words a reader may type for it that its page lacks."""
    groups = _aliases(hb)
    found: dict[str, list[str]] = {}
    for kind, entry in KINDS.items():
        label = locale.label(entry.label)
        for entity in hb.table(kind).values():
            name = display_name(entity)
            words = [label, *sorted(script_variants(name))]
            if isinstance(entity, Term):
                words += [a for a in [entity.abbreviation, *entity.synonyms] if a]
            words += sorted({w for word, same in groups if word in name for w in same})
            words += sorted({v for w in list(words) for v in script_variants(w)})
            found[paths.url(kind, entity.id)] = list(dict.fromkeys(w for w in words if w and w not in name))
    return found


def refine(site: Path, engine: Engine, hb: Handbook, locale: Locale) -> None:
    """Rewrite ``site``'s search index: unlisted pages out, readers' words in, no zero-width spaces shown."""
    index_path = site / INDEX_FILE[engine]
    if not index_path.is_file():
        return
    index = json.loads(index_path.read_text(encoding="utf-8"))
    words = keywords(hb, locale)
    groups = _aliases(hb)
    common = locale.label("search_question_words").split()
    names = _synonym_titles(hb, locale)
    terms = {paths.url("term", t) for t in hb.terms}
    entries = [e for e in index[_ENTRIES[engine]] if not e["location"].startswith(UNLISTED)]
    for entry in entries:
        title = entry["title"].replace(ZWSP, "")
        seen = title + entry["text"].replace(ZWSP, "")
        extra = list(words.get(entry["location"], []))
        extra += sorted({w for word, same in groups if word in seen for w in same if w not in seen})
        entry["text"] = _append(entry["text"], [*dict.fromkeys(extra), *common], engine)
        if entry["location"] in names:
            entry["title"] += names[entry["location"]]
        if engine == "zensical":
            entry["title"] = entry["title"].replace(ZWSP, "")
            if entry["location"] in terms:
                # Pages end their breadcrumb with their own title; a glossary entry now does too,
                # which also lets it match a search in as many fields as a page of that name.
                entry["path"] = [*entry.get("path", []), entry["title"]]
    index[_ENTRIES[engine]] = entries
    index_path.write_text(json.dumps(index, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")


def _synonym_titles(hb: Handbook, locale: Locale) -> dict[str, str]:
    """What a term's entry title gains: its synonyms in brackets (晨会（早会）), so searching one finds the term."""
    opening, closing = locale.label("paren_open"), locale.label("paren_close")
    return {
        paths.url("term", t.id): html.escape(f"{opening}{' '.join(t.synonyms)}{closing}", quote=False)
        for t in hb.terms.values()
        if t.synonyms
    }


def _append(text: str, words: Iterable[str], engine: Engine) -> str:
    # Both engines show the index text as HTML, and the words come from YAML: escaped, like the page.
    # Material's index keeps jieba's word boundaries as U+200B; the words join with one too.
    joined = (ZWSP if engine == "mkdocs" else " ").join(html.escape(w, quote=False) for w in words)
    return f"{text} <p>{joined}</p>" if text else f"<p>{joined}</p>"
