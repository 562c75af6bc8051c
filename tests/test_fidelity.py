"""Crafted lessons that `check` once accepted: each way a wrong figure or a misread sentence reached a brief."""

from __future__ import annotations

import subprocess
import sys
from decimal import Decimal

import opencc
import pytest

from studybrief.checks import UNPRINTED, printed
from studybrief.model import LESSON

from .conftest import ROOT, docx_text, pdf_text
from .test_checks import only

PROBE = (ROOT / "tests/fixtures/probe.yaml").read_text(encoding="utf-8")
YIWU_QUOTE = "根据测算,这项改革,一年就可以为企业节约成本6000余万元。"


def probe(*replacements: tuple[str, str]) -> str:
    """Return the probe lesson with each (old, new) replaced; fail if an old text is missing."""
    text = PROBE
    for old, new in replacements:
        assert old in text, old
        text = text.replace(old, new)
    return text


BACKGROUND = ("外贸企业为省运费普遍拼箱出运。", "外贸企业为省运费普遍拼箱出运。{}")


def with_background(sentence: str) -> str:
    return probe((BACKGROUND[0], BACKGROUND[1].format(sentence)))


# --- numbers are whole tokens -------------------------------------------------------------------------------

def test_a_passage_number_is_never_a_piece_of_a_longer_article_number(project, write_lesson):
    path = write_lesson(quote="这项改革,一年就可以为企业节约成本600")
    [message] = only(project, path)
    assert "quote not found in article zzrb-yangtze-trip: «这项改革,一年就可以为企业节约成本600»" in message


def test_the_cut_passage_does_not_license_its_piece_of_number(project, write_lesson):
    path = write_lesson(text=probe(("      - 小地方,只要有勇气", "      - 这项改革,一年就可以为企业节约成本600\n      - 小地方,只要有勇气"),
                                   (BACKGROUND[0], "外贸企业为省运费普遍拼箱出运，改革一年节约600亿元。")))
    found = only(project, path)
    assert any("quote not found" in p for p in found)
    assert f"{path}:5: number 600亿 (= 60000000000) in background does not occur in any quoted passage" in found


def test_whitespace_inside_a_number_is_not_ignored(project, write_lesson):
    path = write_lesson(text=probe((f"quote: {YIWU_QUOTE}", "quote: 这项改革,一年就可以为企业节约成本60 00余万元。"),
                                   ("figure: 6000余万元", "figure: 60余万元")))
    found = only(project, path)
    assert any(p.startswith(f"{path}:15: quote not found") for p in found)
    assert any("figure 60余万 (= 600000) in result '60余万元' does not occur in its quote" in p for p in found)


def test_thousands_separator_is_one_number(project, write_lesson):
    path = write_lesson(text=with_background("改革一年为企业节约成本6,000余万元。"))
    assert only(project, path) == []


# --- every printed field on its own ---------------------------------------------------------------------

def test_numbers_in_places_are_checked(project, write_lesson):
    path = write_lesson(text=probe(("places: [义乌]", "places: [义乌, 义乌987号]")))
    found = only(project, path)
    assert f"{path}:3: number 987 in places does not occur in any quoted passage" in found
    assert f"{path}:3: places '义乌987号' does not occur in the cited article; name it as the article does" in found


def test_figure_and_meaning_are_not_joined_into_a_phantom_number(project, write_lesson):
    path = write_lesson(text=probe(("figure: 30多项、40多项", 'figure: "30"'), ("meaning: 义乌先后承接的国家级、省级改革任务",
                                                                          "meaning: 40多项省级改革任务")))
    found = only(project, path)
    assert not any("3040" in p for p in found)
    assert found == [f"{path}:16: figure 30 in result '30' does not occur in its quote; the quote says 30多: keep its "
                     f"多/余/近/约"]


