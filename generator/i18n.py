"""Locale files: every fixed word a page or a message shows, in zh (default), zh-Hant or en."""

from __future__ import annotations

import string
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, cast

import yaml

from .model import registry
from .model.fields import kind_words
from .model.fields import labels as field_labels
from .model.script import traditional

LOCALES_DIR = Path(__file__).parent / "locales"
DEFAULT_LANG = "zh"
#: Stands between the items of a list given to a message; each language writes its own separator
#: there when the message is shown (、 in Chinese, a comma in English).
LIST = "\x1f"


def listed(items: Iterable[str]) -> str:
    """``items`` as one message argument, shown in the reader's language as a list."""
    return LIST.join(items)


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

    def worded(self, key: str, args: Mapping[str, str]) -> str:
        """Label ``key`` with its placeholders filled, a list given with :func:`listed` in this language."""
        sep = self.label("list_sep")
        return self.label(key).format(**{k: str(v).replace(LIST, sep) for k, v in args.items()})

    def problem(self, code: str, args: Mapping[str, str]) -> tuple[str, str]:
        """Message and fix for a problem code, placeholders filled."""
        entry = self.problems[code]  # every code has a message in every locale (tests/test_codes.py)
        sep = self.label("list_sep")
        fill = _Blank({k: str(v).replace(LIST, sep) for k, v in args.items()})
        if "kind" in fill and f"kind_{fill['kind']}" in self.labels:
            fill["kind"] = self.label(f"kind_{fill['kind']}")
        if "source" in fill and f"lint_source_{fill['source']}" in self.labels:
            # A content rule's law or standard, named in the reader's language.
            fill["source"] = self.label(f"lint_source_{fill['source']}")
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
    data = _read(path)
    if "derive" in data:
        data = _derived(data)
    # A field's page label and a kind's name live with their help in the field table; the locale
    # file has the rest.
    return Locale(
        lang=lang,
        labels={**field_labels(lang), **kind_labels(lang), **data["labels"]},
        problems=data["problems"],
        key_hints=data.get("key_hints", {}),
    )


def kind_labels(lang: str) -> dict[str, str]:
    """``kind_<kind>`` (岗位) and ``kind_<kind>_plural`` of every registered kind, from the field table."""
    out = {}
    for kind in registry.KINDS.values():
        words = kind_words(kind.model, lang)
        if "name" in words:
            out[kind.label] = words["name"]
        if "plural" in words:
            out[kind.nav_label] = words["plural"]
    return out


class LocaleFileError(ValueError):
    """A locale file that is not all text: a bug in the project's own files, named with its place."""


def _not_text(data: Any, path: str = "") -> Iterator[str]:
    """Every key and value of ``data`` that YAML did not read as text, with its path. An unquoted
    ``Yes`` or ``no`` is read as true/false, ``1.10`` as a number and a key ``yes:`` as ``True``:
    each would print as "True" or "1.1" on a page, or fail far from its cause."""
    if isinstance(data, dict):
        for key, value in data.items():
            where = f"{path}.{key}" if path else str(key)
            if not isinstance(key, str):
                yield f"{where} (the key {key!r})"
            yield from _not_text(value, where)
    elif not isinstance(data, str):
        yield f"{path} = {data!r}"


def _read(path: Path) -> dict[str, Any]:
    # libyaml: a tenth of the pure-Python parser's time for the same data (our own, plain files).
    data = yaml.load(path.read_text(encoding="utf-8"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    wrong = list(_not_text(data))
    if wrong:
        raise LocaleFileError(f"{path.name}: not text, quote it: {'; '.join(wrong)}")
    return cast(dict[str, Any], data)


def _derived(overrides: dict[str, Any]) -> dict[str, Any]:
    """A locale made from another one in the other script (zh-Hant from zh), with its own overrides.

    Converted when loaded, so a word added to zh.yaml is never missing in Traditional.
    """
    base = _read(LOCALES_DIR / f"{overrides['derive']}.yaml")

    def convert(value: Any) -> Any:
        # Label keys (every_周) name canonical values and stay as they are; only the texts change.
        if isinstance(value, str):
            return traditional(value)
        if isinstance(value, dict):
            return {k: convert(v) for k, v in value.items()}
        if isinstance(value, list):
            return [convert(v) for v in value]
        return value

    out = {section: convert(base.get(section) or {}) for section in ("labels", "problems")}
    # A key hint is looked up by what HR typed (編制 → headcount): those words are converted.
    out["key_hints"] = {traditional(str(k)): v for k, v in (base.get("key_hints") or {}).items()}
    for section in out:
        out[section].update(overrides.get(section) or {})
    return out
