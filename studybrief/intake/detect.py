"""Find the articles in a page of text, the lines that are not article text, and the metadata the text states.

The rules describe the genre (Chinese newspaper pages, news sites, field reports), never a
particular outlet or person: bylines and datelines start an article, short lines above them are
its headline, captions, credits, editor lines, banners and spam are noise, and so is text the
layout displaced from elsewhere. What a rule cannot find stays None for a person to fill in.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

import opencc

from ..matching import to_simplified

_S2T = opencc.OpenCC("s2t.json")
HEAD_MAX = 40  # characters: longer lines are paragraphs, not headlines
SHORT = 20  # characters: a lone sentence this short between paragraphs is a caption or a stray fragment
ENDS = "。!?;…\"”’)】"  # what a complete paragraph ends with (folded)

_ROLES = r"(?:本报|全媒体|特约|见习|实习|首席)?(?:记者|通讯员|实习生|摄影|撰稿|作者)"
BYLINE = re.compile(rf"^(?P<outlet>[^\s,。:!?]{{0,12}}?(?:日报|晚报|时报|商报|青年报|报|新闻网|融媒体中心|电视台))?[^\s,。:!?]{{0,8}}?{_ROLES}"
                    r"\s*[/:]?\s*(?P<names>(?:[\u4e00-\u9fff·]{1,8}(?:\s+|、|,|/|$)){1,8})$")
DATELINE = re.compile(r"^(?:本报|新华社|中新社|人民网)(?:讯|[^\s(]{0,8}?\d{1,2}月\d{1,2}日电)\s*(?:\((?P<names>[^)]*)\))?")
SLASH_BYLINE = re.compile(r"^(?:文|文图|图文|文字)\s*[/|丨]\s*(?P<names>(?:[\u4e00-\u9fff·]{1,8}(?:\s+|、|,|$)){1,6})$")
PUBLISHED = re.compile(r"(?P<date>(?:19|20)\d\d-\d\d-\d\d)(?:\s+\d\d:\d\d(?::\d\d)?)?\s*.*(?:来源|编辑|作者)"
                       r"|^(?:发布时间|发布日期|发表时间|时间)\s*:\s*(?P<date2>(?:19|20)\d\d-\d\d-\d\d)"
                       r"|^[^\d,。]{0,20}?\s*(?P<date3>(?:19|20)\d\d年\d{1,2}月\d{1,2}日)(?:\s*\d{1,2}:\d\d)?$")
AUTHOR_FIELD = re.compile(r"作者:\s*(?P<names>[^|:]+?)(?:\s{2,}|\s*\||\s+\S+:|$)")
FULL_DATE = re.compile(r"((?:19|20)\d\d)年(\d{1,2})月(\d{1,2})日")
REPORT = re.compile(r"调研报告|考察报告|调查报告|工作报告|报告$")
SOURCE_OUTLET = re.compile(r"来源:\s*(?P<outlet>[^|\s]+)")
CONTINUED = re.compile(r"^\((?:上接|下转)第\S{1,3}版\)")
SPAM = re.compile(r"AV|无码|人妻|少妇|激情|色情|成人视频|博彩|彩票|赌场|棋牌|代孕|约炮|裸聊|黄色网站")
NOISE_RULES = (  # (kind, reason, pattern on the folded line); first match wins
    ("banner", "app banner", re.compile(r"下载.{0,6}APP|下载客户端|扫码|扫一扫|二维码|长按识别|关注公众号|点击阅读原文")),
    ("footer", "copyright notice", re.compile(r"版权所有|版权作品|未经授权|严禁转载|转载须注明|Copyright|©")),
    ("editor", "editor line", re.compile(r"^(?:\(|【)?(?:责任编辑|责编|编辑|初审|二审|三审|终审|校对|审核|监制|值班编委)\s*:")),
    ("metadata", "source line", re.compile(r"^(?:\(|【)?(?:来源|稿源|出处)\s*:")),
    ("caption", "photo credit", re.compile(r"^\(.*(?:图片|图/|摄).*\)$|^(?:图片|图)(?:来源|由|:)|\S+\s*摄$|^\S{2,4}\s+\S{0,4}\s*摄\S*$")),
    ("caption", "photo caption", re.compile(r"^(?:▲|△|■|图为|上图|下图|左图|右图|图\d|题图)")),
    ("furniture", "page furniture", re.compile(r"^(?:第\S{1,3}版|\S{0,6}版\s*[::]|返回目录|上一篇|下一篇|分享到"
                                                     r"|字号|打印本页|关闭窗口|阅读\s*\d+)")),
)
# A caption names what a photograph shows; a short sentence of the article has a clause or a function word.
PROSE = re.compile(r"[,、;:…]|\.\.|[是不了这那也都还就又却但而再看要会能吗呢吧我你他她它]")
NUMBERED = re.compile(r"^(?:[一二三四五六七八九十]+、|\([一二三四五六七八九十]+\)|\d+[.、]|[一二三四五六七八九十]是)")
# Common surnames: a short line made only of names (authors printed run together) is a byline.
SURNAMES = set(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金"
    "石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章"
    "鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕单季裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟"
    "艾尤阳时穆农司卓古吉缪简车项连芦麦褚娄窦戚岑景党宫费卜冷晏席卫米柏宗瞿桂全佟应臧闵苟邬边卞姬师和仇栾隋商刁沙荣巫寇桑郎甄"
    "丛仲虞敖巩明佘池查麻苑迟邝南"
)


def fold(line: str) -> str:
    """Return ``line`` as the rules read it: simplified and half-width, character for character where it can."""
    return unicodedata.normalize("NFKC", to_simplified(line.strip()))


def _as_printed(piece: str, folded: str, raw: str) -> str:
    """Return ``piece`` of ``folded`` as ``raw`` prints it (traditional script, full width)."""
    raw = raw.strip()
    at = folded.find(piece)
    return raw[at:at + len(piece)].strip() if at >= 0 and len(folded) == len(raw) else piece


@dataclass
class Found:
    """One article found in a file: its span, its noise lines with reasons, and its metadata."""

    first: int
    last: int
    noise: dict[int, tuple[str, str]] = field(default_factory=dict)
    meta: dict[str, object] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)


@dataclass
class Page:
    """What the detector decided about one file."""

    articles: list[Found]
    noise: dict[int, tuple[str, str]]  # lines outside every article


def _complete(text: str) -> bool:
    return text.endswith(tuple(ENDS))


def _names(text: str) -> list[str]:
    """Return the personal names in a byline, role words and affiliations dropped."""
    text = re.sub(_ROLES, " ", text)
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


def _noise_of(text: str) -> tuple[str, str] | None:
    if len(SPAM.findall(text)) >= 2:
        return "spam", "spam line"
    for kind, reason, pattern in NOISE_RULES:
        if pattern.search(text):
            return kind, reason
    return None


def _marker(text: str) -> str | None:
    """Return what kind of article start ``text`` is: a dateline, a byline, a publication line, or None."""
    if DATELINE.match(text):
        return "dateline"
    if len(text) <= HEAD_MAX and (BYLINE.match(text) or SLASH_BYLINE.match(text)) and not _complete(text):
        return "byline"
    if PUBLISHED.search(text) and len(text) <= 120:
        return "published"
    return None


def _heads(text: dict[int, str], numbers: list[int], noise: dict, i: int) -> int:
    """Return the first line of the headline block above the marker ``numbers[i]``, marking a column heading."""
    n = head = numbers[i]
    for m in reversed(numbers[max(0, i - 3):i]):
        if m in noise or _marker(text[m]) or len(text[m]) > HEAD_MAX or _complete(text[m]) and not text[m].endswith(("?", "!")):
            break
        if len(text[m]) <= 4 and head == n:  # a four-character line right above a news item is its column
            noise[m] = ("furniture", "column heading")
            break
        head = m
    return head


def _displaced(text: dict[int, str], numbers: list[int], noise: dict) -> None:
    """Mark text the layout put out of place: a repeated paragraph, a stray sentence tail or caption."""
    seen: dict[str, int] = {}
    for i, n in enumerate(numbers):
        if n in noise:
            continue
        before = next((text[m] for m in reversed(numbers[:i]) if m not in noise), "")
        if len(text[n]) >= SHORT and text[n] in seen:
            first = seen[text[n]]
            earlier = next((text[m] for m in reversed(numbers[:numbers.index(first)]) if m not in noise), "")
            # the copy that interrupts a sentence is the displaced one; otherwise the earlier
            stray = n if before and not _complete(before) and _complete(earlier) else first
            noise[stray] = ("layout", "paragraph printed twice by the layout")
            continue
        seen.setdefault(text[n], n)
        lone = len(text[n]) <= SHORT and text[n].endswith(("。", ".")) and not PROSE.search(text[n])
        after = next((m for m in numbers[i + 1:]), None)
        credited = after in noise and noise[after][1] == "photo credit"
        if lone and i > 0 and (credited or not before or _complete(before) or _marker(before)) and not NUMBERED.match(text[n]):
            noise[n] = ("caption", "a lone short sentence between paragraphs: a caption or a fragment of another text")


PAGE_LEVEL = ("column heading", "continuation of an article from another page", "spam line")


def detect(lines: list[str]) -> Page:
    """Return the articles of a file given as its lines (line n is ``lines[n - 1]``), their noise and metadata."""
    raw = {n: line for n, line in enumerate(lines, 1) if line.strip()}
    text = {n: fold(line) for n, line in raw.items()}
    numbers = sorted(text)
    noise: dict[int, tuple[str, str]] = {n: kind for n in numbers if (kind := _noise_of(text[n]))}
    starts: list[tuple[int, int, int | None]] = []
    chained: set[int] = set()
    for i, n in enumerate(numbers):
        if n in noise or not _marker(text[n]):
            continue
        if starts and i and numbers[i - 1] in chained:
            chained.add(n)
            continue  # a byline or dateline right under another marker opens the same article
        chained = {n}
        head = _heads(text, numbers, noise, i)
        starts.append((head, head, n))
    body = [n for n in numbers if n not in noise]
    if starts and any(len(text[n]) > HEAD_MAX for n in body if n < starts[0][0]):
        _, head, marker = starts.pop(0)  # a headline and byline printed mid-page, in an article already under way
        noise.update({n: ("metadata", "headline printed inside the article") for n in body if head <= n < marker})
        starts.insert(0, (body[0], head, marker))
    elif not starts and body:
        starts = [(body[0], body[0], None)]
    for n in numbers:
        if CONTINUED.match(text[n]):  # a continuation from another page runs until the next article
            following = min((h for h, _, _ in starts if h > n), default=numbers[-1] + 1)
            noise.update({m: ("layout", PAGE_LEVEL[1]) for m in numbers if n <= m < following})
    starts = [s for s in starts if s[0] not in noise]
    _displaced(text, numbers, noise)
    found = []
    for i, (first, head, marker) in enumerate(starts):
        end = starts[i + 1][0] if i + 1 < len(starts) else numbers[-1] + 1
        own = [n for n in numbers if first <= n < end]
        while own and own[-1] in noise and noise[own[-1]][1] in PAGE_LEVEL:
            own.pop()
        if own:
            article = Found(first, own[-1])
            _metadata(article, text, raw, [n for n in own if n >= head], marker, noise)
            above = next((m for m in reversed(numbers) if m < first), None)
            if above in noise and noise[above][1] == "column heading":
                article.meta["column"] = raw[above].strip()
            article.noise = {n: noise[n] for n in own if n in noise}
            found.append(article)
    inside = {n for a in found for n in range(a.first, a.last + 1)}
    return Page(found, {n: kind for n, kind in noise.items() if n not in inside})


def _iso(text: str) -> str:
    """Return the first date written 2024年4月2日 in ``text`` as 2024-04-02."""
    date = FULL_DATE.search(text)
    return f"{date[1]}-{int(date[2]):02d}-{int(date[3]):02d}"


def _script(lines: list[str]) -> str:
    """Return "traditional" when OpenCC changes a noticeable share of the characters, else "simplified"."""
    han = [ch for line in lines for ch in line if "\u4e00" <= ch <= "\u9fff"]
    changed = sum(a != b for a, b in zip(han, to_simplified("".join(han)), strict=False))
    return "traditional" if han and changed / len(han) > 0.03 else "simplified"


def _metadata(article: Found, text: dict[int, str], raw: dict[int, str], own: list[int], marker: int | None,
              noise: dict) -> None:
    """Fill ``article.meta`` with what the text states; say in ``article.notes`` what it does not."""
    meta: dict[str, object] = {"title": None, "outlet": None, "authors": None, "date": None}
    body = [n for n in own if n not in noise or noise[n][1] == "headline printed inside the article"]
    heads = [n for n in body if n < marker] if marker else []
    if marker is None:  # no byline: the short lines that open the text are its headline block
        for n in body[:4]:
            if len(text[n]) > HEAD_MAX or _complete(text[n]) and not text[n].endswith(("?", "!")):
                break
            heads.append(n)
        if len(heads) >= 2 and _run_together(text[heads[-1]]):
            names = heads.pop()
            noise[names] = ("metadata", "byline: names printed run together")
            article.notes.append(f"authors printed run together as {raw[names].strip()}; split them by hand")
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
    markers = [marker] if marker else []
    for n in own:  # a publication line, a byline and a dateline may follow one another
        if markers and n > markers[-1] and n not in noise and _marker(text[n]) and len(markers) < 3:
            if own.index(n) == own.index(markers[-1]) + 1:
                markers.append(n)
    authors: list[str] = []
    for at in markers:
        line, kind = text[at], _marker(text[at])
        names: list[str] = []
        if kind == "byline":
            noise[at] = ("metadata", "byline")
            match = BYLINE.match(line) or SLASH_BYLINE.match(line)
            names = _names(match["names"])
            outlet = match.groupdict().get("outlet")
            if outlet and not outlet.startswith("本报") and meta["outlet"] is None:
                meta["outlet"] = _as_printed(outlet, line, raw[at])
        elif kind == "dateline":
            match = DATELINE.match(line)
            names = _names(match["names"] or "")
            article.notes.append(f"dateline {_as_printed(match.group(0).split('(')[0], line, raw[at])}")
            if meta["title"] is None:
                first = re.split(r"(?<=[。!?])", raw[at].strip(), maxsplit=1)[0]
                meta["supplied_title"] = re.sub(r"^.*?[)）]", "", first).rstrip("。!?！？")
        elif kind == "published":
            noise[at] = ("metadata", "publication line: date, source, editor")
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
            article.notes.append(f"{key}: not stated in the text")
    article.meta = meta
