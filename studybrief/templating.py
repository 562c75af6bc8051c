"""The sandboxed Jinja environment that renders a brief to HTML.

Department templates are untrusted: they run in Jinja's immutable sandbox with autoescaping
and StrictUndefined, can load only templates from their own folder and templates/base, and
the HTML they produce may reference no file or address outside the allowed asset folders.
"""

from __future__ import annotations

import contextvars
import hashlib
import operator
import os
import re
import time
from functools import cache
from pathlib import Path

import jinja2
from jinja2.sandbox import ImmutableSandboxedEnvironment, SecurityError
from markupsafe import Markup

from .departments import BASE, TEMPLATES, Department
from .errors import Problem, TemplateError
from .fonts import private_cache
from .i18n import _
from .typography import balance

TEMPLATE_OF = {"session": "session.html.j2", "handout": "handout.html.j2", "compendium": "compendium.html.j2"}
# Bounds on one rendering, far above any real brief: the compendium of all 33 lessons is 77,000 characters
# rendered in a fraction of a second; a million characters would be some 1,300 pages.
MAX_HTML, MAX_SECONDS = 1_000_000, 60.0
MAX_COMPILED = 5000  # compiled templates kept: a project has about 60
_deadline: contextvars.ContextVar[float] = contextvars.ContextVar("deadline", default=float("inf"))
_CSS_ESCAPE = re.compile(r"\\([0-9a-fA-F]{1,6})\s?|\\(.)", re.S)
_URL = re.compile(r"""(?:\b(?:src|href|data)\s*=\s*["']?|url\(\s*["']?|@import\s+["'])([^"')\s>]+)""", re.I)


class _ConfinedLoader(jinja2.FileSystemLoader):
    """A file loader that also refuses symbolic links leading out of templates/."""

    def __init__(self, folder: Path, confine: Path) -> None:
        super().__init__(folder)
        self.confine = confine.resolve()

    def get_source(self, environment, template):
        if any((Path(folder) / template).exists() and not (Path(folder) / template).is_file()
               for folder in self.searchpath):
            raise jinja2.TemplateNotFound(template)  # a pipe would block the build forever
        source, filename, uptodate = super().get_source(environment, template)
        if not Path(filename).resolve().is_relative_to(self.confine):
            raise jinja2.TemplateNotFound(template)
        return source, filename, uptodate


class _TooBig(Exception):
    """A template asked for more output or time than any brief needs."""


def _on_time() -> None:
    if time.monotonic() > _deadline.get():
        raise _TooBig(_("rendering took longer than {max:.0f} seconds (a loop without end?)").format(max=MAX_SECONDS))


def _bounded_range(*args: int):
    """Jinja's range, checking the clock as it goes: nested loops with empty bodies never yield output."""
    for n, value in enumerate(range(*args)):
        if n % 1024 == 0:
            _on_time()
        yield value


class _Sandbox(ImmutableSandboxedEnvironment):
    """The immutable sandbox, where repeating a text or a list cannot make more than a brief holds."""

    intercepted_binops = frozenset({"*", "**"})

    def call_binop(self, context, operator_name, left, right):
        if operator_name == "**":
            raise SecurityError(_("the power operator is not allowed in templates"))
        size = max((len(x) for x in (left, right) if isinstance(x, (str, list, tuple))), default=0)
        times = next((x for x in (left, right) if isinstance(x, int)), 1)
        if size and size * times > MAX_HTML:
            raise _TooBig(_("repeating a text or list {times} times makes more than {max:,} characters").format(
                times=times, max=MAX_HTML))
        return operator.mul(left, right)


class _Compiled(jinja2.FileSystemBytecodeCache):
    """Compiled templates kept between builds, each under its file, its source and the code that compiled it.

    Jinja checks the source; the sandbox's compiled code also depends on this module and on Jinja itself,
    so both are in the key. A folder that outgrows MAX_COMPILED files (a test suite's copies) is emptied.
    """

    version = hashlib.sha256(Path(__file__).read_bytes() + jinja2.__version__.encode()).hexdigest()

    def get_cache_key(self, name: str, filename: str | None = None) -> str:
        return super().get_cache_key(f"{self.version}|{name}", filename)


def _compiled() -> _Compiled | None:
    """Return the private cache of compiled templates, or None where there is no private folder."""
    folder = private_cache("templates")
    if folder is None:
        return None
    compiled = _Compiled(str(folder))
    if len(os.listdir(folder)) > MAX_COMPILED:
        compiled.clear()
    return compiled


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
    sandbox = _Sandbox(loader=loader, autoescape=True, undefined=jinja2.StrictUndefined, trim_blocks=True,
                       lstrip_blocks=True, bytecode_cache=_compiled())
    sandbox.globals["range"] = _bounded_range
    sandbox.filters["balance"] = lambda text, width: Markup("<br>").join(balance(str(text), width))
    return sandbox


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


