"""Find a quoted passage in an article the way a careful reader would, not byte for byte.

Newspaper layout breaks sentences across lines and the seeds mix half- and full-width
punctuation: both the quote and the article are folded to one form (no whitespace, NFKC width)
before comparing, and each folded character remembers where it came from so a miss can show
the closest passage. What a careful reader would not accept stays refused: whitespace inside
a number is kept (`60 00` is not `6000`), a match never starts or ends inside a number of the
article (`600` is not in `6000`), and script is folded one way only: a traditional article may
be quoted in simplified characters, a simplified article is never quoted in traditional ones.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from functools import cache

import opencc

from .numerals import spans

_T2S = opencc.OpenCC("t2s.json")
_STOPS = "。!?;"  # sentence ends, as folded


@cache
def _fold_char(ch: str, simplify: bool = True) -> str:
    """Return ``ch`` folded: no whitespace, half-width and, when ``simplify``, in simplified script."""
    if ch.isspace():
        return " "
    return unicodedata.normalize("NFKC", _T2S.convert(ch) if simplify else ch)


def _fold(chars: Iterable[tuple[str, int]], simplify: bool) -> tuple[str, list[int]]:
    """Fold ``(character, origin)`` pairs; whitespace survives, as one space, only between two digits."""
    out: list[str] = []
    where: list[int] = []
    gap = False
    for ch, origin in chars:
        folded = _fold_char(ch, simplify)
        if folded == " ":
            gap = True
            continue
        if gap and out and out[-1].isdigit() and folded[:1].isdigit():
            out.append(" ")
            where.append(origin)
        gap = False
        for piece in folded:
            out.append(piece)
            where.append(origin)
    return "".join(out), where


def fold(text: str, simplify: bool = True) -> str:
    """Return ``text`` in the form quotes are compared in."""
    return _fold(((ch, 0) for ch in text), simplify)[0]


def to_simplified(text: str) -> str:
    """Return ``text`` in simplified characters, converting phrase by phrase for display."""
    return _T2S.convert(text)


@dataclass
class Folded:
    """An article's text folded for matching, each character mapped to its source line."""

    text: str
    lines: list[int]
    simplify: bool = True
    numbers: list[tuple[int, int]] = field(default_factory=list)

    @classmethod
    @cache
    def of(cls, numbered_lines: tuple[tuple[int, str], ...], simplify: bool = True) -> Folded:
        """Fold ``(line number, text)`` pairs, once per article; noise lines are absent from the input.

        With ``simplify`` (for a traditional article, or to search in any script) both the article and
        the quotes are folded to simplified script; without it each is compared in the script it is in.
        """
        text, where = _fold(((ch, number) for number, line in numbered_lines for ch in line + "\n"), simplify)
        return cls(text, where, simplify, spans(text))

    def find(self, quote: str) -> int:
        """Return where the folded ``quote`` starts, never inside a number of the article, or -1."""
        folded = fold(quote, self.simplify)
        if not folded:
            return -1
        start = self.text.find(folded)
        while start >= 0:
            end = start + len(folded)
            if not any(a < start < b or a < end < b for a, b in self.numbers):
                return start
            start = self.text.find(folded, start + 1)
        return -1

    def lines_of(self, quote: str) -> tuple[int, int] | None:
        """Return the first and last line of the file where ``quote`` is found, or None."""
        start = self.find(quote)
        if start < 0:
            return None
        return self.lines[start], self.lines[start + len(fold(quote, self.simplify)) - 1]

    def closest(self, quote: str) -> tuple[int, str]:
        """Return the line and folded text of the passage most like ``quote``."""
        folded = fold(quote, self.simplify)
        matcher = SequenceMatcher(None, self.text, folded, autojunk=False)
        match = matcher.find_longest_match(0, len(self.text), 0, len(folded))
        start = max(0, match.a - match.b)
        end = start + len(folded)
        start = max(self.text.rfind(stop, 0, start + 1) for stop in _STOPS) + 1
        ends = [i for i in (self.text.find(stop, end - 1) for stop in _STOPS) if i >= 0]
        window = self.text[start : min(ends) + 1 if ends else end]
        line = self.lines[start] if start < len(self.lines) else (self.lines[-1] if self.lines else 0)
        return line, window

