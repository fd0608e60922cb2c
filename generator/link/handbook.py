"""The linked handbook: entities by kind, plus everything derived from them (trees, reverse refs)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple, cast

from ..load.source import Source
from ..memo import ByIdentities, ByIdentity
from ..model import registry
from ..model.declare import ANY_KIND, refs
from ..model.entities import CompanySettings, Entity, Policy, Process, Role, Term, Unit
from ..model.refs import find_refs, parse_ref
from ..model.revisions import Revision
from . import raci
from .career import career_paths

Key = tuple[str, str]
"""``(kind, id)``: how entities are addressed."""


class Place(NamedTuple):
    """A role in a cell of the families × grades matrix: id, title and open positions (None = unknown)."""

    role: str
    title: str
    vacant: int | None
    variant: str = ""
    """The name of the role's variant placed here (its own grade or family), else empty."""
    anchor: str = ""
    """The variant's section on the role page (``variant-n1``), else empty."""


class Need(NamedTuple):
    """A role that needs a competency, at which level."""

    level: int
    role: str
    title: str

#: Tables worked out from the others on first use (properties over the fields ``_<name>``); the
#: handbook's other ``_`` fields are caches of its own, no part of its contents.
DERIVED = ("referenced_by", "career_paths")


@dataclass
class Handbook:
    """Everything the renderers see. Built once by :func:`link`; never re-reads YAML."""

    tables: dict[str, dict[str, Entity]] = field(default_factory=lambda: {k: {} for k in registry.KINDS})
    """Kind → id → entity, one table per registered kind (and no other)."""
    sources: dict[Key, Source] = field(default_factory=dict)
    """The file each entity came from."""
    aliases: dict[Key, str] = field(default_factory=dict)
    """``(kind, old id)`` → current id."""
    clause_aliases: dict[tuple[str, str], str] = field(default_factory=dict)
    """``(policy id, old clause id)`` → current clause id."""
    unit_children: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    unit_roles: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    unit_processes: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    unit_policies: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    direct_reports: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    role_processes: dict[str, list[tuple[str, str]]] = field(default_factory=lambda: defaultdict(list))
    """Role id → ``(process id, part)``; the owner counts as ``owner``."""
    _referenced_by: dict[Key, list[Key]] | None = field(default=None, repr=False, compare=False)
    _career_paths: dict[str, list[str]] | None = field(default=None, repr=False, compare=False)
    ladder_cells: dict[tuple[str | None, str | None], list[Place]] = field(default_factory=lambda: defaultdict(list))
    """``(family, grade)`` → the ``ladder.Place`` (role, title, open positions) of its roles (None: not given)."""
    competency_roles: dict[str, list[Need]] = field(default_factory=lambda: defaultdict(list))
    """Competency id → the ``ladder.Need`` (level, role, title) of each role that needs it."""
    revisions: dict[Key, list[Revision]] = field(default_factory=dict)
    """Entity → the releases that changed it, oldest first (from git; empty without history)."""
    _above: dict[str, tuple[object, ...]] = field(default_factory=dict, repr=False, compare=False)
    """Unit id → :meth:`above`, once asked (kept as long as the handbook: units are not replaced with
    another parent once linked)."""
    _chains: dict[str, tuple[str, ...]] = field(default_factory=dict, repr=False, compare=False)
    """Role id → :meth:`chain`, once asked (linking asks for every role)."""

    # Worked out on first use (pages need them; an edit's check at 1,000 roles need not wait for them).
    @property
    def referenced_by(self) -> dict[Key, list[Key]]:
        """Entity → entities whose fields or text point at it."""
        if self._referenced_by is None:
            self._referenced_by = _reverse_refs(self)
        return self._referenced_by

    @property
    def career_paths(self) -> dict[str, list[str]]:
        """Role id → the career path it is on, entry level first (paths of three roles or more)."""
        if self._career_paths is None:
            self._career_paths = career_paths(self.roles)
        return self._career_paths

    def derive(self) -> None:
        """Work out the derived tables (:data:`DERIVED`) now: :func:`link` does unless told not to (an
        edit's check needs none), and so does anything about to replace entities by copies with
        another version or date (history, company defaults), so that they are worked out from the
        parsed entities, whose earlier runs' results are kept by identity."""
        _ = self.referenced_by, self.career_paths

    # Typed views of the built-in kinds' tables; each table holds only its kind's model (see link).
    @property
    def units(self) -> dict[str, Unit]:
        """Units by id."""
        return cast(dict[str, Unit], self.tables["unit"])

    @property
    def roles(self) -> dict[str, Role]:
        """Roles by id."""
        return cast(dict[str, Role], self.tables["role"])

    @property
    def processes(self) -> dict[str, Process]:
        """Processes by id."""
        return cast(dict[str, Process], self.tables["process"])

    @property
    def policies(self) -> dict[str, Policy]:
        """Policies by id."""
        return cast(dict[str, Policy], self.tables["policy"])

    @property
    def terms(self) -> dict[str, Term]:
        """Glossary terms by id."""
        return cast(dict[str, Term], self.tables["term"])

    def table(self, kind: str) -> dict[str, Entity]:
        """The id → entity table of a registered ``kind``; any other name is a bug (KeyError)."""
        return self.tables[kind]

    def get(self, kind: str, ident: str) -> Entity | None:
        """The entity, following an alias if the id was renamed; None for an unknown id or kind."""
        if not registry.is_kind(kind):
            return None  # [[person:x]] is reported by check; nothing resolves to it
        table = self.tables[kind]
        if ident in table:
            return table[ident]
        current = self.aliases.get((kind, ident))
        return table.get(current) if current else None

    def resolve_clause(self, policy_id: str, clause_id: str) -> str | None:
        """The current id of a clause (following clause aliases), or None."""
        policy = self.policies.get(policy_id)
        if policy is None:
            return None
        if any(c.id == clause_id for c in policy.clauses):
            return clause_id
        return self.clause_aliases.get((policy_id, clause_id))

    def root_units(self) -> list[str]:
        """Units without a (known) parent."""
        return [u.id for u in self.units.values() if u.parent is None or u.parent not in self.units]

    def ancestors(self, unit_id: str) -> list[str]:
        """The unit's parent, grandparent … up to the root (cycle-safe)."""
        units = self.tables["unit"]  # not the typed property: this runs for every role in several checks
        out: list[str] = []
        current = units.get(unit_id)
        while current is not None:
            parent = current.parent  # type: ignore[attr-defined]
            if not parent or parent not in units or parent in out or parent == unit_id:
                break
            out.append(parent)
            current = units[parent]
        return out

    def above(self, unit_id: str) -> tuple[object, ...]:
        """The unit ``unit_id`` (when known) and each unit above it, nearest first, each followed by its
        file: ``(unit, source, parent, source, …)``. The same tuple object while those are the same
        objects, so a result kept by it (:class:`~..memo.ByIdentities`) is kept while none of them
        changed; worked out once per unit (every role of a unit asks)."""
        known = self._above.get(unit_id)
        if known is None:
            units = self.tables["unit"]
            chain = [unit_id, *self.ancestors(unit_id)] if unit_id in units else []
            objs = [obj for uid in chain for obj in (units[uid], self.sources[("unit", uid)])]
            known = self._above[unit_id] = _ABOVE(*objs)
        return known

    def _company_unit(self, unit_id: str) -> str | None:
        """The unit whose ``company`` settings ``unit_id`` falls under: itself or its nearest ancestor."""
        for uid in (unit_id, *self.ancestors(unit_id)):
            unit = self.units.get(uid)
            if unit is not None and unit.company is not None:
                return uid
        return None

    def company_of(self, unit_id: str) -> CompanySettings | None:
        """The settings of the company ``unit_id`` belongs to: its own or its nearest ancestor's."""
        uid = self._company_unit(unit_id)
        return self.units[uid].company if uid else None

    def logo_file(self, unit_id: str) -> Path | None:
        """The logo of ``unit_id``'s company, beside the YAML file that declares it (``link/check.py``
        reports one that is missing or too large)."""
        uid = self._company_unit(unit_id)
        settings = self.units[uid].company if uid else None
        if uid is None or settings is None or settings.logo is None or ("unit", uid) not in self.sources:
            return None
        return self.sources[("unit", uid)].path.parent / settings.logo

    def company_label(self, unit_id: str) -> str:
        """What a PDF header of ``unit_id`` names: its company's short name or name, else its top unit's name.

        Never blank for a known unit, whatever the number of companies at the top of the tree.
        """
        settings = self.company_of(unit_id)
        if settings is not None:
            return settings.short_name or settings.name
        chain = [unit_id, *self.ancestors(unit_id)]
        top = self.units.get(chain[-1])
        return top.name if top is not None else ""

    def descendants(self, unit_id: str) -> Iterator[str]:
        """Every unit below ``unit_id``, depth first (cycle-safe)."""
        seen = {unit_id}
        stack = list(reversed(self.unit_children.get(unit_id, [])))
        while stack:
            uid = stack.pop()
            if uid in seen:
                continue
            seen.add(uid)
            yield uid
            stack.extend(reversed(self.unit_children.get(uid, [])))

    def home_unit(self, entity: Entity) -> str | None:
        """The unit an entity belongs to (a role's, a process's or policy's, a unit itself); None for
        what the whole handbook shares (terms, families …) or a policy for the whole company."""
        if isinstance(entity, Unit):
            return entity.id
        if isinstance(entity, Role):
            return entity.unit
        if isinstance(entity, Process):
            return self.process_unit(entity)
        if isinstance(entity, Policy):
            return entity.unit
        return None

    def apply_company_defaults(self) -> None:
        """Give entities without an effective date their company's default (see CompanySettings).

        Runs after the git history filled dates from releases: typed, then released, then default.
        """
        self.derive()
        roots = self.root_units()
        for table in self.tables.values():
            for ident, entity in list(table.items()):
                if entity.effective_date is not None:
                    continue
                home = self.home_unit(entity) or (roots[0] if len(roots) == 1 else None)
                default = self._default_date(home) if home else None
                if default is not None:
                    table[ident] = entity.model_copy(update={"effective_date": default})

    def _default_date(self, unit_id: str) -> dt.date | None:
        """The default effective date of the nearest company above ``unit_id`` that gives one (a
        group's company may leave it to the group)."""
        for uid in (unit_id, *self.ancestors(unit_id)):
            unit = self.units.get(uid)
            if unit is not None and unit.company is not None and unit.company.effective_date is not None:
                return unit.company.effective_date
        return None

    def process_unit(self, process: Process) -> str | None:
        """The unit a process belongs to: its own ``unit`` or its owner's."""
        if process.unit:
            return process.unit
        owner = self.roles.get(process.owner)
        return owner.unit if owner else None

    def chain(self, role_id: str) -> list[str]:
        """The role's superiors, nearest first (cycle-safe)."""
        known = self._chains.get(role_id)
        if known is not None:
            return list(known)
        roles = self.tables["role"]  # not the typed property: this runs for every role in several checks
        out: list[str] = []
        current = roles.get(role_id)
        while current is not None:
            boss = current.reports_to  # type: ignore[attr-defined]
            if not boss or boss not in roles or boss in out or boss == role_id:
                break
            out.append(boss)
            current = roles[boss]
        # Kept once asked: roles are linked before anything asks, and no later step changes a role's
        # reports_to (history and company defaults copy a role with another version or date only).
        self._chains[role_id] = tuple(out)
        return out

    def source_of(self, kind: str, ident: str) -> Source:
        """The file an entity came from."""
        return self.sources[(kind, ident)]

    def all_entities(self) -> Iterator[tuple[str, Entity]]:
        """Every entity with its kind, in a stable order."""
        for kind, table in self.tables.items():
            for entity in table.values():
                yield kind, entity


