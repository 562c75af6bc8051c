"""Save a session into its department.yaml: comments and layout kept, validated as ``check`` validates, never a lost edit.

A person edits a copy of the file they read; the save is refused if the file changed since (its
version, a checksum, differs), so of two people saving one department the second is told, not overwritten.
"""

from __future__ import annotations

import datetime
import hashlib
import io
import re
import threading
from pathlib import Path

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq

from .departments import CONFIG, Department, read_department
from .errors import ConflictError, Problem
from .i18n import _
from .model import SESSION, Corpus
from .output import write_atomic
from .selection import check_departments
from .yamlfile import Mapping, Sequence, parse

_SAVING = threading.Lock()
LISTS = ("themes", "lessons", "exclude")


def version(path: Path) -> str:
    """Return the version of a configuration file: the checksum of its bytes."""
    return hashlib.sha256(path.read_bytes()).hexdigest()[:16]


def _yaml() -> YAML:
    yaml = YAML()  # round-trip: comments, key order, quoting and flow lists survive
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.width = 4096
    yaml.preserve_quotes = True
    return yaml


def _value(key: str, value):
    if key in LISTS:
        items = CommentedSeq(value)
        items.fa.set_flow_style()
        return items
    if key == "date" and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        try:
            return datetime.date.fromisoformat(value)  # written bare, as a person writes it
        except ValueError:
            pass
    return value


def apply(text: str, original: str | None, values: dict) -> tuple[str, int]:
    """Return ``text`` with the session ``original`` (a new one if None) set to ``values``, and the session's index."""
    yaml = _yaml()
    document = yaml.load(text)
    sessions = document.setdefault("sessions", CommentedSeq())
    index = next((i for i, s in enumerate(sessions) if original is not None and s.get("id") == original), None)
    if index is None:
        sessions.append(CommentedMap())
        index = len(sessions) - 1
    session = sessions[index]
    for key in SESSION.fields:
        value = values.get(key)
        if value in (None, "", []):
            if key in session and not SESSION.fields[key].required:
                del session[key]
            elif SESSION.fields[key].required:
                session[key] = value if isinstance(value, str) else ""
            continue
        session[key] = _value(key, value)
    buffer = io.StringIO()
    yaml.dump(document, buffer)
    return buffer.getvalue(), index


def candidate(folder: Path, original: str | None, values: dict, corpus: Corpus) -> tuple[Department | None, str, int, list[Problem]]:
    """Return the department as it would be with the session saved, its file's text, the session's index, and every problem."""
    text, index = apply((folder / CONFIG).read_text(encoding="utf-8"), original, values)
    department, problems = read_department(folder, text)
    if department is not None and not problems:
        problems = check_departments({department.id: department}, corpus)
    return department, text, index, problems


def fields_of(problems: list[Problem], text: str, index: int, path: Path) -> dict[str | None, list[str]]:
    """Return the messages of ``problems`` by the session key whose line each names (None: not one key's)."""
    lines: dict[int, str] = {}
    try:
        sessions = parse(text, path).get("sessions")
        session = sessions[index] if isinstance(sessions, Sequence) else None
        if isinstance(session, Mapping):
            lines = {line: key for key, line in session.key_lines.items()}
            for key in LISTS:
                if isinstance(session.get(key), Sequence):
                    lines.update({line: key for line in session[key].item_lines})
    except Exception:  # noqa: BLE001 - the text did not parse: every problem goes to the top
        lines = {}
    found: dict[str | None, list[str]] = {}
    for problem in problems:
        found.setdefault(lines.get(problem.line), []).append(problem.message)
    return found


def save_session(folder: Path, original: str | None, values: dict, expected: str,
                 corpus: Corpus) -> tuple[Department | None, dict[str | None, list[str]]]:
    """Write the session into the department's configuration if it is valid and unchanged since ``expected``.

    Return the saved department and no problems, or None and the problems by field (nothing written).
    Raise ConflictError if the file changed since the person read it.
    """
    path = folder / CONFIG
    with _SAVING:
        if version(path) != expected:
            raise ConflictError(Problem(path, None, _("this department was changed by someone else since you opened it; "
                                                      "reload it, then make your change again")))
        department, text, index, problems = candidate(folder, original, values, corpus)
        if problems:
            return None, fields_of(problems, text, index, path)
        write_atomic(path, text.encode("utf-8"))
        return department, {}
