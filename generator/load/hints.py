"""Concrete fixes for values of the wrong type: what the editor typed, and what to type instead."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from .source import FieldPath, Pos, Source

#: Full-width digits and signs an input method types → their ASCII form.
_FULLWIDTH = str.maketrans("０１２３４５６７８９．－＋", "0123456789.-+")
_CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8,
              "九": 9}
_CN_UNITS = {"十": 10, "百": 100, "千": 1000}
_MULTIPLIERS = {"万": 10_000, "千": 1_000, "百": 100, "亿": 100_000_000, "w": 10_000, "W": 10_000, "k": 1_000,
                "K": 1_000}
#: Words after a number that name what is counted; the number alone is what the field holds.
_COUNT_WORDS = ("元", "人", "次", "个", "名", "分钟", "分", "天", "日", "小时", "通", "单", "件", "岁", "年")
_NUMBER = re.compile(r"^[+-]?\d+(?:\.\d+)?$")


def chinese_numeral(text: str) -> int | None:
    """``三十`` → 30, ``九`` → 9, ``一百二十`` → 120; None when ``text`` is not a Chinese numeral."""
    if not text or any(ch not in _CN_DIGITS and ch not in _CN_UNITS and ch != "万" for ch in text):
        return None
    total, section, digit = 0, 0, None
    for ch in text:
        if ch in _CN_DIGITS:
            digit = _CN_DIGITS[ch]
        elif ch in _CN_UNITS:
            section += (1 if digit is None else digit) * _CN_UNITS[ch]
            digit = None
        else:  # 万
            total += (section + (digit or 0)) * 10_000
            section, digit = 0, None
    return total + section + (digit or 0)


def _plain(number: float) -> str:
    return str(int(number)) if number == int(number) else f"{number:g}"


def number_hint(text: str) -> tuple[str, dict[str, str]] | None:
    """Why ``text`` is no number and the number it most likely means, as (code, args); None if unknown."""
    raw = text.strip()
    value = raw.translate(_FULLWIDTH)
    if value != raw and _NUMBER.match(value):
        return "number_fullwidth", {"value": raw, "number": value}
    if re.match(r"^\d{1,3}(?:[,，]\d{3})+(?:\.\d+)?", value):
        digits = re.sub(r"[,，]", "", value)
        match = re.match(r"^\d+(?:\.\d+)?", digits)
        if match:
            return "number_commas", {"value": raw, "number": match.group()}
    if value.endswith(("%", "％")) and _NUMBER.match(value[:-1].strip()):
        return "number_percent", {"value": raw, "number": value[:-1].strip()}
    match = re.match(r"^([+-]?\d+(?:\.\d+)?)\s*([万千百亿wWkK])", value)
    if match:
        number = float(match.group(1)) * _MULTIPLIERS[match.group(2)]
        return "number_with_unit", {"value": raw, "number": _plain(number)}
    for word in _COUNT_WORDS:
        head = value.removesuffix(word).strip()
        if head != value and _NUMBER.match(head):
            return "number_with_unit", {"value": raw, "number": head}
    core = value
    for word in _COUNT_WORDS:
        core = core.removesuffix(word)
    cn = chinese_numeral(core)
    if cn is not None:
        return "number_chinese", {"value": raw, "number": str(cn)}
    return None


def raw_token(source: Source, pos: Pos) -> str:
    """The value as typed at ``pos`` on its line, without a trailing comment."""
    if not 0 < pos.line <= len(source.lines):
        return ""
    rest = source.lines[pos.line - 1][pos.col - 1 :]
    return re.split(r"\s+#", rest, maxsplit=1)[0].strip()


#: Dashes an input method types where a list item's "-" was meant.
_IME_DASHES = "－—–"


def wrong_type(
    expected: str, value: Any, source: Source, loc: FieldPath, known: list[str]
) -> tuple[str, dict[str, str], Pos] | None:
    """A concrete (code, args, where the fix goes) for a value of the wrong type; None for the plain message."""
    pos = source.pos(loc)
    found = _wrong_type(expected, value, source, loc, known)
    if found is None:
        return None
    code, args = found
    # "-协助": the space goes right after the dash; everything else is fixed where the value starts.
    return code, args, Pos(pos.line, pos.col + 1) if code == "list_dash_no_space" else pos


def _list_dash(value: str) -> tuple[str, dict[str, str]] | None:
    """``-协助`` or ``－ 协助`` under a list field: YAML read the lines as one text."""
    first = value.split(" - ")[0].split("\n")[0]
    if first.startswith("-") and len(first) > 1:
        return "list_dash_no_space", {"value": first[1:].strip()}
    if first[:1] in _IME_DASHES and len(first) > 1 and first[1] in " \u3000":
        return "list_ime_dash", {"char": first[0], "value": first[1:].strip()}
    return None


def _wrong_type(
    expected: str, value: Any, source: Source, loc: FieldPath, known: list[str]
) -> tuple[str, dict[str, str]] | None:
    pos = source.pos(loc)
    key = str(next((p for p in reversed(loc) if isinstance(p, str)), ""))
    typed = raw_token(source, pos) if pos in source.values.values() else ""
    if expected in ("integer", "number"):
        if isinstance(value, float) and expected == "integer":
            return "integer_is_fraction", {"value": _plain(value), "low": str(int(value)), "high": str(int(value) + 1)}
        if isinstance(value, str):
            return number_hint(value) or ("number_is_words", {"value": value})
        return None
    if expected == "text":
        if isinstance(value, bool):
            return "text_is_bool", {"key": key, "typed": typed or str(value).lower()}
        if value is None:
            return "text_is_empty", {"key": key}
        if isinstance(value, list):
            return "text_is_list", {"key": key}
        if isinstance(value, dict):
            return "text_is_mapping", {"key": key, "typed": typed}
        if isinstance(value, (dt.date, dt.datetime)) and typed:
            return "text_is_date", {"key": key, "typed": typed}
        return None
    if expected == "list":
        if isinstance(value, dict):
            return "list_is_mapping", {"key": key}
        if value is None:
            return "list_is_empty", {"key": key}
        if isinstance(value, str):
            dash = _list_dash(value)
            if dash is not None:
                return dash
        return "list_is_scalar", {"key": key, "value": str(value)}
    if expected == "mapping":
        first = known[0] if known else "…"
        if value is None:
            return "mapping_is_empty", {"key": key, "first": first}
        if isinstance(value, list):
            return "mapping_is_list", {"key": key, "first": first}
        return "mapping_is_scalar", {"key": key, "first": first, "value": str(value)}
    return None
