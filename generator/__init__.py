"""Role handbook generator: HR's YAML → checked model → Markdown pages → MkDocs site.

The public names below are imported when first used (PEP 562), not with the package: every
``generator.*`` import runs this file, and the PDF workers, which need only ``generator.pdf``,
would otherwise load the whole site builder (about 0.7 s of CPU each, six workers per full PDF run).
``generator.link`` is the subpackage (its linking function is ``generator.link.handbook.link``):
a lazy name could not shadow it once any ``generator.link.*`` module is loaded.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .i18n import Locale, load_locale
    from .link.handbook import Handbook
    from .link.pipeline import Result, validate
    from .load.problems import Problem, Severity, format_text
    from .project import Project
    from .site.build import BuildOutcome, build
    from .site.generate import GenerateOutcome, generate

__version__ = "0.1.0"

#: Each public name → the module that defines it.
_HOMES = {
    "Locale": ".i18n",
    "load_locale": ".i18n",
    "Handbook": ".link.handbook",
    "Result": ".link.pipeline",
    "validate": ".link.pipeline",
    "Problem": ".load.problems",
    "Severity": ".load.problems",
    "format_text": ".load.problems",
    "Project": ".project",
    "BuildOutcome": ".site.build",
    "build": ".site.build",
    "GenerateOutcome": ".site.generate",
    "generate": ".site.generate",
}

__all__ = [
    "BuildOutcome",
    "GenerateOutcome",
    "Handbook",
    "Locale",
    "Problem",
    "Project",
    "Result",
    "Severity",
    "__version__",
    "build",
    "format_text",
    "generate",
    "load_locale",
    "validate",
]


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(home, __name__), name)
    globals()[name] = value  # once: later lookups find it without this function
    return value


def __dir__() -> list[str]:
    return __all__
