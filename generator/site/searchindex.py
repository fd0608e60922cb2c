"""The search index as readers need it, for either engine: rewritten in the staging folder after the build.

Both engines index every page's text as it stands; what a reader types is often not in it:
an abbreviation (TSR) or a glossary synonym (早会 for 晨会), the Traditional spelling of a
Simplified title (續保專員) or the reverse, or the kind of page (早会流程). Each entity's own
entry gets those words appended to its text, so the engines' own matching finds them, and
pages that help nobody searching (the change log, the live preview's problem page, the
editors' field guide) leave the index.

Zensical returns an entry only when every word of the query starts a word of the entry, and
ranks entries field by field (title, then breadcrumb, then text: how many query words sit
together, how close, how early), index order breaking ties. So, on Zensical only:

- the words added for search sit in a hidden span (``<span hidden>``): matched, never shown,
  so a snippet shows the page's own sentences;
- each entity's entry also holds every character of its title and every pair of characters
  one apart, so a title typed with a character missing (续保员 for 续保专员) still matches: the
  browser's word splitter cuts such a query into the title's words and single characters;
- every entry also holds each two-character dictionary word (jieba's) inside its title and
  text: the browser may keep 无故缺席 or 打电话 as one word, which 缺席 or 电话 does not start;
- each entity's breadcrumb and text begin with its title (hidden), and entity entries come
  first, shortest title first: a page whose title is the query then ties with longer titles
  in every field, and wins on order (销售部 before 销售部操作系统);
- a glossary entry with an abbreviation is titled abbreviation first (OSB（订货—发运—结算）);
- the locale's stop words (怎么, 几点 …) join the separator Zensical reads from its index, so
  they split the query like punctuation; Material's entries carry them instead.
"""

from __future__ import annotations

import html
import json
import re
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
    for md in (paths.CHANGES, paths.COMPLETENESS, editguide.PREVIEW_PAGE, editguide.PAGE)
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
                words += [a for a in [entity.abbreviation, *entity.synonyms, entity.other_script] if a]
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
    stop = locale.label("search_stop_words").split()
    if engine == "zensical" and stop:
        # Zensical splits the query and the index with the separator it finds in the index.
        index["config"]["separator"] = "|".join(map(re.escape, stop)) + "|" + index["config"]["separator"]
    else:
        common += stop
    names = _synonym_titles(hb, locale)
    terms = {paths.url("term", t) for t in hb.terms}
    owned = _entity_titles(hb)
    abbreviated = _abbreviation_first(hb, locale)
    entries = [e for e in index[_ENTRIES[engine]] if not e["location"].startswith(UNLISTED)]
    for entry in entries:
        title = entry["title"].replace(ZWSP, "")
        seen = title + entry["text"].replace(ZWSP, "")
        extra = list(words.get(entry["location"], []))
        extra += sorted({w for word, same in groups if word in seen for w in same if w not in seen})
        if engine == "mkdocs":
            if entry["location"] in names:
                entry["title"] += names[entry["location"]]
            entry["text"] = _append(entry["text"], [*dict.fromkeys(extra), *common], engine)
            continue
        entry["title"] = abbreviated.get(entry["location"], entry["title"].replace(ZWSP, ""))
        if entry["location"] in names:
            entry["title"] += names[entry["location"]]
        if entry["location"] in terms:
            # Pages end their breadcrumb with their own title; a glossary entry now does too,
            # which also lets it match a search in as many fields as a page of that name.
            entry["path"] = [*entry.get("path", []), entry["title"]]
        extra += inner_words(_plain(entry["title"] + " " + entry["text"]))
        if entry["location"] in owned:
            extra += slips(owned[entry["location"]])
            lead = _hidden([_plain(entry["title"])])
            entry["path"] = [lead + p if i == 0 else p for i, p in enumerate(entry.get("path") or [""])]
            entry["text"] = lead + entry["text"]
        entry["text"] = _append(entry["text"], [*dict.fromkeys(extra), *common], engine)
    if engine == "zensical":
        # Zensical breaks ties by index order: entities first, the shortest title first.
        entries.sort(key=lambda e: (e["location"] not in owned, len(owned.get(e["location"], ""))))
    index[_ENTRIES[engine]] = entries
    index_path.write_text(json.dumps(index, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")


#: A Han character (CJK Unified Ideographs and extension A, compatibility ideographs).
_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")


def slips(title: str) -> list[str]:
    """What a reader who drops one character of ``title`` may type, word by word: each Han character
    of the title and each pair of Han characters one apart (管理 in 分管经理 typed 分管理)."""
    han = [c for c in title if _HAN.fullmatch(c)]
    return list(dict.fromkeys([*han, *(a + b for a, b in zip(han, han[2:], strict=False))]))


@cache
def _jieba() -> Any:
    import jieba

    return jieba.Tokenizer()  # its own instance: jieba's global one is the search plugin's


def inner_words(text: str) -> list[str]:
    """Every two-character word of jieba's dictionary that occurs in ``text``'s Chinese, once each."""
    tokenizer = _jieba()
    found = [w for run in _HAN_RUN.findall(text) for w in tokenizer.cut(run, cut_all=True) if len(w) == 2]
    return list(dict.fromkeys(found))


#: A run of two or more Han characters.
_HAN_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]{2,}")


def _entity_titles(hb: Handbook) -> dict[str, str]:
    """Site-relative URL of each entity's own entry → the title a reader knows it by."""
    return {paths.url(kind, e.id): display_name(e) for kind in KINDS for e in hb.table(kind).values()}


def _plain(markup: str) -> str:
    """An index title's text without its tags (it is HTML, escaped)."""
    return re.sub(r"<[^>]*>", "", markup)


def _hidden(words: Iterable[str], *, escaped: bool = True) -> str:
    # Zensical draws titles, breadcrumbs and snippets from the index's HTML and keeps a span's
    # attributes: a hidden span's words are matched but never shown.
    joined = " ".join(w if escaped else html.escape(w, quote=False) for w in words)
    return f'<span hidden="hidden">{joined}</span>'


def _abbreviation_first(hb: Handbook, locale: Locale) -> dict[str, str]:
    """A glossary entry's title on Zensical when the term has an abbreviation: the abbreviation first
    (OSB（订货—发运—结算）), so that typing it ranks the term with the pages whose titles begin with it."""
    opening, closing = locale.label("paren_open"), locale.label("paren_close")
    return {
        paths.url("term", t.id): html.escape(f"{t.abbreviation}{opening}{t.term}{closing}", quote=False)
        for t in hb.terms.values()
        if t.abbreviation and t.abbreviation not in t.term
    }


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
    # Material's index keeps jieba's word boundaries as U+200B; the words join with one too, in a
    # paragraph of their own (Material shows no markup but its own). Zensical's are hidden.
    words = list(words)
    if engine == "zensical":
        return f"{text} {_hidden(words, escaped=False)}" if text else _hidden(words, escaped=False)
    joined = ZWSP.join(html.escape(w, quote=False) for w in words)
    return f"{text} <p>{joined}</p>" if text else f"<p>{joined}</p>"
