"""The library: every lesson, searchable and filterable; each lesson as the brief shows it; the source viewer."""

from __future__ import annotations

from flask import Blueprint, abort, jsonify, render_template, request, url_for

from ..context import handout_context
from ..matching import Folded
from ..registry import article_lines
from ..templating import render
from .project import state

blueprint = Blueprint("library", __name__)


def _filters() -> dict[str, str]:
    return {key: request.args.get(key, "").strip() for key in ("q", "theme", "place", "article")}


@blueprint.get("/healthz")
def healthz():
    return "ok", 200, {"Content-Type": "text/plain; charset=utf-8"}


@blueprint.get("/")
def index():
    s, filters = state(), _filters()
    found = s.search(filters["q"], filters["theme"], filters["place"], filters["article"])
    places = sorted({p for lesson in s.corpus.lessons.values() for p in lesson.places})
    return render_template("studio/library.html", lessons=found, filters=filters, places=places, corpus=s.corpus)


@blueprint.get("/search")
def search():
    """The stable contract for scripts: the lessons matching ``q`` (and the filters), with their ids."""
    filters = _filters()
    found = state().search(filters["q"], filters["theme"], filters["place"], filters["article"])
    return jsonify(query=filters["q"], count=len(found),
                   lessons=[{"id": lesson.id, "title": lesson.title, "themes": lesson.themes, "places": lesson.places,
                             "url": url_for(".lesson", lesson_id=lesson.id)} for lesson in found])


def _lesson(lesson_id: str):
    lesson = state().corpus.lessons.get(lesson_id)
    if lesson is None:
        abort(404)
    return lesson


@blueprint.get("/lesson/<lesson_id>")
def lesson(lesson_id: str):
    lesson, quotes = _lesson(lesson_id), []
    for src in lesson.sources:
        for passage in src.passages:
            index = sum(article == src.article for article, _, _ in quotes)
            quotes.append((src.article, passage.text,
                           url_for(".source", article_id=src.article, lesson=lesson.id, passage=index, _anchor="found")))
    return render_template("studio/lesson.html", lesson=lesson, quotes=quotes, corpus=state().corpus)


@blueprint.get("/lesson/<lesson_id>/brief")
def lesson_brief(lesson_id: str):
    """The lesson's handout as the PDF is made from it."""
    s, lesson = state(), _lesson(lesson_id)
    department = s.default
    context = handout_context(department, lesson, s.corpus, department.sessions[0].date)
    return render(s.corpus.root, department, "handout", context)


@blueprint.get("/source/<article_id>")
def source(article_id: str):
    """The article's text with line numbers, noise greyed, and the passage a lesson quotes highlighted."""
    s = state()
    article = s.corpus.articles.get(article_id)
    if article is None:
        abort(404)
    passage, lesson, found = None, None, None
    if request.args.get("lesson") in s.corpus.lessons:
        lesson = s.corpus.lessons[request.args["lesson"]]
        passages = [p.text for src in lesson.sources if src.article == article.id for p in src.passages]
        index = request.args.get("passage", type=int)
        if index is not None and 0 <= index < len(passages):
            passage = passages[index]
            found = Folded.of(article.body).lines_of(passage)
    return render_template("studio/source.html", article=article, lines=article_lines(s.corpus.root, article),
                           passage=passage, lesson=lesson, found=found)
