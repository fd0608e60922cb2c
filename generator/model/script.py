"""Chinese in both scripts: fixed-choice values typed in Traditional (會議, 週, 小時) are stored in
the Simplified form the models list (会议, 周, 小时), so a Traditional handbook validates as is."""

from __future__ import annotations

import functools
import types
import typing
from typing import Any, Literal

from pydantic import BaseModel


@functools.cache
def _converter(config: str) -> Any:
    import opencc  # a C++ library: loaded only when a value is not already a listed choice

    return opencc.OpenCC(config)


def simplified(text: str) -> str:
    """``text`` in Simplified Chinese (OpenCC's Traditional → Simplified, word by word)."""
    return str(_converter("t2s").convert(text))


def traditional(text: str) -> str:
    """``text`` in Traditional Chinese, Taiwan's standard characters (OpenCC s2tw: 考核, not 考覈),
    the words themselves unchanged."""
    return str(_converter("s2tw").convert(text))


def _literal_strings(annotation: Any) -> tuple[frozenset[str], bool] | None:
    """The Chinese choices of a ``Literal`` field (also inside ``| None`` or ``list[...]``), and whether a list."""
    origin = typing.get_origin(annotation)
    if origin is Literal:
        values = frozenset(v for v in typing.get_args(annotation) if isinstance(v, str) and not v.isascii())
        return (values, False) if values else None
    if origin in (typing.Union, types.UnionType):
        for arg in typing.get_args(annotation):
            found = _literal_strings(arg)
            if found:
                return found
    if origin is list:
        (item,) = typing.get_args(annotation)
        found = _literal_strings(item)
        return (found[0], True) if found else None
    return None


@functools.cache
def chinese_choices(model: type[BaseModel]) -> dict[str, tuple[frozenset[str], bool]]:
    """Field → its Chinese fixed choices (and whether the field is a list of them), for ``model``."""
    out = {}
    for name, info in model.model_fields.items():
        found = _literal_strings(info.annotation)
        if found:
            out[name] = found
    return out


def canonical(model: type[BaseModel], data: Any) -> Any:
    """``data`` with each Traditional fixed-choice value replaced by its Simplified choice."""
    choices = chinese_choices(model)
    if not choices or not isinstance(data, dict):
        return data
    out = data
    for name, (allowed, many) in choices.items():
        value = data.get(name)
        if many and isinstance(value, list):
            fixed = [_choice(v, allowed) for v in value]
            if fixed != value:
                out = {**out, name: fixed}
        elif isinstance(value, str) and value not in allowed:
            fixed_one = _choice(value, allowed)
            if fixed_one != value:
                out = {**out, name: fixed_one}
    return out


def _choice(value: object, allowed: frozenset[str]) -> object:
    if not isinstance(value, str) or value in allowed:
        return value
    converted = simplified(value)
    return converted if converted in allowed else value
