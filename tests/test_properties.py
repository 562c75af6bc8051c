"""Properties: whatever the schema accepts renders in both formats; whatever it rejects gets a message."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import docx
import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pypdf import PdfReader

from studybrief.checks import check
from studybrief.context import handout_context
from studybrief.load import load_corpus
from studybrief.pipeline import Job, load_checked, produce
from studybrief.templating import render

from .conftest import ROOT, squeeze

# Chinese (GB2312's range), Latin, punctuation of both widths and markup characters; no digits, as every
# number in a lesson must be quoted.
TEXT = st.text(st.one_of(st.characters(min_codepoint=0x4E00, max_codepoint=0x9FA5),
                         st.sampled_from("abcXYZ ,.:;?!()<>&{}%#'\"，。：；？！（）“”、—")), min_size=1, max_size=40
               ).filter(lambda s: s.strip())
TEXTS = st.lists(TEXT, min_size=1, max_size=3)
LESSON = st.fixed_dictionaries({
    "id": st.just("generated"), "title": TEXT, "places": TEXTS, "themes": st.just(["reform-innovation"]),
    "background": TEXT, "actions": TEXTS, "takeaways": TEXTS, "questions": TEXTS,
    "sources": st.just([{"article": "zzrb-yangtze-trip", "passages": ["小地方,只要有勇气,也可以有大舞台、大作为。"]}]),
}, optional={"for_our_city": TEXT, "terms": st.just(["昆山之路精神"])})


@pytest.fixture(scope="module")
def sandbox():
    """Return a private copy of the project, shared by the examples of one test."""
    folder = Path(tempfile.mkdtemp())
    for name in ("seeds", "content", "templates"):
        shutil.copytree(ROOT / name, folder / name)
    yield folder
    shutil.rmtree(folder)


@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(lesson=LESSON)
def test_every_accepted_lesson_renders_in_both_formats(sandbox, lesson):
    (sandbox / "content/lessons/generated.yaml").write_text(yaml.safe_dump(lesson, allow_unicode=True), encoding="utf-8")
    corpus, departments = load_checked(sandbox)
    department = departments["default"]
    context = handout_context(department, corpus.lessons["generated"], corpus, "2026-11-21")
    html = render(sandbox, department, "handout", context)
    jobs = {fmt: Job(html, sandbox / f"out.{fmt}", fmt, department.accent, department.body_font, context["meta"],
                     context["created"], department.folder) for fmt in ("pdf", "docx")}
    pdf, pages = produce(jobs["pdf"])
    (sandbox / "out.pdf").write_bytes(pdf)
    (sandbox / "out.docx").write_bytes(produce(jobs["docx"])[0])
    text = squeeze("".join(p.extract_text() for p in PdfReader(sandbox / "out.pdf").pages))
    assert pages >= 1 and squeeze(context["lesson"].background)[:10] in text
    paragraphs = squeeze("".join(p.text for p in docx.Document(str(sandbox / "out.docx")).paragraphs))
    assert squeeze(context["lesson"].title) in paragraphs


KEYS = st.one_of(TEXT, st.sampled_from(["id", "title", "places", "themes", "sources", "questions"]))
JUNK = st.recursive(st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), TEXT),
                    lambda inner: st.one_of(st.lists(inner, max_size=3), st.dictionaries(KEYS, inner, max_size=4)),
                    max_leaves=8)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(document=st.one_of(JUNK.map(lambda d: yaml.safe_dump(d, allow_unicode=True).encode()),
                          st.binary(max_size=200), st.text(max_size=200).map(str.encode)))
def test_every_rejected_input_gets_a_message_never_an_exception(sandbox, document):
    path = sandbox / "content/lessons/generated.yaml"
    path.write_bytes(document)
    corpus, problems = load_corpus(sandbox)
    problems += check(corpus)
    if "generated" not in corpus.lessons:
        assert [p for p in problems if Path(p.path) == path], document
    for problem in problems:
        assert str(problem).startswith(str(problem.path)) and problem.message
