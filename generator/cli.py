"""The ``handbook`` command: parses arguments, calls the core, prints. The only module that exits."""

from __future__ import annotations

import argparse
import contextlib
import gc
import logging
import sys
import traceback
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

from . import __version__
from .compliance import (
    checked,
    in_file,
    print_lint,
    print_problems,
    run_lint,
    run_signoff,
    run_verify,
    shown_path,
    stale_approvals,
)
from .editor import fmt
from .editor.init import run_init
from .editor.scaffold import marker, new_file
from .editor.schema import SCHEMA_DIR, stale, write_schemas
from .errors import EXIT_BUG, EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE, UserError
from .history import CACHE, GitError, Repo, diff_revs
from .history.wording import FORMATS as DIFF_FORMATS
from .i18n import DEFAULT_LANG, Locale, available, load_locale
from .link import completeness
from .link.lint import LINT_MODES, lint, lint_fails
from .load.problems import Problem, has_errors
from .model import registry
from .office import cli as office_cli
from .project import Project, company_locale
from .site.build import PdfOutcome, build, make_pdfs
from .site.engine import DEFAULT_ENGINE, ENGINES, require_config
from .site.generate import GenerateOutcome, generate


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="handbook",
        description="Check HR's role YAML under roles/ and turn it into a MkDocs handbook site.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument(
        "--lang", default=None, choices=available(),
        help="language of messages and pages (default: the company settings' locale, else zh)",
    )
    parser.add_argument("--project", type=Path, default=None, help="project folder (default: nearest with mkdocs.yml)")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    v = sub.add_parser("validate", help="check the YAML and report every problem; writes nothing")
    v.add_argument("path", nargs="?", type=Path, help="folder or file to check (default: roles/)")
    v.add_argument("--strict", action="store_true", help="treat warnings as errors")
    v.add_argument("--format", choices=("text", "github", "json"), default="text", help="output format")
    v.add_argument(
        "--lint", choices=LINT_MODES, default="errors",
        help="content checks (see `handbook lint`): off, report (never fail), errors (default: fail on a "
             "forbidden requirement) or all (fail on any finding); --strict does not change this",
    )
    v.add_argument(
        "--completeness", action="store_true",
        help="also list, unit by unit, the job-description sections each role still lacks, and the editor notes",
    )

    li = sub.add_parser(
        "lint", help="content checks of the job descriptions: forbidden requirements, duties, KPIs, reporting lines",
    )
    li.add_argument("path", nargs="?", type=Path, help="folder or file to check (default: roles/)")
    li.add_argument("--pdf", action="store_true", help="also build each role's PDF and check it fits on two pages")
    li.add_argument("--strict", action="store_true", help="fail on warnings too, not only on forbidden requirements")
    li.add_argument("--format", choices=("text", "github", "json"), default="text", help="output format")

    ve = sub.add_parser(
        "verify", help="which version of which role a job-description PDF is: the current one or an earlier release",
    )
    ve.add_argument("file", type=Path, metavar="FILE.pdf", help="a PDF written by handbook (or its scan's text)")
    ve.add_argument("--hash", default=None, help="the content hash printed in the footer, typed off a paper copy")

    so = sub.add_parser("signoff", help="the sign-off register (signoffs/*.csv): who signed which version")
    so_sub = so.add_subparsers(dest="signoff_command", required=True, metavar="ACTION")
    st = so_sub.add_parser(
        "status", help="per role: who signed the current version, an older one (and what changed since), never",
    )
    st.add_argument("roles", nargs="*", metavar="ROLE-ID", help="only these roles (default: all in the register)")
    st.add_argument("--check", action="store_true", help="exit 1 unless everyone listed signed the current version")

    g = sub.add_parser("generate", help="validate, then write Markdown pages into handbook/generated/")
    g.add_argument("--strict", action="store_true", help="treat warnings as errors")

    b = sub.add_parser("build", help="validate, generate and build site/ (the old site stays if anything fails)")
    b.add_argument("--strict", action="store_true", help="treat warnings as errors")
    b.add_argument("--site-dir", type=Path, default=None, help="where to put the site (default: site/)")
    b.add_argument("--engine", choices=ENGINES, default=DEFAULT_ENGINE, help=f"site engine (default: {DEFAULT_ENGINE})")

    pdf = sub.add_parser("pdf", help="write job-description PDFs (岗位说明书) into site/pdf/")
    pdf.add_argument("roles", nargs="*", metavar="ROLE-ID", help="only these roles (default: all, plus handbook.pdf)")
    pdf.add_argument("--out", type=Path, default=None, help="output folder (default: site/pdf/)")
    pdf.add_argument("--since", metavar="REV", default=None, help="only roles whose content changed since REV")

    s = sub.add_parser("serve", help="live preview: regenerate on every save of roles/ or handbook/")
    s.add_argument("--dev-addr", default="127.0.0.1:8000", help="address to serve on (default: 127.0.0.1:8000)")
    # MkDocs by default: the preview keeps its build and rebuilds only the changed pages
    # (site/livebuild.py); Zensical's own serve rebuilds with its own rules and, at 1,000 roles,
    # stops at its search index limit (README, "Two site engines").
    s.add_argument("--engine", choices=ENGINES, default="mkdocs", help="site engine (default: mkdocs)")

    ed = sub.add_parser("edit", help="edit roles/ in the browser: forms checked as you type, saved as written, "
                                     "with the live preview beside them")
    ed.add_argument("--dev-addr", default="127.0.0.1:8001",
                    help="address of the forms (default: 127.0.0.1:8001; the preview takes the next port)")
    ed.add_argument("--no-preview", action="store_true", help="forms only, no live preview beside them")

    sc = sub.add_parser("schema", help="write the JSON Schema files editors use (one per kind) into schema/")
    sc.add_argument("--check", action="store_true", help="write nothing; exit 1 when schema/ is out of date")

    d = sub.add_parser("diff", help="what changed between two revisions, entity by entity, in HR's words")
    d.add_argument(
        "revs", nargs="*", metavar="REV", help="from REV1 (default: the last release) to REV2 (default: the files now)"
    )
    d.add_argument("--format", choices=("text", "json", "markdown"), default="text", help="output format")

    f = sub.add_parser("fmt", help="fix safe mechanical mistakes (BOM, CRLF, tabs, Chinese colons) in place")
    f.add_argument("path", nargs="?", type=Path, help="folder or file (default: roles/)")
    f.add_argument("--check", action="store_true", help="write nothing; exit 1 when a file would change (for CI)")

    n = sub.add_parser("new", help="write a commented template for a new entry; never overwrites a file")
    n.add_argument("kind", choices=list(registry.KINDS), help="what to create")
    n.add_argument("id", help="its id: lower-case letters, digits and hyphens (the file name)")
    n.add_argument("--unit", default=None, help="the unit it belongs to; the file goes into that unit's folder")
    n.add_argument("--reports-to", default=None, metavar="ROLE", help="the role it reports to (must exist)")
    n.add_argument("--from", dest="copy_from", default=None, metavar="ROLE", help="start from a copy of this role")
    i = sub.add_parser("init", help="start a new company's project in an empty folder: set-up, schemas, its top unit")
    i.add_argument("folder", nargs="?", type=Path, default=None, help="where (default: the current folder)")
    i.add_argument("--company", required=True, help="the company's name, as the site and the PDFs show it")
    i.add_argument("--locale", choices=sorted(available()), default=None,
                   help="its language (default: --lang, else zh)")
    i.add_argument("--id", default="company", help="the top unit's id (default: company)")
    office_cli.add_parsers(sub)
    return parser


