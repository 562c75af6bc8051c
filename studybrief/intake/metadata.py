"""What an article's text states about it: title, kicker and subtitle, authors, outlet, date, kind and script.

Only what is printed is taken; anything else stays None with a note saying so, for a person to
fill in from outside the text. Values are returned as printed, traditional script included.
"""

from __future__ import annotations

import re

from ..i18n import N_
from ..matching import to_simplified
from .genre import BYLINE, DATELINE, HEAD_MAX, NUMBERED, PUBLISHED, ROLES, SLASH_BYLINE, complete, fold, marker

AUTHOR_FIELD = re.compile(r"作者:\s*(?P<names>[^|:]+?)(?:\s{2,}|\s*\||\s+\S+:|$)")
FULL_DATE = re.compile(r"((?:19|20)\d\d)年(\d{1,2})月(\d{1,2})日")
REPORT = re.compile(r"调研报告|考察报告|调查报告|工作报告|报告$")
SOURCE_OUTLET = re.compile(r"来源:\s*(?P<outlet>[^|\s]+)")
# Common surnames: a short line made only of names (authors printed run together) is a byline.
SURNAMES = set(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金"
    "石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章"
    "鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕单季裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟"
    "艾尤阳时穆农司卓古吉缪简车项连芦麦褚娄窦戚岑景党宫费卜冷晏席卫米柏宗瞿桂全佟应臧闵苟邬边卞姬师和仇栾隋商刁沙荣巫寇桑郎甄"
    "丛仲虞敖巩明佘池查麻苑迟邝南"
)


def _as_printed(piece: str, folded: str, raw: str) -> str:
    """Return ``piece`` of ``folded`` as ``raw`` prints it (traditional script, full width)."""
    raw = raw.strip()
    at = folded.find(piece)
    return raw[at:at + len(piece)].strip() if at >= 0 and len(folded) == len(raw) else piece


def _names(text: str) -> list[str]:
    """Return the personal names in a byline, role words and affiliations dropped."""
    text = re.sub(ROLES, " ", text)
    tokens = [t for t in re.split(r"[\s/、,]+", text) if t and "·" not in t and "联盟" not in t]
    names, pending = [], ""
    for token in tokens:  # a two-character name is often printed spaced: 张 留
        if len(token) == 1:
            pending += token
            if len(pending) == 2:
                names.append(pending)
                pending = ""
        else:
            names.append(token)
    return names + ([pending] if pending else [])


def _run_together(text: str) -> bool:
    """Return whether ``text`` is only personal names printed without spaces (2-3 characters, each a surname first)."""
    if not 4 <= len(text) <= 12 or not all("\u4e00" <= ch <= "\u9fff" for ch in text):
        return False
    ok = [False] * (len(text) + 1)
    ok[0] = True
    for end in range(2, len(text) + 1):
        ok[end] = any(ok[end - n] and text[end - n] in SURNAMES for n in (2, 3) if end - n >= 0)
    return ok[len(text)]


def _iso(text: str) -> str:
    """Return the first date written 2024年4月2日 in ``text`` as 2024-04-02."""
    date = FULL_DATE.search(text)
    return f"{date[1]}-{int(date[2]):02d}-{int(date[3]):02d}"


def _script(lines: list[str]) -> str:
    """Return "traditional" when OpenCC changes a noticeable share of the characters, else "simplified"."""
    han = [ch for line in lines for ch in line if "\u4e00" <= ch <= "\u9fff"]
    changed = sum(a != b for a, b in zip(han, to_simplified("".join(han)), strict=False))
    return "traditional" if han and changed / len(han) > 0.03 else "simplified"


