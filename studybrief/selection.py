"""Which lessons each brief holds, in what order."""

from __future__ import annotations

from .departments import Department, Session
from .errors import Problem
from .i18n import _
from .matching import Folded
from .model import Corpus, Lesson


def reading_order(corpus: Corpus) -> dict[str, tuple[int, int]]:
    """Return each lesson's place in the articles: registry order, then where its first quote stands."""
    articles = list(corpus.articles)
    folded = {a.id: Folded.of(a.body) for a in corpus.articles.values()}
    order = {}
    for lesson in corpus.lessons.values():
        first = lesson.sources[0]
        position = folded[first.article].find(first.passages[0].text) if first.article in folded else -1
        order[lesson.id] = (articles.index(first.article) if first.article in articles else len(articles), position)
    return order


def select(session: Session, corpus: Corpus, order: dict[str, tuple[int, int]]) -> list[Lesson]:
    """Return the lessons of ``session``: those it names, in its order, then its themes' in reading order."""
    chosen = [corpus.lessons[i] for i in session.lessons if i in corpus.lessons]
    themed = sorted((lesson for lesson in corpus.lessons.values()
                     if set(lesson.themes) & set(session.themes) and lesson not in chosen),
                    key=lambda lesson: order[lesson.id])
    return [lesson for lesson in chosen + themed if lesson.id not in session.exclude]


def check_departments(departments: dict[str, Department], corpus: Corpus) -> list[Problem]:
    """Return every lesson or theme a department names that the corpus does not have."""
    problems, order = [], reading_order(corpus)
    for department in departments.values():
        seen: set[str] = set()
        for session in department.sessions:
            path = department.config
            if session.id in seen:
                problems.append(Problem(path, session.line, _("duplicate session id '{id}'").format(id=session.id)))
            seen.add(session.id)
            for lesson in sorted({x for x in session.lessons if session.lessons.count(x) > 1}):
                problems.append(Problem(path, session.line, _("session {id} lists lesson '{lesson}' more than once")
                                        .format(id=session.id, lesson=lesson)))
            for lesson in session.lessons + session.exclude:
                if lesson not in corpus.lessons:
                    problems.append(Problem(path, session.line, _("session {id} names unknown lesson '{lesson}'")
                                            .format(id=session.id, lesson=lesson)))
            for theme in session.themes:
                if theme not in corpus.themes:
                    problems.append(Problem(path, session.line, _("session {id} names unknown theme '{theme}'")
                                            .format(id=session.id, theme=theme)))
            if not problems and not select(session, corpus, order):
                problems.append(Problem(path, session.line, _("session {id} selects no lesson").format(id=session.id)))
    return problems
