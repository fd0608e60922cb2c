"""The ``handbook`` command: parses arguments, calls the core, prints. The only module that exits."""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import threading
import traceback
from collections.abc import Sequence
from pathlib import Path

from . import __version__
from .editor.editguide import PREVIEW_PAGE
from .editor.scaffold import ScaffoldError, marker, new_file
from .editor.schema import SCHEMA_DIR, stale, write_schemas
from .history import GitError, diff_revs, with_history
from .history.wording import FORMATS as DIFF_FORMATS
from .i18n import DEFAULT_LANG, Locale, available, load_locale
from .link.pipeline import Result, validate
from .load.problems import Problem, Severity, format_github, format_json, format_text, has_errors
from .model.entities import KINDS
from .pdf.render import CACHE_DIR, PdfError, write_pdfs
from .project import Project
from .site.build import GenerateOutcome, SiteBuildError, build_site, generate, show_problems, swap_in
from .site.incremental import Cache

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE, EXIT_BUG = 0, 1, 2, 3
#: Where the live preview lists the problems of an invalid save.
PREVIEW_URL = PREVIEW_PAGE.removesuffix(".md") + "/"


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

    pdf = sub.add_parser("pdf", help="write job-description PDFs (岗位说明书) into site/pdf/")
    pdf.add_argument("roles", nargs="*", metavar="ROLE-ID", help="only these roles (default: all, plus handbook.pdf)")
    pdf.add_argument("--out", type=Path, default=None, help="output folder (default: site/pdf/)")

    s = sub.add_parser("serve", help="live preview: regenerate on every save of roles/ or handbook/")
    s.add_argument("--dev-addr", default="127.0.0.1:8000", help="address to serve on (default: 127.0.0.1:8000)")

    sc = sub.add_parser("schema", help="write the JSON Schema files editors use (one per kind) into schema/")
    sc.add_argument("--check", action="store_true", help="write nothing; exit 1 when schema/ is out of date")

    d = sub.add_parser("diff", help="what changed between two revisions, entity by entity, in HR's words")
    d.add_argument(
        "revs", nargs="*", metavar="REV", help="from REV1 (default: the last release) to REV2 (default: the files now)"
    )
    d.add_argument("--format", choices=("text", "json", "markdown"), default="text", help="output format")

    n = sub.add_parser("new", help="write a commented template for a new entry; never overwrites a file")
    n.add_argument("kind", choices=list(KINDS), help="what to create")
    n.add_argument("id", help="its id: lower-case letters, digits and hyphens (the file name)")
    n.add_argument("--unit", default=None, help="the unit it belongs to; the file goes into that unit's folder")
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
    one_file = target.resolve() if target.is_file() else None
    if one_file is not None:
        # A file is checked together with the folder it belongs to (its references need the
        # others), and only its own problems are shown.
        roles = project.roles.resolve()
        target = roles if one_file.is_relative_to(roles) else one_file.parent
    result = validate(target, locale=locale, display_base=Path.cwd())
    if one_file is not None:
        result.problems = [p for p in result.problems if (Path.cwd() / p.file).resolve() == one_file]
        result.files = 1
    _print_problems(result.problems, locale, args.format)
    if args.format == "text" and not result.problems:
        print(f"OK: {result.files} file(s), no problems")
    return EXIT_PROBLEMS if has_errors(result.problems, strict=args.strict) else EXIT_OK


def _generate(
    project: Project, locale: Locale, strict: bool, *, preview: bool = False, cache: Cache | None = None
) -> GenerateOutcome:
    outcome = generate(project, locale, strict=strict, cache=cache)
    _print_problems(outcome.problems, locale)
    for note in outcome.notes:
        print(f"handbook: {note}", file=sys.stderr)
    if outcome.report is None:
        print("handbook: nothing written; fix the problems above", file=sys.stderr)
        if preview and show_problems(project, outcome.problems, locale):
            # The last good pages stay; a banner on each links to the list of problems.
            print(f"handbook: preview keeps the last good pages; problems at /{PREVIEW_URL}", file=sys.stderr)
        return outcome
    report = outcome.report
    print(f"generated: {len(report.written)} written, {len(report.removed)} removed, {report.unchanged} unchanged")
    return outcome


def _build(args: argparse.Namespace, project: Project, locale: Locale) -> int:
    generated = _generate(project, locale, args.strict)
    if not generated.ok:
        return EXIT_PROBLEMS
    target = args.site_dir or project.site
    try:
        staging = build_site(project, site_dir=target)
    except SiteBuildError as err:
        for message in err.messages:
            print(f"mkdocs: {message}", file=sys.stderr)
        print(f"handbook: site not built; {target} is unchanged", file=sys.stderr)
        return EXIT_PROBLEMS
    # PDFs go into the staging folder too: if they fail, the old site stays whole.
    if not _pdfs(project, locale, staging / "pdf", [], generated.result):
        shutil.rmtree(staging, ignore_errors=True)
        print(f"handbook: site not built; {target} is unchanged", file=sys.stderr)
        return EXIT_PROBLEMS
    swap_in(staging, target)
    print(f"site: {target}")
    return EXIT_OK


