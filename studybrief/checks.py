"""Check the corpus: references resolve, every quote is verbatim, every printed figure, place and quoted phrase is the article's."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal

from .errors import Problem
from .i18n import N_, _
from .matching import Folded, fold
from .model import DRAFT, TO_DO, Article, Corpus, Lesson, Located, Source
from .numerals import Number, numbers
from .typography import balanced

MAX_THEMES = 3
MAX_TITLE = 60  # characters: a heading that fits two lines of the contents
KINDS = ("经验", "教训")
MIN_PASSAGE = 8  # letters and digits: a clause, so a passage cannot be a word that licenses anything
# Fields that report the article: they may not carry a date relative to when it was written.
REPORTING = {"title", "places", "background", "problem", "causes", "actions", "figure", "meaning", "takeaways",
             "for_our_city", "for_city"}
# Fields whose text in quotation marks claims to be the article's words.
QUOTING = {"title", "background", "problem", "causes", "actions", "meaning", "takeaways", "for_our_city", "questions"}
# Lesson keys that print no prose of their own: ids, controlled vocabulary, and the quotes checked verbatim.
UNPRINTED = {"id", "themes", "kind", "terms", "see", "sources", "status"}
QUOTED = re.compile(r"“([^“”]+)”|「([^「」]+)」|『([^『』]+)』|‘([^‘’]+)’|〝([^〝〞]+)〞|[\"＂]([^\"＂]+)[\"＂]")
_NUMERAL = r"\d〇零一二三四五六七八九十两"
_RELATIVE = re.compile(
    r"(?:今|去|前|明|后|本|上|下)年(?:度)?(?:以来|年初|年底|年末|初|底|末|上半年|下半年|[一二三四]季度)?"
    r"|今(?:春|夏|秋|冬)|去(?:春|夏|秋|冬)"
    rf"|(?<![{_NUMERAL}年余多几数])(?:上半年|下半年|年初|年底|年末|年内|[一二三四]季度|上季度|本季度)"
    r"|近日|日前|目前|近期|近来|近年来?|近几年|近些年|这几年|这些年|前些年|最近|如今|眼下|当前|当下|时下|现如今"
    r"|(?<![体表实展出呈])现在|(?:本|上|下|这个|上个|下个)(?:月|周|星期)|(?<![\d〇零一二三四五六七八九十上下本个])月(?:初|底|末)"
    r"|昨天|昨日|今天|今日|明天|前天|前不久|不久前|刚刚")
# Left alone: a relative-date word that is the end of another word (以上|年均, 说明|年轻, 三年后|年产值, 过去|年代).
_NOT_DATES = re.compile(r"上年纪|年度报告|下年级|本年龄|(?<=[以之然年日天月周])后年|(?<=[以之年日天月提目])前年"
                        r"|(?<=以)[上下]年|(?<=[基资成])本年|(?<=[说证透文光声表发])明年|(?<=[至当])今年|(?<=[过失离])去年")
_YEAR_OFFSET = {"今": 0, "本": 0, "去": -1, "上": -1, "前": -2, "明": 1, "下": 1, "后": 2}
# Characters that print as nothing (Unicode format characters and the other default-ignorables).
_IGNORABLE = {0x034F, 0x115F, 0x1160, 0x17B4, 0x17B5, 0x3164, 0xFFA0, *range(0xFE00, 0xFE10)}


@dataclass(frozen=True)
class Printed:
    """One text a brief prints, with the key it comes from and its line."""

    key: str
    line: int
    text: str


def printed(lesson: Lesson) -> Iterator[Printed]:
    """Yield every text of ``lesson`` that reaches a brief, each list item and result field on its own."""
    yield Printed("title", lesson.line_of["title"], lesson.title)
    for key in ("places", "causes", "actions", "takeaways", "questions"):
        for i, text in enumerate(getattr(lesson, key)):
            yield Printed(key, lesson.item_line(key, i), text)
    yield Printed("background", lesson.line_of["background"], lesson.background)
    if lesson.problem:
        yield Printed("problem", lesson.line_of["problem"], lesson.problem)
    for result in lesson.results:
        yield Printed("figure", result.line_of.get("figure", result.quote.line), result.figure)
        yield Printed("meaning", result.line_of.get("meaning", result.quote.line), result.meaning)
    if lesson.for_our_city:
        yield Printed("for_our_city", lesson.line_of["for_our_city"], lesson.for_our_city)
    if lesson.for_city:
        yield Printed("for_city", lesson.line_of["for_city"], lesson.for_city)


def invisible(text: str) -> list[str]:
    """Return each character of ``text`` that prints as nothing, named with its code point and position."""
    return [_("U+{code:04X} {name} at character {position}").format(
                code=ord(ch), name=unicodedata.name(ch, "FORMAT CHARACTER"), position=i + 1)
            for i, ch in enumerate(text) if unicodedata.category(ch) == "Cf" or ord(ch) in _IGNORABLE]


def _invisible(text: str) -> str:
    found = invisible(text)
    return _("; it holds an invisible character: {found}").format(found=", ".join(found)) if found else ""


def substance(text: str) -> int:
    """Return how many letters and digits ``text`` holds: what a passage's length is measured in."""
    return sum(unicodedata.category(ch)[0] in "LN" for ch in text)


