"""Whatever the PDF shows, the Word file shows: the text of both formats compared, for every template."""

from __future__ import annotations

import re
from pathlib import Path

from pypdf import PdfReader

from studybrief.context import session_context
from studybrief.pipeline import Job, load_checked, produce
from studybrief.selection import reading_order, select
from studybrief.templating import environment, render

from .conftest import docx_text


def pdf_lines(path: Path) -> str:
    """Return the PDF's text with its line breaks, so that no run of text crosses two blocks."""
    return "\n".join(page.extract_text() for page in PdfReader(path).pages)


def missing_from_word(pdf: str, word: str) -> list[str]:
    """Return the runs of four or more Chinese characters on a line of the PDF that the Word file lacks."""
    return [run for run in re.findall(r"[\u4e00-\u9fff]{4,}", pdf) if run not in word]


def test_every_brief_shows_the_same_text_in_both_formats(built):
    pairs = [(pdf, pdf.with_suffix(".docx")) for pdf in sorted(built.rglob("*.pdf"))]
    assert len(pairs) > 30
    for pdf, word in pairs:
        assert missing_from_word(pdf_lines(pdf), docx_text(word)) == [], pdf


def test_text_outside_paragraphs_in_an_override_shows_in_both_formats(project, tmp_path):
    template = project / "templates/hitech-zone/session.html.j2"
    template.write_text('{% extends "base/session.html.j2" %}\n{% block heading %}\n{{ super() }}\n'
                        "裸露的一段说明文字\n<div>块里的一段说明文字</div>\n<ul><li>列表里的第一项说明</li>"
                        "<li><strong>加粗的第二项说明</strong>和后面的文字</li></ul>\n"
                        "<section><div><span>嵌套在两层里的说明</span></div></section>\n{% endblock %}\n",
                        encoding="utf-8")
    environment.cache_clear()
    corpus, departments = load_checked(project)
    department = departments["hitech-zone"]
    session = department.sessions[1]
    context = session_context(department, session, select(session, corpus, reading_order(corpus)), corpus)
    html = render(project, department, "session", context)
    texts = {}
    for fmt in ("pdf", "docx"):
        job = Job(html, tmp_path / f"brief.{fmt}", fmt, department.accent, department.body_font, context["meta"],
                  context["created"], department.folder)
        Path(job.target).write_bytes(produce(job)[0])
        texts[fmt] = (pdf_lines if fmt == "pdf" else docx_text)(job.target)
    for shown in ("裸露的一段说明文字", "块里的一段说明文字", "列表里的第一项说明", "加粗的第二项说明和后面的文字",
                  "嵌套在两层里的说明"):
        assert shown in re.sub(r"\s", "", texts["pdf"]) and shown in texts["docx"], shown
    assert missing_from_word(texts["pdf"], texts["docx"]) == []
