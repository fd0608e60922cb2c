"""How templates write text, names, links and charts from a view, for Markdown pages and print HTML alike."""

from __future__ import annotations

import html
import urllib.parse
from dataclasses import dataclass

from markupsafe import Markup

from ..i18n import Locale
from ..link.handbook import Handbook
from ..model import paths, registry
from ..model.entities import Policy
from ..model.refs import Ref, split_text
from . import orgchart
from .env import Output
from .markup import NO_ABBREVIATIONS, Abbreviations, escape_plain, relative, render_text

display_name = registry.display_name

#: Field metadata for values that are not text of their own (ids, paths, a second form of a chart).
NOT_TEXT = {"text": False}


@dataclass(frozen=True)
class Named:
    """Another entity as a page shows it: a link on the site, its name in print."""

    kind: str
    id: str
    name: str


def named(hb: Handbook, kind: str, ident: str) -> Named:
    """Another entity as a page shows it; an unknown id shows as itself."""
    entity = hb.get(kind, ident)
    return Named(kind, ident, display_name(entity) if entity else ident)


def _no_links(kind: str, ident: str) -> None:
    return None


def clause_number(policy: Policy, clause_id: str) -> int:
    """A clause's number as readers cite it: its place in the policy, from 1."""
    return [c.id for c in policy.clauses].index(clause_id) + 1


@dataclass
class Writer:
    """Text helpers for one page of one output.

    Markdown (the site): free text is escaped, references become relative links and
    abbreviations get their meaning on hover. HTML (the PDF): free text is HTML-escaped on
    one line, references become the names they point at. Templates of both outputs call
    the same methods, so a view renders the same way in each.
    """

    hb: Handbook
    locale: Locale
    page: str = ""
    """The docs path of the page being written (Markdown links are relative to it)."""
    output: Output = "markdown"
    abbreviations: Abbreviations = NO_ABBREVIATIONS
    font_family: str = orgchart.FONT_FAMILY
    """The font family charts name (print uses its own subset face)."""

    def text(self, text: str | None) -> Markup:
        """Inline free text, escaped, references linked (Markdown) or named (HTML)."""
        if self.output == "html":
            pieces = [self._ref_label(p) if isinstance(p, Ref) else p for p in split_text(text or "")]
            return Markup(html.escape(" ".join("".join(pieces).split())))
        return render_text(text, self.page, self._resolve, abbreviations=self.abbreviations)

    md = text

    def block(self, text: str | None) -> Markup:
        """Free text keeping its line breaks as paragraphs."""
        if self.output == "html":
            return Markup("\n").join(Markup("<p>{}</p>").format(p) for p in self.paragraphs(text))
        return render_text(text, self.page, self._resolve, block=True, abbreviations=self.abbreviations)

    def paragraphs(self, text: str | None) -> list[Markup]:
        """Free text split at line breaks, each line inline text."""
        return [self.text(line) for line in (text or "").splitlines() if line.strip()]

    def esc(self, text: str | None) -> Markup:
        """Plain text with no reference handling."""
        if self.output == "html":
            return Markup(html.escape(text or ""))
        return Markup(escape_plain(text or ""))

    def name(self, kind: str, ident: str) -> str:
        """The display name of an entity, or its id when it does not exist."""
        entity = self.hb.get(kind, ident)
        return display_name(entity) if entity else ident

    def link(self, kind: str, ident: str, label: str | None = None, anchor: str | None = None) -> Markup:
        """A link to an entity's page (Markdown), or its name (print)."""
        entity = self.hb.get(kind, ident)
        if entity is None or self.output == "html":
            return self.esc(label or (display_name(entity) if entity else ident))
        target = paths.page(kind, entity.id) + (f"#{anchor}" if anchor else "")
        return Markup(f"[{escape_plain(label or display_name(entity))}]({relative(target, self.page)})")

    def named(self, item: Named) -> Markup:
        """An entity of a view: a link to its page (Markdown), or its name (print)."""
        return self.link(item.kind, item.id, item.name)

    def to(self, target: str, label: str, query: dict[str, str] | None = None, anchor: str = "") -> Markup:
        """A link to a generated page that is not an entity (indexes, checklists), with a query
        string for the page's script (every character of its values escaped) and an anchor."""
        if self.output == "html":
            return self.esc(label)
        search = "?" + urllib.parse.urlencode(query, quote_via=urllib.parse.quote, safe="") if query else ""
        return Markup(f"[{escape_plain(label)}]({relative(target, self.page)}{search}{'#' + anchor if anchor else ''})")

    def tree(self, root: orgchart.Node) -> Markup:
        """A chart's tree as a nested Markdown list of links, the chart's text for readers
        and search. Python rather than a recursive Jinja macro: a macro call per node was
        a fifth of rendering a 1,000-role handbook."""
        label = self.locale.label
        this_role = escape_plain(label("paren_open") + label("chart_this_role") + label("paren_close"))
        colon, sep = escape_plain(label("colon")), escape_plain(label("list_sep"))
        out: list[str] = []
        stack = [(child, 0) for child in reversed(root.children)] if root.kind == "root" else [(root, 0)]
        while stack:
            node, depth = stack.pop()
            name = f"**{self.esc(node.label)}**{this_role}" if node.marked else self.link(node.kind, node.ident)
            line = f"{'    ' * depth}- {name}"
            if node.count:
                line += f"{colon}{self.esc(node.count)}"
                if node.open_positions:
                    line += sep + escape_plain(label("chart_open").format(n=node.open_positions))
            out.append(line + "\n")
            stack.extend((child, depth + 1) for child in reversed(node.children))
        return Markup("".join(out))

    def chart(self, folded: orgchart.Node, title: str) -> Markup:
        """A chart's SVG: linked and scalable on the site, unlinked at natural size in print."""
        if self.output == "html":
            svg, _ = orgchart.render_svg(folded, self.locale, _no_links, title, scalable=False)
            # The PDF must name its subset face, or WeasyPrint would embed (and subset,
            # slowly) the whole system font again.
            svg = svg.replace(f'font-family="{orgchart.FONT_FAMILY}"', f'font-family="{self.font_family}"')
        else:
            svg, _ = orgchart.render_svg(folded, self.locale, orgchart.relative_href(self.page), title, styled=False)
        return Markup(svg)

    def href(self, target: str) -> str:
        """Relative link from this page to a docs path."""
        return relative(target, self.page)

    def _ref_label(self, ref: Ref) -> str:
        if ref.label:
            return ref.label
        found = self._resolve(ref)
        return found[1] if found else self.name(ref.kind, ref.id)

    def _resolve(self, ref: Ref) -> tuple[str, str] | None:
        entity = self.hb.get(ref.kind, ref.id)
        if entity is None:
            return None
        label = display_name(entity)
        target = paths.page(ref.kind, entity.id)
        if ref.kind != "policy" and not registry.kind(ref.kind).shared_page and ref.anchor:
            target += f"#{ref.anchor}"
        if ref.kind == "policy" and ref.anchor:
            assert isinstance(entity, Policy)
            clause_id = self.hb.resolve_clause(entity.id, ref.anchor)
            if clause_id is None:
                return None
            label = f"{label} {self.locale.label('clause_number').format(n=clause_number(entity, clause_id))}"
            target += f"#{clause_id}"
        return target, label