def describe(text: dict[int, str], raw: dict[int, str], own: list[int], start: int | None,
             noise: dict[int, tuple[str, str]]) -> tuple[dict[str, object], list[str]]:
    """Return what the lines ``own`` of one article state about it, and notes on what they do not.

    ``start`` is the byline, dateline or publication line that opened the article, if any; the
    lines it and its like mark as bylines are added to ``noise``.
    """
    meta: dict[str, object] = {"title": None, "outlet": None, "authors": None, "date": None}
    notes: list[str] = []
    body = [n for n in own if n not in noise or noise[n][1] == "headline printed inside the article"]
    heads = [n for n in body if n < start] if start else []
    if start is None:  # no byline: the short lines that open the text are its headline block
        for n in body[:4]:
            if len(text[n]) > HEAD_MAX or complete(text[n]) and not text[n].endswith(("?", "!")):
                break
            heads.append(n)
        if len(heads) >= 2 and _run_together(text[heads[-1]]):
            names = heads.pop()
            noise[names] = ("metadata", N_("byline: names printed run together"))
            notes.append(f"authors printed run together as {raw[names].strip()}; split them by hand")
    titles = [raw[n].strip() for n in heads if not NUMBERED.match(text[n])]
    if titles:
        # the main title: no couplet space if another line has none, a question if there is one, else the longest
        main = max(range(len(titles)), key=lambda i: (not titles[i].startswith(("—", "-")), " " not in titles[i].strip(),
                                                      titles[i].endswith(("?", "？")),
                                                      len(titles[i])))
        title = titles[main]
        if main:
            meta["kicker"] = " ".join(titles[:main])
        if main + 1 < len(titles):
            meta["subtitle"] = " ".join(t.lstrip("—-").strip() for t in titles[main + 1:])
        for dash in ("——", "--"):
            if dash in title.strip(dash):
                title, sub = title.split(dash, 1)
                meta["subtitle"] = sub.strip()
        title = title.strip().lstrip("—-").strip()
        if " " in title and len(titles) == 1:
            kicker, title = title.rsplit(" ", 1)
            meta["kicker"] = kicker.strip()
        meta["title"] = title
    markers = [start] if start else []
    for n in own:  # a publication line, a byline and a dateline may follow one another
        if markers and n > markers[-1] and n not in noise and marker(text[n]) and len(markers) < 3:
            if own.index(n) == own.index(markers[-1]) + 1:
                markers.append(n)
    authors: list[str] = []
    for at in markers:
        line, kind = text[at], marker(text[at])
        names: list[str] = []
        if kind == "byline":
            noise[at] = ("metadata", N_("byline"))
            match = BYLINE.match(line) or SLASH_BYLINE.match(line)
            names = _names(match["names"])
            outlet = match.groupdict().get("outlet")
            if outlet and not outlet.startswith("本报") and meta["outlet"] is None:
                meta["outlet"] = _as_printed(outlet, line, raw[at])
        elif kind == "dateline":
            match = DATELINE.match(line)
            names = _names(match["names"] or "")
            notes.append(f"dateline {_as_printed(match.group(0).split('(')[0], line, raw[at])}")
            if meta["title"] is None:
                first = re.split(r"(?<=[。!?])", raw[at].strip(), maxsplit=1)[0]
                meta["supplied_title"] = re.sub(r"^.*?[)）]", "", first).rstrip("。!?！？")
        elif kind == "published":
            noise[at] = ("metadata", N_("publication line: date, source, editor"))
            published = PUBLISHED.search(line)
            meta["date"] = published["date"] or published["date2"] or _iso(published["date3"])
            if (source := SOURCE_OUTLET.search(line)) and meta["outlet"] is None:
                meta["outlet"] = _as_printed(source["outlet"], line, raw[at])
            if (author := AUTHOR_FIELD.search(line)):
                names = _names(author["names"])
        authors += [_as_printed(name, line, raw[at]) for name in names if name not in authors]
    meta["authors"] = authors or None
    for n in heads + markers:
        if meta["date"] is None and FULL_DATE.search(text[n]):
            meta["date"] = _iso(text[n])
    meta["kind"] = "R" if meta["title"] and REPORT.search(fold(str(meta["title"]))) else "N"
    meta["script"] = _script([raw[n] for n in body])
    for key in ("title", "outlet", "authors", "date"):
        if meta[key] is None and not (key == "title" and meta.get("supplied_title")):
            notes.append(f"{key}: not stated in the text")
    return meta, notes
