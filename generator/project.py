"""Where a project's parts live: roles/, handbook/, the generated folder, mkdocs.yml, site/."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

#: Name of the folder inside ``handbook/`` that the generator owns (git-ignored).
GENERATED = "generated"
#: The MkDocs docs_dir, inside the generated folder.
DOCS = "docs"


@dataclass(frozen=True)
class Project:
    """Paths of one handbook project, all derived from its root folder."""

    root: Path

    @classmethod
    def find(cls, start: Path | None = None) -> Project:
        """The project containing ``start`` (the nearest folder with mkdocs.yml), else ``start``."""
        here = (start or Path.cwd()).resolve()
        for folder in (here, *here.parents):
            if (folder / "mkdocs.yml").is_file():
                return cls(folder)
        return cls(here)

    @property
    def roles(self) -> Path:
        """The YAML source folder."""
        return self.root / "roles"

    @property
    def handbook(self) -> Path:
        """Hand-written pages; also holds the generated folder."""
        return self.root / "handbook"

    @property
    def generated(self) -> Path:
        """The one folder the generator owns and rewrites."""
        return self.handbook / GENERATED

    @property
    def docs(self) -> Path:
        """MkDocs' docs_dir."""
        return self.generated / DOCS

    @property
    def mkdocs_yml(self) -> Path:
        """The MkDocs configuration."""
        return self.root / "mkdocs.yml"

    @property
    def site(self) -> Path:
        """The built site (replaced whole on success only)."""
        return self.root / "site"


def company_locale(roles: Path) -> str | None:
    """The ``locale`` the top company's settings name, read before validation chooses the messages' language.

    Only files that mention both ``company:`` and ``locale:`` are parsed (safely); anything odd
    is left for validation to report, and None means "not set".
    """
    if not roles.is_dir():
        return None
    for path in sorted(roles.rglob("*.yaml")):
        try:
            text = path.read_text(encoding="utf-8")
            if "company:" not in text or "locale:" not in text:
                continue
            data = yaml.safe_load(text)
        except (OSError, UnicodeDecodeError, yaml.YAMLError, ValueError, OverflowError):
            # ValueError: PyYAML builds 2024-02-30 as a date and fails; validation names it
            continue
        if not isinstance(data, dict) or data.get("kind") != "unit" or data.get("parent"):
            continue
        settings = data.get("company")
        if isinstance(settings, dict) and isinstance(settings.get("locale"), str):
            return str(settings["locale"])
    return None