def test_every_lesson_key_is_printed_and_checked_or_declared_unprinted(corpus):
    lessons = corpus[0].lessons.values()
    keys = {("results" if p.key in ("figure", "meaning") else p.key) for lesson in lessons for p in printed(lesson)}
    assert keys | UNPRINTED == set(LESSON.fields)


# --- Chinese numerals ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("sentence, number", [
    ("改革一年为企业节约成本六千万元。", "六千万 (= 60000000)"),
    ("义乌先后承接了五十多项国家级改革。", "五十多 (= 50)"),
    ("义乌为此培训了百名报关员。", "百 (= 100)"),
    ("改革吸引投资1.56亿美元。", "1.56亿 (= 156000000)"),
    ("基金规模2175.52亿元。", "2175.52亿 (= 217552000000)"),
    ("有近三十多家企业受益。", "近三十多 (= 30)"),
])
def test_chinese_and_mixed_numerals_are_held_to_the_quotes(project, write_lesson, sentence, number):
    path = write_lesson(text=with_background(sentence))
    assert only(project, path)[0].startswith(f"{path}:5: number {number} in background does not occur")


@pytest.mark.parametrize("sentence", ["改革一年为企业节约成本六千多万元。", "义乌先后承接了三十多项国家级改革。",
                                      "改革一年为企业节约成本六千余万元，承接改革三十余项。"])
def test_chinese_numerals_the_quotes_state_pass(project, write_lesson, sentence):
    path = write_lesson(text=with_background(sentence))
    assert only(project, path) == []


def test_a_dropped_hedge_is_named(project, write_lesson):
    path = write_lesson(text=with_background("改革一年为企业节约成本6000万元。"))
    assert only(project, path) == [f"{path}:5: number 6000万 (= 60000000) in background does not occur in any quoted "
                                   f"passage; the quote says 6000余万: keep its 多/余/近/约"]


def test_numeral_values():
    from studybrief.numerals import numbers
    assert [(n.value, n.percent, n.hedge) for n in numbers("一亿二千万、三千五、二〇二三年、百分之三十、约150家、超310家")] == [
        (Decimal(120000000), False, ""), (Decimal(3500), False, ""), (Decimal(2023), False, ""), (Decimal(30), True, ""),
        (Decimal(150), False, "约"), (Decimal(310), False, "多")]
    assert numbers("十分重要、千方百计、统一部署、上千个零件、最近30天")[0].hedge == ""
    assert len(numbers("十分重要、千方百计、统一部署、上千个零件")) == 0


# --- passages ---------------------------------------------------------------------------------------------

def test_a_passage_is_at_least_a_clause(project, write_lesson):
    path = write_lesson(quote="的")
    assert only(project, path) == [f"{path}:12: passage «的» is too short to stand as a quote (1 letters or digits); "
                                   f"quote at least a clause, 8 or more"]


def test_a_result_quote_must_contain_its_figure(project, write_lesson):
    path = write_lesson(text=probe(("figure: 6000余万元", "figure: 全国第一")))
    assert f"{path}:13: figure '全国第一' does not occur in its quote" in only(project, path)


def test_traditional_quote_of_a_simplified_article_is_refused(project, write_lesson):
    path = write_lesson(quote="小地方,只要有勇氣,也可以有大舞臺、大作為。")
    assert only(project, path) == [f"{path}:12: quote «小地方,只要有勇氣,也可以有大舞臺、大作為。» is typed in traditional "
                                   f"characters, but article zzrb-yangtze-trip is printed in simplified ones: quote it "
                                   f"as printed"]


def test_invisible_character_is_named_with_its_position(project, write_lesson):
    path = write_lesson(quote="小地方,只要有\u200b勇气,也可以有大舞台、大作为。")
    [message] = only(project, path)
    assert message.endswith("it holds an invisible character: U+200B ZERO WIDTH SPACE at character 8")


# --- guards for the prose ----------------------------------------------------------------------------------

