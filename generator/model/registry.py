"""The one list of kinds: each kind's model, pages, names, nav place, reference prefix and scaffold.

Everything that lists kinds reads :data:`KINDS` (validation, linking, checks, pages, nav,
schema, scaffold, editing guide, the CLI). Adding a kind is one :func:`register` call here,
its model, its page templates and its locale words (see docs/ARCHITECTURE.md).
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal, TypeGuard

from .entities import Assessment, Competency, Entity, Grade, JobFamily, Policy, Process, Role, Term, Unit
from .fields import section_of

KindName = Literal["unit", "role", "process", "policy", "term", "family", "grade", "competency", "assessment"]
"""The kinds there are: what the type checker sees as the closed set of ``kind:`` values."""


class Nav(enum.Enum):
    """Where a kind's pages sit in the site's nav."""

    ORG = "org"
    """The org tree itself (units)."""
    UNIT = "unit"
    """Under the unit the entity belongs to, inside the org tree."""
    GLOSSARY = "glossary"
    """One shared page (the glossary), listed with the indexes."""
    SECTION = "section"
    """A top-level section of its own: the kind's index page, then one entry per entity."""


@dataclass(frozen=True)
class Kind:
    """One kind of entity and everything the generator needs to know about it."""

    name: KindName
    """The ``kind:`` value in YAML, e.g. ``role``."""
    model: type[Entity]
    """The pydantic model a file of this kind is validated against."""
    page: str
    """Docs-relative Markdown path of an entity's page; ``{id}`` is the (checked) id.
    A ``#`` means the entities share one page and each is an anchor on it."""
    index: str
    """Docs-relative path of the page listing every entity of the kind."""
    display: str
    """Attribute of the model that names an entity to a reader (title, name …)."""
    nav: Nav
    """Where the pages go in the nav."""
    ref: str
    """The prefix of a ``[[prefix:id]]`` reference to this kind."""
    scaffold: str = "fields"
    """Name of the template ``handbook new`` writes for this kind (see ``editor/scaffold``); ``fields``
    makes one from the model."""
    template: str = "entity.md.j2"
    """Jinja template of an entity's page (or of the shared page); the default lays out the sections
    ``model/fields.yaml`` declares for the kind (or a section per field)."""
    index_template: str = "entities_index.md.j2"
    """Jinja template of the kind's index page; the default lists every entity by name."""

    @property
    def sections(self) -> Mapping[str, str]:
        """Top-level field → the anchor of the section of the page that shows it (for links to a change)."""
        return section_of(self.model)

    @property
    def label(self) -> str:
        """Locale key of the kind's name (岗位, role …)."""
        return f"kind_{self.name}"

    @property
    def nav_label(self) -> str:
        """Locale key of the kind's plural title, for its index page and nav section."""
        return f"kind_{self.name}_plural"

    @property
    def shared_page(self) -> bool:
        """True when the entities are anchors on one page (terms on the glossary)."""
        return "#" in self.page


#: Every kind, in the order pages, checks and listings go through them.
KINDS: dict[str, Kind] = {}
_BY_REF: dict[str, Kind] = {}
_BY_MODEL: dict[type[Entity], Kind] = {}


def register(kind: Kind) -> Kind:
    """Add ``kind`` to the registry (at import time; tests may add one to a copy of the package)."""
    if kind.name in KINDS or any(k.ref == kind.ref for k in KINDS.values()):
        raise ValueError(f"kind {kind.name!r} or reference prefix {kind.ref!r} registered twice")
    KINDS[kind.name] = kind
    _BY_REF[kind.ref] = kind
    _BY_MODEL[kind.model] = kind
    return kind


def is_kind(name: object) -> TypeGuard[KindName]:
    """True when ``name`` is a registered kind."""
    return isinstance(name, str) and name in KINDS


def kind(name: str) -> Kind:
    """The registry entry of ``name``; an unregistered name is a bug (KeyError)."""
    return KINDS[name]


def by_ref(prefix: str) -> Kind | None:
    """The kind a ``[[prefix:…]]`` reference names, or None for an unknown prefix (a user mistake)."""
    return _BY_REF.get(prefix)


def of_model(model: type[Entity]) -> Kind:
    """The kind whose model ``model`` is; every entity's class is registered by construction."""
    return _BY_MODEL[model]


def display_name(entity: Entity) -> str:
    """What a reader calls an entity: its title, name or term."""
    return str(getattr(entity, of_model(type(entity)).display))


register(Kind(name="unit", model=Unit, page="org/{id}/index.md", index="org/index.md", display="name",
              nav=Nav.ORG, ref="unit", scaffold="unit.yaml", template="unit.md.j2", index_template="org_index.md.j2"))
register(Kind(name="role", model=Role, page="roles/{id}.md", index="roles/index.md", display="title",
              nav=Nav.UNIT, ref="role", scaffold="role.yaml", template="role.md.j2",
              index_template="roles_index.md.j2"))
register(Kind(name="process", model=Process, page="processes/{id}.md", index="processes/index.md", display="title",
              nav=Nav.UNIT, ref="process", scaffold="process.yaml", template="process.md.j2",
              index_template="processes_index.md.j2"))
register(Kind(name="policy", model=Policy, page="policies/{id}.md", index="policies/index.md", display="title",
              nav=Nav.UNIT, ref="policy", scaffold="policy.yaml", template="policy.md.j2",
              index_template="policies_index.md.j2"))
register(Kind(name="term", model=Term, page="glossary/index.md#{id}", index="glossary/index.md", display="shown",
              nav=Nav.GLOSSARY, ref="term", scaffold="term.yaml", template="glossary.md.j2",
              index_template="glossary.md.j2"))
# Job families index is the families × grades matrix (render/pages.py); grades list in rank order.
register(Kind(name="family", model=JobFamily, page="families/{id}.md", index="families/index.md", display="name",
              nav=Nav.SECTION, ref="family", scaffold="fields", template="family.md.j2",
              index_template="families_index.md.j2"))
register(Kind(name="grade", model=Grade, page="grades/{id}.md", index="grades/index.md", display="name",
              nav=Nav.SECTION, ref="grade", scaffold="fields", template="grade.md.j2",
              index_template="grades_index.md.j2"))
# A competency's page lists the roles that need it at each level (render/pages.py).
register(Kind(name="competency", model=Competency, page="competencies/{id}.md", index="competencies/index.md",
              display="name", nav=Nav.SECTION, ref="competency", scaffold="competency.yaml",
              template="competency.md.j2", index_template="competencies_index.md.j2"))
# An assessment's page has its score sheet as a table; roles see the assessments that apply to them.
register(Kind(name="assessment", model=Assessment, page="assessments/{id}.md", index="assessments/index.md",
              display="title", nav=Nav.SECTION, ref="assessment", scaffold="fields"))
