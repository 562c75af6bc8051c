"""A contents that would spill a few lines onto a page of their own is set tighter, to end a page sooner.

The body starts on a new page after the contents, so one entry too many costs a page holding that entry.
No CSS fits text to a page; ``tighter`` reads the laid-out document and returns the stylesheet that
closes the contents' lines up just enough, or nothing when the contents already ends cleanly.
"""

from __future__ import annotations

import math

SPILL = 3  # lines: a contents whose last page would hold this few or fewer is closed up
TIGHTEST = 22.0  # points: the closest leading of a 16 pt entry (the body's is 28.5)
PT = 0.75  # points in a CSS pixel, WeasyPrint's unit of layout


def spread(document) -> list:
    """Return each page of ``document`` holding contents entries, with those entries."""
    return [(page._page_box, entries) for page in document.pages if (entries := _entries(page._page_box))]


def tighter(document) -> str:
    """Return CSS closing up the contents of ``document`` if its last page would hold SPILL lines or fewer."""
    pages = spread(document)
    if len(pages) < 2 or sum(len(entry.children) for entry in pages[-1][1]) > SPILL:
        return ""
    lines = sum(len(entry.children) for _, entries in pages for entry in entries)
    room = sum(page.content_box_y() + page.height - entries[0].position_y for page, entries in pages[:-1])
    leading = math.floor(room * PT / lines * 10) / 10 - 0.1
    return f".toc p {{ line-height: {leading:.1f}pt; }}" if leading >= TIGHTEST else ""


def _entries(page) -> list:
    """Return the contents entries (``<p class="toc-…">`` blocks) laid out on ``page``, in order."""
    from weasyprint.formatting_structure import boxes

    found, stack = [], [page]
    while stack:
        box = stack.pop()
        classes = (box.element.get("class") or "").split() if box.element is not None else []
        if isinstance(box, boxes.BlockBox) and box.element_tag == "p" and any(c.startswith("toc-") for c in classes):
            found.append(box)
        elif isinstance(box, boxes.ParentBox):
            stack.extend(reversed(box.children))
    return found
