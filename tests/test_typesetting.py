"""Typesetting read back from the briefs: citation order, quotation marks, titles as configured."""

from __future__ import annotations

import io
import itertools
import re
import subprocess

import docx
import pytest
from pypdf import PdfReader

from studybrief.context import session_context
from studybrief.departments import Session
from studybrief.pdf import pdf_bytes
from studybrief.pipeline import load_checked
from studybrief.templating import render
from studybrief.typography import punctuate

from .conftest import ROOT, docx_text, pdf_text, squeeze

BRIEFS = ["commerce/investment-2026", "default/all-lessons", "default/compendium", "hitech-zone/industrial-chains-2026",
          "organization/cadre-competence-2026", "science/innovation-2026"]


@pytest.mark.parametrize("fmt", ["pdf", "docx"])
@pytest.mark.parametrize("brief", BRIEFS)
def test_references_are_numbered_in_order_of_first_citation(built, brief, fmt):
    text = (pdf_text if fmt == "pdf" else docx_text)(built / f"{brief}.{fmt}")
    body = text[:text.rindex("参考文献")]
    first = list(dict.fromkeys(int(n) for n in re.findall(r"\[(\d+)\]", body)))
    assert first == list(range(1, len(first) + 1)) and len(first) >= 2, first


def test_an_article_named_in_the_text_carries_its_reference_number(project, write_lesson):
    text = (ROOT / "tests/fixtures/probe.yaml").read_text(encoding="utf-8")
    write_lesson(text=text.replace("外贸企业为省运费", "《株洲干部需大干一场》写到，外贸企业为省运费"))
    corpus, departments = load_checked(project)
    department = departments["organization"]
    session = Session("probe", "测试", "第1期", "2026-11-21", "全体", [], ["probe"], [], 1)
    html = render(project, department, "session", session_context(department, session, [corpus.lessons["probe"]],
                                                                    corpus))
    assert "《株洲干部需大干一场》<sup>[1]</sup>写到" in html  # named before the lesson's own source: number 1
    assert "[1] 廖喜张，李军. 株洲干部需大干一场[N]" in html


def test_subtitle_follows_a_colon_in_the_reference(built):
    text = pdf_text(built / "default/all-lessons.pdf")
    assert "天元区做实“高新样本”王牌何在？：株洲县区发展大型新闻调查之四[N]" in text


@pytest.mark.parametrize("fmt", ["pdf", "docx"])
def test_quotation_marks_nest_and_balance(built, fmt):
    for brief in ("default/compendium", "default/handouts/kunshan-coffee-chain"):
        text = (pdf_text if fmt == "pdf" else docx_text)(built / f"{brief}.{fmt}")
        assert "““" not in text and "””" not in text
    compendium = (pdf_text if fmt == "pdf" else docx_text)(built / f"default/compendium.{fmt}")
    assert re.search(r"“[^“”]*‘[^‘’]+’[^“”]*”", compendium)  # a passage's own marks, one level down


def test_an_ideographic_space_in_a_configured_title_is_kept(built):
    title = "对标先进园区\u3000做强主导产业链专题学习会"
    reader = PdfReader(built / "hitech-zone/industrial-chains-2026.pdf")
    assert reader.metadata.title == title
    assert title in reader.pages[0].extract_text()
    document = docx.Document(str(built / "hitech-zone/industrial-chains-2026.docx"))
    assert document.core_properties.title == title
    assert title in [p.text for p in document.paragraphs]


MM = 72 / 25.4
TEXT_BOTTOM = 35 * MM  # the 225 mm text block ends 35 mm above the foot of the page
TEXT_BOTTOM_FROM_TOP = (297 - 35) * MM


def runs(page) -> list[tuple[float, float, str, float, str]]:
    """Return each line of text drawn on ``page``: x and y in points from the bottom left, font, size, text."""
    found = []

    def visit(text, cm, tm, font, size):
        if text.strip():
            x, y = tm[4] * cm[0] + tm[5] * cm[2] + cm[4], tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
            found.append((x, y, str(font.get("/BaseFont", "")) if font else "", size * abs(tm[3] * cm[3]), text.strip()))

    page.extract_text(visitor_text=visit)
    return found


