"""Build the one dict a template renders for each brief: display-ready text, numbered references."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime

from markupsafe import Markup, escape

from .citation import Reference, named_articles, number_references, title_of
from .departments import Department, Session
from .errors import UsageError
from .excerpts import ALL, cuts, key_passages, mark
from .i18n import _
from .model import Article, Corpus, Lesson, Source
from .typography import chinese_date, display, lead_sentence, prose, quotation

NUMERALS = "零一二三四五六七八九十"
_INNER = str.maketrans("“”", "‘’")  # a title quoted inside “” takes single quotes for its own


def chinese_number(n: int) -> str:
    """Return ``n`` (1..9999) in Chinese numerals, as heading numbers are written: 一、 十一、 一百零五、."""
    if n < 10:
        return NUMERALS[n]
    if n < 20:
        return "十" + (NUMERALS[n % 10] if n % 10 else "")
    digits, text, zero = [int(d) for d in str(n)], "", False
    for place, digit in zip(("千", "百", "十", "")[-len(digits):], digits, strict=True):
        if digit:
            text += ("零" if zero else "") + NUMERALS[digit] + place
            zero = False
        elif text:
            zero = True
    return text


@dataclass
class Cite:
    """A source as shown under a lesson: title, outlet, reference number and its quotes."""

    number: int
    title: str
    outlet: str
    authors: str
    passages: list[str]
    converted: bool


@dataclass
class LessonView:
    """A lesson with every text ready to show."""

    id: str
    anchor: str
    title: str
    places: list[str]
    themes: list[str]
    kind: str
    background: str
    actions: list[str]
    problem: str | None
    causes: list[str]
    results: list[dict]
    takeaways: list[tuple[str, str]]
    for_our_city: str | None
    for_city_heading: str
    questions: list[str]
    cites: list[Cite]
    terms: list[str]
    see_ids: list[str]
    label: str = ""
    see: list[dict] = field(default_factory=list)


@dataclass
class Group:
    """Lessons shown under one heading (a theme, or an article in the compendium)."""

    title: str
    anchor: str
    lessons: list[LessonView] = field(default_factory=list)


def _outlet(article: Article) -> str:
    """Return the outlet as a source line names it: a newspaper or periodical in 书名号."""
    name = display(article.outlet, article.text_script)
    return f"《{name}》" if article.kind == "N" and name.endswith(("报", "刊", "志")) else name


def _cite(source: Source, corpus: Corpus, references: dict[str, Reference], shown: set[int]) -> Cite:
    article = corpus.articles[source.article]
    passages = [quotation(mark(display(p.text, article.text_script), *cuts(article, p.text)))
                for i, p in enumerate(source.passages) if i in shown]
    return Cite(
        number=references[article.id].number,
        title=display(title_of(article), article.text_script),
        outlet=_outlet(article) if article.outlet else "",
        authors="、".join(display(a, article.text_script) for a in article.authors),
        passages=passages,
        converted=article.script == "traditional",
    )


def for_city_heading(lesson: Lesson, city: str) -> str:
    """Return the heading of ``lesson``'s for_our_city: 对我们的借鉴 only where it is addressed to the readers' ``city``."""
    return "对我们的借鉴" if lesson.for_city == city else f"对{lesson.for_city}的借鉴"


def _prose_texts(lesson: Lesson) -> list[str]:
    """Return the lesson's own texts in the order the brief shows them."""
    return [lesson.background, *([lesson.problem] if lesson.problem else []), *lesson.causes, *lesson.actions,
            *(r.meaning for r in lesson.results), *lesson.takeaways,
            *([lesson.for_our_city] if lesson.for_our_city else []), *lesson.questions]


def citations(lesson: Lesson, corpus: Corpus) -> list[str]:
    """Return the articles ``lesson`` cites, in the order a reader meets them: named in its text, then its sources."""
    named = [article for text in _prose_texts(lesson) for _, article in named_articles(prose(text), corpus.articles)]
    return named + [s.article for s in lesson.sources]


