"""Tell the live preview when a source file changed: file-system events first, a slow poll behind them.

A poll of every source file's modification time (1,200 files at 1,000 roles) costs 9 ms on
an idle machine, but a second and more while the preview's background thread writes pages:
each ``stat`` gives up the interpreter lock and waits its turn to take it back. The
operating system's own change events (inotify, FSEvents, ReadDirectoryChangesW, through
watchdog, which MkDocs' server already uses) arrive within milliseconds whatever else runs.
The poll stays, every few seconds, for folders that send no events (some network drives);
it reports a change one interval late, so a walk that ran ahead of a late event is no second call.
"""

from __future__ import annotations

import contextlib
import logging
import os
import threading
from collections.abc import Callable, Sequence
from pathlib import Path

from watchdog.events import (
    EVENT_TYPE_CLOSED,
    EVENT_TYPE_CREATED,
    EVENT_TYPE_DELETED,
    EVENT_TYPE_MODIFIED,
    EVENT_TYPE_MOVED,
    FileSystemEvent,
    FileSystemEventHandler,
)
from watchdog.observers import Observer

log = logging.getLogger(__name__)

#: Events that mean a file's bytes or a folder's entries changed; "opened" and "closed without
#: writing" are left out, or the generator's own reading of the YAML would set off the next run.
WRITES = frozenset({EVENT_TYPE_CREATED, EVENT_TYPE_DELETED, EVENT_TYPE_MODIFIED, EVENT_TYPE_MOVED, EVENT_TYPE_CLOSED})
#: How long a burst of events (an editor's save is several; a ``git checkout`` many) must be quiet.
SETTLE = 0.03


class _Handler(FileSystemEventHandler):
    def __init__(self, skip: str, noticed: Callable[[], None]) -> None:
        self.skip = skip
        self.noticed = noticed

    def on_any_event(self, event: FileSystemEvent) -> None:
        if event.event_type not in WRITES:
            return
        paths = [os.fsdecode(event.src_path), os.fsdecode(event.dest_path or b"")]
        if any(p and not _inside(p, self.skip) for p in paths):
            self.noticed()


def _inside(path: str, folder: str) -> bool:
    path = os.path.normpath(path)
    return path == folder or path.startswith(folder + os.sep)


class SourceWatch:
    """Calls ``changed`` after files under ``folders`` change (``skip``, the generated folder, aside)."""

    def __init__(self, folders: Sequence[Path], skip: Path, poll: float = 2.0) -> None:
        self.folders = [os.path.normpath(f) for f in folders]
        self.skip = os.path.normpath(skip)
        self.poll = poll
        """Seconds between two polls: the fallback when events work, the only way when they do not."""
        self._seen = threading.Event()
        self._by_event = False
        """Whether an event reported a change since the last poll (the poll need not report it again)."""
        self._turn = threading.Lock()
        self._events_on = False
        """Whether the observer started; without it the poll reports a change at once."""

    def snapshot(self) -> dict[str, float]:
        """Every source file's modification time. Walked, not globbed: the generated folder
        (thousands of pages at 1,000 roles) is pruned, not listed and filtered."""
        out: dict[str, float] = {}
        for folder in self.folders:
            for top, dirs, names in os.walk(folder):
                dirs[:] = [d for d in dirs if os.path.join(top, d) != self.skip]
                for name in names:
                    path = os.path.join(top, name)
                    with contextlib.suppress(FileNotFoundError):  # deleted between listing and stat
                        out[path] = os.stat(path).st_mtime
        return out

    def run(self, stop: threading.Event, changed: Callable[[], object]) -> None:
        """Watch until ``stop`` is set (blocks); one ``changed`` call at a time."""
        observer = Observer()
        try:
            handler = _Handler(self.skip, self._noticed)
            for folder in self.folders:
                if os.path.isdir(folder):
                    observer.schedule(handler, folder, recursive=True)
            observer.start()
        except OSError as err:  # e.g. the system's limit of watched folders reached
            log.warning("no file-system events (%s); polling every 0.2 s instead", err)
            self.poll = min(self.poll, 0.2)
        else:
            self._events_on = True
            threading.Thread(target=self._events, args=(stop, changed), daemon=True).start()
        try:
            self._poll(stop, changed)
        finally:
            if observer.is_alive():
                observer.stop()
                observer.join(timeout=5)

    def _noticed(self) -> None:
        # Flagged at once, before the burst settles, so a poll running meanwhile leaves it to us.
        self._by_event = True
        self._seen.set()

    def _events(self, stop: threading.Event, changed: Callable[[], object]) -> None:
        while not stop.is_set():
            if not self._seen.wait(timeout=0.5):
                continue
            self._seen.clear()
            while self._seen.wait(timeout=SETTLE):  # the rest of the burst
                self._seen.clear()
            self._call(changed)

    def _poll(self, stop: threading.Event, changed: Callable[[], object]) -> None:
        last = self.snapshot()
        unreported = False
        """The last walk saw a change no event had reported yet."""
        while not stop.wait(self.poll):
            now = self.snapshot()
            # Read after the walk: a change whose event came while it ran is reported already.
            reported, self._by_event = self._by_event, False
            if not self._events_on:
                if now != last:
                    self._call(changed)
            elif unreported and not reported:
                # A whole interval and still no event: this folder sends none. A walk can run
                # ahead of an event (a loaded machine delivers them late), so it waits one
                # interval before it reports; calling at once would report one save twice.
                self._call(changed)
            unreported = self._events_on and now != last and not reported
            last = now

    def _call(self, changed: Callable[[], object]) -> None:
        with self._turn:
            changed()
