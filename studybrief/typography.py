"""Text as a Chinese reader expects to see it: full-width punctuation, simplified script, dates."""

from __future__ import annotations

import re

from .matching import to_simplified

_CJK = r"\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef“”‘’"
_FULL = {",": "，", ":": "：", ";": "；", "?": "？", "!": "！", "(": "（", ")": "）"}
# Half-width punctuation with a Chinese character (or Chinese punctuation) on at least one side,
# ignoring spaces; commas and colons between digits (1,000 and 11:34) are left alone.
_MIXED = re.compile(rf"(?<=[{_CJK}])\s*([,:;?!()])\s*|\s*([,:;?!()])\s*(?=[{_CJK}])")
_DIGIT_PAIR = re.compile(r"(?<=\d)[,:](?=\d)")
# Spaces between Chinese characters are line joins of YAML folded text, not word spaces; an
# ideographic space (U+3000) is typed on purpose, as in a title's 回行 or 内部资料　注意保存, and stays.
_CJK_GAP = re.compile(rf"(?<=[{_CJK}])[ \t\r\n]+(?=[{_CJK}])")
_OPEN, _CLOSE = "“‘", "”’"


def punctuate(text: str) -> str:
    """Return ``text`` with half-width ,:;?!() between Chinese characters made full-width."""
    def full(match: re.Match) -> str:
        mark = match.group(1) or match.group(2)
        return _FULL[mark]

    protected = _DIGIT_PAIR.sub(lambda m: "\0" if m.group() == "," else "\1", text)
    result = _MIXED.sub(full, protected)
    return result.replace("\0", ",").replace("\1", ":")


def display(text: str, script: str = "simplified") -> str:
    """Return ``text`` ready to show: simplified script, full-width punctuation."""
    if script == "traditional":
        text = to_simplified(text)
    return punctuate(text)


def prose(text: str) -> str:
    """Return hand-written lesson text ready to show, the spaces YAML put at line joins removed."""
    return punctuate(_CJK_GAP.sub("", text))


def quotation(text: str) -> str:
    """Return a quoted passage in “…”, the marks inside alternating ‘…’ and “…” as GB/T 15834 nests them.

    A passage that already is one whole quotation keeps its marks and is not wrapped twice.
    """
    if text[:1] == "“" and text[-1:] == "”" and balanced(text[1:-1]):
        return text
    marks, depth = [], 1
    for ch in text:
        if ch in _OPEN:
            depth += 1
            ch = "‘" if depth % 2 == 0 else "“"
        elif ch in _CLOSE:
            ch = "’" if depth % 2 == 0 else "”"
            depth -= 1
        marks.append(ch)
    return "“" + "".join(marks) + "”"


def balanced(text: str) -> bool:
    """Return whether every quotation mark in ``text`` opens and closes in order."""
    stack: list[str] = []
    for ch in text:
        if ch in _OPEN:
            stack.append(ch)
        elif ch in _CLOSE and (not stack or _OPEN[_CLOSE.index(ch)] != stack.pop()):
            return False
    return not stack


_NO_START = "，。、；：？！）》”’·…—"
_NO_END = "（《“‘"
_JOINS = "与和及的"


def balance(text: str, width: int) -> list[str]:
    """Return a title of more than ``width`` characters in as few lines, of nearly equal length (GB/T 9704 回行).

    Each break goes near its balanced place, preferably at a typed space or after a punctuation mark,
    else before a joining word; it never leaves punctuation at the wrong end of a line or splits a number.
    """
    if len(text) <= width:
        return [text]
    count = -(-len(text) // width)
    lines, rest = [], text
    for left in range(count, 1, -1):
        target = -(-len(rest) // left)
        best = None
        for cut in range(max(1, len(rest) - width * (left - 1)), min(width, len(rest) - 1) + 1):
            before, after = rest[cut - 1], rest[cut]
            if after in _NO_START or before in _NO_END or (before + after).isascii() and (before + after).isalnum():
                continue
            place = 0 if before.isspace() else 1 if before in _NO_START else 2 if after in _JOINS else 3
            score = (abs(cut - target) > max(2, target // 3), place, abs(cut - target))
            best = min(best or (score, cut), (score, cut))
        if best is None:
            break
        lines.append(rest[:best[1]].rstrip())
        rest = rest[best[1]:].lstrip()
    return [*lines, rest]


def chinese_date(iso: str) -> str:
    """Return ``2026-11-21`` as ``2026年11月21日``."""
    year, month, day = (int(part) for part in iso.split("-"))
    return f"{year}年{month}月{day}日"


def lead_sentence(text: str) -> tuple[str, str]:
    """Return the first sentence of ``text`` (outside quotation marks) and the rest, as bold-lead paragraphs show them."""
    depth = 0
    for i, ch in enumerate(text):
        depth += (ch in "“‘") - (ch in "”’")
        if ch in "。！？" and depth <= 0 and i + 1 < len(text):
            return text[:i + 1], text[i + 1:]
    return text, ""
