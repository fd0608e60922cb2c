"""Org charts drawn from the handbook: the trees (company, unit, role), folded to a box limit, as inline SVG.

Why an own tidy-tree layout rather than Graphviz: it is deterministic, needs no
subprocess per chart (hundreds of charts per build), sizes every box to its own text, and
keeps full control of the SVG (links relative to each page, escaping, fonts). The trees
built here also feed the nested lists of links printed under each chart.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from dataclasses import dataclass, field, replace

from markupsafe import Markup

from ..i18n import Locale, load_locale
from ..link.handbook import Handbook
from ..link.headcount import role_headcount, unit_totals
from ..model import paths
from .markup import relative_path
from .orglayout import DETAIL_SIZE, LINE_HEIGHT, PAD_X, PAD_Y, TITLE_SIZE, Box, Line, layout

#: Most boxes one chart draws; deeper or wider parts fold into boxes that link onwards.
MAX_BOXES = 40
#: Most rows of boxes one chart draws.
MAX_LEVELS = 8
#: On a role's chart: most peers and most direct reports drawn (the rest fold into one box).
MAX_PEERS = 12
MAX_REPORTS = 24
FONT_FAMILY = "Noto Sans CJK SC, sans-serif"

Href = Callable[[str, str], str | None]
"""``(kind, id)`` → the link to put on a box, or None for no link."""


@dataclass
class Node:
    """One entry of a chart's tree: a unit, a role, or a fold standing for the rest."""

    kind: str
    """``unit``, ``role``, ``more`` (the rest of a folded list) or ``root`` (holds a forest)."""
    ident: str
    label: str
    count: str = ""
    """Headcount as shown: ``× 12``, ``9 人 · 计划 16 人``."""
    open_positions: int = 0
    fill: float | None = None
    """Share of the planned positions that are filled, when some are open."""
    marked: bool = False
    """The role whose page this is."""
    children: list[Node] = field(default_factory=list)
    hidden: str = ""
    """What the fold hid below this node, e.g. ``下属 26 个岗位``."""
    target: tuple[str, str] | None = None
    """Where a ``more`` box (or a box with hidden children) links to."""

    def size(self) -> int:
        """Boxes in this subtree (the invisible root does not count)."""
        return (self.kind != "root") + sum(child.size() for child in self.children)


@dataclass(frozen=True)
class OrgChart:
    """A chart for one page: the SVG to inline, and the full tree for the list under it."""

    svg: Markup
    tree: Node
    boxes: int


# ---------------------------------------------------------------- trees from the handbook


def _role_node(hb: Handbook, locale: Locale, role_id: str) -> Node:
    role = hb.roles[role_id]
    now, plan = role_headcount(hb, role_id)
    node = Node("role", role_id, role.title)
    if now is None and plan is None:
        return node
    if now is None:
        node.count = locale.label("chart_planned_only").format(n=plan)
        return node
    ratio = role.headcount.ratio if role.headcount else None
    if ratio and ratio.of == role.reports_to and ratio.per == 1:
        node.count = locale.label("chart_each").format(n=ratio.count, total=now)
    elif plan is not None and plan != now:
        node.count = locale.label("chart_times_planned").format(n=now, planned=plan)
    else:
        node.count = locale.label("chart_times").format(n=now)
    if plan is not None and plan > now:
        node.open_positions = plan - now
        node.fill = now / plan
    return node


def _unit_node(hb: Handbook, locale: Locale, unit_id: str) -> Node:
    totals = unit_totals(hb, unit_id)
    now, plan = totals["current"], totals["planned"]
    node = Node("unit", unit_id, hb.units[unit_id].name)
    if now is not None:
        node.count = locale.label("people_count").format(n=now)
        if plan is not None and plan > now:
            node.count = locale.label("chart_people_planned").format(n=now, planned=plan)
            node.open_positions = plan - now
            node.fill = now / plan
    elif plan is not None:
        node.count = locale.label("chart_people_planned_only").format(n=plan)
    return node


def _forest(roots: list[Node]) -> Node:
    return roots[0] if len(roots) == 1 else Node("root", "", "", children=roots)


def company_tree(hb: Handbook, locale: Locale) -> Node:
    """Every unit, as a tree from the root units down, with headcount totals."""
    seen: set[str] = set()

    def visit(unit_id: str) -> Node:
        seen.add(unit_id)
        node = _unit_node(hb, locale, unit_id)
        node.children = [visit(c) for c in hb.unit_children.get(unit_id, []) if c not in seen]
        return node

    return _forest([visit(uid) for uid in hb.root_units() if uid not in seen])


