"""Render a brief's HTML to DOCX: each element becomes a paragraph in a named Word style.

The styles carry all formatting (a secretary restyles the document by editing them), name the
East Asian fonts Chinese Word installs have, and drop the theme fonts that Word would prefer.
"""

from __future__ import annotations

import hashlib
import io
import re
from datetime import datetime
from functools import lru_cache
from pathlib import Path
from urllib.parse import urlparse
from urllib.request import url2pathname

import docx
import lxml.html
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.oxml.table import CT_Tbl
from docx.shared import Mm
from docx.table import Table
from docx.text.paragraph import Paragraph

from .images import word_picture
from .typography import balance
from .word_box import foot_box, height
from .word_package import describe, drop_stale_parts, field_end, field_start, page_setup, settings, text_width
from .word_reference import reference_document
from .word_styles import BRIEF_PAGE, HANDOUT_PAGE, HANDOUT_STYLES, STYLES, define_styles

_CLASS_STYLE = {
    "marking": "标识", "masthead-name": "报头", "masthead-issue": "期号", "masthead-line": "编印行",
    "dist-line": "报尾", "title": "Title", "subtitle": "Subtitle", "toc-title": "TOC Heading", "meta": "说明",
    "source": "来源", "question": "研讨题", "term": "名词解释", "reference": "参考文献", "note-line": "笔记线",
    "index-entry": "索引", "editor-note": "编者按",
}
_TAG_STYLE = {"h1": "Heading 1", "h2": "Heading 2", "h3": "Heading 3", "p": "Normal"}
_INLINE = {"a", "abbr", "b", "br", "cite", "code", "em", "i", "q", "small", "span", "strong", "sub", "sup", "time", "u"}
_STYLE_NAMES = set(STYLES) | {"TOC Heading", "Caption"}
_RULES = {"rule-red": "红线", "rule-thin": "细线"}
_WHOLE_ROWS = 4  # a table of up to this many data rows is kept on one page



def _classes(element) -> set[str]:
    return set((element.get("class") or "").split())


