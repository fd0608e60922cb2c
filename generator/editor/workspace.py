"""What ``handbook edit`` does with a form: check it against the whole handbook, save it as written, keep drafts.

A form's values become the file's new text through :mod:`.roundtrip` (only the changed lines
differ), and that text is validated in place of the file with the rest of ``roles/`` as it is on
disk: the same code, messages and cross-entity checks as ``handbook validate``. Nothing is
written outside ``roles/`` except drafts, which go to the project's cache folder and never
into ``roles/``. Every path a browser names is checked to stay inside ``roles/``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import tempfile
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..i18n import Locale
from ..link.pipeline import Result, validate
from ..load.cache import ParsedFile, Stamp
from ..load.problems import Problem, Severity, has_errors
from ..model import registry
from ..model.entities import ID_RE
from ..project import Project
from . import roundtrip
from .formdata import coerce, edits, plain
from .forms import kind_form

#: Where drafts (forms saved with errors) are kept: the project's cache folder, never ``roles/``.
DRAFTS = Path(".handbook-cache") / "drafts"


class EditRefused(ValueError):
    """A request naming a file outside ``roles/``, or one that is not an entity's YAML file."""


class Unreadable(ValueError):
    """An entity's file whose YAML does not read (or holds no known kind): no form until it is fixed."""


def digest(data: bytes) -> str:
    """The hash a form carries of the file it was opened from (a save compares it: two tabs, one file)."""
    return hashlib.sha256(data).hexdigest()


@dataclass
class Checked:
    """A form checked: the text it would save, where, and the problems."""

    text: str
    target: Path
    problems: list[Problem]
    other: list[Problem]
    """Problems it would cause in other files (not there before)."""
    renamed_from: str | None = None
    changed: bool = True


@dataclass
class Opened:
    """A file as a form opens it."""

    path: Path
    rel: str
    kind: str
    ident: str
    raw: dict[str, Any]
    hash: str
    draft: dict[str, Any] | None = None


@dataclass
class FileCache:
    """Parsed files kept between checks (the :class:`~..load.cache.ParseCache` protocol): a check at
    1,000 roles parses the one file the form changes, not 2,000."""

    lang: str = ""
    files: dict[Path, ParsedFile] = field(default_factory=dict)

    def use(self, lang: str) -> None:
        """Forget everything when the locale changes."""
        if lang != self.lang:
            self.lang, self.files = lang, {}

    def unchanged(self, path: Path, rel: str, stamp: Stamp) -> ParsedFile | None:
        """The file as last parsed, when ``stat`` says it is as it was."""
        hit = self.files.get(path)
        return hit if hit is not None and hit.stamp == stamp and hit.source.rel == rel else None

    def parsed(self, path: Path, rel: str, raw: bytes) -> ParsedFile | None:
        """The file as last parsed, when it holds the same bytes."""
        hit = self.files.get(path)
        return hit if hit is not None and hit.raw == raw and hit.source.rel == rel else None

    def keep(self, path: Path, parsed: ParsedFile) -> None:
        """Remember a parsed file."""
        self.files[path] = parsed

    def forget_other_files(self, paths: set[Path]) -> None:
        """Drop files that are gone."""
        for gone in [p for p in self.files if p not in paths]:
            del self.files[gone]


