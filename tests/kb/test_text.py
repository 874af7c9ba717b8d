"""Normalisation and segmentation, without an app."""
import pytest

from crmweb.kb import text


def test_traditional_full_width_and_case_fold_together():
    assert text.normalise("發票開錯了") == "发票开错了"
    assert text.normalise("ＶＩＰ申請") == "vip申请"


def test_terms_hold_words_bigrams_and_single_characters():
    terms = text.terms(text.normalise("设备出现故障如何报修"))
    assert terms["w:报修"] == 1 and terms["w:故障"] == 1
    assert terms["b:报修"] == 1 and terms["b:备出"] == 1
    assert terms["c:修"] == 1


def test_latin_words_and_numbers_stay_whole():
    terms = text.terms(text.normalise("ATM 和 POS 机，400 电话"))
    assert terms["w:atm"] == 1 and terms["w:pos"] == 1 and terms["w:400"] == 1


def test_query_weights_words_over_bigrams_over_characters():
    weights = text.query_terms("报修", [])
    assert weights["w:报修"] > weights["b:报修"] > weights["c:报"]


def test_synonyms_join_the_query_at_a_lower_weight():
    synonyms = text.synonym_map([["报修", "维修", "修理"]])
    weights = text.query_terms("报修", text.synonyms_in("报修", synonyms))
    assert 0 < weights["w:维修"] < weights["w:报修"]
    assert "w:修理" in weights


def test_synonym_lines_accept_the_usual_separators():
    assert text.parse_synonym_line("報修 = 维修，修理、检修") == ["报修", "维修", "修理", "检修"]


def test_highlight_marks_traditional_text_by_its_simplified_words():
    assert str(text.highlight("發票開錯了", ["发票"])) == "<mark>發票</mark>開錯了"
    assert str(text.highlight("<b>报修</b>", ["报修"])) == "&lt;b&gt;<mark>报修</mark>&lt;/b&gt;"


@pytest.mark.parametrize("query, composing", [("bao'xiu", True), ("fa'piao kai", True), ("报修", False),
                                              ("iphone", False), ("o'neil", True)])
def test_an_input_methods_unfinished_composition_is_told_apart(query, composing):
    assert text.is_composing(query) is composing