class _Writer:
    """Walks the HTML body once, appending paragraphs and tables to the document."""

    def __init__(self, document: docx.document.Document) -> None:
        self.document = document
        self.page_break = False
        self.bookmarks = 0
        self.anchors: list[str] = []  # ids waiting for the next paragraph
        self.last = None
        # Appending before the section properties directly: python-docx's add_paragraph looks the style
        # up and scans the body on every call, which made long documents quadratic.
        self.end = document.element.body.sectPr
        self.style_ids = {style.name: style.style_id for style in document.styles}

    def block(self, element, style: str | None = None) -> None:
        tag, classes = element.tag, _classes(element)
        if "new-page" in classes:
            self.page_break = True
        if tag == "nav":
            self.toc(element)
        elif tag == "hr":
            self.paragraph(next((s for c, s in _RULES.items() if c in classes), "细线"))
        elif tag == "table":
            self.table(element)
        elif "distribution" in classes:
            self.foot(element)
        elif tag == "blockquote":
            for child in element:
                self.block(child, "Quote")
        elif tag in _TAG_STYLE:
            named = element.get("data-word-style")
            style = (named if named in _STYLE_NAMES else None) or next(
                (_CLASS_STYLE[c] for c in classes if c in _CLASS_STYLE), None) or style or _TAG_STYLE[tag]
            paragraph = self.paragraph(style)
            if style == "Title" and all(child.tag == "br" for child in element):
                self.title(paragraph, "".join(element.itertext()))
            else:
                self.inline(paragraph, element)
            if element.get("id"):
                self.bookmark(paragraph, element.get("id"))
        else:
            if element.get("id"):  # e.g. a lesson's <article>: the contents link to its first paragraph
                self.anchors.append(element.get("id"))
            self.container(element, style)

    def foot(self, element) -> None:
        """Write the 报尾 into a text box standing at the foot of the type area, anchored after the text."""
        holder = OxmlElement("w:txbxContent")
        end, self.end = self.end, OxmlElement("w:p")
        holder.append(self.end)
        self.container(element, None)
        holder.remove(self.end)
        self.end = end
        paragraphs = list(holder)
        styles = [Paragraph(p, self.document._body).style for p in paragraphs]
        box, content = foot_box(self.document, "报尾", text_width(self.document), height(styles))
        content.extend(paragraphs)
        self.end.addprevious(box)

    def title(self, paragraph, text: str) -> None:
        """Break a title into balanced lines for the Title style's own size and the page's width (a
        reference document's may differ from the PDF's), so that Word never leaves one character alone."""
        size = spacing = None
        style = self.document.styles["Title"]
        while style is not None:  # the nearest style of its basedOn chain that sets each
            rpr = style.element.rPr
            if rpr is not None:
                found = rpr.find(qn("w:spacing"))
                size = size or (rpr.sz.val.pt if rpr.sz is not None else None)
                spacing = spacing if spacing is not None else int(found.get(qn("w:val"))) / 20 if found is not None else None
            style = style.base_style
        width = text_width(self.document).pt // ((size or 11) + (spacing or 0))
        for i, line in enumerate(balance(text, int(width))):
            if i:
                paragraph.add_run().add_break()
            self.run(paragraph, line, False, False)

    def container(self, element, style: str | None) -> None:
        """Write a container's blocks, and the text standing loose in it (bare, in a <div>, a <li>) as the PDF
        shows it: whatever the PDF shows, the Word file shows."""
        loose = None
        if element.text and element.text.strip():
            loose = self.paragraph(style or "Normal")
            self.run(loose, element.text, False, False)
        for child in element:
            if isinstance(child.tag, str) and child.tag in _INLINE:
                loose = loose or self.paragraph(style or "Normal")
                if child.tag == "br":
                    loose.add_run().add_break()
                else:
                    self.inline(loose, child, child.tag in ("strong", "b"), child.tag == "sup")
            elif isinstance(child.tag, str):
                loose = None
                self.block(child, style)
            if child.tail and child.tail.strip():
                loose = loose or self.paragraph(style or "Normal")
                self.run(loose, child.tail, False, False)

    def paragraph(self, style: str):
        element = OxmlElement("w:p")
        self.end.addprevious(element)
        element.get_or_add_pPr().style = self.style_ids[style]
        paragraph = self.last = Paragraph(element, self.document._body)
        while self.anchors:
            self.bookmark(paragraph, self.anchors.pop())
        if self.page_break:
            paragraph.paragraph_format.page_break_before = True
            self.page_break = False
        return paragraph

    def inline(self, paragraph, element, bold: bool = False, superscript: bool = False) -> None:
        if element.text:
            self.run(paragraph, element.text, bold, superscript)
        for child in element:
            if not isinstance(child.tag, str):
                continue
            if child.tag == "br":
                paragraph.add_run().add_break()
            elif child.tag == "img":
                self.picture(paragraph, child)
            elif child.tag == "span" and "right" in _classes(child):
                self.run(paragraph, "\t", bold, superscript)
                self.inline(paragraph, child, bold, superscript)
            else:
                self.inline(paragraph, child, bold or child.tag in ("strong", "b"),
                            superscript or child.tag == "sup")
            if child.tail:
                self.run(paragraph, child.tail, bold, superscript)

    @staticmethod
    def picture(paragraph, element) -> None:
        """Place the emblem (the only image a vetted brief holds) at its height, SVG drawn as PNG."""
        height = float(element.get("data-height-mm"))
        path = Path(url2pathname(urlparse(element.get("src")).path))
        picture = word_picture(path, height)
        run = paragraph.add_run()
        run.add_picture(io.BytesIO(picture) if isinstance(picture, bytes) else str(path), height=Mm(height))
        position = OxmlElement("w:position")  # lowered a quarter of its height, to centre on the name
        position.set(qn("w:val"), str(-round(Mm(height).pt / 2)))
        run._r.get_or_add_rPr().append(position)
        paragraph.add_run(" ")

    @staticmethod
    def run(paragraph, text: str, bold: bool, superscript: bool) -> None:
        text = re.sub(r"[ \n\r]+", " ", text) if text != "\t" else text
        if not text:
            return
        run = paragraph.add_run(text)
        if bold:
            run.bold = True
        if superscript:
            run.font.superscript = True

    def table(self, element) -> None:
        rows = element.findall(".//tr")
        width = max(len(r.findall("th") + r.findall("td")) for r in rows)
        element = CT_Tbl.new_tbl(0, width, text_width(self.document))
        self.end.addprevious(element)
        table = Table(element, self.document._body)
        table.style = self.document.styles["Table Grid"]
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        whole = len(rows) <= _WHOLE_ROWS + 1  # the PDF keeps such a table on one page too
        for i, row in enumerate(rows):
            added = table.add_row()
            header = row.find("th") is not None
            _row_properties(added._tr, header)
            for cell, source in zip(added.cells, [c for c in row if c.tag in ("th", "td")], strict=False):
                paragraph = cell.paragraphs[0]
                paragraph._p.get_or_add_pPr().style = self.style_ids["表格"]
                if (header or whole) and i < len(rows) - 1:
                    paragraph.paragraph_format.keep_with_next = True  # a header never ends a page alone
                self.inline(paragraph, source, bold=source.tag == "th")

    def toc(self, element) -> None:
        """Write the contents as a Word TOC field whose cached result is our own list of headings, each linked
        to its heading: any client shows them before an update. Word's page numbers come with an update (F9);
        the PDF's would be wrong: laid out by LibreOffice, one heading in five falls a page off the PDF's, and
        Word paginates on its own."""
        title = element.find(".//*[@class='toc-title']")
        if title is not None:
            self.block(title)
        entries = [e for e in element if "toc-title" not in _classes(e)]
        first = self.paragraph("TOC 1" if entries else "Normal")
        field_start(first, r'TOC \o "1-2" \h \z \u')
        for i, entry in enumerate(entries):
            paragraph = first if i == 0 else self.paragraph("TOC 2" if "toc-2" in _classes(entry) else "TOC 1")
            if i == 0 and "toc-2" in _classes(entry):
                paragraph._p.get_or_add_pPr().style = self.style_ids["TOC 2"]
            written = len(paragraph._p)
            self.inline(paragraph, entry)
            target = entry.find(".//a[@href]")
            if target is not None and target.get("href").startswith("#"):  # a click leads to the heading
                link = OxmlElement("w:hyperlink")
                link.set(qn("w:anchor"), _bookmark_name(target.get("href")[1:]))
                link.extend(list(paragraph._p)[written:])
                paragraph._p.append(link)
        field_end(self.paragraph("Normal") if not entries else self.last)
        self.page_break = True

    def bookmark(self, paragraph, name: str) -> None:
        start, end = OxmlElement("w:bookmarkStart"), OxmlElement("w:bookmarkEnd")
        self.bookmarks += 1
        bookmark_id = str(self.bookmarks)
        start.set(qn("w:id"), bookmark_id)
        start.set(qn("w:name"), _bookmark_name(name))
        end.set(qn("w:id"), bookmark_id)
        paragraph._p.insert(1 if paragraph._p.pPr is not None else 0, start)
        paragraph._p.append(end)


