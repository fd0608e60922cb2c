"""Where roles sit on the job ladder: family, grade, open positions, and the competencies they need.

Gathered once after linking (``pipeline.validate``) into small tables of their own, so the matrix and competency pages
read these instead of every role: ``handbook serve`` then re-renders them only when a role's
place, title, headcount or competency levels change, not on every edit of a role.
"""

from __future__ import annotations

from .handbook import Handbook, Need, Place
from .headcount import role_headcount


def vacancy(hb: Handbook, role_id: str) -> int | None:
    """Planned − current (never below 0) for a role, or None when either is not known."""
    current, planned = role_headcount(hb, role_id)
    if current is None or planned is None:
        return None
    return max(planned - current, 0)


def gather(hb: Handbook) -> None:
    """Fill ``hb.ladder_cells`` and ``hb.competency_roles`` from the roles (unknown ids left out)."""
    families, grades, competencies = hb.table("family"), hb.table("grade"), hb.table("competency")
    for rid, role in hb.roles.items():
        family = role.family if role.family in families else None
        grade = role.grade if role.grade in grades else None
        # A role whose variants give their own grade or family (N1 … N4 of one role) sits on the
        # ladder as those variants, each at its rung with its own vacancies; any other role as itself.
        rungs = [v for v in role.variants if getattr(v, "grade", None) or getattr(v, "family", None)]
        if not rungs and (family or grade):
            hb.ladder_cells[(family, grade)].append(Place(rid, role.title, vacancy(hb, rid)))
        for variant in role.variants if rungs else ():
            # The fields a variant may give come from fields.yaml, so they are read by name.
            v_family = getattr(variant, "family", None) or role.family
            v_grade = getattr(variant, "grade", None) or role.grade
            v_family = v_family if v_family in families else None
            v_grade = v_grade if v_grade in grades else None
            if v_family or v_grade:
                count = getattr(variant, "headcount", None)
                open_ = (max(count.planned - count.current, 0)
                         if count and count.planned is not None and count.current is not None else None)
                place = Place(rid, role.title, open_, variant.name, f"variant-{variant.id}")
                hb.ladder_cells[(v_family, v_grade)].append(place)
        for cid, level in role.competencies.items():
            if cid in competencies:
                hb.competency_roles[cid].append(Need(level, rid, role.title))