def _validate(args: argparse.Namespace, project: Project, locale: Locale) -> int:
    result, one_file = checked(args, project, locale)
    if not has_errors(result.problems):
        result.problems = sorted([*result.problems, *in_file(stale_approvals(project, result, locale), one_file)],
                                 key=Problem.sort_key)
    found = [] if args.lint == "off" or has_errors(result.problems) else in_file(lint(result.handbook), one_file)
    # JSON is one array for tools: the content findings carry their rule, the data's problems none.
    print_problems([*result.problems, *found] if args.format == "json" else result.problems, locale, args.format)
    if args.format == "text" and not result.problems:
        print(f"OK: {result.files} file(s), no problems")
    if found and args.format != "json":
        # Content findings are their own category: printed apart, with their own exit rule (--lint).
        if args.format == "text":
            print(f"\n{locale.label('lint_title')}")
        print_lint(found, locale, args.format)
    if args.completeness and not has_errors(result.problems):
        # A report of what is not written yet, not a problem: it never changes the exit code.
        print(completeness.report(result.handbook, locale))
    failed = has_errors(result.problems, strict=args.strict) or lint_fails(found, args.lint)
    return EXIT_PROBLEMS if failed else EXIT_OK


def _generated(outcome: GenerateOutcome, locale: Locale) -> bool:
    """Print what generating did; True when the generated folder was written."""
    print_problems(outcome.problems, locale)
    for note in outcome.notes:
        print(f"handbook: {note}", file=sys.stderr)
    if outcome.report is None:
        print("handbook: nothing written; fix the problems above", file=sys.stderr)
        return False
    report = outcome.report
    print(f"generated: {len(report.written)} written, {len(report.removed)} removed, {report.unchanged} unchanged")
    return True


