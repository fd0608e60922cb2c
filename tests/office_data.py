"""The handbooks the Excel and Word tests run on: the sample and every fixture, each in its own locale."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

from generator.i18n import DEFAULT_LANG, Locale, load_locale
from generator.link.handbook import Handbook
from generator.link.pipeline import validate
from generator.load.problems import Problem
from generator.project import company_locale

from .conftest import FIXTURES, REPO

#: Every handbook: the sample's roles/, then each fixture's.
HANDBOOKS = {"sample": REPO / "roles", **{p.name: p / "roles" for p in sorted(FIXTURES.iterdir())
                                            if (p / "roles").is_dir()}}


@dataclass(frozen=True)
class Loaded:
    roles: Path
    locale: Locale
    hb: Handbook
    problems: tuple[Problem, ...]


@cache
def loaded(name: str, roles: Path | None = None) -> Loaded:
    """The handbook ``name`` validated in its company's language (``roles`` for a copy of it)."""
    folder = roles or HANDBOOKS[name]
    locale = load_locale(company_locale(folder) or DEFAULT_LANG)
    result = validate(folder, locale=locale, display_base=folder.parent)
    return Loaded(folder, locale, result.handbook, tuple(result.problems))
