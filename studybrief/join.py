"""Join the PDFs of a brief laid out in parts into one tagged PDF: pages, structure, bookmarks, links.

qpdf (through pikepdf) copies the parts' objects in C++, where pypdf held every object of every part as
a Python object (joining 2,600 pages took 500 MiB). What no library joins is joined here: one structure
tree in reading order with one parent tree, one outline, one set of named destinations.
"""

from __future__ import annotations

import io
from typing import NamedTuple
from urllib.parse import unquote

from pikepdf import Array, Dictionary, Name, NameTree, NumberTree, ObjectStreamMode, OutlineItem, Pdf, String

# A link to an anchor laid out in another part: WeasyPrint would drop it, so it goes in as an external
# link with this scheme, and comes out of the join as a link to the named destination.
ELSEWHERE = "elsewhere:"


class Mark(NamedTuple):
    """A bookmark as WeasyPrint lays it out: its page in the whole brief, CSS bookmark-level, label, place in PDF units."""

    page: int
    level: int
    label: str
    x: float
    y: float
    closed: bool


def join(blobs: list[bytes], marks: list[Mark]) -> bytes:
    """Return the PDFs ``blobs`` as one, its outline made of ``marks``; the first part's catalog holds for all.

    Each later part is opened, copied and closed in turn, so only the whole is held at the end. The
    outline is made anew: a part that continues a section would put that section's bookmarks at the
    top level. The /ID's first half is the first part's (from the HTML), its second a digest of the
    content: same parts, same bytes.
    """
    whole = Pdf.open(io.BytesIO(blobs[0]))
    dests = _name_tree(whole)
    for index, blob in enumerate(blobs[1:], 1):
        with Pdf.open(io.BytesIO(blob)) as part:
            _prefix_identifiers(part, f"{index}-")
            first = len(whole.pages)
            for page in part.pages:  # first: then every reference copied below finds its page already copied
                whole.pages.append(page)
            copied = whole.copy_foreign(part.make_indirect(Dictionary(Tree=part.Root.StructTreeRoot, Dests=_name_tree(part).obj)))
        _append_structure(whole, copied.Tree, whole.pages[first:])
        for name, destination in NameTree(copied.Dests).items():
            if name not in dests:  # an anchor named twice: the first one holds, as in one document
                dests[name] = destination
    _outline(whole, marks)
    _link_elsewhere(whole)
    out = io.BytesIO()
    whole.save(out, deterministic_id=True, object_stream_mode=ObjectStreamMode.generate)
    return out.getvalue()


def _append_structure(whole: Pdf, tree: Dictionary, pages: list) -> None:
    """Append the structure ``tree`` of a part copied in with ``pages`` to the structure of ``whole``.

    Its top-level elements go under the one Document, its parent tree's keys follow on from those
    before (renumbered in the pages and their annotations alike), its role and class maps are merged.
    """
    root = whole.Root.StructTreeRoot
    document, parents = root.K[0], NumberTree(root.ParentTree)
    key, old = max(parents.keys()) + 1, tree.K[0]
    for page in pages:
        page.obj.StructParents += key
        for annotation in page.obj.get("/Annots", ()):
            if "/StructParent" in annotation:
                annotation.StructParent += key
    for element in old.K:
        element.P = document
        document.K.append(element)
    seen = {document.objgen}
    for number, parent in NumberTree(tree.ParentTree).items():
        parents[number + key] = parent
        for element in parent if isinstance(parent, Array) else [parent]:
            while element.objgen not in seen:  # WeasyPrint hangs the page margins' elements outside the Document's kids
                seen.add(element.objgen)
                if element.P.objgen == old.objgen:
                    element.P = document
                    break
                element = element.P
    for name in ("/RoleMap", "/ClassMap"):
        if name in tree:
            root[name] = Dictionary({**root.get(name, Dictionary()), **tree[name]})


def _prefix_identifiers(part: Pdf, prefix: str) -> None:
    """Prefix the structure element IDs of ``part`` and the table Headers naming them, unique in one document only.

    WeasyPrint makes a table's header IDs from its object number in the PDF, which the parts reuse.
    """
    for element in part.objects:
        if isinstance(element, Dictionary) and element.get("/Type") == Name.StructElem:
            if Name.ID in element:
                element.ID = String(prefix + str(element.ID))
            attributes = element.get("/A")
            if isinstance(attributes, Dictionary) and Name.Headers in attributes:
                attributes.Headers = Array([String(prefix + str(header)) for header in attributes.Headers])


def _name_tree(pdf: Pdf) -> NameTree:
    """Return the named destinations of ``pdf``, made empty if it has none."""
    if Name.Names not in pdf.Root:
        pdf.Root.Names = Dictionary()
    names = pdf.Root.Names
    if Name.Dests not in names:
        names.Dests = pdf.make_indirect(Dictionary(Names=Array()))
    return NameTree(names.Dests)


def _outline(pdf: Pdf, marks: list[Mark]) -> None:
    """Replace the outline of ``pdf`` by ``marks``, each nested under the last one of a lower level before it."""
    with pdf.open_outline() as outline:
        outline.root.clear()
        open_items = [(0, outline.root)]
        for mark in marks:
            while open_items[-1][0] >= mark.level:
                open_items.pop()
            item = OutlineItem(mark.label, mark.page, "XYZ", left=mark.x, top=mark.y)
            item.is_closed = mark.closed
            open_items[-1][1].append(item)
            open_items.append((mark.level, item.children))


def _link_elsewhere(pdf: Pdf) -> None:
    """Turn every link laid out towards another part into a link to its named destination."""
    for page in pdf.pages:
        for annotation in page.obj.get("/Annots", ()):
            action = annotation.get("/A")
            if action is not None and str(action.get("/URI", "")).startswith(ELSEWHERE):
                name = unquote(str(action.URI)[len(ELSEWHERE):])
                del annotation.A
                annotation.Dest, annotation.Contents = String(name), String(name)
