"""The trees an org chart draws: company, unit and role trees from the handbook, folded to a box limit.

The trees also feed the nested lists of links printed under each chart (for screen readers,
search and print), so they hold every entry; :func:`fold` makes the drawable version.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from ..i18n import Locale
from ..link.handbook import Handbook
from ..link.headcount import role_headcount, unit_totals

#: Most boxes one chart draws; deeper or wider parts fold into boxes that link onwards.
MAX_BOXES = 40
#: Most rows of boxes one chart draws.
MAX_LEVELS = 8
#: On a role's chart: most peers and most direct reports drawn (the rest fold into one box).
MAX_PEERS = 12
MAX_REPORTS = 24


@dataclass
class Node:
    """One entry of a chart's tree: a unit, a role, or a fold standing for the rest."""

    kind: str
    """``unit``, ``role``, ``more`` (the rest of a folded list) or ``root`` (holds a forest)."""
    ident: str
    label: str
    count: str = ""
    """Headcount as shown: ``× 12``, ``9 人 · 编制 16 人``."""
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


# ---------------------------------------------------------------- trees from the handbook


def _role_node(hb: Handbook, locale: Locale, role_id: str, variant: str | None = None) -> Node:
    """A role's box; with ``variant``, that variant's: its name and its own headcount."""
    role = hb.roles[role_id]
    chosen = role.variant(variant) if variant else None
    if chosen is not None:
        role = role.as_variant(chosen.id)
    now, plan = role_headcount(hb, role_id, role)
    node = Node("role", role_id, chosen.name if chosen is not None else role.title)
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
    now, plan = totals.current, totals.planned
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


def role_tree(hb: Handbook, locale: Locale, role_id: str, *, limit: bool = True, variant: str | None = None) -> Node:
    """The role (marked) among its peers, under its superior, over its direct reports; with ``variant``,
    the marked box is that variant's (its job description counts its own people, not the role's).

    With ``limit``, peers and reports beyond :data:`MAX_PEERS` / :data:`MAX_REPORTS` fold
    into one box each; the list under the chart is built with ``limit=False``.
    """
    role = hb.roles[role_id]
    me = _role_node(hb, locale, role_id, variant)
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
