"""Long briefs are laid out in parts: every lesson once, pages numbered on, contents filled in."""

from __future__ import annotations

import re

import pytest
from pypdf import PdfReader

from studybrief import pdf
from studybrief.context import chinese_number
from studybrief.pipeline import load_checked, plan

from .conftest import ROOT, squeeze


@pytest.fixture(scope="module")
def compendium() -> str:
    corpus, departments = load_checked(ROOT)
    jobs = plan(ROOT, ROOT / "build", corpus, departments, "default", None, ("pdf",))
    return next(j.html for j in jobs if j.target.name == "compendium.pdf")


def test_split_keeps_every_lesson_once_and_the_ends_in_their_parts(compendium):
    parts = pdf.split(compendium, 10)
    lessons = re.findall(r'<article class="lesson" id="([^"]+)"', compendium)
    assert len(parts) == -(-len(lessons) // 10)
    assert [i for p in parts for i in re.findall(r'<article class="lesson" id="([^"]+)"', p)] == lessons
    assert ['class="masthead"' in p for p in parts] == [True] + [False] * (len(parts) - 1)
    assert ['id="references"' in p for p in parts] == [False] * (len(parts) - 1) + [True]
    headings = [h for p in parts for h in re.findall(r'<h1 id="(article-[^"]+)"', p)]
    assert headings == list(dict.fromkeys(re.findall(r'<h1 id="(article-[^"]+)"', compendium)))  # each once
    assert pdf.split(compendium, 1000) == [compendium]


def test_brief_laid_out_in_parts_reads_like_one(compendium, monkeypatch, tmp_path):
    monkeypatch.setattr(pdf, "PART_LESSONS", 10)
    joined, pages = pdf.pdf_bytes(compendium, ROOT / "templates/default")
    (tmp_path / "joined.pdf").write_bytes(joined)
    reader = PdfReader(tmp_path / "joined.pdf")
    assert pages == len(reader.pages) > 50  # several parts of 10 lessons
    footers = [page.extract_text().strip().splitlines()[-1] for page in reader.pages]
    assert footers == [f"— {n} —" for n in range(1, pages + 1)]  # numbered on, part after part
    contents = squeeze("".join(page.extract_text() for page in reader.pages[:3]))
    groups = [o for o in reader.outline if not isinstance(o, list)]
    assert len(groups) >= 12 and groups[-1].title == "参考文献"
    for group in groups[:-1]:  # every part's bookmarks survive, and the contents give their pages
        page = reader.get_destination_page_number(group) + 1
        assert re.search(re.escape(squeeze(group.title)) + r"·+" + str(page) + r"(?!\d)", contents), group.title
    assert reader.metadata.title == "经验启示汇编"
    assert joined == pdf.pdf_bytes(compendium, ROOT / "templates/default")[0]  # reproducible too


def test_chinese_numbers():
    assert [chinese_number(n) for n in (1, 10, 11, 20, 99, 100, 101, 110, 1000, 1010, 2345)] == [
        "一", "十", "十一", "二十", "九十九", "一百", "一百零一", "一百一十", "一千", "一千零一十", "二千三百四十五"]