def _pdf_printed(outcome: PdfOutcome, locale: Locale) -> bool:
    """Print what a PDF run did; True when the PDFs were written."""
    if outcome.report is None:
        if has_errors(outcome.problems, strict=False):
            print_problems(outcome.problems, locale)
            print("handbook: no PDF written; fix the problems above", file=sys.stderr)
        elif outcome.unknown:
            print("handbook: " + locale.label("no_such_role").format(ids=", ".join(outcome.unknown)), file=sys.stderr)
        else:
            print(f"handbook: {outcome.error}", file=sys.stderr)
        return False
    report = outcome.report
    if report.missing_glyphs:
        chars = " ".join(f"{c} (U+{ord(c):04X})" for c in sorted(report.missing_glyphs))
        print(f"handbook: warning: no glyph in Noto Sans CJK SC for: {chars}", file=sys.stderr)
    print(f"pdf: {len(report.rendered)} rendered, {len(report.reused)} unchanged")
    return True


def _build(args: argparse.Namespace, project: Project, locale: Locale) -> int:
    target = args.site_dir or project.site
    outcome = build(project, locale, strict=args.strict, site_dir=target, engine=args.engine)
    if not _generated(outcome.generated, locale):
        return EXIT_PROBLEMS
    for message in outcome.site_errors:
        print(f"{args.engine}: {message}", file=sys.stderr)
    for warning in outcome.warnings:
        print(f"handbook: warning: {warning}", file=sys.stderr)
    if outcome.pdfs is not None:
        _pdf_printed(outcome.pdfs, locale)
    if not outcome.ok:
        print(f"handbook: site not built; {target} is unchanged", file=sys.stderr)
        return EXIT_PROBLEMS
    print(f"site: {target}")
    return EXIT_OK


def _generate(args: argparse.Namespace, project: Project, locale: Locale) -> int:
    return EXIT_OK if _generated(generate(project, locale, strict=args.strict), locale) else EXIT_PROBLEMS


def _pdf(args: argparse.Namespace, project: Project, locale: Locale) -> int:
    out = args.out or project.site / "pdf"
    wanted = list(args.roles)
    if args.since is not None:
        since = _changed_since(args, project, locale)
        if not since:
            return EXIT_USAGE if since is None else EXIT_OK
        wanted = since
    return EXIT_OK if _pdf_printed(make_pdfs(project, locale, out, wanted), locale) else EXIT_PROBLEMS