def test_relative_date_names_the_year_the_article_means(project, write_lesson):
    text = ("id: probe\ntitle: 天元区如何重回全市首位？\nplaces: [天元区]\nthemes: [reform-innovation]\n"
            "background: 今年上半年，天元区规模工业增加值增长10.8%。\nactions: [做法。]\ntakeaways: [启示。]\n"
            "questions: [今年我们能做什么？]\nsources:\n  - article: tianyuan-high-tech\n    passages:\n"
            "      - 今年上半年經濟數據顯示,天元區規模工業增加值增長10.8%,重回“全市首位”\n")
    path = write_lesson(text=text)
    assert only(project, path) == [f"{path}:5: relative date '今年上半年' in background: the article is dated 2023-11-15, "
                                   f"so it means 2023年上半年; write that"]


@pytest.mark.parametrize("sentence, word", [("去年以来，义乌承接改革。", "去年以来"), ("近日，义乌开展试点。", "近日"),
                                            ("上半年义乌试点改革。", "上半年"), ("日前，义乌出台办法。", "日前")])
def test_relative_date_of_an_undated_article(project, write_lesson, sentence, word):
    path = write_lesson(text=with_background(sentence))
    assert only(project, path) == [f"{path}:5: relative date '{word}' in background: the article gives no year, so the "
                                   f"brief cannot say when that was; write 报道时 or drop the time"]


def test_quoted_phrase_must_be_the_articles(project, write_lesson):
    path = write_lesson(text=probe(("  - 降成本不只靠减税让利", "  - “以投带引”：降成本不只靠减税让利")))
    assert only(project, path) == [f"{path}:20: quoted phrase “以投带引” in takeaways does not occur in the cited "
                                   f"article; quote its words or drop the marks"]


def test_place_must_be_in_the_article(project, write_lesson):
    path = write_lesson(text=probe(("places: [义乌]", "places: [义乌, 福建宁德]")))
    assert only(project, path) == [f"{path}:3: places '福建宁德' does not occur in the cited article; name it as the "
                                   f"article does"]


def test_for_our_city_says_whose_city(project, write_lesson):
    path = write_lesson(text=probe(("for_city: 株洲\n", "")))
    assert only(project, path) == [f"{path}:23: for_our_city needs for_city: the city the article addresses it to "
                                   f"(株洲, 杭州 …)"]


DJI = ("前后耗时近一年,高素质的深圳干部帮助大疆在世界海关组织协调度委员会上争取到了新的定义——“会飞的照相机”,"
       "成功拿到了国际贸易的“通行证”。")


def test_a_quote_may_cross_the_join_of_a_displaced_line(project, write_lesson):
    path = write_lesson(article="zzrb-cadres-dagan", quote=DJI, place="深圳")
    assert only(project, path) == []


def test_a_displaced_line_is_not_read_where_it_was_printed(project, write_lesson):
    path = write_lesson(article="zzrb-cadres-dagan", quote="所谓“少知而迷、不知而言、无知而乱”,只有成为行家里手,才能得心应手,"
                                                           "成为高质量发展的“最佳助手”。度委员会上争取到了新的定义", place="深圳")
    assert len(only(project, path)) == 1


def test_continues_must_name_another_line(project):
    registry = project / "seeds/articles.yaml"
    registry.write_text(registry.read_text(encoding="utf-8").replace('continues: "135"', 'continues: "9999"'),
                        encoding="utf-8")
    result = subprocess.run([sys.executable, str(ROOT / "build.py"), "--root", str(project), "check"],
                            capture_output=True, text=True)
    assert result.returncode == 1
    assert "article zzrb-cadres-dagan: continues '9999' is not one other line of the article" in result.stderr


