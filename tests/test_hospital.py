"""A hospital ward (tests/fixtures/hospital): shifts across midnight, a rota with a rule by grade,
variants per grade that are full roles, handover, licence renewal. It validates strictly, builds on
both engines (Zensical first, each once for this module) with its PDFs, shows each role's working
time from its shifts, keeps every time, amount and deadline in a structured field, and shows no word
of another handbook. Every expectation is read from the fixture's own data."""

from __future__ import annotations

import copy
import functools
import re
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from pydantic import BaseModel

from generator.i18n import load_locale
from generator.link.handbook import Handbook
from generator.link.pipeline import validate
from generator.link.shifts import shifts_for
from generator.model.declare import shapes
from generator.model.entities import Assessment, Grade, Role
from generator.render import formatting
from generator.render.shifts import shift_line
from generator.site.build import build
from generator.site.engine import DEFAULT_ENGINE, ENGINES, Engine

from .conftest import FIXTURES, copy_project, pdf_texts

HOSPITAL = FIXTURES / "hospital"
ZH = load_locale("zh")
ORDERED: tuple[Engine, ...] = (DEFAULT_ENGINE, *(e for e in ENGINES if e != DEFAULT_ENGINE))


def grades() -> dict[str, Grade]:
    return {g.id: g for g in handbook().table("grade").values() if isinstance(g, Grade)}


@functools.cache
def handbook() -> Handbook:
    result = validate(HOSPITAL / "roles", locale=ZH, display_base=HOSPITAL)
    assert [f"{p.file}:{p.line} {p.code}" for p in result.problems] == [], "clean under --strict: no warning either"
    return result.handbook


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Callable[[Engine], Path]:
    """The hospital built by an engine, once per engine for this module; the default engine's with its PDFs."""
    made: dict[Engine, Path] = {}

    def get(engine: Engine) -> Path:
        if engine not in made:
            project = copy_project(HOSPITAL, tmp_path_factory.mktemp(f"hospital-{engine}"))
            outcome = build(project, ZH, pdfs=engine == DEFAULT_ENGINE, engine=engine)
            assert outcome.ok, (outcome.generated.problems, outcome.site_errors)
            made[engine] = project.site
        return made[engine]

    return get


def _seen(html: str) -> str:
    """What a reader sees of a page: no tags, no whitespace."""
    text = re.sub(r"<(script|style)\b.*?</\1>", "", html, flags=re.S)
    return re.sub(r"\s+", "", re.sub(r"<[^>]+>", "", text)).replace("&amp;", "&")


def _page(site: Path, path: str) -> str:
    return _seen((site / path / "index.html").read_text(encoding="utf-8"))


