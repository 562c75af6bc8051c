"""Departments: a folder under templates/ with department.yaml and optional template overrides."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from .errors import ContentError, Problem, UsageError
from .excerpts import ALL, KEY
from .i18n import _
from .identifiers import DEPARTMENT_NAME, SESSION_ID, identifier_problem
from .model import DEPARTMENT, SESSION
from .schema import is_date, validate
from .yamlfile import Mapping, Sequence, load, parse

TEMPLATES = Path("templates")
BASE = "base"
CONFIG = "department.yaml"
REFERENCE = "reference.docx"  # the department's own Word document, when it has one
_HEX = re.compile(r"#[0-9a-fA-F]{6}")
DEFAULT_ACCENT, DEFAULT_BODY_FONT = "#c00000", "fangsong"
DEFAULT_EMBLEM_HEIGHT, EMBLEM_HEIGHTS = 15, range(5, 61)  # millimetres: a masthead line, at most a quarter page
MAX_COPIES = 100_000
MAX_DISTRIBUTION = 150  # characters: about five lines of the distribution block, which must fit one page foot


@dataclass
class Session:
    """One brief a department issues: its cover data and the lessons it selects."""

    id: str
    title: str
    issue: str
    date: str
    audience: str
    themes: list[str]
    lessons: list[str]
    exclude: list[str]
    line: int


@dataclass
class Department:
    """A department's configuration, and where its templates live."""

    id: str
    folder: Path
    config: Path
    name: str
    brief_name: str
    issuing_body: str
    marking: str
    distribution: str
    copies: int
    sessions: list[Session]
    footer: str = ""
    accent: str = DEFAULT_ACCENT
    body_font: str = DEFAULT_BODY_FONT
    reference: Path | None = None
    city: str | None = None
    excerpts: str = KEY
    page_budget: int | None = None
    pdf_style: str = ""  # CSS that gives the PDF what can be read from the reference
    notes: list[str] = field(default_factory=list)  # what of the reference the PDF cannot follow
    emblem: Path | None = None
    emblem_height: int = DEFAULT_EMBLEM_HEIGHT


def _text(value: object) -> bool:
    return isinstance(value, str) and bool(value.strip())


