"""Chinese in both scripts: OpenCC's conversions, used where Traditional text meets Simplified (fixed
choices typed in Traditional, a zh-Hant site's words made from zh's)."""

from __future__ import annotations

import functools
from typing import Any


@functools.cache
def _converter(config: str) -> Any:
    import opencc  # a C++ library: loaded only when a value is not already a listed choice

    return opencc.OpenCC(config)


def simplified(text: str) -> str:
    """``text`` in Simplified Chinese (OpenCC's Traditional → Simplified, word by word)."""
    return str(_converter("t2s").convert(text))


def traditional(text: str) -> str:
    """``text`` in Traditional Chinese, Taiwan's standard characters (OpenCC s2tw: 考核, not 考覈),
    the words themselves unchanged."""
    return str(_converter("s2tw").convert(text))
