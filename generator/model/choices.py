"""Fixed choices in every language: each set's canonical values and the spellings an editor may type.

``choices.yaml`` declares every set once. A model field takes a set with
``Annotated[Literal[...], Choice("period")]``; :func:`normalise` (run by every model before
validation) stores ``weekly``, ``週`` or ``Week`` as ``周``, so the rest of the generator only ever
sees canonical values. Lists, messages, the schema and the editing guide show a set in the
handbook's language with :func:`shown`.
"""

from __future__ import annotations

import functools
import re
import types
import typing
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, Literal

import yaml
from pydantic import BaseModel

from .script import simplified, traditional

#: The one table of fixed choices.
CHOICES_FILE = Path(__file__).parent / "choices.yaml"
#: The languages a handbook is written in.
LANGS = ("zh", "zh-Hant", "en")


@dataclass(frozen=True)
class Choice:
    """Field metadata: the value is one of the set ``name`` in ``choices.yaml``."""

    name: str


@dataclass(frozen=True)
class ChoiceSet:
    """One set: canonical values in order, and each value's spellings per language (display one first)."""

    name: str
    values: tuple[str, ...]
    spellings: dict[str, dict[str, tuple[str, ...]]]
    """canonical → lang → spellings; the first is what a list in that language shows."""

    def shown(self, value: str, lang: str) -> str:
        """How ``value`` is written in a list in ``lang``: ``周`` → ``week`` / ``週`` / ``周``."""
        return self.spellings.get(value, {}).get(lang, (value,))[0]

    @functools.cached_property
    def by_key(self) -> dict[str, str]:
        """Every accepted spelling (as :func:`key` folds it) → its canonical value."""
        out: dict[str, str] = {}
        for value, langs in self.spellings.items():
            for spelled in (value, *(s for ss in langs.values() for s in ss)):
                folded = key(spelled)
                if out.get(folded, value) != value:
                    raise ValueError(f"choices.yaml: {self.name}: “{spelled}” means both {out[folded]} and {value}")
                out[folded] = value
        return out

    def accepted(self) -> list[str]:
        """Every spelling an editor may type, each once: canonical values first, then English, then Traditional."""
        seen: dict[str, None] = dict.fromkeys(self.values)
        for lang in ("en", "zh-Hant", "zh"):
            for value in self.values:
                seen.update(dict.fromkeys(self.spellings[value].get(lang, ())))
        return list(seen)


def key(text: str) -> str:
    """A spelling folded for lookup: case, spacing and an English plural's ``s`` do not matter."""
    folded = re.sub(r"\s+", " ", text.strip()).casefold()
    if folded.isascii() and len(folded) > 3 and folded.endswith("s") and not folded.endswith("ss"):
        folded = folded[:-1]
    return folded


@functools.cache
def _read() -> dict[str, Any]:
    # Read once per process: the currency's default is asked for every consequence of every role
    # (parsing the file each time made a 1,000-role PDF run spend 40 s in the YAML parser).
    data = yaml.safe_load(CHOICES_FILE.read_text(encoding="utf-8"))
    return typing.cast(dict[str, Any], data)


@functools.cache
def choice_sets() -> dict[str, ChoiceSet]:
    """Every set declared in ``choices.yaml``, by name."""
    out = {}
    for name, entries in _read().items():
        if name.startswith("_"):
            continue
        spellings: dict[str, dict[str, tuple[str, ...]]] = {}
        for value, given in entries.items():
            value = str(value)
            en = tuple(str(s) for s in given.get("en", ()))
            zh = (value, *(str(s) for s in given.get("zh", ())))
            chinese = not value.isascii()
            spellings[value] = {
                "en": en or (value,),
                # An English canonical value (``responsible``) is what Chinese files write too.
                "zh": zh if chinese else (value, *en),
                "zh-Hant": tuple(dict.fromkeys(traditional(s) for s in zh)) if chinese else (value, *en),
            }
        out[name] = ChoiceSet(name, tuple(spellings), spellings)
    return out


def choice_set(name: str) -> ChoiceSet:
    """The set ``name`` (a ``KeyError`` names a set ``choices.yaml`` does not declare)."""
    return choice_sets()[name]


def default(name: str, lang: str) -> str:
    """The value a set takes for a handbook in ``lang`` when a file names none (the currency)."""
    return str(_read()["_defaults"][name][lang])


def _set_of(annotation: Any, metadata: tuple[Any, ...] = ()) -> tuple[str, bool, frozenset[str]] | None:
    """The set a field takes (also inside ``| None`` or ``list[...]``), whether a list, and the values
    its ``Literal`` allows (a field may take part of a set: a duration counts no working days)."""
    origin = typing.get_origin(annotation)
    for meta in metadata:
        if isinstance(meta, Choice):
            allowed = frozenset(str(a) for a in typing.get_args(annotation)) if origin is Literal else frozenset()
            return meta.name, False, allowed
    if origin is Annotated:
        inner, *extra = typing.get_args(annotation)
        return _set_of(inner, tuple(extra))
    if origin in (typing.Union, types.UnionType):
        for arg in typing.get_args(annotation):
            found = _set_of(arg)
            if found:
                return found
    if origin is list:
        (item,) = typing.get_args(annotation)
        found = _set_of(item)
        return (found[0], True, found[2]) if found else None
    return None


@functools.cache
def choice_fields(model: type[BaseModel]) -> dict[str, tuple[str, bool, frozenset[str]]]:
    """Field → the set it takes, whether the field is a list of them, and the values it allows, for ``model``."""
    out = {}
    for name, info in model.model_fields.items():
        found = _set_of(info.annotation, tuple(info.metadata))
        if found:
            out[name] = found
    return out


def canonical_value(name: str, value: object, allowed: frozenset[str] = frozenset()) -> object:
    """``value`` as the set's canonical value when it is an accepted spelling (of a value in
    ``allowed``, when given); else unchanged, for the message that lists what is accepted."""
    if not isinstance(value, str):
        return value
    chosen = choice_set(name)
    if value in chosen.spellings:
        return value
    found = chosen.by_key.get(key(value))
    if found is None and not value.isascii():
        # A Traditional spelling the table does not list word for word (OpenCC, word by word).
        found = chosen.by_key.get(key(simplified(value)))
    return found if found is not None and (not allowed or found in allowed) else value


def normalise(model: type[BaseModel], data: Any) -> Any:
    """``data`` with each fixed-choice value in any accepted spelling replaced by its canonical value."""
    fields = choice_fields(model)
    if not fields or not isinstance(data, dict):
        return data
    out = data
    for name, (set_name, many, allowed) in fields.items():
        value = data.get(name)
        if many and isinstance(value, list):
            fixed = [canonical_value(set_name, v, allowed) for v in value]
            if fixed != value:
                out = {**out, name: fixed}
        elif isinstance(value, str):
            fixed_one = canonical_value(set_name, value, allowed)
            if fixed_one != value:
                out = {**out, name: fixed_one}
    return out


def set_for(options: list[str]) -> ChoiceSet | None:
    """The smallest declared set holding every one of ``options`` (a pydantic message's list)."""
    holding = [s for s in choice_sets().values() if options and set(options) <= set(s.values)]
    return min(holding, key=lambda s: len(s.values)) if holding else None


def shown(name: str, lang: str) -> list[str]:
    """The set's values as a list in ``lang`` shows them (``day, week, month …``)."""
    chosen = choice_set(name)
    return [chosen.shown(v, lang) for v in chosen.values]


