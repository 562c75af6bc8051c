"""The detector against the five hand-made registry entries: every article found exactly, noise P/R >= 0.9 per file."""

from __future__ import annotations

from studybrief.cli import main
from studybrief.intake.detect import detect, fold
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
