"""The project the studio serves: its inputs loaded and checked once, reloaded when a file changes."""

from __future__ import annotations

import threading
from dataclasses import dataclass
from pathlib import Path

from flask import current_app

from ..departments import Department
from ..matching import fold
from ..model import Corpus, Lesson
from ..pipeline import DEFAULT, load_checked
from ..selection import reading_order

WATCHED = ("seeds/*", "content/**/*.yaml", "templates/**/*")


def _searchable(lesson: Lesson) -> str:
    """Return every text of ``lesson`` a search looks through, folded as quotes are matched."""
    texts = [lesson.title, lesson.background, *lesson.places, *lesson.actions, lesson.problem or "", *lesson.causes,
             *lesson.takeaways, *lesson.questions,
             lesson.for_our_city or "", *(r.figure + r.meaning + r.quote.text for r in lesson.results),
             *(p.text for s in lesson.sources for p in s.passages)]
    return "\n".join(fold(t) for t in texts)


@dataclass
class State:
    """The loaded inputs, and what the pages derive from them once."""

    corpus: Corpus
    departments: dict[str, Department]
    order: dict[str, tuple[int, int]]
    searchable: dict[str, str]

    @property
    def default(self) -> Department:
        """Return the department whose handouts and compendium the library shows."""
        return self.departments.get(DEFAULT) or next(iter(self.departments.values()))

    def search(self, query: str = "", theme: str = "", place: str = "", article: str = "") -> list[Lesson]:
        """Return the lessons holding ``query`` (any width, either script) and matching each filter, in reading order."""
        words = [fold(w) for w in query.split()]
        found = []
        for lesson in sorted(self.corpus.lessons.values(), key=lambda lesson: self.order[lesson.id]):
            if (all(w in self.searchable[lesson.id] for w in words)
                    and (not theme or theme in lesson.themes) and (not place or place in lesson.places)
                    and (not article or article in {s.article for s in lesson.sources})):
                found.append(lesson)
        return found


class Project:
    """The inputs under ``root``; ``state()`` reloads them when any watched file changed since the last load."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._lock = threading.Lock()
        self._stamp: tuple | None = None
        self._state: State | None = None

    def _fingerprint(self) -> tuple:
        return tuple(sorted((str(p), p.stat().st_mtime_ns, p.stat().st_size)
                            for pattern in WATCHED for p in self.root.glob(pattern) if p.is_file()))

    def state(self) -> State:
        """Return the checked inputs; raise ContentError, with every problem, when they are invalid."""
        with self._lock:
            stamp = self._fingerprint()
            if stamp != self._stamp or self._state is None:
                corpus, departments = load_checked(self.root)
                self._state = State(corpus, departments, reading_order(corpus),
                                    {lesson.id: _searchable(lesson) for lesson in corpus.lessons.values()})
                self._stamp = stamp
            return self._state


def state() -> State:
    """Return the checked inputs of the project the current application serves."""
    return current_app.extensions["studybrief"].state()
