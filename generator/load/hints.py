"""Concrete fixes for values of the wrong type: what the editor typed, and what to type instead."""

from __future__ import annotations

import calendar
import datetime as dt
import difflib
import functools
import re
from collections.abc import Iterable
from typing import Any

from ..model.entities import ID_RE
from .codes import ProblemCode
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


def number_hint(text: str) -> tuple[ProblemCode, dict[str, str]] | None:
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
    if re.match(r"^\d+(?:\.\d+)?\s*[-~～至到]\s*\d+(?:\.\d+)?", value):
        return "number_range", {"value": raw, "number": re.split(r"\s*[-~～至到]\s*", value)[0]}
    for prefix in ("大约", "约为", "约", "不少于", "至少", "不超过", "最多", "每人"):
        if value.startswith(prefix) and prefix != value:
            inner = number_hint(value[len(prefix) :])
            if inner is not None:
                return "number_with_words", {"value": raw, "number": inner[1]["number"]}
    core = value
    for word in _COUNT_WORDS:
        core = core.removesuffix(word)
    cn = chinese_numeral(core)
    if cn is not None:
        return "number_chinese", {"value": raw, "number": str(cn)}
    return None


#: Characters that cannot be seen in an editor, by the name an editor can search for.
INVISIBLE = {"\u200b": "U+200B", "\u200c": "U+200C", "\u200d": "U+200D", "\u2060": "U+2060",
             "\ufeff": "U+FEFF", "\u00a0": "U+00A0", "\u3000": "U+3000", "\t": "Tab"}
_CURLY = ("“", "”", "‘", "’", "「", "」", "『", "』", "＂", "＇")
_DATE = re.compile(r"^(\d{4})\s*[./年\-－]\s*(\d{1,2})\s*[./月\-－]\s*(\d{1,2})\s*日?$")
_CLOCK = re.compile(r"^(\d{1,2})\s*[:：.．点时]\s*(\d{2})分?$")
_WHEN = re.compile(r"^第(.+?)(天|日|周|个月|月)$")


def pattern_hint(
    code: str, value: str, source: Source, loc: FieldPath
) -> tuple[ProblemCode, dict[str, str], Pos] | None:
    """A named cause for an id, clock or onboarding time that does not fit its pattern, with the fix."""
    pos = source.pos(loc)
    key = next((str(p) for p in reversed(loc) if isinstance(p, str)), "")
    if code in ("bad_id", "bad_ref_id"):
        hidden = next(((i, ch) for i, ch in enumerate(value) if ch in INVISIBLE), None)
        if hidden is not None:
            clean = "".join(ch for ch in value if ch not in INVISIBLE)
            where = source.text_pos(loc, hidden[0])
            return "id_invisible_char", {"value": clean, "char": INVISIBLE[hidden[1]], "key": key}, where
        if len(value) > 1 and value[0] in _CURLY and value[-1] in _CURLY:
            inner = value[1:-1].strip()
            return "ref_curly_quotes", {"value": value, "inner": inner, "write": write(loc, inner)}, pos
        if value.lower() != value and ID_RE.match(value.lower()):
            return "id_uppercase", {"value": value, "lower": value.lower(), "write": write(loc, value.lower())}, pos
        return None
    if code == "bad_clock":
        match = _CLOCK.match(value.translate(_FULLWIDTH))
        if match and int(match.group(1)) < 24 and int(match.group(2)) < 60:
            fixed = f"{int(match.group(1)):02d}:{match.group(2)}"
            return "bad_clock_suggest", {"value": value, "fixed": fixed, "key": key}, pos
        if match and int(match.group(1)) == 24 and int(match.group(2)) < 60 and key == "end":
            # Past the end of the day: an end after 24:00 is the next day's time (16:00–00:30 crosses midnight).
            return "bad_clock_suggest", {"value": value, "fixed": f"00:{match.group(2)}", "key": key}, pos
        return None
    if code == "bad_when":
        match = _WHEN.match(value.strip())
        if match:
            count = match.group(1).translate(_FULLWIDTH)
            number = int(count) if count.isdigit() else chinese_numeral(count)
            unit = {"日": "天", "个月": "月"}.get(match.group(2), match.group(2))
            if number:
                return "bad_when_suggest", {"value": value, "fixed": f"第{number}{unit}", "key": key}, pos
        return None
    return None


