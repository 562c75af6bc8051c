"""The office's voice: lesson kinds, cross-references, excerpts cut with ……, and the proofreading pass."""

from __future__ import annotations

import subprocess
import sys
from datetime import datetime
from pathlib import Path

import docx
import pytest
from pypdf import PdfReader

from studybrief.checks import check as check_corpus
from studybrief.context import handout_context, session_context
from studybrief.departments import Session
from studybrief.excerpts import cuts, mark
from studybrief.load import load_corpus
from studybrief.model import Article
from studybrief.pdf import pdf_bytes
from studybrief.pipeline import load_checked
from studybrief.templating import render
from studybrief.typography import lead_sentence
from studybrief.word import docx_bytes

from .conftest import ROOT, squeeze

LESSON = """\
id: {id}
title: 测试课题？
places: [{place}]
themes: [cadre-competence]
{body}
takeaways: [启示。]
questions: [问题一？, 问题二？]
sources:
  - article: {article}
    passages:
      - {quote}
"""
WARNING = """\
kind: 教训
background: 背景。
problem: 关键领导执意让项目上马。
causes: [无视专业意见。, 贪大铺摊子。]"""


def lesson_file(project: Path, name: str, body: str = "background: 背景。\nactions: [做法。]", *,
                quote: str = "小地方,只要有勇气,也可以有大舞台、大作为。", article: str = "zzrb-yangtze-trip",
                extra: str = "", place: str = "株洲") -> Path:
    path = project / "content/lessons" / f"{name}.yaml"
    path.write_text(LESSON.format(id=name, body=body, quote=quote, article=article, place=place) + extra,
                    encoding="utf-8")
    return path


def run_check(project: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(ROOT / "build.py"), "--root", str(project), "check", *args],
                          capture_output=True, text=True)


# Lesson kinds and cross-references: the model and check.

def test_a_warning_lesson_needs_problem_and_causes_and_no_actions(project):
    path = lesson_file(project, "probe", "kind: 教训\nbackground: 背景。\nactions: [做法。]")
    corpus, found = load_corpus(project)
    messages = [str(p) for p in found + check_corpus(corpus) if str(p).startswith(str(path))]
    assert f"{path}:5: a 教训 needs 'problem' (问题: what went wrong)" in messages
    assert f"{path}:5: a 教训 needs 'causes' (原因: why)" in messages
    assert any(":7: a 教训 has no 'actions' (主要做法)" in m for m in messages)


def test_unknown_kind_and_unknown_see_are_errors(project):
    path = lesson_file(project, "probe", "kind: 失败\nbackground: 背景。\nactions: [做法。]", extra="see: [nowhere]\n")
    corpus, found = load_corpus(project)
    messages = [str(p) for p in found + check_corpus(corpus)]
    assert f"{path}:5: kind must be 经验 or 教训, not '失败'" in messages
    assert f"{path}:14: see: 'nowhere' is not another lesson's id" in messages


def test_an_experience_may_not_carry_warning_fields(project):
    path = lesson_file(project, "probe", "background: 背景。\nactions: [做法。]\nproblem: 问题。")
    corpus, found = load_corpus(project)
    assert f"{path}:7: 'problem' belongs to a 教训; set kind: 教训 or drop it" in [str(p) for p in found + check_corpus(corpus)]


# The 教训 layout, read back from both formats.

@pytest.fixture(scope="module")
def warning_handout(tmp_path_factory) -> tuple[str, str]:
    """Return the PDF text and the DOCX paragraphs (style, text) of a 教训's handout."""
    project = tmp_path_factory.mktemp("warning")
    for name in ("seeds", "content", "templates"):
        subprocess.run(["cp", "-r", str(ROOT / name), str(project / name)], check=True)
    lesson_file(project, "probe", WARNING)
    corpus, departments = load_checked(project)
    department = departments["default"]
    html = render(project, department, "handout", handout_context(department, corpus.lessons["probe"], corpus,
                                                                  "2026-11-21"))
    pdf = project / "probe.pdf"
    pdf.write_bytes(pdf_bytes(html, department.folder)[0])
    word = project / "probe.docx"
    word.write_bytes(docx_bytes(html, department.accent, department.body_font, {"title": "t", "author": "a",
                                "keywords": [], "subject": "s"}, datetime(2026, 11, 21)))
    paragraphs = [(p.style.name, p.text) for p in docx.Document(str(word)).paragraphs]
    return squeeze("".join(page.extract_text() for page in PdfReader(pdf).pages)), paragraphs


