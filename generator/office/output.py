"""What an import prints: the problems, or the changes in ``handbook diff``'s words; and the writing."""

from __future__ import annotations

import sys

from ..errors import EXIT_OK, EXIT_PROBLEMS
from ..i18n import Locale
from . import changes


def finish(outcome: changes.Outcome, apply: bool, locale: Locale) -> int:
    """Print the changes or the problems; write when asked and there is no problem."""
    if outcome.problems:
        for p in outcome.problems:
            print(p.text(), file=sys.stderr)
        print(locale.label("office_failed").format(n=len(outcome.problems)), file=sys.stderr)
        return EXIT_PROBLEMS
    for line in changes.report(outcome, locale):
        print(line)
    if not outcome.texts:
        print(locale.label("office_no_changes"))
        return EXIT_OK
    if not apply:
        print(locale.label("office_changes").format(n=len(outcome.diffs)))
        print(locale.label("office_dry_run"))
        return EXIT_OK
    written = changes.write(outcome)
    print(locale.label("office_applied").format(n=len(written)))
    return EXIT_OK
