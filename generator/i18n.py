"""Locale files: every fixed word a page or a message shows, in zh (default) or en."""

from __future__ import annotations

import string
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from .model.fields import labels as field_labels

LOCALES_DIR = Path(__file__).parent / "locales"
DEFAULT_LANG = "zh"


class _Blank(dict[str, str]):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


@dataclass(frozen=True)
class Locale:
    """Labels and problem messages of one language."""

    lang: str
    labels: Mapping[str, Any]
    problems: Mapping[str, Mapping[str, str]]
    key_hints: Mapping[str, str]

    def label(self, key: str) -> str:
        """A fixed word; a missing key is a bug, so it fails loudly."""
        value = self.labels[key]
        return str(value)

    def problem(self, code: str, args: Mapping[str, str]) -> tuple[str, str]:
        """Message and fix for a problem code, placeholders filled."""
        entry = self.problems[code]  # every code has a message in every locale (tests/test_codes.py)
        fill = _Blank({k: str(v) for k, v in args.items()})
        if "kind" in fill and f"kind_{fill['kind']}" in self.labels:
            fill["kind"] = self.label(f"kind_{fill['kind']}")
        fmt = string.Formatter()
        return fmt.vformat(entry["message"], (), fill), fmt.vformat(entry.get("fix", ""), (), fill)


def available() -> list[str]:
    """Languages that have a locale file."""
    return sorted(p.stem for p in LOCALES_DIR.glob("*.yaml"))


@cache
def load_locale(lang: str = DEFAULT_LANG) -> Locale:
    """Load ``locales/<lang>.yaml``."""
    path = LOCALES_DIR / f"{lang}.yaml"
    if not path.is_file():
        raise ValueError(f"unknown language {lang!r}; available: {', '.join(available())}")
    # libyaml: a tenth of the pure-Python parser's time for the same data (our own, plain files).
    data = yaml.load(path.read_text(encoding="utf-8"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    # A field's page label lives with its help in the field table; the locale file has the rest.
    return Locale(
        lang=lang,
        labels={**field_labels(lang), **data["labels"]},
        problems=data["problems"],
        key_hints=data.get("key_hints", {}),
    )
