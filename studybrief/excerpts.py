"""Which passages a brief shows, and where a shown passage is cut from its sentence.

A session brief shows a lesson's key passages, those that back its results (they hold a
result's quote) or its takeaways (they hold a phrase of six characters or more that the lesson
quotes in “”; a shorter one is a term, not a citation); the compendium,
or a department that asks for all, shows every passage. Whether a passage starts or ends inside
a sentence is decided from the article text, never typed by hand, and shown as …… at the cut.
"""

from __future__ import annotations

import re
from functools import cache

from .matching import Folded, fold
from .model import Article, Lesson

KEY, ALL = "key", "all"
ELLIPSIS = "……"
_STOPS = "。!?"  # sentence ends, as folded; "…" folds to "..."
_CLOSERS = "”’」』)"
_HEADING = 30  # a line this short with no sentence end is a heading, a paragraph of its own
# What may stand between a sentence end and a passage that starts its own: a list number
# (6. / (一) / 一、), a news dateline (本报嘉善5月10日电(记者 …)) or an opening quotation mark.
_LEAD_IN = re.compile(r"(?:\d+\.|\([一二三四五六七八九十]+\)|[一二三四五六七八九十]+、"
                      r"|(?:本报|新华社)[^。!?()]{0,16}电(?:\([^()]*\))?|[“「『(])$")
_QUOTED = re.compile(r"[“「]([^”」]{6,})[”」]")  # a citation, not a quoted term like “枫桥经验”
_LEADING, _TRAILING = "，、；：,;:", "，、；：,;:“「"


def _ends_sentence(text: str, i: int) -> bool:
    """Return whether a sentence ends just before index ``i`` of folded ``text`` (closing quotes included)."""
    while i > 0 and text[i - 1] in _CLOSERS:
        i -= 1
    return i == 0 or text[i - 1] in _STOPS or text[i - 3:i] == "..."


@cache
def _headings(body: tuple[tuple[int, str], ...]) -> frozenset[int]:
    """Return the lines of an article's ``body`` that are headings: short, with no sentence end; once per article."""
    found = set()
    for number, line in body:
        folded = fold(line)
        if folded and len(folded) <= _HEADING and not any(s in folded for s in _STOPS) and "..." not in folded:
            found.add(number)
    return frozenset(found)


def cuts(article: Article, passage: str) -> tuple[bool, bool]:
    """Return whether ``passage`` starts, and whether it ends, inside a sentence of ``article``."""
    text = Folded.of(article.body)
    start = text.find(passage)
    if start < 0:
        return False, False
    end = start + len(fold(passage))
    headings = _headings(article.body)

    def after_heading(i: int) -> bool:  # a heading, or a paragraph ending in a colon, ends before folded char i
        return text.lines[i - 1] != text.lines[i] and (text.lines[i - 1] in headings or text.text[i - 1] == ":")

    lead_in = _LEAD_IN.search(text.text, max(0, start - 60), start)
    opening = start - len(lead_in.group()) if lead_in else start
    starts_inside = not (_ends_sentence(text.text, opening) or after_heading(opening) or after_heading(start))
    ends_inside = not (end >= len(text.text) or _ends_sentence(text.text, end)
                       or text.text[end] in _STOPS or after_heading(end))
    return starts_inside, ends_inside


def mark(shown: str, starts_inside: bool, ends_inside: bool) -> str:
    """Return ``shown`` (a passage ready to display) with …… at each cut, replacing the clause mark there."""
    if starts_inside:
        shown = ELLIPSIS + shown.lstrip(_LEADING)
    if ends_inside:
        shown = shown.rstrip(_TRAILING) + ELLIPSIS
    return shown


def key_passages(lesson: Lesson) -> set[tuple[int, int]]:
    """Return (source, passage) indexes of the passages that back ``lesson``'s results or quoted phrases."""
    quotes = [fold(r.quote.text) for r in lesson.results]
    prose = [lesson.background, lesson.problem or "", *lesson.actions, *lesson.causes, *lesson.takeaways,
             lesson.for_our_city or ""]
    phrases = [fold(m) for text in prose for m in _QUOTED.findall(text)]
    key = set()
    for i, source in enumerate(lesson.sources):
        for j, passage in enumerate(source.passages):
            folded = fold(passage.text)
            if any(q in folded or folded in q for q in quotes) or any(p in folded for p in phrases):
                key.add((i, j))
    return key
