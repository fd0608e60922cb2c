"""``handbook edit``: the form server on 127.0.0.1, with the live preview (``handbook serve``) beside it.

Its own small server (the forms, checks and saves: :mod:`.editapp`) on one port, and the live
preview, unchanged, on the next: the same :class:`~.serve.Preview` and MkDocs server ``handbook
serve`` runs, started in a thread of the same process. A save writes the file; the preview's
watcher sees it as any editor's save, and the form page reloads its preview once that is in.
"""

from __future__ import annotations

import gc
import threading
from dataclasses import dataclass, field
from socketserver import ThreadingMixIn
from typing import Any
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

from ..editor.workspace import Workspace
from ..i18n import Locale
from ..project import Project
from .editapp import EditApp
from .serve import Preview, _serve_mkdocs

#: Seconds a save waits for the preview to take it in before answering anyway.
PREVIEW_WAIT = 30.0


class _Server(ThreadingMixIn, WSGIServer):
    daemon_threads = True
    allow_reuse_address = True


class _Quiet(WSGIRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@dataclass
class _Saves:
    """Counts the saves the preview has rebuilt after, so a save can wait for its own."""

    count: int = 0
    cond: threading.Condition = field(default_factory=threading.Condition)

    def done(self) -> None:
        with self.cond:
            self.count += 1
            self.cond.notify_all()

    def mark(self) -> int:
        with self.cond:
            return self.count

    def wait(self, mark: int) -> None:
        with self.cond:
            self.cond.wait_for(lambda: self.count > mark, timeout=PREVIEW_WAIT)


@dataclass
class EditServer:
    """The running editor: its app, its address and, when asked for, the preview's."""

    app: EditApp
    server: WSGIServer
    url: str
    preview_url: str | None

    def serve_forever(self) -> None:
        """Answer requests until :meth:`shutdown` (blocks)."""
        self.server.serve_forever()

    def shutdown(self) -> None:
        """Stop answering (from another thread) and close the socket."""
        self.server.shutdown()
        self.server.server_close()


def start(project: Project, locale: Locale, host: str = "127.0.0.1", port: int = 8001, *,
          preview: bool = True, preview_port: int | None = None) -> EditServer:
    """Start the editor (and the preview on the next port, in a thread); the caller calls ``serve_forever``."""
    ws = Workspace(project, locale)
    # What the first validation read (every parsed file, kept for the checks) stays for the whole
    # session: moved out of the collector's sight, a check is not stopped now and then for a full
    # collection that walks those 2,000 files' objects to free nothing (20–30 ms at 1,000 roles).
    gc.freeze()
    handler: list[EditApp] = []
    server = make_server(host, port, lambda e, s: handler[0](e, s), server_class=_Server, handler_class=_Quiet)
    port = server.server_port  # port 0: the one the system gave
    hosts = {f"{host}:{port}"} | ({f"localhost:{port}"} if host in ("127.0.0.1", "::1") else set())
    saves = _Saves()
    preview_url = None
    if preview:
        live = Preview(project, locale, lambda outcome, shown: None)
        live.regenerate()
        pport = preview_port or port + 1
        ready = threading.Event()
        threading.Thread(target=_serve_mkdocs, args=(live, f"{host}:{pport}", saves.done, ready), daemon=True).start()
        ready.wait(timeout=600)
        preview_url = f"http://{host}:{pport}/"
    app = EditApp(ws, hosts, preview_url)
    if preview:  # without a preview no save is ever taken in: waiting for it held each save 30 s
        app.preview_mark, app.preview_wait = saves.mark, saves.wait
    handler.append(app)
    return EditServer(app, server, f"http://{host}:{port}/", preview_url)
