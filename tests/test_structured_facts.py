"""A fixture handbook's facts sit in structured fields: a time of day, a time limit or an amount
written in a sentence (a note, a duty, a clause, a key point) is also in a field of the same file
(``times``, ``response_times``, ``deadlines``, ``duration``, ``amount``), so pages, PDFs and checks
read it, and no fact lives in words alone. English sentences (the software company); the Chinese
fixtures' own test belongs with their fields (hospital shifts, assessments)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from generator.model.choices import canonical_value

from .conftest import FIXTURES

#: Keys whose values are fixed choices, ids or codes, not sentences.
NOT_TEXT = {"kind", "id", "unit", "before_unit", "every", "period", "category", "part", "effect", "type",
            "recipient", "currency", "day", "weekdays", "days", "weekday", "when", "comparator", "locale",
            "parent", "owner", "role", "actor", "reports_to", "next", "policies", "ref", "of", "logo",
            "effective_date", "version", "date", "start", "end", "time", "times", "months"}
LIMIT = re.compile(r"(\d+(?:\.\d+)?)\s*(minutes?|mins?|hours?|hrs?|working days?|business days?|days?)\b", re.I)
CLOCK = re.compile(r"\b((?:[01]?\d|2[0-3]):[0-5]\d)\b")
MONEY = re.compile(r"(?:[$€£¥]|\b(?:USD|EUR|GBP|CNY)\s*)(\d[\d,]*(?:\.\d+)?)|(\d[\d,]*(?:\.\d+)?)\s*(?:USD|EUR|GBP|CNY|dollars?|yuan)\b")


def _unit(word: str | None, default: str) -> object:
    return canonical_value("time_unit", word or default)


def _facts(node: Any) -> Iterator[tuple[str, object]]:
    """The structured facts of a file: (what, value) for every limit, clock and amount in its fields."""
    if isinstance(node, dict):
        if "within" in node:
            yield "limit", (float(node["within"]), _unit(node.get("unit"), ""))
        if "before" in node:
            yield "limit", (float(node["before"]), _unit(node.get("before_unit"), "天"))
        if "min" in node or "max" in node:
            for key in ("min", "max"):
                if key in node:
                    yield "limit", (float(node[key]), _unit(node.get("unit"), "分钟"))
        for key in ("time", "start", "end"):
            if isinstance(node.get(key), str):
                yield "clock", node[key]
        for clock in node.get("times") or []:
            yield "clock", str(clock)
        if node.get("amount") is not None:
            yield "money", float(node["amount"])
        for value in node.values():
            yield from _facts(value)
    elif isinstance(node, list):
        for value in node:
            yield from _facts(value)


def _texts(node: Any, key: str = "") -> Iterator[str]:
    if isinstance(node, dict):
        for k, value in node.items():
            if k not in NOT_TEXT:
                yield from _texts(value, str(k))
    elif isinstance(node, list):
        for value in node:
            yield from _texts(value, key)
    elif isinstance(node, str):
        yield node


def _loose(text: str, facts: set[tuple[str, object]]) -> list[str]:
    """What ``text`` states that no structured field of its file holds."""
    out = []
    for number, word in LIMIT.findall(text):
        if ("limit", (float(number), _unit(word, ""))) not in facts:
            out.append(f"{number} {word}")
    out += [clock for clock in CLOCK.findall(text) if ("clock", clock.zfill(5)) not in facts]
    for before, after in MONEY.findall(text):
        amount = float((before or after).replace(",", ""))
        if ("money", amount) not in facts:
            out.append(before or after)
    return out


@pytest.mark.parametrize("fixture", ["english"])
def test_every_fact_in_words_is_in_a_field_too(fixture: str) -> None:
    files = sorted((FIXTURES / fixture / "roles").rglob("*.yaml"))
    loose: dict[str, list[str]] = {}
    counted = 0
    for path in files:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        facts = set(_facts(data))
        counted += len(facts)
        found = [f"{text!r}: {', '.join(bad)}" for text in _texts(data) if (bad := _loose(text, facts))]
        if found:
            loose[str(Path(path).relative_to(FIXTURES))] = found
    assert counted > 20
    assert loose == {}


def test_a_fact_only_in_words_is_found() -> None:
    facts = set(_facts({"response_times": [{"within": 5, "unit": "minutes"}], "times": ["09:30"]}))
    assert _loose("Acknowledge within 5 minutes at 09:30", facts) == []
    assert _loose("Escalate after 30 minutes, by 9:45, and pay $200", facts) == ["30 minutes", "9:45", "200"]
