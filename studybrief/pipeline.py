"""The build: load and check, plan every output, render what changed, in parallel, atomically."""

from __future__ import annotations

import hashlib
import shutil
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from . import __version__
from .checks import check
from .context import compendium_context, handout_context, session_context
from .departments import Department, load_departments
from .errors import ContentError, Problem, UsageError
from .faces import Face, shrunk_faces
from .fonts import FONTS, locate, missing_glyphs
from .load import load_corpus
from .model import Corpus
from .output import Manifest, fixed_zip, write_atomic
from .selection import check_departments, reading_order, select
from .templating import render

FORMATS = ("pdf", "docx")
DEFAULT = "default"


@dataclass
class Job:
    """One document to write: its HTML, where it goes and what its bytes depend on."""

    html: str
    target: Path
    format: str
    accent: str
    body_font: str
    meta: dict
    created: str
    folder: Path
    reference: Path | None = None
    key: str = ""
    faces: tuple[Face, ...] = ()


@dataclass
class Written:
    """One output of the build, for the summary."""

    path: Path
    pages: int | None
    size: int
    rebuilt: bool


def load_checked(root: Path) -> tuple[Corpus, dict[str, Department]]:
    """Return the corpus and departments under ``root``, or raise ContentError with every problem."""
    corpus, problems = load_corpus(root)
    if not problems:
        problems += check(corpus)
    departments, found = load_departments(root)
    problems += found
    if not problems:
        problems += check_departments(departments, corpus)
    if problems:
        raise ContentError(problems)
    return corpus, departments


def over_budget(root: Path, corpus: Corpus, departments: dict[str, Department]) -> list[Problem]:
    """Return a warning for each session brief that lays out to more pages than its department's budget."""
    from .pdf import page_count  # laying out is the PDF renderer's; only a budget needs it

    warnings, order = [], reading_order(corpus)
    for department in departments.values():
        if not department.page_budget:
            continue
        for session in department.sessions:
            context = session_context(department, session, select(session, corpus, order), corpus)
            pages = page_count(render(root, department, "session", context), department.folder)
            if pages > department.page_budget:
                warnings.append(Problem(department.config, session.line,
                                        f"warning: session {session.id} takes {pages} pages, over the department's "
                                        f"page_budget of {department.page_budget}; leave lessons out or shorten them"))
    return warnings


def _environment_key() -> str:
    """Return what every output depends on besides its HTML: our code and the font files."""
    digest = hashlib.sha256(__version__.encode())
    for module in sorted(Path(__file__).parent.glob("*.py")):
        digest.update(module.read_bytes())
    for font in FONTS:
        stat = locate(font)[0].stat()
        digest.update(f"{font.family}:{stat.st_size}:{stat.st_mtime_ns}".encode())
    return digest.hexdigest()


def _glyph_problems(html: str, corpus: Corpus) -> list[Problem]:
    """Return a problem for each character no embedded font has, located in the content file holding it."""
    problems = []
    for ch in missing_glyphs(html):
        where = [(p, n) for p in sorted(corpus.root.glob("content/**/*.yaml"))
                 for n, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1) if ch in line][:1]
        path, line = where[0] if where else ("templates", None)
        problems.append(Problem(path, line, f"character {ch!r} (U+{ord(ch):04X}) has no glyph in the embedded fonts "
                                            f"({', '.join(f.family for f in FONTS)}); replace or remove it"))
    return problems


