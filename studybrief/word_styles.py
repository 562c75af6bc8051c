"""The Word styles of a brief: GB/T 9704 type, East Asian font names, no theme fonts, no italics."""

from __future__ import annotations

from dataclasses import dataclass, replace

from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT, WD_TAB_LEADER
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

TEXT_WIDTH = Mm(156)
LATIN = "Times New Roman"
# East Asian font names as Chinese Word installs have them, and what Word should try instead.
EAST_ASIAN = {
    "fangsong": ("仿宋_GB2312", "仿宋"),
    "song": ("宋体", "SimSun"),
    "hei": ("黑体", "SimHei"),
    "kai": ("楷体_GB2312", "楷体"),
    "title": ("方正小标宋简体", "宋体"),
}
_AFTER_BORDERS = ("w:shd", "w:tabs", "w:suppressAutoHyphens", "w:kinsoku", "w:wordWrap", "w:overflowPunct",
                  "w:topLinePunct", "w:autoSpaceDE", "w:autoSpaceDN", "w:bidi", "w:adjustRightInd", "w:snapToGrid",
                  "w:spacing", "w:ind", "w:contextualSpacing", "w:mirrorIndents", "w:suppressOverlap", "w:jc")
_AFTER_SNAP = ("w:spacing", "w:ind", "w:contextualSpacing", "w:mirrorIndents", "w:suppressOverlap", "w:jc",
               "w:textDirection", "w:textAlignment", "w:textboxTightWrap", "w:outlineLvl", "w:divId", "w:cnfStyle",
               "w:rPr", "w:sectPr", "w:pPrChange")
_AFTER_SCALE = ("w:kern", "w:position", "w:sz", "w:szCs", "w:highlight", "w:u", "w:effect", "w:bdr", "w:shd",
                "w:fitText", "w:vertAlign", "w:rtl", "w:cs", "w:em", "w:lang", "w:eastAsianLayout")
# Body type is drawn at 98 % of its width so that a character fits its cell of the document grid: 28 三号
# characters in 156 mm leave a cell of 15.79 pt (39 小四 in 165 mm: 11.99 pt). LibreOffice gives a character
# wider than its cell two cells (14 characters a line); Word squeezes it.
_SCALE = 98  # percent
CENTER, RIGHT, JUSTIFY = WD_ALIGN_PARAGRAPH.CENTER, WD_ALIGN_PARAGRAPH.RIGHT, WD_ALIGN_PARAGRAPH.JUSTIFY


@dataclass(frozen=True)
class Style:
    """One paragraph style: font role (or 'body'), size in points and layout."""

    font: str = "body"
    size: float = 16
    bold: bool = False
    align: object = JUSTIFY
    indent_chars: int = 2  # first-line indent, in characters
    left_chars: int = 0
    hanging_chars: int = 0
    before: float = 0
    after: float = 0
    line: float | None = 28.5  # exact line pitch in points: 22 lines to the GB/T 9704 text block
    keep_next: bool = False
    border: tuple[str, float] | None = None  # bottom rule: colour, width in points
    right_tab: str | None = None  # None, or the leader: "none" or "dot"
    outline: int | None = None
    grid: bool = True  # body-sized type on the document grid; masthead lines keep their digits unspaced


STYLES = {
    "Normal": Style(),
    "Title": Style(font="title", size=22, align=CENTER, indent_chars=0, before=18, after=6, line=None),
    "Subtitle": Style(font="kai", align=CENTER, indent_chars=0, after=6),
    "Heading 1": Style(font="hei", before=14, keep_next=True, outline=0),
    "Heading 2": Style(font="kai", before=8, keep_next=True, outline=1),
    "Heading 3": Style(bold=True, keep_next=True, outline=2),
    "TOC Heading": Style(font="hei", align=CENTER, indent_chars=0, before=12, after=12),
    "TOC 1": Style(size=14, indent_chars=0, right_tab="dot", line=24),
    "TOC 2": Style(size=14, indent_chars=0, left_chars=2, right_tab="dot", line=24),
    "Quote": Style(font="kai", size=14, indent_chars=0, left_chars=2, line=22),
    "标识": Style(font="hei", size=14, indent_chars=0, align=None),
    "报头": Style(font="title", size=42, bold=True, align=CENTER, indent_chars=0, before=8, line=None),
    "期号": Style(align=CENTER, indent_chars=0, grid=False),
    "编印行": Style(indent_chars=0, right_tab="none", grid=False),
    "红线": Style(size=4, indent_chars=0, line=None, after=10, border=("accent", 2.25)),
    "细线": Style(size=4, indent_chars=0, line=None, after=4, border=("000000", 0.75)),
    "报尾": Style(size=14, indent_chars=0, right_tab="none", line=21),  # brief.css: 14 pt on 1.5 lines
    "说明": Style(font="kai", size=14, indent_chars=0, line=22),
    "来源": Style(size=12, align=RIGHT, indent_chars=0, line=20),
    "研讨题": Style(indent_chars=0, left_chars=2),
    "名词解释": Style(),
    "参考文献": Style(size=14, indent_chars=0, left_chars=2, hanging_chars=2, line=22),
    "笔记线": Style(indent_chars=0, border=("999999", 0.5), line=30),
    "索引": Style(indent_chars=0, left_chars=2),
    "编者按": Style(font="kai", size=14, line=24, before=6, after=6),
    "表格": Style(size=12, indent_chars=0, align=None, line=18),
    "页码": Style(font="song", size=14, indent_chars=0, line=14),
}