def _numbered(text: str, corpus: Corpus, references: dict[str, Reference]) -> str:
    """Return prose ``text`` with the reference number after each article it names in 《》."""
    shown, start = prose(text), 0
    named = named_articles(shown, corpus.articles)
    if not named:
        return shown
    pieces = []
    for end, article in named:
        pieces.append(escape(shown[start:end]) + Markup(f"<sup>[{references[article].number}]</sup>"))
        start = end
    return Markup("").join(pieces) + escape(shown[start:])


def lesson_view(lesson: Lesson, corpus: Corpus, references: dict[str, Reference], excerpts: str = ALL,
                city: str = "") -> LessonView:
    """Return ``lesson`` ready to show: its sources and the articles its text names numbered by ``references``,
    its key passages or ``ALL``, for readers in ``city``."""
    key = key_passages(lesson) if excerpts != ALL else None
    cites = [_cite(s, corpus, references, {j for j in range(len(s.passages)) if key is None or (i, j) in key})
             for i, s in enumerate(lesson.sources)]

    def text(value: str) -> str:
        return _numbered(value, corpus, references)

    return LessonView(
        id=lesson.id, anchor=f"lesson-{lesson.id}", title=prose(lesson.title), places=lesson.places,
        themes=[corpus.themes[t].name for t in lesson.themes if t in corpus.themes], kind=lesson.kind,
        background=text(lesson.background), actions=[text(a) for a in lesson.actions],
        problem=text(lesson.problem) if lesson.problem else None, causes=[text(c) for c in lesson.causes],
        results=[{"figure": prose(r.figure), "meaning": text(r.meaning)} for r in lesson.results],
        takeaways=[lead_sentence(text(t)) for t in lesson.takeaways],
        for_our_city=text(lesson.for_our_city) if lesson.for_our_city else None,
        for_city_heading=for_city_heading(lesson, city),
        questions=[text(q) for q in lesson.questions], cites=cites, terms=lesson.terms, see_ids=lesson.see,
    )


def _glossary(lessons: list[Lesson], corpus: Corpus, references: dict[str, Reference]) -> list[dict]:
    used = list(dict.fromkeys(t for lesson in lessons for t in lesson.terms))
    return [{"term": display(t), "definition": prose(corpus.glossary[t].definition),
             "numbers": "".join(f"[{references[s.article].number}]" for s in corpus.glossary[t].sources)}
            for t in used]


def _references(lessons: list[Lesson], corpus: Corpus) -> dict[str, Reference]:
    """Number the articles the lessons cite, in the order shown, then those only their glossary terms cite."""
    terms = [corpus.glossary[t] for lesson in lessons for t in lesson.terms]
    return number_references([a for lesson in lessons for a in citations(lesson, corpus)] +
                             [s.article for term in terms for s in term.sources], corpus.articles)


def _department(department: Department) -> dict:
    values = {key: getattr(department, key) for key in
              ("id", "name", "brief_name", "issuing_body", "marking", "distribution", "copies", "footer", "accent",
               "body_font", "pdf_style", "emblem_height")}
    return {**values, "emblem": department.emblem.resolve().as_uri() if department.emblem else ""}


