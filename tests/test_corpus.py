"""The lesson corpus: every article taught, every lesson complete and cited."""

from __future__ import annotations

from collections import Counter

import pytest

from studybrief.checks import check
from studybrief.load import load_corpus

from .conftest import ROOT


@pytest.fixture(scope="module")
def corpus():
    corpus, problems = load_corpus(ROOT)
    assert problems + check(corpus) == []
    return corpus


def test_every_article_is_cited_by_a_lesson(corpus):
    cited = {s.article for lesson in corpus.lessons.values() for s in lesson.sources}
    assert cited == set(corpus.articles)


def test_lessons_per_article(corpus):
    first = Counter(lesson.sources[0].article for lesson in corpus.lessons.values())
    assert first["zzrb-yangtze-trip"] == 7  # its seven numbered sections
    assert first["tianyuan-high-tech"] >= 3 and first["hz-south-study"] >= 3 and first["zzrb-cadres-dagan"] >= 3
    assert first["yanan-yangtze-report"] >= 2  # its 一、工作情况 is empty and gives none
    for item in ("zj-deqing-apps", "zj-lishui-latam", "zj-shaoxing-bluecollar", "zj-shangyu-immigration",
                 "zj-jiashan-ip-police", "zj-tongxiang-eco-comp"):
        assert first[item] == 1, item
    assert 28 <= len(corpus.lessons) <= 40


def test_every_lesson_is_complete(corpus):
    for lesson in corpus.lessons.values():
        assert lesson.sources and all(s.passages for s in lesson.sources), lesson.id
        assert 2 <= len(lesson.questions) <= 3, lesson.id
        assert 1 <= len(lesson.themes) <= 3 and lesson.takeaways, lesson.id
        assert lesson.actions if lesson.kind == "经验" else lesson.problem and lesson.causes, lesson.id
        assert lesson.title.endswith("？"), lesson.id
        assert lesson.path.stem == lesson.id


def test_stories_told_by_two_articles_cite_both(corpus):
    assert {s.article for s in corpus.lessons["kunshan-coffee-chain"].sources} == {"zzrb-yangtze-trip", "zzrb-cadres-dagan"}
    assert {s.article for s in corpus.lessons["zhuzhou-chip-firm-left"].sources} == {"tianyuan-high-tech",
                                                                                   "zzrb-cadres-dagan"}


def test_glossary_comes_from_the_yanan_report_and_is_used(corpus):
    assert len(corpus.glossary) == 9
    assert {s.article for term in corpus.glossary.values() for s in term.sources} == {"yanan-yangtze-report"}
    assert {t for lesson in corpus.lessons.values() for t in lesson.terms}


def test_themes_are_a_controlled_vocabulary_all_in_use(corpus):
    used = Counter(t for lesson in corpus.lessons.values() for t in lesson.themes)
    assert 10 <= len(corpus.themes) <= 15
    assert set(used) == set(corpus.themes)
