"""``handbook export xlsx|docx`` and ``handbook import xlsx|docx``: run the core, print what it did."""

from __future__ import annotations

import argparse
import sys
import zipfile
from pathlib import Path

from openpyxl.utils.exceptions import InvalidFileException

from ..errors import EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE
from ..i18n import Locale
from ..link.handbook import Handbook
from ..link.pipeline import validate
from ..load.problems import Problem, format_text, has_errors
from ..project import Project
from . import changes
from .docx_export import export_docx
from .docx_import import import_docx_command
from .output import finish
from .xlsx_export import export
from .xlsx_import import read_workbook


def _handbook(project: Project, locale: Locale, parses: changes.SharedParses) -> tuple[Handbook, list[Problem]] | None:
    result = validate(project.roles, locale=locale, display_base=project.root, cache=parses)
    if has_errors(result.problems):
        for p in result.problems:
            print(format_text(p, locale), file=sys.stderr)
        return None
    return result.handbook, result.problems


def office_command(args: argparse.Namespace, project: Project, locale: Locale) -> int:
    """One of the four commands; the exit code."""
    parses = changes.SharedParses()  # the import's validation of its result re-reads only what changed
    found = _handbook(project, locale, parses)
    if found is None:
        return EXIT_PROBLEMS
    hb, before = found
    if args.command == "export" and args.format == "xlsx":
        out = export(hb, locale, args.output or Path("handbook.xlsx"), template=args.template)
        print(locale.label("office_wrote").format(path=out))
        return EXIT_OK
    if args.command == "export":
        unknown = [r for r in args.roles if r not in hb.roles]
        if unknown:
            print("handbook: " + locale.label("no_such_role").format(ids=", ".join(unknown)), file=sys.stderr)
            return EXIT_USAGE
        for path in export_docx(hb, locale, project, args.roles, args.output or project.site / "docx"):
            print(locale.label("office_wrote").format(path=path))
        return EXIT_OK
    if args.format == "docx":
        return import_docx_command(args, hb, project, before, locale, parses)
    if not args.file.is_file():
        print(f"handbook: no such file: {args.file}", file=sys.stderr)
        return EXIT_USAGE
    try:
        reading = read_workbook(args.file, hb, locale)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, ValueError):
        print("handbook: " + locale.label("office_not_a_workbook").format(path=args.file), file=sys.stderr)
        return EXIT_USAGE
    outcome = changes.import_reading(reading, hb, project.roles, before, locale, parses)
    return finish(outcome, args.apply, locale)
