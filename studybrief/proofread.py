"""The proofreading pass: the office's own voice, as an editor marks it before a brief goes out.

Warnings, not errors: `check` prints them, `check --strict` refuses them. Lesson prose is read
outside its “quotations” (a quotation is the article's voice, not the office's) against the word
list in content/proofreading.yaml, which an office extends as it extends its 校对 word list.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from .errors import ContentError, Problem
from .excerpts import ALL, key_passages
from .i18n import N_, _
from .matching import fold
from .model import Corpus, Lesson
from .schema import TEXTS, WORDS, Field, Spec, validate
from .selection import reading_order, select
from .yamlfile import load

WORD_LIST = Path("content") / "proofreading.yaml"
WORD_LIST_SPEC = Spec(N_("proofreading word list"), {
    "meta_narration": Field(TEXTS, N_("phrases that narrate the article instead of speaking for the office; "
                                      "… stands for up to 8 characters of one clause")),
    "informal": Field(WORDS, N_("informal words and newspaper flourishes, each with what to write instead")),
    "confusions": Field(WORDS, N_("common confusions, each with the correct form")),
})
_QUOTATION = re.compile(r"“[^”]*”|‘[^’]*’|「[^」]*」")
_WILDCARD = "[^，。；：！？、“”,.;:!?]{0,8}"
_WRITE_TO = re.compile(r"写到[：:，,]?\s*[“‘]|写到[：:]")  # 写到 introducing what is written: 写道
_FIRST_PERSON = re.compile(r"我市|我们|我省|本市|我区|我县")


@dataclass
class WordList:
    """The office's word list: meta-narration patterns, and informal words and confusions with advice."""

    meta: list[tuple[str, re.Pattern]]
    advice: dict[str, str]

    @classmethod
    def read(cls, root: Path) -> WordList:
        """Return the word list under ``root``, or raise ContentError locating what is wrong with it."""
        path = root / WORD_LIST
        document = load(path)
        problems = validate(document, WORD_LIST_SPEC, path)
        if problems:
            raise ContentError(problems)
        advice = {str(word): fix for key in ("informal", "confusions") for word, fix in document[key].items()}
        meta = [(p, re.compile(_WILDCARD.join(re.escape(part) for part in p.split("…"))))
                for p in document["meta_narration"]]
        return cls(meta, advice)


def outside_quotations(text: str) -> str:
    """Return ``text`` with its quotations blanked out, so positions still line up."""
    return _QUOTATION.sub(lambda m: "　" * len(m.group()), text)


def _prose(lesson: Lesson) -> Iterable[tuple[str, str]]:
    yield "title", lesson.title
    yield "background", lesson.background
    if lesson.problem:
        yield "problem", lesson.problem
    for key in ("actions", "causes", "takeaways", "questions"):
        for text in getattr(lesson, key):
            yield key, text
    for result in lesson.results:
        yield "results", result.meaning
    if lesson.for_our_city:
        yield "for_our_city", lesson.for_our_city


def hits(text: str, words: WordList) -> list[str]:
    """Return what an editor would mark in ``text`` (the office's voice), one message per mark, longest first."""
    own = outside_quotations(text)
    found = [(m.start(), m.end(), _("meta-narration «{words}»: speak for the office and attribute facts, "
                                    "e.g. 据《株洲日报》报道").format(words=m.group())) for _phrase, pattern in words.meta
             for m in pattern.finditer(own)]
    found += [(m.start(), m.end(), _("«{word}»: {fix}").format(word=word, fix=fix)) for word, fix in words.advice.items()
              for m in re.finditer(re.escape(word), own)]
    found += [(m.start(), m.end(), _("«写到» before what is written: 写道")) for m in _WRITE_TO.finditer(own)]
    marked: list[tuple[int, int, str]] = []
    for start, end, message in sorted(found, key=lambda f: f[0] - f[1]):
        if not any(start < e and s < end for s, e, _ in marked):  # one mark per place: 日渐铿锵, not also 铿锵
            marked.append((start, end, message))
    return [message for _, _, message in sorted(marked)]


def _lesson_warnings(lesson: Lesson, words: WordList) -> list[Problem]:
    return [Problem(lesson.path, lesson.line_of[key], _("warning: {key}: {message}").format(key=key, message=message))
            for key, text in _prose(lesson) for message in hits(text, words)]


def _first_person(lesson: Lesson, corpus: Corpus, city: str, shown: set[tuple[int, int]] | None) -> list[Problem]:
    """Return where another city's 我市/我们 is shown to readers in ``city``, who would take it for their own."""
    problems = []
    for i, source in enumerate(lesson.sources):
        article = corpus.articles.get(source.article)
        if article is None or not article.city or article.city == city:
            continue
        for j, passage in enumerate(source.passages):
            word = _FIRST_PERSON.search(passage.text)
            if word and (shown is None or (i, j) in shown):
                problems.append(Problem(lesson.path, passage.line,
                                        _("warning: passage of a {city} article says «{word}», shown "
                                          "to readers in {readers}, who would read it as their own; trim the passage").format(
                                            city=article.city, word=word.group(), readers=city)))
        quoted = [fold(p.text) for p in source.passages]
        for key, text in _prose(lesson):
            for quotation in _QUOTATION.findall(text):
                word = _FIRST_PERSON.search(quotation)
                if word and any(fold(quotation[1:-1]) in q for q in quoted):
                    problems.append(Problem(lesson.path, lesson.line_of[key],
                                            _("warning: {key}: the quotation {quotation} is a {city} "
                                              "article's «{word}»; name the city instead").format(
                                                key=key, quotation=quotation, city=article.city, word=word.group())))
    return problems


def proofread(corpus: Corpus, departments: dict) -> list[Problem]:
    """Return every proofreading warning in the lessons, and in the passages each department shows."""
    words = WordList.read(corpus.root)
    warnings = [w for lesson in corpus.lessons.values() for w in _lesson_warnings(lesson, words)]
    order = reading_order(corpus)
    for department in departments.values():
        if not department.city:
            continue
        for session in department.sessions:
            for lesson in select(session, corpus, order):
                shown = None if department.excerpts == ALL else key_passages(lesson)
                warnings += [w for w in _first_person(lesson, corpus, department.city, shown) if w not in warnings]
    return warnings