def _passage_problems(path, passage: Located, article: Article, folded: Folded, anywhere: Folded) -> list[Problem]:
    size = substance(passage.text)
    if size < MIN_PASSAGE:
        return [Problem(path, passage.line, _("passage «{quote}» is too short to stand as a quote ({size} letters or "
                                              "digits); quote at least a clause, {least} or more")
                        .format(quote=passage.text, size=size, least=MIN_PASSAGE))]
    if folded.find(passage.text) >= 0:
        return []
    if anywhere.find(passage.text) >= 0:
        return [Problem(path, passage.line, _("quote «{quote}» is typed in traditional characters, but article {article} "
                                              "is printed in simplified ones: quote it as printed")
                        .format(quote=passage.text[:60], article=article.id))]
    return [_miss(path, passage, article, folded)]


def _miss(path, passage: Located, article: Article, folded: Folded) -> Problem:
    line, closest = folded.closest(passage.text)
    return Problem(path, passage.line,
                   _("quote not found in article {article}: «{quote}»; closest passage (seeds/{file}:{line}): «{closest}»")
                   .format(article=article.id, quote=passage.text[:60], file=article.file, line=line, closest=closest[:60])
                   + _invisible(passage.text))


def _source_problems(path, source: Source, corpus: Corpus, folded: dict[str, Folded], anywhere: dict[str, Folded],
                     what: str) -> list[Problem]:
    article = corpus.articles.get(source.article)
    if article is None:
        return [Problem(path, source.line, _("{what} cites unknown article '{article}'").format(what=what, article=source.article))]
    return [p for passage in source.passages
            for p in _passage_problems(path, passage, article, folded[article.id], anywhere[article.id])]


def _shown(number: Number) -> str:
    """Return ``number`` as written, with its value where the writing does not show it (六千万, 三分之一, 3 of 3至5万)."""
    digits = re.sub(r"[^\d.]", "", number.text)
    if digits and digits.strip(".") and Decimal(digits) == number.value:
        return number.text
    value = number.value.to_integral() if number.value == number.value.to_integral() else round(number.value, 4).normalize()
    return f"{number.text} (= {value:f}{'%' if number.percent else ''})"


def _unbacked(text: str, backing: set[Number]) -> Iterator[tuple[Number, str]]:
    """Yield each number of ``text`` that ``backing`` does not state, with what the backing says instead."""
    for number in numbers(text):
        if number in backing:
            continue
        hedged = sorted({b.text for b in backing if b.claim == number.claim})
        yield number, (_("; the quote says {said}: keep its 多/余/近/约").format(said="、".join(hedged)) if hedged else "")


def _dated(text: str, articles: list[Article]) -> str:
    """Return ``text`` with each cited article's own date (2023年11月15日, 2023年11月) blanked: the registry backs it."""
    for date in {a.date for a in articles if a.date}:
        year, month, day = (int(part) for part in date.split("-"))
        for written in (f"{year}年{month}月{day}日", f"{year}年{month}月"):
            text = text.replace(written, " " * len(written))
    return text


def relative_dates(text: str) -> Iterator[re.Match]:
    """Yield each word of ``text`` that dates something from when its article was written (今年, 近日, 目前 …)."""
    masked = _NOT_DATES.sub(lambda m: "\0" * len(m.group()), text)
    yield from _RELATIVE.finditer(masked)


def _relative_dates(item: Printed, articles: list[Article]) -> Iterator[str]:
    for m in relative_dates(item.text):
        word = m.group()
        dated = sorted({a.date for a in articles if a.date})
        if not dated:
            yield _("relative date '{word}' in {key}: the article gives no year, so the brief cannot say when that was; "
                    "write 报道时 or drop the time").format(word=word, key=item.key)
            continue
        year, month = int(dated[0][:4]), int(dated[0][5:7])
        counted = re.fullmatch(r"(.)年(?:度)?(.*)", word)
        if counted and counted.group(1) in _YEAR_OFFSET:
            meant = f"{year + _YEAR_OFFSET[counted.group(1)]}年" + counted.group(2)
        elif re.fullmatch(r"上半年|下半年|年初|年底|年末|年内|[一二三四]季度", word):
            meant = f"{year}年{word.removeprefix('年')}" if word == "年内" else f"{year}年{word}"
        else:
            meant = f"报道时（{year}年{month}月）"
        yield _("relative date '{word}' in {key}: the article is dated {date}, so it means {meant}; write that").format(
            word=word, key=item.key, date=dated[0], meant=meant)