def unit_tree(hb: Handbook, locale: Locale, unit_id: str) -> Node:
    """The unit's roles by reporting line; each sub-unit hangs, folded, under the role it reports to."""
    rids = hb.unit_roles.get(unit_id, [])
    nodes = {rid: _role_node(hb, locale, rid) for rid in rids}
    roots: list[Node] = []
    for rid in rids:
        boss = hb.roles[rid].reports_to
        if boss in nodes and boss != rid:
            nodes[boss].children.append(nodes[rid])
        elif boss is None or boss not in nodes:
            roots.append(nodes[rid])
    for child in hb.unit_children.get(unit_id, []):
        sub = _unit_node(hb, locale, child)
        sub.hidden = locale.label("chart_sub_unit")
        bosses = [
            hb.roles[rid].reports_to
            for uid in [child, *hb.descendants(child)]
            for rid in hb.unit_roles.get(uid, [])
            if hb.roles[rid].reports_to in nodes
        ]
        if bosses and bosses[0] is not None:
            nodes[bosses[0]].children.append(sub)
        else:
            roots.append(sub)
    return _forest(roots)


def role_tree(hb: Handbook, locale: Locale, role_id: str, *, limit: bool = True) -> Node:
    """The role (marked) among its peers, under its superior, over its direct reports.

    With ``limit``, peers and reports beyond :data:`MAX_PEERS` / :data:`MAX_REPORTS` fold
    into one box each; the list under the chart is built with ``limit=False``.
    """
    role = hb.roles[role_id]
    me = _role_node(hb, locale, role_id)
    me.marked = True
    reports = [_role_node(hb, locale, rid) for rid in hb.direct_reports.get(role_id, []) if rid != role_id]
    if limit and len(reports) > MAX_REPORTS:
        rest = len(reports) - (MAX_REPORTS - 1)
        more = Node("more", "", locale.label("chart_more_roles").format(n=rest), target=("unit", role.unit))
        reports = [*reports[: MAX_REPORTS - 1], more]
    me.children = reports
    boss_id = role.reports_to
    if boss_id is None or boss_id not in hb.roles or boss_id == role_id:
        return me
    boss = _role_node(hb, locale, boss_id)
    peer_ids = [rid for rid in hb.direct_reports.get(boss_id, []) if rid != boss_id]
    if role_id not in peer_ids:
        peer_ids.append(role_id)
    if limit and len(peer_ids) > MAX_PEERS:
        keep = [rid for rid in peer_ids if rid != role_id][: MAX_PEERS - 2]
        shown = [rid for rid in peer_ids if rid in keep or rid == role_id]
        rest = len(peer_ids) - len(shown)
        boss.children = [me if rid == role_id else _role_node(hb, locale, rid) for rid in shown]
        label = locale.label("chart_more_roles").format(n=rest)
        boss.children.append(Node("more", "", label, target=("role", boss_id)))
    else:
        boss.children = [me if rid == role_id else _role_node(hb, locale, rid) for rid in peer_ids]
    return boss


# ---------------------------------------------------------------- folding to the box limit


def _copy(node: Node) -> Node:
    return replace(node, children=[])


def _descendants(node: Node) -> tuple[int, int]:
    roles = units = 0
    for child in node.children:
        roles += child.kind == "role"
        units += child.kind == "unit"
        r, u = _descendants(child)
        roles, units = roles + r, units + u
    return roles, units


def _hidden_text(node: Node, locale: Locale) -> str:
    roles, units = _descendants(node)
    parts = []
    if roles:
        parts.append(locale.label("chart_hidden_roles").format(n=roles))
    if units:
        parts.append(locale.label("chart_hidden_units").format(n=units))
    return locale.label("list_sep").join(parts)


def fold(tree: Node, locale: Locale, limit: int = MAX_BOXES) -> Node:
    """A copy of ``tree`` with at most ``limit`` boxes, filled level by level from the top.

    When a level does not fit, each parent on it gets a fair share of the boxes left; a
    parent that cannot show all its children shows some and one box for the rest, and a
    box whose children are not drawn says how many it hides and links to its own page.
    """
    top = _copy(tree)
    count = int(tree.kind != "root")
    level = [(tree, top)]
    rows = count
    while level:
        parents = [(orig, copy) for orig, copy in level if orig.children]
        wanted = sum(len(orig.children) for orig, _ in parents)
        if rows >= MAX_LEVELS:
            for orig, copy in parents:
                copy.hidden = copy.hidden or _hidden_text(orig, locale)
            break
        rows += 1
        if count + wanted <= limit:
            level = []
            for orig, copy in parents:
                for child in orig.children:
                    child_copy = _copy(child)
                    copy.children.append(child_copy)
                    level.append((child, child_copy))
            count += wanted
            continue
        share = dict.fromkeys(range(len(parents)), 0)
        left = limit - count
        while left > 0:
            gave = False
            for i, (orig, _) in enumerate(parents):
                if left > 0 and share[i] < len(orig.children):
                    share[i] += 1
                    left -= 1
                    gave = True
            if not gave:
                break
        for i, (orig, copy) in enumerate(parents):
            n = len(orig.children)
            if share[i] >= n:
                shown = orig.children
            elif share[i] >= 2:
                shown = orig.children[: share[i] - 1]
            else:
                copy.hidden = copy.hidden or _hidden_text(orig, locale)
                continue
            for child in shown:
                child_copy = _copy(child)
                if child.children and not child_copy.hidden:
                    child_copy.hidden = _hidden_text(child, locale)
                copy.children.append(child_copy)
            if len(shown) < n:
                rest = orig.children[len(shown) :]
                key = "chart_more_units" if all(c.kind == "unit" for c in rest) else "chart_more_roles"
                target = (orig.kind, orig.ident) if orig.kind in ("unit", "role") else None
                copy.children.append(Node("more", "", locale.label(key).format(n=len(rest)), target=target))
        break
    return top


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


