"""Numbers as a reader takes them: whole tokens, in Arabic or Chinese numerals, with scale, percent and hedge.

`6000余万元`, `六千多万元` and `60,000,000多元` are one claim; `600` is not a piece of `6000`, and
`近40家` is not `40家`. Every number a brief prints is compared by its value, its percent sign and
its hedge (多/余/超 more than, 近 nearly, 约 about), so a figure copied wrong in any notation is caught.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache

import opencc

_T2S = opencc.OpenCC("t2s.json")
DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
PLACES = {"十": 10, "百": 100, "千": 1000}
SCALES = {"万": 10**4, "亿": 10**8}
CHINESE = "".join(DIGITS) + "".join(PLACES) + "".join(SCALES)
_ARABIC = r"(?:\d{1,3}(?:,\d{3})+(?!\d)|\d+)(?:\.\d+)?"
_CN = f"[{CHINESE}]+"
# 近 and 约 hedge a number only as words of their own: not in 最近/附近/就近, 节约/制约/签约 ...
_BEFORE = r"(?P<before>将近|接近|(?<![最附靠邻就])近|大约|(?<![节制契预签公条规邀履违合集])约|超过|超|逾)?"
NUMBER = re.compile(
    _BEFORE + r"(?:百分之(?P<pct_of>" + _ARABIC + "|" + _CN + r")"
    r"|(?P<num>" + _ARABIC + r"|" + _CN + r")(?P<after>多|余|几)?(?P<scale>[十百千万亿]+)?(?P<pct>%|‰)?)(?P<over>以上)?")
# Words written with numeral characters that state no quantity, and vague quantities (数十, 上千) no figure backs.
IDIOMS = re.compile(
    f"(?<![{CHINESE}\\d])(?:十分|百姓|千方百计|万一|万众|十足|百般|千家万户|万无一失|千差万别|千军万马|十全十美|百花齐放|百舸争流|千载难逢|"
    "万事|万物|万象|百废|百业|千锤百炼|百尺竿头|一日千里|千里|万里|千秋|万古|亿万|千千万万|成千上万|千百万|"
    "十四五|十三五|十五五|十二五|十一五|十八大|十九大|二十大|百分百|三十而立|一五一十|十字|万丈|万般|"
    f"(?:数|几|上|好几)[{''.join(PLACES)}万亿]+)")


@dataclass(frozen=True)
class Number:
    """One number as written, with what it claims: value, percent and hedge."""

    value: Decimal
    percent: bool = False
    hedge: str = ""
    text: str = field(default="", compare=False)
    start: int = field(default=0, compare=False)
    end: int = field(default=0, compare=False)

    @property
    def claim(self) -> tuple[Decimal, bool]:
        """Return what the number states without its hedge."""
        return self.value, self.percent

    def __str__(self) -> str:
        return self.text


@cache
def _normal_char(ch: str) -> str:
    out = unicodedata.normalize("NFKC", _T2S.convert(ch))
    return out if len(out) == 1 else ch


def normal(text: str) -> str:
    """Return ``text`` with full-width digits half-width and traditional numerals simplified, same length."""
    return "".join(_normal_char(ch) for ch in text)


def chinese_value(text: str) -> Decimal | None:
    """Return the value of a run of Chinese numerals, or None when it states no quantity (一, 三四)."""
    if not any(ch in PLACES or ch in SCALES for ch in text):
        if len(text) >= 3 and any(ch in "零〇" for ch in text):  # a year written digit by digit: 二〇二三
            return Decimal("".join(str(DIGITS[ch]) for ch in text))
        return None
    total, section, digit, last_place = 0, 0, None, 1
    for ch in text:
        if ch in DIGITS:
            digit = DIGITS[ch]
        elif ch in PLACES:
            section += (1 if digit is None else digit) * PLACES[ch]
            digit, last_place = None, PLACES[ch]
        else:
            scale, amount = SCALES[ch], section + (digit or 0)
            if scale == SCALES["亿"] or total < SCALES["亿"]:  # 亿 multiplies all before it, 万 all below 亿
                total = ((total + amount) or 1) * scale
            else:
                total += (amount or 1) * scale
            section, digit, last_place = 0, None, scale
    if digit is not None:  # 三千五: the last digit counts in the place below the previous one
        section += digit * (last_place // 10 if last_place >= 10 and text[-2] not in "零〇" else 1)
    return Decimal(total + section)


def _value(text: str) -> Decimal | None:
    if text[0].isdigit():
        return Decimal(text.replace(",", ""))
    return chinese_value(text)


def _hedge(before: str | None, after: str | None, over: str | None) -> str:
    if before and "近" in before:
        return "近"
    if before and "约" in before:
        return "约"
    return "多" if before or after or over else ""


def numbers(text: str) -> list[Number]:
    """Return the numbers in ``text``, each with its place; whitespace ends a number."""
    normalized = normal(text)
    masked = IDIOMS.sub(lambda m: "\0" * len(m.group()), normalized)
    found = []
    for m in NUMBER.finditer(masked):
        if m.start("num" if m.group("num") else "pct_of") > 0:
            previous = masked[m.start("num" if m.group("num") else "pct_of") - 1]
            if previous.isdigit() or previous == "." or (previous in CHINESE and not m.group("pct_of")):
                continue
        figure = m.group("num") or m.group("pct_of")
        value = _value(figure)
        if value is None:
            continue
        for ch in m.group("scale") or "":
            value *= PLACES.get(ch) or SCALES[ch]
        percent = bool(m.group("pct") or m.group("pct_of"))
        found.append(Number(value, percent, _hedge(m.group("before"), m.group("after"), m.group("over")),
                            text[m.start():m.end()], m.start(), m.end()))
    return found


def spans(text: str) -> list[tuple[int, int]]:
    """Return where each number of ``text`` starts and ends, hedges and scales included."""
    return [(n.start, n.end) for n in numbers(text)]
