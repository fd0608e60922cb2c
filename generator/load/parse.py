"""Turn one source file's data into a typed entity, rewriting schema errors into plain problems."""

from __future__ import annotations

import difflib
import types
import typing
from collections.abc import Iterator
from typing import Any

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from ..i18n import Locale
from ..model import registry
from ..model.entities import ID_PATTERN, ID_RE, Entity
from .codes import ProblemCode
from .problems import Problem
from .source import FieldPath, Source, dotted

#: What each regex pattern in the models means, so the message can say it in words.
_PATTERN_CODES: dict[str, ProblemCode] = {
    ID_PATTERN: "bad_id",
    "^([01][0-9]|2[0-3]):[0-5][0-9]$": "bad_clock",
    "^第[1-9][0-9]?(天|周|月)$": "bad_when",
}


def parse_source(source: Source, locale: Locale) -> tuple[Entity | None, list[Problem]]:
    """Validate ``source.data`` against the model its ``kind`` names."""
    data = source.data
    rel = source.rel
    if not isinstance(data, dict):
        found = _type_name(data, locale)
        return None, [Problem(rel, 1, 1, "", "not_mapping", {"found": found})]
    kind = data.get("kind")
    kinds = ", ".join(registry.KINDS)
    if kind is None:
        return None, [Problem(rel, 1, 1, "kind", "kind_missing", {"kinds": kinds})]
    if not isinstance(kind, str) or not registry.is_kind(kind):  # kind: [] is unhashable
        pos = source.pos(("kind",))
        args = {"value": _show(kind), "kinds": kinds, "suggestion": _nearest(str(kind), registry.KINDS)}
        code: ProblemCode = "kind_unknown" if args["suggestion"] else "kind_unknown_plain"
        return None, [Problem(rel, pos.line, pos.col, "kind", code, args)]
    if "id" not in data:
        stem = source.path.stem
        if not ID_RE.match(stem):
            return None, [Problem(rel, 1, 1, "id", "bad_file_name", {"name": source.path.name})]
        data = {**data, "id": stem}
    model = registry.kind(kind).model
    try:
        return model.model_validate(data), []
    except ValidationError as exc:
        problems = [_rewrite(error, source, model, locale) for error in exc.errors()]
        return None, _dedupe(problems)


def _dedupe(problems: list[Problem]) -> list[Problem]:
    seen: set[tuple[int, int, str, str]] = set()
    out = []
    for p in problems:
        key = (p.line, p.col, p.field, p.code)
        if key not in seen:
            seen.add(key)
            out.append(p)
    return out


def _rewrite(error: ErrorDetails, source: Source, model: type[BaseModel], locale: Locale) -> Problem:
    """One pydantic error → one problem a non-programmer can act on."""
    loc: FieldPath = tuple(p for p in error["loc"] if isinstance(p, (str, int)))
    etype = error["type"]
    field = dotted(loc)
    rel = source.rel
    value = error.get("input")
    ctx = error.get("ctx") or {}

    if etype == "missing":
        pos = source.pos(loc[:-1])
        return Problem(rel, pos.line, pos.col, field, "missing", {"key": str(loc[-1])})
    if etype == "extra_forbidden":
        pos = source.pos(loc, key=True)
        key = str(loc[-1])
        known = _known_keys(model, loc[:-1])
        suggestion = locale.key_hints.get(key) if locale.key_hints.get(key) in known else None
        suggestion = suggestion or _nearest(key, known)
        args = {"key": key, "known": ", ".join(known)}
        if suggestion:
            return Problem(rel, pos.line, pos.col, field, "unknown_key_suggest", {**args, "suggestion": suggestion})
        return Problem(rel, pos.line, pos.col, field, "unknown_key", args)

    pos = source.pos(loc)
    shown = _show(value)
    if etype == "literal_error":
        options = str(ctx.get("expected", ""))
        return Problem(rel, pos.line, pos.col, field, "not_one_of", {"value": shown, "expected": options})
    if etype == "string_pattern_mismatch":
        code: ProblemCode = _PATTERN_CODES.get(str(ctx.get("pattern", "")), "bad_format")
        if code == "bad_id" and loc and loc[-1] not in ("id",) and isinstance(loc[-1], str):
            code = "bad_ref_id"
        if str(ctx.get("pattern", "")).count("#"):
            code = "bad_policy_ref"
        return Problem(rel, pos.line, pos.col, field, code, {"value": shown})
    if etype in ("string_too_short", "too_short"):
        return Problem(rel, pos.line, pos.col, field, "empty_value", {"min": str(ctx.get("min_length", 1))})
    if etype in ("string_too_long", "too_long"):
        return Problem(rel, pos.line, pos.col, field, "too_long", {"max": str(ctx.get("max_length", ""))})
    if etype in _BOUND_CODES:
        bound = next(iter(ctx.values()), "")
        return Problem(rel, pos.line, pos.col, field, _BOUND_CODES[etype], {"value": shown, "bound": str(bound)})
    if etype == "finite_number":
        return Problem(rel, pos.line, pos.col, field, "num_not_finite", {"value": shown})
    if etype.startswith("date") or etype.startswith("datetime"):
        return Problem(rel, pos.line, pos.col, field, "bad_date", {"value": shown})
    expected = _EXPECTED.get(etype)
    if expected:
        args = {"expected": locale.label(f"type_{expected}"), "found": _type_name(value, locale), "value": shown}
        return Problem(rel, pos.line, pos.col, field, "wrong_type", args)
    return Problem(rel, pos.line, pos.col, field, "invalid_value", {"value": shown, "detail": error.get("msg", "")})


