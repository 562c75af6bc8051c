"""The one rule for names that become file and folder names: lesson, session and department ids.

An id is written into output paths, so it must never carry a path separator, a dot, a space, a
capital or a line break; and every output path is proven to stay inside the output folder.
"""

from __future__ import annotations

import re
from pathlib import Path

from .errors import BriefError, Problem
from .i18n import N_, _

_ID = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
MAX_LENGTH = 64
# Names the build itself writes beside a department's sessions, or the shared template folder.
RESERVED = {"compendium": N_("the default department writes its compendium under this name"),
            "handouts": N_("the default department writes its handouts in this folder"),
            "base": N_("templates/base holds the shared templates")}
LESSON_ID, SESSION_ID, DEPARTMENT_NAME = N_("lesson id"), N_("session id"), N_("department name")
ARTICLE_ID = N_("article id")


def shown(name: object) -> str:
    """Return ``name`` quoted with its invisible characters (a newline, a tab) made visible."""
    return repr(name) if isinstance(name, str) else repr(str(name))


def identifier_problem(name: object, what: str) -> str | None:
    """Return why ``name`` cannot be a ``what`` (lesson id, session id, department name), or None if it can."""
    if not isinstance(name, str) or not _ID.fullmatch(name):
        return _("{what} {name} must be lowercase ASCII letters and digits joined by single hyphens "
                 "(e.g. yiwu-export-2)").format(what=_(what), name=shown(name))
    if len(name) > MAX_LENGTH:
        return _("{what} {name} is longer than {max} characters").format(what=_(what), name=shown(name), max=MAX_LENGTH)
    if name in RESERVED:
        return _("{what} {name} is reserved: {why}; choose another").format(what=_(what), name=shown(name),
                                                                          why=_(RESERVED[name]))
    return None


def is_identifier(name: object) -> bool:
    """Return whether ``name`` may be a lesson id, session id or department name."""
    return identifier_problem(name, LESSON_ID) is None


def inside(out: Path, path: Path) -> Path:
    """Return ``path`` if it resolves inside ``out``; otherwise raise BriefError: nothing is written elsewhere."""
    if not path.resolve().is_relative_to(out.resolve()):
        raise BriefError(Problem(out, None, _("refusing to write {path}: it is outside the output folder")
                                 .format(path=path)))
    return path