def _serve(args: argparse.Namespace, project: Project, locale: Locale) -> int:
    # The servers load only for the commands that use them (as the office formats, office/cli.py):
    # every other command starts about 0.3 s sooner.
    from .site.serve import PREVIEW_URL, Preview, serve

    def report(outcome: GenerateOutcome, problems_shown: bool) -> None:
        if not _generated(outcome, locale) and problems_shown:
            # The last good pages stay; a banner on each links to the list of problems.
            print(f"handbook: preview keeps the last good pages; problems at /{PREVIEW_URL}", file=sys.stderr)
        elif outcome.held_back:
            said = locale.label("preview_held_back").format(files=", ".join(outcome.held_back), url=PREVIEW_URL)
            print(f"handbook: {said}", file=sys.stderr)

    require_config(project)
    preview = Preview(project, locale, report)
    if not preview.regenerate().ok and not project.docs.is_dir():
        return EXIT_PROBLEMS
    serve(preview, args.dev_addr, args.engine)
    return EXIT_OK


def _edit(args: argparse.Namespace, project: Project, locale: Locale) -> int:
    host, _, port = args.dev_addr.rpartition(":")
    if not host or not port.isdigit():
        print(f"handbook: --dev-addr takes HOST:PORT, not {args.dev_addr}", file=sys.stderr)
        return EXIT_USAGE
    require_config(project)
    from .site.editserver import start as start_edit

    running = start_edit(project, locale, host, int(port), preview=not args.no_preview)
    print(f"handbook edit: {running.url}" + (f"  (preview: {running.preview_url})" if running.preview_url else ""))
    try:
        running.serve_forever()
    finally:
        running.shutdown()
    return EXIT_OK


def _schema(args: argparse.Namespace, project: Project, locale: Locale) -> int:
    folder = project.root / SCHEMA_DIR
    if args.check:
        old = stale(folder)
        for name in old:
            print(f"{SCHEMA_DIR}/{name}: out of date; run `handbook schema` and commit the result", file=sys.stderr)
        return EXIT_PROBLEMS if old else EXIT_OK
    changed = write_schemas(folder)
    print(f"schema: {len(changed)} written, {len(registry.KINDS) - len(changed)} unchanged ({folder})")
    return EXIT_OK


def _diff(args: argparse.Namespace, project: Project, locale: Locale) -> int:
    if len(args.revs) > 2:
        print("handbook: diff takes at most two revisions", file=sys.stderr)
        return EXIT_USAGE
    try:
        cache = project.root / CACHE
        old, new, found = diff_revs(project.roles, *args.revs, locale=locale, cache=cache)
        if not args.revs and old == "HEAD" and Repo(project.roles).shallow():
            print("handbook: " + locale.label("git_shallow_diff").format(rev=old), file=sys.stderr)
    except GitError as err:
        print("handbook: " + locale.label(err.code).format(**err.args_), file=sys.stderr)
        return EXIT_USAGE
    print(DIFF_FORMATS[args.format](old, new, found, locale), end="")
    return EXIT_OK


def _changed_since(args: argparse.Namespace, project: Project, locale: Locale) -> list[str] | None:
    """The roles to print again for ``pdf --since REV``, listed for HR; None after a usage mistake."""
    if args.roles:
        print("handbook: pdf --since takes no ROLE-ID", file=sys.stderr)
        return None
    try:
        found = diff_revs(project.roles, args.since, locale=locale, cache=project.root / CACHE)[2]
    except GitError as err:
        print("handbook: " + locale.label(err.code).format(**err.args_), file=sys.stderr)
        return None
    changed = [d for d in found if d.kind == "role" and d.op != "removed"]
    if not changed:
        print(locale.label("pdf_since_none").format(rev=args.since))
        return []
    print(locale.label("pdf_since_list").format(rev=args.since, n=len(changed)))
    for d in changed:
        print(f"  {d.id}  {d.title}")
    return [d.id for d in changed]


def _new(args: argparse.Namespace, project: Project, locale: Locale) -> int:
    path = new_file(
        project.root, args.kind, args.id, args.unit, locale, reports_to=args.reports_to, copy_from=args.copy_from
    )
    shown = path.relative_to(project.root).as_posix()
    print(locale.label("new_created").format(path=shown, marker=marker(locale)))
    return EXIT_OK