def date_hint(value: str) -> tuple[ProblemCode, dict[str, str]]:
    """What is wrong with a date and the date meant: ``2024/1/5`` → ``2024-01-05``; 2 月 30 日 named."""
    match = _DATE.match(value.strip().translate(_FULLWIDTH))
    if match is None:
        return "bad_date", {"value": value}
    year, month, day = (int(g) for g in match.groups())
    if not 1 <= month <= 12:
        return "bad_date_month", {"value": value, "month": str(month)}
    days = calendar.monthrange(year, month)[1]
    if not 1 <= day <= days:
        return "bad_date_day", {"value": value, "month": str(month), "days": str(days),
                                "last": f"{year:04d}-{month:02d}-{days:02d}"}
    return "bad_date_suggest", {"value": value, "fixed": f"{year:04d}-{month:02d}-{day:02d}"}


def raw_token(source: Source, pos: Pos) -> str:
    """The value as typed at ``pos`` on its line, without a trailing comment (or the rest of a ``[…]`` list)."""
    if not 0 < pos.line <= len(source.lines):
        return ""
    rest = source.lines[pos.line - 1][pos.col - 1 :]
    inside_flow = "[" in source.lines[pos.line - 1][: pos.col - 1] or "{" in source.lines[pos.line - 1][: pos.col - 1]
    cut = r"\s+#|\s*,\s|\s*[\]}]" if inside_flow else r"\s+#"
    return re.split(cut, rest, maxsplit=1)[0].strip()


def write(loc: FieldPath, value: str) -> str:
    """How ``value`` is typed at ``loc``: ``key: value``, or ``- value`` for a list item."""
    if loc and isinstance(loc[-1], int):
        return f"- {value}"
    return f"{loc[-1]}: {value}" if loc else value


#: Dashes an input method types where a list item's "-" was meant.
_IME_DASHES = "－—–"


def wrong_type(
    expected: str, value: Any, source: Source, loc: FieldPath, known: list[str]
) -> tuple[ProblemCode, dict[str, str], Pos] | None:
    """A concrete (code, args, where the fix goes) for a value of the wrong type; None for the plain message."""
    pos = source.pos(loc)
    found = _wrong_type(expected, value, source, loc, known)
    if found is None:
        return None
    code, args = found
    # "-协助", "current:3": the space goes right after the dash or the colon; anything else where the value starts.
    if code == "list_dash_no_space":
        return code, args, Pos(pos.line, pos.col + 1)
    if code == "no_space_after_colon":
        return code, args, Pos(pos.line, pos.col + len(args["key"]) + 1)
    return code, args, pos


def _list_dash(value: str) -> tuple[ProblemCode, dict[str, str]] | None:
    """``-协助`` or ``－ 协助`` under a list field: YAML read the lines as one text."""
    first = value.split(" - ")[0].split("\n")[0]
    if first.startswith("-") and len(first) > 1:
        return "list_dash_no_space", {"value": first[1:].strip()}
    if first[:1] in _IME_DASHES and len(first[1:].strip()) > 0:
        return "list_ime_dash", {"char": first[0], "value": first[1:].strip()}
    return None


#: Words an editor types for yes and no where YAML wants true or false.
_YES = frozenset({"是", "对", "有", "要", "需要", "必须", "必需", "必要", "重要", "关键", "核心", "Y", "√", "✓", "✔"})
_NO = frozenset({"否", "不", "不是", "无", "没有", "不要", "不需要", "非必须", "不必", "次要", "N", "×", "✗"})
#: Words for "none" where a list was expected: not an item called 无.
_NONE = frozenset({"无", "没有", "暂无", "空", "不需要", "无要求", "不要求", "不限", "无需"})


