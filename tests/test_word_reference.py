"""A department's reference.docx: its styles, page and headers carried into its Word briefs."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from datetime import datetime
from pathlib import Path

import docx
import docx.enum.style
import pytest
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from studybrief.word import docx_bytes
from studybrief.word_reference import pdf_style

from .conftest import ROOT
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
    "link-out": (lambda path: path.unlink() or path.symlink_to(ROOT / "templates/commerce/reference.docx"),
                 "is a link leading outside the department folder"),
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


def test_reference_header_shown_on_even_pages_too(tmp_path):
    section = written(tmp_path, word_like_reference(tmp_path / "reference.docx")).sections[0]
    assert section.even_page_header.paragraphs[0].text == "某某局文件"
    assert not section.even_page_footer.is_linked_to_previous


def test_pdf_style_reads_page_fonts_sizes_and_accent(tmp_path):
    reference = word_like_reference(tmp_path / "reference.docx")
    document = docx.Document(str(reference))
    masthead = document.styles.add_style("报头", docx.enum.style.WD_STYLE_TYPE.PARAGRAPH)
    masthead.font.size, masthead.font.color.rgb = Pt(28), docx.shared.RGBColor(0xA3, 0x15, 0x15)
    document.styles["Heading 2"].element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), "华文彩云")
    document.save(str(reference))
    css, notes = pdf_style(reference)
    assert "margin: 30.0mm" in css and "25.0mm;" in css
    assert "body.body-song, body.body-fangsong { font-family: Noto Serif CJK SC; }" in css
    assert "html { font-size: 16.0pt; }" in css
    assert "h1 { font-family: Noto Sans CJK SC; font-size: 18.0pt;" in css
    assert ".masthead-name { font-size: 28.0pt; color: #A31515; }" in css
    assert "hr.rule-red { border-top-color: #A31515; }" in css
    assert not set(css) & set("\"'<>&")  # printed as it is by the template
    assert any("华文彩云" in note and "Heading 2" in note for note in notes)
    assert any("headers and footers" in note for note in notes)


SVG = '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="10" height="10">{}</svg>'


def png(path: Path, size: tuple[int, int] = (40, 40)) -> None:
    from PIL import Image

    Image.new("RGB", size, "red").save(path)


def truncated_png(path: Path) -> None:
    png(path)
    path.write_bytes(path.read_bytes()[:60])


BAD_IMAGES = {
    "svg-script": ("emblem.svg", lambda p: p.write_text(SVG.format("<script>alert(1)</script>")), "SVG holds a script"),
    "svg-onload": ("emblem.svg", lambda p: p.write_text(SVG.format('<rect width="5" height="5" onload="x()"/>')),
                   "SVG holds a script"),
    "svg-external": ("emblem.svg", lambda p: p.write_text(SVG.format('<image xlink:href="http://example.org/a.png"/>')),
                     "SVG refers to something outside itself ('http://example.org/a.png')"),
    "svg-css-url": ("emblem.svg", lambda p: p.write_text(SVG.format('<rect style="fill: url(file:///etc/x)"/>')),
                    "SVG refers to something outside itself"),
    "svg-entity": ("emblem.svg", lambda p: p.write_text('<!DOCTYPE svg [<!ENTITY a "aaaa">]>' + SVG.format("&a;")),
                   "not a readable SVG image"),
    "huge-pixels": ("emblem.png", lambda p: png(p, (4100, 8)), "image is 4100×8 pixels; at most 4000 on each side"),
    "huge-file": ("emblem.png", lambda p: p.write_bytes(b"\x89PNG" + bytes(2 * 1024 * 1024)), "image is 2048 KiB"),
    "broken": ("emblem.png", truncated_png, "not a readable PNG, JPEG or SVG image"),
    "gif": ("emblem.gif", lambda p: __import__("PIL.Image").Image.new("P", (4, 4)).save(p, "GIF"), "image is GIF"),
}


@pytest.mark.parametrize("case", BAD_IMAGES)
def test_bad_emblem_fails_naming_the_file_and_writes_nothing(project, tmp_path, case):
    name, make, message = BAD_IMAGES[case]
    folder = project / "templates/commerce"
    make(folder / name)
    config = folder / "department.yaml"
    config.write_text(config.read_text(encoding="utf-8").replace("emblem: emblem.svg", f"emblem: {name}"),
                      encoding="utf-8")
    result = build(project, tmp_path / "out", "--department", "commerce")
    assert result.returncode == 1
    assert f"{folder / name}: {message}" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "out").exists() or outputs(tmp_path / "out") == []


@pytest.mark.parametrize("name", ["../default/department.yaml", "/etc/hostname", "missing.png"])
def test_emblem_outside_the_folder_or_missing_is_named_with_its_line(project, tmp_path, name):
    config = project / "templates/commerce/department.yaml"
    text = config.read_text(encoding="utf-8").replace("emblem: emblem.svg", f"emblem: {name}")
    config.write_text(text, encoding="utf-8")
    line = next(n for n, row in enumerate(text.splitlines(), 1) if row.startswith("emblem:"))
    result = build(project, tmp_path / "out", "--department", "commerce")
    assert result.returncode == 1
    assert f"{config}:{line}: image '{name}'" in result.stderr
    assert not (tmp_path / "out").exists() or outputs(tmp_path / "out") == []


def test_shipped_example_reference_and_emblem_show_in_word(built):
    document = docx.Document(str(built / "commerce/investment-2026.docx"))
    styles = document.styles
    assert east_asian(styles["Normal"]) == "宋体" and styles["Normal"].font.size == Pt(16)
    assert all(east_asian(styles[f"Heading {n}"]) == "黑体" for n in (1, 2, 3))
    masthead = next(p for p in document.paragraphs if p.text.strip() == "招商引资工作简报")
    assert masthead.style.font.size == Pt(28)  # the reference's one-line masthead, not studybrief's 42 pt
    pictures = masthead._p.findall(".//" + qn("wp:inline"))
    assert len(pictures) == 1 and round(document.inline_shapes[0].height.mm) == 12
    section = document.sections[0]
    margins = (section.top_margin, section.bottom_margin, section.left_margin, section.right_margin)
    assert [round(m.mm) for m in margins] == [30, 28, 32, 24]
    assert section.header.paragraphs[0].text == "株洲市商务局　内部学习材料"


def first_page_text(path: Path) -> list[tuple[str, float, float]]:
    """Return each piece of text on the first page with its font size (pt) and left edge (mm)."""
    from pypdf import PdfReader

    found = []
    PdfReader(path).pages[0].extract_text(visitor_text=lambda text, cm, tm, font, size: found.append(
        (text.replace(" ", ""), size * tm[0] * cm[0], (tm[4] * cm[0] + cm[4]) / 72 * 25.4)))
    return found


def test_shipped_example_reference_and_emblem_show_in_pdf(built, tmp_path):
    from PIL import Image

    commerce = first_page_text(built / "commerce/investment-2026.pdf")
    plain = first_page_text(built / "organization/cadre-competence-2026.pdf")  # GB/T 9704: 28 mm left margin
    assert round(next(size for text, size, _x in commerce if "招商引资工作简报" in text)) == 28  # the reference's 报头
    assert round(next(size for text, size, _x in plain if "干部教育培训简报" in text)) == 42
    left = next(x for text, _size, x in commerce if text.startswith("株洲市商务局"))
    assert round(left - next(x for text, _size, x in plain if text.startswith("中共株洲市委组织部"))) == 32 - 28
    subprocess.run(["pdftoppm", "-png", "-r", "100", "-f", "1", "-l", "1", str(built / "commerce/investment-2026.pdf"),
                    str(tmp_path / "page")], check=True)
    image = Image.open(next(tmp_path.glob("page*.png"))).convert("RGB")
    gold = sum(n for n, (r, g, b) in image.getcolors(1 << 20) if r > 230 and 190 < g < 230 and b < 60)
    assert gold > 5  # the emblem's gold arrow


def test_new_department_writes_a_starter_reference_holding_our_styles(project):
    run = [sys.executable, str(ROOT / "build.py"), "--root", str(project)]
    result = subprocess.run([*run, "new-department", "audit-office", "--word-reference"], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    reference = project / "templates/audit-office/reference.docx"
    document = docx.Document(str(reference))
    assert {"报头", "Heading 1", "Heading 3", "Quote", "来源", "参考文献", "Table Grid"} <= {s.name for s in document.styles}
    assert east_asian(document.styles["Heading 1"]) == "黑体"
    assert "一、一级标题（样式：标题 1）" in [p.text for p in document.paragraphs]  # each style shown, to restyle
    check = subprocess.run([*run, "check"], capture_output=True, text=True)
    assert check.returncode == 0, check.stderr
    assert f"note: {reference}: paragraph spacing" in check.stdout
