"""The genre's marks, as rules read them: what starts an article, what is noise, what a heading looks like.

They describe Chinese newspaper pages, news sites and field reports, never a particular outlet
or person. Every rule reads a line folded to simplified, half-width characters, so a page printed
in traditional script or with full-width punctuation is read by the same rules.
"""

from __future__ import annotations

import re
import unicodedata

from ..i18n import N_
from ..matching import to_simplified

HEAD_MAX = 40  # characters: longer lines are paragraphs, not headlines
SHORT = 20  # characters: a lone sentence this short between paragraphs is a caption or a stray fragment
ENDS = "。!?;…\"”’)】"  # what a complete paragraph ends with (folded)

ROLES = r"(?:本报|全媒体|特约|见习|实习|首席)?(?:记者|通讯员|实习生|摄影|撰稿|作者)"
BYLINE = re.compile(rf"^(?P<outlet>[^\s,。:!?]{{0,12}}?(?:日报|晚报|时报|商报|青年报|报|新闻网|融媒体中心|电视台))?[^\s,。:!?]{{0,8}}?{ROLES}"
                    r"\s*[/:]?\s*(?P<names>(?:[\u4e00-\u9fff·]{1,8}(?:\s+|、|,|/|$)){1,8})$")
DATELINE = re.compile(r"^(?:本报|新华社|中新社|人民网)(?:讯|[^\s(]{0,8}?\d{1,2}月\d{1,2}日电)\s*(?:\((?P<names>[^)]*)\))?")
SLASH_BYLINE = re.compile(r"^(?:文|文图|图文|文字)\s*[/|丨]\s*(?P<names>(?:[\u4e00-\u9fff·]{1,8}(?:\s+|、|,|$)){1,6})$")
PUBLISHED = re.compile(r"(?P<date>(?:19|20)\d\d-\d\d-\d\d)(?:\s+\d\d:\d\d(?::\d\d)?)?\s*.*(?:来源|编辑|作者)"
                       r"|^(?:发布时间|发布日期|发表时间|时间)\s*:\s*(?P<date2>(?:19|20)\d\d-\d\d-\d\d)"
                       r"|^[^\d,。]{0,20}?\s*(?P<date3>(?:19|20)\d\d年\d{1,2}月\d{1,2}日)(?:\s*\d{1,2}:\d\d)?$")
CONTINUED = re.compile(r"^\((?:上接|下转)第\S{1,3}版\)")
SPAM = re.compile(r"AV|无码|人妻|少妇|激情|色情|成人视频|博彩|彩票|赌场|棋牌|代孕|约炮|裸聊|黄色网站")
NOISE_RULES = (  # (kind, reason, pattern on the folded line); first match wins
    ("banner", N_("app banner"), re.compile(r"下载.{0,6}APP|下载客户端|扫码|扫一扫|二维码|长按识别|关注公众号|点击阅读原文")),
    ("footer", N_("copyright notice"), re.compile(r"版权所有|版权作品|未经授权|严禁转载|转载须注明|Copyright|©")),
    ("editor", N_("editor line"), re.compile(r"^(?:\(|【)?(?:责任编辑|责编|编辑|初审|二审|三审|终审|校对|审核|监制|值班编委)\s*:")),
    ("metadata", N_("source line"), re.compile(r"^(?:\(|【)?(?:来源|稿源|出处)\s*:")),
    ("caption", N_("photo credit"), re.compile(r"^\(.*(?:图片|图/|摄).*\)$|^(?:图片|图)(?:来源|由|:)|\S+\s*摄$|^\S{2,4}\s+\S{0,4}\s*摄\S*$")),
    ("caption", N_("photo caption"), re.compile(r"^(?:▲|△|■|图为|上图|下图|左图|右图|图\d|题图)")),
    ("furniture", N_("page furniture"), re.compile(r"^(?:第\S{1,3}版|\S{0,6}版\s*[::]|返回目录|上一篇|下一篇|分享到"
                                                     r"|字号|打印本页|关闭窗口|阅读\s*\d+)")),
)
# A caption names what a photograph shows; a short sentence of the article has a clause or a function word.
PROSE = re.compile(r"[,、;:…]|\.\.|[是不了这那也都还就又却但而再看要会能吗呢吧我你他她它]")
NUMBERED = re.compile(r"^(?:[一二三四五六七八九十]+、|\([一二三四五六七八九十]+\)|\d+[.、]|[一二三四五六七八九十]是)")


def fold(line: str) -> str:
    """Return ``line`` as the rules read it: simplified and half-width, character for character where it can."""
    return unicodedata.normalize("NFKC", to_simplified(line.strip()))


def complete(text: str) -> bool:
    """Return whether ``text`` ends the way a paragraph ends."""
    return text.endswith(tuple(ENDS))


def noise_of(text: str) -> tuple[str, str] | None:
    """Return the kind of noise ``text`` is and why, or None when it may be article text."""
    if len(SPAM.findall(text)) >= 2:
        return "spam", N_("spam line")
    for kind, reason, pattern in NOISE_RULES:
        if pattern.search(text):
            return kind, reason
    return None


def marker(text: str) -> str | None:
    """Return what kind of article start ``text`` is: a dateline, a byline, a publication line, or None."""
    if DATELINE.match(text):
        return "dateline"
    if len(text) <= HEAD_MAX and (BYLINE.match(text) or SLASH_BYLINE.match(text)) and not complete(text):
        return "byline"
    if PUBLISHED.search(text) and len(text) <= 120:
        return "published"
    return None
