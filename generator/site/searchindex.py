"""The site's own search index, the same for both engines: the built pages' sections, read back from HTML.

Neither engine's search ranks the way readers ask (Zensical keeps only entries holding every word
typed; Material cuts the index with jieba and the query with a regex), so the site ships one
search of its own (``generator/site/searchjs/``, README "Search"). This module writes what it
reads, ``search/index.json`` in the built site:

- ``sections``: ``[page, anchor, heading, text, parent heading]`` for each part of each page
  between two headings, as the reader sees it (no words added, nothing hidden);
- ``pages``: each page's URL, title, kind and other names (a glossary entry's abbreviation,
  synonyms and spelling in the other script); a glossary entry is a page of its own, with
  ``points``, the pages its definition links to, which describe what it names;
- ``synonyms``: the glossary's groups of words that mean the same (晨会 = 早会), for the query;
- ``fold``: each character of the other Chinese script that maps to one of the site's, so that
  續保專員 typed on a Simplified site finds 续保专员 (character by character, by OpenCC).

Pages out of the index: those whose front matter says ``search: exclude: true`` (change log,
comparisons), the editing guide and the preview's problem page; inside a page, elements marked
``data-search-exclude`` (big index tables, org charts, "referenced by", a role's onboarding checklist).
"""

from __future__ import annotations

import json
import operator
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from functools import cache
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import yaml

from ..editor import editguide
from ..i18n import Locale
from ..link.handbook import Handbook
from ..model import paths
from ..model.entities import Term
from ..model.refs import find_refs
from ..model.registry import KINDS, display_name

#: Where the index lands in the site, beside the search scripts' folder.
INDEX_FILE = "search/index.json"
#: Site-relative URL prefixes whose pages stay out of the index (change log, preview problems, editing guide).
UNLISTED = tuple(
    md.removesuffix("index.md").removesuffix(".md").rstrip("/") + "/"
    for md in (paths.CHANGES, paths.COMPLETENESS, editguide.PREVIEW_PAGE, editguide.PAGE)
)


@cache
def _converters() -> tuple[Any, Any]:
    import opencc

    return opencc.OpenCC("s2t"), opencc.OpenCC("t2s")


def script_variants(text: str) -> set[str]:
    """``text`` in Traditional and in Simplified Chinese (OpenCC), without ``text`` itself."""
    to_traditional, to_simplified = _converters()
    return {to_traditional.convert(text), to_simplified.convert(text)} - {text}


@dataclass
class Section:
    """The part of a page under one heading."""

    anchor: str
    heading: str
    parent: str = ""
    text: list[str] = field(default_factory=list)


#: Tags whose content is not text a reader searches: scripts, drawings, the glossary's letter bar.
_SKIP = {"script", "style", "svg", "nav", "template", "button"}
#: Classes of page furniture inside the article (the stamp line, permalinks, the PDF link).
_SKIP_CLASSES = {"headerlink", "handbook-stamp", "pdf-download", "handbook-scroll-cue"}
_BLOCKS = {"p", "li", "td", "th", "tr", "br", "div", "dd", "dt", "table", "ul", "ol", "blockquote", "h4"}
_VOID = {"br", "img", "hr", "input", "meta", "link", "wbr", "source", "col", "area", "base", "embed", "track"}


class _Article(HTMLParser):
    """The article's title and sections, split at every ``h2`` and ``h3`` that has an id."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.title = ""
        self.sections: list[Section] = [Section("", "")]
        self._skipping: list[str] = []  # open tags whose content is left out
        self._heading: tuple[str, str, list[str], bool] | None = None  # tag, id, text, excluded
        self._h2 = ""
        self._h2_excluded = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.start(tag, dict(attrs))

    def start(self, tag: str, found: Mapping[str, str | None]) -> None:
        """A start tag with its attributes as a mapping (lxml gives one: no list to make a dict of again)."""
        if tag in _VOID:
            if tag == "br":
                self._text(" ")
            return
        classes = set((found.get("class") or "").split())
        if self._skipping:
            self._skipping.append(tag)
            return
        if tag in {"h1", "h2", "h3"}:
            # A heading marked data-search-exclude leaves out its whole section ("referenced by").
            self._heading = (tag, found.get("id") or "", [], "data-search-exclude" in found)
            return
        if tag in _SKIP or classes & _SKIP_CLASSES or "data-search-exclude" in found:
            self._skipping.append(tag)
            return
        if tag in _BLOCKS:
            self._text(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag in _VOID:
            return
        if self._skipping:
            self._skipping.pop()
            return
        if self._heading is not None and tag == self._heading[0]:
            level, anchor, words, excluded = self._heading
            self._heading = None
            text = _squeeze("".join(words))
            if level == "h1":
                self.title = self.title or text
            elif anchor or excluded:
                self._open(level, anchor, text, excluded)
        elif tag in _BLOCKS:
            self._text(" ")

    def _open(self, level: str, anchor: str, text: str, excluded: bool) -> None:
        if level == "h2":
            self._h2 = text
            self._h2_excluded = excluded
        self.sections.append(Section(anchor, text, self._h2 if level == "h3" else ""))
        if excluded or self._h2_excluded:
            self.sections[-1].anchor = ""  # marked for removal below

    def handle_data(self, data: str) -> None:
        if self._skipping:
            return
        if self._heading is not None:
            self._heading[2].append(data)
        else:
            self._text(data)

    def _text(self, data: str) -> None:
        self.sections[-1].text.append(data)


def _squeeze(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


class _Events:
    """lxml's parser target: its C tokenizer calls :class:`_Article` tag by tag, as ``HTMLParser.feed``
    does; at 1,000 roles the read-back took 5.4 s with the standard library's tokenizer, 2.7 s with
    libxml2's, the index the same (the tests compare them)."""

    def __init__(self) -> None:
        self.article = _Article()

    def start(self, tag: str, attrib: dict[str, str]) -> None:
        self.article.start(tag, attrib)

    def end(self, tag: str) -> None:
        self.article.handle_endtag(tag)

    def data(self, text: str) -> None:
        self.article.handle_data(text)

    def close(self) -> _Article:
        return self.article


