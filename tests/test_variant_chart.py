"""A variant's job description shows the variant in its org chart: its name and its own headcount,
not the whole role's. Cases: every variant of every role in the sample and the fixtures."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.i18n import load_locale
from generator.link.pipeline import validate
from generator.project import company_locale
from generator.render.orgtree import Node
from generator.render.views import role_view

from .conftest import FIXTURES, REPO

ROOTS = [REPO / "roles", *sorted(p / "roles" for p in FIXTURES.iterdir() if (p / "roles").is_dir())]


def _marked(node: Node) -> Node | None:
    if node.marked:
        return node
    return next((m for child in node.children if (m := _marked(child)) is not None), None)


def _variant_cases() -> list[tuple[Path, str, str]]:
    cases = []
    for roles in ROOTS:
        result = validate(roles, locale=load_locale(company_locale(roles) or "zh"))
        for rid, role in sorted(result.handbook.roles.items()):
            cases += [(roles, rid, v.id) for v in role.variants]
    return cases


CASES = _variant_cases()


def test_some_variant_has_a_headcount_of_its_own() -> None:
    assert CASES, "a fixture has roles with variants"


@pytest.mark.parametrize(("roles", "rid", "vid"), CASES, ids=[f"{r.parent.name}:{i}.{v}" for r, i, v in CASES])
def test_a_variants_chart_marks_the_variant_with_its_own_headcount(roles: Path, rid: str, vid: str) -> None:
    locale = load_locale(company_locale(roles) or "zh")
    hb = validate(roles, locale=locale).handbook
    role = hb.roles[rid]
    variant = role.variant(vid)
    assert variant is not None
    own_chart, my_chart = role_view(hb, locale, rid).value("chart"), role_view(hb, locale, rid, vid).value("chart")
    own, mine = _marked(own_chart.tree), _marked(my_chart.tree)
    assert own is not None and mine is not None
    assert own.label == role.title and mine.label == variant.name
    given = getattr(variant, "headcount", None)  # a variant's fields come from fields.yaml, read by name
    counted = given or role.headcount
    if counted is not None and counted.current is not None:
        assert str(counted.current) in mine.count
    if given and role.headcount and given.current != role.headcount.current:
        assert mine.count != own.count
