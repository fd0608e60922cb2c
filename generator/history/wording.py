"""A semantic diff in HR's words (“考核指标 通话次数 目标：≥ 30 次/日 → ≥ 35 次/日”), as text, Markdown or JSON."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from pydantic import BaseModel

from ..i18n import Locale
from ..model.entities import (
    KPI,
    Clause,
    Consequence,
    Deadline,
    Duration,
    DutyArea,
    DutyItem,
    Headcount,
    OnboardingStep,
    Participant,
    ProcessStep,
    ResponseTime,
    TeamStage,
    TimeBlock,
    When,
)
from ..render import formatting
from ..render.markup import escape_plain
from .git import WORKTREE
from .semantic import Change, EntityDiff, Item, Segment


def _field(name: str, locale: Locale) -> str:
    key = f"diff_f_{name}"
    return locale.label(key) if key in locale.labels else name


def _segment(seg: Segment, locale: Locale) -> str:
    if isinstance(seg, str):
        return _field(seg, locale)
    if seg.of == "Clause" and seg.number is not None:
        return locale.label("diff_clause_number").format(n=seg.number)
    if seg.of == "ProcessStep" and seg.number is not None:
        return locale.label("diff_step_number").format(n=seg.number)
    return seg.label


def where(change: Change, locale: Locale) -> str:
    """The changed field in readers' words: ``考核指标 通话次数 目标``, ``条款 第 4 条``."""
    path = change.path
    # A numbered item names its list itself (条款 第 4 条), so the list's own name is left out.
    kept = [s for i, s in enumerate(path) if not (i + 1 < len(path) and _numbered(path[i + 1]))]
    return " ".join(w for w in (_segment(s, locale) for s in kept) if w)


def _numbered(seg: Segment) -> bool:
    return isinstance(seg, Item) and seg.number is not None


def value(v: object, locale: Locale) -> str:
    """One value as a reader would write it."""
    sep = locale.label("list_sep")
    colon = locale.label("colon")
    if v is None:
        return ""
    if isinstance(v, bool):
        return locale.label("value_yes" if v else "value_no")
    if isinstance(v, (int, float)):
        return formatting.number(v)
    if isinstance(v, dt.date):
        return v.isoformat()
    if isinstance(v, list):
        return sep.join(value(x, locale) for x in v)
    if isinstance(v, KPI):
        return f"{v.metric} {formatting.target(v, locale)}"
    if isinstance(v, Consequence):
        return formatting.consequence(v, locale)
    if isinstance(v, Duration):
        return formatting.duration(v, locale)
    if isinstance(v, When):
        return formatting.when(v, locale)
    if isinstance(v, Headcount):
        return formatting.headcount(v, locale)
    if isinstance(v, DutyArea):
        return f"{v.area}{colon}{sep.join(i.text for i in v.items)}" if v.items else v.area
    if isinstance(v, DutyItem):
        timing = formatting.timing(v.deadlines, v.response_times, locale)
        return f"{v.text}{locale.label('paren_open')}{timing}{locale.label('paren_close')}" if timing else v.text
    if isinstance(v, Deadline):
        return formatting.deadline(v, locale)
    if isinstance(v, ResponseTime):
        return formatting.response_time(v, locale)
    if isinstance(v, Clause):
        return v.title or v.text
    if isinstance(v, ProcessStep):
        return v.title
    if isinstance(v, Participant):
        return f"{v.role}{locale.label('paren_open')}{locale.label('part_' + v.part)}{locale.label('paren_close')}"
    if isinstance(v, TimeBlock):
        return f"{v.start}{'–' + v.end if v.end else ''} {v.activity}"
    if isinstance(v, (TeamStage, OnboardingStep)):
        return f"{v.when} {v.text}" if isinstance(v, OnboardingStep) else v.name
    if isinstance(v, BaseModel):
        parts = [f"{_field(k, locale)}{colon}{value(x, locale)}" for k, x in v if x not in (None, [], "")]
        return sep.join(parts)
    return str(v)


def _target(v: object, locale: Locale) -> str:
    return formatting.target(v, locale) if isinstance(v, KPI) else value(v, locale)


