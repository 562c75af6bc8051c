"""The build: load and check, plan every output, render what changed, in parallel, atomically."""

from __future__ import annotations

import hashlib
import json
import multiprocessing
import re
import shutil
import signal
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from functools import partial
from html import unescape
from pathlib import Path
from urllib.parse import urlparse
from urllib.request import url2pathname

from . import __version__
from .checks import check
from .context import compendium_context, handout_context, session_context
from .departments import Department, load_departments
from .errors import ContentError, Problem, UsageError
from .faces import Face, shrunk_faces
from .fonts import FONTS, locate, missing_glyphs
from .i18n import _
from .identifiers import inside
from .load import load_corpus
from .model import Corpus
from .output import Manifest, fixed_zip, prepare, write_atomic
from .selection import check_departments, reading_order, select
from .templating import TEMPLATE_OF, compile_all, render

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
    for department in departments.values():  # a syntax error is found by check, not by the build
        problems += [p for p in compile_all(root, department) if p not in problems]
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
                                        _("warning: session {id} takes {pages} pages, over the department's "
                                          "page_budget of {budget}; leave lessons out or shorten them").format(
                                            id=session.id, pages=pages, budget=department.page_budget)))
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


_LOADED = re.compile(r"""\bsrc="([^"]+)"|\burl\(\s*["']?([^"')\s]+)""")


def _loaded_files(html: str) -> list[str]:
    """Return the digest of each local file ``html`` loads (a department's emblem, say).

    The HTML names the file, not its bytes: an emblem replaced under the same name must still rebuild.
    """
    names = (unescape(m.group(1) or m.group(2)) for m in _LOADED.finditer(html))
    paths = (Path(url2pathname(urlparse(name).path)) if name.startswith("file:") else Path(name) for name in names)
    return [hashlib.sha256(path.read_bytes()).hexdigest() for path in paths if path.is_file()]


def _glyph_problems(html: str, corpus: Corpus) -> list[Problem]:
    """Return a problem for each character no embedded font has, located in the content file holding it."""
    problems = []
    for ch in missing_glyphs(html):
        where = [(p, n) for p in sorted(corpus.root.glob("content/**/*.yaml")) if p.is_file()
                 for n, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1) if ch in line][:1]
        path, line = where[0] if where else ("templates", None)
        problems.append(Problem(path, line, _("character {char} (U+{code:04X}) has no glyph in the embedded fonts "
                                              "({fonts}); replace or remove it").format(
                                                char=repr(ch), code=ord(ch), fonts=", ".join(f.family for f in FONTS))))
    return problems


def _briefs(out: Path, corpus: Corpus, departments: dict[str, Department], only_department: str | None,
            only_lesson: str | None) -> list[tuple[Department, str, Path, Callable[[], dict]]]:
    """Return every brief selected: its department, kind, output path without suffix, and how to make its context."""
    order = reading_order(corpus)
    briefs = []
    for department in departments.values():
        if only_department and department.id != only_department:
            continue
        folder = out / department.id
        for session in department.sessions:
            lessons = select(session, corpus, order)
            if only_lesson and only_lesson not in {lesson.id for lesson in lessons}:
                continue
            briefs.append((department, "session", folder / session.id,
                           partial(session_context, department, session, lessons, corpus)))
        if department.id != DEFAULT:
            continue
        date = department.sessions[0].date
        briefs.append((department, "compendium", folder / "compendium",
                       partial(compendium_context, department, corpus, order, date)))
        for lesson in corpus.lessons.values():
            if not only_lesson or lesson.id == only_lesson:
                briefs.append((department, "handout", folder / "handouts" / lesson.id,
                               partial(handout_context, department, lesson, corpus, date)))
    return briefs


def prune(out: Path, corpus: Corpus, departments: dict[str, Department]) -> list[Path]:
    """Remove the outputs an earlier build wrote that no brief produces any more; return them."""
    manifest = Manifest(out)
    removed = manifest.prune({stem.with_suffix(f".{fmt}") for _d, _k, stem, _c in
                              _briefs(out, corpus, departments, None, None) for fmt in FORMATS})
    if removed:
        manifest.save()
    return removed