@dataclass
class Workspace:
    """One project being edited: its files, the baseline problems, the locks."""

    project: Project
    locale: Locale
    lock: threading.Lock = field(default_factory=threading.Lock)
    baseline: set[tuple[str, str, str]] = field(default_factory=set)
    last: Result | None = None
    cache: FileCache = field(default_factory=FileCache)
    opened: dict[Path, tuple[bytes, Any]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.refresh()

    # -- where ------------------------------------------------------------------------------
    def file(self, rel: str) -> Path:
        """The entity file ``rel`` (relative to the project) names; refused unless a YAML file inside ``roles/``."""
        roles = self.project.roles.resolve()
        if not rel or "\x00" in rel or rel.startswith(("/", "\\")):
            raise EditRefused(rel)
        path = (self.project.root / rel).resolve()
        if not path.is_relative_to(roles) or path.suffix not in (".yaml", ".yml"):
            raise EditRefused(rel)
        if any(part.startswith(".") for part in path.relative_to(roles).parts):
            raise EditRefused(rel)
        return path

    def rel(self, path: Path) -> str:
        """``roles/…/x.yaml``: how problems and URLs name a file."""
        return path.resolve().relative_to(self.project.root.resolve()).as_posix()

    # -- reading ----------------------------------------------------------------------------
    def open(self, rel: str) -> Opened:
        """The file ``rel`` with its data, hash and any draft kept for it."""
        path = self.file(rel)
        if not path.is_file():
            raise EditRefused(rel)
        data = path.read_bytes()
        kept = self.opened.get(path)
        # The same bytes as the last check's: their data as read then (ruamel reads 0.03 s a role file).
        if kept is not None and kept[0] == data:
            raw = kept[1]
        else:
            try:
                raw = plain(roundtrip.load(data.decode("utf-8")))
            except Exception as err:  # ruamel's many error classes, bad UTF-8: the validator says what
                raise Unreadable(rel) from err
        if not isinstance(raw, dict) or not registry.is_kind(raw.get("kind")):
            raise Unreadable(rel)
        self.opened = {path: (data, raw)}
        ident = str(raw.get("id") or path.stem)
        return Opened(path, self.rel(path), str(raw["kind"]), ident, raw, digest(data), self.draft(rel))

    def refresh(self) -> Result:
        """Validate ``roles/`` as on disk: the baseline a form's other-file problems are compared with."""
        with self.lock:
            result = validate(self.project.roles, locale=self.locale, display_base=self.project.root,
                              cache=self.cache)
        self.last = result
        self.baseline = {_key(p) for p in result.problems}
        return result

    # -- checking ---------------------------------------------------------------------------
    def check(self, rel: str, sent: Any) -> Checked:
        """The form's values as the file would hold them, validated with the whole handbook."""
        opened = self.open(rel)
        form = kind_form(opened.kind, self.locale.lang)
        new = coerce(form, sent, opened.raw)
        new = {**{k: v for k, v in opened.raw.items() if form.child(str(k)) is None}, **(new or {})}
        changes = edits(opened.raw, new, form)
        target = opened.path
        renamed = None
        new_id = new.get("id")
        if isinstance(new_id, str) and new_id != opened.ident and ID_RE.match(new_id):
            # A renamed id keeps its old URL working: the old id goes into aliases (a redirect).
            aliases = opened.raw.get("aliases")
            if isinstance(aliases, list) and opened.ident not in aliases:
                changes.append(roundtrip.Edit("insert", ("aliases", len(aliases)), opened.ident))
            elif not isinstance(aliases, list):
                changes.append(roundtrip.Edit("set", ("aliases",), [opened.ident]))
            renamed = opened.ident
            moved = opened.path.with_name(f"{new_id}{opened.path.suffix}")
            # Onto another file's name: checked where it is (the duplicate id is the problem shown).
            target = opened.path if moved.exists() else moved
        original = opened.path.read_text(encoding="utf-8")
        text = roundtrip.edit(original, changes) if changes else original
        drafts: dict[Path, bytes | None] = {target: text.encode("utf-8")}
        if target != opened.path:
            drafts[opened.path] = None
        result = self.validate_drafts(drafts)
        mine = self.rel(target)
        problems = [p for p in result.problems if p.file == mine]
        other = [p for p in result.problems if p.file != mine and _key(p) not in self.baseline]
        return Checked(text, target, problems, other, renamed, changed=bool(changes))

    def validate_drafts(self, drafts: dict[Path, bytes | None]) -> Result:
        """``roles/`` validated with ``drafts`` in place of those files (None: as if gone), reusing
        what earlier checks parsed and found for every file that did not change (see
        docs/ARCHITECTURE.md, ``handbook edit``); the same problems as a full validate."""
        with self.lock:
            result = validate(self.project.roles, locale=self.locale, display_base=self.project.root,
                              cache=self.cache, drafts=drafts, derive=False)
        self.last = result
        return result

    def as_json(self, problems: list[Problem], shown_as: str, checked_as: str) -> list[dict[str, Any]]:
        """Problems as the page shows them: message and fix in the locale, file named as the form knows it."""
        out = []
        for p in problems:
            message, fix = p.texts(self.locale)
            out.append({"file": shown_as if p.file == checked_as else p.file, "line": p.line, "field": p.field,
                        "message": message, "fix": fix, "severity": p.severity.value, "code": p.code})
        return out

    # -- saving -----------------------------------------------------------------------------
    def save(self, rel: str, sent: Any, known_hash: str) -> tuple[str, Checked | None]:
        """Write the form into its file: ``saved``, ``unchanged``, ``conflict`` or ``refused`` (errors).

        The file's hash must still be the one the form was opened with: another tab's save in
        between is a conflict, never overwritten.
        """
        path = self.file(rel)
        if not path.is_file() or digest(path.read_bytes()) != known_hash:
            return "conflict", None
        checked = self.check(rel, sent)
        if not checked.changed:
            return "unchanged", checked  # nothing to write, whatever the file's problems
        if has_errors(checked.problems):
            return "refused", checked
        if checked.target != path and checked.target.exists():
            return "refused", checked
        _write(checked.target, checked.text)
        if checked.target != path:
            path.unlink()
        self.discard(rel)
        self.refresh()
        return "saved", checked

    # -- drafts -----------------------------------------------------------------------------
    def _draft_path(self, rel: str) -> Path:
        self.file(rel)  # refuses a path outside roles/
        return self.project.root / DRAFTS / (rel.replace("/", "__") + ".json")

    def keep_draft(self, rel: str, sent: Any) -> None:
        """Keep a form that has errors as a draft (nothing written to ``roles/``)."""
        target = self._draft_path(rel)
        target.parent.mkdir(parents=True, exist_ok=True)
        when = dt.datetime.now().strftime("%Y-%m-%d %H:%M")
        _write(target, json.dumps({"time": when, "data": sent}, ensure_ascii=False))

    def draft(self, rel: str) -> dict[str, Any] | None:
        """The draft kept for ``rel``, if any."""
        target = self._draft_path(rel)
        try:
            data = json.loads(target.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        return data if isinstance(data, dict) else None

    def discard(self, rel: str) -> None:
        """Forget the draft of ``rel``."""
        self._draft_path(rel).unlink(missing_ok=True)


def _key(p: Problem) -> tuple[str, str, str]:
    return (p.file, p.code, json.dumps(dict(p.args), sort_keys=True, ensure_ascii=False) + p.field)


def _write(target: Path, text: str) -> None:
    """Replace ``target`` whole or not at all (a crash never leaves half a file)."""
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".tmp-edit-", suffix=".part")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def is_error(p: Problem) -> bool:
    """Whether a problem stops a save."""
    return p.severity is Severity.ERROR
