"""The Word briefs read back as XML and laid out by LibreOffice with studybrief's font mapping."""

from __future__ import annotations

import collections
import itertools
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn
from pypdf import PdfReader

from studybrief.office import fontconfig_environment, to_pdf

from .test_typesetting import ink

needs_libreoffice = pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is installed by setup.sh")
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def handouts(built: Path) -> list[Path]:
    return sorted((built / "default/handouts").glob("*.docx"))


@pytest.fixture(scope="session")
def laid_out(built, tmp_path_factory) -> Path:
    """Return the folder of every handout, the all-lessons brief (its references fill their page) and one brief
    whose references leave room on their page, converted to PDF by LibreOffice."""
    out = tmp_path_factory.mktemp("libreoffice")
    to_pdf([*handouts(built), built / "default/all-lessons.docx", built / "organization/cadre-competence-2026.docx"], out)
    return out


def pages(path: Path) -> int:
    return len(PdfReader(path).pages)


@needs_libreoffice
def test_every_handout_fits_in_word_where_its_pdf_fits(built, laid_out):
    sizes = {path.stem: (pages(laid_out / f"{path.stem}.pdf"), pages(path.with_suffix(".pdf"))) for path in handouts(built)}
    assert len(sizes) > 20
    assert {name: (word, pdf) for name, (word, pdf) in sizes.items() if word > pdf} == {}


def test_a_handout_has_the_handout_page_and_its_lesson_title_as_title(built):
    document = docx.Document(str(built / "default/handouts/kunshan-coffee-chain.docx"))
    section = document.sections[0]
    margins = (section.top_margin, section.right_margin, section.bottom_margin, section.left_margin)
    assert [round(m.mm) for m in margins] == [20, 20, 20, 25]  # brief.css: @page handout
    titled = [p for p in document.paragraphs if p.style.name == "Title"]
    assert [p.text for p in titled] == ["不产咖啡的昆山，怎样打造咖啡产业链？"]
    assert not [p for p in document.paragraphs if p.style.name == "Heading 1" and "咖啡" in p.text]
    assert document.styles["Normal"].font.size.pt == 12


@pytest.mark.parametrize("brief, lines, chars", [("default/all-lessons", 22, 28),
                                                  ("default/handouts/kunshan-coffee-chain", 39, 39)])
