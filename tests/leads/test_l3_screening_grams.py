from __future__ import annotations

from leads.rules.screening import dice, grams, rarest


def test_it_compares_chinese_text_by_character_bigrams():
    a = grams("反映王伟的配偶经营ＫＴＶ，涉嫌违规经商")
    b = grams("王伟配偶经营KTV违规经商办企业")
    c = grams("李娜插手干预他人案件")
    assert "王伟" in a and "ktv"[:2] in a  # full-width folded, lower-cased
    assert dice(a, b) > 0.4 > dice(a, c)
    assert dice(set(), a) == 0.0


def test_it_picks_the_rarest_known_grams():
    freq = {"王伟": 3, "配偶": 900, "经营": 5000}
    assert rarest({"王伟", "配偶", "经营", "未知"}, freq, k=2) == ["王伟", "配偶"]
