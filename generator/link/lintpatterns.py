"""What the content rules look for in text: requirements the law forbids, age limits, stated sanctions,
vague duty verbs. Patterns match what carries the meaning (a sex word used as a condition, a
marital or childbearing word, a household-registration word), not phrases seen in one handbook.

Chinese is matched in Simplified script: a Traditional text is converted first, character for
character where word conversion would change its length, so a match keeps its column.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from ..i18n import listed
from ..model.script import simplified

#: A condition that makes what follows (or precedes) a requirement: 限男性, 要求女性, 男性优先.
_ZH_COND = r"(?:限|仅限|只限|只招|仅招|要求|须为|需为|必须是|必须为)"
_ZH_PREF = r"(?:优先|为佳|为宜|者优先|即可)"
_ZH_SEX = r"(?:男|女)(?:性|士|生|员工|同事)?"
#: “男女不限”, “性别不限”: the sentence says sex does not matter.
_ZH_SEX_FREE = re.compile(r"男女不限|性别不限|不限男女|男女均可|男女皆可")
#: A condition said not to matter (户籍不限, 不限民族, 年龄不限): no requirement at all.
_NOT_REQUIRED = re.compile(r"\s*(?:不限|均可|皆可|无要求|无限制)")

_ZH: dict[str, list[re.Pattern[str]]] = {
    "gender": [
        re.compile(rf"{_ZH_COND}\s*{_ZH_SEX}"),
        re.compile(rf"(?<![男妇])(?:男|女)(?:性|士|生)\s*{_ZH_PREF}?"),
        re.compile(r"性别\s*[:：为]?\s*(?!不限)[男女]?"),
        re.compile(rf"{_ZH_SEX}{_ZH_PREF}"),
    ],
    "marital-status": [
        re.compile(r"已婚|未婚|离异|单身|婚否|婚姻(?:状况)?|婚育|已育|未育|生育|怀孕|孕期|妊娠|[一二三]胎|(?:\d|[一二三两])\s*年内不(?:结婚|生育|要孩子)"),
    ],
    "ethnicity": [
        re.compile(r"(?:汉|回|藏|壮|满|苗|彝|维吾尔|蒙古|朝鲜|土家|哈萨克|少数)族|民族"),
    ],
    "religion": [
        re.compile(r"宗教|信仰|信教|基督|天主教|佛教|道教|伊斯兰|穆斯林"),
    ],
    "region": [
        re.compile(r"户籍|户口|籍贯|原籍|本地人|外地人|外省人|(?:本地|本市|本省|本县|城镇|农村)(?:户口|户籍|人士|生源)|[省市县]籍"),
    ],
    "carrier-status": [
        re.compile(r"乙肝|乙型肝炎|肝炎|大三阳|小三阳|两对半|HBsAg|HBV|艾滋|HIV|病原携带|携带者|传染病", re.IGNORECASE),
    ],
    "age-limit": [
        re.compile(r"(?:\d{2}|[一二三四五六]十[一二三四五六七八九]?)\s*(?:周)?岁(?:以下|以上|以内|之间|左右|及以下|及以上)"),
        re.compile(r"(?:\d{2})\s*(?:[-—–~～至到])\s*(?:\d{2})\s*(?:周)?岁"),
        re.compile(r"年龄\s*(?:在|不超过|不大于|低于|不低于|不小于|限|为)?\s*\d{2}"),
        re.compile(r"年龄(?:要求|限制|限)"),
    ],
}

_EN: dict[str, list[re.Pattern[str]]] = {
    "gender": [
        re.compile(r"\b(?:male|female|men|women|man|woman)\b(?:\s+(?:only|preferred|candidates?|applicants?))?", re.I),
        re.compile(r"\bgender\b(?!\s+(?:neutral|equality|balance))", re.I),
    ],
    "marital-status": [
        re.compile(r"\b(?:married|unmarried|single|divorced|marital|childless|childbearing|pregnan\w*|"
                   r"maternity plans?|no (?:plans? for )?children)\b", re.I),
    ],
    "ethnicity": [
        re.compile(r"\b(?:ethnicity|ethnic(?:ally)?|race|racial|Han Chinese|Han nationality)\b", re.I),
    ],
    "religion": [
        re.compile(r"\b(?:religion|religious|faith|christian|muslim|buddhist|catholic|islam\w*)\b", re.I),
    ],
    "region": [
        re.compile(r"\b(?:hukou|household registration|locals? only|local residents?|native of|born in)\b", re.I),
    ],
    "carrier-status": [
        re.compile(r"\b(?:hepatitis|HBV|HBsAg|HIV|AIDS|carriers?|infectious diseases?)\b", re.I),
    ],
    "age-limit": [
        re.compile(r"\b(?:under|below|aged?|not older than|no older than|younger than|"
                   r"max(?:imum)? age(?: of)?)\s+\d{2}\b(?!\s*(?:%|percent|minutes?|hours?|days?|weeks?|months?|"
                   r"calls?|years? of|yuan|RMB))", re.I),
        re.compile(r"\b\d{2}\s*(?:-|–|to)\s*\d{2}\s+years?\s+(?:old|of age)\b", re.I),
        re.compile(r"\b\d{2}\s+(?:or younger|or under|and under|years? old or younger)\b", re.I),
    ],
}

#: A sanction or reward stated in words: money taken or paid, a warning, dismissal.
_CONSEQUENCE = [
    re.compile(r"罚款|扣罚|罚金|罚\s*\d|扣\s*\d+\s*(?:元|分)|扣(?:发|除)?[^，。；]{0,4}?(?:工资|奖金|绩效|薪)|辞退|开除|解除(?:劳动)?合同|"
               r"记过|记大过|警告处分|通报批评|降级|降职|奖励\s*\d+\s*元|奖金\s*\d+\s*元"),
    re.compile(r"\b(?:fined?|fines|penalt(?:y|ies)|deduct(?:ed|ion)?|dismiss(?:ed|al)?|terminat(?:ed|ion)|"
               r"written warning|demot(?:ed|ion)|bonus of)\b", re.I),
]

#: Vague duty verbs: a duty led by these says the role is involved, not what it does.
_ZH_VAGUE = re.compile(r"(?:^|[，；。、,;])\s*(?:全面|主要|具体|积极|协助)?(负责|参与)")
_EN_VAGUE = re.compile(r"^\s*(?:be\s+)?(responsible for|in charge of|participat\w+ in|involved in|take part in|"
                       r"assist(?:s|ing)? (?:in|with))\b", re.I)


def zh_view(text: str) -> str:
    """``text`` in Simplified script with every character where it was (Traditional text converted)."""
    if text.isascii():
        return text
    converted = simplified(text)
    if len(converted) == len(text):
        return converted
    return "".join(simplified(char) if len(simplified(char)) == 1 else char for char in text)


def _sex_free(text: str, start: int, end: int) -> bool:
    """True when the sex word at ``start:end`` is part of “男女不限” and the like."""
    return any(m.start() <= start and end <= m.end() for m in _ZH_SEX_FREE.finditer(text))


def requirement_findings(text: str) -> Iterator[tuple[str, int, str]]:
    """(rule, offset, matched words) for each forbidden or questionable requirement in ``text``: one
    finding per rule, at its first place, naming every word that broke it (限男性、已婚、已育)."""
    view = zh_view(text)
    taken: list[tuple[int, int]] = []
    found: dict[str, tuple[int, list[str]]] = {}
    for table, subject in ((_ZH, view), (_EN, text)):
        for rule, patterns in table.items():
            for pattern in patterns:
                for m in pattern.finditer(subject):
                    start, end = m.span()
                    if any(start < e and s < end for s, e in taken):
                        continue  # one finding per place: “限男性” is not also “男性”
                    if rule == "gender" and (_sex_free(view, start, end) or m.group().strip() == "性别"):
                        continue
                    if _NOT_REQUIRED.match(subject, end) or subject[max(0, start - 2) : start] == "不限":
                        continue
                    taken.append((start, end))
                    first, words = found.setdefault(rule, (start, []))
                    found[rule] = (min(first, start), [*words, text[start:end].strip()])
    for rule, (offset, words) in sorted(found.items(), key=lambda item: item[1][0]):
        yield rule, offset, listed(dict.fromkeys(words))


def consequence_findings(text: str) -> Iterator[tuple[int, str]]:
    """(offset, words) for each sanction or reward stated in ``text``."""
    view = zh_view(text)
    for pattern in _CONSEQUENCE:
        for m in pattern.finditer(view):
            yield m.start(), text[m.start() : m.end()]


def vague_verb(text: str) -> tuple[int, str] | None:
    """(offset, verb) of the first vague verb leading a duty or one of its clauses, if any."""
    m = _ZH_VAGUE.search(zh_view(text))
    if m:
        return m.start(1), text[m.start(1) : m.end(1)]
    m = _EN_VAGUE.search(text)
    return (m.start(1), text[m.start(1) : m.end(1)]) if m else None
