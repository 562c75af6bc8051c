"""The parts of a DOCX around its body: settings, page set-up, page-number footers, fields and package metadata."""

from __future__ import annotations

import math
from datetime import datetime
from html import escape

from docx.enum.section import WD_HEADER_FOOTER, WD_SECTION
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Length, Mm, Pt

from . import __version__
from .word_styles import Page

_AFTER_UPDATE_FIELDS = ("w:hdrShapeDefaults", "w:footnotePr", "w:endnotePr", "w:compat", "w:docVars", "w:rsids",
                        "m:mathPr", "w:attachedSchema", "w:themeFontLang", "w:clrSchemeMapping",
                        "w:doNotIncludeSubdocsInStats", "w:doNotAutoCompressPictures", "w:forceUpgrade", "w:captions",
                        "w:readModeInkLockDown", "w:smartTagType", "sl:schemaLibrary", "w:shapeDefaults",
                        "w:doNotEmbedSmartTags", "w:decimalSymbol", "w:listSeparator")
_AFTER_CONTROL = ("w:printTwoOnOne", "w:strictFirstAndLastChars", "w:noLineBreaksAfter", "w:noLineBreaksBefore",
                  "w:savePreviewPicture", "w:doNotValidateAgainstSchema", "w:saveInvalidXml", "w:ignoreMixedContent",
                  "w:alwaysShowPlaceholderText", "w:doNotDemarcateInvalidXml", "w:saveXmlDataOnly",
                  "w:useXSLTWhenSaving", "w:saveThroughXslt", "w:showXMLTags", "w:alwaysMergeEmptyNamespace",
                  "w:updateFields", *_AFTER_UPDATE_FIELDS)
_NUMBER_SIZE, _NUMBER_GAP, _DASH = 14, 7, 2.5  # 四号 page numbers, dashes 7 mm below the type area, 2.5 mm into their line


def text_width(document) -> Length:
    """Return the width of the type area."""
    section = document.sections[0]
    return Length(section.page_width - section.left_margin - section.right_margin)


def _fld_char(kind: str):
    element = OxmlElement("w:fldChar")
    element.set(qn("w:fldCharType"), kind)
    run = OxmlElement("w:r")
    run.append(element)
    return run


def field_start(paragraph, instruction: str) -> None:
    text = OxmlElement("w:instrText")
    text.set(qn("xml:space"), "preserve")
    text.text = f" {instruction} "
    run = OxmlElement("w:r")
    run.append(text)
    paragraph._p.append(_fld_char("begin"))
    paragraph._p.append(run)
    paragraph._p.append(_fld_char("separate"))


def field_end(paragraph) -> None:
    paragraph._p.append(_fld_char("end"))


def _page_footer(footer, alignment) -> None:
    """Fill ``footer`` with the page number as a PAGE field, written — N — as GB/T 9704 asks, one character
    in from the outer edge of the type area."""
    footer.is_linked_to_previous = False
    paragraph = footer.paragraphs[0]
    paragraph.style = "页码"
    paragraph.alignment = alignment
    inset = "w:right" if alignment == WD_ALIGN_PARAGRAPH.RIGHT else "w:left"
    indent = paragraph._p.get_or_add_pPr().get_or_add_ind()
    indent.set(qn(inset), str(_NUMBER_SIZE * 20))
    indent.set(qn(f"{inset}Chars"), "100")
    paragraph.add_run("— ")
    field_start(paragraph, "PAGE")
    paragraph.add_run("1")
    field_end(paragraph)
    paragraph.add_run(" —")