def plan(root: Path, out: Path, corpus: Corpus, departments: dict[str, Department], only_department: str | None,
         only_lesson: str | None, formats: tuple[str, ...]) -> list[Job]:
    """Return every document to build, each with its rendered HTML."""
    if only_department and only_department not in departments:
        raise UsageError(f"unknown department '{only_department}' (known: {', '.join(departments)})")
    if only_lesson and only_lesson not in corpus.lessons:
        raise UsageError(f"unknown lesson '{only_lesson}'; run `build.py list` to see the lesson ids")
    order = reading_order(corpus)
    briefs: list[tuple[Department, str, dict, Path]] = []
    for department in departments.values():
        if only_department and department.id != only_department:
            continue
        folder = out / department.id
        for session in department.sessions:
            lessons = select(session, corpus, order)
            if only_lesson and only_lesson not in {lesson.id for lesson in lessons}:
                continue
            briefs.append((department, "session", session_context(department, session, lessons, corpus),
                           folder / session.id))
        if department.id != DEFAULT:
            continue
        date = department.sessions[0].date
        briefs.append((department, "compendium", compendium_context(department, corpus, order, date),
                       folder / "compendium"))
        for lesson in corpus.lessons.values():
            if not only_lesson or lesson.id == only_lesson:
                briefs.append((department, "handout", handout_context(department, lesson, corpus, date),
                               folder / "handouts" / lesson.id))
    jobs, problems = [], []
    for department, kind, context, stem in briefs:
        html = render(root, department, kind, context)
        problems += [p for p in _glyph_problems(html, corpus) if p not in problems]
        for fmt in formats:
            jobs.append(Job(html, stem.with_suffix(f".{fmt}"), fmt, department.accent, department.body_font,
                            context["meta"], context["created"], department.folder, department.reference))
    if problems:
        raise ContentError(problems)
    faces = shrunk_faces(root) if "pdf" in formats else ()
    environment = _environment_key()
    for job in jobs:
        reference = hashlib.sha256(job.reference.read_bytes()).hexdigest() if job.reference else ""
        if job.format == "pdf":  # a new character in the corpus gives new faces, so new bytes
            job.faces = faces
        used = "".join(str(face.path) for face in job.faces)
        job.key = hashlib.sha256(f"{environment}\0{used}\0{job.format}\0{reference}\0{job.html}".encode()).hexdigest()
    seen: set[Path] = set()
    for job in jobs:  # e.g. a session of the default department named "compendium"
        if job.target in seen:
            raise ContentError(Problem(job.folder, None, f"two briefs would both be written to {job.target}"))
        seen.add(job.target)
    return jobs


def produce(job: Job) -> tuple[bytes, int | None]:
    """Return the bytes of one document; runs in a worker process with its renderer warm."""
    if job.format == "pdf":
        from .pdf import pdf_bytes

        return pdf_bytes(job.html, job.folder, job.faces)
    from .word import docx_bytes

    created = datetime.strptime(job.created, "%Y-%m-%dT%H:%M:%SZ")
    return fixed_zip(docx_bytes(job.html, job.accent, job.body_font, job.meta, created, job.reference)), None


def _warm() -> None:
    """Import the renderers once per worker, not once per document."""
    import weasyprint  # noqa: F401

    from . import word  # noqa: F401


class Progress:
    """Say how far the build is, once it has taken longer than a moment."""

    def __init__(self, total: int) -> None:
        self.total, self.done, self.start = total, 0, time.monotonic()
        self.shown = sys.stderr.isatty()  # a log file gets the summary only

    def step(self, path: Path) -> None:
        self.done += 1
        if self.shown and time.monotonic() - self.start > 1.0:
            width = shutil.get_terminal_size().columns - 1
            print(f"\r[{self.done}/{self.total}] {path}"[:width].ljust(width), end="", file=sys.stderr, flush=True)

    def finish(self) -> None:
        if self.shown and time.monotonic() - self.start > 1.0:
            print(file=sys.stderr)


def run(jobs: list[Job], out: Path, workers: int, lesson: str | None = None) -> list[Written]:
    """Build the jobs whose key changed, in parallel; write each output atomically; return the summary.

    With ``lesson``, that lesson's handout is written first, in this process, before the briefs holding
    it: a trainer who edited one lesson has it in hand while the rest is built.
    """
    out.mkdir(parents=True, exist_ok=True)
    manifest = Manifest(out)
    # Longest first, so that no worker is left alone with the compendium at the end.
    stale = sorted((job for job in jobs if not manifest.current(job.target, job.key)),
                   key=lambda job: (job.format != "pdf", -len(job.html)))
    first = [job for job in stale if lesson and job.target.parent.name == "handouts" and job.target.stem == lesson]
    rest = [job for job in stale if job not in first]
    progress = Progress(len(stale))
    try:
        for job in first:
            _store(job, *produce(job), manifest, progress)
        if len(rest) > 1 and workers > 1:
            with ProcessPoolExecutor(max_workers=min(workers, len(rest)), initializer=_warm) as pool:
                for job, (data, pages) in zip(rest, pool.map(produce, rest), strict=True):
                    _store(job, data, pages, manifest, progress)
        else:
            for job in rest:
                _store(job, *produce(job), manifest, progress)
    finally:
        progress.finish()
        manifest.save()
    rebuilt = {job.target for job in stale}
    return [Written(job.target, manifest.pages(job.target), job.target.stat().st_size, job.target in rebuilt)
            for job in jobs]


def _store(job: Job, data: bytes, pages: int | None, manifest: Manifest, progress: Progress) -> None:
    write_atomic(job.target, data)
    manifest.record(job.target, job.key, pages)
    progress.step(job.target)