def test_body_text_holds_28_characters_from_the_28_mm_margin(built):
    lines = [r for page in PdfReader(built / "default/all-lessons.pdf").pages for r in runs(page)
             if "FandolFang" in r[2] and abs(r[3] - 16) < 0.1]
    assert min(round(x / MM, 1) for x, *_ in lines) == 28.0
    chinese = [text for x, _, _, _, text in lines if abs(x / MM - 28) < 0.1 and min(map(ord, text)) > 0x2000]
    full = [len(text) for text in chinese if len(text) >= 20]
    assert max(full) == 28 and max(set(full), key=full.count) == 28


def ink(path, page: int, box: tuple[float, float, float, float]) -> list[tuple[float, float]]:
    """Return the dark pixels of ``page`` inside ``box`` (mm from the top left), as mm positions."""
    from PIL import Image  # WeasyPrint's own dependency

    out = subprocess.run(["pdftoppm", "-png", "-r", "300", "-f", str(page), "-l", str(page), str(path)],
                         capture_output=True, check=True).stdout
    image = Image.open(io.BytesIO(out)).convert("L")
    scale = 300 / 25.4
    left, top, right, bottom = (round(v * scale) for v in box)
    pixels = image.crop((left, top, right, bottom)).load()
    return [(left / scale + x / scale, top / scale + y / scale)
            for x in range(right - left) for y in range(bottom - top) if pixels[x, y] < 128]


@pytest.mark.parametrize("page, side", [(7, "right"), (8, "left")])
def test_page_number_dashes_stand_7_mm_below_the_text_one_character_in(built, page, side):
    dots = ink(built / "default/all-lessons.pdf", page, (0, 297 - 35 + 1, 210, 297))
    x_edge = min(x for x, _ in dots) if side == "left" else max(x for x, _ in dots)
    dash_x = x_edge + (1 if side == "left" else -1)  # a column through the outer dash only
    dash = [y for x, y in dots if abs(x - dash_x) < 0.1]
    assert abs(min(dash) - (297 - 35) - 7) < 0.3, min(dash) - (297 - 35)
    assert abs(x_edge - (28 + 4.94 if side == "left" else 28 + 156 - 4.94)) < 0.8, x_edge


@pytest.mark.parametrize("brief", [b for b in BRIEFS if "compendium" not in b])
def test_a_long_title_breaks_into_balanced_lines(built, brief):
    lines = [r[4] for r in runs(PdfReader(built / f"{brief}.pdf").pages[0]) if abs(r[3] - 22) < 0.1]
    assert lines and min(map(len, lines)) * 2 >= max(map(len, lines)), lines


@pytest.mark.parametrize("brief", ["default/all-lessons", "default/compendium", "commerce/investment-2026"])
def test_table_rows_never_split_and_short_tables_stay_whole(built, corpus, brief):
    pages = [squeeze(page.extract_text()) for page in PdfReader(built / f"{brief}.pdf").pages]
    for lesson in corpus[0].lessons.values():
        if squeeze(punctuate(lesson.title)) not in "".join(pages):
            continue  # not in this brief
        rows = [(squeeze(r.figure)[:6], squeeze(r.meaning)[:8]) for r in lesson.results]
        groups = [rows] if len(rows) <= 4 else [[row] for row in rows]
        for group in groups:
            assert any(all(f in page and m in page for f, m in group) for page in pages), (lesson.id, group)


def test_bold_fangsong_is_stroked_without_a_second_font(built):
    reader = PdfReader(built / "default/all-lessons.pdf")
    fonts = {str(f.get_object()["/BaseFont"]).split("+")[-1] for page in reader.pages
             for f in page["/Resources"]["/Font"].values()}
    regular = ("FandolFang", "FandolFang-studybrief")  # the face and its shrunk copy, the only FangSong fonts
    assert "FandolFang-studybrief" in fonts and not [f for f in fonts if f.startswith("FandolFang")
                                                     and f not in regular], fonts
    stroked = [text for text, _ in bold_runs(reader.pages[3:12])]
    assert "1．背景" in stroked and "2．主要做法" in stroked


