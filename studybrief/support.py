"""How closely each prose sentence of a lesson follows its articles, so a reviewer reads the riskiest first.

A sentence is scored by the share of its character pairs (letters and digits, simplified script)
that occur in the articles the lesson cites. A low score does not mean wrong: it means the
sentence says something in words the article does not use, which is where a misreading hides.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from .checks import printed
from .errors import Problem
from .i18n import _
from .matching import fold
from .model import Corpus, Lesson

SHOWN = 3  # sentences listed per lesson
PROSE = {"title", "background", "actions", "meaning", "takeaways", "for_our_city"}
_SENTENCE = re.compile(r"[^。!?;]+[。!?;]?")


@dataclass(frozen=True)
class Sentence:
    """A prose sentence of a lesson, where it is, and how much of it its articles support."""

    lesson: Lesson
    key: str
    line: int
    text: str
    support: float

    def __str__(self) -> str:
        return str(Problem(self.lesson.path, self.line, _("{key}, {share} supported: «{text}»").format(
            key=self.key, share=f"{self.support:.0%}", text=self.text)))


def _pairs(text: str) -> set[str]:
    kept = "".join(ch for ch in fold(text) if unicodedata.category(ch)[0] in "LN")
    return {kept[i:i + 2] for i in range(len(kept) - 1)}


def weakest(lesson: Lesson, corpus: Corpus, shown: int = SHOWN) -> list[Sentence]:
    """Return the ``shown`` sentences of ``lesson`` least supported by its cited articles, least first."""
    article = set()
    for source in lesson.sources:
        if source.article in corpus.articles:
            article |= _pairs("".join(line for _, line in corpus.articles[source.article].body))
    sentences = []
    for item in printed(lesson):
        if item.key not in PROSE:
            continue
        for text in _SENTENCE.findall(fold(item.text)):
            pairs = _pairs(text)
            if len(pairs) >= 4:
                sentences.append(Sentence(lesson, item.key, item.line, text, len(pairs & article) / len(pairs)))
    return sorted(sentences, key=lambda s: s.support)[:shown]


def report(corpus: Corpus, shown: int = SHOWN) -> list[Sentence]:
    """Return, lesson by lesson, the sentences a reviewer should check against the article first."""
    return [s for lesson in corpus.lessons.values() for s in weakest(lesson, corpus, shown)]