def _handout(name: str, spec: Style) -> Style:
    """Return ``spec`` set as brief.css sets a handout: 12 pt body, 10 pt quotations, sources and tables."""
    if name in ("Quote", "说明", "来源", "表格", "参考文献"):
        return replace(spec, size=10, line=13.5)
    if name == "Title":  # the lesson's title
        return replace(spec, size=18, before=6, after=6)
    if name == "Heading 2":  # the lesson's parts (1．背景): set as a brief's Heading 3, bold FangSong (brief.css)
        spec = replace(STYLES["Heading 3"], outline=spec.outline, before=spec.before)
    if name in ("标识", "红线", "细线", "页码"):
        return spec
    return replace(spec, size=min(spec.size, 12), line=18.5 if spec.line else None, before=min(spec.before, 4))


HANDOUT_STYLES = {name: _handout(name, spec) for name, spec in STYLES.items()}


@dataclass(frozen=True)
class Page:
    """A page set-up as brief.css gives it: A4 margins (top, right, bottom, left) in mm, body size and pitch in pt."""

    margins: tuple[float, float, float, float]
    size: float
    line: float


BRIEF_PAGE = Page((37, 26, 35, 28), 16, 28.5)  # GB/T 9704: a 156 x 225 mm type area, 22 lines of 28 三号 characters
HANDOUT_PAGE = Page((20, 20, 20, 25), 12, 18.5)  # @page handout


def _fonts(rpr, role: str) -> None:
    """Name the Latin and East Asian fonts directly, removing the theme fonts Word would prefer."""
    fonts = rpr.get_or_add_rFonts()
    for theme in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(theme), None)
    fonts.set(qn("w:ascii"), LATIN)
    fonts.set(qn("w:hAnsi"), LATIN)
    fonts.set(qn("w:eastAsia"), EAST_ASIAN[role][0])


def _border(ppr, colour: str, width: float) -> None:
    borders = OxmlElement("w:pBdr")
    # Consecutive paragraphs of one border form a group ruled only below its last: "between" rules each
    # (the handout's four note lines).
    for edge in ("w:bottom", "w:between"):
        line = OxmlElement(edge)
        for key, value in (("w:val", "single"), ("w:sz", str(int(width * 8))), ("w:space", "1"), ("w:color", colour)):
            line.set(qn(key), value)
        borders.append(line)
    ppr.insert_element_before(borders, *_AFTER_BORDERS)  # the schema fixes the order of pPr's children


def _chars_indent(ppr, style: Style, em: float) -> None:
    """Indent in characters (w:firstLineChars), as Chinese Word does, so indents follow the font size; the
    lengths LibreOffice reads are whole characters of ``em`` points, which two grid cells hold."""
    ind = ppr.get_or_add_ind()
    twips = int(em * 20)
    if style.hanging_chars:
        ind.attrib.pop(qn("w:firstLine"), None)
        ind.set(qn("w:hanging"), str(style.hanging_chars * twips))
        ind.set(qn("w:hangingChars"), str(style.hanging_chars * 100))
    else:
        ind.set(qn("w:firstLineChars"), str(style.indent_chars * 100))
    ind.set(qn("w:left"), str(style.left_chars * twips))
    ind.set(qn("w:leftChars"), str(style.left_chars * 100))


def _on_grid(spec: Style, body: float) -> bool:
    return spec.grid and spec.size == body


