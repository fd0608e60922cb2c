"""What a field's type declares: the shape of its value and, for references, the kind it names.

A reference is declared once, in the model, as ``Annotated[Slug, RefTo("unit")]`` (the
aliases ``UnitId``, ``RoleId`` … in ``entities/base.py``). Everything that needs to know which
fields hold ids (the reference check, reverse references, renames, forms, workbooks) reads
:func:`shape` and :func:`refs`, so a new reference field is checked and linked with no
further edit.
"""

from __future__ import annotations

import datetime as dt
import types
import typing
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from typing import Annotated, Any, Literal, Union

from pydantic import BaseModel

#: The ``kind`` of a :class:`RefTo` that accepts a reference to any kind, written ``kind:id#anchor``.
ANY_KIND = "*"

FieldPath = tuple[str | int, ...]
"""Keys and list indexes from the top of a file to a value (as ``load.source`` uses them)."""


@dataclass(frozen=True)
class RefTo:
    """The value is the id of an entity of ``kind``; with ``clause``, ``policy-id#clause-id`` too.

    ``ANY_KIND`` takes ``kind:id`` or ``kind:id#anchor`` (a bare reference, as in onboarding steps).
    """

    kind: str
    clause: bool = False


Scalar = Literal["text", "int", "number", "bool", "date", "choice"]


@dataclass(frozen=True)
class Shape:
    """How a value is built, as far as the generic readers care (one of the attributes is set).

    ``model``: a nested model; ``item``: a list of; ``key``/``value``: a mapping; ``scalar``:
    a plain value (``choices`` lists a fixed choice's values); ``ref``: the id of an entity.
    """

    scalar: Scalar | None = None
    choices: tuple[str, ...] = ()
    ref: RefTo | None = None
    model: type[BaseModel] | None = None
    item: Shape | None = None
    key: Shape | None = None
    value: Shape | None = None
    optional: bool = False

    @property
    def is_list(self) -> bool:
        """True for a list of values or models."""
        return self.item is not None


def _without_none(annotation: Any) -> tuple[Any, bool]:
    """The annotation with ``| None`` taken off, and whether it was there."""
    origin = typing.get_origin(annotation)
    if origin in (Union, types.UnionType):
        args = [a for a in typing.get_args(annotation) if a is not type(None)]
        if len(args) == 1:
            return args[0], len(args) != len(typing.get_args(annotation))
    return annotation, False


def shape_of(annotation: Any, metadata: tuple[Any, ...] = ()) -> Shape:
    """The :class:`Shape` of a type annotation (plus the field's own metadata, where pydantic keeps it)."""
    annotation, optional = _without_none(annotation)
    meta = tuple(metadata)
    while typing.get_origin(annotation) is Annotated:
        annotation, *extra = typing.get_args(annotation)
        meta += tuple(extra)
        annotation, inner_optional = _without_none(annotation)
        optional = optional or inner_optional
    ref = next((m for m in meta if isinstance(m, RefTo)), None)
    if ref is not None:
        return Shape(ref=ref, optional=optional)
    origin = typing.get_origin(annotation)
    args = typing.get_args(annotation)
    if origin in (list, tuple, set, frozenset) and args:
        return Shape(item=shape_of(args[0]), optional=optional)
    if origin is dict and len(args) == 2:
        return Shape(key=shape_of(args[0]), value=shape_of(args[1]), optional=optional)
    if origin is Literal:
        return Shape(scalar="choice", choices=tuple(str(a) for a in args), optional=optional)
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return Shape(model=annotation, optional=optional)
    scalar: Scalar = "text"
    if annotation is bool:
        scalar = "bool"
    elif annotation is int:
        scalar = "int"
    elif annotation is float:
        scalar = "number"
    elif annotation is dt.date:
        scalar = "date"
    return Shape(scalar=scalar, optional=optional)


@cache
def shapes(model: type[BaseModel]) -> dict[str, Shape]:
    """Field name → :class:`Shape`, for every field of ``model``, in the model's order."""
    return {name: shape_of(info.annotation, tuple(info.metadata)) for name, info in model.model_fields.items()}


def iter_models(model: type[BaseModel]) -> Iterator[type[BaseModel]]:
    """``model`` and every model nested in its fields, each once."""
    seen: set[type[BaseModel]] = set()
    stack = [model]
    while stack:
        cls = stack.pop()
        if cls in seen:
            continue
        seen.add(cls)
        yield cls
        for found in shapes(cls).values():
            stack.extend(reversed(list(_models_in(found))))


def _models_in(found: Shape) -> Iterator[type[BaseModel]]:
    for part in (found.item, found.key, found.value):
        if part is not None:
            yield from _models_in(part)
    if found.model is not None:
        yield found.model


@dataclass(frozen=True)
class FoundRef:
    """A reference held in a field: where it is, what it may name, and the value as written."""

    path: FieldPath
    to: RefTo
    value: str
    is_key: bool = False
    """The id is a mapping's key (``competencies: {customer-focus: 3}``), not a value."""


def refs(obj: BaseModel, path: FieldPath = ()) -> Iterator[FoundRef]:
    """Every id held in a reference field of ``obj`` (at any depth), in field order."""
    for name, found in shapes(type(obj)).items():
        yield from _refs_in(found, getattr(obj, name), (*path, name))


def _refs_in(found: Shape, value: Any, path: FieldPath) -> Iterator[FoundRef]:
    if value is None:
        return
    if found.ref is not None:
        if isinstance(value, str):
            yield FoundRef(path, found.ref, value)
    elif found.model is not None and isinstance(value, BaseModel):
        yield from refs(value, path)
    elif found.item is not None and isinstance(value, (list, tuple)):
        for i, item in enumerate(value):
            yield from _refs_in(found.item, item, (*path, i))
    elif found.key is not None and found.value is not None and isinstance(value, dict):
        for key, item in value.items():
            if found.key.ref is not None and isinstance(key, str):
                yield FoundRef((*path, key), found.key.ref, key, is_key=True)
            yield from _refs_in(found.value, item, (*path, key))


def has_refs(model: type[BaseModel]) -> bool:
    """True when ``model`` or a model inside it has a reference field (else :func:`refs` finds nothing)."""
    return any(_ref_in(found) for cls in iter_models(model) for found in shapes(cls).values())


def _ref_in(found: Shape) -> bool:
    return found.ref is not None or any(_ref_in(p) for p in (found.item, found.key, found.value) if p is not None)