def test_the_type_area_is_a_grid_of_lines_and_characters_whose_cells_hold_the_body(built, brief, lines, chars):
    document = docx.Document(str(built / f"{brief}.docx"))
    section = document.sections[0]
    grid = section._sectPr.find(qn("w:docGrid"))
    height = (section.page_height - section.top_margin - section.bottom_margin) / 635  # EMU to twips
    width = (section.page_width - section.left_margin - section.right_margin) / 635
    normal = document.styles["Normal"].element.rPr
    size = int(normal.find(qn("w:sz")).get(qn("w:val"))) * 10  # half-points to twips
    cell = size + int(grid.get(qn("w:charSpace"))) * 20 / 4096  # what Word's page set-up counts with
    assert grid.get(qn("w:type")) == "linesAndChars"
    assert int(height // int(grid.get(qn("w:linePitch")))) == lines
    assert int(width // cell) == chars
    # LibreOffice gives a character wider than its cell two cells: the body is drawn narrow enough for one
    assert size * int(normal.find(qn("w:w")).get(qn("w:val"))) / 100 <= cell


@needs_libreoffice
def test_full_body_lines_hold_28_characters_in_libreoffice(laid_out):
    text = subprocess.run(["pdftotext", "-layout", "-f", "5", "-l", "12", str(laid_out / "all-lessons.pdf"), "-"],
                          capture_output=True, text=True, check=True).stdout
    lines = [line for line in text.splitlines() if line[:1].strip()]  # from the margin: no first-line indent
    chinese = [re.sub(r"\s", "", line) for line in lines if re.fullmatch(r"[\u3000-\u9fff\uff00-\uffef\s]+", line)]
    lengths = [len(line) for line in chinese if len(line) >= 20]
    assert max(set(lengths), key=lengths.count) == 28, lengths


@needs_libreoffice
def test_libreoffice_sets_body_lines_on_the_grid_22_to_a_page(laid_out):
    rows = body_rows(laid_out / "all-lessons.pdf")
    pitches = [round(b - a, 2) for page in rows for a, b in itertools.pairwise(page) if b - a < 40]
    assert max(set(pitches), key=pitches.count) == pytest.approx(579 / 20, abs=0.1)  # the grid's line pitch
    assert max(map(len, rows)) == 22


def body_rows(pdf: Path) -> list[list[float]]:
    """Return, page by page, the baselines of 三号 lines (16 pt type, 20.8 pt boxes) in the type area."""
    html = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    pages = []
    for page in re.findall(r"<page .*?</page>", html, re.S):
        boxes = [tuple(map(float, box)) for box in re.findall(r'yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)"', page)]
        baselines = sorted({round(bottom, 2) for top, bottom in boxes if abs(bottom - top - 20.8) < 0.6
                            and 37 * 72 / 25.4 - 2 < bottom < (297 - 35) * 72 / 25.4 + 2})
        pages.append([y for i, y in enumerate(baselines) if not i or y - baselines[i - 1] > 3])
    return pages


@needs_libreoffice
@pytest.mark.parametrize("name, page, side, bottom, left, right", [
    ("all-lessons", 7, "right", 35, 28, 26), ("all-lessons", 8, "left", 35, 28, 26),
    ("kunshan-coffee-chain", 1, "right", 20, 25, 20), ("kunshan-coffee-chain", 2, "left", 20, 25, 20)])
def test_page_number_dashes_stand_7_mm_below_the_type_area_one_character_in(laid_out, name, page, side, bottom, left,
                                                                           right):
    dots = ink(laid_out / f"{name}.pdf", page, (0, 297 - bottom + 1, 210, 297))
    x_edge = min(x for x, _ in dots) if side == "left" else max(x for x, _ in dots)
    dash_x = x_edge + (1 if side == "left" else -1)
    dash = [y for x, y in dots if abs(x - dash_x) < 0.1]
    assert abs(min(dash) - (297 - bottom) - 7) < 0.4, min(dash) - (297 - bottom)
    assert abs(x_edge - (left + 4.94 if side == "left" else 210 - right - 4.94)) < 0.8, x_edge


def test_the_package_describes_this_brief_in_the_current_word_mode(built):
    for brief in ("default/all-lessons", "commerce/investment-2026", "default/handouts/kunshan-coffee-chain"):
        with zipfile.ZipFile(built / f"{brief}.docx") as package:
            names = package.namelist()
            settings, core = package.read("word/settings.xml").decode(), package.read("docProps/core.xml").decode()
            app, rels = package.read("docProps/app.xml").decode(), package.read("word/_rels/document.xml.rels").decode()
        assert 'w:name="compatibilityMode" w:uri="http://schemas.microsoft.com/office/word" w:val="15"' in settings, brief
        assert "updateFields" not in settings, brief
        assert "python-docx" not in core and "python-docx" not in app, brief
        assert "<Application>studybrief" in app and "Microsoft Macintosh Word" not in app and "<Pages>" not in app
        assert not [n for n in names if "thumbnail" in n or "stylesWithEffects" in n], brief
        assert "stylesWithEffects" not in rels, brief
    properties = docx.Document(str(built / "default/all-lessons.docx")).core_properties
    assert properties.author == "中共株洲市委组织部" and properties.created.year == 2026


def test_the_contents_field_holds_its_entries_linked_to_their_headings(built):
    body = docx.Document(str(built / "default/all-lessons.docx")).element.body
    paragraphs = body.findall(f"{W}p")
    begin = next(i for i, p in enumerate(paragraphs) if "TOC \\o" in "".join(p.itertext()))
    end = next(i for i, p in enumerate(paragraphs[begin:], begin)
               if p.find(f".//{W}fldChar[@{W}fldCharType='end']") is not None)
    entries = paragraphs[begin:end + 1]
    links = [link for p in entries for link in p.findall(f"{W}hyperlink")]
    assert len(links) == len(entries) > 20
    names = {b.get(f"{W}name") for b in body.iter(f"{W}bookmarkStart")}
    assert {link.get(f"{W}anchor") for link in links} <= names
    assert "义乌如何为企业降成本？" in "".join("".join(link.itertext()) for link in links)


def test_a_results_table_keeps_its_header_with_the_next_row_and_never_splits_a_row(built):
    document = docx.Document(str(built / "default/all-lessons.docx"))
    tables = document.tables
    assert len(tables) > 10
    for table in tables:
        rows = table._tbl.tr_lst
        assert all(row.trPr is not None and row.trPr.find(qn("w:cantSplit")) is not None for row in rows)
        assert rows[0].trPr.find(qn("w:tblHeader")) is not None
        assert all(p.paragraph_format.keep_with_next for cell in table.rows[0].cells for p in cell.paragraphs)
        if len(rows) <= 5:  # a short table stays whole
            assert all(p.paragraph_format.keep_with_next for row in table.rows[:-1] for cell in row.cells
                       for p in cell.paragraphs)


@needs_libreoffice
def test_libreoffice_draws_word_chinese_font_names_with_the_mapped_faces(laid_out, tmp_path):
    fonts = subprocess.run(["pdffonts", str(laid_out / "all-lessons.pdf")], capture_output=True, text=True).stdout
    assert "FandolFang" in fonts and "FandolKai" in fonts
    environment = fontconfig_environment(tmp_path)
    for name, face in (("仿宋_GB2312", "FandolFang"), ("楷体_GB2312", "FandolKai"), ("黑体", "Noto Sans CJK SC"),
                       ("宋体", "Noto Serif CJK SC"), ("方正小标宋简体", "Noto Serif CJK SC")):
        found = subprocess.run(["fc-match", "-f", "%{family}", f"{name}:lang=ja"], env=environment,
                               capture_output=True, text=True).stdout
        assert face in found.split(","), (name, found)


def test_each_note_line_of_a_handout_is_ruled(built):
    document = docx.Document(str(built / "default/handouts/kunshan-coffee-chain.docx"))
    lines = [p for p in document.paragraphs if p.style.name == "笔记线"]
    borders = document.styles["笔记线"].element.pPr.find(qn("w:pBdr"))
    assert len(lines) == 4  # consecutive: without a "between" rule Word and LibreOffice rule only the last
    assert borders.find(qn("w:between")) is not None and borders.find(qn("w:bottom")) is not None


@pytest.mark.parametrize("brief", ["commerce/investment-2026", "default/all-lessons", "hitech-zone/industrial-chains-2026",
                                   "default/handouts/kunshan-coffee-chain"])
def test_a_title_breaks_into_balanced_lines_that_fit_the_word_page(built, brief):
    document = docx.Document(str(built / f"{brief}.docx"))
    title = next(p for p in document.paragraphs if p.style.name == "Title")
    lines = re.split(r"\n", "".join("\n" if node.tag == f"{W}br" else node.text or "" for node in title._p.iter(f"{W}t", f"{W}br")))
    section = document.sections[0]
    width = (section.page_width - section.left_margin - section.right_margin) / 12700
    size = document.styles["Title"].font.size.pt
    assert all(len(line) * size <= width for line in lines), lines
    assert min(map(len, lines)) * 2 >= max(map(len, lines)), lines


def test_the_distribution_block_is_a_text_box_at_the_foot_of_the_type_area(built):
    for brief in ("default/all-lessons", "commerce/investment-2026"):
        body = docx.Document(str(built / f"{brief}.docx")).element.body
        anchor = body.findall(f"{W}p")[-1].find(".//{*}anchor")
        box = anchor.find(".//{*}txbxContent")
        assert anchor.find("{*}positionV").get("relativeFrom") == "margin", brief
        assert anchor.find("{*}positionV/{*}align").text == "bottom", brief
        assert anchor.find("{*}wrapTopAndBottom") is not None, brief
        assert "共印" in "".join(box.itertext()), brief
        assert not [p for p in body.findall(f"{W}p") if "共印" in "".join(p.itertext()) and p.find(".//{*}anchor") is None]


def rules(pdf: Path, page: int) -> list[float]:
    """Return the heights (mm from the top) of the horizontal rules longer than 120 mm drawn on ``page``."""
    rows = collections.Counter(round(y, 1) for _, y in ink(pdf, page, (0, 0, 210, 297)))
    ys = sorted(y for y, count in rows.items() if count > 120 * 300 / 25.4)
    return [y for i, y in enumerate(ys) if not i or y - ys[i - 1] > 0.5]


@needs_libreoffice
@pytest.mark.parametrize("name", ["all-lessons", "cadre-competence-2026"])
def test_libreoffice_sets_the_distribution_block_at_the_foot_of_the_last_page(laid_out, name):
    pdf = laid_out / f"{name}.pdf"
    last = pages(pdf)
    top, bottom = rules(pdf, last)[-2:]
    assert -0.5 < 297 - 35 - bottom < 3, bottom  # the lower rule within 3 mm of the type area's foot
    html = subprocess.run(["pdftotext", "-bbox", "-f", str(last), "-l", str(last), str(pdf), "-"],
                          capture_output=True, text=True, check=True).stdout
    words = [(float(x1) * 25.4 / 72, float(y0) * 25.4 / 72, float(y1) * 25.4 / 72, text) for y0, x1, y1, text
             in re.findall(r'yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)<', html)]
    between = "".join(text for _, y0, y1, text in words if top < y0 and y1 < bottom)
    assert "共印" in between and between.startswith("发："), between
    assert all(y1 < top or y0 > top for _, y0, y1, _ in words)  # nothing crosses the rule: no overlap
    copies = next(x1 for x1, y0, _, text in words if text.endswith("份") and top < y0)
    assert abs(copies - (210 - 26)) < 1, copies  # the copies flush right