def bold_runs(pages) -> list[tuple[str, str]]:
    """Return each run drawn fill+stroke (bold FangSong) on ``pages``, with its font's name."""
    runs, mode = [], [0]

    def operator(op, args, cm, tm):
        if op == b"Tr":
            mode[0] = int(args[0])

    def text(value, cm, tm, font, size):
        if mode[0] == 2 and value.strip():
            runs.append((value.strip(), str(font["/BaseFont"]) if font else ""))

    for page in pages:
        page.extract_text(visitor_operand_before=operator, visitor_text=text)
    return runs


def test_a_handouts_parts_are_bold_fangsong_as_the_briefs_are(built):
    """A handout's parts (1．背景, 研讨题) are its second level, but GB/T 9704 sets 1. in FangSong, not Kai."""
    handout = built / "default/handouts/open-the-mind-valve"
    parts = {"1．背景", "2．主要做法", "研讨题", "原文摘录"}
    bold = [(text, font) for text, font in bold_runs(PdfReader(f"{handout}.pdf").pages) if text in parts]
    assert {text for text, _ in bold} == parts and all("FandolFang" in font for _, font in bold), bold
    document = docx.Document(f"{handout}.docx")
    headings = [p for p in document.paragraphs if p.text in parts]
    assert {p.text for p in headings} == parts and {p.style.name for p in headings} == {"Heading 2"}
    style = document.styles["Heading 2"]
    assert style.font.bold and style.element.rPr.rFonts.get(docx.oxml.ns.qn("w:eastAsia")) == "仿宋_GB2312"


def test_short_back_matter_shares_a_page_and_no_page_holds_a_lone_source_line(built):
    reader = PdfReader(built / "default/all-lessons.pdf")  # two glossary terms
    pages = [squeeze(page.extract_text()) for page in reader.pages]
    glossary = max(i for i, text in enumerate(pages) if "名词解释" in text)
    assert "参考文献[1]" in pages[glossary]
    for brief in BRIEFS:
        for page in PdfReader(built / f"{brief}.pdf").pages:
            assert not squeeze(page.extract_text()).startswith("来源："), brief


@pytest.mark.parametrize("brief", BRIEFS)
def test_every_brief_ends_with_its_distribution_block(built, brief):
    assert "共印" in PdfReader(built / f"{brief}.pdf").pages[-1].extract_text()  # even when the last page is full


def test_distribution_block_is_compact_at_the_foot(built):
    lines = runs(PdfReader(built / "organization/cadre-competence-2026.pdf").pages[-1])
    block = [r for r in lines if r[4].startswith(("发：", "联系电话"))]
    assert [r[4] for r in block][0].endswith("市委党校")  # one full-width line, not broken before 校
    assert abs(block[0][1] - block[1][1] - 21) < 0.5  # consecutive lines, 1.5 x 四号
    assert TEXT_BOTTOM < block[1][1] < TEXT_BOTTOM + 10 * MM


def test_hitech_masthead_puts_the_issue_under_the_name_and_body_and_date_on_one_line(built):
    lines = runs(PdfReader(built / "hitech-zone/industrial-chains-2026.pdf").pages[0])
    y = {text: (x, y) for x, y, _, _, text in lines}
    assert y["园区学习参考"][1] > y["第7期"][1] > y["株洲高新区（天元区）党工委办公室"][1]
    assert y["株洲高新区（天元区）党工委办公室"][1] == y["2026年11月28日"][1]
    assert abs(y["株洲高新区（天元区）党工委办公室"][0] / MM - 28) < 0.5