def values(change: Change, locale: Locale) -> tuple[str, str]:
    """The old and the new value in words (a KPI's target as ``≥ 30 次/日``)."""
    show = _target if change.path[-1:] == ("target",) else value
    return show(change.old, locale), show(change.new, locale)


def line(change: Change, locale: Locale) -> str:
    """One change as one sentence."""
    at = where(change, locale)
    old, new = values(change, locale)
    if change.op == "added":
        text = locale.label("diff_added").format(what=at, value=new)
    elif change.op == "removed":
        text = locale.label("diff_removed").format(what=at, value=old)
    else:
        text = locale.label("diff_changed").format(what=at, old=old, new=new)
    return " ".join(text.split("\n"))  # one line, even for a value typed as a block of lines


def lines(found: EntityDiff, locale: Locale) -> list[str]:
    """Every change of one entity, the rename or creation first."""
    kind = locale.label(f"kind_{found.kind}")
    if found.op == "added":
        return [locale.label("diff_entity_added").format(kind=kind)]
    if found.op == "removed":
        return [locale.label("diff_entity_removed").format(kind=kind)]
    head = [locale.label("diff_renamed").format(old=found.old_id, new=found.id)] if found.op == "renamed" else []
    return head + [line(c, locale) for c in found.changes]


def heading(found: EntityDiff, locale: Locale) -> str:
    """``岗位 销售代表（sales-rep）``."""
    kind = locale.label(f"kind_{found.kind}")
    return f"{kind} {found.title}{locale.label('paren_open')}{found.id}{locale.label('paren_close')}"


def rev_name(rev: str, locale: Locale) -> str:
    """A revision as the user named it; the files on disk have a name of their own."""
    return rev if rev != WORKTREE else locale.label("diff_worktree")


def _summary(old: str, new: str, found: list[EntityDiff], locale: Locale) -> str:
    span = locale.label("diff_span").format(old=rev_name(old, locale), new=rev_name(new, locale))
    if not found:
        return f"{span}{locale.label('colon')}{locale.label('diff_none')}"
    return f"{span}{locale.label('colon')}{locale.label('diff_count').format(n=len(found))}"


def as_text(old: str, new: str, found: list[EntityDiff], locale: Locale) -> str:
    """The diff for a terminal: a heading per entity, one indented line per change."""
    out = [_summary(old, new, found, locale)]
    for entity in found:
        out.append("")
        out.append(f"{heading(entity, locale)}  {entity.file}")
        out += [f"  - {text}" for text in lines(entity, locale)]
    return "\n".join(out) + "\n"


def as_markdown(old: str, new: str, found: list[EntityDiff], locale: Locale) -> str:
    """The diff as Markdown (for a pull request or a release note); YAML text is escaped."""
    out = [escape_plain(_summary(old, new, found, locale))]
    for entity in found:
        out += ["", f"### {escape_plain(heading(entity, locale))}", ""]
        out += [f"- {escape_plain(text)}" for text in lines(entity, locale)]
    return "\n".join(out) + "\n"


def as_json(old: str, new: str, found: list[EntityDiff], locale: Locale) -> str:
    """The diff for tools: each entity with its changes, worded and as field paths."""
    rows: list[dict[str, Any]] = []
    for entity in found:
        changes = [
            {
                "op": c.op,
                "field": ".".join(s if isinstance(s, str) else _item_id(s) for s in c.path),
                "where": where(c, locale),
                "old": values(c, locale)[0] if c.old is not None else None,
                "new": values(c, locale)[1] if c.new is not None else None,
                "text": line(c, locale),
            }
            for c in entity.changes
        ]
        rows.append(
            {
                "kind": entity.kind, "id": entity.id, "old_id": entity.old_id, "op": entity.op,
                "title": entity.title, "file": entity.file, "text": lines(entity, locale), "changes": changes,
            }
        )
    return json.dumps({"from": old or None, "to": new or None, "entities": rows}, ensure_ascii=False, indent=2) + "\n"


def _item_id(item: Item) -> str:
    return f"{item.label}" if item.number is None else f"{item.number}"


#: ``--format`` name → writer.
FORMATS = {"text": as_text, "markdown": as_markdown, "json": as_json}
