"""Embed each CFF font program as a bare CID-keyed CFF holding only the glyphs the PDF draws.

WeasyPrint 70 subsets with HarfBuzz keeping glyph ids (RETAIN_GIDS), so its ``/FontFile3
/OpenType`` program keeps an empty slot (charstring, width, charset entry) for every glyph of the
face up to the last one drawn, and tables no PDF reader uses (cmap, hmtx, OS/2, …). The content
streams show glyph ids through Identity-H, and a CID-keyed CFF maps each CID to its glyph by its
charset: ``compact`` writes the drawn glyphs only, each named by the CID its old glyph id already
is, so the content streams, ``/W`` widths and ToUnicode maps stay exactly as WeasyPrint wrote them.
(WeasyPrint's programs keep the faces' charsets, which map glyph ids to other CIDs: a reader that
follows them, as MuPDF does, drew the wrong glyphs or none.) It runs as a ``write_pdf`` finisher over
WeasyPrint's own objects (pydyf), before they are compressed; tests/test_embedding.py reads the
programs back, so an upgrade that writes them otherwise fails there.
"""

from __future__ import annotations

import io

import pydyf

OPENTYPE, BARE_CFF = "/OpenType", "/CIDFontType0C"


def compact(document, pdf: pydyf.PDF) -> None:
    """Replace each OpenType CFF font program of ``pdf`` by a CID-keyed CFF of its drawn glyphs."""
    objects = {item.reference: item for item in pdf.objects if isinstance(item, pydyf.Object)}
    drawn: dict[bytes, set[int]] = {}
    for item in pdf.objects:
        if isinstance(item, pydyf.Dictionary) and item.get("Subtype") == "/CIDFontType0":
            program = objects[item["FontDescriptor"]].get("FontFile3")
            if program is not None:
                drawn.setdefault(program, {0}).update(_cids(item.get("W", ())))
    for reference, cids in drawn.items():
        stream = objects[reference]
        if stream.extra.get("Subtype") == OPENTYPE and (cff := _bare_cff(b"".join(stream.stream), cids)):
            stream.stream, stream.extra["Subtype"] = [cff], BARE_CFF


def _cids(widths) -> set[int]:
    """Return the CIDs a ``/W`` array gives widths to: ``start [w w …]`` runs, as WeasyPrint writes it."""
    cids = set()
    for start, run in zip(widths[::2], widths[1::2], strict=True):
        cids.update(range(start, start + len(run)))
    return cids


def _bare_cff(program: bytes, cids: set[int]) -> bytes | None:
    """Return the CFF table of OpenType ``program`` cut to the glyphs ``cids``, each glyph id becoming its CID.

    Return None for a name-keyed CFF (no CJK face is one): it is left as WeasyPrint embedded it. Only
    the kept glyphs are read; the old charset, a few thousand names, is never parsed.
    """
    from fontTools.cffLib import CFFFontSet, CharStrings, FDSelect, Index
    from fontTools.misc.psCharStrings import T2CharString
    from fontTools.ttLib import TTFont

    font = TTFont(io.BytesIO(program), lazy=True, recalcBBoxes=False)  # the bounds of each glyph cost 0.2 s a face
    file = io.BytesIO(font.reader["CFF "])
    cff = CFFFontSet()
    cff.decompile(file, font)
    top = cff.topDictIndex[0]
    if not hasattr(top, "ROS"):
        return None
    file.seek(top.rawDict["CharStrings"])
    old = Index(file)
    keep = sorted(cid for cid in cids if cid < len(old))  # beyond: .notdef for a character no face has
    names = [f"cid{cid:05d}" if cid else ".notdef" for cid in keep]
    dicts = top.FDArray
    select = FDSelect()
    select.format, select.gidArray = 3, [top.FDSelect[cid] for cid in keep] if len(dicts) > 1 else [0] * len(keep)
    strings = CharStrings(None, names, cff.GlobalSubrs, None, select, dicts)
    for cid, name, index in zip(keep, names, select.gidArray, strict=True):
        strings[name] = T2CharString(old[cid], private=dicts[index].Private, globalSubrs=cff.GlobalSubrs)
    top.charset, top.FDSelect, top.CharStrings, top.CIDCount = names, select, strings, keep[-1] + 1
    out = io.BytesIO()
    cff.compile(out, font)
    return out.getvalue()