def test_pdf_is_tagged_with_headings_tables_and_paragraphs(built):
    root = PdfReader(built / "default/all-lessons.pdf").trailer["/Root"]
    kinds = set()

    def walk(node, depth=0):
        node = node.get_object()
        if isinstance(node, dict):
            if "/S" in node:
                kinds.add(str(node["/S"]))
            kids = node.get("/K", [])
            for kid in kids if isinstance(kids, list) else [kids]:
                if depth < 40:
                    walk(kid, depth + 1)

    walk(root["/StructTreeRoot"])
    assert {"/H1", "/H2", "/H3", "/P", "/Table", "/TR", "/TD"} <= kinds, kinds


def text_lines(path) -> list[list[tuple[float, float, float, float, str]]]:
    """Return each page's lines as poppler finds them: left, top, right, bottom (points from the top left), text."""
    xml = subprocess.run(["pdftotext", "-bbox-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout
    line = re.compile(r'<line xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</line>', re.S)
    return [[(*map(float, m.groups()[:4]), "".join(re.findall(r">([^<]*)</word>", m.group(5)))) for m in line.finditer(page)]
            for page in xml.split("<page ")[1:]]


PARAGRAPH_END = re.compile(r"[。！？；…][”’]*(\[[\d,–]+\])?$")  # a line ending so may end its paragraph short


@pytest.mark.parametrize("brief", BRIEFS)
def test_full_lines_end_flush_with_the_right_edge(built, brief):
    """Every justified body line that its paragraph continues ends at the text block's edge, digits and Latin or not."""
    pages = text_lines(built / f"{brief}.pdf")
    lefts = [round(line[0], 1) for page in pages for line in page]
    left = min(x for x in lefts if lefts.count(x) * 10 > len(lefts))  # continuation lines start at the margin
    full = [a for page in pages for a, b in itertools.pairwise(page)  # a body line followed, 28.5 pt on, by one at the margin
            if abs(b[0] - left) < 0.3 and abs(b[3] - a[3] - 28.5) < 0.3 and not PARAGRAPH_END.search(a[4])
            and min(abs(a[0] - left), abs(a[0] - left - 2 * 16 + 0.44)) < 0.3]
    edge = sorted(line[2] for line in full)[len(full) // 2]
    off = [(round(line[2] - edge, 1), line[4]) for line in full if abs(line[2] - edge) > 0.7]
    assert len(full) > 15 and not off, (len(off), len(full), off[:5])
    if brief.startswith("default/"):
        assert abs(edge - (28 + 156) * MM) < 0.3, edge / MM


HEADING = re.compile(r"^(\d+．|研讨题|原文摘录|名词解释|参考文献|[一二三四五六七八九十]+、|（[一二三四五六七八九十]+）)")


def test_a_full_page_of_body_text_holds_22_lines(project, write_lesson, tmp_path):
    """GB/T 9704's 22 lines: a paragraph is split where the page is full, even if one line stands alone."""
    sentence = "把监管流程中企业最痛的环节改顺，同样能为企业省下真金白银，改革思路来自多次实地调研，先摸清企业卡在哪里" * 2
    actions = "".join(f"  - {sentence[:55 + (i * 5) % 26]}。\n" for i in range(40))  # three lines each
    text = (ROOT / "tests/fixtures/probe.yaml").read_text(encoding="utf-8")
    start, end = text.index("actions:"), text.index("takeaways:")
    write_lesson(text=text[:start] + "actions:\n" + actions + text[end:])
    corpus, departments = load_checked(project)
    department = departments["default"]
    session = Session("probe", "测试", "第1期", "2026-11-21", "全体", [], ["probe"], [], 1)
    html = render(project, department, "session", session_context(department, session, [corpus.lessons["probe"]], corpus))
    (tmp_path / "probe.pdf").write_bytes(pdf_bytes(html, project / "templates" / "default")[0])
    pages = [[line for line in page if line[3] < TEXT_BOTTOM_FROM_TOP] for page in text_lines(tmp_path / "probe.pdf")]
    full = [len(page) for page, after in itertools.pairwise(pages)  # pages of body lines only, the next going on
            if len(page) > 10 and all(abs(b[3] - a[3] - 28.5) < 0.3 for a, b in itertools.pairwise(page))
            and after and not HEADING.match(after[0][4])]
    assert len(full) >= 3 and set(full) == {22}, (full, [len(p) for p in pages])


@pytest.mark.parametrize("brief", BRIEFS)
def test_a_paragraph_goes_on_to_the_next_page_only_from_a_full_one(built, brief):
    pages = [[line for line in page if not re.fullmatch(r"—\s*\d+\s*—", line[4])] for page in text_lines(built / f"{brief}.pdf")]
    lefts = [round(line[0], 1) for page in pages for line in page]
    left = min(x for x in lefts if lefts.count(x) * 10 > len(lefts))
    bottom = max(line[3] for page in pages for line in page)
    room = [(n, page[-1][4]) for n, (page, after) in enumerate(itertools.pairwise(pages), 1)
            if page and after and abs(after[0][0] - left) < 0.3 and page[-1][3] < bottom - 28.5
            and not any("··" in line[4] for line in page)]  # the contents keeps its entries whole
    assert not room, room


@pytest.mark.parametrize("department, size", [("organization", 5), ("organization", 6), ("default", 6), ("default", 7)])
def test_a_contents_a_few_lines_too_long_is_closed_up_onto_its_page(corpus, tmp_path, department, size):
    """Sessions whose contents overran page 1 by one to three lines, leaving a page with those alone."""
    lessons = [corpus[0].lessons[i] for i in sorted(corpus[0].lessons)[:size]]
    session = Session("probe", "测试", "第1期", "2026-11-21", "全体", [], [lesson.id for lesson in lessons], [], 1)
    html = render(ROOT, corpus[1][department], "session", session_context(corpus[1][department], session, lessons, corpus[0]))
    (tmp_path / "probe.pdf").write_bytes(pdf_bytes(html, ROOT / "templates" / department)[0])
    pages = text_lines(tmp_path / "probe.pdf")
    entries = [line for line in pages[0] if re.search(r"·\d+$", line[4])]
    assert len(entries) >= size + 2 and not any("··" in line[4] for line in pages[1]), [len(p) for p in pages[:3]]
    assert min(b[3] - a[3] for a, b in itertools.pairwise(entries)) >= 22  # closed up, still 16 pt with air between


def structure_of(reader: PdfReader, page_number: int, text: str) -> list[str]:
    """Return the structure types from the element holding ``text`` on a page up to the document, innermost first."""
    page, stack, texts = reader.pages[page_number], [], {}

    def operator(op, args, cm, tm):
        if op in (b"BDC", b"BMC"):
            stack.append(args[1].get("/MCID") if op == b"BDC" and hasattr(args[1], "get") else None)
        elif op == b"EMC" and stack:
            stack.pop()

    def visit(value, cm, tm, font, size):
        mcid = next((m for m in reversed(stack) if m is not None), None)
        texts[mcid] = texts.get(mcid, "") + value

    page.extract_text(visitor_operand_before=operator, visitor_text=visit)
    mcid = next(m for m, value in texts.items() if text in value)
    found = []

    def walk(node):
        node = node.get_object()
        kids = node.get("/K", [])
        for kid in kids if isinstance(kids, list) else [kids]:
            value = kid.get_object()
            if value == mcid or (hasattr(value, "get") and value.get("/MCID") == mcid and "/S" not in value):
                if node.get("/Pg") == page.indirect_reference:
                    found.append(node)
            elif hasattr(value, "get") and "/S" in value:
                walk(value)

    walk(reader.trailer["/Root"]["/StructTreeRoot"]["/K"][0])
    types, node = [], found[0]
    while "/S" in node:
        types.append(str(node["/S"]))
        node = node["/P"].get_object()
    return types


@pytest.mark.parametrize("brief", ["organization/cadre-competence-2026", "default/all-lessons"])
def test_the_distribution_block_is_a_tagged_section_of_paragraphs(built, brief):
    reader = PdfReader(built / f"{brief}.pdf")
    for text in ("共印", "发："):
        types = structure_of(reader, len(reader.pages) - 1, text)
        assert "/P" in types and types[types.index("/P") + 1] == "/Sect", types  # a section of the document, not NonStruct
