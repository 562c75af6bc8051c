"""The failures a user can cause, each printed as ``file:line: message``."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

EXIT_OK = 0
EXIT_INVALID = 1  # content, seeds, configuration or templates are wrong
EXIT_BUILD = 2  # the inputs were valid but an output could not be produced
EXIT_USAGE = 3  # the command line is wrong: an unknown option, value, department or lesson
EXIT_INTERRUPTED = 130  # Ctrl-C, as shells report SIGINT


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input, located as precisely as we can."""

    path: Path | str
    line: int | None
    message: str

    def __str__(self) -> str:
        shown = str(self.path)
        if Path(self.path).is_absolute() and Path(self.path).is_relative_to(Path.cwd()):
            shown = os.path.relpath(self.path)
        where = f"{shown}:{self.line}" if self.line else shown
        return f"{where}: {self.message}"


class BriefError(Exception):
    """Base of every expected failure; the CLI prints it without a traceback."""

    exit_status = EXIT_BUILD

    def __init__(self, problems: list[Problem] | Problem | str):
        if isinstance(problems, (Problem, str)):
            problems = [problems]
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


class ContentError(BriefError):
    """Raised when seeds, lessons, glossary or department files are invalid."""

    exit_status = EXIT_INVALID


class TemplateError(BriefError):
    """Raised when a template fails to compile or render, or breaks the sandbox."""

    exit_status = EXIT_INVALID


class UsageError(BriefError):
    """Raised when the command line (or its environment) is wrong: an unknown option, value, department or lesson."""

    exit_status = EXIT_USAGE


class ConflictError(BriefError):
    """Raised when a file changed on disk since the person saving it last read it."""

    exit_status = EXIT_INVALID


class FontError(BriefError):
    """Raised when a font the briefs need is not installed, or text has no glyph in it."""

    exit_status = EXIT_BUILD


class OutputError(BriefError):
    """Raised when an output cannot be written (disk full, file too large, read-only folder); earlier outputs stay."""

    exit_status = EXIT_BUILD
