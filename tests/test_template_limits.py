"""Templates that would exhaust the sandbox or slip past its filter: each stopped with the file and line."""

from __future__ import annotations

import time

import pytest

from studybrief import templating
from studybrief.context import session_context
from studybrief.errors import ContentError, TemplateError
from studybrief.pipeline import load_checked
from studybrief.selection import reading_order, select
from studybrief.templating import environment, render, vet_urls


def override(project, text: str):
    """Write ``text`` as the science department's session template; return its path."""
    path = project / "templates/science/session.html.j2"
    path.write_text(text, encoding="utf-8")
    environment.cache_clear()
    return path


def render_science(project) -> str:
    corpus, departments = load_checked(project)
    department = departments["science"]
    session = department.sessions[0]
    context = session_context(department, session, select(session, corpus, reading_order(corpus)), corpus)
    return render(project, department, "session", context)


def refusal(project) -> str:
    with pytest.raises(TemplateError) as caught:
        render_science(project)
    [problem] = caught.value.problems
    return str(problem)


def test_template_extending_itself(project):
    path = override(project, '{% extends "session.html.j2" %}\n')
    assert refusal(project).startswith(f"{path}:1: template extends or includes itself; to extend the shared "
                                       'template it replaces, write {% extends "base/session.html.j2" %}')


def test_nested_loops_are_stopped_in_time(project, monkeypatch):
    monkeypatch.setattr(templating, "MAX_SECONDS", 1.0)
    path = override(project, '{% extends "base/session.html.j2" %}\n{% block heading %}\n'
                             '{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}\n'
                             '{% endblock %}\n')
    start = time.monotonic()
    assert refusal(project).startswith(f"{path}:3: template stopped: rendering took longer than 1 seconds")
    assert time.monotonic() - start < 10


@pytest.mark.parametrize("expression", ['"好" * 10**7', '"好" * 10000000', '["好"] * 10000000'])
def test_repetition_beyond_any_brief(project, expression):
    path = override(project, '{% extends "base/session.html.j2" %}\n{% block heading %}\n'
                             f"<p>{{{{ {expression} }}}}</p>\n{{% endblock %}}\n")
    message = refusal(project)
    assert message.startswith(f"{path}:3: template "), message
    assert "10000000 times makes more than 1,000,000 characters" in message or "power operator" in message


def test_output_beyond_any_brief(project):
    override(project, '{% extends "base/session.html.j2" %}\n{% block heading %}\n'
                      '{% for i in range(100000) %}<p>好好好好好好好好好好好好好好好</p>{% endfor %}\n{% endblock %}\n')
    assert "template stopped: the rendered brief is longer than 1,000,000 characters" in refusal(project)


def test_template_without_a_body(project):
    path = override(project, "<p>只有一段</p>\n")
    assert refusal(project) == (f"{path}: the template makes no <body> element; extend a template of "
                                "templates/base, which has one")


def test_syntax_error_is_found_by_check(project):
    path = override(project, '{% extends "base/session.html.j2" %}\n{% block heading %}\n{{ x + }}\n{% endblock %}\n')
    with pytest.raises(ContentError) as caught:
        load_checked(project)
    assert [str(p) for p in caught.value.problems] == [f"{path}:3: template syntax error: unexpected 'end of print statement'"]


@pytest.mark.parametrize("css", [r"u\72l(file:///etc/passwd)", r"\75 rl(file:///etc/passwd)",
                                 r"url(file:///etc/passwd)", r"u\000072l('file:///etc/passwd')"])
def test_css_escaped_url_is_refused_with_file_and_line(project, css):
    department = load_checked(project)[1]["science"]
    path = override(project, '{% extends "base/session.html.j2" %}\n{% block heading %}\n'
                             f'<p style="background: {css}">x</p>\n{{% endblock %}}\n')
    with pytest.raises(ContentError) as caught:
        load_checked(project)
    assert [str(p) for p in caught.value.problems] == [
        f"{path}:3: template may not load 'file:///etc/passwd': briefs reference only their own anchors (no files, "
        "no network addresses)"]
    with pytest.raises(TemplateError) as caught:  # and when rendering, should a template slip past check
        vet_urls(f'<body><p style="background: {css}">x</p></body>', department)
    assert str(caught.value).startswith(f"{path}:3: template may not load 'file:///etc/passwd'")


def test_template_that_is_a_pipe_is_refused_without_blocking(project):
    import os

    fifo = project / "templates/science/session.html.j2"
    os.mkfifo(fifo)
    environment.cache_clear()
    with pytest.raises(ContentError) as caught:
        load_checked(project)
    assert f"{fifo}: not a regular file inside templates/; not read" in [str(p) for p in caught.value.problems]
