"""Departments: their own selection and layout, a scaffold for new ones, and a sandbox for templates."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import ROOT, docx_text, pdf_text


def build(project: Path, out: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(ROOT / "build.py"), "--root", str(project), "--out", str(out), *args],
                          capture_output=True, text=True)


def outputs(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.suffix in (".pdf", ".docx") and "templates" not in p.parts)


def test_each_department_builds_its_own_selection(built):
    organization = pdf_text(built / "organization/cadre-competence-2026.pdf")
    commerce = docx_text(built / "commerce/investment-2026.docx")
    assert "干部教育培训简报" in organization and "中共株洲市委组织部" in organization
    assert "编者按：" in organization
    assert "不产咖啡的昆山，怎样打造咖啡产业链？" not in organization  # not in its session
    assert organization.index("一家半导体企业为何离开株洲？") < organization.index("干部怎样“玩转”专业？")
    assert "招商引资工作简报" in commerce and "株洲市商务局" in commerce and "共印80份" in commerce
    assert "“枫桥经验”如何与时俱进？" not in commerce  # grassroots governance is not a commerce theme
    assert (built / "hitech-zone/industrial-chains-2026.pdf").exists() and (built / "hitech-zone/regional-2026.pdf").exists()
    assert "株洲高新区（天元区）党工委办公室" in pdf_text(built / "hitech-zone/regional-2026.pdf")[:200]


def test_override_of_one_block_shows_in_both_formats(built):
    for fmt, read in (("pdf", pdf_text), ("docx", docx_text)):
        text = read(built / f"organization/cadre-competence-2026.{fmt}")
        assert "编者按：本期选编干部队伍建设案例六个" in text, fmt


def test_scaffolded_department_builds_and_its_override_changes_both_formats(project, tmp_path):
    result = subprocess.run([sys.executable, str(ROOT / "build.py"), "--root", str(project), "new-department", "audit-office"],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    folder = project / "templates/audit-office"
    config = folder / "department.yaml"
    text = config.read_text(encoding="utf-8")
    assert text.startswith("# Department audit-office, started from 'default'.") and "\nname: audit-office\n" in text
    text = text.replace("brief_name: 学习简报", "brief_name: 审计学习简报")
    config.write_text(text[:text.index("  themes:")] + "  themes: [digital-government]\n", encoding="utf-8")
    (folder / "session.html.j2").write_text(
        '{% extends "base/session.html.j2" %}{% block heading %}<h1 class="title">审计局专用标题</h1>{% endblock %}',
        encoding="utf-8")
    result = build(project, tmp_path, "--department", "audit-office")
    assert result.returncode == 0, result.stderr
    assert [p.name for p in outputs(tmp_path)] == ["all-lessons.docx", "all-lessons.pdf"]
    for read, fmt in ((pdf_text, "pdf"), (docx_text, "docx")):
        text = read(tmp_path / f"audit-office/all-lessons.{fmt}")
        assert "审计学习简报" in text and "审计局专用标题" in text and "德清如何给数字化应用" in text


EVIL = {
    "file": ('{% extends "base/session.html.j2" %}\n{% block heading %}\n{% include "/etc/passwd" %}\n{% endblock %}',
             "session.html.j2:3: template '/etc/passwd' not found; a template may only load templates from its "
             "department folder or templates/base"),
    "parent": ('{% extends "base/session.html.j2" %}\n{% block heading %}{% include "../../../../etc/passwd" %}'
               '{% endblock %}', "template '../../../../etc/passwd' not found"),
    "python": ('{% extends "base/session.html.j2" %}\n{% block heading %}\n'
               '{{ "".__class__.__mro__[1].__subclasses__() }}\n{% endblock %}',
               "session.html.j2:3: template not allowed to do this: access to attribute '__class__' of 'str' object "
               "is unsafe."),
    "module": ('{% extends "base/session.html.j2" %}\n{% block heading %}{% import "os" as os %}{{ os.system("id") }}'
               '{% endblock %}', "template 'os' not found"),
    "remote": ('{% extends "base/session.html.j2" %}\n{% block heading %}\n<img src="https://example.com/x.png">\n'
               '{% endblock %}', "session.html.j2:3: template may not load 'https://example.com/x.png'"),
    "css": ('{% extends "base/session.html.j2" %}\n{% block style %}{{ super() }}\n'
            '@import url("http://example.com/a.css");\n{% endblock %}', "template may not load 'http://example.com/a.css'"),
    "local-file": ('{% extends "base/session.html.j2" %}\n{% block heading %}<img src="file:///etc/passwd">{% endblock %}',
                   "template may not load 'file:///etc/passwd'"),
    "syntax": ('{% extends "base/session.html.j2" %}\n{% block heading %}\n{% if %}\n{% endblock %}',
               "session.html.j2:3: template syntax error: Expected an expression, got 'end of statement block'"),
}


@pytest.mark.parametrize("case", EVIL)
def test_untrusted_template_fails_clearly_and_writes_nothing(project, tmp_path, case):
    source, message = EVIL[case]
    evil = project / "templates/evil"
    evil.mkdir()
    (evil / "department.yaml").write_text((project / "templates/commerce/department.yaml").read_text(encoding="utf-8"),
                                          encoding="utf-8")
    shutil.copy(project / "templates/commerce/emblem.svg", evil)  # the configuration names it
    (evil / "session.html.j2").write_text(source, encoding="utf-8")
    result = build(project, tmp_path / "out", "--department", "evil")
    assert result.returncode == 1
    assert message in result.stderr
    assert "Traceback" not in result.stderr and "root:" not in result.stderr
    assert outputs(tmp_path) == []


def test_yaml_content_is_shown_literally_never_interpreted(project, tmp_path):
    lesson = project / "content/lessons/markup.yaml"
    lesson.write_text((ROOT / "content/lessons/zhuzhou-chip-firm-left.yaml").read_text(encoding="utf-8")
                      .replace("id: zhuzhou-chip-firm-left", "id: markup")
                      .replace("title: 一家半导体企业为何离开株洲？", "title: '<b>加粗</b>{{ 7*7 }}{% include \"株洲\" %}为何？'")
                      .replace("      - 以自己落后的無知,質疑人家的合法性和先進性。",
                               "      - 以自己落后的無知,質疑人家的合法性和先進性。\n      - 蘇州工業園,連續7年蟬聯榜單第一"),
                      encoding="utf-8")
    result = build(project, tmp_path, "--lesson", "markup", "--department", "default")
    assert result.returncode == 0, result.stderr
    expected = '<b>加粗</b>{{7*7}}{%include"株洲"%}为何？'
    assert expected in pdf_text(tmp_path / "default/handouts/markup.pdf")
    assert expected in docx_text(tmp_path / "default/handouts/markup.docx")
    assert "49" not in pdf_text(tmp_path / "default/handouts/markup.pdf")


def test_schema_problems_do_not_hide_the_department_rules(project):
    """A missing key and a wrong type are reported with an impossible date and a bad colour, each once."""
    from studybrief.departments import read_department

    folder = project / "templates" / "organization"
    text = (folder / "department.yaml").read_text(encoding="utf-8")
    text = re.sub(r"\naccent: .*", "\naccent: red", text, count=1)
    text = re.sub(r"\n  - id: .*", "\n  - id: 第一期", text, count=1)
    text = re.sub(r"\n    date: .*", "\n    date: 2026-02-30\n    themes: 7", text, count=1)
    text = re.sub(r"\nbrief_name: .*", "", text, count=1)
    department, problems = read_department(folder, text)
    messages = [p.message for p in problems]
    assert department is None
    assert any("required key 'brief_name' is missing" in m for m in messages)
    assert any("session.themes: expected a list of texts" in m for m in messages)
    assert any("accent must be a colour" in m for m in messages)
    assert any("session date must be a real date" in m for m in messages)
    assert any("session id '第一期' must be lowercase" in m for m in messages)
    assert len(messages) == len(set(messages)) == 5
