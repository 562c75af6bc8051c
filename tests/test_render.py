"""`build.py`: the Word and PDF briefs read back, every lesson with its title and source."""

from __future__ import annotations

import re
import shutil
import zipfile
from pathlib import Path

import docx
import pytest
from pypdf import PdfReader

from studybrief.citation import reference
from studybrief.office import to_pdf
from studybrief.selection import reading_order, select

from .conftest import docx_text, pdf_text, squeeze


def session_lessons(corpus, department: str, session: int = 0):
    corpus_, departments = corpus
    return select(departments[department].sessions[session], corpus_, reading_order(corpus_))


def test_every_kind_of_brief_in_both_formats(built):
    for stem in ("default/all-lessons", "default/compendium", "default/handouts/yiwu-consolidated-export"):
        for fmt in ("pdf", "docx"):
            assert (built / f"{stem}.{fmt}").stat().st_size > 10_000


@pytest.mark.parametrize("fmt", ["pdf", "docx"])
def test_session_brief_holds_every_lesson_title_and_source_line(built, corpus, fmt):
    text = (pdf_text if fmt == "pdf" else docx_text)(built / f"default/all-lessons.{fmt}")
    lessons = session_lessons(corpus, "default")
    assert len(lessons) == len(corpus[0].lessons)
    for lesson in lessons:
        assert squeeze(lesson.title.replace("?", "？")) in text, lesson.id
    for article in {s.article for lesson in lessons for s in lesson.sources}:
        assert squeeze(reference(corpus[0].articles[article])) in text, article
    # one colon, authors joined with 、, the newspaper in 书名号
    assert "来源：周莹《浙苏皖行：为什么要去这些地方？学什么？》，《株洲日报》[1]" in text


def test_converted_copy_is_shown_and_cited_as_the_simplified_original(built):
    # seed 001 is a traditional-script conversion of a simplified article: the registry says so
    text = pdf_text(built / "default/handouts/zhuzhou-chip-firm-left.pdf")
    assert "以自己落后的无知，质疑人家的合法性和先进性。" in text
    assert "原文为繁体字" not in text and "譚昕吾" not in text
    assert "谭昕吾，王娜.天元区做实“高新样本”王牌何在？：株洲县区发展大型新闻调查之四[N]." in text
    assert "来源：谭昕吾、王娜《天元区做实“高新样本”王牌何在？：株洲县区发展大型新闻调查之四》" in text


def test_every_pdf_font_is_embedded(built):
    reader = PdfReader(built / "default/all-lessons.pdf")
    fonts = {}
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descriptor = (font["/DescendantFonts"][0].get_object() if "/DescendantFonts" in font else font)
            descriptor = descriptor["/FontDescriptor"].get_object()
            fonts[font["/BaseFont"]] = any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3"))
    assert fonts and all(fonts.values()), fonts
    names = " ".join(fonts)
    for family in ("Noto-Serif-CJK-SC", "Noto-Sans-CJK-SC", "FandolFang", "FandolKai"):
        assert family in names


def test_pdf_has_outline_metadata_and_linked_contents(built, corpus):
    reader = PdfReader(built / "default/all-lessons.pdf")
    titles = [item.title for item in reader.outline if not isinstance(item, list)]
    assert titles[0] == "一、改革创新"
    assert "参考文献" in titles
    meta = reader.metadata
    assert meta.title == "赴先进地区学习考察经验启示专题学习会"
    assert meta.author == "中共株洲市委组织部"
    assert meta.subject.startswith("学习简报：") and "改革创新" in reader.metadata["/Keywords"]
    links = [a.get_object() for page in reader.pages[:3] for a in page.get("/Annots", [])]
    assert len([a for a in links if a["/Subtype"] == "/Link"]) >= len(corpus[0].lessons)
    assert pdf_text(built / "default/all-lessons.pdf").count("—1—") >= 1


def test_handouts_fit_two_pages(built, corpus):
    for lesson in corpus[0].lessons:
        assert len(PdfReader(built / f"default/handouts/{lesson}.pdf").pages) <= 2, lesson


