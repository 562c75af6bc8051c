"""A department's own Word document as the reference of its DOCX briefs (pandoc's --reference-doc habit).

The brief is written into a copy of the reference: its styles, page setup, headers and footers (with
their images), numbering, theme and font table come along; its body is dropped. Styles are matched by
name, by the Chinese name Word shows and by style id; a style the reference lacks keeps ours.
"""

from __future__ import annotations

import copy
import zipfile
from pathlib import Path

import docx
from docx.oxml.ns import qn
from docx.styles import BabelFish

from .errors import Problem
from .i18n import _
from .word_styles import STYLES

# The writer's styles: the table style is taken from python-docx's template when the reference lacks it.
USED = (*STYLES, "Table Grid")
# The names Chinese Word shows for its built-in styles, as some tools write them into styles.xml.
CHINESE_NAMES = {
    "正文": "Normal", "标题": "Title", "副标题": "Subtitle", "标题 1": "Heading 1", "标题 2": "Heading 2",
    "标题 3": "Heading 3", "引用": "Quote", "TOC 标题": "TOC Heading", "目录 1": "TOC 1", "目录 2": "TOC 2",
    "网格型": "Table Grid",
}
_MACRO_TYPES = ("macroEnabled", "vbaProject", "vbaData", "activeX")


def reference_problems(path: Path) -> list[Problem]:
    """Return why ``path`` cannot serve as a reference: outside its folder, not a DOCX, macros, or no styles."""
    if not path.resolve().is_relative_to(path.parent.resolve()):
        return [Problem(path, None, _("is a link leading outside the department folder; put the file itself there"))]
    try:
        with zipfile.ZipFile(path) as package:
            names = package.namelist()
            types = package.read("[Content_Types].xml").decode("utf-8", "replace")
    except (zipfile.BadZipFile, KeyError, OSError):
        return [Problem(path, None, _("not a Word document (.docx): save it from Word as 'Word Document (*.docx)'"))]
    if any(marker in types for marker in _MACRO_TYPES) or any("vbaProject" in name for name in names):
        return [Problem(path, None, _("holds macros or ActiveX controls (.docm content): save it as a plain .docx"))]
    try:
        document = docx.Document(str(path))
    except Exception:  # python-docx raises ValueError, KeyError, AttributeError or lxml errors for a broken package
        return [Problem(path, None, _("cannot be read as a Word document: its package is broken; save it again from Word"))]
    if not any(rel.reltype.endswith("/styles") for rel in document.part.rels.values()):
        return [Problem(path, None, _("has no styles: save it from Word, which always writes them"))]
    return []


def _ours(name: str) -> str | None:
    """Return the writer's name for a reference style named ``name``, if it is one of ours."""
    wanted = CHINESE_NAMES.get(name, name).casefold()
    return next((ours for ours in USED if ours.casefold() == wanted), None)


def _adopt_names(styles) -> set[str]:
    """Give each reference style that matches one of ours our name; return the names matched."""
    by_name, by_id = {}, {}
    for style in styles.findall(qn("w:style")):
        name = style.find(qn("w:name"))
        ours = _ours(BabelFish.internal2ui(name.get(qn("w:val")))) if name is not None else None
        if ours and ours not in by_name:
            by_name[ours] = (style, name)
        by_id.setdefault(style.get(qn("w:styleId")), style)
    for ours in USED:  # a style found only by its id, e.g. a renamed "Heading1"
        style = by_id.get(BabelFish.ui2internal(ours).replace(" ", ""))
        if ours not in by_name and style is not None and style not in (s for s, _ in by_name.values()):
            by_name[ours] = (style, style.find(qn("w:name")))
    for ours, (style, name) in by_name.items():
        if name is None:
            name = style.makeelement(qn("w:name"), {})
            style.insert(0, name)
        name.set(qn("w:val"), BabelFish.ui2internal(ours))
    return set(by_name)


