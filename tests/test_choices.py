"""Fixed choices (model/choices.yaml): every spelling in every language is stored canonically, every
Literal field takes a declared set, and a wrong choice is explained in the file's language."""

from __future__ import annotations

import re
import typing
from pathlib import Path

import pytest
from pydantic import BaseModel

from generator.cli import main
from generator.model import registry
from generator.model.choices import LANGS, choice_fields, choice_set, choice_sets, key
from generator.model.declare import iter_models

from .conftest import FIXTURES

CJK = re.compile(r"[\u2e80-\u9fff\u3000-\u303f\uff00-\uffef]")
#: Literal fields that are not choices an editor spells: the file's kind, the locale's code, and the
#: content rules' ids (lint_exempt's keys, as `handbook lint` prints them).
NOT_SPELLED = {"kind", "locale", "lint_exempt"}


def _models() -> list[type[BaseModel]]:
    seen: dict[type[BaseModel], None] = {}
    for kind in registry.KINDS:
        seen.update(dict.fromkeys(iter_models(registry.kind(kind).model)))
    return list(seen)


def _literals(annotation: object) -> set[str]:
    if typing.get_origin(annotation) is typing.Literal:
        return {str(a) for a in typing.get_args(annotation)}
    return set().union(*(_literals(a) for a in typing.get_args(annotation))) if typing.get_args(annotation) else set()


def test_every_literal_field_takes_a_declared_set() -> None:
    untaken = []
    for model in _models():
        sets = choice_fields(model)
        for name, info in model.model_fields.items():
            values = _literals(info.annotation)
            if not values or name in NOT_SPELLED:
                continue
            if name not in sets:
                untaken.append(f"{model.__name__}.{name}")
                continue
            set_name, _, allowed = sets[name]
            assert allowed == values and values <= set(choice_set(set_name).values), (model.__name__, name)
    assert untaken == []


def test_spellings_are_unambiguous_and_english_is_latin() -> None:
    for chosen in choice_sets().values():
        assert chosen.by_key  # raises on a spelling that means two values
        for value in chosen.values:
            assert all(not CJK.search(s) for s in chosen.spellings[value]["en"]), (chosen.name, value)
            assert chosen.shown(value, "zh") == value


@pytest.mark.parametrize("lang", LANGS)
def test_every_spelling_is_stored_canonically_by_every_field(lang: str) -> None:
    """For each field of each model that takes a set: each spelling of each allowed value, also in
    upper case and with spaces around, validates to the canonical value."""
    checked = 0
    for model in _models():
        for name, (set_name, _many, allowed) in choice_fields(model).items():
            chosen = choice_set(set_name)
            for value in sorted(allowed):
                for spelled in chosen.spellings[value][lang]:
                    for typed in {spelled, f" {spelled.upper()} "}:
                        assert chosen.by_key[key(typed)] == value, (model.__name__, name, typed)
                        assert _normalised(model, name, typed) == value, (model.__name__, name, typed)
                        checked += 1
    assert checked > 100


def _normalised(model: type[BaseModel], name: str, typed: str) -> object:
    from generator.model.choices import normalise

    many = choice_fields(model)[name][1]
    data = normalise(model, {name: [typed] if many else typed})
    got = data[name]
    return got[0] if many else got


@pytest.fixture(scope="module")
def broken_english(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The English fixture with a wrong period and a misspelt frequency."""
    import shutil

    root = tmp_path_factory.mktemp("broken-en")
    shutil.copytree(FIXTURES / "english" / "roles", root / "roles")
    for path in (root / "roles").glob("*.yaml"):
        text = path.read_text(encoding="utf-8")
        text = re.sub(r"(?m)^(\s+period:) \S+$", r"\1 fortnightly", text, count=1)
        text = re.sub(r"(?m)^(\s+every:) \S+$", r"\1 weekdy", text, count=1)
        path.write_text(text, encoding="utf-8")
    return root


def test_a_wrong_choice_is_explained_in_english(broken_english: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--project", str(broken_english), "validate"]) != 0
    out = capsys.readouterr().out
    wrong = [line for line in out.splitlines() if "fortnightly" in line or "weekdy" in line]
    assert len(wrong) >= 2, out
    for line in wrong:
        assert not CJK.search(line), line
    period = next(line for line in wrong if "fortnightly" in line)
    assert ", ".join(choice_set("period").shown(v, "en") for v in choice_set("period").values) in period
    assert "did you mean “week”" in next(line for line in wrong if "weekdy" in line)