def _esc(text: str) -> str:
    return html.escape(text, quote=True)


def _draw_box(box: Box) -> str:
    dark = box.style == "self"
    dash = ' stroke-dasharray="4 3"' if box.style == "more" else ""
    width = "2" if dark else "1.2"
    parts = [
        f'<rect x="{box.x:g}" y="{box.y:g}" width="{box.w:g}" height="{box.h:g}" rx="5" '
        f'fill="{_FILL[box.style]}" stroke="{_STROKE[box.style]}" stroke-width="{width}"{dash}/>'
    ]
    cx = box.x + box.w / 2
    y = box.y + PAD_Y
    for line in box.lines:
        height = line.size * LINE_HEIGHT
        baseline = y + (height - line.size) / 2 + 0.88 * line.size  # CJK glyphs sit 0.88 em above it
        weight = ' font-weight="bold"' if line.bold else ""
        color = _TEXT[line.css][1 if dark else 0]
        parts.append(
            f'<text class="oc-{line.css}" x="{cx:g}" y="{baseline:.1f}" font-size="{line.size:g}"{weight} '
            f'fill="{color}" text-anchor="middle">{_esc(line.text)}</text>'
        )
        y += height
    if box.fill is not None:
        bar_w = box.w - 2 * PAD_X
        bar_y = box.y + box.h - PAD_Y - 2
        parts.append(f'<rect x="{box.x + PAD_X:g}" y="{bar_y:g}" width="{bar_w:g}" height="4" fill="#ffab91"/>')
        parts.append(
            f'<rect x="{box.x + PAD_X:g}" y="{bar_y:g}" width="{bar_w * box.fill:.1f}" height="4" '
            f'fill="{"#ffffff" if dark else "#3f51b5"}"/>'
        )
    body = f'<g class="oc-box oc-{box.style}">{"".join(parts)}</g>'
    if box.href is None:
        return body
    return f'<a href="{_esc(box.href)}" aria-label="{_esc(box.label)}">{body}</a>'


def render_svg(tree: Node, locale: Locale, href: Href, title: str, *, scalable: bool = True) -> tuple[str, int]:
    """The SVG of ``tree`` (already folded) and how many boxes it draws.

    One element per line and no blank lines, so Markdown keeps it as one raw HTML block.
    ``scalable`` lets a page shrink a wide chart to three quarters before it scrolls.
    """
    chart = layout(_box(tree, locale, href))
    style = f' style="min-width:{chart.width * 0.75:.0f}px"' if scalable else ""
    lines = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="org-chart-svg" width="{chart.width:g}" '
        f'height="{chart.height:g}" viewBox="0 0 {chart.width:g} {chart.height:g}" '
        f'font-family="{FONT_FAMILY}" role="group" aria-label="{_esc(title)}"{style}>',
        f"<title>{_esc(title)}</title>",
    ]
    if chart.paths:
        lines.append(f'<path class="oc-edges" d="{"".join(chart.paths)}" fill="none" stroke="#9aa0a6" '
                     'stroke-width="1.2"/>')
    lines += [_draw_box(box) for box in chart.boxes]
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
    """Links from the built page of ``page``: raw HTML is not rewritten by MkDocs, so these
    are final URLs, relative so the site works under any base path."""
    base = page_url(page)

    def href(kind: str, ident: str) -> str:
        rel = relative_path(paths.url(kind, ident).rstrip("/"), base.rstrip("/"))
        return "./" if rel == "." else rel + "/"

    return href


def absolute_href(base_url: str) -> Href:
    """Links to the published site, for a chart that leaves it (a PDF)."""
    root = base_url.rstrip("/") + "/"
    return lambda kind, ident: root + paths.url(kind, ident)


def _no_links(kind: str, ident: str) -> None:
    return None


def _chart(tree: Node, full: Node, locale: Locale, href: Href, title: str, *, scalable: bool = True) -> OrgChart:
    svg, boxes = render_svg(fold(tree, locale), locale, href, title, scalable=scalable)
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