def _grid(section, page: Page) -> None:
    """Lay the type area out as a grid of whole lines and characters (GB/T 9704: 22 lines of 28 三号 characters),
    so that Word and LibreOffice set as many characters to the line as the PDF does."""
    width = Length(section.page_width - section.left_margin - section.right_margin)
    height = Length(section.page_height - section.top_margin - section.bottom_margin)
    chars, lines = round(width.pt / page.size), int(height.pt // page.line)
    sect_pr = section._sectPr
    grid = sect_pr.find(qn("w:docGrid"))
    if grid is None:
        grid = OxmlElement("w:docGrid")
        sect_pr.insert_element_before(grid, "w:printerSettings", "w:sectPrChange")
    grid.set(qn("w:type"), "linesAndChars")
    grid.set(qn("w:linePitch"), str(int(height.twips / lines)))
    # The cell is the body size plus charSpace (4096ths of a point), rounded down so that ``chars`` cells fit.
    grid.set(qn("w:charSpace"), str(math.floor((width.pt / chars - page.size) * 4096)))


def settings(document) -> None:
    """Chinese punctuation compression, the current compatibility mode, and no question on opening: the
    contents field carries its entries already (updateFields would make Word ask to update it)."""
    element = document.settings.element
    for old in element.findall(qn("w:characterSpacingControl")) + element.findall(qn("w:updateFields")):
        element.remove(old)  # a reference document may have its own
    control = OxmlElement("w:characterSpacingControl")
    control.set(qn("w:val"), "compressPunctuation")  # what Chinese Word does by default
    element.insert_element_before(control, *_AFTER_CONTROL)  # the schema fixes the order
    compat = element.find(qn("w:compat"))
    if compat is None:
        compat = OxmlElement("w:compat")
        element.insert_element_before(compat, *_AFTER_UPDATE_FIELDS[4:])
    mode = next((s for s in compat.findall(qn("w:compatSetting")) if s.get(qn("w:name")) == "compatibilityMode"), None)
    if mode is None:
        mode = OxmlElement("w:compatSetting")
        compat.append(mode)
    for key, value in (("w:name", "compatibilityMode"), ("w:uri", "http://schemas.microsoft.com/office/word"),
                       ("w:val", "15")):
        mode.set(qn(key), value)  # 14 (python-docx's template) opens in 兼容模式
    theme_lang = element.find(qn("w:themeFontLang"))
    if theme_lang is not None:  # python-docx's template says Japanese
        theme_lang.set(qn("w:eastAsia"), "zh-CN")


def page_setup(document, page: Page | None) -> None:
    """Set ``page`` (none for a reference, which has its own), and our page numbers where the document has no footer."""
    section = document.sections[0]
    section.start_type = WD_SECTION.NEW_PAGE
    if page:
        top, right, bottom, left = page.margins
        section.page_width, section.page_height = Mm(210), Mm(297)
        section.top_margin, section.bottom_margin = Mm(top), Mm(bottom)
        section.left_margin, section.right_margin = Mm(left), Mm(right)
        # The footer's one line, set exactly at the number's size, has its dashes at _DASH below its top.
        section.footer_distance = Length(Mm(bottom - _NUMBER_GAP + _DASH) - Pt(_NUMBER_SIZE))
        _grid(section, page)
    if section.footer.is_linked_to_previous:
        document.settings.odd_and_even_pages_header_footer = True
        _page_footer(section.footer, WD_ALIGN_PARAGRAPH.RIGHT)
        _page_footer(section.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT)
    header = section._sectPr.get_headerReference(WD_HEADER_FOOTER.PRIMARY)
    if (document.settings.odd_and_even_pages_header_footer and header is not None
            and section.even_page_header.is_linked_to_previous):  # a reference's one header, on even pages too
        section._sectPr.add_headerReference(WD_HEADER_FOOTER.EVEN_PAGE, header.rId)


_STALE = ("/metadata/thumbnail", "/stylesWithEffects")  # python-docx's blank preview, Word 2010's style copy
_APP = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">\
<Application>studybrief {version}</Application><DocSecurity>0</DocSecurity><Company>{company}</Company></Properties>"""


def drop_stale_parts(document) -> None:
    """Drop the parts of python-docx's template (or a reference) that would describe another document."""
    for rels in (document.part.package.rels, document.part.rels):
        for rid in [rid for rid, rel in rels.items() if rel.reltype.endswith(_STALE)]:
            del rels[rid]


def describe(document, meta: dict, created: datetime) -> None:
    """Describe the brief in the package: its department as author, its date, and studybrief as application."""
    properties = document.core_properties
    properties.title, properties.author = meta["title"], meta["author"]
    properties.subject, properties.keywords = meta["subject"], "，".join(meta["keywords"])
    properties.created = properties.modified = created
    properties.last_modified_by, properties.revision = meta["author"], 1
    properties.comments = ""  # python-docx's "generated by python-docx"
    app = next((rel.target_part for rel in document.part.package.rels.values()
                if rel.reltype.endswith("/extended-properties")), None)
    if app is not None:
        app._blob = _APP.format(version=__version__, company=escape(meta["author"])).encode()
