"""Check the corpus: references resolve, every quote is verbatim, every figure is quoted."""

from __future__ import annotations

from collections.abc import Iterable

from .errors import Problem
from .i18n import _
from .matching import Folded, numbers_in
from .model import DRAFT, TO_DO, Corpus, Lesson, Located, Source
from .typography import balanced

MAX_THEMES = 3
MAX_TITLE = 60  # characters: a heading that fits two lines of the contents
KINDS = ("经验", "教训")


def _quote_problems(path, source: Source, corpus: Corpus, folded: dict[str, Folded], what: str) -> list[Problem]:
    article = corpus.articles.get(source.article)
    if article is None:
        return [Problem(path, source.line, f"{what} cites unknown article '{source.article}'")]
    return [_miss(path, passage, article.id, article.file, folded[article.id])
            for passage in source.passages if folded[article.id].find(passage.text) < 0]


def _miss(path, passage: Located, article_id: str, file: str, text: Folded) -> Problem:
    line, closest = text.closest(passage.text)
    return Problem(path, passage.line,
                   f"quote not found in article {article_id}: «{passage.text[:60]}»; "
                   f"closest passage (seeds/{file}:{line}): «{closest[:60]}»")


def _narrative(lesson: Lesson) -> Iterable[tuple[str, str]]:
    yield "title", lesson.title
    yield "background", lesson.background
    if lesson.problem:
        yield "problem", lesson.problem
    for key in ("actions", "causes", "takeaways", "questions"):
        for text in getattr(lesson, key):
            yield key, text
    if lesson.for_our_city:
        yield "for_our_city", lesson.for_our_city


def _kind_problems(lesson: Lesson) -> list[Problem]:
    """Return what is missing or out of place for the lesson's kind: a 教训 is never laid out as a 做法."""
    where = lesson.line_of
    if lesson.kind not in KINDS:
        return [Problem(lesson.path, where["kind"], f"kind must be 经验 or 教训, not '{lesson.kind}'")]
    if lesson.kind == "经验":
        wrong = [k for k in ("problem", "causes") if getattr(lesson, k)]
        return [Problem(lesson.path, where[k], f"'{k}' belongs to a 教训; set kind: 教训 or drop it") for k in wrong] + \
            ([] if lesson.actions else [Problem(lesson.path, where["kind"], "an 经验 needs 'actions' (主要做法)")])
    problems = [Problem(lesson.path, where["kind"], f"a 教训 needs '{k}' ({label})")
                for k, label in (("problem", "问题: what went wrong"), ("causes", "原因: why"))
                if not getattr(lesson, k)]
    if lesson.actions:
        problems.append(Problem(lesson.path, where["actions"], "a 教训 has no 'actions' (主要做法): "
                                                               "say what went wrong under 'problem', why under 'causes'"))
    return problems


def _to_do(lesson: Lesson) -> list[Problem]:
    """Return a problem for each field a published lesson still leaves to do; a draft may."""
    marked = [(key, text) for key, text in _narrative(lesson)] + [("places", p) for p in lesson.places] + \
        [("themes", t) for t in lesson.themes] + [("results", r.meaning) for r in lesson.results]
    return [Problem(lesson.path, lesson.line_of[key], f"{key} is still marked {TO_DO}: complete it, or mark the lesson "
                                                      f"'status: draft'") for key, text in marked if TO_DO in text]


def _lesson_problems(lesson: Lesson, corpus: Corpus, folded: dict[str, Folded]) -> list[Problem]:
    path, problems = lesson.path, []
    if lesson.status == DRAFT:  # a draft is held to fidelity only (quotes, figures); the rest waits for a person
        return _fidelity_problems(lesson, corpus, folded)
    problems += _to_do(lesson)
    if len(lesson.title) > MAX_TITLE:
        problems.append(Problem(path, lesson.line_of["title"],
                                f"title is {len(lesson.title)} characters; shorten it to {MAX_TITLE} or fewer"))
    if not 1 <= len(lesson.themes) <= MAX_THEMES:
        problems.append(Problem(path, lesson.line_of["themes"], f"a lesson has one to {MAX_THEMES} themes, not {len(lesson.themes)}"))
    for theme in lesson.themes:
        if theme not in corpus.themes:
            problems.append(Problem(path, lesson.line_of["themes"],
                                    f"unknown theme '{theme}' (known: {', '.join(corpus.themes)})"))
    problems += _kind_problems(lesson)
    for other in lesson.see:
        if other not in corpus.lessons or other == lesson.id:
            problems.append(Problem(path, lesson.line_of["see"], f"see: '{other}' is not another lesson's id"))
    for term in lesson.terms:
        if term not in corpus.glossary:
            problems.append(Problem(path, lesson.line_of["terms"], f"unknown glossary term '{term}'"))
    return problems + _fidelity_problems(lesson, corpus, folded)


def _fidelity_problems(lesson: Lesson, corpus: Corpus, folded: dict[str, Folded]) -> list[Problem]:
    path, problems = lesson.path, []
    for source in lesson.sources:
        problems += _quote_problems(path, source, corpus, folded, f"lesson {lesson.id}")
        problems += [Problem(path, p.line, _("quote «{quote}» opens or closes a quotation mark it does not close or open; "
                                             "extend it to the whole quotation").format(quote=p.text[:30]))
                     for p in source.passages if not balanced(p.text)]
    cited = [a for a in (s.article for s in lesson.sources) if a in folded]
    quoted = set()
    for source in lesson.sources:
        for passage in source.passages:
            quoted |= numbers_in(passage.text) | ({"20"} if "上世纪" in passage.text else set())  # 20世纪, as edited
    for result in lesson.results:
        if not any(folded[a].find(result.quote.text) >= 0 for a in cited):
            problems.append(_miss(path, result.quote, cited[0], corpus.articles[cited[0]].file, folded[cited[0]])
                            if cited else Problem(path, result.quote.line, "result quote cannot be checked: the lesson cites no known article"))
        stated = numbers_in(result.quote.text)
        quoted |= stated
        for number in sorted(numbers_in(result.figure + result.meaning) - stated):
            problems.append(Problem(path, result.quote.line,
                                    f"figure {number} in result '{result.figure}' does not occur in its quote"))
    for key, text in _narrative(lesson):
        for number in sorted(numbers_in(text) - quoted):
            problems.append(Problem(path, lesson.line_of[key], f"number {number} in {key} does not occur in any quoted passage"))
    return problems


def drafts(corpus: Corpus) -> list[Problem]:
    """Return a warning for each draft lesson: it is listed, not refused, and in no brief."""
    return [Problem(d.path, d.line_of["status"], "warning: draft lesson, left out of every brief until you complete it "
                                                 "and delete 'status: draft'") for d in corpus.drafts.values()]


def check(corpus: Corpus) -> list[Problem]:
    """Return every problem in the cross-references and quotes of ``corpus``."""
    folded = {a.id: Folded.of(a.body) for a in corpus.articles.values()}
    problems: list[Problem] = []
    for lesson in [*corpus.lessons.values(), *corpus.drafts.values()]:
        problems += _lesson_problems(lesson, corpus, folded)
    for term in corpus.glossary.values():
        for source in term.sources:
            path = corpus.root / "content" / "glossary.yaml"
            problems += _quote_problems(path, source, corpus, folded, f"glossary term {term.term}")
    return problems
