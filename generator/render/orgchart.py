"""Org charts drawn from the handbook: the trees (company, unit, role), folded to a box limit, as inline SVG.

Why an own tidy-tree layout rather than Graphviz: it is deterministic, needs no
subprocess per chart (hundreds of charts per build), sizes every box to its own text, and
keeps full control of the SVG (links relative to each page, escaping, fonts). The trees
built here also feed the nested lists of links printed under each chart.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from dataclasses import dataclass

from markupsafe import Markup

from ..i18n import Locale, load_locale
from ..link.handbook import Handbook
from ..model import paths
from .markup import relative
from .orglayout import DETAIL_SIZE, LINE_HEIGHT, PAD_X, PAD_Y, TITLE_SIZE, Box, Line, layout
from .orgtree import MAX_BOXES, Node, company_tree, fold, role_tree, unit_tree

#: What pages and the PDFs use; the trees themselves (``Node``, the limits) come from :mod:`.orgtree`.
__all__ = [
    "MAX_BOXES",
    "Node",
    "OrgChart",
    "absolute_href",
    "company_chart",
    "page_url",
    "relative_href",
    "render_svg",
    "role_chart",
    "role_chart_svg",
    "unit_chart",
]

FONT_FAMILY = "Noto Sans CJK SC, sans-serif"


Href = Callable[[str, str], str | None]
"""``(kind, id)`` → the link to put on a box, or None for no link."""


@dataclass(frozen=True)
class OrgChart:
    """A chart for one page: the SVG to inline, and the full tree for the list under it."""

    svg: Markup
    tree: Node
    boxes: int


# ---------------------------------------------------------------- boxes and SVG


def _box(node: Node, locale: Locale, href: Href) -> Box:
    texts = [Line(node.label, TITLE_SIZE, bold=node.kind == "unit" or node.marked)]
    if node.marked:
        texts.insert(0, Line(locale.label("chart_this_role"), DETAIL_SIZE, css="tag"))
    if node.count:
        texts.append(Line(node.count, DETAIL_SIZE, css="count"))
    if node.open_positions:
        texts.append(Line(locale.label("chart_open").format(n=node.open_positions), DETAIL_SIZE, css="open"))
    if node.hidden:
        texts.append(Line(node.hidden, DETAIL_SIZE, css="more"))
    if node.kind == "more":
        texts = [Line(node.label, DETAIL_SIZE, css="more")]
        link = href(*node.target) if node.target else None
    elif node.kind == "root":
        link = None
    else:
        link = href(node.kind, node.ident)
    style = "self" if node.marked else node.kind
    accessible = " ".join(t.text for t in texts)
    children = [_box(child, locale, href) for child in node.children]
    return Box(texts, children, href=link, style=style, fill=node.fill, label=accessible)


#: Colours as presentation attributes, so the chart looks the same in a PDF with no site CSS.
_FILL = {"role": "#ffffff", "self": "#3f51b5", "unit": "#e8eaf6", "more": "#f5f5f5"}
_STROKE = {"role": "#5c6bc0", "self": "#283593", "unit": "#3949ab", "more": "#9e9e9e"}
_TEXT = {
    "title": ("#1f2328", "#ffffff"),
    "count": ("#455a64", "#e8eaf6"),
    "open": ("#d84315", "#ffcc80"),
    "more": ("#3949ab", "#e8eaf6"),
    "tag": ("#3949ab", "#ffeb3b"),
}


def _site_style() -> str:
    """The boxes' look as CSS, from the tables above: one rule per look instead of attributes on
    every element. Low specificity, so the site's hover and dark-mode rules (handbook.css) win."""
    rules = [">rect:first-child{stroke-width:1.2}"]
    rules += [f".oc-{k}>rect:first-child{{fill:{_FILL[k]};stroke:{_STROKE[k]}}}" for k in _FILL]
    rules += [
        ".oc-self>rect:first-child{stroke-width:2}",
        ".oc-more>rect:first-child{stroke-dasharray:4 3}",
        ">rect:nth-of-type(2){fill:#ffab91}",
        ">rect:nth-of-type(3){fill:#3f51b5}",
        ".oc-self>rect:nth-of-type(3){fill:#ffffff}",
        f" text{{font-size:{DETAIL_SIZE:g}px;text-anchor:middle}}",
        f" .oc-title{{font-size:{TITLE_SIZE:g}px}}",
        ".oc-unit .oc-title,.oc-box.oc-self .oc-title{font-weight:bold}",
    ]
    rules += [f" .oc-{k}{{fill:{light}}}" for k, (light, _dark) in _TEXT.items()]
    rules += [f".oc-self .oc-{k}{{fill:{dark}}}" for k, (_light, dark) in _TEXT.items()]
    return "".join(".oc-box" + rule for rule in rules)


