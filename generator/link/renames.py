"""Renamed or deleted ids: one problem where the id went, one counted warning for its references.

Renaming ``call-center-lead.yaml`` without an alias leaves every reference to the old id
dangling. Listing each (with the nearest spelling as the suggestion) buries the one fix that
matters: the ``aliases:`` line in the renamed file. A missing id referenced from two places or
more is treated as vanished rather than misspelt; a typo is rarely repeated identically.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Iterable

from ..load.codes import ProblemCode
from ..load.problems import Problem, Severity
from ..load.source import Pos, Source
from ..model import registry
from .handbook import Handbook, Key

#: Codes of "no such id" problems (field and text references alike).
MISSING = ("ref_missing", "ref_missing_suggest")
_CJK = re.compile(r"[\u3400-\u9fff]")


def _tokens(ident: str) -> set[str]:
    return set(ident.split("-"))


def likely_new_id(hb: Handbook, kind: str, old: str, referrers: Iterable[str]) -> str:
    """The entity ``old`` was most likely renamed to: nothing points at it yet, and its id is like the old one."""
    table = hb.table(kind)
    pairs = [ref.split(":", 1) for ref in referrers if ":" in ref]
    units = {getattr(hb.get(k, i), "unit", None) for k, i in pairs}
    best, best_score = "", 0.0
    for ident, entity in table.items():
        if hb.referenced_by.get((kind, ident)) or old in entity.aliases:
            continue  # already referenced under its own id: not a renamed file
        overlap = len(_tokens(ident) & _tokens(old)) / len(_tokens(ident) | _tokens(old))
        ratio = difflib.SequenceMatcher(None, ident, old).ratio()
        score = overlap + ratio / 2 + (0.25 if getattr(entity, "unit", None) in units else 0.0)
        if (overlap > 0 or ratio >= 0.6) and score > best_score:
            best, best_score = ident, score
    return best


def _alias_pos(source: Source) -> Pos:
    """Where an ``aliases:`` line goes: into the existing list, or on the line after ``kind:``."""
    if ("aliases",) in source.values:
        return source.values[("aliases",)]
    kind = source.keys.get(("kind",), Pos(0, 1))
    return Pos(kind.line + 1, 1)


def group_vanished(problems: list[Problem], hb: Handbook, holders: Callable[[], dict[str, Key]]) -> list[Problem]:
    """``problems`` with each vanished id's references folded into one problem and one counted warning.

    ``holders()`` maps a file (as shown) to the entity it holds, to find the renamed file by unit
    (asked only when an id vanished: at 1,000 roles it is a walk over 2,000 entities).
    """
    groups: dict[tuple[str, str], list[Problem]] = {}
    for problem in problems:
        if problem.code in MISSING:
            groups.setdefault((problem.args.get("kind", ""), problem.args.get("id", "")), []).append(problem)
    folded = {id(p) for group in groups.values() if len(group) >= 2 for p in group}
    out = [p for p in problems if id(p) not in folded]
    referrer_of: dict[str, Key] | None = None
    for (kind, old), group in groups.items():
        if len(group) < 2:
            continue
        referrer_of = holders() if referrer_of is None else referrer_of
        group.sort(key=Problem.sort_key)
        files = sorted({p.file for p in group})
        referrers = [f"{referrer_of[f][0]}:{referrer_of[f][1]}" for f in files if f in referrer_of]
        new = likely_new_id(hb, kind, old, referrers)
        args = {"kind": kind, "id": old, "count": str(len(group)), "files": str(len(files))}
        if new:
            source = hb.source_of(kind, new)
            pos = _alias_pos(source)
            code: ProblemCode = "id_renamed_add_alias" if ("aliases",) in source.values else "id_renamed"
            out.append(Problem(source.rel, pos.line, pos.col, "aliases", code, {**args, "new": new}))
            first = group[0]
            out.append(Problem(first.file, first.line, first.col, first.field, "renamed_references",
                               {**args, "new": new}, Severity.WARNING))
        else:
            first = group[0]
            out.append(Problem(first.file, first.line, first.col, first.field, "id_vanished", args))
            others = {**args, "count": str(len(group) - 1)}
            second = group[1]
            out.append(Problem(second.file, second.line, second.col, second.field, "vanished_references",
                               others, Severity.WARNING))
    return out


def title_instead_of_id(problems: list[Problem], hb: Handbook) -> list[Problem]:
    """A reference typed as a title (``reports_to: 销售经理``) names the id whose title it is."""
    titles: dict[str, tuple[str, str]] = {}  # gathered when first needed: most runs have no such problem
    out = []
    for problem in problems:
        value = problem.args.get("value", "").strip()
        key = problem.field.rsplit(".", 1)[-1].split("[")[0]
        in_list = problem.code == "bad_id" and key not in ("id", "aliases")  # career.next[0]: a slug list
        is_ref = problem.code in ("bad_ref_id", "bad_policy_ref") or in_list
        if is_ref and _CJK.search(value):
            if not titles:
                for kind, entity in hb.all_entities():
                    titles.setdefault(registry.display_name(entity).strip(), (kind, entity.id))
            near = [value] if value in titles else difflib.get_close_matches(value, list(titles), n=1, cutoff=0.5)
            if near:
                kind, ident = titles[near[0]]
                shown = f"- {ident}" if problem.field.endswith("]") else f"{key}: {ident}"
                args = {"value": value, "title": near[0], "kind": kind, "id": ident, "write": shown}
                title_code: ProblemCode = "ref_is_title" if near[0] == value else "ref_is_title_near"
                problem = Problem(problem.file, problem.line, problem.col, problem.field, title_code, args)
            else:
                problem = Problem(problem.file, problem.line, problem.col, problem.field, "ref_is_words",
                                  {"value": value})
        out.append(problem)
    return out
