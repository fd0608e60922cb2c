"""``handbook lint``: content rules over a checked handbook, each finding at its file:line:col with the
rule's id and the law or standard it rests on (model/lintrules.py); ``lint_exempt`` lifts a rule
from one entity for a reason HR gives.

Rules read the file's own data (``Source.data``) so that a finding in a text points at the exact
characters, in either Chinese script or in English.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from ..load.codes import ProblemCode
from ..load.problems import Problem, Severity
from ..load.source import FieldPath, Source, dotted
from ..model.entities import Entity, Role
from ..model.lintrules import INFO, code_of
from ..model.refs import find_refs
from . import dutyshape
from .handbook import Handbook
from .lintpatterns import consequence_findings, requirement_findings, vague_verb

#: HR's standard: a job description lists at most this many duties.
MAX_DUTIES = 12
#: HR's standard: a job description fits on this many printed pages.
MAX_PAGES = 2
#: A role's fields that state requirements of the holder (where a forbidden condition would sit).
_REQUIREMENT_FIELDS = ("summary", "qualifications", "environment", "hours")
#: Fields never read for stated sanctions: structured consequences (KPIs) and HR's own notes.
_NOT_STATEMENTS = frozenset({"kpis", "editor_note", "lint_exempt", "consequences", "source", "title", "id"})


def _texts(data: Any, path: FieldPath, skip: frozenset[str] = frozenset()) -> Iterator[tuple[FieldPath, str]]:
    """Every string under ``data`` with its field path."""
    if isinstance(data, str):
        yield path, data
    elif isinstance(data, dict):
        for key, value in data.items():
            if key not in skip:
                yield from _texts(value, (*path, key), skip)
    elif isinstance(data, list):
        for i, value in enumerate(data):
            yield from _texts(value, (*path, i), skip)


class _Finder:
    """Findings for one entity, with its exemptions applied and the rules it was checked against kept."""

    def __init__(self, entity: Entity, source: Source) -> None:
        self.entity = entity
        self.source = source
        self.found: list[Problem] = []
        self.checked: set[str] = set()
        self.hit: set[str] = set()

    def rule(self, rule: str) -> None:
        """Say ``rule`` was checked here (an exemption of it is then judged)."""
        self.checked.add(rule)

    def add(self, rule: str, path: FieldPath, offset: int | None = None, *, code: str | None = None,
            key: bool = False, **args: str) -> None:
        self.checked.add(rule)
        self.hit.add(rule)
        if rule in self.entity.lint_exempt:
            return
        pos = self.source.text_pos(path, offset) if offset is not None else self.source.pos(path, key=key)
        info = INFO[rule]
        problem_code: ProblemCode = (code or code_of(rule))  # type: ignore[assignment]
        severity = Severity.ERROR if info.error else Severity.WARNING
        self.found.append(Problem(self.source.rel, pos.line, pos.col, dotted(path), problem_code,
                                  {**args, "source": info.source}, severity, rule))

    def unused_exemptions(self) -> Iterator[Problem]:
        for rule in self.entity.lint_exempt:
            if rule in self.checked and rule not in self.hit:
                pos = self.source.pos(("lint_exempt", rule), key=True)
                yield Problem(self.source.rel, pos.line, pos.col, f"lint_exempt.{rule}", "lint_exempt_unused",
                              {"rule": rule}, Severity.WARNING, rule)


def _requirements(f: _Finder, data: dict[str, Any], base: FieldPath) -> None:
    for name in _REQUIREMENT_FIELDS:
        for path, text in _texts(data.get(name), (*base, name)):
            for rule, offset, words in requirement_findings(text):
                f.add(rule, path, offset, match=words)
    for rule in ("gender", "marital-status", "ethnicity", "religion", "region", "carrier-status", "age-limit"):
        f.rule(rule)
    quals = data.get("qualifications")
    if isinstance(quals, dict) and quals.get("age_max") is not None:
        f.add("age-limit", (*base, "qualifications", "age_max"), code="lint_age_limit_field", age=str(quals["age_max"]))


def _duty_items(data: dict[str, Any], base: FieldPath) -> Iterator[tuple[FieldPath, str]]:
    for a, area in enumerate(data.get("duties") or []):
        items = area.get("items") if isinstance(area, dict) else None
        for i, item in enumerate(items or []):
            if isinstance(item, str):
                yield (*base, "duties", a, "items", i), item
            elif isinstance(item, dict) and isinstance(item.get("text"), str):
                yield (*base, "duties", a, "items", i, "text"), item["text"]


def _duties(f: _Finder, data: dict[str, Any], base: FieldPath) -> None:
    items = list(_duty_items(data, base))
    f.rule("duty-count")
    if len(items) > MAX_DUTIES:
        f.add("duty-count", (*base, "duties"), key=True, count=str(len(items)), limit=str(MAX_DUTIES))
    f.rule("vague-verb")
    f.rule("duty-phrasing")
    for path, text in items:
        vague = vague_verb(text)
        if vague is not None:
            f.add("vague-verb", path, vague[0], match=vague[1])
        elif not dutyshape.verb_and_object(text):
            f.add("duty-phrasing", path, 0, match=text)


def _kpis(f: _Finder, role: Role, base: FieldPath) -> None:
    f.rule("kpi-target")
    for i, kpi in enumerate(role.kpis):
        if kpi.target is None and not kpi.seasons:
            # Validation lets a target be left to someone (set_by); the job description then states no number.
            f.add("kpi-target", (*base, "kpis", i, "metric"), metric=kpi.metric, set_by=kpi.set_by or "")


def _reporting(f: _Finder, hb: Handbook, role: Role, data: dict[str, Any]) -> None:
    """A role without ``reports_to`` is fine only as the one head of its unit with no role above it:
    beside another head, or under a unit that holds roles, its manager was left out."""
    f.rule("reporting-line")
    if role.reports_to is not None or role.unit not in hb.units:
        return
    peers = [r for r in hb.unit_roles.get(role.unit, []) if r != role.id and hb.roles[r].reports_to is None]
    above = [u for u in hb.ancestors(role.unit) if hb.unit_roles.get(u)]
    if peers or above:
        f.add("reporting-line", ("reports_to",) if "reports_to" in data else ("title",), key=True)


#: Kinds whose text is not a rule: the glossary defines words such as 扣罚 by naming them.
_NO_STATEMENTS = frozenset({"term"})


def _cites_clause(data: Any, path: FieldPath, text: str) -> bool:
    """True when the text, or the item it belongs to (an onboarding step's ``ref``), cites a clause."""
    if any(ref.kind == "policy" and ref.anchor for ref in find_refs(text)):
        return True
    parent = data
    for part in path[:-1]:
        parent = parent[part]
    ref = parent.get("ref") if isinstance(parent, dict) else None
    return isinstance(ref, str) and ref.startswith("policy:") and "#" in ref


def _statements(f: _Finder, data: dict[str, Any], skip: frozenset[str]) -> None:
    f.rule("consequence-clause")
    for path, text in _texts(data, (), _NOT_STATEMENTS | skip):
        if _cites_clause(data, path, text):
            continue
        for offset, words in consequence_findings(text):
            f.add("consequence-clause", path, offset, match=words)
            break


def lint(hb: Handbook) -> list[Problem]:
    """Every content finding in the handbook (no PDF needed), sorted by file and line."""
    out: list[Problem] = []
    for kind, entity in hb.all_entities():
        source = hb.source_of(kind, entity.id)
        data = source.data if isinstance(source.data, dict) else {}
        f = _Finder(entity, source)
        if isinstance(entity, Role):
            _requirements(f, data, ())
            _duties(f, data, ())
            _kpis(f, entity, ())
            for v, variant in enumerate(data.get("variants") or []):
                if isinstance(variant, dict):
                    _requirements(f, variant, ("variants", v))
            _reporting(f, hb, entity, data)
        if kind not in _NO_STATEMENTS:
            # A policy's clauses are where sanctions belong; everywhere else a stated one needs a clause.
            _statements(f, data, frozenset({"clauses"}) if kind == "policy" else frozenset())
        out += f.found
        out += f.unused_exemptions()
    out.sort(key=Problem.sort_key)
    return out


def jd_length(hb: Handbook, pages: Mapping[str, int]) -> list[Problem]:
    """Roles whose built PDF (``pages``: role id → page count) is longer than HR's standard."""
    out: list[Problem] = []
    for rid, count in sorted(pages.items()):
        role = hb.roles.get(rid)
        if role is None:
            continue
        f = _Finder(role, hb.source_of("role", rid))
        if count > MAX_PAGES:
            f.add("jd-length", ("title",), key=True, pages=str(count), limit=str(MAX_PAGES))
        else:
            f.rule("jd-length")
        out += f.found
        out += [p for p in f.unused_exemptions() if p.rule == "jd-length"]
    return out


def exemptions(hb: Handbook) -> list[tuple[str, str, str, str]]:
    """Every ``lint_exempt`` entry as (kind, id, rule, reason), for the completeness page."""
    return [(kind, e.id, rule, reason) for kind, e in hb.all_entities() for rule, reason in e.lint_exempt.items()]


#: ``validate --lint``: off, report (printed, never fails), errors (a forbidden requirement fails), all.
LINT_MODES = ("off", "report", "errors", "all")


def lint_fails(found: Iterable[Problem], mode: str) -> bool:
    """True when the content findings fail the run under ``mode`` (one of :data:`LINT_MODES`)."""
    if mode in ("off", "report"):
        return False
    return any(mode == "all" or p.severity is Severity.ERROR for p in found)