def read_article(html: str, *, fast: bool = True) -> tuple[str, list[Section]]:
    """The page title and its sections (the first, anchor ``""``, is what precedes the first heading).

    ``fast``: libxml2 tokenizes (lxml); otherwise the standard library's ``HTMLParser``."""
    start, end = html.find("<article"), html.rfind("</article>")
    if start < 0 or end < 0:
        return "", []
    if fast:
        from lxml import etree

        lxml_parser = etree.HTMLParser(target=_Events(), remove_comments=True, remove_pis=True)
        # A drawing's text is never searched (``_SKIP``): cut whole before tokenizing, a quarter
        # of a role page's tags are its org chart's. A drawing inside a drawing is read as before.
        article = html[start:end]
        lxml_parser.feed(_SVG.sub(lambda m: "" if m.group().count("<svg") == 1 else m.group(), article))
        parser: _Article = lxml_parser.close()
    else:
        parser = _Article()
        parser.feed(html[start:end])
        parser.close()
    kept = [parser.sections[0]] + [s for s in parser.sections[1:] if s.anchor]
    return parser.title, kept


_SVG = re.compile(r"<svg\b.*?</svg>", re.DOTALL)
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def excluded_urls(docs: Path) -> set[str]:
    """Site-relative URLs of the generated pages whose front matter says ``search: exclude: true``."""
    out: set[str] = set()
    for md in docs.rglob("*.md"):
        with md.open(encoding="utf-8") as handle:
            head = handle.read(400)
            if not head.startswith("---\n") or "search:" not in head:
                continue
            # The front matter alone, not the page (a comparison page is 200 KB): read on to its end.
            while "\n---\n" not in head[3:] and (more := handle.read(4096)):
                head += more
        # libyaml's safe loader: at 1,000 roles some 1,900 pages say it, and the pure-Python one took 1.5 s.
        meta = yaml.load(head.split("---\n", 2)[1], Loader=_LOADER) or {}
        if isinstance(meta, dict) and isinstance(meta.get("search"), dict) and meta["search"].get("exclude"):
            out.add(_url(md.relative_to(docs).as_posix()))
    return out


def _url(md: str) -> str:
    path = md.removesuffix("index.md").removesuffix(".md")
    return path if md.endswith("index.md") or not path else path + "/"


def _pages(site: Path) -> Iterator[tuple[str, Path]]:
    for html in sorted(site.rglob("*.html")):
        rel = html.relative_to(site).as_posix()
        if rel == "404.html" or rel.startswith(("assets/", "search/")):
            continue
        yield rel.removesuffix("index.html"), html


def synonym_groups(hb: Handbook) -> list[list[str]]:
    """Each glossary term with the words that mean the same: abbreviation, synonyms, other spelling."""
    groups = []
    for term in hb.terms.values():
        words = [term.term, term.abbreviation, *term.synonyms, term.other_script]
        group = list(dict.fromkeys(w for w in words if w))
        if len(group) > 1:
            groups.append(group)
    return groups


def fold_map(text: str) -> dict[str, str]:
    """Each Chinese character of the other script that stands for one of ``text``'s, mapped to it."""
    han = {c for c in text if "\u3400" <= c <= "\u9fff" or "\uf900" <= c <= "\ufaff"}
    fold: dict[str, str] = {}
    for char in sorted(han):
        for variant in sorted(script_variants(char)):
            if len(variant) == 1 and variant not in han:
                fold.setdefault(variant, char)
    return fold


#: Parts of speech (jieba's dictionary tags) of words that build a sentence but name nothing:
#: pronouns (什么, 谁), numerals and measure words (多少, 几点), particles (吗, 的), conjunctions,
#: prepositions, adverbs, interjections. A query's words of these kinds weigh nothing in the rank.
FUNCTION_TAGS = ("r", "m", "q", "y", "u", "c", "p", "d", "e", "o")
#: A single character's tag is its commonest use only (月 is tagged a numeral, 天 a measure word):
#: alone, only the kinds that never name anything count.
FUNCTION_CHAR_TAGS = ("r", "y", "u", "c", "p", "e", "o")