def _bookmark_name(anchor: str) -> str:
    return re.sub(r"[^A-Za-z0-9_]", "_", anchor)[:40]


def _row_properties(tr, header: bool) -> None:
    """Never split a row across pages; repeat a header row on every page the table runs onto."""
    trpr = tr.get_or_add_trPr()
    trpr.insert_element_before(OxmlElement("w:cantSplit"), "w:trHeight", "w:tblHeader", "w:tblCellSpacing", "w:jc", "w:hidden")
    if header:
        trpr.insert_element_before(OxmlElement("w:tblHeader"), "w:tblCellSpacing", "w:jc", "w:hidden")


@lru_cache(maxsize=16)
def _styled(accent: str, body_font: str, reference: Path | None, digest: str, handout: bool) -> bytes:
    """Return the empty document with the brief's styles, settings and page setup, made once per worker.

    ``digest`` is the reference's checksum: a department that edits its reference.docx gets a new template.
    """
    if reference is None:
        document, kept = docx.Document(), None
        for empty in document.paragraphs:  # python-docx's template opens with an empty paragraph
            empty._p.getparent().remove(empty._p)
    else:
        document, kept = reference_document(reference)
    define_styles(document, accent, body_font, kept, HANDOUT_STYLES if handout else STYLES)
    drop_stale_parts(document)
    settings(document)
    page_setup(document, None if reference else HANDOUT_PAGE if handout else BRIEF_PAGE)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def docx_bytes(html: str, accent: str, body_font: str, meta: dict, created: datetime,
               reference: Path | None = None) -> bytes:
    """Return ``html`` rendered as a DOCX with the brief's styles and metadata, into ``reference`` if given."""
    digest = hashlib.sha256(reference.read_bytes()).hexdigest() if reference else ""
    body = lxml.html.document_fromstring(html).find("body")
    handout = "handout" in _classes(body)  # a handout has its own page and smaller type, as in the PDF
    document = docx.Document(io.BytesIO(_styled(accent, body_font, reference, digest, handout)))
    _Writer(document).container(body, None)
    describe(document, meta, created)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()