def plan(root: Path, out: Path, corpus: Corpus, departments: dict[str, Department], only_department: str | None,
         only_lesson: str | None, formats: tuple[str, ...], kinds: tuple[str, ...] = tuple(TEMPLATE_OF)) -> list[Job]:
    """Return every document of the given ``kinds`` to build, each with its rendered HTML."""
    if only_department and only_department not in departments:
        raise UsageError(_("unknown department '{name}' (known: {known})").format(
            name=only_department, known=", ".join(departments)))
    if only_lesson and only_lesson not in corpus.lessons:
        raise UsageError(_("unknown lesson '{id}'; run `build.py list` to see the lesson ids").format(id=only_lesson))
    formats = tuple(dict.fromkeys(formats))  # --format pdf --format pdf asks for one PDF
    unknown = [f for f in formats if f not in FORMATS]
    if unknown or not formats:
        raise UsageError(_("unknown format {formats} (known: {known})").format(formats=", ".join(unknown), known=", ".join(FORMATS)))
    jobs, problems = [], []
    for department, kind, stem, make_context in _briefs(out, corpus, departments, only_department, only_lesson):
        if kind not in kinds:
            continue
        context = make_context()
        html = render(root, department, kind, context)
        problems += [p for p in _glyph_problems(html, corpus) if p not in problems]
        for fmt in formats:
            jobs.append(Job(html, inside(out, stem.with_suffix(f".{fmt}")), fmt, department.accent, department.body_font,
                            context["meta"], context["created"], department.folder, department.reference))
    if problems:
        raise ContentError(problems)
    if not jobs:
        raise UsageError(_("no brief of department '{name}' contains lesson '{id}'; "
                           "nothing to build").format(name=only_department, id=only_lesson))
    faces = shrunk_faces(root) if "pdf" in formats else ()
    environment = _environment_key()
    for job in jobs:
        # Every value the renderers read, not the HTML alone: a new accent must rebuild the DOCX.
        reference = hashlib.sha256(job.reference.read_bytes()).hexdigest() if job.reference else ""
        if job.format == "pdf":  # a new character in the corpus gives new faces, so new bytes
            job.faces = faces
        used = "".join(str(face.path) for face in job.faces)
        inputs = [environment, used, job.format, job.html, job.accent, job.body_font, job.meta, job.created,
                  str(job.folder), reference, _loaded_files(job.html)]
        job.key = hashlib.sha256(json.dumps(inputs, ensure_ascii=False, sort_keys=True, default=str).encode()).hexdigest()
    seen: set[Path] = set()
    for job in jobs:  # e.g. a session of the default department named "compendium"
        if job.target in seen:
            raise ContentError(Problem(job.folder, None, _("two briefs would both be written to {path}").format(path=job.target)))
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
    """Import the renderers once per worker, not once per document; Ctrl-C is the main process's to report."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
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


def run(jobs: list[Job], out: Path, workers: int) -> list[Written]:
    """Build the jobs whose key changed, in parallel; write each output atomically; return the summary."""
    prepare(out)
    manifest = Manifest(out)
    # Longest first, so that no worker is left alone with the compendium at the end.
    stale = sorted((job for job in jobs if not manifest.current(job.target, job.key)),
                   key=lambda job: (job.format != "pdf", -len(job.html)))
    progress = Progress(len(stale))
    try:
        if len(stale) > 1 and workers > 1:
            # multiprocessing's pool, not concurrent.futures': leaving it early (Ctrl-C, a full disk) terminates
            # the workers at once, where an executor waits for them, or hangs if one died starting.
            with multiprocessing.Pool(min(workers, len(stale)), initializer=_warm) as pool:
                for job, (data, pages) in zip(stale, pool.imap(produce, stale), strict=True):
                    _store(job, data, pages, manifest, progress)
                pool.close()
                pool.join()
        else:
            for job in stale:
                _store(job, *produce(job), manifest, progress)
    finally:
        progress.finish()
        manifest.save()
    rebuilt = {job.target for job in stale}
    return [Written(job.target, manifest.pages(job.target), job.target.stat().st_size, job.target in rebuilt)
            for job in jobs]


def _store(job: Job, data: bytes, pages: int | None, manifest: Manifest, progress: Progress) -> None:
    write_atomic(job.target, data)
    manifest.record(job.target, job.key, pages, data)
    progress.step(job.target)
