"""The README's intake walkthrough, end to end, on an article that is not among the seeds."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import docx

from ..conftest import ROOT, pdf_text, squeeze

PAGE = ROOT / "tests" / "fixtures" / "intake" / "port-page.txt"


def _run(project: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(ROOT / "build.py"), "--root", str(project), *args],
                          capture_output=True, text=True, cwd=project)


def _complete(path: Path) -> None:
    """Do what the README asks of a person: fill in the to-dos, then delete the draft status."""
    text = path.read_text(encoding="utf-8").replace("status: draft\n", "")
    filled = {"places": "宁波", "themes": "business-environment", "background": "港口物流成本高，企业通关等待时间长。",
              "actions": "上线“港口一网通”平台，数据多跑路、企业少跑腿。", "meaning": "集装箱平均通关时间的压缩",
              "takeaways": "用数字化打通服务企业的堵点。", "questions": "我市的通关流程还能压缩哪些环节？"}
    for key, value in filled.items():
        text = re.sub(rf"(\n\s*{key}:(?:\n\s*- )?\s*)【待填写】", lambda m, v=value: m.group(1) + v, text)
    assert not [line for line in text.splitlines() if "【待填写】" in line and not line.startswith("#")]
    path.write_text(text, encoding="utf-8")


def test_add_review_draft_complete_check_build(project: Path, tmp_path: Path) -> None:
    added = _run(project, "add-article", str(PAGE))
    assert added.returncode == 0, added.stderr
    assert "article article-005-1: lines 3-19" in added.stdout and "line 7: noise (metadata): byline" in added.stdout
    drafted = _run(project, "draft", "article-005-1")
    assert drafted.returncode == 0, drafted.stderr
    lesson = project / "content" / "lessons" / "article-005-1-01.yaml"
    assert "status: draft" in lesson.read_text(encoding="utf-8")
    _complete(lesson)
    checked = _run(project, "check")
    assert checked.returncode == 0, checked.stderr
    assert "article-005-1-02.yaml:4: warning: draft lesson" in checked.stderr
    assert "article-005-1-01.yaml" not in checked.stderr
    commerce = project / "templates" / "commerce" / "department.yaml"
    config = commerce.read_text(encoding="utf-8")
    assert "hefei-fund-building]" in config
    commerce.write_text(config.replace("hefei-fund-building]", "hefei-fund-building, article-005-1-01]", 1),
                        encoding="utf-8")
    out = tmp_path / "out"
    built = _run(project, "--out", str(out), "--department", "commerce", "--lesson", "article-005-1-01")
    assert built.returncode == 0, built.stderr
    reference = squeeze("李明，王芳. 宁波港口物流提速的启示：宁波市推进港航服务改革调查[N].")
    (pdf,), (word,) = list(out.rglob("*.pdf")), list(out.rglob("*.docx"))
    text = pdf_text(pdf)
    assert "以数字化打通堵点" in text and reference in text
    assert "以服务换市场" not in text, "a draft stays out of every brief"
    paragraphs = squeeze("".join(p.text for p in docx.Document(word).paragraphs))
    assert "以数字化打通堵点" in paragraphs and reference in paragraphs and "以服务换市场" not in paragraphs
