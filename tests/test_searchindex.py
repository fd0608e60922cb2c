"""The words the search index gains for readers on Zensical: title slips and dictionary sub-words."""

from __future__ import annotations

from generator.site.searchindex import inner_words, slips


def test_slips_are_the_title_characters_and_the_pairs_one_apart() -> None:
    assert slips("续保专员") == ["续", "保", "专", "员", "续专", "保员"]
    assert slips("分管经理") == ["分", "管", "经", "理", "分经", "管理"]  # 管理: 分管理 typed for 分管经理
    assert slips("质检专员(QA)") == ["质", "检", "专", "员", "质专", "检员"]  # Latin letters are words already


def test_inner_words_find_dictionary_words_inside_longer_ones() -> None:
    found = inner_words("开会无故缺席扣 2 分。日活动量即每天打电话的通时")
    assert {"缺席", "无故", "电话", "每天"} <= set(found)
    assert all(len(w) == 2 for w in found)
    assert len(found) == len(set(found))
    assert inner_words("KPI 100 %") == []
