"""The one reference syntax for free text: ``[[kind:id]]``, ``[[kind:id#anchor]]``, ``[[kind:id|label]]``."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from . import registry


def ref_prefixes() -> list[str]:
    """The prefixes a reference may start with (``role``, ``policy`` …), from the kind registry."""
    return [k.ref for k in registry.KINDS.values()]

_REF = re.compile(
    r"\[\[\s*(?P<kind>[a-z]+)\s*:\s*(?P<id>[^\]|#\s]+)\s*(?:#\s*(?P<anchor>[^\]|\s]+)\s*)?(?:\|(?P<label>[^\]]*))?\]\]"
)


@dataclass(frozen=True)
class Ref:
    """A parsed reference. ``kind`` is the registered kind its prefix names, else the prefix as written."""

    kind: str
    id: str
    anchor: str | None = None
    label: str | None = None
    start: int = 0
    end: int = 0


def find_refs(text: str) -> Iterator[Ref]:
    """Every ``[[…]]`` reference in ``text``, in order."""
    for m in _REF.finditer(text):
        named = registry.by_ref(m["kind"])
        kind = named.name if named else m["kind"]
        yield Ref(kind, m["id"], m["anchor"], (m["label"] or "").strip() or None, m.start(), m.end())


def parse_ref(value: str) -> Ref | None:
    """A bare reference such as ``policy:attendance#late-arrival`` (used by onboarding ``ref``)."""
    found = list(find_refs(f"[[{value}]]"))
    return found[0] if len(found) == 1 and found[0].end == len(value) + 4 else None


def split_text(text: str) -> Iterator[str | Ref]:
    """``text`` as alternating plain strings and references, for rendering."""
    last = 0
    for ref in find_refs(text):
        if ref.start > last:
            yield text[last : ref.start]
        yield ref
        last = ref.end
    if last < len(text):
        yield text[last:]
