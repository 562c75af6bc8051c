"""Inter-character justification for Chinese lines, which WeasyPrint 70 justifies by spaces only.

CSS Text 3 lets a justified line of ideographs take its slack between characters (``text-justify:
inter-character``, the usual choice of ``auto`` for Chinese). WeasyPrint widens only spaces, so a
Chinese line has none to widen, and a line that kinsoku or a run of digits leaves short stays ragged.
``install`` replaces the one function that justifies a line (``layout.inline.justify_line``): a line
holding an ideograph spreads its slack over every gap between characters, as letter-spacing, so the
extracted text gains nothing; any other line keeps WeasyPrint's own justification. The function is
internal: the WeasyPrint version is pinned in pyproject.toml, and tests/test_typesetting.py measures
the right edges in the built PDFs, so an upgrade that breaks this fails there. The change is offered
upstream: docs/upstream/weasyprint-text-justify.md.
"""

from __future__ import annotations

import re
import unicodedata

IDEOGRAPH = re.compile(r"[\u3000-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef]")


def install() -> None:
    """Make WeasyPrint justify lines holding ideographs between characters."""
    from weasyprint.layout import inline

    if getattr(inline.justify_line, "inter_character", False):
        return
    by_spaces = inline.justify_line

    def justify_line(context, line, extra_width):
        texts = list(_text_boxes(line))
        units = sum(_units(box.text) for box in texts)
        if units < 2 or not any(IDEOGRAPH.search(box.text) for box in texts):
            return by_spaces(context, line, extra_width)
        # The last character's own spacing trails past its glyph: what the eye sees short is extra + that.
        trailing = _spacing(texts[-1].style)
        _spread(context, line, (extra_width + trailing) / (units - 1), 0)

    justify_line.inter_character = True
    inline.justify_line = justify_line


def _units(text: str) -> int:
    """Return how many characters of ``text`` letter-spacing widens (combining marks ride on their base)."""
    return sum(not unicodedata.combining(c) for c in text)


def _spacing(style) -> float:
    return 0 if style["letter_spacing"] == "normal" else style["letter_spacing"]


def _text_boxes(box):
    """Yield the text boxes of ``box`` in the line's order."""
    from weasyprint.formatting_structure import boxes

    if isinstance(box, boxes.TextBox):
        yield box
    elif isinstance(box, (boxes.LineBox, boxes.InlineBox)):
        for child in box.children:
            if child.is_in_normal_flow():
                yield from _text_boxes(child)


def _spread(context, box, spacing: float, x_advance: float) -> float:
    """Add ``spacing`` after each character of ``box``, moving what follows; return the advance so far.

    Mirrors WeasyPrint's ``add_word_spacing``, with letter-spacing in place of word-spacing.
    """
    from weasyprint.formatting_structure import boxes
    from weasyprint.text.line_break import create_layout, line_size

    if isinstance(box, boxes.TextBox):
        box.position_x += x_advance
        if box.text:
            style = box.style.copy()
            style["letter_spacing"] = _spacing(box.style) + spacing
            layout = create_layout(box.text, style, context, max_width=None,
                                   justification_spacing=box.justification_spacing)
            width, _ = line_size(layout.get_first_line()[0], style)
            layout.deactivate()
            x_advance += width - box.width
            box.style, box.width, box.pango_layout = style, width, layout
    elif isinstance(box, (boxes.LineBox, boxes.InlineBox)):
        box.position_x += x_advance
        before = x_advance
        for child in box.children:
            if child.is_in_normal_flow():
                x_advance = _spread(context, child, spacing, x_advance)
        box.width += x_advance - before
    else:
        box.translate(x_advance, 0)
    return x_advance
