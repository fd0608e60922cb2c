"""Problems found in the data: what, where, how bad; and how they read to a person."""

from __future__ import annotations

import enum
import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from dataclasses import field as dc_field

from ..i18n import Locale
from .codes import ProblemCode


class Severity(enum.Enum):
    """An error stops the build; a warning is printed and only fails ``--strict``."""

    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True)
class Problem:
    """One thing wrong in the data, located in its file.

    ``code`` names a message in the locale file; ``args`` fill its placeholders.
    """

    file: str
    line: int
    col: int
    field: str
    code: ProblemCode
    args: Mapping[str, str] = dc_field(default_factory=dict)
    severity: Severity = Severity.ERROR
    #: A content rule's id (``handbook lint``), empty for a data problem: lint findings are their own
    #: category, printed with their rule and given their own exit rule.
    rule: str = ""

    def sort_key(self) -> tuple[str, int, int, str]:
        """Order of the report: by file, then line, then column."""
        return (self.file, self.line, self.col, self.code)

    def texts(self, locale: Locale) -> tuple[str, str]:
        """The message and the fix, in the locale's language."""
        return locale.problem(self.code, self.args)


def has_errors(problems: Iterable[Problem], *, strict: bool = False) -> bool:
    """True when the problems should fail the run."""
    return any(p.severity is Severity.ERROR or strict for p in problems)


#: Line breaks and control characters: only the data can bring them into a problem (a key
#: written "a\nb" in quotes, a pasted U+2028), and one would split the line or drive the terminal.
_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def _visible(match: re.Match[str]) -> str:
    char = match.group()
    return {"\n": "\\n", "\r": "\\r", "\t": "\\t"}.get(char, f"\\u{ord(char):04x}")


def format_text(problem: Problem, locale: Locale) -> str:
    """``file:line:col  field  message → fix``, the line an editor reads: always exactly one line."""
    message, fix = problem.texts(locale)
    where = f"{problem.file}:{problem.line}:{problem.col}"
    level = "" if problem.severity is Severity.ERROR else locale.label("warning") + ": "
    field_part = f"  {problem.field}" if problem.field else ""
    level += f"[{problem.rule}] " if problem.rule else ""
    tail = f" → {fix}" if fix else ""
    return _UNPRINTABLE.sub(_visible, f"{where}{field_part}  {level}{message}{tail}")


def format_github(problem: Problem, locale: Locale) -> str:
    """A GitHub Actions workflow command, so problems show inline on the pull request."""
    message, fix = problem.texts(locale)
    level = "error" if problem.severity is Severity.ERROR else "warning"
    body = f"{problem.field}: {message} → {fix}" if problem.field else f"{message} → {fix}"
    body = f"[{problem.rule}] {body}" if problem.rule else body
    body = body.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    return f"::{level} file={problem.file},line={problem.line},col={problem.col}::{body}"


def format_json(problems: Iterable[Problem], locale: Locale) -> str:
    """All problems as one JSON array, for tools."""
    rows = []
    for p in problems:
        message, fix = p.texts(locale)
        rows.append(
            {
                "file": p.file, "line": p.line, "col": p.col, "field": p.field,
                "code": p.code, "rule": p.rule, "severity": p.severity.value, "message": message, "fix": fix,
            }
        )
    return json.dumps(rows, ensure_ascii=False, indent=2)
