"""The ``handbook`` command: parses arguments, calls the core, prints. The only module that exits."""

from __future__ import annotations

import argparse
import sys
import threading
import traceback
from collections.abc import Sequence
from pathlib import Path

from . import __version__
from .build import SiteBuildError, build_site, generate, swap_in
from .i18n import DEFAULT_LANG, Locale, available, load_locale
from .pipeline import validate
from .problems import Problem, Severity, format_github, format_json, format_text, has_errors
from .project import Project

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE, EXIT_BUG = 0, 1, 2, 3


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="handbook",
        description="Check HR's role YAML under roles/ and turn it into a MkDocs handbook site.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument(
        "--lang", default=DEFAULT_LANG, choices=available(), help="language of messages and pages (default: zh)"
    )
    parser.add_argument("--project", type=Path, default=None, help="project folder (default: nearest with mkdocs.yml)")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    v = sub.add_parser("validate", help="check the YAML and report every problem; writes nothing")
    v.add_argument("path", nargs="?", type=Path, help="folder or file to check (default: roles/)")
    v.add_argument("--strict", action="store_true", help="treat warnings as errors")
    v.add_argument("--format", choices=("text", "github", "json"), default="text", help="output format")

    g = sub.add_parser("generate", help="validate, then write Markdown pages into handbook/generated/")
    g.add_argument("--strict", action="store_true", help="treat warnings as errors")

    b = sub.add_parser("build", help="validate, generate and build site/ (the old site stays if anything fails)")
    b.add_argument("--strict", action="store_true", help="treat warnings as errors")
    b.add_argument("--site-dir", type=Path, default=None, help="where to put the site (default: site/)")

    s = sub.add_parser("serve", help="live preview: regenerate on every save of roles/ or handbook/")
    s.add_argument("--dev-addr", default="127.0.0.1:8000", help="address to serve on (default: 127.0.0.1:8000)")
    return parser


def _print_problems(problems: Sequence[Problem], locale: Locale, fmt: str = "text") -> None:
    if fmt == "json":
        print(format_json(problems, locale))
        return
    for problem in problems:
        print(format_github(problem, locale) if fmt == "github" else format_text(problem, locale))
    if fmt == "text" and problems:
        errors = sum(p.severity is Severity.ERROR for p in problems)
        warnings = len(problems) - errors
        print(f"\n{errors} error(s), {warnings} warning(s)", file=sys.stderr)


def _validate(args: argparse.Namespace, project: Project, locale: Locale) -> int:
    target: Path = args.path or project.roles
    if not target.exists():
        print(f"handbook: no such folder or file: {target}", file=sys.stderr)
        return EXIT_USAGE
    result = validate(target, locale=locale, display_base=Path.cwd())
    _print_problems(result.problems, locale, args.format)
    if args.format == "text" and not result.problems:
        print(f"OK: {result.files} file(s), no problems")
    return EXIT_PROBLEMS if has_errors(result.problems, strict=args.strict) else EXIT_OK


def _generate(project: Project, locale: Locale, strict: bool) -> bool:
    outcome = generate(project, locale, strict=strict)
    _print_problems(outcome.problems, locale)
    if outcome.report is None:
        print("handbook: nothing written; fix the problems above", file=sys.stderr)
        return False
    report = outcome.report
    print(f"generated: {len(report.written)} written, {len(report.removed)} removed, {report.unchanged} unchanged")
    return True


def _build(args: argparse.Namespace, project: Project, locale: Locale) -> int:
    if not _generate(project, locale, args.strict):
        return EXIT_PROBLEMS
    target = args.site_dir or project.site
    try:
        staging = build_site(project, site_dir=target)
    except SiteBuildError as err:
        for message in err.messages:
            print(f"mkdocs: {message}", file=sys.stderr)
        print(f"handbook: site not built; {target} is unchanged", file=sys.stderr)
        return EXIT_PROBLEMS
    swap_in(staging, target)
    print(f"site: {target}")
    return EXIT_OK


def _serve(args: argparse.Namespace, project: Project, locale: Locale) -> int:
    from mkdocs.commands.serve import serve

    if not _generate(project, locale, False):
        return EXIT_PROBLEMS
    stop = threading.Event()

    def snapshot() -> dict[Path, float]:
        folders = [project.roles, project.handbook]
        return {
            p: p.stat().st_mtime
            for folder in folders
            for p in folder.rglob("*")
            if p.is_file() and project.generated not in p.parents
        }

    def watch() -> None:
        # Regenerate on save; MkDocs then sees only the pages whose bytes changed and reloads.
        last = snapshot()
        while not stop.wait(0.5):
            now = snapshot()
            if now != last:
                last = now
                _generate(project, locale, False)

    thread = threading.Thread(target=watch, daemon=True)
    thread.start()
    try:
        serve(str(project.mkdocs_yml), dev_addr=args.dev_addr, livereload=True)
    finally:
        stop.set()
    return EXIT_OK


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``handbook`` console script."""
    args = _parser().parse_args(argv)
    locale = load_locale(args.lang)
    project = Project(args.project.resolve()) if args.project else Project.find()
    try:
        if args.command == "validate":
            return _validate(args, project, locale)
        if args.command == "generate":
            return EXIT_OK if _generate(project, locale, args.strict) else EXIT_PROBLEMS
        if args.command == "build":
            return _build(args, project, locale)
        if args.command == "serve":
            return _serve(args, project, locale)
    except KeyboardInterrupt:
        return EXIT_OK
    except Exception:
        # Mistakes in the data never get here (they are problems); this is a bug in the generator.
        traceback.print_exc()
        print("handbook: internal error (a bug in the generator, not in your data); please report it", file=sys.stderr)
        return EXIT_BUG
    return EXIT_USAGE


if __name__ == "__main__":
    sys.exit(main())
