"""The compliance commands (``handbook lint``, ``verify``, ``signoff status``) and how problems print:
called by :mod:`cli`, which parses the arguments and exits."""

from __future__ import annotations

import argparse
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

from .errors import EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE, UsageError
from .history import CACHE, GitError, diff_revs, signoffs, verify, with_history
from .history.wording import lines as diff_lines
from .i18n import Locale, available, load_locale
from .link import approvals
from .link.handbook import Handbook
from .link.lint import jd_length, lint, lint_fails
from .link.pipeline import Result, validate
from .load.problems import Problem, Severity, format_github, format_json, format_text, has_errors
from .pdf.pagecount import page_counts
from .pdf.readback import Printed, read_pdf
from .project import Project
from .site.build import make_pdfs


def print_problems(problems: Sequence[Problem], locale: Locale, fmt: str = "text") -> None:
    if fmt == "json":
        print(format_json(problems, locale))
        return
    for problem in problems:
        print(format_github(problem, locale) if fmt == "github" else format_text(problem, locale))
    if fmt == "text" and problems:
        errors = sum(p.severity is Severity.ERROR for p in problems)
        warnings = len(problems) - errors
        print(f"\n{errors} error(s), {warnings} warning(s)", file=sys.stderr)


def checked(args: argparse.Namespace, project: Project, locale: Locale) -> tuple[Result, Path | None]:
    """``args.path`` validated (a file together with its folder), and that file if one was named."""
    target: Path = args.path or project.roles
    if not target.exists():
        raise UsageError("no_such_path", path=str(target))
    one_file = target.resolve() if target.is_file() else None
    if one_file is not None:
        # A file is checked together with the folder it belongs to (its references need the
        # others), and only its own problems are shown.
        roles = project.roles.resolve()
        target = roles if one_file.is_relative_to(roles) else one_file.parent
    result = validate(target, locale=locale, display_base=Path.cwd())
    if one_file is not None:
        result.problems = in_file(result.problems, one_file)
        result.files = 1
    return result, one_file


def in_file(problems: list[Problem], one_file: Path | None) -> list[Problem]:
    return problems if one_file is None else [p for p in problems if (Path.cwd() / p.file).resolve() == one_file]


def print_lint(found: Sequence[Problem], locale: Locale, fmt: str) -> None:
    if fmt == "json":
        print(format_json(found, locale))
        return
    for problem in found:
        print(format_github(problem, locale) if fmt == "github" else format_text(problem, locale))
    if fmt == "text":
        errors = sum(p.severity is Severity.ERROR for p in found)
        print(locale.label("lint_summary").format(errors=errors, warnings=len(found) - errors), file=sys.stderr)


def run_lint(args: argparse.Namespace, project: Project, locale: Locale) -> int:
    result, one_file = checked(args, project, locale)
    if has_errors(result.problems):
        # Content rules read checked data: the data's own mistakes come first.
        print_problems(result.problems, locale, args.format)
        return EXIT_PROBLEMS
    found = lint(result.handbook)
    if args.pdf:
        with tempfile.TemporaryDirectory(prefix="handbook-lint-") as tmp:
            with_history(result.handbook, project.root, project.roles, locale)  # the PDFs as printed
            outcome = make_pdfs(project, locale, Path(tmp), list(result.handbook.roles), validated=result)
            if outcome.report is None:
                print(f"handbook: {outcome.error or ''}", file=sys.stderr)
                return EXIT_PROBLEMS
            found += jd_length(result.handbook, page_counts(Path(tmp), result.handbook.roles))
        found.sort(key=Problem.sort_key)
    found = in_file(found, one_file)
    if found:
        print_lint(found, locale, args.format)
    elif args.format == "text":
        print(locale.label("lint_clean").format(roles=len(result.handbook.roles)))
    elif args.format == "json":
        print("[]")
    return EXIT_PROBLEMS if lint_fails(found, "all" if args.strict else "errors") else EXIT_OK


def run_verify(args: argparse.Namespace, project: Project, locale: Locale) -> int:
    word, shown = locale.label, shown_path(args.file)
    if args.hash:
        printed = Printed((args.hash.strip().lower(),))
    else:
        labels = tuple(dict.fromkeys(load_locale(lang).label("content_hash") for lang in available()))
        found = read_pdf(args.file, labels) if args.file.is_file() else None
        if found is None:
            print(word("verify_unreadable").format(file=shown), file=sys.stderr)
            return EXIT_USAGE
        printed = found
    if not printed.hashes:
        print(word("verify_no_hash").format(file=shown))
        return EXIT_PROBLEMS
    hb = _with_history(project, locale)
    if hb is None:
        return EXIT_PROBLEMS
    matches = verify.find(hb, printed.hashes, printed.role)
    if printed.from_text:
        print(word("verify_from_text"))
    if not matches:
        print(word("verify_none").format(file=shown, hashes=", ".join(printed.hashes)))
        return EXIT_PROBLEMS
    best = matches[0]
    role = hb.roles[best.role]
    args_ = {"file": shown, "title": role.title, "role": best.role, "hash": best.hash}
    if best.current:
        date = best.date.isoformat() if best.date else "—"
        print(word("verify_current").format(**args_, version=best.release or "—", date=date))
        return EXIT_OK
    print(word("verify_release").format(**args_, release=best.release, date=best.date or ""))
    print(word("verify_since"))
    for release, date_, texts in verify.changes_since(hb, best.role, best.release):
        for text in texts or ("",):
            print(word("verify_change").format(release=release, date=date_.isoformat(), text=text))
    if verify.unreleased(hb, best.role):
        print(word("verify_unreleased").format(hash=verify.current_hash(hb, best.role)))
    return EXIT_PROBLEMS