def _add_table_grid(styles) -> None:
    """Copy the table style the writer uses from python-docx's template, based on the reference's plain table."""
    grid = copy.deepcopy(docx.Document().styles["Table Grid"].element)
    based = grid.find(qn("w:basedOn"))
    plain = next((s for s in styles.findall(qn("w:style")) if s.get(qn("w:type")) == "table"
                  and s.get(qn("w:default")) == "1"), None)
    if plain is None:
        grid.remove(based)
    else:
        based.set(qn("w:val"), plain.get(qn("w:styleId")))
    styles.append(grid)


def reference_document(path: Path) -> tuple[docx.document.Document, set[str]]:
    """Return the reference opened with its body emptied, and the names of our styles it defines."""
    document = docx.Document(str(path))
    body = document.element.body
    for child in list(body):
        if child.tag != qn("w:sectPr"):
            body.remove(child)
    if body.sectPr is None:
        body.append(body.makeelement(qn("w:sectPr"), {}))
    styles = document.styles.element
    defined = _adopt_names(styles)
    if "Table Grid" not in defined:
        _add_table_grid(styles)
    return document, defined


# The free typeface that draws each kind of Chinese font a reference may name, in the order to try.
_FAMILIES = (("仿宋", "FandolFang"), ("fang", "FandolFang"), ("楷", "FandolKai"), ("kai", "FandolKai"),
             ("黑", "Noto Sans CJK SC"), ("hei", "Noto Sans CJK SC"), ("等线", "Noto Sans CJK SC"),
             ("dengxian", "Noto Sans CJK SC"), ("sans", "Noto Sans CJK SC"), ("宋", "Noto Serif CJK SC"),
             ("song", "Noto Serif CJK SC"), ("明", "Noto Serif CJK SC"), ("serif", "Noto Serif CJK SC"))
# Which reference style the PDF follows for which part of the brief.
_SELECTORS = {"Normal": "html", "Title": "h1.title", "Heading 1": "h1",
              "Heading 2": "h2", "Heading 3": "h3", "Quote": "blockquote", "报头": ".masthead-name"}
_TWIPS_MM = 25.4 / 1440


def _family(font: str) -> str | None:
    return next((family for key, family in _FAMILIES if key in font.casefold()), None)


def _properties(styles, style_id: str | None) -> dict[str, str]:
    """Return the run properties of a style, following its basedOn chain down to the document defaults."""
    found: dict[str, str] = {}
    by_id = {s.get(qn("w:styleId")): s for s in styles.findall(qn("w:style"))}
    chain, seen = [], set()
    while style_id in by_id and style_id not in seen:
        seen.add(style_id)
        chain.append(by_id[style_id].find(qn("w:rPr")))
        based = by_id[style_id].find(qn("w:basedOn"))
        style_id = based.get(qn("w:val")) if based is not None else None
    defaults = styles.find(f"{qn('w:docDefaults')}/{qn('w:rPrDefault')}/{qn('w:rPr')}")
    for rpr in [*chain, defaults]:
        if rpr is None:
            continue
        fonts, size, bold, colour = (rpr.find(qn(t)) for t in ("w:rFonts", "w:sz", "w:b", "w:color"))
        if fonts is not None and fonts.get(qn("w:eastAsia")):
            found.setdefault("font", fonts.get(qn("w:eastAsia")))
        if size is not None:
            found.setdefault("size", str(int(size.get(qn("w:val"))) / 2))
        if bold is not None:
            found.setdefault("bold", bold.get(qn("w:val"), "true"))
        if colour is not None and colour.get(qn("w:val"), "auto") != "auto":
            found.setdefault("colour", colour.get(qn("w:val")))
    return found