def _fmt(args: argparse.Namespace, project: Project, locale: Locale) -> int:
    target: Path = args.path or project.roles
    if not target.exists():
        print(f"handbook: no such folder or file: {target}", file=sys.stderr)
        return EXIT_USAGE
    changed = unsafe = 0
    for path in fmt.targets(target):
        shown = shown_path(path)
        outcome = fmt.format_file_bytes(path, path.read_bytes())
        if not outcome.safe:
            unsafe += 1
            why = locale.label(f"fmt_why_{outcome.reason or 'changes'}")
            print(locale.label("fmt_unsafe").format(path=shown, line=outcome.line, why=why), file=sys.stderr)
        if not outcome.changed:
            continue
        changed += 1
        for note in outcome.invisible:
            print(locale.label(f"fmt_note_{note}").format(path=shown), file=sys.stderr)
        print(fmt.diff(shown, path.read_bytes().decode("utf-8-sig"), outcome.text), end="")
        if not args.check:
            fmt.write(path, outcome.text)
    key = "fmt_would_change" if args.check else "fmt_changed"
    if changed or not unsafe:
        print(locale.label(key if changed else "fmt_clean").format(count=changed), file=sys.stderr)
    if unsafe:
        print(locale.label("fmt_unsafe_count").format(count=unsafe), file=sys.stderr)
    return EXIT_PROBLEMS if (args.check and changed) or unsafe else EXIT_OK


Handler = Callable[[argparse.Namespace, Project, Locale], int]

#: Each sub-command's handler; a new command adds its parser above and one entry here.
COMMANDS: dict[str, Handler] = {
    "validate": _validate,
    "lint": run_lint,
    "verify": run_verify,
    "signoff": run_signoff,
    "generate": _generate,
    "build": _build,
    "pdf": _pdf,
    "serve": _serve,
    "edit": _edit,
    "schema": _schema,
    "diff": _diff,
    "new": _new,
    "init": run_init,
    "fmt": _fmt,
    "export": office_cli.run,
    "import": office_cli.run,
}


@contextlib.contextmanager
def process_settings() -> Iterator[None]:
    """What the command sets for its whole process; the library never does (the benchmark does the same).

    * The cyclic garbage collector runs far less often: loading makes
      hundreds of thousands of small objects (positions, paths, nodes) that stay alive, and
      every full collection re-scanned them all. Measured, that made validation grow faster
      than the number of files. Reference counting still frees everything as usual.
    * WeasyPrint logs every unsupported CSS property it meets at WARNING; none of those
      matter for our own stylesheet, and the command owns the terminal.
    """
    thresholds = gc.get_threshold()
    weasyprint = logging.getLogger("weasyprint")
    level = weasyprint.level
    gc.set_threshold(100_000, 50, 1_000)
    weasyprint.setLevel(logging.ERROR)
    try:
        yield
    finally:
        gc.set_threshold(*thresholds)
        weasyprint.setLevel(level)


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``handbook`` console script."""
    args = _parser().parse_args(argv)
    with process_settings():
        return _run(args)


def _run(args: argparse.Namespace) -> int:
    project = Project(args.project.resolve()) if args.project else Project.find()
    lang = args.lang or company_locale(project.roles)
    locale = load_locale(lang if lang in available() else DEFAULT_LANG)  # an unknown one: validation says so
    try:
        return COMMANDS[args.command](args, project, locale)
    except KeyboardInterrupt:
        return EXIT_OK
    except UserError as err:
        # A mistake in how the command was called or in the set-up: one plain line, no traceback.
        print("handbook: " + err.message(locale), file=sys.stderr)
        return err.exit_code
    except Exception:
        # Mistakes in the data never get here (they are problems); this is a bug in the generator.
        traceback.print_exc()
        print("handbook: internal error (a bug in the generator, not in your data); please report it", file=sys.stderr)
        return EXIT_BUG


if __name__ == "__main__":
    sys.exit(main())