def _kind_problems(lesson: Lesson) -> list[Problem]:
    """Return what is missing or out of place for the lesson's kind: a 教训 is never laid out as a 做法."""
    where = lesson.line_of
    if lesson.kind not in KINDS:
        return [Problem(lesson.path, where["kind"], _("kind must be 经验 or 教训, not '{kind}'").format(kind=lesson.kind))]
    if lesson.kind == "经验":
        wrong = [k for k in ("problem", "causes") if getattr(lesson, k)]
        return [Problem(lesson.path, where[k], _("'{key}' belongs to a 教训; set kind: 教训 or drop it").format(key=k))
                for k in wrong] + \
            ([] if lesson.actions else [Problem(lesson.path, where["kind"], _("an 经验 needs 'actions' (主要做法)"))])
    problems = [Problem(lesson.path, where["kind"], _("a 教训 needs '{key}' ({label})").format(key=k, label=_(label)))
                for k, label in (("problem", N_("问题: what went wrong")), ("causes", N_("原因: why")))
                if not getattr(lesson, k)]
    if lesson.actions:
        problems.append(Problem(lesson.path, where["actions"], _("a 教训 has no 'actions' (主要做法): say what went wrong "
                                                                 "under 'problem', why under 'causes'")))
    return problems


def _to_do(lesson: Lesson) -> list[Problem]:
    """Return a problem for each field a published lesson still leaves to do; a draft may."""
    marked = [(item.key, item.line, item.text) for item in printed(lesson)] + \
        [("themes", lesson.line_of["themes"], t) for t in lesson.themes]
    return [Problem(lesson.path, line, _("{key} is still marked {mark}: complete it, or mark the lesson 'status: draft'")
                    .format(key=key, mark=TO_DO)) for key, line, text in marked if TO_DO in text]


def _lesson_problems(lesson: Lesson, corpus: Corpus, folded: dict[str, Folded], anywhere: dict[str, Folded]) -> list[Problem]:
    path, problems = lesson.path, []
    if lesson.status == DRAFT:  # a draft is held to fidelity only (quotes, figures); the rest waits for a person
        return _fidelity_problems(lesson, corpus, folded, anywhere)
    problems += _to_do(lesson)
    if len(lesson.title) > MAX_TITLE:
        problems.append(Problem(path, lesson.line_of["title"],
                                _("title is {size} characters; shorten it to {most} or fewer")
                                .format(size=len(lesson.title), most=MAX_TITLE)))
    if not 1 <= len(lesson.themes) <= MAX_THEMES:
        problems.append(Problem(path, lesson.line_of["themes"], _("a lesson has one to {most} themes, not {count}")
                                .format(most=MAX_THEMES, count=len(lesson.themes))))
    for theme in lesson.themes:
        if theme not in corpus.themes:
            problems.append(Problem(path, lesson.line_of["themes"],
                                    _("unknown theme '{theme}' (known: {known})").format(theme=theme, known=", ".join(corpus.themes))))
    problems += _kind_problems(lesson)
    for other in lesson.see:
        if other not in corpus.lessons or other == lesson.id:
            problems.append(Problem(path, lesson.line_of["see"], _("see: '{id}' is not another lesson's id").format(id=other)))
    for term in lesson.terms:
        if term not in corpus.glossary:
            problems.append(Problem(path, lesson.line_of["terms"], _("unknown glossary term '{term}'").format(term=term)))
    if lesson.for_our_city and not lesson.for_city:
        problems.append(Problem(path, lesson.line_of["for_our_city"],
                                _("for_our_city needs for_city: the city the article addresses it to (株洲, 杭州 …)")))
    return problems + _fidelity_problems(lesson, corpus, folded, anywhere) + _prose_problems(lesson, corpus, anywhere)


