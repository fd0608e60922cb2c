"""``kpis: n/a``: a section that does not apply, moved into the entity's ``not_applicable`` list
before validation; a required field or an unknown name there is a problem, and so is a section
listed there that is written out all the same."""

from __future__ import annotations

from typing import Any

from ..model.entities import Entity
from ..model.entities.base import NOT_APPLICABLE_WORDS, optional_sections
from .hints import nearest
from .problems import Problem
from .source import Source


def not_applicable(data: dict[str, Any], source: Source, model: type[Entity]) -> tuple[dict[str, Any], list[Problem]]:
    """Move ``kpis: n/a`` into ``not_applicable``; a required field or an unknown name there is a mistake."""
    fields = model.model_fields
    choices = optional_sections(model)
    named = [str(v) for v in data.get("not_applicable") or [] if isinstance(data.get("not_applicable"), list)]
    problems = []
    for i, name in enumerate(named):
        if name not in choices:
            pos = source.pos(("not_applicable", i))
            near = nearest(name, choices)
            ordered = [near, *(c for c in choices if c != near)] if near else choices
            args = {"value": name, "choices": ", ".join(ordered)}
            problems.append(Problem(source.rel, pos.line, pos.col, f"not_applicable[{i}]", "na_unknown_field", args))
    for i, name in enumerate(named):
        value = data.get(name)
        said_na = isinstance(value, str) and value.strip() in NOT_APPLICABLE_WORDS
        if name in choices and value not in (None, "", [], {}) and not said_na:
            # "not_applicable: [kpis]" with KPIs below: the page would show them all the same.
            pos = source.pos(("not_applicable", i))
            field = f"not_applicable[{i}]"
            problems.append(Problem(source.rel, pos.line, pos.col, field, "na_but_written", {"key": name}))
    marked = [key for key, value in data.items() if isinstance(value, str) and value.strip() in NOT_APPLICABLE_WORDS]
    out = dict(data)
    for key in marked:
        if key not in fields or (key not in choices and not fields[key].is_required()):
            continue  # an unknown key stays and is reported as one; n/a in `source` is just text
        if key not in choices:
            pos = source.pos((key,))
            args = {"key": key, "value": data[key]}
            problems.append(Problem(source.rel, pos.line, pos.col, key, "na_required", args))
            continue
        del out[key]
        named.append(key)
    if named:
        out["not_applicable"] = list(dict.fromkeys(named))
    return out, problems