def test_a_warning_is_laid_out_under_its_own_headings_in_pdf(warning_handout):
    text, _ = warning_handout
    for heading in ("1．基本情况", "2．存在问题关键领导执意让项目上马。", "3．原因分析无视专业意见。贪大铺摊子。", "4．教训警示启示。"):
        assert heading in text
    assert "主要做法" not in text and "成效数据" not in text and "经验启示" not in text


def test_a_warning_is_laid_out_under_its_own_headings_in_word(warning_handout):
    _, paragraphs = warning_handout
    headings = [text for style, text in paragraphs if style.startswith("Heading 2")]
    assert headings[:4] == ["1．基本情况", "2．存在问题", "3．原因分析", "4．教训警示"]
    assert not any("主要做法" in text or "成效数据" in text for _, text in paragraphs)
    body = [text for style, text in paragraphs if not style.startswith("Heading")]
    assert body.index("关键领导执意让项目上马。") < body.index("无视专业意见。") < body.index("启示。")


# `see:` printed with the number the brief gives the lesson.

def test_see_is_printed_with_the_number_the_brief_gives(project):
    lesson_file(project, "first", extra="see: [second]\n")
    lesson_file(project, "second", extra="see: [first, zhuzhou-chip-firm-left]\n")
    corpus, departments = load_checked(project)
    department = departments["organization"]
    session = Session("probe", "测试", "第1期", "2026-11-21", "全体", [], ["second", "first"], [], 1)
    context = session_context(department, session, [corpus.lessons["second"], corpus.lessons["first"]], corpus)
    html = render(project, department, "session", context)
    assert "相关案例见本期一（一）“<a href=\"#lesson-second\">测试课题？</a>”。" in html
    # a lesson the brief does not hold is not referred to
    assert html.count("相关案例见") == 2 and "本期一（二）“" in html and "离开株洲" not in html


# The ellipsis: decided from the article text.

def article(*lines: str) -> Article:
    return Article(id="a", file="f", first=1, last=len(lines), title=None, outlet=None, authors=[], date=None,
                   kind="N", script="simplified", noise=[], line=1, body=tuple(enumerate(lines, 1)))


@pytest.mark.parametrize(("passage", "expected"), [
    ("第一句话完整。", (False, False)),
    ("第二句从中间开始,", (False, True)),
    ("从中间开始,到句末。", (True, False)),
    ("另一句也完整", (False, False)),  # ends right before its full stop
    ("他说:“这是引语。”", (False, False)),
    ("这是引语。”", (True, False)),
    ("小标题", (False, False)),
    ("正文接着标题。", (False, False)),
    ("10日,警务站揭牌。", (False, False)),  # after a news dateline
    ("在世界海关组织协调", (True, True)),
])
def test_cuts_are_decided_from_the_article(passage, expected):
    text = article("第一句话完整。第二句从中间开始,到句末。另一句也完整。他说:“这是引语。”", "小标题", "正文接着标题。",
                   "本报嘉善5月10日电(记者 王某)10日,警务站揭牌。",
                   "海关立即调研。前后耗时近一年,深圳干部帮助大疆在世界海关组织协调", "小标题二",
                   "统一了定义。他讲了一个故事:", "下一段开头。")
    assert cuts(text, passage) == expected


def test_cut_is_marked_and_the_clause_mark_at_the_cut_dropped():
    assert mark("第二句从中间开始，", False, True) == "第二句从中间开始……"
    assert mark("，到句末。", True, False) == "……到句末。"
    assert mark("完整。", False, False) == "完整。"


def test_session_brief_shows_key_passages_marked_and_the_compendium_all(project):
    lesson_file(project, "probe", quote="一个既不沿海也不靠海的内陆县城,为何能“逆袭”成为对外开放的前沿高地",
                extra="      - 义乌小商品出口种类多、单批数量少\n")
    path = project / "content/lessons/probe.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("takeaways: [启示。]", "takeaways: [要做“对外开放的前沿高地”。]"),
                    encoding="utf-8")
    corpus, departments = load_checked(project)
    department = departments["organization"]
    session = Session("probe", "测试", "第1期", "2026-11-21", "全体", [], ["probe"], [], 1)
    html = render(project, department, "session", session_context(department, session, [corpus.lessons["probe"]],
                                                                    corpus))
    assert "为何能‘逆袭’成为对外开放的前沿高地……" in html  # the sentence goes on: cut, marked
    assert "单批数量少" not in html  # backs nothing the lesson says
    department.excerpts = "all"
    html = render(project, department, "session", session_context(department, session, [corpus.lessons["probe"]],
                                                                    corpus))
    assert "“义乌小商品出口种类多、单批数量少……”" in html  # a paragraph after 小故事: starts a sentence