def test_docx_headings_and_styles_are_real_word_styles(built, corpus):
    document = docx.Document(str(built / "default/all-lessons.docx"))
    styles = {p.style.name for p in document.paragraphs}
    assert {"Title", "Heading 1", "Heading 2", "Heading 3", "Quote", "Normal", "来源", "参考文献"} <= styles
    for lesson in corpus[0].lessons.values():
        title = lesson.title.replace("?", "？")
        heading = [p for p in document.paragraphs if p.text.endswith(title) and not p.style.name.startswith("TOC")]
        assert heading and heading[0].style.name == "Heading 2", lesson.id
    for name in ("Heading 1", "Heading 2", "Title", "Quote", "Normal"):
        style = document.styles[name]
        fonts = style.element.rPr.rFonts
        assert not [a for a in fonts.attrib if a.endswith("Theme") or a.endswith("theme")], name
        assert style.font.italic is False
    assert document.styles["Normal"].element.rPr.rFonts.get(
        "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}eastAsia") == "仿宋_GB2312"
    assert document.styles["Heading 1"].element.rPr.rFonts.get(
        "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}eastAsia") == "黑体"


def test_docx_page_setup_footer_contents_and_chinese_settings(built):
    path = built / "default/all-lessons.docx"
    section = docx.Document(str(path)).sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    assert (round(section.top_margin.mm), round(section.left_margin.mm)) == (37, 28)
    with zipfile.ZipFile(path) as archive:
        names = archive.namelist()
        footers = [archive.read(n).decode() for n in names if n.startswith("word/footer")]
        body, settings = archive.read("word/document.xml").decode(), archive.read("word/settings.xml").decode()
        styles = archive.read("word/styles.xml").decode()
    assert any("PAGE" in f and "— " in f for f in footers)
    assert 'TOC \\o "1-2"' in body
    assert 'w:characterSpacingControl w:val="compressPunctuation"' in settings
    assert "w:evenAndOddHeaders" in settings
    assert 'w:eastAsia="zh-CN"' in styles


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is installed by setup.sh")
def test_every_docx_kind_opens_in_libreoffice(built, tmp_path, corpus):
    kinds = ["default/all-lessons", "default/compendium", "default/handouts/yiwu-consolidated-export",
             "organization/cadre-competence-2026", "commerce/investment-2026"]
    to_pdf([built / f"{k}.docx" for k in kinds], tmp_path)
    for kind in kinds:
        converted = tmp_path / (Path(kind).name + ".pdf")
        assert len(PdfReader(converted).pages) >= 1
    assert "义乌如何为企业降成本？" in pdf_text(tmp_path / "yiwu-consolidated-export.pdf")
    assert "株洲市商务局内部学习材料内部资料招商引资工作简报" in pdf_text(tmp_path / "investment-2026.pdf")  # its reference's header


def test_no_closing_punctuation_starts_a_line_and_no_opening_one_ends_it(built):
    for name in ("default/all-lessons.pdf", "default/compendium.pdf"):
        lines = [line.strip() for page in PdfReader(built / name).pages for line in page.extract_text().splitlines()]
        lines = [line for line in lines if line]
        assert len(lines) > 1000
        assert [line for line in lines if line[0] in "，。、；：？！）》”’"] == []
        assert [line for line in lines if line[-1] in "（《“‘"] == []


def test_half_width_punctuation_between_chinese_is_shown_full_width(built):
    for fmt, read in (("pdf", pdf_text), ("docx", docx_text)):
        text = read(built / f"default/all-lessons.{fmt}")
        assert "浙苏皖行：为什么要去这些地方？学什么？" in text, fmt
        assert re.findall(r"[\u4e00-\u9fff][,:;?!()][\u4e00-\u9fff]", text) == [], fmt


def test_distribution_block_stands_at_the_foot_of_the_last_page(built):
    page = PdfReader(built / "default/all-lessons.pdf").pages[-1]
    heights = {}

    def visit(text, cm, tm, font, size):
        if text.strip():
            heights.setdefault(text.strip()[:4], tm[5] * cm[3] + cm[5])

    page.extract_text(visitor_text=visit)
    distribution = heights["发：市委"]  # 发：市委各部委…　共印120份
    references = [y for text, y in heights.items() if text.startswith("[")]  # none when they filled the page before
    assert distribution < 200 and all(y > 200 for y in references)  # points from the bottom edge; the text block ends at 99
