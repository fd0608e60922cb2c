"""Role handbook generator: HR's YAML → checked model → Markdown pages → MkDocs site."""

from .i18n import Locale, load_locale
from .link.handbook import Handbook, link
from .link.pipeline import Result, validate
from .load.problems import Problem, Severity, format_text
from .project import Project
from .site.build import BuildOutcome, build
from .site.generate import GenerateOutcome, generate

__version__ = "0.1.0"

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
    "link",
    "load_locale",
    "validate",
]
