"""Results kept per object between runs in one process, for objects that are reused when unchanged.

``handbook serve`` re-reads only changed YAML files; every other file yields the *same*
entity and source objects as in the last run (``load/cache.py``). What is computed from one
such object alone (the reference texts inside an entity, say) can then be kept by the
object's identity instead of recomputed for all 1,000 roles on every save.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable, Iterator
from typing import Generic, TypeVar

K = TypeVar("K")
V = TypeVar("V")


#: The thread inside :func:`bypassed`, if any (a plain global: asked on every memo call).
_BYPASSING: int | None = None


@contextlib.contextmanager
def bypassed() -> Iterator[None]:
    """Every memo computes afresh in this thread, and neither reads nor changes what it keeps: a
    run as if no earlier run had happened, to compare a kept run with (tests/test_edit_identity.py)."""
    global _BYPASSING
    _BYPASSING = threading.get_ident()
    try:
        yield
    finally:
        _BYPASSING = None


def bypassing() -> bool:
    """Whether this thread is inside :func:`bypassed`."""
    return _BYPASSING is not None and threading.get_ident() == _BYPASSING


class ByIdentity(Generic[K, V]):
    """``compute(obj)`` kept per object, for the objects of the current and the previous run.

    The object itself is held with its value, so its id cannot be reused by another object
    while the entry lives; :meth:`new_run` drops what the last run did not ask for, so the
    memo never holds more than two runs' objects.
    """

    def __init__(self, compute: Callable[[K], V]) -> None:
        self._compute = compute
        self._last: dict[int, tuple[K, V]] = {}
        self._now: dict[int, tuple[K, V]] = {}

    def new_run(self) -> None:
        """Start a run: what the previous run asked for stays available, anything older goes."""
        if not bypassing():
            self._last, self._now = self._now, {}

    def __call__(self, obj: K) -> V:
        if _BYPASSING is not None and bypassing():
            return self._compute(obj)
        key = id(obj)
        hit = self._now.get(key) or self._last.get(key)
        if hit is not None and hit[0] is obj:
            self._now[key] = hit
            return hit[1]
        value = self._compute(obj)
        self._now[key] = (obj, value)
        return value


class ByIdentities(Generic[V]):
    """``compute(*objs)`` kept per tuple of objects, each compared by identity, for the current and
    the previous run (as :class:`ByIdentity`).

    For a check of one entity that also reads a few other objects (its source, the units above
    it): while every one of them is the same object as last time, the answer is the same, since
    entities and sources are not changed once parsed. A changed file gives new objects, so
    whatever read it is computed again.
    """

    def __init__(self, compute: Callable[..., V]) -> None:
        self._compute = compute
        self._last: dict[tuple[int, ...], tuple[tuple[object, ...], V]] = {}
        self._now: dict[tuple[int, ...], tuple[tuple[object, ...], V]] = {}

    def new_run(self) -> None:
        """Start a run: what the previous run asked for stays available, anything older goes."""
        if not bypassing():
            self._last, self._now = self._now, {}

    def __call__(self, *objs: object) -> V:
        if _BYPASSING is not None and bypassing():
            return self._compute(*objs)
        key = tuple(map(id, objs))
        # The same ids are the same objects: the entry holds its objects, so no id of theirs is reused.
        hit = self._now.get(key) or self._last.get(key)
        if hit is not None:
            self._now[key] = hit
            return hit[1]
        value = self._compute(*objs)
        self._now[key] = (objs, value)
        return value