def _wrong_type(
    expected: str, value: Any, source: Source, loc: FieldPath, known: list[str]
) -> tuple[ProblemCode, dict[str, str]] | None:
    pos = source.pos(loc)
    key = str(next((p for p in reversed(loc) if isinstance(p, str)), ""))
    typed = raw_token(source, pos) if pos in source.values.values() else ""
    if expected in ("integer", "number"):
        if isinstance(value, float) and expected == "integer":
            return "integer_is_fraction", {"value": _plain(value), "low": str(int(value)), "high": str(int(value) + 1)}
        if isinstance(value, str):
            return number_hint(value) or ("number_is_words", {"value": value})
        if isinstance(value, (bool, dt.date)) and typed:
            return "number_is_words", {"value": typed}  # yes/no or a date where a number belongs
        return None
    item = bool(loc) and isinstance(loc[-1], int)
    if expected == "text":
        if isinstance(value, bool):
            return "text_is_bool_item" if item else "text_is_bool", {"key": key, "typed": typed or str(value).lower()}
        if value is None and typed.lower() in ("null", "~"):
            return "text_is_null", {"key": key, "typed": typed}
        if value is None:
            if item:
                return "list_item_empty", {"key": key, "n": str(int(loc[-1]) + 1)}
            return "text_is_empty", {"key": key}
        if isinstance(value, list):
            ids = [v for v in value if isinstance(v, str) and ID_RE.match(v)]
            if len(ids) == len(value) > 1 and not item:
                # reports_to: [a, b]: one id is what the field takes, not a text made of two.
                return "text_is_id_list", {"key": key, "count": str(len(ids)), "ids": ", ".join(ids),
                                           "write": write(loc, ids[0])}
            return "text_is_list", {"key": key}
        if isinstance(value, dict):
            return "text_is_mapping", {"key": key, "typed": typed, "write": write(loc, f'"{typed}"')}
        if isinstance(value, (dt.date, dt.datetime)) and typed:
            return "text_is_date_item" if item else "text_is_date", {"key": key, "typed": typed}
        return None
    if expected == "bool":
        word = value.strip() if isinstance(value, str) else ""
        if word in _YES:
            return "bool_yes_word", {"key": key, "typed": word, "write": write(loc, "true")}
        if word in _NO:
            return "bool_no_word", {"key": key, "typed": word}
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
            word = value.strip()
            # "kpis: 无" is no list of one item called 无; "certificates_required: 是" names none.
            if word in _NONE:
                return ("list_none_top" if len(loc) == 1 else "list_none"), {"key": key, "value": word}
            if word in _YES:
                return "list_yes_word", {"key": key, "value": word}
            text = value.strip()
            if text[:1] in "［【" and text[-1:] in "］】":
                return "list_fullwidth_brackets", {"key": key, "fixed": "[" + text[1:-1].replace("，", ", ") + "]"}
        return "list_is_scalar", {"key": key, "value": str(value)}
    if expected == "mapping":
        first = known[0] if known else "…"
        glued = re.match(r"^([A-Za-z_][A-Za-z0-9_]*):(\S.*)$", value) if isinstance(value, str) else None
        if glued and glued.group(1) in known:
            return "no_space_after_colon", {"key": glued.group(1), "value": glued.group(2)}
        if value is None:
            return "mapping_is_empty", {"key": key, "first": first}
        if isinstance(value, list):
            return "mapping_is_list", {"key": key, "first": first}
        return "mapping_is_scalar", {"key": key, "first": first, "value": str(value)}
    return None


def nearest(word: str, choices: Iterable[str]) -> str:
    """The closest spelling among ``choices``, or '' when nothing is close."""
    return _nearest(word, tuple(choices))


@functools.lru_cache(maxsize=256)
def _nearest(word: str, pool: tuple[str, ...]) -> str:
    # Kept by content: a typo left in a form is checked again on every change to another field,
    # and comparing it with 1,000 role ids is a third of that check.
    lowered = {c.lower(): c for c in pool}
    if word.lower() in lowered:
        return lowered[word.lower()]
    found = difflib.get_close_matches(word, pool, n=1, cutoff=0.6)
    if found:
        return found[0]
    # A shortened id ("late" for "late-arrival") is the other common slip.
    containing = [c for c in pool if len(word) >= 3 and word.lower() in c.lower()]
    return containing[0] if len(containing) == 1 else ""
