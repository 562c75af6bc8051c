"""Load content/: themes, glossary and lessons, keeping the line every value came from."""

from __future__ import annotations

from pathlib import Path

from .errors import ContentError, Problem
from .i18n import _
from .identifiers import LESSON_ID, identifier_problem
from .model import DRAFT, GLOSSARY, LESSON, THEMES, Corpus, Lesson, Located, Result, Source, Term, Theme
from .registry import load_articles
from .schema import validate
from .yamlfile import Mapping, Sequence, load

LESSONS_DIR = Path("content") / "lessons"
THEMES_FILE = Path("content") / "themes.yaml"
GLOSSARY_FILE = Path("content") / "glossary.yaml"


def _texts(items: Sequence | None) -> list[str]:
    return [str(x).strip() for x in items or []]


def _sources(items: Sequence) -> list[Source]:
    return [
        Source(s["article"], [Located(p, s["passages"].line_of(i)) for i, p in enumerate(s["passages"])], s.line)
        for s in items
    ]


def _lesson(doc: Mapping, path: Path) -> Lesson:
    results = [Result(r["figure"], r["meaning"], Located(r["quote"], r.line_of("quote")),
                      {k: r.line_of(k) for k in ("figure", "meaning")}) for r in doc.get("results") or []]
    return Lesson(
        id=doc["id"], title=doc["title"].strip(), places=_texts(doc["places"]), themes=_texts(doc["themes"]),
        background=doc["background"].strip(), actions=_texts(doc.get("actions")), takeaways=_texts(doc["takeaways"]),
        questions=_texts(doc["questions"]), sources=_sources(doc["sources"]), path=path,
        line_of={key: doc.line_of(key) for key in LESSON.fields}, results=results,
        for_our_city=(doc.get("for_our_city") or "").strip() or None, for_city=(doc.get("for_city") or "").strip() or None,
        terms=_texts(doc.get("terms")),
        kind=(doc.get("kind") or "经验").strip(), problem=(doc.get("problem") or "").strip() or None,
        causes=_texts(doc.get("causes")), see=_texts(doc.get("see")),
        status=doc.get("status"),
        item_lines={key: [doc[key].line_of(i) for i in range(len(doc[key]))]
                    for key in ("places", "actions", "causes", "takeaways", "questions") if doc.get(key)},
    )


def _load_each(path: Path, spec, problems: list[Problem], root: Path) -> Mapping | None:
    try:
        document = load(path, root)
    except ContentError as e:
        problems += e.problems
        return None
    found = validate(document, spec, path)
    problems += found
    return None if found else document


def load_corpus(root: Path) -> tuple[Corpus, list[Problem]]:
    """Return everything under ``root`` that loads, and every problem met on the way."""
    problems: list[Problem] = []
    try:
        articles, found = load_articles(root)
        problems += found
    except ContentError as e:
        articles, problems = {}, problems + e.problems
    themes: dict[str, Theme] = {}
    document = _load_each(root / THEMES_FILE, THEMES, problems, root)
    for t in document["themes"] if document else []:
        if t["id"] in themes:
            problems.append(Problem(root / THEMES_FILE, t.line_of("id"), _("duplicate theme id '{id}'").format(id=t["id"])))
        themes[t["id"]] = Theme(t["id"], t["name"], t["description"])
    glossary: dict[str, Term] = {}
    document = _load_each(root / GLOSSARY_FILE, GLOSSARY, problems, root) if (root / GLOSSARY_FILE).exists() else None
    for e in document["entries"] if document else []:
        if e["term"] in glossary:
            problems.append(Problem(root / GLOSSARY_FILE, e.line_of("term"), _("duplicate glossary term '{term}'").format(term=e["term"])))
        glossary[e["term"]] = Term(e["term"], e["definition"].strip(), _sources(e["sources"]), e.line)
    lessons: dict[str, Lesson] = {}
    drafts: dict[str, Lesson] = {}
    for path in sorted((root / LESSONS_DIR).glob("*.yaml")):
        document = _load_each(path, LESSON, problems, root)
        if document is None:
            continue
        lesson = _lesson(document, path)
        wrong = identifier_problem(lesson.id, LESSON_ID) or (
            None if lesson.id == path.stem else
            _("lesson id '{id}' differs from its file name: rename the file {stem}.yaml or the id")
            .format(id=lesson.id, stem=lesson.id))
        if wrong:  # the id names the handout file, and a file name is unique: no two lessons share an id
            problems.append(Problem(path, lesson.line_of["id"], wrong))
            continue
        if lesson.status not in (None, DRAFT):
            problems.append(Problem(path, lesson.line_of["status"], _("status may only be '{draft}'; delete the key to publish")
                                    .format(draft=DRAFT)))
        (drafts if lesson.status == DRAFT else lessons)[lesson.id] = lesson
    return Corpus(articles, lessons, themes, glossary, root, drafts), problems