def test_support_report_lists_the_weakest_sentences_and_does_not_fail(project, write_lesson):
    write_lesson(text=with_background("这句话与原文毫无共同之处，纯属臆测。"))
    result = subprocess.run([sys.executable, str(ROOT / "build.py"), "--root", str(project), "check", "--support"],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    probe_lines = [line for line in result.stdout.splitlines() if "probe.yaml" in line]
    assert len(probe_lines) == 3
    assert probe_lines[0].startswith(f"{project / 'content/lessons/probe.yaml'}:5: background, ")
    assert probe_lines[0].endswith("supported: «这句话与原文毫无共同之处,纯属臆测。»")


def test_for_our_city_heading_names_the_city_it_is_addressed_to(built):
    for text in (pdf_text(built / "default/compendium.pdf"), docx_text(built / "default/compendium.docx")):
        assert "对我们的借鉴" in text and "对杭州的借鉴" in text and "对延安的借鉴" in text


# --- the same classes, other forms: the rule, not the example ---------------------------------------------

@pytest.mark.parametrize("sentence, number", [
    ("两千家企业受益。", "两千 (= 2000)"),
    ("培训一百二十余名报关员。", "一百二十余 (= 120)"),
    ("惠及1.2万家企业。", "1.2万 (= 12000)"),
    ("成本下降百分之三十。", "百分之三十 (= 30%)"),
    ("三分之一的企业受益。", "三分之一 (= 0.3333)"),
    ("每家企业节约3至5万元。", "3 (= 30000)"),
    ("五家企业率先试点。", "五 (= 5)"),
    ("九成企业选择拼箱。", "九成 (= 90%)"),
])
def test_other_numeral_forms_are_held_to_the_quotes(project, write_lesson, sentence, number):
    path = write_lesson(text=with_background(sentence))
    assert f"{path}:5: number {number} in background does not occur in any quoted passage" in only(project, path)


def test_one_value_in_any_notation():
    from studybrief.numerals import numbers

    def claims(text: str) -> list[tuple[Decimal, bool, str]]:
        return [(n.value, n.percent, n.hedge) for n in numbers(text)]

    assert claims("三分之一") == claims("1/3")
    assert claims("九成") == claims("90%") and claims("近四成") == claims("近40%")
    assert claims("两千") == claims("2000") == claims("2,000") and claims("1.2万") == claims("12000")
    assert claims("百分之3.5") == claims("3.5%") and claims("一百二十余") == claims("120余")
    assert claims("3至5万元") == [(Decimal(30000), False, ""), (Decimal(50000), False, "")]
    assert claims("三至五成") == [(Decimal(30), True, ""), (Decimal(50), True, "")]
    # no quantity: a lone 一, an order, two digits side by side, an idiom
    assert claims("一家企业、第二条经验、两三个环节、三番五次、二次创业、统一部署、一成不变") == []


@pytest.mark.parametrize("character, name", [("\u200b", "ZERO WIDTH SPACE"), ("\ufeff", "ZERO WIDTH NO-BREAK SPACE"),
                                             ("\u2060", "WORD JOINER"), ("\u00ad", "SOFT HYPHEN"),
                                             ("\u200d", "ZERO WIDTH JOINER")])
def test_every_invisible_character_is_named_in_a_quote_and_in_prose(project, write_lesson, character, name):
    path = write_lesson(quote=f"小地方,只要有{character}勇气,也可以有大舞台、大作为。")
    [message] = only(project, path)
    assert message.endswith(f"it holds an invisible character: U+{ord(character):04X} {name} at character 8")
    path = write_lesson(text=with_background(f"义乌{character}试点。"))
    assert only(project, path) == [f"{path}:5: background holds an invisible character: U+{ord(character):04X} {name} "
                                   f"at character 35; delete it"]


@pytest.mark.parametrize("article, quote, place", [
    ("zzrb-cadres-dagan", "在干部队伍专业化建设的赛道上,株洲亟待抢跑。", "株洲"),
    ("hz-south-study", "在广州举办亚运会前,珠江新城和钱江新城曾经是相互学习的对象。", "杭州"),
    ("yanan-yangtze-report", "产业发展需要保持战略定力,认准了就干,十年磨一剑,一张蓝图绘到底。", "延安"),
])
def test_traditional_quote_of_any_simplified_article_is_refused(project, write_lesson, article, quote, place):
    assert only(project, write_lesson(article=article, quote=quote, place=place)) == []
    traditional = opencc.OpenCC("s2t.json").convert(quote)
    assert traditional != quote
    path = write_lesson(article=article, quote=traditional, place=place)
    assert only(project, path) == [f"{path}:12: quote «{traditional}» is typed in traditional characters, but article "
                                   f"{article} is printed in simplified ones: quote it as printed"]


@pytest.mark.parametrize("place", ["浙江义乌", "义乌市", "金华义乌", "宁德"])
def test_any_place_not_in_the_article_is_refused(project, write_lesson, place):
    path = write_lesson(text=probe(("places: [义乌]", f"places: [义乌, {place}]")))
    assert only(project, path) == [f"{path}:3: places '{place}' does not occur in the cited article; name it as the "
                                   f"article does"]


def test_a_place_of_a_traditional_article_may_be_written_in_simplified(project, write_lesson):
    path = write_lesson(article="tianyuan-high-tech", quote="以自己落后的无知,质疑人家的合法性和先进性。", place="株洲高新区")
    assert only(project, path) == []


@pytest.mark.parametrize("marked", ["「以投带引」", "『以投带引』", "‘以投带引’", '"以投带引"', "＂以投带引＂", "〝以投带引〞"])
def test_every_kind_of_quotation_mark_claims_the_articles_words(project, write_lesson, marked):
    path = write_lesson(text=probe(("  - 降成本不只靠减税让利", f"  - 降成本{marked}不只靠减税让利")))
    assert only(project, path) == [f"{path}:20: quoted phrase “以投带引” in takeaways does not occur in the cited "
                                   f"article; quote its words or drop the marks"]


@pytest.mark.parametrize("word", ["如今", "眼下", "现在", "当前", "目前", "近年来", "今年初", "本月", "上周", "前不久",
                                  "去年底", "近期", "时下", "最近", "明年", "年内"])
def test_other_relative_dates_in_an_undated_article(project, write_lesson, word):
    path = write_lesson(text=with_background(f"{word}，义乌开展试点。"))
    assert only(project, path) == [f"{path}:5: relative date '{word}' in background: the article gives no year, so the "
                                   f"brief cannot say when that was; write 报道时 or drop the time"]


@pytest.mark.parametrize("word, meant", [("去年底", "2022年底"), ("前年", "2021年"), ("本月", "报道时（2023年11月）"),
                                         ("如今", "报道时（2023年11月）"), ("下半年", "2023年下半年")])
def test_other_relative_dates_in_a_dated_article(project, write_lesson, word, meant):
    text = ("id: probe\ntitle: 天元区如何重回全市首位？\nplaces: [天元区]\nthemes: [reform-innovation]\n"
            f"background: {word}，天元区推进改革。\nactions: [做法。]\ntakeaways: [启示。]\nquestions: [问题？]\n"
            "sources:\n  - article: tianyuan-high-tech\n    passages:\n      - 以自己落后的無知,質疑人家的合法性和先進性。\n")
    path = write_lesson(text=text)
    assert only(project, path) == [f"{path}:5: relative date '{word}' in background: the article is dated 2023-11-15, "
                                   f"so it means {meant}; write that"]


def test_the_articles_own_date_and_words_that_are_no_dates_pass(project, write_lesson):
    text = ("id: probe\ntitle: 天元区如何重回全市首位？\nplaces: [天元区]\nthemes: [reform-innovation]\n"
            "background: 报道时（2023年11月），天元区推进改革，成效体现在产业上，2023年内几经调整，说明年轻干部"
            "以上年均水平为准，至今年均增长，过去年代。\nactions: [做法。]\n"
            "takeaways: [启示。]\nquestions: [今年我们能做什么？]\n"
            "sources:\n  - article: tianyuan-high-tech\n    passages:\n      - 以自己落后的無知,質疑人家的合法性和先進性。\n")
    path = write_lesson(text=text)
    assert only(project, path) == []
