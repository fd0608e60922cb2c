"""Reading order for Chinese lists: pinyin for names and terms, time of day then frequency for processes."""

from __future__ import annotations

import functools

from pypinyin import Style, lazy_pinyin

from ..model.entities import Process

#: Frequencies from the most to the least often.
_FREQUENCY = ("小时", "日", "工作日", "周", "旬", "月", "季", "年")


@functools.lru_cache(maxsize=65536)
def pinyin_key(text: str) -> tuple[str, str, str]:
    """Sort key: toneless pinyin (Latin letters as they are), then tones, then the text itself."""
    syllables = lazy_pinyin(text, style=Style.TONE3, errors="default")
    plain = " ".join(s.rstrip("012345").strip().lower() for s in syllables)
    tones = "".join(s[-1] if s[-1:].isdigit() else "0" for s in syllables)
    return plain, tones, text


def initial(text: str) -> str:
    """The letter a term is filed under in the glossary's index: A–Z, or ``#`` for anything else."""
    plain = pinyin_key(text)[0].lstrip()
    first = plain[:1].upper()
    return first if "A" <= first <= "Z" else "#"


def process_key(process: Process) -> tuple[int, int, int, tuple[str, str, str]]:
    """Processes by the time of day they start, then by how often they run, then by pinyin."""
    when = process.when
    if when is None:
        return 2, 0, len(_FREQUENCY), pinyin_key(process.title)
    frequency = _FREQUENCY.index(when.every) if when.every in _FREQUENCY else len(_FREQUENCY)
    if when.times:
        hours, minutes = when.times[0].split(":")
        return 0, int(hours) * 60 + int(minutes), frequency, pinyin_key(process.title)
    return 1, 0, frequency, pinyin_key(process.title)