#: Inside each site chart's SVG (it applies to the page, the same rules for every chart on it):
#: the chart needs no stylesheet of the project's, whatever its handbook.css holds.
SITE_STYLE = f"<style>{_site_style()}</style>"


def _esc(text: str) -> str:
    return html.escape(text, quote=True)


def _draw_box(box: Box, styled: bool = True) -> str:
    """One box; ``styled=False`` leaves its colours, sizes and weights to :data:`SITE_STYLE`:
    two fifths of a role page's bytes were its chart's attributes, and every engine holds every
    page in memory."""
    dark = box.style == "self"
    dash = ' stroke-dasharray="4 3"' if box.style == "more" else ""
    width = "2" if dark else "1.2"
    paint = f' fill="{_FILL[box.style]}" stroke="{_STROKE[box.style]}" stroke-width="{width}"{dash}' if styled else ""
    parts = [f'<rect x="{box.x:g}" y="{box.y:g}" width="{box.w:g}" height="{box.h:g}" rx="5"{paint}/>']
    cx = box.x + box.w / 2
    y = box.y + PAD_Y
    for line in box.lines:
        height = line.size * LINE_HEIGHT
        baseline = y + (height - line.size) / 2 + 0.88 * line.size  # CJK glyphs sit 0.88 em above it
        if styled:
            weight = ' font-weight="bold"' if line.bold else ""
            look = f' font-size="{line.size:g}"{weight} fill="{_TEXT[line.css][1 if dark else 0]}" text-anchor="middle"'
        else:
            look = ""
        parts.append(
            f'<text class="oc-{line.css}" x="{cx:g}" y="{baseline:.1f}"{look}>{_esc(line.text)}</text>'
        )
        y += height
    if box.fill is not None:
        bar_w = box.w - 2 * PAD_X
        bar_y = box.y + box.h - PAD_Y - 2
        empty, full = (' fill="#ffab91"', f' fill="{"#ffffff" if dark else "#3f51b5"}"') if styled else ("", "")
        parts.append(f'<rect x="{box.x + PAD_X:g}" y="{bar_y:g}" width="{bar_w:g}" height="4"{empty}/>')
        parts.append(f'<rect x="{box.x + PAD_X:g}" y="{bar_y:g}" width="{bar_w * box.fill:.1f}" height="4"{full}/>')
    body = f'<g class="oc-box oc-{box.style}">{"".join(parts)}</g>'
    if box.href is None:
        return body
    return f'<a href="{_esc(box.href)}" aria-label="{_esc(box.label)}">{body}</a>'


