"""A variant reads each role field by the mode fields.yaml declares for it: replace, add, or merge
(a nested model taken part by part, each part by its own mode). Cases come from the declarations."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import BaseModel

from generator.model.declare import shapes
from generator.model.entities import Role
from generator.model.fields import declared

BASE: dict[str, Any] = {"kind": "role", "id": "nurse", "title": "护士", "unit": "ward"}


def _sample(model: type[BaseModel], name: str, salt: str) -> Any:
    """A value for ``model.name`` that differs with ``salt``: its example, lists given a marked item."""
    example = declared(model, name).help.example
    shape = shapes(model)[name]
    if shape.item is not None:
        return [f"{example[0]}{salt}"] if isinstance(example, list) and isinstance(example[0], str) else example
    if shape.scalar == "text":
        return f"{example}{salt}"
    if shape.scalar in ("int", "number"):
        return example + (1 if salt == "v" else 0)
    return example


def _inner(field: str) -> type[BaseModel]:
    model = shapes(Role)[field].model
    assert model is not None, f"{field} is declared variant: merge, so it is a nested model"
    return model


MERGED = [name for name in Role.model_fields if declared(Role, name).variant == "merge"]
PARTS = [(field, part) for field in MERGED for part in _inner(field).model_fields]


def test_some_field_merges_part_by_part() -> None:
    assert "qualifications" in MERGED
    assert {declared(_inner(f), p).variant for f, p in PARTS} == {"add", "replace"}


@pytest.mark.parametrize(("field", "part"), PARTS, ids=[f"{f}.{p}" for f, p in PARTS])
def test_a_variant_merges_each_part_by_its_declared_mode(field: str, part: str) -> None:
    inner = _inner(field)
    others = [p for p in inner.model_fields if p != part]
    own = {part: _sample(inner, part, "r"), **{p: _sample(inner, p, "r") for p in others[:1]}}
    given = {part: _sample(inner, part, "v")}
    role = Role.model_validate({**BASE, field: own, "variants": [{"id": "n3", "name": "N3", field: given}]})
    read = getattr(role.as_variant("n3"), field)
    mode = declared(inner, part).variant
    expected = [*own[part], *given[part]] if mode == "add" else given[part]
    assert getattr(read, part) == expected, mode
    for other in others[:1]:
        assert getattr(read, other) == own[other], "a part the variant leaves out stays the role's"