def _generate(template: jinja2.Template, context: dict) -> str:
    """Return the rendering of ``template``, stopped when it outgrows MAX_HTML or MAX_SECONDS."""
    token = _deadline.set(time.monotonic() + MAX_SECONDS)
    try:
        chunks, size = [], 0
        for chunk in template.generate(context):
            chunks.append(chunk)
            size += len(chunk)
            if size > MAX_HTML:
                raise _TooBig(_("the rendered brief is longer than {max:,} characters").format(max=MAX_HTML))
            _on_time()
        return "".join(chunks)
    finally:
        _deadline.reset(token)


def render(root: Path, department: Department, kind: str, context: dict) -> str:
    """Return the HTML of one brief, or raise TemplateError naming the template file and line."""
    env = environment(root, department.folder)
    try:
        html = _generate(env.get_template(TEMPLATE_OF[kind]), context)
    except jinja2.TemplateSyntaxError as e:
        raise TemplateError(Problem(e.filename or e.name or department.folder, e.lineno,
                                    _("template syntax error: {error}").format(error=e.message))) from e
    except jinja2.TemplateNotFound as e:
        path, line = _where(root, department, e)
        raise TemplateError(Problem(path, line, _("template '{name}' not found; a template may only load "
                                                  "templates from its department folder or templates/base").format(name=e.name))) from e
    except SecurityError as e:
        path, line = _where(root, department, e)
        raise TemplateError(Problem(path, line, _("template not allowed to do this: {error}").format(error=e))) from e
    except _TooBig as e:
        path, line = _where(root, department, e)
        raise TemplateError(Problem(path, line, _("template stopped: {error}").format(error=e))) from e
    except RecursionError as e:
        path, line = _where(root, department, e)
        raise TemplateError(Problem(path, line, _("template extends or includes itself; to extend the shared "
                                                  "template it replaces, write {extends}").format(
                                                      extends=f'{{% extends "{BASE}/{TEMPLATE_OF[kind]}" %}}')))\
            from None
    except (jinja2.TemplateError, TypeError, ValueError, ArithmeticError, LookupError) as e:
        path, line = _where(root, department, e)
        raise TemplateError(Problem(path, line, _("template error: {error}").format(error=e))) from e
    if not re.search(r"<body[\s>]", html, re.I):
        raise TemplateError(Problem(department.folder / TEMPLATE_OF[kind], None,
                                    _("the template makes no <body> element; extend a template of templates/base, "
                                      "which has one")))
    vet_urls(html, department)
    return html


def compile_all(root: Path, department: Department) -> list[Problem]:
    """Return a problem for each template of ``department`` (its overrides and base) that does not compile."""
    env = environment(root, department.folder)
    problems = []
    for name in sorted(env.list_templates(extensions=["j2"])):
        try:
            env.get_template(name)
        except jinja2.TemplateSyntaxError as e:
            problems.append(Problem(e.filename or name, e.lineno, _("template syntax error: {error}").format(error=e.message)))
        except jinja2.TemplateNotFound:
            continue  # a link leading out of templates/: refused when used, with its name
    for template in sorted(department.folder.glob("*.j2")):
        if not template.is_file() or not template.resolve().is_relative_to((root / TEMPLATES).resolve()):
            problems.append(Problem(template, None, _("not a regular file inside templates/; not read")))
            continue
        for number, line in enumerate(template.read_text(encoding="utf-8").splitlines(), 1):
            for url in _URL.findall(_css_unescaped(line)):
                if not url.startswith("#") and "{" not in url:
                    problems.append(Problem(template, number, _refusal(url)))
    return problems


def _css_unescaped(text: str) -> str:
    """Return ``text`` with CSS escapes decoded, so that u\\72l( is seen as the url( it is."""
    def decode(match: re.Match) -> str:
        if match.group(1):
            code = int(match.group(1), 16)
            return chr(code) if 0 < code <= 0x10FFFF and not 0xD800 <= code <= 0xDFFF else "\ufffd"
        return match.group(2)
    return _CSS_ESCAPE.sub(decode, text)


def _refusal(url: str) -> str:
    return _("template may not load '{url}': briefs reference only their own anchors (no files, no network addresses)").format(url=url)


def vet_urls(html: str, department: Department) -> None:
    """Refuse HTML that references anything but in-document anchors and the emblem: no files, no network."""
    emblem = department.emblem.resolve().as_uri() if department.emblem else None
    for match in _URL.finditer(_css_unescaped(html)):
        url = match.group(1)
        if not url.startswith("#") and url != emblem:
            path, line = _template_line(department, url)
            raise TemplateError(Problem(path, line, _refusal(url)))


def _template_line(department: Department, text: str) -> tuple[Path, int | None]:
    """Return the department template, and line, that holds ``text``; else the department folder."""
    for template in sorted(t for t in department.folder.glob("*.j2") if t.is_file()):
        for number, line in enumerate(template.read_text(encoding="utf-8").splitlines(), 1):
            if text in _css_unescaped(line):
                return template, number
    return department.folder, None