def timestamp(date: str) -> str:
    """Return the time documents carry: SOURCE_DATE_EPOCH when set (reproducible builds), else the brief's date."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch:
        # Word and ZIP dates cannot go before 1980 nor past 9999: refuse what would be silently clamped or crash.
        if not re.fullmatch(r"[0-9]{1,12}", epoch) or not 315532800 <= int(epoch) < 253402300800:
            raise UsageError(_("SOURCE_DATE_EPOCH must be whole seconds since 1970 between 1980 and 9999 "
                               "(e.g. 1764000000), not {value}").format(value=repr(epoch)))
        return datetime.fromtimestamp(int(epoch), tz=UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    return f"{date}T00:00:00Z"


def _base(kind: str, title: str, department: Department, lessons: list[Lesson], corpus: Corpus,
          date: str, excerpts: str = ALL) -> dict:
    references = _references(lessons, corpus)
    views = [lesson_view(lesson, corpus, references, excerpts, department.city or "") for lesson in lessons]
    keywords = list(dict.fromkeys(name for view in views for name in view.themes))
    return {
        "kind": kind, "title": prose(title), "department": _department(department), "date": chinese_date(date),
        "iso_date": date, "created": timestamp(date), "lessons": views, "terms": _glossary(lessons, corpus, references),
        "references": [{"number": r.number, "text": r.text} for r in references.values()],
        "meta": {"title": prose(title), "author": department.issuing_body, "keywords": keywords,
                 "subject": f"{department.brief_name}：" + "；".join(v.title for v in views[:5])},
    }


def session_context(department: Department, session: Session, lessons: list[Lesson], corpus: Corpus) -> dict:
    """Return the context of a session brief: lessons grouped by theme, glossary and references.

    The lessons are grouped before their sources are numbered, so numbers follow the order they are read in.
    """
    order = session.themes + [t for lesson in lessons for t in lesson.themes]
    theme_of = {lesson.id: next(t for t in order if t in lesson.themes) for lesson in lessons}
    first = {theme: i for i, theme in reversed(list(enumerate(theme_of[lesson.id] for lesson in lessons)))}
    lessons = sorted(lessons, key=lambda lesson: first[theme_of[lesson.id]])
    context = _base("session", session.title, department, lessons, corpus, session.date, department.excerpts)
    groups: dict[str, Group] = {}
    for view, lesson in zip(context["lessons"], lessons, strict=True):
        theme = theme_of[lesson.id]
        groups.setdefault(theme, Group(corpus.themes[theme].name, f"theme-{theme}")).lessons.append(view)
    _label(groups.values(), "本期")
    context.update(session={"id": session.id, "title": prose(session.title), "issue": session.issue,
                            "audience": prose(session.audience)}, groups=list(groups.values()))
    return context


def handout_context(department: Department, lesson: Lesson, corpus: Corpus, date: str) -> dict:
    """Return the context of a one-lesson handout."""
    context = _base("handout", lesson.title, department, [lesson], corpus, date, department.excerpts)
    context["lesson"] = context["lessons"][0]
    return context


def compendium_context(department: Department, corpus: Corpus, order: dict, date: str) -> dict:
    """Return the context of the compendium: every lesson by article, then an index by theme."""
    lessons = sorted(corpus.lessons.values(), key=lambda lesson: order[lesson.id])
    context = _base("compendium", "经验启示汇编", department, lessons, corpus, date)
    by_article: dict[str, Group] = {}
    for view, lesson in zip(context["lessons"], lessons, strict=True):
        article = corpus.articles[lesson.sources[0].article]
        title = display(title_of(article), article.script)
        by_article.setdefault(article.id, Group(title, f"article-{article.id}")).lessons.append(view)
    _label(by_article.values(), "本汇编")
    by_theme = [Group(theme.name, f"theme-{theme.id}", [v for v, lesson in zip(context["lessons"], lessons, strict=True)
                                                         if theme.id in lesson.themes])
                for theme in corpus.themes.values()]
    context.update(groups=list(by_article.values()), themes=[g for g in by_theme if g.lessons])
    return context


def _label(groups, where: str) -> None:
    """Number groups 一、二、 and their lessons （一）（二）, as Chinese official headings are; resolve ``see``.

    A lesson another one refers to is named by that number, 见本期一（一）; one the brief does not hold is left out.
    """
    numbers = {}
    for i, group in enumerate(groups, 1):
        group.label = f"{chinese_number(i)}、"
        for j, view in enumerate(group.lessons, 1):
            view.label = f"（{chinese_number(j)}）"
            numbers[view.id] = (f"{chinese_number(i)}{view.label}", view)
    for view in numbers.values():
        view[1].see = [{"number": f"{where}{numbers[i][0]}", "title": numbers[i][1].title.translate(_INNER),
                        "anchor": numbers[i][1].anchor} for i in view[1].see_ids if i in numbers]
