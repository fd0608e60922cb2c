"""Turn one source file's data into a typed entity, rewriting schema errors into plain problems."""

from __future__ import annotations

import datetime as dt
import functools
import re
import types
import typing
from collections.abc import Iterator
from typing import Any

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from ..i18n import Locale, available, load_locale
from ..model import registry
from ..model.choices import set_for
from ..model.entities import ID_PATTERN, ID_RE, Entity
from ..model.entities.base import END_CLOCK_PATTERN
from ..model.entities.kpi import MONTHS_PATTERN
from ..model.entities.unit import LOGO_PATTERN
from . import hints, lookalikes, punctuation
from .codes import ProblemCode
from .hints import nearest
from .notapplicable import not_applicable
from .problems import Problem, Severity
from .source import FieldPath, Source, dotted

#: What each regex pattern in the models means, so the message can say it in words.
_PATTERN_CODES: dict[str, ProblemCode] = {
    ID_PATTERN: "bad_id",
    "^([01][0-9]|2[0-3]):[0-5][0-9]$": "bad_clock",
    END_CLOCK_PATTERN: "bad_clock",
    "^第[1-9][0-9]?(天|周|月)$": "bad_when",
    MONTHS_PATTERN: "bad_months",
    LOGO_PATTERN: "bad_logo",
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
        named = {locale.label(f"kind_{k}"): k for k in registry.KINDS}
        suggestion = named.get(str(kind).strip()) or nearest(str(kind), registry.KINDS)
        args = {"value": _show(kind), "kinds": kinds, "suggestion": suggestion}
        code: ProblemCode = "kind_unknown" if args["suggestion"] else "kind_unknown_plain"
        return None, [Problem(rel, pos.line, pos.col, "kind", code, args)]
    if "id" not in data:
        stem = source.path.stem
        if not ID_RE.match(stem):
            suggestion = re.sub(r"[^a-z0-9]+", "-", stem.lower()).strip("-")
            args = {"name": source.path.name, "suggestion": suggestion}
            name_code: ProblemCode = "bad_file_name_suggest" if suggestion else "bad_file_name"
            if suggestion and (source.path.parent / f"{suggestion}.yaml").exists():
                # "agent - 副本.yaml": a file manager's copy; its own name would clash with the original.
                n = 2
                while (source.path.parent / f"{suggestion}-{n}.yaml").exists():
                    n += 1
                args = {**args, "original": f"{suggestion}.yaml", "suggestion": f"{suggestion}-{n}"}
                name_code = "bad_file_name_copy"
            return None, [Problem(rel, 1, 1, "id", name_code, args)]
        data = {**data, "id": stem}
    model = registry.kind(kind).model
    unfilled = list(_placeholders(source))
    if unfilled:
        return None, unfilled
    data, misuse = not_applicable(data, source, model)
    if misuse:
        return None, misuse
    try:
        entity = model.model_validate(data)
    except ValidationError as exc:
        problems = [_rewrite(error, source, model, locale) for error in exc.errors()]
        return None, _dedupe(problems)
    return entity, [*_number_traps(source, model), *_ascii_punctuation(source), *lookalikes.accepted(source)]


@functools.cache
def _markers() -> tuple[str, ...]:
    """The placeholder ``handbook new`` writes, in every language (a file may come from either)."""
    return tuple(load_locale(lang).label("new_marker") for lang in available())


def _strings(source: Source) -> Iterator[tuple[FieldPath, str]]:
    """The texts the walker found notable (see ``Source.notable``), with their paths."""
    for path in source.notable:
        value = _value_at(source.data, path)
        if isinstance(value, str):
            yield path, value


def _placeholders(source: Source) -> Iterator[Problem]:
    """Values still holding the template's marker: the file is not filled in yet (or holds text after it)."""
    markers = _markers()
    for path, value in _strings(source):
        marker = next((m for m in markers if value.startswith(m)), None)
        if marker is None:
            continue
        pos = source.pos(path)
        key = next((str(p) for p in reversed(path) if isinstance(p, str)), "")
        typed = value[len(marker) :].strip(" ：:")
        # The template's comment above the line says what the field holds, with an example.
        above = source.lines[pos.line - 2].strip() if 1 < pos.line <= len(source.lines) + 1 else ""
        hint = above.removeprefix("#").strip() if above.startswith("#") else ""
        args = {"key": key, "marker": marker, "typed": typed, "hint": hint}
        code: ProblemCode = "placeholder_with_text" if typed else "placeholder_unfilled"
        if code == "placeholder_unfilled" and hint:
            code = "placeholder_unfilled_hint"
        yield Problem(source.rel, pos.line, pos.col, dotted(path), code, args)


def _ascii_punctuation(source: Source) -> Iterator[Problem]:
    """One counted warning per file for ``协作,开发``: ASCII punctuation inside Chinese text (fmt fixes it)."""
    first: tuple[FieldPath, int] | None = None
    count = 0
    for path, value in _strings(source):
        found = punctuation.spots(value)
        if found:
            count += len(found)
            first = first or (path, found[0])
    if first is not None:
        pos = source.text_pos(*first)
        char = str(_value_at(source.data, first[0]))[first[1]]
        args = {"count": str(count), "char": char, "full": punctuation.FULL_WIDTH[char], "file": source.rel}
        yield Problem(source.rel, pos.line, pos.col, dotted(first[0]), "ascii_punctuation", args, Severity.WARNING)


def _number_traps(source: Source, model: type[BaseModel]) -> Iterator[Problem]:
    """Numbers typed into text fields: ``version: 2024.10`` silently became "2024.1", ``id: 123`` an id."""
    for path, typed in source.numbers.items():
        if not _holds_text(model, path):
            continue
        pos = source.pos(path)
        key = next((str(p) for p in reversed(path) if isinstance(p, str)), "")
        value = _value_at(source.data, path)
        args = {"key": key, "typed": typed, "read": str(value), "write": hints.write(path, f'"{typed}"')}
        if str(value) != typed:
            yield Problem(source.rel, pos.line, pos.col, dotted(path), "number_loses_digits", args, Severity.WARNING)
        elif key in ("id", "aliases"):
            yield Problem(source.rel, pos.line, pos.col, dotted(path), "numeric_id", args, Severity.WARNING)


def _value_at(data: Any, path: FieldPath) -> Any:
    for part in path:
        data = data[part]
    return data


def _holds_text(model: type[BaseModel], loc: FieldPath) -> bool:
    """True when the field at ``loc`` takes text (so pydantic turns a number there into a string)."""
    return _holds_text_at(model, tuple(0 if isinstance(p, int) else p for p in loc))


@functools.cache
def _holds_text_at(model: type[BaseModel], loc: FieldPath) -> bool:
    current: type[BaseModel] | None = model
    annotation: Any = None
    for part in loc:
        if isinstance(part, int):
            annotation = _item_type(annotation)
            current = _model_in(annotation)
            continue
        if current is None or part not in current.model_fields:
            return False
        annotation = current.model_fields[part].annotation
        current = _model_in(annotation)
    return _is_str(annotation)


def _item_type(annotation: Any) -> Any:
    for arg in typing.get_args(annotation) or ():
        if typing.get_origin(arg) is list:
            return typing.get_args(arg)[0]
    return typing.get_args(annotation)[0] if typing.get_origin(annotation) is list else annotation


def _is_str(annotation: Any) -> bool:
    if annotation is str:
        return True
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _is_str(typing.get_args(annotation)[0])
    if origin in (types.UnionType, typing.Union):
        return any(_is_str(arg) for arg in typing.get_args(annotation))
    return False


def _parent(field: str) -> str:
    return field.rsplit(".", 1)[0] if "." in field else ""


def _dedupe(problems: list[Problem]) -> list[Problem]:
    # "targt: 30" is one mistake, not two: the unknown key that suggests a missing one says it all.
    meant = {(_parent(p.field), p.args.get("suggestion")) for p in problems if p.code == "unknown_key_suggest"}
    problems = [p for p in problems if not (p.code == "missing" and (_parent(p.field), p.args.get("key")) in meant)]
    seen: set[tuple[int, int, str, str]] = set()
    out = []
    for p in problems:
        key = (p.line, p.col, p.field, p.code)
        if key not in seen:
            seen.add(key)
            out.append(p)
    return out


def _as_written(data: Any, loc: FieldPath, *, cut_missing: bool = True) -> FieldPath:
    """The path cut where the file holds plain text: a duty written as text is ``items[0]``, not ``items[0].text``."""
    for depth, part in enumerate(loc):
        in_list = isinstance(data, list) and isinstance(part, int) and 0 <= part < len(data)
        if in_list or (isinstance(data, dict) and part in data):
            data = data[part]
        else:
            # Text, a number or a list where the model wants an object; or a key the file never wrote.
            return loc[:depth] if depth and (not isinstance(data, dict) or cut_missing) else loc
    return loc


def _rewrite(error: ErrorDetails, source: Source, model: type[BaseModel], locale: Locale) -> Problem:
    """One pydantic error → one problem a non-programmer can act on."""
    raw: FieldPath = tuple(p for p in error["loc"] if isinstance(p, (str, int)))
    # A missing key is reported at its own name; any other error where the file holds it.
    loc = _as_written(source.data, raw, cut_missing=error["type"] not in ("missing", "extra_forbidden"))
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
        suggestion = suggestion or nearest(key, known)
        args = {"key": key, "known": ", ".join(known)}
        if suggestion:
            return Problem(rel, pos.line, pos.col, field, "unknown_key_suggest", {**args, "suggestion": suggestion})
        return Problem(rel, pos.line, pos.col, field, "unknown_key", args)

    pos = source.pos(loc)
    shown = _show(value)
    options = re.findall(r"'([^']*)'", str(ctx.get("expected", ""))) if etype == "literal_error" else []
    # Curly quotes or a full-width sign: named as such (an id's own message says it for ids).
    if _PATTERN_CODES.get(str(ctx.get("pattern", ""))) != "bad_id" and (
            look := lookalikes.rejected(value, source, loc, options)):
        return Problem(rel, look[2].line, look[2].col, field, look[0], look[1])
    if etype == "literal_error":
        # pydantic lists the options in English ("'a', 'b' or 'c'"): list them ourselves.
        options = re.findall(r"'([^']*)'", str(ctx.get("expected", "")))
        chosen = set_for(options)
        # Listed as the file's language writes them (day, week … in English; 週 in Traditional).
        words = [chosen.shown(o, locale.lang) for o in options] if chosen else options
        args = {"value": shown, "expected": locale.label("list_separator").join(words)}
        typed = _TYPE_HINTS.get(shown.strip()) if loc[-1:] == ("type",) else None
        suggestion = typed or _CHOICE_HINTS.get(shown.strip()) or nearest(shown, options)
        if suggestion not in options and chosen:
            spelled = {s: v for v in options for s in chosen.spellings[v][locale.lang]}
            suggestion = spelled.get(nearest(shown, list(spelled)) or "", suggestion)
        if suggestion in options:
            in_words = chosen.shown(suggestion, locale.lang) if chosen else suggestion
            return Problem(rel, pos.line, pos.col, field, "not_one_of_suggest", {**args, "suggestion": in_words})
        return Problem(rel, pos.line, pos.col, field, "not_one_of", args)
    if etype == "string_pattern_mismatch":
        code: ProblemCode = _PATTERN_CODES.get(str(ctx.get("pattern", "")), "bad_format")
        special = hints.pattern_hint(code, str(value), source, loc)
        if special is not None:
            hint, args, where = special
            return Problem(rel, where.line, where.col, field, hint, args)
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
        shown_bound = f"{bound:g}" if isinstance(bound, float) else str(bound)
        return Problem(rel, pos.line, pos.col, field, _BOUND_CODES[etype], {"value": shown, "bound": shown_bound})
    if etype == "finite_number":
        return Problem(rel, pos.line, pos.col, field, "num_not_finite", {"value": shown})
    if etype.startswith("date") or etype.startswith("datetime"):
        code, args = hints.date_hint(str(value))
        return Problem(rel, pos.line, pos.col, field, code, args)
    expected = _EXPECTED.get(etype)
    if expected:
        concrete = hints.wrong_type(expected, value, source, loc, _required_first(model, loc))
        if concrete is not None:
            code, args, where = concrete
            return Problem(rel, where.line, where.col, field, code, args)
        args = {"expected": locale.label(f"type_{expected}"), "found": _type_name(value, locale), "value": shown}
        return Problem(rel, pos.line, pos.col, field, "wrong_type", args)
    return Problem(rel, pos.line, pos.col, field, "invalid_value", {"value": shown, "detail": error.get("msg", "")})


#: What an editor types for a comparator or an option, and the option meant.
_CHOICE_HINTS = {">": "≥", ">=": "≥", "=>": "≥", "＞": "≥", "<": "≤", "<=": "≤", "=<": "≤", "＜": "≤", "==": "=",
                 "＝": "=", "大于等于": "≥", "不低于": "≥", "小于等于": "≤", "不超过": "≤", "等于": "=",
                 "天": "日", "每日": "日", "每天": "日", "每周": "周", "星期": "周", "每月": "月", "月度": "月",
                 "季度": "季", "每季": "季", "年度": "年", "每年": "年", "奖励": "reward", "奖金": "reward",
                 "罚款": "penalty", "扣罚": "penalty", "处罚": "penalty", "扣款": "penalty", "负责": "responsible",
                 "执行": "responsible", "批准": "accountable", "审批": "accountable", "咨询": "consulted",
                 "知会": "informed", "告知": "informed", "知悉": "informed"}

#: What an editor types for a consequence's type, and the type meant.
_TYPE_HINTS = {"罚款": "money", "扣款": "money", "扣罚": "money", "奖金": "money", "现金": "money", "扣分": "points",
               "积分": "points", "分": "points", "警告": "warning", "通报批评": "warning", "批评": "warning",
               "降级": "demotion", "降职": "demotion", "培训": "training", "辞退": "dismissal", "开除": "dismissal",
               "评优": "eligibility", "资格": "eligibility", "其他": "other"}

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
    if isinstance(value, (dt.date, dt.datetime)):
        return locale.label("type_date")
    return locale.label("type_other")


def _show(value: Any) -> str:
    text = str(value) if not isinstance(value, (dict, list)) else "…"
    return text if len(text) <= 40 else text[:39] + "…"


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


def _required_first(model: type[BaseModel], loc: FieldPath) -> list[str]:
    """The fields of the model at ``loc``, required ones first (what an example should show)."""
    inner = _model_at(model, loc)
    if inner is None:
        return []
    fields = inner.model_fields
    return sorted(fields, key=lambda name: (not fields[name].is_required(), name == "id"))


def _model_at(model: type[BaseModel], loc: FieldPath) -> type[BaseModel] | None:
    current: type[BaseModel] | None = model
    for part in loc:
        if current is None:
            return None
        if isinstance(part, int):
            continue
        info = current.model_fields.get(part)
        current = _model_in(info.annotation) if info else None
    return current


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
