"""Find a quoted passage in an article the way a careful reader would, not byte for byte.

Newspaper layout breaks sentences across lines, the seeds mix half- and full-width
punctuation, and one article is in traditional characters. Both the quote and the article
are folded to one form (no whitespace, NFKC width, simplified script) before comparing;
each folded character remembers where it came from so a miss can show the closest passage.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from difflib import SequenceMatcher
from functools import cache

import opencc

_T2S = opencc.OpenCC("t2s.json")
_STOPS = "。!?;"  # sentence ends, as folded
NUMBER = re.compile(r"\d+(?:\.\d+)?")


@cache
def _fold_char(ch: str) -> str:
    """Return ``ch`` folded: no whitespace, half-width, simplified, one script for all."""
    if ch.isspace():
        return ""
    return unicodedata.normalize("NFKC", _T2S.convert(ch))


def fold(text: str) -> str:
    """Return ``text`` in the form quotes are compared in."""
    return "".join(_fold_char(ch) for ch in text)


def to_simplified(text: str) -> str:
    """Return ``text`` in simplified characters, converting phrase by phrase for display."""
    return _T2S.convert(text)


@dataclass
class Folded:
    """An article's text folded for matching, each character mapped to its source line."""

    text: str
    lines: list[int]

    @classmethod
    @cache
    def of(cls, numbered_lines: tuple[tuple[int, str], ...]) -> Folded:
        """Fold ``(line number, text)`` pairs, once per article; noise lines are absent from the input."""
        chars: list[str] = []
        where: list[int] = []
        for number, line in numbered_lines:
            for ch in line:
                for out in _fold_char(ch):
                    chars.append(out)
                    where.append(number)
        return cls("".join(chars), where)

    def find(self, quote: str) -> int:
        """Return where the folded ``quote`` starts, or -1."""
        folded = fold(quote)
        return self.text.find(folded) if folded else -1

    def lines_of(self, quote: str) -> tuple[int, int] | None:
        """Return the first and last line of the file where ``quote`` is found, or None."""
        start = self.find(quote)
        if start < 0:
            return None
        return self.lines[start], self.lines[start + len(fold(quote)) - 1]

    def closest(self, quote: str) -> tuple[int, str]:
        """Return the line and folded text of the passage most like ``quote``."""
        folded = fold(quote)
        matcher = SequenceMatcher(None, self.text, folded, autojunk=False)
        match = matcher.find_longest_match(0, len(self.text), 0, len(folded))
        start = max(0, match.a - match.b)
        end = start + len(folded)
        start = max(self.text.rfind(stop, 0, start + 1) for stop in _STOPS) + 1
        ends = [i for i in (self.text.find(stop, end - 1) for stop in _STOPS) if i >= 0]
        window = self.text[start : min(ends) + 1 if ends else end]
        line = self.lines[start] if start < len(self.lines) else (self.lines[-1] if self.lines else 0)
        return line, window


def numbers_in(text: str) -> set[str]:
    """Return the Arabic numbers in ``text``, full-width digits included."""
    return set(NUMBER.findall(unicodedata.normalize("NFKC", text)))