#: English words that build a question but name nothing (articles, pronouns, auxiliaries, question
#: words, prepositions, conjunctions): on an English site they weigh nothing in the rank, as the
#: Chinese function words do ("what does the software engineer do" asks for the software engineer).
_ENGLISH_FUNCTION = """
a an the what who whom whose which when where why how do does did doing done is are was were be been
being am have has had having i me my mine we us our you your he him his she her it its they them their
this that these those there here of to in on at by for with from about as into onto over under than
and or but if then so not no nor can could should would will shall may might must any some
"""
ENGLISH_FUNCTION_WORDS = tuple(_ENGLISH_FUNCTION.split())


@cache
def _tags() -> dict[str, str]:
    import jieba.posseg

    # The tags are read from the dictionary when jieba.posseg is imported; the cutter's prefix
    # dictionary (tokenizer.initialize) is not needed for them, and took 0.7 s of every build.
    return dict(jieba.posseg.dt.word_tag_tab)


def function_words(text: str) -> list[str]:
    """The index's one- and two-character Chinese words (its terms) that are function words by their
    part of speech in jieba's dictionary."""
    tags = _tags()
    # Every character and every pair of neighbours, counted in C rather than a loop per character
    # (a second at 1,000 roles); a pair across two runs holds the newline, which no word does.
    han = re.sub(r"[^\u3400-\u9fff\uf900-\ufaff]+", "\n", text)
    found = set(han) | set(map(operator.add, han, han[1:]))
    return sorted(
        w for w in found if tags.get(w, "").startswith(FUNCTION_TAGS if len(w) > 1 else FUNCTION_CHAR_TAGS)
    )


def _entities(hb: Handbook, locale: Locale) -> dict[str, dict[str, Any]]:
    """Site-relative URL of each entity's page → its kind, the kind's name, and other names."""
    found: dict[str, dict[str, Any]] = {}
    for kind, entry in KINDS.items():
        for entity in hb.table(kind).values():
            names: list[str] = []
            points: list[str] = []
            if isinstance(entity, Term):
                names = [n for n in [entity.abbreviation, *entity.synonyms, entity.other_script] if n]
                # The pages its definition links to describe what the entry names.
                points = [paths.url(r.kind, r.id).partition("#")[0] for r in find_refs(entity.definition)
                          if r.kind != "term" and hb.get(r.kind, r.id) is not None]
            found[paths.url(kind, entity.id)] = {
                "kind": kind, "crumb": locale.label(entry.label), "names": names, "title": display_name(entity),
                "points": points,
            }
    return found


def build_index(site: Path, docs: Path, hb: Handbook, locale: Locale) -> dict[str, Any]:
    """The index for the site built in ``site`` from the generated docs in ``docs``."""
    excluded = excluded_urls(docs) if docs.is_dir() else set()
    entities = _entities(hb, locale)
    pages: list[dict[str, Any]] = []
    sections: list[list[Any]] = []

    def add_page(url: str, title: str) -> int:
        meta = entities.get(url, {})
        page: dict[str, Any] = {"url": url, "title": title, "kind": meta.get("kind", "")}
        if meta.get("crumb"):
            page["crumb"] = meta["crumb"]
        if meta.get("names"):
            page["names"] = meta["names"]
        if meta.get("points"):
            page["points"] = meta["points"]  # URLs for now, page numbers once every page is known
        pages.append(page)
        return len(pages) - 1

    for url, html in _pages(site):
        if url.startswith(UNLISTED) or url in excluded:
            continue
        title, parts = read_article(html.read_text(encoding="utf-8"))
        if not title:
            continue  # redirects and pages without an article
        number = add_page(url, title)
        for part in parts:
            text = _squeeze("".join(part.text))
            own = entities.get(f"{url}#{part.anchor}") if part.anchor else None
            if own is not None:
                # A glossary entry: its own result, titled by its term.
                sections.append([add_page(f"{url}#{part.anchor}", part.heading), "", "", text, ""])
            elif text or part.heading:
                sections.append([number, part.anchor, part.heading, text, part.parent])
    numbers = {p["url"]: i for i, p in enumerate(pages)}
    for page in pages:
        if "points" in page:
            page["points"] = [numbers[u] for u in page["points"] if u in numbers]
    seen = " ".join(p["title"] for p in pages) + " ".join(s[3] for s in sections)
    return {
        "lang": locale.lang,
        "fold": fold_map(seen),
        "synonyms": synonym_groups(hb),
        "function": function_words(seen) + (list(ENGLISH_FUNCTION_WORDS) if locale.lang == "en" else []),
        "pages": pages,
        "sections": sections,
    }


def write_index(site: Path, docs: Path, hb: Handbook, locale: Locale) -> Path:
    """Write ``search/index.json`` into the built ``site``; return its path."""
    index = build_index(site, docs, hb, locale)
    path = site / INDEX_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(index, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
    return path
