"""ASCII punctuation typed inside Chinese text (``协作,开发``), found and turned full-width.

Shared by the validator, which warns about it, and ``handbook fmt``, which fixes it: both must
agree on exactly which characters are meant.
"""

from __future__ import annotations

import re

#: CJK ideographs, CJK punctuation, full-width forms and the quotes, dash and ellipsis Chinese text uses.
_CJK = "\u2018\u2019\u201c\u201d\u2026\u2014\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef"
_BETWEEN = re.compile(f"(?<=[{_CJK}])[,:;?!](?=[{_CJK}])")
#: A bracketed aside holding Chinese text, next to Chinese text: ``业务种类(存款、贷款)``.
_ASIDE = f"\\(([^()\\[\\]\\n]*[{_CJK}][^()\\[\\]\\n]*)\\)"
_PAIR = re.compile(f"(?<=[{_CJK}]){_ASIDE}|{_ASIDE}(?=[{_CJK}])")
FULL_WIDTH = {",": "，", ":": "：", ";": "；", "?": "？", "!": "！", "(": "（", ")": "）"}


def spots(text: str) -> list[int]:
    """Offsets of the ASCII punctuation ``to_full_width`` would change, in order."""
    found = [m.start() for m in _BETWEEN.finditer(text)]
    for match in _PAIR.finditer(text):
        found += [match.start(), match.end() - 1]
    return sorted(set(found))


def to_full_width(text: str) -> str:
    """``text`` with the punctuation between Chinese characters made full-width (``,`` → ``，``)."""
    # Until nothing changes: "(依据(2018版))" frees the outer pair only once the inner one is
    # full-width, and "等),销" has a Chinese neighbour only once the ")" is.
    for _ in range(8):
        done = text
        text = _PAIR.sub(lambda m: "（" + (m.group(1) if m.group(1) is not None else m.group(2)) + "）", text)
        text = _BETWEEN.sub(lambda m: FULL_WIDTH[m.group()], text)
        if text == done:
            break
    return text
