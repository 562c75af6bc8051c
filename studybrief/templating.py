"""The sandboxed Jinja environment that renders a brief to HTML.

Department templates are untrusted: they run in Jinja's immutable sandbox with autoescaping
and StrictUndefined, can load only templates from their own folder and templates/base, and
the HTML they produce may reference no file or address outside the allowed asset folders.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import jinja2
from jinja2.sandbox import ImmutableSandboxedEnvironment, SecurityError
from markupsafe import Markup

from .departments import BASE, TEMPLATES, Department
from .errors import Problem, TemplateError
from .typography import balance

TEMPLATE_OF = {"session": "session.html.j2", "handout": "handout.html.j2", "compendium": "compendium.html.j2"}
_URL = re.compile(r"""(?:\b(?:src|href|data)\s*=\s*["']?|url\(\s*["']?|@import\s+["'])([^"')\s>]+)""", re.I)


class _ConfinedLoader(jinja2.FileSystemLoader):
    """A file loader that also refuses symbolic links leading out of templates/."""

    def __init__(self, folder: Path, confine: Path) -> None:
        super().__init__(folder)
        self.confine = confine.resolve()

    def get_source(self, environment, template):
        source, filename, uptodate = super().get_source(environment, template)
        if not Path(filename).resolve().is_relative_to(self.confine):
            raise jinja2.TemplateNotFound(template)
        return source, filename, uptodate


@cache
def environment(root: Path, folder: Path) -> jinja2.Environment:
    """Return the sandbox that renders a department's briefs, its ``folder`` searched before base.

    One environment per department, so each template is compiled once per build, not once per brief.
    """
    confine = root / TEMPLATES
    base = _ConfinedLoader(confine / BASE, confine)
    loader = jinja2.ChoiceLoader([
        _ConfinedLoader(folder, confine),
        base,
        jinja2.PrefixLoader({BASE: base}),
    ])
    env = ImmutableSandboxedEnvironment(loader=loader, autoescape=True, undefined=jinja2.StrictUndefined,
                                        trim_blocks=True, lstrip_blocks=True)
    env.filters["balance"] = lambda text, width: Markup("<br>").join(balance(str(text), width))
    return env


def _where(root: Path, department: Department, error: Exception) -> tuple[Path | str, int | None]:
    """Return the template file and line an error happened in, from its traceback."""
    line = getattr(error, "lineno", None)
    name = getattr(error, "filename", None) or getattr(error, "name", None)
    tb = error.__traceback__
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if filename.endswith(".j2"):
            name, line = filename, tb.tb_lineno
        tb = tb.tb_next
    return (name or department.folder), line


def render(root: Path, department: Department, kind: str, context: dict) -> str:
    """Return the HTML of one brief, or raise TemplateError naming the template file and line."""
    env = environment(root, department.folder)
    try:
        html = env.get_template(TEMPLATE_OF[kind]).render(context)
    except jinja2.TemplateSyntaxError as e:
        raise TemplateError(Problem(e.filename or e.name or department.folder, e.lineno,
                                    f"template syntax error: {e.message}")) from e
    except jinja2.TemplateNotFound as e:
        path, line = _where(root, department, e)
        raise TemplateError(Problem(path, line, f"template '{e.name}' not found; a template may only load "
                                                "templates from its department folder or templates/base")) from e
    except SecurityError as e:
        path, line = _where(root, department, e)
        raise TemplateError(Problem(path, line, f"template not allowed to do this: {e}")) from e
    except (jinja2.TemplateError, TypeError, ValueError, ArithmeticError, LookupError) as e:
        path, line = _where(root, department, e)
        raise TemplateError(Problem(path, line, f"template error: {e}")) from e
    vet_urls(html, department)
    return html


def vet_urls(html: str, department: Department) -> None:
    """Refuse HTML that references anything but in-document anchors and the emblem: no files, no network."""
    emblem = department.emblem.resolve().as_uri() if department.emblem else None
    for match in _URL.finditer(html):
        url = match.group(1)
        if not url.startswith("#") and url != emblem:
            path, line = _template_line(department, url)
            raise TemplateError(Problem(path, line, f"template may not load '{url}': briefs reference only their "
                                                    "own anchors (no files, no network addresses)"))


def _template_line(department: Department, text: str) -> tuple[Path, int | None]:
    """Return the department template, and line, that holds ``text``; else the department folder."""
    for template in sorted(department.folder.glob("*.j2")):
        for number, line in enumerate(template.read_text(encoding="utf-8").splitlines(), 1):
            if text in line:
                return template, number
    return department.folder, None
