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
    """Return why ``path`` cannot serve as a reference: not a DOCX, macros, or no styles."""
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