def _pdfs(
    project: Project, locale: Locale, out_dir: Path, role_ids: list[str], validated: Result | None = None
) -> bool:
    result = validated or validate(project.roles, locale=locale, display_base=project.root)
    if validated is None and not has_errors(result.problems):
        with_history(result.handbook, project.root, project.roles, locale)  # 修订记录 in the PDFs
    if has_errors(result.problems, strict=False):
        _print_problems(result.problems, locale)
        print("handbook: no PDF written; fix the problems above", file=sys.stderr)
        return False
    unknown = [rid for rid in role_ids if rid not in result.handbook.roles]
    if unknown:
        print(f"handbook: no such role: {', '.join(unknown)}", file=sys.stderr)
        return False
    try:
        report = write_pdfs(
            result.handbook, locale, out_dir, project.root / CACHE_DIR, role_ids or None, combined=not role_ids
        )
    except PdfError as err:
        print(f"handbook: PDF not made: {err}", file=sys.stderr)
        return False
    if report.missing_glyphs:
        chars = " ".join(f"{c} (U+{ord(c):04X})" for c in sorted(report.missing_glyphs))
        print(f"handbook: warning: no glyph in Noto Sans CJK SC for: {chars}", file=sys.stderr)
    print(f"pdf: {len(report.rendered)} rendered, {len(report.reused)} unchanged")
    return True


def _configured_extra(project: Project) -> dict[str, object]:
    """The ``extra`` settings mkdocs.yml (with what it inherits) gives the theme."""
    from mkdocs.config import load_config

    return dict(load_config(str(project.mkdocs_yml)).get("extra") or {})


def _serve(args: argparse.Namespace, project: Project, locale: Locale) -> int:
    from mkdocs.commands.serve import serve

    # One cache for the session: a save re-reads only changed files and re-renders only the pages they touch.
    cache = Cache()
    if not _generate(project, locale, False, preview=True, cache=cache).ok and not project.docs.is_dir():
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
                _generate(project, locale, False, preview=True, cache=cache)

    thread = threading.Thread(target=watch, daemon=True)
    thread.start()
    # mkdocs.yml names the search dictionary relative to the project, as `mkdocs serve` run there sees it.
    os.chdir(project.root)
    try:
        # extra.local_edit turns on edit buttons that open the YAML in the local editor, and
        # extra.live_preview the banner of an invalid save; both for the preview only. They are
        # added to what mkdocs.yml sets in extra, which a keyword argument would replace.
        extra = {**_configured_extra(project), "local_edit": True, "live_preview": True}
        serve(str(project.mkdocs_yml), dev_addr=args.dev_addr, livereload=True, extra=extra)
    finally:
        stop.set()
    return EXIT_OK


def _schema(args: argparse.Namespace, project: Project) -> int:
    folder = project.root / SCHEMA_DIR
    if args.check:
        old = stale(folder)
        for name in old:
            print(f"{SCHEMA_DIR}/{name}: out of date; run `handbook schema` and commit the result", file=sys.stderr)
        return EXIT_PROBLEMS if old else EXIT_OK
    changed = write_schemas(folder)
    print(f"schema: {len(changed)} written, {len(KINDS) - len(changed)} unchanged ({folder})")
    return EXIT_OK


def _diff(args: argparse.Namespace, project: Project, locale: Locale) -> int:
    if len(args.revs) > 2:
        print("handbook: diff takes at most two revisions", file=sys.stderr)
        return EXIT_USAGE
    try:
        cache = project.root / CACHE_DIR / "history"
        old, new, found = diff_revs(project.roles, *args.revs, locale=locale, cache=cache)
    except GitError as err:
        print("handbook: " + locale.label(err.code).format(**err.args_), file=sys.stderr)
        return EXIT_USAGE
    print(DIFF_FORMATS[args.format](old, new, found, locale), end="")
    return EXIT_OK


def _new(args: argparse.Namespace, project: Project, locale: Locale) -> int:
    try:
        path = new_file(project.root, args.kind, args.id, args.unit, locale)
    except ScaffoldError as err:
        print("handbook: " + locale.label(err.code).format(**err.args_), file=sys.stderr)
        return EXIT_PROBLEMS if err.code == "new_exists" else EXIT_USAGE
    shown = path.relative_to(project.root).as_posix()
    print(locale.label("new_created").format(path=shown, marker=marker(locale)))
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
            return EXIT_OK if _generate(project, locale, args.strict).ok else EXIT_PROBLEMS
        if args.command == "build":
            return _build(args, project, locale)
        if args.command == "pdf":
            out = args.out or project.site / "pdf"
            return EXIT_OK if _pdfs(project, locale, out, list(args.roles)) else EXIT_PROBLEMS
        if args.command == "serve":
            return _serve(args, project, locale)
        if args.command == "schema":
            return _schema(args, project)
        if args.command == "diff":
            return _diff(args, project, locale)
        if args.command == "new":
            return _new(args, project, locale)
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