def _grid(style_obj, spec: Style, body: float) -> None:
    """Set body-sized type on the document grid, narrowed to fit its cells; take anything else off the grid."""
    rpr, ppr = style_obj.element.get_or_add_rPr(), style_obj.element.get_or_add_pPr()
    for old in rpr.findall(qn("w:spacing")) + rpr.findall(qn("w:w")) + ppr.findall(qn("w:snapToGrid")):
        old.getparent().remove(old)
    scale = OxmlElement("w:w")
    scale.set(qn("w:val"), str(_SCALE if _on_grid(spec, body) else 100))  # 100: not Normal's, inherited
    rpr.insert_element_before(scale, *_AFTER_SCALE)
    if not _on_grid(spec, body):
        snap = OxmlElement("w:snapToGrid")
        snap.set(qn("w:val"), "0")
        ppr.insert_element_before(snap, *_AFTER_SNAP)


def _apply(style_obj, spec: Style, accent: str, body_font: str, em: float) -> None:
    role = body_font if spec.font == "body" else spec.font
    font = style_obj.font
    font.size, font.bold, font.italic = Pt(spec.size), spec.bold, False
    font.color.rgb = RGBColor.from_string(accent.lstrip("#")) if style_obj.name == "报头" else RGBColor(0, 0, 0)
    _fonts(style_obj.element.get_or_add_rPr(), role)
    fmt = style_obj.paragraph_format
    if spec.align is not None:
        fmt.alignment = spec.align
    fmt.space_before, fmt.space_after = Pt(spec.before), Pt(spec.after)
    fmt.line_spacing = Pt(spec.line) if spec.line else 1.0  # single: Normal's exact pitch would clip large type
    fmt.keep_with_next = spec.keep_next or None
    if not spec.hanging_chars:
        fmt.first_line_indent = Pt(int(em * 20) * spec.indent_chars / 20)  # explicit 0 overrides Normal's indent
    ppr = style_obj.element.get_or_add_pPr()
    for inherited in ppr.findall(qn("w:pBdr")):
        ppr.remove(inherited)  # the built-in Title's blue rule
    _chars_indent(ppr, spec, em)
    if spec.border:
        colour, width = spec.border
        _border(ppr, accent.lstrip("#") if colour == "accent" else colour, width)
    if spec.right_tab:
        leader = WD_TAB_LEADER.DOTS if spec.right_tab == "dot" else WD_TAB_LEADER.SPACES
        fmt.tab_stops.add_tab_stop(TEXT_WIDTH, WD_TAB_ALIGNMENT.RIGHT, leader)


def _defaults(document) -> None:
    """Make Chinese the document's East Asian language, so Word applies Chinese line breaking."""
    rpr = document.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    lang.set(qn("w:val"), "en-US")
    lang.set(qn("w:eastAsia"), "zh-CN")
    _fonts(rpr, "song")


def _font_table(document) -> None:
    """Declare each East Asian font with the name Word tries when it is missing (w:altName)."""
    part = next((rel.target_part for rel in document.part.rels.values() if rel.reltype.endswith("/fontTable")), None)
    if part is None:  # a reference without a font table: Word falls back on its own
        return
    from lxml import etree

    table = etree.fromstring(part.blob)
    declared = {font.get(qn("w:name")) for font in table.findall(qn("w:font"))}
    for name, alternative in EAST_ASIAN.values():
        if name in declared:
            continue
        font = etree.SubElement(table, qn("w:font"))
        font.set(qn("w:name"), name)
        alt = etree.SubElement(font, qn("w:altName"))
        alt.set(qn("w:val"), alternative)
        charset = etree.SubElement(font, qn("w:charset"))
        charset.set(qn("w:val"), "86")  # GB2312
    part._blob = etree.tostring(table, xml_declaration=True, encoding="UTF-8", standalone=True)


def define_styles(document, accent: str, body_font: str, kept: set[str] | None = None,
                  specs: dict[str, Style] = STYLES) -> None:
    """Create or redefine every style the Word renderer uses, after ``specs``, but those in ``kept`` (a reference's own)."""
    if kept is None:
        _defaults(document)
    _font_table(document)
    styles = document.styles
    for name, spec in specs.items():
        if kept and name in kept:
            continue
        try:
            style = styles[name]
        except KeyError:
            style = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
            style.base_style = styles["Normal"]
            style.quick_style = True
        body = specs["Normal"].size
        _apply(style, spec, accent, body_font, spec.size * _SCALE / 100 if _on_grid(spec, body) else spec.size)
        _grid(style, spec, body)
