"""What the validation pipeline may keep between runs: each file's bytes with what they gave.

The pipeline only needs the :class:`ParseCache` protocol; ``handbook serve`` passes its
:class:`generator.site.incremental.Cache`, which also keeps rendered pages.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from ..model.entities import Entity
from .problems import Problem
from .source import Source

#: What ``stat`` says of a file: modification and change time in ns, size, inode. A save changes
#: the change time whatever the editor does with the modification time, so equal stamps mean
#: the bytes read after the stamp was taken are still the file's.
Stamp = tuple[int, int, int, int]

#: A file changed this recently may change again within the same tick of a coarse clock (FAT
#: and some network shares count in seconds) and keep its stamp: it gets none, so it is read
#: on every run until it has been still this long (as git treats "racily clean" files).
RACY_NS = 2_000_000_000


def stamp_of(path: Path) -> Stamp | None:
    """The file's :data:`Stamp`, or None when it cannot be read (the reading then says why) or
    changed too recently to be trusted (:data:`RACY_NS`)."""
    try:
        st = path.stat()
    except OSError:
        return None
    if time.time_ns() - max(st.st_mtime_ns, st.st_ctime_ns) < RACY_NS:
        return None
    return st.st_mtime_ns, st.st_ctime_ns, st.st_size, st.st_ino


@dataclass
class ParsedFile:
    """One YAML file as last read: its bytes, and what they gave."""

    raw: bytes
    source: Source
    entity: Entity | None
    problems: list[Problem]
    stamp: Stamp | None = None
    """Taken before the bytes were read: a file with the same stamp need not be read again."""


class ParseCache(Protocol):
    """Parsed files kept by the caller from one validation to the next."""

    def use(self, lang: str) -> None:
        """Forget everything when the locale changes (problems hold locale text)."""

    def unchanged(self, path: Path, rel: str, stamp: Stamp) -> ParsedFile | None:
        """What the file gave last time, if it has the same stamp under the same name (not read again)."""

    def parsed(self, path: Path, rel: str, raw: bytes) -> ParsedFile | None:
        """What ``raw`` gave last time, if the file held exactly these bytes under this name."""

    def keep(self, path: Path, parsed: ParsedFile) -> None:
        """Remember a freshly parsed file."""

    def forget_other_files(self, paths: set[Path]) -> None:
        """Drop files that are gone (deleted or renamed)."""
