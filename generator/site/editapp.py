"""``handbook edit``'s pages and JSON API, as a WSGI app: forms, checks, saves, changes, git commit.

Safe by default: every request must name this server as its host (no DNS rebinding), every
POST carries the session's token (only this server's own pages know it) and, when the browser
says where it comes from, comes from this origin; files are named relative to the project
and refused unless inside ``roles/`` (:meth:`Workspace.file`).
"""

from __future__ import annotations

import json
import secrets
import subprocess
import traceback
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, quote, unquote

from ..editor import formhtml
from ..editor.forms import kind_form, referred_kinds
from ..editor.scaffold import new_file
from ..editor.workspace import EditRefused, Unreadable, Workspace, is_error
from ..errors import UserError
from ..history import CACHE, GitError, Repo, diff_revs
from ..history.wording import heading, lines
from ..model import paths, registry
from ..model.declare import ANY_KIND
from ..model.entities import ID_RE
from .build import make_pdfs

ASSETS = Path(__file__).parent.parent / "editor" / "assets"
#: Largest request body read (a form of the longest role is ~100 KB as JSON).
MAX_BODY = 4_000_000
#: Milliseconds the page waits after the last keystroke before checking. Short, because the page
#: keeps one check in flight at a time (a check at 1,000 roles takes about 0.05 s of CPU): changes
#: made meanwhile are checked together when it returns, never queued.
DEBOUNCE_MS = 30
_TYPES = {".js": "text/javascript; charset=utf-8", ".css": "text/css; charset=utf-8"}

Start = Callable[[str, list[tuple[str, str]]], Any]