def company_locale(hb: Handbook, unit_id: str) -> str | None:
    """The language of the company ``unit_id`` belongs to, when it is one company of a group that
    sets its own: None for the site's company (or a handbook of one company), whose language is the site's."""
    settings = hb.company_of(unit_id)
    if settings is None or settings.locale is None:
        return None
    roots = hb.root_units()
    site = hb.units[roots[0]].company if len(roots) == 1 else None
    return None if settings is site else settings.locale


def company_locales(hb: Handbook) -> dict[str, str]:
    """Unit id → the language of its company, for the units whose company (in a group) sets a
    language of its own; every other unit's pages are in the site's language."""
    return {uid: lang for uid in hb.units if (lang := company_locale(hb, uid)) is not None}


def kind_of(entity: Entity) -> str:
    """The ``kind:`` value of an entity: the registered kind of its model."""
    return registry.of_model(type(entity)).name


def link(parsed: Iterable[tuple[Entity, Source]], *, derive: bool = True) -> Handbook:
    """Index entities and derive trees and reverse references.

    Tolerates broken data (duplicates, dangling ids, cycles): checking reports those;
    linking only must not crash on them. The first of two duplicates wins. ``derive=False``
    leaves the tables no check reads (:data:`DERIVED`) to be worked out when first asked for.
    """
    hb = Handbook()
    ordered = sorted(parsed, key=lambda pair: (pair[1].rel, pair[0].id))
    for entity, source in ordered:
        kind = kind_of(entity)
        table = hb.table(kind)
        if entity.id in table:
            continue
        table[entity.id] = entity
        hb.sources[(kind, entity.id)] = source
    for kind, entity in hb.all_entities():
        for alias in entity.aliases:
            hb.aliases.setdefault((kind, alias), entity.id)
    for policy in hb.policies.values():
        for clause in policy.clauses:
            for alias in clause.aliases:
                hb.clause_aliases.setdefault((policy.id, alias), clause.id)

    for unit in hb.units.values():
        if unit.parent and unit.parent in hb.units and unit.parent != unit.id:
            hb.unit_children[unit.parent].append(unit.id)
    for role in sorted(hb.roles.values(), key=lambda r: (len(hb.chain(r.id)), hb.sources[("role", r.id)].rel)):
        hb.unit_roles[role.unit].append(role.id)
        if role.reports_to and role.reports_to in hb.roles:
            hb.direct_reports[role.reports_to].append(role.id)
    for process in hb.processes.values():
        owning_unit = hb.process_unit(process)
        if owning_unit:
            hb.unit_processes[owning_unit].append(process.id)
        # Parts as raci.part_key names them: the owner is the A (R/A when it also does the work).
        for role_id, part in sorted(raci.people(process), key=lambda rp: rp[0] != process.owner):
            hb.role_processes[role_id].append((process.id, part))
    for policy in hb.policies.values():
        if policy.unit:
            hb.unit_policies[policy.unit].append(policy.id)
    _REFS.new_run()
    _ABOVE.new_run()
    if derive:
        hb.derive()
    return hb


