"""The detector against the five hand-made registry entries: every article found exactly, noise P/R >= 0.9 per file."""

from __future__ import annotations

from studybrief.cli import main
from studybrief.intake.detect import detect
from studybrief.intake.genre import fold
from studybrief.intake.measure import score

from ..conftest import ROOT


def test_every_seed_article_is_found_with_exact_boundaries_and_noise_is_found_well() -> None:
    scores = score(ROOT)
    assert len(scores) == 5
    for s in scores:
        assert s.exact == s.articles, s
        assert s.precision >= 0.9 and s.recall >= 0.9, s


def test_the_table_is_printed_by_a_documented_command(capsys) -> None:
    assert main(["measure-intake"]) == 0
    out = capsys.readouterr().out
    assert "| 002_6152aaac043bb9ee.txt | 7 | 7 |" in out
    assert "build.py measure-intake" in (ROOT / "README.md").read_text(encoding="utf-8")


def test_traditional_script_is_read_with_the_same_rules_and_reported_as_printed() -> None:
    lines = ["天元區的經驗", "", "本報記者 譚昕吾", "", "當我們談論起株洲高新區,會談起什麼?產業是關鍵,這是大家的共識,也是發展的根本所在。",
             "", "版權作品,未經授權嚴禁轉載。"]
    (article,) = detect(lines).articles
    assert article.meta["script"] == "traditional" and article.meta["authors"] == ["譚昕吾"]
    assert article.meta["title"] == "天元區的經驗" and sorted(article.noise) == [3, 7]
    assert fold("本報訊") == "本报讯"


def test_nothing_is_guessed_a_page_without_byline_or_date_keeps_them_null() -> None:
    (article,) = detect(["一段没有署名的文字,讲的是某地如何优化营商环境,做法很多,成效也很明显,值得我们学习借鉴。"]).articles
    assert article.meta["authors"] is None and article.meta["date"] is None and article.meta["outlet"] is None
    assert "date: not stated in the text" in article.notes


def test_web_bylines_and_publication_lines_of_news_sites() -> None:
    lines = ["园区服务的三个转变", "", "发布时间:2024-03-08  来源:市发展改革委", "", "文/陈晓 刘洋", "",
             "今年以来,园区把服务企业作为头等大事,推出了一系列务实举措,企业满意度明显提升,营商环境持续优化。", "",
             "扫码关注公众号"]
    (article,) = detect(lines).articles
    assert article.meta["date"] == "2024-03-08" and article.meta["authors"] == ["陈晓", "刘洋"]
    assert article.meta["title"] == "园区服务的三个转变" and sorted(article.noise) == [3, 5, 9]


def test_a_publication_line_byline_and_dateline_in_a_row_open_one_article() -> None:
    lines = ["高新区签约12个项目", "", "2024-05-06 09:00 来源:某某日报", "", "记者 钱明", "",
             "本报讯(记者 钱明 通讯员 韩雪)6日,高新区举行项目集中签约活动,共签约项目12个,总投资86亿元。"]
    (article,) = detect(lines).articles
    assert (article.first, article.last) == (1, 7) and article.meta["authors"] == ["钱明", "韩雪"]
    assert article.meta["outlet"] == "某某日报" and sorted(article.noise) == [3, 5]


def test_an_account_and_date_line_under_the_headline_is_the_publication_line() -> None:
    lines = ["赴苏州学习考察的几点体会", "", "市发改委 2024年4月2日 09:30", "",
             "为学习借鉴先进地区经验,3月下旬,我委组织赴苏州工业园区开展学习考察。现将有关情况报告如下。"]
    (article,) = detect(lines).articles
    assert article.meta["date"] == "2024-04-02" and "subtitle" not in article.meta and sorted(article.noise) == [3]