@dataclass
class EditApp:
    """The editor's routes over one :class:`Workspace`."""

    ws: Workspace
    hosts: set[str]
    """The Host headers this server answers to (``127.0.0.1:8001``, ``localhost:8001``)."""
    preview: str | None = None
    """The live preview's base URL (``http://127.0.0.1:8002/``), if one runs."""
    preview_mark: Callable[[], int] = lambda: 0
    """How many saves the preview has taken in so far (read before a save) ..."""
    preview_wait: Callable[[int], None] = lambda mark: None
    """... and waiting until it has taken in one more (so the page reloads it updated)."""
    token: str = field(default_factory=lambda: secrets.token_urlsafe(24))

    def __call__(self, environ: dict[str, Any], start: Start) -> Iterable[bytes]:
        try:
            return self._route(environ, start)
        except EditRefused:
            return self._send(start, "404 Not Found", "text/plain; charset=utf-8", b"not found")
        except Unreadable as err:
            return self._html(start, self._unreadable(str(err)), "409 Conflict")
        except Exception:
            # Mistakes in the data never get here (they are problems); this is a bug in the generator.
            traceback.print_exc()
            text = "handbook edit: internal error (a bug in the generator, not in your data); please report it"
            return self._send(start, "500 Internal Server Error", "text/plain; charset=utf-8", text.encode())

    # -- plumbing ---------------------------------------------------------------------------
    def _send(self, start: Start, status: str, ctype: str, body: bytes,
              extra: Iterable[tuple[str, str]] = ()) -> list[bytes]:
        frame = f" {self.preview.rstrip('/')}" if self.preview else ""
        headers = [
            ("Content-Type", ctype), ("Content-Length", str(len(body))), ("Cache-Control", "no-store"),
            ("X-Content-Type-Options", "nosniff"), ("Referrer-Policy", "same-origin"),
            ("Content-Security-Policy", f"default-src 'self'; frame-src 'self'{frame}; frame-ancestors 'none'; "
                                        "form-action 'self'; base-uri 'none'"),
            *extra,
        ]
        start(status, headers)
        return [body]

    def _json(self, start: Start, status: str, data: Any) -> list[bytes]:
        body = json.dumps(data, ensure_ascii=False).encode()
        return self._send(start, status, "application/json; charset=utf-8", body)

    def _html(self, start: Start, text: str, status: str = "200 OK") -> list[bytes]:
        return self._send(start, status, "text/html; charset=utf-8", text.encode("utf-8"))

    def _redirect(self, start: Start, to: str) -> list[bytes]:
        return self._send(start, "303 See Other", "text/plain; charset=utf-8", b"", [("Location", to)])

    def _allowed(self, environ: dict[str, Any], form_token: str | None = None) -> bool:
        """A request from this server's own page: right host, same origin, the session's token."""
        if environ.get("HTTP_HOST", "") not in self.hosts:
            return False
        origin = environ.get("HTTP_ORIGIN")
        if origin is not None and origin.split("://", 1)[-1] not in self.hosts:
            return False
        if environ.get("HTTP_SEC_FETCH_SITE", "same-origin") not in ("same-origin", "none"):
            return False
        given = environ.get("HTTP_X_HANDBOOK_TOKEN") or form_token or ""
        return secrets.compare_digest(given, self.token)

    def _body(self, environ: dict[str, Any]) -> bytes:
        try:
            size = int(environ.get("CONTENT_LENGTH") or 0)
        except ValueError:
            size = 0
        if size > MAX_BODY:
            raise EditRefused("body too large")
        return bytes(environ["wsgi.input"].read(size)) if size > 0 else b""

    def _common(self) -> dict[str, Any]:
        return {"words": formhtml.words(self.ws.locale), "lang": self.ws.locale.lang, "token": self.token}

    # -- routes -----------------------------------------------------------------------------
    def _route(self, environ: dict[str, Any], start: Start) -> Iterable[bytes]:
        method = environ.get("REQUEST_METHOD", "GET")
        path = unquote(environ.get("PATH_INFO", "/"))
        if environ.get("HTTP_HOST", "") not in self.hosts:
            return self._send(start, "421 Misdirected Request", "text/plain; charset=utf-8", b"wrong host")
        if method == "GET":
            if path == "/":
                return self._html(start, self._index())
            if path.startswith("/edit/"):
                return self._html(start, self._edit_page(path.removeprefix("/edit/")))
            if path == "/changes":
                return self._html(start, self._changes())
            if path.startswith("/assets/") and (ASSETS / path.removeprefix("/assets/")).suffix in _TYPES:
                asset = ASSETS / Path(path).name
                if asset.is_file():
                    return self._send(start, "200 OK", _TYPES[asset.suffix], asset.read_bytes())
            if path.startswith("/pdf/") and path.endswith(".pdf"):
                return self._pdf(start, path.removeprefix("/pdf/").removesuffix(".pdf"))
            return self._send(start, "404 Not Found", "text/plain; charset=utf-8", b"not found")
        if method != "POST":
            return self._send(start, "405 Method Not Allowed", "text/plain; charset=utf-8", b"")
        body = self._body(environ)
        if path.startswith("/api/"):
            if not self._allowed(environ):
                refused = {"ok": False, "message": self.ws.locale.label("edit_bad_request")}
                return self._json(start, "403 Forbidden", refused)
            try:
                sent = json.loads(body or b"{}")
            except ValueError:
                return self._json(start, "400 Bad Request", {"ok": False, "message": "bad JSON"})
            return self._api(start, path, sent if isinstance(sent, dict) else {})
        fields = {k: v[0] for k, v in parse_qs(body.decode("utf-8", "replace")).items()}
        if not self._allowed(environ, fields.get("token")):
            return self._html(start, self.ws.locale.label("edit_bad_request"), "403 Forbidden")
        if path == "/new":
            return self._new(start, fields)
        if path == "/commit":
            return self._html(start, self._changes(self._commit(fields)))
        return self._send(start, "404 Not Found", "text/plain; charset=utf-8", b"not found")

    def _api(self, start: Start, path: str, sent: dict[str, Any]) -> list[bytes]:
        rel = str(sent.get("rel", ""))
        locale = self.ws.locale
        if path == "/api/check":
            checked = self.ws.check(rel, sent.get("data"))
            mine = self.ws.rel(checked.target)
            return self._json(start, "200 OK", {"problems": self.ws.as_json(checked.problems, rel, mine),
                                                "other": self.ws.as_json(checked.other, rel, mine)})
        if path == "/api/discard":
            self.ws.discard(rel)
            return self._json(start, "200 OK", {"ok": True})
        if path != "/api/save":
            return self._json(start, "404 Not Found", {"ok": False})
        if sent.get("draft"):
            self.ws.keep_draft(rel, sent.get("data"))
            return self._json(start, "200 OK", {"ok": True, "message": locale.label("edit_draft_saved")})
        mark = self.preview_mark()
        outcome, saved = self.ws.save(rel, sent.get("data"), str(sent.get("hash", "")))
        if outcome == "conflict":
            self.ws.keep_draft(rel, sent.get("data"))  # the edit is never lost: kept as a draft too
            return self._json(start, "409 Conflict", {"ok": False, "message": locale.label("edit_conflict")})
        assert saved is not None
        checked = saved
        new_rel = self.ws.rel(checked.target)
        problems = {"problems": self.ws.as_json(checked.problems, rel, new_rel),
                    "other": self.ws.as_json(checked.other, rel, new_rel)}
        if outcome == "refused":
            return self._json(start, "422 Unprocessable Entity",
                              {"ok": False, "message": locale.label("edit_refused"), **problems})
        if outcome == "saved":
            self.preview_wait(mark)
        opened = self.ws.open(new_rel)
        message = locale.label("edit_saved").format(path=new_rel)
        if outcome == "unchanged":
            message = locale.label("edit_unchanged")
        if checked.renamed_from:
            old = paths.url(opened.kind, checked.renamed_from)
            message = locale.label("edit_saved_renamed").format(path=new_rel, old="/" + old)
        return self._json(start, "200 OK", {
            "ok": True, "message": message, "rel": new_rel, "hash": opened.hash, "renamed": bool(checked.renamed_from),
            "preview_url": self._preview_url(opened.kind, opened.ident),
            "pdf_url": self._pdf_url(opened.kind, opened.ident),
            "problems": problems["problems"], "other": problems["other"],
        })

    # -- pages ------------------------------------------------------------------------------
    def _preview_url(self, kind: str, ident: str) -> str | None:
        return f"{self.preview.rstrip('/')}/{paths.url(kind, ident)}" if self.preview else None

    def _pdf_url(self, kind: str, ident: str) -> str | None:
        return f"/pdf/{quote(ident)}.pdf" if kind == "role" else None

    def _lists(self, kinds: set[str]) -> dict[str, list[tuple[str, str]]]:
        """The pickers' choices: each referred kind's ids with their names (policy clauses as ``id#clause``)."""
        hb = self.ws.last.handbook if self.ws.last else None
        out: dict[str, list[tuple[str, str]]] = {}
        if hb is None:
            return out
        for kind in sorted(kinds - {ANY_KIND}):
            out[kind] = [(i, registry.display_name(e)) for i, e in sorted(hb.table(kind).items())]
        if "policy" in kinds:
            out["policy-clauses"] = [
                *out["policy"],
                *((f"{pid}#{c.id}", f"{registry.display_name(p)} · {c.id}")
                  for pid, p in sorted(hb.policies.items()) for c in p.clauses),
            ]
        if ANY_KIND in kinds:
            out[""] = [(f"{registry.kind(k).ref}:{i}", registry.display_name(e))
                       for k in registry.KINDS for i, e in sorted(hb.table(k).items())]
        return out

    def _edit_page(self, rel: str) -> str:
        opened = self.ws.open(rel)
        locale = self.ws.locale
        draft = opened.draft
        shown = draft.get("data") if draft else None
        form = formhtml.form_html(opened.kind, opened.raw, locale, shown)
        title = str(opened.raw.get(registry.kind(opened.kind).display) or opened.ident)
        config = {"rel": opened.rel, "hash": opened.hash, "token": self.token, "debounce": DEBOUNCE_MS,
                  "ident": opened.ident,
                  "words": formhtml.words(locale)}
        return formhtml.page(
            "edit_page.html.j2", **self._common(), form=form, title=title, rel=opened.rel, config=config,
            lists=self._lists(referred_kinds(kind_form(opened.kind, locale.lang))),
            preview_url=self._preview_url(opened.kind, opened.ident), pdf_url=self._pdf_url(opened.kind, opened.ident),
            draft=locale.label("edit_draft_open").format(time=draft.get("time", "")) if draft else None,
        )

    def _unreadable(self, rel: str) -> str:
        """A file no form can show: the validator's problems with it, to fix in a text editor."""
        problems = [p for p in self.ws.refresh().problems if p.file == rel]
        shown = self.ws.as_json(problems, rel, rel)
        return formhtml.page("edit_unreadable.html.j2", **self._common(), rel=rel, problems=shown)

    def _index(self, message: str | None = None) -> str:
        result = self.ws.refresh()
        hb, locale = result.handbook, self.ws.locale
        groups = []
        for kind in registry.KINDS:
            entries = [{"id": i, "title": registry.display_name(e), "path": hb.source_of(kind, i).rel}
                       for i, e in sorted(hb.table(kind).items())]
            entry = registry.kind(kind)
            name = locale.label(entry.nav_label) if entry.nav_label in locale.labels else locale.label(entry.label)
            groups.append({"kind": kind, "name": name, "entries": entries})
        units = [(i, registry.display_name(u)) for i, u in sorted(hb.units.items())]
        read = {s.rel for s in hb.sources.values()}
        unreadable = sorted({p.file for p in result.problems if p.file not in read and is_error(p)
                             and p.file.endswith((".yaml", ".yml"))})
        return formhtml.page("edit_index.html.j2", **self._common(), groups=groups, units=units, message=message,
                             unreadable=unreadable)

    def _new(self, start: Start, fields: dict[str, str]) -> list[bytes]:
        kind, ident, unit = fields.get("kind", ""), fields.get("id", ""), fields.get("unit") or None
        try:
            path = new_file(self.ws.project.root, kind, ident, unit, self.ws.locale)
        except UserError as err:
            return self._html(start, self._index(err.message(self.ws.locale)), "400 Bad Request")
        return self._redirect(start, "/edit/" + quote(self.ws.rel(path)))

    def _changes(self, message: str | None = None) -> str:
        locale = self.ws.locale
        entries: list[dict[str, Any]] = []
        intro = empty = ""
        try:
            old, _new, found = diff_revs(self.ws.project.roles, "HEAD", locale=locale,
                                         cache=self.ws.project.root / CACHE)
            root = self.ws.project.root
            entries = [{"heading": heading(d, locale), "lines": lines(d, locale),
                        "edit": d.file if d.op != "removed" and (root / d.file).is_file() else None} for d in found]
            intro = locale.label("edit_changes_intro").format(rev=old)
            empty = locale.label("edit_changes_none")
        except GitError as err:
            empty = locale.label(err.code).format(**err.args_)
        return formhtml.page("edit_changes.html.j2", **self._common(), entries=entries, intro=intro, empty=empty,
                             message=message)

    def _commit(self, fields: dict[str, str]) -> str:
        """Commit ``roles/`` with the editor's name and message; never pushes."""
        locale = self.ws.locale
        name = " ".join(fields.get("name", "").split())[:100]
        message = fields.get("message", "").strip()[:2000]
        if not name or not message or any(c in name for c in "<>"):
            return locale.label("edit_commit_failed").format(reason=locale.label("edit_commit_name"))
        roles = self.ws.project.roles
        try:
            Repo(roles)
        except GitError as err:
            return locale.label("edit_commit_failed").format(reason=locale.label(err.code).format(**err.args_))
        email = f"{'-'.join(name.split()) if name.isascii() else 'editor'}@handbook.invalid"
        git = ["git", "-c", f"user.name={name}", "-c", f"user.email={email}"]
        steps = [[*git, "add", "-A", "--", "."], [*git, "commit", "-q", "-m", message, "--", "."]]
        for step in steps:
            done = subprocess.run(step, cwd=roles, capture_output=True, text=True, check=False)
            if done.returncode != 0:
                return locale.label("edit_commit_failed").format(reason=(done.stdout + done.stderr).strip()[:300])
        rev = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=roles, capture_output=True, text=True,
                             check=False).stdout.strip()
        return locale.label("edit_committed").format(rev=rev)

    def _pdf(self, start: Start, ident: str) -> list[bytes]:
        if not ID_RE.match(ident):
            return self._send(start, "404 Not Found", "text/plain; charset=utf-8", b"not found")
        out = self.ws.project.root / ".handbook-cache" / "edit-pdf"
        outcome = make_pdfs(self.ws.project, self.ws.locale, out, [ident])
        pdf = out / f"{ident}.pdf"
        if outcome.error or outcome.unknown or not pdf.is_file():
            text = outcome.error or self.ws.locale.label("edit_refused")
            return self._send(start, "409 Conflict", "text/plain; charset=utf-8", text.encode("utf-8"))
        return self._send(start, "200 OK", "application/pdf", pdf.read_bytes())