def _fidelity_problems(lesson: Lesson, corpus: Corpus, folded: dict[str, Folded], anywhere: dict[str, Folded]) -> list[Problem]:
    """Return where a quote is not the article's, or a printed number is not in a quote."""
    path, problems = lesson.path, []
    for source in lesson.sources:
        problems += _source_problems(path, source, corpus, folded, anywhere, _("lesson {id}").format(id=lesson.id))
        problems += [Problem(path, p.line, _("quote «{quote}» opens or closes a quotation mark it does not close or open; "
                                             "extend it to the whole quotation").format(quote=p.text[:30]))
                     for p in source.passages if not balanced(p.text)]
    cited = [corpus.articles[a] for a in dict.fromkeys(s.article for s in lesson.sources) if a in folded]
    # The year an article is dated is backed by the registry, so 今年 can be written out as that year;
    # 上世纪 in a passage is the 20世纪 of the edited prose.
    years = {Number(Decimal(a.date[:4])) for a in cited if a.date}
    quoted = years | {n for s in lesson.sources for p in s.passages
                      for n in [*numbers(p.text), *([Number(Decimal(20))] if "上世纪" in p.text else [])]}
    for result in lesson.results:
        if not any(substance(result.quote.text) >= MIN_PASSAGE and folded[a.id].find(result.quote.text) >= 0
                   for a in cited):
            problems += (_passage_problems(path, result.quote, cited[0], folded[cited[0].id], anywhere[cited[0].id])
                         if cited else [Problem(path, result.quote.line,
                                                _("result quote cannot be checked: the lesson cites no known article"))])
        stated = years | set(numbers(result.quote.text))
        quoted |= stated
        if not numbers(result.figure) and fold(result.figure) not in fold(result.quote.text):
            problems.append(Problem(path, result.line_of.get("figure", result.quote.line),
                                    _("figure '{figure}' does not occur in its quote").format(figure=result.figure)))
        for key, text in (("figure", result.figure), ("meaning", result.meaning)):
            for number, hint in _unbacked(_dated(text, cited), stated):
                problems.append(Problem(path, result.line_of.get(key, result.quote.line),
                                        _("{key} {number} in result '{figure}' does not occur in its quote")
                                        .format(key=key, number=_shown(number), figure=result.figure) + hint))
    for item in printed(lesson):
        if item.key not in ("figure", "meaning"):
            for number, hint in _unbacked(_dated(item.text, cited), quoted):
                problems.append(Problem(path, item.line, _("number {number} in {key} does not occur in any quoted passage")
                                        .format(number=_shown(number), key=item.key) + hint))
    return problems


def _prose_problems(lesson: Lesson, corpus: Corpus, anywhere: dict[str, Folded]) -> list[Problem]:
    """Return where the prose dates from the article's time, quotes what it does not say, or names another place."""
    path, problems = lesson.path, []
    cited = [corpus.articles[a] for a in dict.fromkeys(s.article for s in lesson.sources) if a in anywhere]
    for item in printed(lesson):
        hidden = invisible(item.text)
        if hidden:
            problems.append(Problem(path, item.line, _("{key} holds an invisible character: {found}; delete it")
                                    .format(key=item.key, found=", ".join(hidden))))
        if item.key in REPORTING:
            problems += [Problem(path, item.line, message) for message in _relative_dates(item, cited)]
        if item.key in QUOTING:
            for m in QUOTED.finditer(item.text):
                phrase = next(g for g in m.groups() if g)
                if not any(anywhere[a.id].find(phrase) >= 0 for a in cited):
                    problems.append(Problem(path, item.line, _("quoted phrase “{phrase}” in {key} does not occur in the "
                                                               "cited article; quote its words or drop the marks")
                                            .format(phrase=phrase, key=item.key)))
        if item.key in ("places", "for_city") and not any(anywhere[a.id].find(item.text) >= 0 for a in cited):
            problems.append(Problem(path, item.line, _("{key} '{text}' does not occur in the cited article; name it as "
                                                       "the article does").format(key=item.key, text=item.text)))
    return problems


def drafts(corpus: Corpus) -> list[Problem]:
    """Return a warning for each draft lesson: it is listed, not refused, and in no brief."""
    return [Problem(d.path, d.line_of["status"], _("warning: draft lesson, left out of every brief until you complete it "
                                                   "and delete 'status: draft'")) for d in corpus.drafts.values()]


def check(corpus: Corpus) -> list[Problem]:
    """Return every problem in the cross-references, quotes and printed claims of ``corpus``."""
    folded = {a.id: Folded.of(a.body, a.text_script == "traditional") for a in corpus.articles.values()}
    anywhere = {a.id: Folded.of(a.body) for a in corpus.articles.values()}
    problems: list[Problem] = []
    for lesson in [*corpus.lessons.values(), *corpus.drafts.values()]:
        problems += _lesson_problems(lesson, corpus, folded, anywhere)
    path = corpus.root / "content" / "glossary.yaml"
    for term in corpus.glossary.values():
        quoted: set[Number] = set()
        for source in term.sources:
            problems += _source_problems(path, source, corpus, folded, anywhere,
                                         _("glossary term {term}").format(term=term.term))
            quoted |= {n for p in source.passages for n in numbers(p.text)}
        for number, hint in _unbacked(term.definition, quoted):
            problems.append(Problem(path, term.line, _("number {number} in the definition of {term} does not occur in "
                                                       "its passages").format(number=_shown(number), term=term.term) + hint))
    return problems
