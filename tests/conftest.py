"""Fixtures: a private copy of the project's inputs that a test may break."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn
from pypdf import PdfReader

from studybrief.pipeline import load_checked

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """Return a copy of seeds/, content/ and templates/ that the test may edit."""
    for name in ("seeds", "content", "templates"):
        if (ROOT / name).exists():
            shutil.copytree(ROOT / name, tmp_path / name)
    return tmp_path


LESSON = """\
id: {id}
title: 测试课题？
places: [{place}]
themes: [{theme}]
background: 背景。
actions: [做法。]
takeaways: [启示。]
questions: [问题一？, 问题二？]
sources:
  - article: {article}
    passages:
      - {quote}
"""


@pytest.fixture
def write_lesson(project: Path):
    """Return a function writing a small lesson into the project copy; it returns the file's path."""

    def write(name: str = "probe", *, text: str | None = None, quote: str = "小地方,只要有勇气,也可以有大舞台、大作为。",
              article: str = "zzrb-yangtze-trip", theme: str = "reform-innovation", id: str | None = None,
              place: str = "义乌") -> Path:
        path = project / "content" / "lessons" / f"{name}.yaml"
        path.write_text(text if text is not None else LESSON.format(id=id or name, quote=quote, article=article,
                                                                      theme=theme, place=place), encoding="utf-8")
        return path

    return write


def squeeze(text: str) -> str:
    """Return ``text`` without whitespace, as line breaks fall differently in PDF and Word."""
    return re.sub(r"\s+", "", text)


@pytest.fixture(scope="session")
def built(tmp_path_factory) -> Path:
    """Build every brief once, through the command line, into a temporary folder."""
    out = tmp_path_factory.mktemp("build")
    result = subprocess.run([sys.executable, "build.py", "--out", str(out)], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    return out


@pytest.fixture(scope="session")
def corpus():
    """Return the real corpus and departments."""
    return load_checked(ROOT)


def pdf_text(path: Path) -> str:
    return squeeze("".join(page.extract_text() for page in PdfReader(path).pages))


def docx_text(path: Path) -> str:
    document = docx.Document(str(path))
    cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
    boxes = [t.text or "" for box in document.element.body.iter(qn("w:txbxContent")) for t in box.iter(qn("w:t"))]
    return squeeze("".join(p.text for p in document.paragraphs) + "".join(cells) + "".join(boxes))
