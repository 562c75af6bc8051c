"""References after GB/T 7714—2025 and the punctuation Chinese readers expect."""

from __future__ import annotations

import pytest

from studybrief.citation import named_articles, number_references, reference
from studybrief.model import Article
from studybrief.typography import balance, chinese_date, display, prose, punctuate, quotation


def article(**fields) -> Article:
    values = dict(id="a", file="f.txt", first=1, last=2, title="数字革命与竞争国际化", outlet="中国青年报",
                  authors=["丁文详"], date="2000-11-20", kind="N", script="simplified", noise=[], line=1, page="15")
    return Article(**{**values, **fields})


def test_newspaper_article_as_in_the_standard():
    assert reference(article()) == "丁文详. 数字革命与竞争国际化[N]. 中国青年报，2000–11–20（15）."


def test_unknown_data_is_left_out_or_marked_never_guessed():
    assert reference(article(outlet=None, date=None, page=None)) == "丁文详. 数字革命与竞争国际化[N]. [出版者不详]."
    assert reference(article(title=None, supplied_title="数字化应用,也要“减肥增肌”", authors=[])) == \
        "[数字化应用，也要“减肥增肌”][N]. 中国青年报，2000–11–20（15）."


def test_more_than_three_authors_and_subtitles():
    assert reference(article(authors=["甲", "乙", "丙", "丁"], subtitle="副题", page=None, date=None)) == \
        "甲，乙，丙，等. 数字革命与竞争国际化：副题[N]. 中国青年报."
    # other title information follows ``：`` even after the headline's own question mark
    assert reference(article(title="何在?", subtitle="之四", page=None, date=None)).startswith("丁文详. 何在？：之四[N]")


def test_report():
    assert reference(article(kind="R", outlet=None, date=None, page=None)) == \
        "丁文详. 数字革命与竞争国际化[R]. [出版地不详]：[出版者不详]."


def test_numbered_in_order_of_first_citation():
    articles = {"x": article(id="x"), "y": article(id="y", title="乙文")}
    assert [(r.number, i) for i, r in number_references(["y", "x", "y"], articles).items()] == [(1, "y"), (2, "x")]


def test_prose_names_an_article_by_its_title_in_any_script_or_width():
    articles = {"x": article(id="x", title="株洲幹部需大干一場"), "y": article(id="y", title="乙文,丙")}
    assert named_articles("《株洲干部需大干一场》说，《乙文，丙》与《别的书》", articles) == [(11, "x"), (19, "y")]


@pytest.mark.parametrize("passage, shown", [
    ("甲说“乙”。", "“甲说‘乙’。”"),
    ("“我在讲。”", "“我在讲。”"),  # already one whole quotation: not wrapped twice
    ("“甲”和“乙”", "“‘甲’和‘乙’”"),
    ("应用‘关停并转’后", "“应用‘关停并转’后”"),  # cut from inside a quotation: its marks are already one level down
    ("他说“她说‘对’”", "“他说‘她说“对”’”"),
])
def test_passages_nest_quotation_marks_as_gb_t_15834(passage, shown):
    assert quotation(passage) == shown


@pytest.mark.parametrize("typed, shown", [
    ("浙苏皖行:为什么要去这些地方?学什么?", "浙苏皖行：为什么要去这些地方？学什么？"),
    ("采用VR(虚拟现实)技术", "采用VR（虚拟现实）技术"),
    ("共1,000家, 时间11:34", "共1,000家，时间11:34"),
    ("Hello, world (test)", "Hello, world (test)"),
])
def test_half_width_punctuation_between_chinese_becomes_full_width(typed, shown):
    assert punctuate(typed) == shown


def test_display_converts_traditional_and_prose_drops_line_join_spaces():
    assert display("以自己落后的無知,質疑人家", "traditional") == "以自己落后的无知，质疑人家"
    assert prose("货物， 其中\n一批") == "货物，其中一批"
    assert prose("对标先进园区　做强主导产业链") == "对标先进园区　做强主导产业链"  # a typed U+3000 stays
    assert chinese_date("2026-01-05") == "2026年1月5日"


@pytest.mark.parametrize("title, width, lines", [
    ("学习先进地区招商引资与营商环境经验专题学习会", 20, ["学习先进地区招商引资", "与营商环境经验专题学习会"]),
    ("对标先进园区　做强主导产业链专题学习会", 18, ["对标先进园区", "做强主导产业链专题学习会"]),  # at the typed space
    ("赴先进地区学习考察经验启示专题学习会", 20, ["赴先进地区学习考察经验启示专题学习会"]),
    ("产业园区缺生活配套，昆山当年是怎样补上的？", 20, ["产业园区缺生活配套，", "昆山当年是怎样补上的？"]),
])
def test_a_long_title_breaks_into_balanced_lines_at_a_sensible_place(title, width, lines):
    assert balance(title, width) == lines