def _number(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _rules(path: Path, doc: Mapping) -> list[Problem]:
    """Return what the department's rules find in the values the schema let through.

    A value of the wrong kind is the schema's to report, so it is not judged here; every other value
    is, even when the schema refused another, so a person sees all that is wrong at once.
    """
    problems = []
    accent = doc.get("accent") or DEFAULT_ACCENT
    if isinstance(accent, str) and not _HEX.fullmatch(accent):
        problems.append(Problem(path, doc.line_of("accent"), _("accent must be a colour like #c00000, not '{value}'").format(value=accent)))
    if _number(doc.get("copies")) and not 1 <= doc["copies"] <= MAX_COPIES:
        problems.append(Problem(path, doc.line_of("copies"), _("copies must be a number from 1 to {max}, not {value}")
                                .format(max=MAX_COPIES, value=doc["copies"])))
    if isinstance(doc.get("distribution"), str) and len(doc["distribution"]) > MAX_DISTRIBUTION:
        problems.append(Problem(path, doc.line_of("distribution"), _(
            "distribution is {count} characters; the block at the foot of the last page holds {max}: name groups "
            "(e.g. 各县市区委组织部) rather than every office").format(count=len(doc["distribution"]), max=MAX_DISTRIBUTION)))
    body_font = doc.get("body_font") or DEFAULT_BODY_FONT
    if isinstance(body_font, str) and body_font not in ("fangsong", "song"):
        problems.append(Problem(path, doc.line_of("body_font"), _("body_font must be fangsong or song, not '{value}'").format(value=body_font)))
    excerpts = doc.get("excerpts") or KEY
    if isinstance(excerpts, str) and excerpts not in (KEY, ALL):
        problems.append(Problem(path, doc.line_of("excerpts"), _("excerpts must be {key} or {all}, not '{value}'")
                                .format(key=KEY, all=ALL, value=excerpts)))
    budget = doc.get("page_budget")
    if _number(budget) and budget < 1:
        problems.append(Problem(path, doc.line_of("page_budget"), _("page_budget must be a number of pages, not {value}")
                                .format(value=budget)))
    height = doc.get("emblem_height") or DEFAULT_EMBLEM_HEIGHT
    if _number(height) and height not in EMBLEM_HEIGHTS:
        problems.append(Problem(path, doc.line_of("emblem_height"), _("emblem_height must be {low} to {high} millimetres, not {value}")
                                .format(low=EMBLEM_HEIGHTS[0], high=EMBLEM_HEIGHTS[-1], value=height)))
    sessions = doc.get("sessions")
    for s in sessions if isinstance(sessions, Sequence) else []:
        if not isinstance(s, Mapping):
            continue
        wrong = identifier_problem(s["id"], SESSION_ID) if _text(s.get("id")) else None
        if wrong:
            problems.append(Problem(path, s.line_of("id"), wrong))
        if _text(s.get("date")) and not is_date(s["date"]):
            problems.append(Problem(path, s.line_of("date"), _("session date must be a real date written YYYY-MM-DD, not '{value}'")
                                    .format(value=s["date"])))
        if not s.get("themes") and not s.get("lessons"):
            problems.append(Problem(path, s.line, _("session {id} selects nothing: give 'themes' or 'lessons'").format(id=s.get("id"))))
    return problems


def _department(folder: Path, doc: Mapping) -> tuple[Department, list[Problem]]:
    """Return the department of a configuration the schema accepted, and what its rules and files find."""
    path = folder / CONFIG
    problems = _rules(path, doc)
    accent, body_font = doc.get("accent") or DEFAULT_ACCENT, doc.get("body_font") or DEFAULT_BODY_FONT
    excerpts, budget = doc.get("excerpts") or KEY, doc.get("page_budget")
    sessions = [Session(s["id"], s["title"], s["issue"], s["date"], s["audience"], list(s.get("themes") or []),
                        list(s.get("lessons") or []), list(s.get("exclude") or []), s.line) for s in doc["sessions"]]
    department = Department(
        id=folder.name, folder=folder, config=path, name=doc["name"], brief_name=doc["brief_name"],
        issuing_body=doc["issuing_body"], marking=doc["marking"], distribution=doc["distribution"],
        copies=doc["copies"], sessions=sessions, footer=doc.get("footer") or "", accent=accent, body_font=body_font,
        city=doc.get("city"), excerpts=excerpts, page_budget=budget,
    )
    if (folder / REFERENCE).is_file():
        from .word_reference import pdf_style, reference_problems  # python-docx, only for departments that need it

        department.reference = folder / REFERENCE
        found = reference_problems(department.reference)
        problems += found
        if not found:
            department.pdf_style, department.notes = pdf_style(department.reference)
    if doc.get("emblem"):
        from .images import image_problems

        found = image_problems(folder, doc["emblem"], path, doc.line_of("emblem"))
        problems += found
        department.emblem = None if found else folder / doc["emblem"]
    department.emblem_height = doc.get("emblem_height") or DEFAULT_EMBLEM_HEIGHT
    return department, problems


def load_departments(root: Path) -> tuple[dict[str, Department], list[Problem]]:
    """Return every department under templates/, and every problem in their configuration."""
    departments, problems = {}, []
    for config in sorted((root / TEMPLATES).glob(f"*/{CONFIG}")):
        department, found = read_department(config.parent)
        problems += found
        if department is not None:
            departments[department.id] = department
    return departments, problems


def read_department(folder: Path, text: str | None = None) -> tuple[Department | None, list[Problem]]:
    """Return the department of ``folder`` (or of ``text``, a candidate for its configuration), and its problems."""
    config = folder / CONFIG
    wrong = identifier_problem(folder.name, DEPARTMENT_NAME)
    if wrong:
        return None, [Problem(config, 1, wrong)]
    try:
        doc = load(config, folder.parent.parent) if text is None else parse(text, config)
    except ContentError as e:
        return None, e.problems
    found = validate(doc, DEPARTMENT, config)
    if found:  # the rules still judge the values the schema let through: every problem at once
        return None, found + (_rules(config, doc) if isinstance(doc, Mapping) else [])
    return _department(folder, doc)


def scaffold(root: Path, name: str, template: str = "default") -> Path:
    """Create templates/<name>/ with a commented configuration copied from ``template``; return it."""
    wrong = identifier_problem(name, DEPARTMENT_NAME)
    if wrong:
        raise UsageError(wrong)
    target = root / TEMPLATES / name
    if target.exists():
        raise UsageError(_("{path} already exists; choose another name").format(path=target))
    source = root / TEMPLATES / template / CONFIG
    if not source.is_file():
        raise UsageError(_("no department '{name}' to copy from").format(name=template))
    values = {**yaml.safe_load(source.read_text(encoding="utf-8")), "name": name}
    lines = [f"# Department {name}, started from '{template}'. Each key says what it is above it.", ""]
    for key, spec in DEPARTMENT.fields.items():
        if key in values:
            lines.append(f"# {spec.doc}" + ("" if spec.required else " (optional)"))
            lines.append(yaml.safe_dump({key: values[key]}, allow_unicode=True, sort_keys=False, width=100).rstrip())
    lines[-1:-1] = ["# each session: " + "; ".join(f"{k}: {f.doc}" for k, f in SESSION.fields.items())]
    target.mkdir(parents=True)
    (target / CONFIG).write_text("\n".join(lines) + "\n", encoding="utf-8")
    return target