def render_svg(
    tree: Node, locale: Locale, href: Href, title: str, *, scalable: bool = True, styled: bool = True
) -> tuple[str, int]:
    """The SVG of ``tree`` (already folded) and how many boxes it draws.

    One element per line and no blank lines, so Markdown keeps it as one raw HTML block.
    ``scalable`` lets a page shrink a wide chart to three quarters before it scrolls.
    ``styled``: the boxes carry their colours themselves (print); the site's pages leave them to
    one ``<style>`` in the SVG (:data:`SITE_STYLE`).
    """
    chart = layout(_box(tree, locale, href))
    style = f' style="min-width:{chart.width * 0.75:.0f}px"' if scalable else ""
    lines = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="org-chart-svg" width="{chart.width:g}" '
        f'height="{chart.height:g}" viewBox="0 0 {chart.width:g} {chart.height:g}" '
        f'font-family="{FONT_FAMILY}" role="group" aria-label="{_esc(title)}"{style}>',
        f"<title>{_esc(title)}</title>",
    ]
    if not styled:
        lines.append(SITE_STYLE)
    if chart.paths:
        lines.append(f'<path class="oc-edges" d="{"".join(chart.paths)}" fill="none" stroke="#9aa0a6" '
                     'stroke-width="1.2"/>')
    lines += [_draw_box(box, styled) for box in chart.boxes]
    lines.append("</svg>")
    return "\n".join(lines), len(chart.boxes)


# ---------------------------------------------------------------- links and public API


def page_url(page: str) -> str:
    """Site-relative URL of a docs-relative Markdown page (``use_directory_urls: true``)."""
    path = page.removesuffix(".md")
    if path.endswith("index") and (path == "index" or path.endswith("/index")):
        path = path.removesuffix("index")
    else:
        path += "/"
    return path


def relative_href(page: str) -> Href:
    """Links from the Markdown file ``page`` to the boxes' pages, written as Markdown links are
    (``../org/x/index.md``): both engines turn them into the pages' URLs, relative so the site
    works under any base path, and check them (``site/rawlinks.py`` does it for MkDocs)."""
    return lambda kind, ident: relative(paths.page(kind, ident), page)


def absolute_href(base_url: str) -> Href:
    """Links to the published site, for a chart that leaves it (a PDF)."""
    root = base_url.rstrip("/") + "/"
    return lambda kind, ident: root + paths.url(kind, ident)


def _no_links(kind: str, ident: str) -> None:
    return None


def _chart(tree: Node, full: Node, locale: Locale, href: Href, title: str) -> OrgChart:
    """A chart for a site page: coloured by the site's stylesheet."""
    svg, boxes = render_svg(fold(tree, locale), locale, href, title, styled=False)
    return OrgChart(Markup(svg), full, boxes)


def company_chart(hb: Handbook, locale: Locale, page: str = paths.ORG_INDEX) -> OrgChart:
    """The company's units, for ``/org/``."""
    tree = company_tree(hb, locale)
    return _chart(tree, tree, locale, relative_href(page), locale.label("chart_of_org"))


def unit_chart(hb: Handbook, locale: Locale, unit_id: str) -> OrgChart | None:
    """A unit's positions, for its page; None when it has neither roles nor sub-units."""
    tree = unit_tree(hb, locale, unit_id)
    if tree.kind == "root" and not tree.children:
        return None
    title = locale.label("chart_of_unit").format(name=hb.units[unit_id].name)
    return _chart(tree, tree, locale, relative_href(paths.page("unit", unit_id)), title)


def role_chart(hb: Handbook, locale: Locale, role_id: str) -> OrgChart:
    """A role among its superior, peers and direct reports, for its page."""
    tree = role_tree(hb, locale, role_id)
    full = role_tree(hb, locale, role_id, limit=False)
    title = locale.label("chart_of_role").format(title=hb.roles[role_id].title)
    return _chart(tree, full, locale, relative_href(paths.page("role", role_id)), title)


def role_chart_svg(
    hb: Handbook, role_id: str, locale: Locale | None = None, *, page: str | None = None, base_url: str | None = None
) -> str:
    """The role's chart as an SVG string, for the job-description PDF or any other page.

    Links: relative from the docs page ``page``, else absolute under ``base_url``, else none.
    The SVG keeps its natural size (no min-width), so a print layout can scale it.
    """
    locale = locale or load_locale()
    href = relative_href(page) if page else absolute_href(base_url) if base_url else _no_links
    title = locale.label("chart_of_role").format(title=hb.roles[role_id].title)
    svg, _ = render_svg(fold(role_tree(hb, locale, role_id), locale), locale, href, title, scalable=False)
    return svg
