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

from studybrief.checks import QUOTED, check, relative_dates
from studybrief.context import handout_context
from studybrief.load import load_corpus
from studybrief.numerals import numbers
from studybrief.pipeline import Job, load_checked, produce
from studybrief.templating import render

from .conftest import ROOT, squeeze

# Chinese (GB2312's range), Latin, punctuation of both widths and markup characters; no digits, numerals,
# relative dates or phrases in quotation marks, as check holds each of them to the article.
TEXT = st.text(st.one_of(st.characters(min_codepoint=0x4E00, max_codepoint=0x9FA5),
                         st.sampled_from("abcXYZ ,.:;?!()<>&{}%#'\"，。：；？！（）“”、—")), min_size=1, max_size=40
               ).filter(lambda s: s.strip() and not numbers(s) and not any(relative_dates(s)) and not QUOTED.search(s))
TEXTS = st.lists(TEXT, min_size=1, max_size=3)
PLACES = st.lists(st.sampled_from(["义乌", "昆山", "合肥", "绍兴", "柯桥"]), min_size=1, max_size=3)  # as the article names them
LESSON = st.fixed_dictionaries({
    "id": st.just("generated"), "title": TEXT, "places": PLACES, "themes": st.just(["reform-innovation"]),
    "background": TEXT, "actions": TEXTS, "takeaways": TEXTS, "questions": TEXTS,
    "sources": st.just([{"article": "zzrb-yangtze-trip", "passages": ["小地方,只要有勇气,也可以有大舞台、大作为。"]}]),
}, optional={"for_our_city": TEXT, "terms": st.just(["昆山之路精神"])}).map(
    lambda lesson: {**lesson, "for_city": "株洲"} if "for_our_city" in lesson else lesson)


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


@settings(max_examples=300, deadline=None)
@given(name=st.one_of(st.text(max_size=20), st.from_regex(r"[a-z0-9]+(-[a-z0-9]+)*", fullmatch=True)))
def test_an_identifier_is_a_plain_file_name_inside_the_output_folder(tmp_path_factory, name):
    from studybrief.identifiers import identifier_problem, inside

    problem = identifier_problem(name, "lesson id")
    plain = all(c.isascii() and (c.islower() or c.isdigit() or c == "-") for c in name)
    if problem is None:
        assert plain and name and not name.startswith("-") and "--" not in name and len(name) <= 64
        out = tmp_path_factory.getbasetemp()
        assert inside(out, out / name / f"{name}.pdf")
    else:
        assert "\n" not in problem.split("lesson id ")[1].split(" ")[0]  # the name is shown escaped


DEPARTMENT = """\
name: 测试部门
brief_name: 学习简报
issuing_body: 测试单位
marking: 内部资料
distribution: {distribution}
copies: {copies}
sessions:
  - id: one
    title: 测试
    issue: 第1期
    date: "{date}"
    audience: 全体
    themes: [reform-innovation]
"""


@settings(max_examples=150, deadline=None)
@given(copies=st.integers(min_value=-10**6, max_value=10**6),
       date=st.one_of(st.dates().map(str), st.text(st.sampled_from("0123456789-２０"), max_size=12)),
       distribution=st.text(st.sampled_from("发送：各单位，区县"), min_size=1, max_size=200))
def test_what_check_accepts_of_a_department_is_printable(tmp_path_factory, copies, date, distribution):
    from datetime import date as calendar

    from studybrief.departments import MAX_COPIES, MAX_DISTRIBUTION, read_department

    folder = tmp_path_factory.getbasetemp() / "probe"
    text = DEPARTMENT.format(copies=copies, date=date, distribution=f'"{distribution}"')
    department, problems = read_department(folder, text)
    if not problems:
        assert 1 <= department.copies <= MAX_COPIES and len(department.distribution) <= MAX_DISTRIBUTION
        assert calendar.fromisoformat(department.sessions[0].date).isoformat() == department.sessions[0].date
    else:
        assert all(p.line for p in problems)


NESTED = st.recursive(st.one_of(st.none(), st.integers(), TEXT),
                      lambda inner: st.one_of(st.lists(inner, max_size=2), st.dictionaries(TEXT, inner, max_size=2)),
                      max_leaves=60)


@settings(max_examples=100, deadline=None)
@given(document=NESTED, depth=st.integers(min_value=0, max_value=60))
def test_nested_yaml_loads_or_gets_a_line_never_an_exception(document, depth):
    from studybrief.errors import ContentError
    from studybrief.yamlfile import parse

    for _ in range(depth):
        document = [document]
    text = yaml.safe_dump(document, allow_unicode=True, default_flow_style=bool(depth % 2))
    try:
        parse(text, Path("nested.yaml"))
    except ContentError as e:
        assert all(p.line for p in e.problems)