def _flat(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _shift_roles() -> list[Role]:
    return [r for r in handbook().roles.values() if r.shifts]


@pytest.mark.parametrize("engine", ORDERED)
def test_each_role_on_shifts_works_its_shifts_not_the_wards_whole_day(site: Callable[[Engine], Path], engine: Engine) -> None:
    hb = handbook()
    assert _shift_roles(), "the fixture has roles on shifts"
    for role in _shift_roles():
        page = _page(site(engine), f"roles/{role.id}")
        known = shifts_for(hb, role.unit)
        for sid in role.shifts:
            assert _flat(shift_line(known[sid], ZH)) in page, (role.id, sid)
        assert "00:00–23:59" not in page and "00:00-23:59" not in page
        for uid, rota in ((u.id, r) for u in hb.units.values() for r in u.rotas if role.id in r.roles):
            assert f'href="../../org/{uid}/#rota-{rota.id}"' in (site(engine) / "roles" / role.id / "index.html").read_text(
                encoding="utf-8"), "the role page links to the rota it is on"
        unit = hb.units[role.unit]
        first, last = min(b.start for b in unit.schedule), max(b.end or "" for b in unit.schedule)
        assert f"{first}–{last}" not in page, "not the unit's day from first start to last end"


@pytest.mark.parametrize("engine", ORDERED)
def test_the_ward_page_shows_its_shifts_across_midnight_and_its_rota(site: Callable[[Engine], Path], engine: Engine) -> None:
    hb = handbook()
    for unit in hb.units.values():
        if not (unit.shifts or unit.rotas):
            continue
        page = _page(site(engine), f"org/{unit.id}")
        for shift in unit.shifts:
            assert _flat(formatting.clock_span(shift.start, shift.end, ZH)) in page
        for block in unit.schedule:
            assert _flat(formatting.clock_span(block.start, block.end, ZH)) in page
        for rota in unit.rotas:
            assert rota.name in page
            for rule in rota.rules:
                assert _flat(rule.text) in page
    crossing = [b for u in hb.units.values() for b in u.schedule if b.end and b.end < b.start]
    assert crossing, "the fixture has a block across midnight"
    assert all("次日" in formatting.clock_span(b.start, b.end, ZH) for b in crossing)


def test_each_variant_pdf_prints_its_own_grade_and_merged_qualifications(site: Callable[[Engine], Path]) -> None:
    hb = handbook()
    pdfs = site(DEFAULT_ENGINE) / "pdf"
    variants = [(role, v) for role in hb.roles.values() for v in role.variants]
    assert len(variants) >= 4
    for role, variant in variants:
        text = _flat("".join(pdf_texts(pdfs / f"{role.id}.{variant.id}.pdf")))
        as_read = role.as_variant(variant.id)
        grade = grades()[as_read.grade] if as_read.grade else None
        assert grade is not None and f"职级{_flat(grade.name)}" in text, (variant.id, grade)
        quals = as_read.qualifications
        assert quals is not None
        for cert in quals.certificates_required:
            assert _flat(cert) in text, (variant.id, cert)
        own = getattr(variant, "qualifications", None)
        # Lists a variant writes come after the role's: the role's certificates are still printed.
        if own is not None and own.certificates_required and role.qualifications:
            for cert in role.qualifications.certificates_required:
                assert _flat(cert) in text


def test_role_pdf_lays_each_variant_out_in_sections_and_tables(site: Callable[[Engine], Path]) -> None:
    hb = handbook()
    for role in hb.roles.values():
        if not role.variants:
            continue
        text = _flat("".join(pdf_texts(site(DEFAULT_ENGINE) / "pdf" / f"{role.id}.pdf")))
        for variant in role.variants:
            assert _flat(variant.name) in text
            for area in getattr(variant, "duties", None) or []:
                # Each duty on a line of its own, numbered, under its area: not one run-on sentence.
                assert _flat(area.area) in text
                for i, item in enumerate(area.items, 1):
                    assert f"{i}.{_flat(item.text.split('[[')[0])}" in text or f"{i}.核心{_flat(item.text)}" in text


# ---------------------------------------------------------------- facts in fields, not in free text


def _texts(model: type[BaseModel], value: Any, path: str = "") -> Iterator[tuple[str, str]]:
    """Every free text the data holds (a text field, at any depth, not one of a fixed pattern such as a
    clock), with its path."""
    if isinstance(value, BaseModel):
        kinds = shapes(type(value))
        for name, info in type(value).model_fields.items():
            shape = kinds.get(name)
            item = getattr(value, name)
            if shape is None or item is None or "pattern" in repr(info.metadata) + str(info.annotation):
                continue
            inner = shape.item or shape
            if inner.model is not None:
                for k, v in enumerate(item if shape.item else [item]):
                    yield from _texts(inner.model, v, f"{path}.{name}[{k}]")
            elif inner.scalar == "text":
                for v in item if shape.item else [item]:
                    yield f"{path}.{name}", str(v)


def _units_used(hb: Handbook) -> set[str]:
    """The unit words the fixture's structured fields use (分钟, 天, 年, %, 分 …): what a time, an amount
    or a deadline left in free text would be written with."""
    words: set[str] = set()

    def walk(value: Any) -> None:
        if isinstance(value, BaseModel):
            for name in type(value).model_fields:
                item = getattr(value, name)
                if "unit" in name and isinstance(item, str) and not re.fullmatch(r"[a-z0-9-]+", item):
                    words.add(item)
                walk(item)
        elif isinstance(value, (list, tuple)):
            for v in value:
                walk(v)

    for table in hb.tables.values():
        for entity in table.values():
            walk(entity)
    for key in ("valid_unit_年", "valid_unit_月", "rota_unit_天", "rota_unit_周"):
        words.add(ZH.label(key))
    return words


def test_times_amounts_and_deadlines_sit_in_structured_fields() -> None:
    hb = handbook()
    units = _units_used(hb)
    assert {"分钟", "天"} <= units, units
    number_with_unit = re.compile(r"\d+(?:\.\d+)?\s*(?:" + "|".join(map(re.escape, sorted(units, key=len, reverse=True))) + ")")
    clock = re.compile(r"\b\d{1,2}[:：]\d{2}\b")
    texts = [pair for table in hb.tables.values() for e in table.values() for pair in _texts(type(e), e, e.id)]
    assert len(texts) > 40, "every free text of the fixture is read"
    assert number_with_unit.search("交班前 30 分钟") and clock.search("每日 08:00"), "the check can fail"
    assert [(path, text) for path, text in texts if number_with_unit.search(text) or clock.search(text)] == []


def test_the_fixture_holds_the_structured_facts_it_is_about() -> None:
    hb = handbook()
    units = [u for u in hb.units.values() if u.shifts]
    assert any(s.end == "24:00" for u in units for s in u.shifts)
    assert any(s.kind == "on-call" and s.end < s.start for u in units for s in u.shifts), "on call across midnight"
    assert any(r.rules for u in units for r in u.rotas)
    deadlines = [d for p in hb.policies.values() for c in p.clauses for d in c.deadlines]
    assert any(d.valid_for and d.before for d in deadlines), "a licence valid for years, renewed before expiry"
    handover = [p for p in hb.processes.values() if p.when and p.when.times and p.duration]
    assert handover
    assert sorted(g.rank for g in grades().values()) == [1, 2, 3, 4]
    weighted = [a for a in hb.table("assessment").values()
                if isinstance(a, Assessment) and a.period == "月" and a.rules
                and sum(i.weight or 0 for i in a.items) == 100]
    assert weighted, "a weighted monthly quality assessment with rules on its total"


# ---------------------------------------------------------------- the rota's rules are checked


def _rule_cases() -> list[tuple[str, int, int]]:
    """(file, rota, slot) for each slot a rule covers: taking its senior staff away must break the rule."""
    hb = handbook()
    out = []
    for unit in hb.units.values():
        known = shifts_for(hb, unit.id)
        for r, rota in enumerate(unit.rotas):
            for rule in rota.rules:
                for i, slot in enumerate(rota.pattern):
                    shift = known[slot.shift]
                    if rule.shift == shift.id or rule.kind == shift.kind:
                        out.append((hb.source_of("unit", unit.id).rel, r, i))
    return out


def test_a_rota_slot_without_its_senior_grade_breaks_the_rule(tmp_path: Path) -> None:
    cases = _rule_cases()
    assert cases
    floor = {g.id: g.rank for g in grades().values()}
    for n, (rel, r, i) in enumerate(cases):
        roles = tmp_path / str(n) / "roles"
        shutil.copytree(HOSPITAL / "roles", roles)
        file = roles / rel.removeprefix("roles/")
        data = yaml.safe_load(file.read_text(encoding="utf-8"))
        rota = data["rotas"][r]
        lowest = min(floor[rule["min_grade"]] for rule in rota["rules"])
        slot = copy.deepcopy(rota["pattern"][i])
        slot["staff"] = [s for s in slot["staff"] if floor.get(s.get("grade", ""), 0) < lowest] or [
            {"grade": min(floor, key=lambda g: floor[g])}]
        rota["pattern"][i] = slot
        file.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
        problems = validate(roles, locale=ZH, display_base=tmp_path / str(n)).problems
        assert [p.field for p in problems if p.code == "rota_rule_broken"] == [f"rotas[{r}].pattern[{i}].staff"]


# ---------------------------------------------------------------- no other company's words


def test_no_pdf_holds_another_handbooks_words(site: Callable[[Engine], Path]) -> None:
    from .test_site_links import HANDBOOKS, _names, _own_text

    own = _own_text("hospital") + str(ZH.labels)
    foreign = {w for other in HANDBOOKS if other != "hospital" for w in _names(other) if w not in own}
    assert len(foreign) > 20
    printed = _flat("".join(t for pdf in sorted((site(DEFAULT_ENGINE) / "pdf").rglob("*.pdf")) for t in pdf_texts(pdf)))
    assert sorted(w for w in foreign if _flat(w) in printed) == []


@pytest.mark.parametrize("engine", ORDERED)
def test_each_variant_with_its_own_grade_is_a_rung_of_the_ladder(site: Callable[[Engine], Path], engine: Engine) -> None:
    hb = handbook()
    rungs = [(role, v, g) for role in hb.roles.values() for v in role.variants if (g := getattr(v, "grade", None))]
    assert rungs
    for role, variant, grade in rungs:
        page = (site(engine) / "grades" / grade / "index.html").read_text(encoding="utf-8")
        assert f'href="../../roles/{role.id}/#variant-{variant.id}"' in page, (role.id, variant.id)
        assert _flat(variant.name) in _seen(page)