def pdf_style(path: Path) -> tuple[str, list[str]]:
    """Return CSS giving the PDF the reference's page, fonts, sizes and accent, and notes on what stays Word-only.

    The CSS holds no quotes or angle brackets, so a template may print it as it is.
    """
    document, defined = reference_document(path)
    styles = document.styles
    rules, notes = [], []
    section = document.sections[0]
    margins = (section.top_margin, section.right_margin, section.bottom_margin, section.left_margin)
    if section.page_width and all(m is not None for m in margins):
        size = f"{section.page_width.mm:.1f}mm {section.page_height.mm:.1f}mm"
        rules.append(f"@page {{ size: {size}; margin: {' '.join(f'{m.mm:.1f}mm' for m in margins)}; }}")
    for name in _SELECTORS:
        if name not in defined:
            continue
        found = _properties(styles.element, styles[name].style_id)
        declarations = []
        if "font" in found:
            family = _family(found["font"])
            if family and name == "Normal":  # the body classes name the department's body font
                rules.append(f"body.body-song, body.body-fangsong {{ font-family: {family}; }}")
            elif family:
                declarations.append(f"font-family: {family}")
            else:
                notes.append(_("font '{font}' of style '{style}' has no free equivalent here; the PDF keeps "
                               "studybrief's font for it").format(font=found["font"], style=name))
        if "size" in found:
            declarations.append(f"font-size: {found['size']}pt")
        if "bold" in found:
            declarations.append(f"font-weight: {'normal' if found['bold'] in ('0', 'false') else 'bold'}")
        if name == "报头" and "colour" in found:
            declarations.append(f"color: #{found['colour']}")
            rules.append(f"hr.rule-red {{ border-top-color: #{found['colour']}; }}")
        if declarations:
            rules.append(f"{_SELECTORS[name]} {{ {'; '.join(declarations)}; }}")
    if not all(section.header.is_linked_to_previous and section.footer.is_linked_to_previous
               for section in document.sections):
        notes.append(_("its headers and footers are Word-only: the PDF keeps studybrief's page numbers"))
    notes.append(_("paragraph spacing, indents, numbering and table styles are Word-only: the PDF keeps studybrief's"))
    return "\n".join(rules), notes


STARTER = """<html><body>
<p class="marking">内部资料（样式：标识）</p>
<p class="masthead-name">{brief_name}</p>
<p class="masthead-issue">第1期（样式：期号）</p>
<p class="masthead-line">{issuing_body}（样式：编印行）<span class="right">2026年11月21日</span></p>
<hr class="rule-red">
<h1 class="title">简报标题（样式：标题）</h1>
<p class="subtitle">副标题（样式：副标题）</p>
<p class="editor-note">编者按（样式：编者按）：在 Word 中修改各样式的字体、字号、段落与颜色，修改页边距、页眉页脚，
另存为 reference.docx。生成简报时只取样式与版式，这里的文字全部丢弃。</p>
<h1>一、一级标题（样式：标题 1）</h1>
<h2>（一）二级标题（样式：标题 2）</h2>
<h3>1. 三级标题（样式：标题 3）</h3>
<p>正文段落（样式：正文）。报告强调，要坚持解放思想、实事求是，在学习先进地区经验中找差距、补短板。</p>
<blockquote><p>原文引用（样式：引用）。</p></blockquote>
<p class="source">来源行（样式：来源）</p>
<p class="question">研讨题（样式：研讨题）</p>
<p class="term"><strong>名词</strong>：名词解释（样式：名词解释）</p>
<p class="reference">[1] 参考文献（样式：参考文献）</p>
<table><tr><th>表头</th><th>表头</th></tr><tr><td>表格文字（样式：表格）</td><td>数据</td></tr></table>
<hr class="rule-thin">
<p class="dist-line">发：分送范围（样式：报尾）<span class="right">共印100份</span></p>
<hr class="rule-thin">
</body></html>"""


def starter_reference(brief_name: str, issuing_body: str, accent: str, body_font: str) -> bytes:
    """Return a reference document holding studybrief's styles, each shown once, for a secretary to restyle."""
    from datetime import datetime
    from html import escape

    from .word import docx_bytes

    html = STARTER.format(brief_name=escape(brief_name), issuing_body=escape(issuing_body))
    meta = {"title": brief_name, "author": issuing_body, "subject": "reference.docx", "keywords": []}
    return docx_bytes(html, accent, body_font, meta, datetime(2026, 1, 1))
