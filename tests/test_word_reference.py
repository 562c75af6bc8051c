"""A department's reference.docx: its styles, page and headers carried into its Word briefs."""

from __future__ import annotations

import zipfile
from datetime import datetime
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from studybrief.word import docx_bytes

from .test_departments import build, outputs

HTML = ('<html><body><p class="masthead-name">学习简报</p><h1>一、标题</h1><p>正文内容。</p>'
        '<table><tr><td>甲</td></tr></table></body></html>')
META = {"title": "题名", "author": "编印单位", "subject": "主题", "keywords": ["关键词"]}


def east_asian(style) -> str:
    return style.element.rPr.rFonts.get(qn("w:eastAsia"))


def word_like_reference(path: Path, *, table_grid: bool = True) -> Path:
    """Write a reference as Chinese Word saves one: style ids like "1", Chinese names, a header and body text."""
    reference = docx.Document()
    normal = reference.styles["Normal"]
    normal.font.size = Pt(16)
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), "宋体")
    heading = reference.styles["Heading 1"]
    heading.font.size = Pt(18)
    heading.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), "黑体")
    heading.element.set(qn("w:styleId"), "1")
    heading.element.find(qn("w:name")).set(qn("w:val"), "标题 1")
    if not table_grid:
        grid = reference.styles["Table Grid"].element
        grid.getparent().remove(grid)
    section = reference.sections[0]
    section.top_margin, section.left_margin = Mm(30), Mm(25)
    section.header.is_linked_to_previous = False
    section.header.paragraphs[0].text = "某某局文件"
    reference.add_paragraph("范文正文，生成简报时丢弃")
    reference.save(str(path))
    return path


def written(tmp_path: Path, reference: Path | None) -> docx.document.Document:
    out = tmp_path / "brief.docx"
    out.write_bytes(docx_bytes(HTML, "#c00000", "fangsong", META, datetime(2026, 11, 21), reference))
    return docx.Document(str(out))


def test_reference_styles_page_and_header_carried_and_its_body_dropped(tmp_path):
    document = written(tmp_path, word_like_reference(tmp_path / "reference.docx"))
    styles = {p.text: p.style for p in document.paragraphs}
    assert set(styles) == {"学习简报", "一、标题", "正文内容。"}
    assert east_asian(styles["正文内容。"]) == "宋体" and styles["正文内容。"].font.size == Pt(16)
    heading = styles["一、标题"]  # matched by its Chinese name, under Word's id
    assert heading.style_id == "1" and east_asian(heading) == "黑体" and heading.font.size == Pt(18)
    masthead = styles["学习简报"]  # the reference lacks it: studybrief's definition
    assert masthead.font.size == Pt(42) and masthead.font.color.rgb == docx.shared.RGBColor(0xC0, 0, 0)
    section = document.sections[0]
    assert round(section.top_margin.mm) == 30 and round(section.left_margin.mm) == 25
    assert section.header.paragraphs[0].text == "某某局文件"
    assert not section.footer.is_linked_to_previous  # no footer of its own: our page numbers
    assert document.tables[0].style.name == "Table Grid"


def test_reference_without_a_table_style_gets_ours(tmp_path):
    document = written(tmp_path, word_like_reference(tmp_path / "reference.docx", table_grid=False))
    grid = document.tables[0].style
    assert grid.name == "Table Grid" and grid.element.find(qn("w:tblPr")).find(qn("w:tblBorders")) is not None


def test_without_reference_the_gbt_9704_page(tmp_path):
    section = written(tmp_path, None).sections[0]
    assert round(section.top_margin.mm) == 37 and round(section.left_margin.mm) == 28


def docm(path: Path) -> None:
    word_like_reference(path)
    with zipfile.ZipFile(path) as package:
        parts = {name: package.read(name) for name in package.namelist()}
    parts["[Content_Types].xml"] = parts["[Content_Types].xml"].replace(
        b"document.main+xml", b"document.macroEnabled.main+xml")
    parts["word/vbaProject.bin"] = b"\xd0\xcf\x11\xe0"
    with zipfile.ZipFile(path, "w") as package:
        for name, data in parts.items():
            package.writestr(name, data)


BAD = {
    "not-docx": (lambda path: path.write_text("纯文本", encoding="utf-8"), "not a Word document (.docx)"),
    "docm": (docm, "holds macros"),
    "broken": (lambda path: zipfile.ZipFile(path, "w").writestr("[Content_Types].xml", "<Types/>"),
               "cannot be read as a Word document"),
}


@pytest.mark.parametrize("case", BAD)
def test_bad_reference_fails_clearly_and_writes_nothing(project, tmp_path, case):
    make, message = BAD[case]
    reference = project / "templates/commerce/reference.docx"
    make(reference)
    result = build(project, tmp_path / "out", "--department", "commerce")
    assert result.returncode == 1
    assert f"{reference}: {message}" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "out").exists() or outputs(tmp_path / "out") == []
