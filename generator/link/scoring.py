"""Checks of assessments: item weights or points that add up, and rules on the total that can apply."""

from __future__ import annotations

from collections.abc import Iterator

from ..load.codes import ProblemCode
from ..load.problems import Problem
from ..load.source import FieldPath, Source, dotted
from ..model.entities import Assessment
from .handbook import Handbook
from .rules import check_consequence, number


def _at(source: Source, path: FieldPath, code: ProblemCode, args: dict[str, str] | None = None) -> Problem:
    pos = source.pos(path)
    return Problem(source.rel, pos.line, pos.col, dotted(path), code, args or {})


def check_assessments(hb: Handbook) -> Iterator[Problem]:
    """Every problem of every assessment's items and rules."""
    for assessment in hb.table("assessment").values():
        if isinstance(assessment, Assessment):
            yield from _assessment(hb.source_of("assessment", assessment.id), assessment)


def _assessment(source: Source, a: Assessment) -> Iterator[Problem]:
    weights = [(i, item.weight) for i, item in enumerate(a.items) if item.weight is not None]
    if weights:
        total = sum(w for _, w in weights)
        if abs(total - 100) > 1e-9:
            code: ProblemCode = "score_weights_short" if total < 100 else "score_weights_over"
            args = {"total": number(total), "gap": number(abs(100 - total)), "count": str(len(weights)),
                    "missing": str(len(a.items) - len(weights))}
            yield _at(source, ("items", weights[0][0], "weight"), code, args)
    points = [(i, item.points) for i, item in enumerate(a.items) if item.points is not None]
    if points and abs(sum(p for _, p in points) - a.total) > 1e-9:
        args = {"sum": number(sum(p for _, p in points)), "total": number(a.total)}
        yield _at(source, ("items", points[0][0], "points"), "score_points_total", args)
    for r, rule in enumerate(a.rules):
        at: FieldPath = ("rules", r)
        if (rule.below is None) == (rule.at_least is None):
            yield _at(source, at, "score_rule_bound")
        for bound in ("below", "at_least"):
            value = getattr(rule, bound)
            if value is not None and value > a.total:
                args = {"score": number(value), "total": number(a.total)}
                yield _at(source, (*at, bound), "score_rule_over_total", args)
        for k, cons in enumerate(rule.consequences):
            yield from check_consequence(source, (*at, "consequences", k), cons)