#: pydantic's error type for a number out of bounds → the problem that says so.
_BOUND_CODES: dict[str, ProblemCode] = {
    "greater_than": "num_greater_than",
    "greater_than_equal": "num_greater_than_equal",
    "less_than": "num_less_than",
    "less_than_equal": "num_less_than_equal",
}

_EXPECTED = {
    "string_type": "text",
    "int_type": "integer",
    "int_parsing": "integer",
    "int_from_float": "integer",
    "float_type": "number",
    "float_parsing": "number",
    "list_type": "list",
    "model_type": "mapping",
    "dict_type": "mapping",
    "model_attributes_type": "mapping",
    "bool_type": "bool",
    "bool_parsing": "bool",
}


def _type_name(value: Any, locale: Locale) -> str:
    if isinstance(value, bool):
        return locale.label("type_bool")
    if isinstance(value, int):
        return locale.label("type_integer")
    if isinstance(value, float):
        return locale.label("type_number")
    if isinstance(value, str):
        return locale.label("type_text")
    if isinstance(value, list):
        return locale.label("type_list")
    if isinstance(value, dict):
        return locale.label("type_mapping")
    if value is None:
        return locale.label("type_empty")
    return type(value).__name__


def _show(value: Any) -> str:
    text = str(value) if not isinstance(value, (dict, list)) else "…"
    return text if len(text) <= 40 else text[:39] + "…"


def _nearest(word: str, choices: typing.Iterable[str]) -> str:
    """The closest spelling among ``choices``, or '' when nothing is close."""
    pool = list(choices)
    lowered = {c.lower(): c for c in pool}
    if word.lower() in lowered:
        return lowered[word.lower()]
    found = difflib.get_close_matches(word, pool, n=1, cutoff=0.6)
    if found:
        return found[0]
    # A shortened id ("late" for "late-arrival") is the other common slip.
    containing = [c for c in pool if len(word) >= 3 and word.lower() in c.lower()]
    return containing[0] if len(containing) == 1 else ""


nearest = _nearest


def _model_in(annotation: Any) -> type[BaseModel] | None:
    """The model class inside ``X``, ``list[X]``, ``X | None`` or ``Annotated[X, …]``."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    origin = typing.get_origin(annotation)
    if origin is None:
        return None
    for arg in typing.get_args(annotation):
        found = _model_in(arg)
        if found is not None:
            return found
    if origin in (types.UnionType, typing.Union):
        return None
    return None


def _known_keys(model: type[BaseModel], loc: FieldPath) -> list[str]:
    """Field names allowed at ``loc`` inside ``model``."""
    current: type[BaseModel] | None = model
    for part in loc:
        if current is None:
            return []
        if isinstance(part, int):
            continue
        info = current.model_fields.get(part)
        current = _model_in(info.annotation) if info else None
    return list(current.model_fields) if current else []


def iter_models(model: type[BaseModel]) -> Iterator[type[BaseModel]]:
    """``model`` and every model nested in its fields (used by schema and docs)."""
    seen: set[type[BaseModel]] = set()
    stack = [model]
    while stack:
        cls = stack.pop()
        if cls in seen:
            continue
        seen.add(cls)
        yield cls
        for info in cls.model_fields.values():
            inner = _model_in(info.annotation)
            if inner is not None:
                stack.append(inner)
