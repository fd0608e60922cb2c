"""Career paths: chains of roles through ``career.next`` (销售代表 → 客户经理 → 市场经理 → 大区经理)."""

from __future__ import annotations

from ..model.entities import Role

#: Shortest chain worth a side-by-side page of its own.
MIN_PATH = 3


def _next(role: Role) -> str | None:
    return role.career.next[0] if role.career and role.career.next else None


def career_paths(roles: dict[str, Role]) -> dict[str, list[str]]:
    """Role id → the path it is on (entry level first), following each role's first ``career.next``.

    A path starts at a role that no other role leads to; cycles and unknown ids end it.
    """
    nexts = {rid: _next(role) for rid, role in roles.items()}  # read once: the walks below ask again and again
    targets = {n for n in nexts.values() if n is not None}
    out: dict[str, list[str]] = {}
    for rid, first in nexts.items():
        if rid in targets or first is None:
            continue
        path, seen = [rid], {rid}
        while (nxt := nexts[path[-1]]) is not None and nxt in roles and nxt not in seen:
            path.append(nxt)
            seen.add(nxt)
        if len(path) >= MIN_PATH:
            for member in path:
                out.setdefault(member, path)
    return out