def _with_history(project: Project, locale: Locale) -> Handbook | None:
    """The checked handbook with its releases from git, or None (the problems printed) when it has errors."""
    result = validate(project.roles, locale=locale, display_base=project.root)
    if has_errors(result.problems):
        print_problems(result.problems, locale)
        return None
    with_history(result.handbook, project.root, project.roles, locale)
    return result.handbook


def shown_path(path: Path) -> str:
    try:
        return path.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return path.as_posix()


def _unreleased_lines(project: Project, hb: Handbook, locale: Locale) -> dict[str, list[str]]:
    """Role id → the changes since the last release, in the diff's words (empty without history)."""
    try:
        found = diff_revs(project.roles, locale=locale, cache=project.root / CACHE)[2]
    except GitError:
        return {}
    return {d.id: diff_lines(d, locale) for d in found if d.kind == "role" and d.id in hb.roles}


def run_signoff(args: argparse.Namespace, project: Project, locale: Locale) -> int:
    """``handbook signoff status``: per role, who signed the current version, an older one (and what
    changed since), and who never signed. Employee numbers are printed here and nowhere else."""
    word = locale.label
    hb = _with_history(project, locale)
    if hb is None:
        return EXIT_PROBLEMS
    rows, problems = signoffs.read_register(project.root, Path.cwd())
    wanted = set(args.roles)
    rows = [r for r in rows if not wanted or r.role in wanted]
    statuses, more = signoffs.status(hb, rows)
    problems += more
    print_problems(problems, locale)
    if not rows:
        print(word("signoff_none").format(folder=signoffs.FOLDER))
        return EXIT_PROBLEMS if problems else EXIT_OK
    unreleased = _unreleased_lines(project, hb, locale) if any(verify.unreleased(hb, s.role) for s in statuses) else {}
    sep = word("list_sep")
    for st in statuses:
        role = hb.roles[st.role]
        print(word("signoff_role").format(title=role.title, role=st.role, version=role.version or "—",
                                          hash=st.current.hash))
        if st.signed_current:
            who = sep.join(f"{r.employee}{word('paren_open')}{r.date}{word('paren_close')}" for r in st.signed_current)
            print(word("signoff_current").format(n=len(st.signed_current), who=who))
        for row, version in st.signed_older:
            assert version is not None
            named = version.release or version.hash
            since = verify.changes_since(hb, st.role, version.release) if not version.current else []
            key = "signoff_older" if since or not verify.unreleased(hb, st.role) else "signoff_older_unreleased"
            print(word(key).format(employee=row.employee, version=named, date=row.date))
            for release, _date, texts in since:
                for text in texts or (word("revision_first"),):
                    print(word("signoff_change").format(release=release, text=text))
            if verify.unreleased(hb, st.role):
                # Reordering changes the printed page (and its hash) but is no change to the diff.
                for text in unreleased.get(st.role) or [word("signoff_unworded")]:
                    print(word("signoff_change").format(release=word("signoff_unreleased_release"), text=text))
        if st.never:
            print(word("signoff_never").format(n=len(st.never), who=sep.join(r.employee for r in st.never)))
    current = sum(len(s.signed_current) for s in statuses)
    older = sum(len(s.signed_older) for s in statuses)
    never = sum(len(s.never) for s in statuses)
    print(word("signoff_summary").format(roles=len(statuses), current=current, older=older, never=never))
    failed = bool(problems) or (args.check and (older or never))
    return EXIT_PROBLEMS if failed else EXIT_OK


def stale_approvals(project: Project, result: Result, locale: Locale) -> list[Problem]:
    """待重新审批 as validate warnings, where a company asks for it (``stale_approval: warn``): only then
    is the release history read, so a plain validate stays as quick as before."""
    hb = result.handbook
    if not any(u.company is not None and u.company.stale_approval == "warn" for u in hb.units.values()):
        return []
    with_history(hb, project.root, project.roles, locale)
    return list(approvals.stale_problems(hb))
