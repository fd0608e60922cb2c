"""Whether a duty is written as an action on something (verb + object): 处理客户订单, not 订单处理.

Chinese is cut into words with their parts of speech by jieba (already used for search); a duty
passes when some verb is followed by something it acts on. English passes when it opens with a
verb rather than a noun, an article or a gerund phrase. References (``[[process:x]]``) count as
objects.
"""

from __future__ import annotations

import functools
import re
from typing import Any

from ..model.refs import find_refs
from .lintpatterns import zh_view

#: jieba's tags for verbs (v), verbal nouns (vn), idioms (i, l: 统筹规划) that act as a verb phrase.
_VERB = ("v", "vn", "vd", "vi")
#: What a verb can act on: nouns of every kind, pronouns, numbers with measure words, English words.
_OBJECT = ("n", "r", "m", "eng", "j", "s", "nz", "nr", "ns", "nt", "an", "vn", "q")

#: Action verbs of job descriptions that jieba's dictionary files under another part of speech
#: (办理 n, 落实 a, 更新 d): a correction of the dictionary, read as verbs wherever they stand.
_ALSO_VERBS = frozenset((
    "办理", "整理", "落实", "指导", "汇总", "报告", "策划", "记录", "核算", "联系", "更新", "审计", "统筹", "规划",
    "监测", "巡检", "质检", "盘点", "对账", "复核", "初审", "建档", "归档", "回访", "催收", "走访", "陪访", "宣导",
    "宣讲", "督导", "带教", "辅导", "培训", "面试", "领导",
))

#: Words that may stand before a duty's verb: time (每日, 月初), adverbs (定期), pronouns of time (每周).
_OPENERS = ("t", "d", "r", "m", "q", "f")

#: “工作”, “事务” close a duty as its object (组织建设工作), whatever jieba calls them.
_WORK = frozenset({"工作", "事务", "事宜", "任务"})

_HAN = re.compile(r"[\u4e00-\u9fff]")
#: English duties that open with these are noun phrases, not actions.
_EN_NOT_VERB = frozenset({"the", "a", "an", "all", "any", "each", "every", "daily", "weekly", "monthly", "our",
                          "its", "their", "his", "her", "customer", "customers", "client", "clients", "team"})
_EN_NOUN_END = re.compile(r"(?:tion|sion|ment|ance|ence|ity|ness|ing)$", re.I)
#: Short phrases with these are sentences of their own (“Collect payment on delivery”).
_EN_LINKS = frozenset({"on", "of", "for", "to", "with", "the", "a", "an", "and", "in", "at", "by"})


@functools.cache
def _tagger() -> Any:
    import jieba
    import jieba.posseg

    jieba.setLogLevel(60)  # its "Building prefix dict" chatter is not the user's business
    return jieba.posseg.dt


def _without_refs(text: str) -> str:
    """``text`` with each reference replaced by a placeholder noun, so it reads as an object."""
    out, last = [], 0
    for ref in find_refs(text):
        out += [text[last : ref.start], " 某项 "]
        last = ref.end
    return "".join([*out, text[last:]])


def verb_and_object(text: str) -> bool:
    """False when the duty ``text`` is a noun phrase naming an activity (订单处理, 资料收集与整理,
    Order handling) instead of an action on something."""
    plain = _without_refs(text).strip()
    if not _HAN.search(plain):
        words = re.findall(r"[A-Za-z][A-Za-z'-]*", plain)
        if len(words) < 2:
            return False
        first, last = words[0], words[-1]
        if len(words) <= 3 and _EN_NOUN_END.search(last) and not _EN_LINKS & {w.lower() for w in words}:
            return False  # “Delivery scheduling”, “Customer reception”: a thing, then its activity
        return first.lower() not in _EN_NOT_VERB and not _EN_NOUN_END.search(first)
    tagger = _tagger()
    table: dict[str, str] = tagger.word_tag_tab
    seen_verb = False
    opening = True
    flag = ""
    for token in tagger.cut(zh_view(plain)):
        word = token.word.strip()
        if not word or token.flag == "x":
            continue
        # The dictionary's tag before the context's guess: 办理 is a verb even where the model says n.
        flag = "v" if word in _ALSO_VERBS else "n" if word in _WORK else table.get(word, token.flag)
        if opening and flag.startswith("v"):
            return True  # opens with the action (after 每日 / 定期 …): 甄选、培训和指导下属
        opening = opening and flag.startswith(_OPENERS)
        if seen_verb and flag.startswith(_OBJECT) and not flag.startswith("v"):
            return True
        if flag.startswith(("v", "i", "l")):
            seen_verb = True
        elif len(word) >= 4 and _verb_object_word(word, table):
            return True
    # No action on an object: a noun phrase is wrong only when it ends on the activity (订单处理);
    # jieba's dictionary misses too many verbs (清点 n) to fault a text that ends on its object.
    return not flag.startswith("v")


def _verb_object_word(word: str, table: dict[str, str]) -> bool:
    """True for one dictionary word that is a verb and its object: 整理资料, 收集信息."""
    head, rest = word[:2], word[2:]
    return (head in _ALSO_VERBS or table.get(head, "").startswith("v")) and table.get(rest, "n").startswith("n")
