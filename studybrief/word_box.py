"""A text box standing at the foot of the type area, as GB/T 9704 places the 报尾 on the last page.

Word and LibreOffice both lay out a DrawingML text box anchored to a paragraph, aligned to the bottom of the
margin and wrapped top and bottom: the body text stops above it, and it goes to the next page with its anchor
when the page is full. (A frame or a floating table lost its rules or was set inline by LibreOffice.)
"""

from __future__ import annotations

from docx.oxml import parse_xml
from docx.shared import Length, Pt

_NAMESPACES = " ".join(f'xmlns:{prefix}="{uri}"' for prefix, uri in (
    ("w", "http://schemas.openxmlformats.org/wordprocessingml/2006/main"),
    ("wp", "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"),
    ("a", "http://schemas.openxmlformats.org/drawingml/2006/main"),
    ("wps", "http://schemas.microsoft.com/office/word/2010/wordprocessingShape"),
    ("mc", "http://schemas.openxmlformats.org/markup-compatibility/2006")))
_BOX = """<w:p {ns}><w:pPr><w:snapToGrid w:val="0"/><w:spacing w:before="0" w:after="0" w:line="20" w:lineRule="exact"/>\
<w:ind w:firstLine="0" w:firstLineChars="0"/><w:rPr><w:sz w:val="2"/></w:rPr></w:pPr><w:r><w:rPr><w:sz w:val="2"/></w:rPr>\
<mc:AlternateContent><mc:Choice Requires="wps"><w:drawing><wp:anchor distT="0" distB="0" distL="0" distR="0" simplePos="0" \
relativeHeight="251659264" behindDoc="0" locked="0" layoutInCell="1" allowOverlap="0"><wp:simplePos x="0" y="0"/>\
<wp:positionH relativeFrom="margin"><wp:posOffset>0</wp:posOffset></wp:positionH>\
<wp:positionV relativeFrom="margin"><wp:align>bottom</wp:align></wp:positionV><wp:extent cx="{cx}" cy="{cy}"/>\
<wp:effectExtent l="0" t="0" r="0" b="0"/><wp:wrapTopAndBottom/><wp:docPr id="{id}" name="{name}"/><wp:cNvGraphicFramePr/>\
<a:graphic><a:graphicData uri="http://schemas.microsoft.com/office/word/2010/wordprocessingShape"><wps:wsp>\
<wps:cNvSpPr txBox="1"/><wps:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="{cx}" cy="{cy}"/></a:xfrm>\
<a:prstGeom prst="rect"><a:avLst/></a:prstGeom><a:noFill/><a:ln><a:noFill/></a:ln></wps:spPr>\
<wps:txbx><w:txbxContent/></wps:txbx><wps:bodyPr rot="0" vert="horz" wrap="square" lIns="0" tIns="0" rIns="0" bIns="0" \
anchor="b" anchorCtr="0"><a:spAutoFit/></wps:bodyPr></wps:wsp></a:graphicData></a:graphic></wp:anchor></w:drawing>\
</mc:Choice></mc:AlternateContent></w:r></w:p>"""


def foot_box(document, name: str, width: Length, height: Length):
    """Return a paragraph (an empty line of 1 pt) anchoring a text box of ``width`` at the foot of its page's
    type area, and the box's content element, to which the caller moves the box's paragraphs.

    ``height`` is a first estimate: both Word and LibreOffice grow or shrink the box to its text.
    """
    xml = _BOX.format(ns=_NAMESPACES, cx=int(width), cy=int(height),
                      id=document.part.next_id, name=name)
    paragraph = parse_xml(xml)
    return paragraph, paragraph.find(".//{*}txbxContent")


def height(styles: list) -> Length:
    """Estimate the height of paragraphs in ``styles``: each its exact line, or 1.3 times its size, and spacing."""
    total = 0.0
    for style in styles:
        line = size = before = after = None
        while style is not None:  # the nearest style of the basedOn chain that sets each
            fmt = style.paragraph_format
            line = line if line is not None else fmt.line_spacing
            size = size or style.font.size
            before = before if before is not None else fmt.space_before
            after = after if after is not None else fmt.space_after
            style = style.base_style
        size_pt = (size or Pt(10.5)).pt
        total += (line.pt if isinstance(line, Length) else size_pt * 1.3 * (line or 1)) + (before or 0) / 12700 + (after or 0) / 12700
    return Pt(total)
