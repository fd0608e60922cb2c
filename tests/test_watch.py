"""The live preview's source watcher on a real folder: real file-system events, the poll behind them."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from generator.site import watch
from generator.site.watch import SourceWatch

#: Generous: how long a test waits for a call that should come (events take milliseconds).
WAIT = 5.0
#: How long a test waits to be sure a call that should not come does not.
QUIET = 0.6


class Calls:
    def __init__(self) -> None:
        self.count = 0
        self.came = threading.Event()

    def __call__(self) -> None:
        self.count += 1
        self.came.set()


@pytest.fixture
def tree(tmp_path: Path) -> tuple[Path, Path, Path]:
    roles, handbook = tmp_path / "roles", tmp_path / "handbook"
    generated = handbook / "generated"
    for folder in (roles / "unit", generated / "docs"):
        folder.mkdir(parents=True)
    (roles / "unit" / "lead.yaml").write_text("kind: role\n", encoding="utf-8")
    (handbook / "guide.md").write_text("# 指南\n", encoding="utf-8")
    return roles, handbook, generated


@contextmanager
def watching(source: SourceWatch, calls: Calls) -> Iterator[None]:
    stop = threading.Event()
    thread = threading.Thread(target=source.run, args=(stop, calls), daemon=True)
    thread.start()
    time.sleep(0.3)  # the observer is watching
    try:
        yield
    finally:
        stop.set()
        thread.join(timeout=10)
    assert not thread.is_alive(), "the watcher did not stop"


def test_a_save_is_one_call_and_reading_or_generated_files_are_none(tree: tuple[Path, Path, Path]) -> None:
    roles, handbook, generated = tree
    calls = Calls()
    # A poll every 0.1 s runs beside the events: the change it also sees must not be a second call.
    with watching(SourceWatch([roles, handbook], skip=generated, poll=0.1), calls):
        (generated / "docs" / "page.md").write_text("written by the generator", encoding="utf-8")
        (roles / "unit" / "lead.yaml").read_text(encoding="utf-8")
        assert not calls.came.wait(QUIET), "reading a file or writing the generated folder set off a run"
        (roles / "unit" / "lead.yaml").write_text("kind: role\ntitle: 组长\n", encoding="utf-8")
        assert calls.came.wait(WAIT), "a save was not reported"
        calls.came.clear()
        assert not calls.came.wait(QUIET), "one save was reported twice"
        assert calls.count == 1
        (handbook / "guide.md").unlink()
        assert calls.came.wait(WAIT), "a deleted hand-written page was not reported"


class _NoEvents:
    """An observer that cannot start, as when the system's limit of watched folders is reached."""

    def schedule(self, *args: object, **kwargs: object) -> None:
        pass

    def start(self) -> None:
        raise OSError("inotify watch limit reached")

    def is_alive(self) -> bool:
        return False


def test_without_events_the_poll_reports_the_change(
    tree: tuple[Path, Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    roles, handbook, generated = tree

    monkeypatch.setattr(watch, "Observer", _NoEvents)
    calls = Calls()
    with watching(SourceWatch([roles, handbook], skip=generated, poll=30), calls):
        (roles / "unit" / "new.yaml").write_text("kind: role\n", encoding="utf-8")
        assert calls.came.wait(WAIT), "with no events the poll (now every 0.2 s) did not report the new file"
        (generated / "docs" / "page.md").write_text("x", encoding="utf-8")
        calls.came.clear()
        assert not calls.came.wait(QUIET), "the poll looked inside the generated folder"


class _SilentObserver(_NoEvents):
    """An observer that starts and sends no event by itself: the test sends the late one."""

    def start(self) -> None:
        pass


def test_a_change_the_poll_walks_into_before_its_event_is_one_call(
    tree: tuple[Path, Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    """On a loaded machine the poll's walk can see a save before the save's event arrives."""
    roles, handbook, generated = tree
    monkeypatch.setattr(watch, "Observer", _SilentObserver)
    source = SourceWatch([roles, handbook], skip=generated, poll=0.1)
    real = source.snapshot
    walked: list[dict[str, float]] = []

    def snapshot() -> dict[str, float]:
        seen = real()
        if walked and seen != walked[-1]:  # this walk found the save; its event comes only now
            threading.Timer(0.05, source._noticed).start()
        walked.append(seen)
        return seen

    monkeypatch.setattr(source, "snapshot", snapshot)
    calls = Calls()
    with watching(source, calls):
        (roles / "unit" / "lead.yaml").write_text("kind: role\ntitle: 组长\n", encoding="utf-8")
        assert calls.came.wait(WAIT), "the late event was not reported"
        calls.came.clear()
        assert not calls.came.wait(QUIET), "the walk and the late event reported one save twice"
        assert calls.count == 1