# The proofreading pass: warnings by `check`, errors by `check --strict`.

@pytest.mark.parametrize(("prose", "expected"), [
    ("background: 文章认为，苏州干部无疑是一个重要选项。", "background: meta-narration «文章认为»"),
    ("background: 文章接着写到：无视专业意见。", "background: meta-narration «文章接着写»"),
    ("background: 报告写明昆山的做法。", "background: meta-narration «报告写明»"),
    ("background: 一栋写字楼凭啥集聚基金。", "background: «凭啥»: 改为“为什么”"),
    ("background: 上世纪60年代的经验。", "background: «上世纪»: 改为“20世纪”"),
    ("background: 株洲日报写到：“小地方，只要有勇气，也可以有大舞台、大作为。”", "background: «写到» before what is written: 写道"),
])
def test_each_proofreading_warning(project, prose, expected):
    path = lesson_file(project, "probe", prose.replace("60", "") + "\nactions: [做法。]")
    result = run_check(project)
    assert result.returncode == 0, result.stderr
    assert f"{path}:5: warning: {expected}" in result.stderr
    strict = run_check(project, "--strict")
    assert strict.returncode == 1 and f"{path}:5: warning: {expected}" in strict.stderr


def test_quotations_are_the_article_voice_not_the_office(project):
    lesson_file(project, "probe", "background: 据报道，当地称其“神一般的项目建设速度”。\nactions: [做法。]",
                article="tianyuan-high-tech", quote="神一般的項目建設速度,靠的是當地干部主動搏擊、靠前服務。")
    assert "probe.yaml" not in run_check(project).stderr


def test_an_office_extends_the_word_list(project):
    path = lesson_file(project, "probe", "background: 这个做法很接地气。\nactions: [做法。]")
    assert "probe.yaml" not in run_check(project).stderr
    words = project / "content/proofreading.yaml"
    words.write_text(words.read_text(encoding="utf-8").replace("informal:\n", "informal:\n  接地气: 改为“贴近群众”\n"),
                     encoding="utf-8")
    assert f"{path}:5: warning: background: «接地气»: 改为“贴近群众”" in run_check(project).stderr


def test_another_citys_first_person_shown_to_our_city(project):
    quote = "我们要借鉴先进经验"
    path = lesson_file(project, "probe", quote=quote, article="yanan-yangtze-report",
                       body="background: 背景。\nactions: [做法。]", place="延安")
    text = path.read_text(encoding="utf-8").replace("takeaways: [启示。]", "takeaways: [要“借鉴先进经验”。]")
    path.write_text(text, encoding="utf-8")
    result = run_check(project)
    assert (f"{path}:12: warning: passage of a 延安 article says «我们», shown to readers in 株洲, who would read it "
            "as their own; trim the passage") in result.stderr


def test_a_brief_over_its_page_budget(project):
    config = project / "templates/hitech-zone/department.yaml"
    config.write_text(config.read_text(encoding="utf-8").replace("page_budget: 18", "page_budget: 1"), encoding="utf-8")
    line = config.read_text(encoding="utf-8").splitlines().index("  - id: industrial-chains-2026") + 1
    result = run_check(project)
    assert result.returncode == 0
    assert f"{config}:{line}: warning: session industrial-chains-2026 takes" in result.stderr
    assert "over the department's page_budget of 1" in result.stderr
    assert run_check(project, "--strict").returncode == 1


def test_a_takeaway_leads_with_its_first_sentence():
    assert lead_sentence("懂行才能服务。干部说“先学。”再审核。") == ("懂行才能服务。", "干部说“先学。”再审核。")
    assert lead_sentence("“先学。”再审核。") == ("“先学。”再审核。", "")
    assert lead_sentence("只有一句。") == ("只有一句。", "")


def test_the_edited_century_is_traceable_to_the_article(project):
    path = lesson_file(project, "probe", "background: 20世纪60年代，枫桥镇干部群众创造了枫桥经验。\nactions: [做法。]",
                       quote="上世纪60年代,枫桥镇的干部群众创造了“发动和依靠群众,坚持矛盾不上交,就地解决”的“枫桥经验”")
    corpus, found = load_corpus(project)
    assert [p for p in found + check_corpus(corpus) if str(p).startswith(str(path))] == []


def test_shipped_corpus_passes_strict():
    result = subprocess.run([sys.executable, "build.py", "check", "--strict"], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
