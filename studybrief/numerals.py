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
# A lone digit (三, 两) is a number only before a measure word: 三条, 两个, 五大; 一 never (一些, 统一).
MEASURE = "个家项条名次座位支批大类种倍期届轮场所台套件天年月周县区镇村省国部本张只架款户人"
_LONE = "二两三四五六七八九"
NUMBER = re.compile(
    _BEFORE + r"(?:百分之(?P<pct_of>" + _ARABIC + "|" + _CN + r")"
    r"|(?P<den>" + _ARABIC + "|" + _CN + r")分之(?P<numer>" + _ARABIC + "|" + _CN + r")"
    r"|(?P<over_numer>\d+)/(?P<over_den>\d+)(?![\d/])"
    r"|(?P<num>" + _ARABIC + r"|" + _CN + r")(?P<after>多|余|几)?(?P<scale>[十百千万亿]+)?"
    r"(?:(?P<pct>%|‰)|(?P<tenth>成)(?![立功为本员果熟长就交型品绩效器])"
    r"|(?=(?P<measure>[" + MEASURE + r"]|[至到或~～\-－—–][\d" + CHINESE + r"])))?)"
    r"(?P<over>以上)?")
# Words between the two ends of a range (3至5万元): the first end takes the scale of the second.
RANGE = {"至", "到", "-", "－", "~", "～", "—", "–", "或"}
# Words written with numeral characters that state no quantity, and vague quantities (数十, 上千) no figure backs.
IDIOMS = re.compile(
    f"(?<![{CHINESE}\\d])(?:十分|百姓|千方百计|万一|万众|十足|百般|千家万户|万无一失|千差万别|千军万马|十全十美|百花齐放|百舸争流|千载难逢|"
    "万事|万物|万象|百废|百业|千锤百炼|百尺竿头|一日千里|千里|万里|千秋|万古|亿万|千千万万|成千上万|千百万|"
    "十四五|十三五|十五五|十二五|十一五|十八大|十九大|二十大|百分百|三十而立|一五一十|十字|万丈|万般|"
    "三番五次|四面八方|五湖四海|七上八下|三心二意|九牛一毛|五花八门|三令五申|三五成群|七嘴八舌|四通八达|三头六臂|"
    "两全其美|一举两得|三天两头|接二连三|三三两两|五颜六色|六神无主|七零八落|八面玲珑|九死一生|三长两短|独一无二|"
    "说一不二|二次|两手|两面|两头|两岸|三农|三资|"
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


def _value(text: str, counted: bool = False) -> Decimal | None:
    """Return the value of a numeral; a lone digit counts only where ``counted`` (before a measure word, 成, 分之)."""
    if text[0].isdigit():
        return Decimal(text.replace(",", ""))
    if counted and len(text) == 1 and text in DIGITS and text not in "零〇":
        return Decimal(DIGITS[text])
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
    found: list[Number] = []
    factors: list[Decimal] = []
    for m in NUMBER.finditer(masked):
        first = next(g for g in ("pct_of", "den", "over_numer", "num") if m.group(g))
        if m.start(first) > 0:
            previous = masked[m.start(first) - 1]
            if previous.isdigit() or previous in "./" or (previous in CHINESE and first == "num") or \
                    (previous == "第" and m.group(first) in _LONE):  # 第二条 is an order, not a count
                continue
        if m.group("den") or m.group("over_den"):  # 三分之一, 1/3
            den = _value(m.group("den") or m.group("over_den"), True)
            numer = _value(m.group("numer") or m.group("over_numer"), True)
            if not den or numer is None:
                continue
            value, factor = numer / den, Decimal(1)
        else:
            figure = m.group("num") or m.group("pct_of")
            lone = figure in _LONE and bool(m.group("measure") or m.group("tenth"))
            value = _value(figure, counted=lone or bool(m.group("pct_of")))
            if value is None:
                continue
            factor = Decimal(1)
            for ch in m.group("scale") or "":
                factor *= PLACES.get(ch) or SCALES[ch]
            factor *= 10 if m.group("tenth") else 1
            value *= factor
        percent = bool(m.group("pct") or m.group("pct_of") or m.group("tenth"))
        number = Number(value, percent, _hedge(m.group("before"), m.group("after"), m.group("over")),
                        text[m.start():m.end()], m.start(), m.end())
        if found and masked[found[-1].end:m.start()] in RANGE and factors[-1] == 1 and not found[-1].percent \
                and (factor != 1 or percent):  # 3至5万: the 3 is 3万 too
            low = found[-1]
            found[-1] = Number(low.value * factor, percent, low.hedge, low.text, low.start, low.end)
        found.append(number)
        factors.append(factor)
    return found


def spans(text: str) -> list[tuple[int, int]]:
    """Return where each number of ``text`` starts and ends, hedges and scales included."""
    return [(n.start, n.end) for n in numbers(text)]
