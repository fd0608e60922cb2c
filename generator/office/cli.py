"""The ``export`` and ``import`` commands: their arguments, and their entry, which loads the Excel and
Word code (openpyxl, python-docx) only when one of them runs, not with every ``handbook`` command."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..i18n import Locale
    from ..project import Project


def add_parsers(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """The two commands and their formats, among ``handbook``'s sub-commands."""
    ex = sub.add_parser("export", help="the handbook as an Excel workbook, or job descriptions as Word files")
    ex_sub = ex.add_subparsers(dest="format", required=True, metavar="FORMAT")
    ex_x = ex_sub.add_parser("xlsx", help="one workbook: a sheet per kind, the staffing table, drop-downs")
    ex_x.add_argument("-o", "--output", type=Path, default=None, help="the file (default: handbook.xlsx)")
    ex_x.add_argument("--template", action="store_true", help="headers and drop-downs only, for HR to fill in")
    ex_d = ex_sub.add_parser("docx", help="岗位说明书 as .docx, one file per role")
    ex_d.add_argument("roles", nargs="*", metavar="ROLE-ID", help="only these roles (default: all)")
    ex_d.add_argument("-o", "--output", type=Path, default=None, help="output folder (default: site/docx/)")
    im = sub.add_parser("import", help="read a workbook or Word job descriptions back into roles/")
    im_sub = im.add_subparsers(dest="format", required=True, metavar="FORMAT")
    im_x = im_sub.add_parser("xlsx", help="show what a workbook changes; --apply writes it into roles/")
    im_x.add_argument("file", type=Path, help="the workbook (from `handbook export xlsx`, or its --template)")
    im_x.add_argument("--apply", action="store_true", help="write the changes (only when there is no problem)")
    im_d = im_sub.add_parser("docx", help="one-table Word job descriptions → new role files")
    im_d.add_argument("files", type=Path, nargs="+", metavar="FILE", help="the .docx files")
    im_d.add_argument("--unit", default=None, help="the unit for roles whose table names none (its id)")
    im_d.add_argument("--apply", action="store_true", help="write the role files (only when they validate)")


def run(args: argparse.Namespace, project: Project, locale: Locale) -> int:
    """``handbook export …`` / ``handbook import …``; the exit code."""
    from .command import office_command

    return office_command(args, project, locale)
