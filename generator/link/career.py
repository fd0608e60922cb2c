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
    targets = {n for r in roles.values() if (n := _next(r)) is not None}
    out: dict[str, list[str]] = {}
    for rid, role in roles.items():
        if rid in targets or _next(role) is None:
            continue
        path, seen = [rid], {rid}
        while (nxt := _next(roles[path[-1]])) is not None and nxt in roles and nxt not in seen:
            path.append(nxt)
            seen.add(nxt)
        if len(path) >= MIN_PATH:
            for member in path:
                out.setdefault(member, path)
    return out