def _reverse_refs(hb: Handbook) -> dict[Key, list[Key]]:
    # Each entity's targets once, in first-seen order (kept by entity, see _REFS): a pair
    # (target, by) then comes up once, with no set of all pairs (a policy every role cites
    # was checked against a list as long as the roles; then a set of 76,000 pairs a save).
    tables, aliases = hb.tables, hb.aliases
    out: dict[Key, list[Key]] = defaultdict(list)
    for kind, entity in hb.all_entities():
        me = (kind, entity.id)
        for target in _REFS(entity):
            if target == me:
                continue
            table = tables.get(target[0])
            if table is None:
                continue  # not a kind: nothing resolves to it (as Handbook.get)
            if target[1] not in table:
                current = aliases.get(target)
                if not current or current not in table:
                    continue
            out[target].append(me)
    return out


def _targets(entity: Entity) -> list[Key]:
    """What an entity points at: its reference fields (``model/declare.py``), then the
    ``[[kind:id]]`` references in its text, each in document order."""
    out: list[Key] = []
    for found in refs(entity):
        if found.to.kind != ANY_KIND:
            out.append((found.to.kind, found.value.partition("#")[0]))
        else:
            bare = parse_ref(found.value)
            if bare:
                out.append((bare.kind, bare.id))
    out += [(ref.kind, ref.id) for text in _strings(entity.model_dump()) for ref in find_refs(text)]
    return out


#: Kept by entity between runs of ``handbook serve``: dumping and walking every entity was a
#: third of linking, on every save, for the one file that changed.
#: The tuples :meth:`Handbook.above` gives: one object for the same units and files.
_ABOVE: ByIdentities[tuple[object, ...]] = ByIdentities(lambda *objs: objs)
_REFS: ByIdentity[Entity, list[Key]] = ByIdentity(lambda entity: list(dict.fromkeys(_targets(entity))))


def _strings(data: object) -> Iterator[str]:
    """Strings holding ``[[`` anywhere in ``data``, in document order."""
    # An explicit stack, not nested generators: this visits every value of every entity.
    stack = [data]
    while stack:
        value = stack.pop()
        if isinstance(value, str):
            if "[[" in value:
                yield value
        elif isinstance(value, dict):
            stack.extend(reversed(value.values()))
        elif isinstance(value, list):
            stack.extend(reversed(value))
