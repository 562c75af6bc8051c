"""The embedded font programs: bare CID-keyed CFF holding the glyphs drawn, each the face's own glyph, pixels unchanged."""

from __future__ import annotations

import io
import re
import subprocess

from fontTools.cffLib import CFFFontSet
from fontTools.pens.recordingPen import RecordingPen
from fontTools.ttLib import TTFont
from pypdf import PdfReader

from studybrief import pdf
from studybrief.embedding import BARE_CFF, _cids
from studybrief.faces import shrunk_faces
from studybrief.pdf import pdf_bytes

from .conftest import ROOT

SAMPLE = ('<!DOCTYPE html><html><head><style>body { font-family: "FandolFang"; font-size: 16pt; }</style></head><body>'
          '<p>学习经验，“解放思想”2026年</p><p style="font-family: FandolKai">（一）主要做法</p>'
          '<p style="font-family: \'Noto Sans CJK SC\'">一、背景 Hei</p><p style="color: rgb(0 0 0 / 0.999)">加粗仿宋</p>'
          '<p style="font-family: \'Noto Serif CJK SC\'; font-weight: bold">标题</p><p>鼋鼍</p></body></html>')


def _programs(path):
    """Yield (font name, the CIDs its /W gives widths to, ToUnicode's text by CID, its font program stream)."""
    seen = set()
    for page in PdfReader(path).pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            cid_font = font["/DescendantFonts"][0].get_object()
            stream = cid_font["/FontDescriptor"].get_object()["/FontFile3"].get_object()
            if id(stream) not in seen:
                seen.add(id(stream))
                to_unicode = dict(_bfchars(font["/ToUnicode"].get_object().get_data()))
                yield str(font["/BaseFont"]).split("+")[1], _cids(cid_font["/W"]), to_unicode, stream


def _bfchars(cmap: bytes):
    for cid, text in re.findall(rb"<([0-9a-f]{4})> <([0-9a-f]+)>", cmap):
        yield int(cid, 16), bytes.fromhex(text.decode()).decode("utf-16-be")


def _cff(stream) -> CFFFontSet:
    cff = CFFFontSet()
    cff.decompile(io.BytesIO(stream.get_data()), None)
    return cff


def _largest_handout(built):
    return max((built / "default/handouts").glob("*.pdf"), key=lambda p: p.stat().st_size)


def test_each_font_program_holds_the_glyphs_drawn_and_nothing_else(built):
    for path in (_largest_handout(built), built / "default/all-lessons.pdf"):
        for name, drawn, _, stream in _programs(path):
            assert stream["/Subtype"] == BARE_CFF, (path.name, name)  # not an OpenType font with its unused tables
            top = _cff(stream).topDictIndex[0]
            assert hasattr(top, "ROS")
            cids = {0 if glyph == ".notdef" else int(glyph[3:]) for glyph in top.charset}
            assert cids == drawn | {0}, (path.name, name)  # no empty slot for a glyph not drawn
            outlines = sum(len(top.CharStrings[glyph].bytecode) for glyph in top.charset)
            # beyond the outlines: a few bytes a glyph (offset, charset, FDSelect) and the font's dictionaries
            assert len(stream.get_data()) < outlines + 8 * len(cids) + 2048, (path.name, name)


def test_each_glyph_drawn_is_the_faces_glyph_for_its_character(built):
    faces = {face.family.replace(" ", "-") + ("-Bold" if face.weight == "bold" else ""): face for face in shrunk_faces(ROOT)}
    checked = 0
    for name, _, to_unicode, stream in _programs(_largest_handout(built)):
        assert name in faces  # a handout needs no character beyond the shrunk faces
        face = TTFont(faces[name].path, lazy=True)
        glyphs, cmap = face.getGlyphSet(), face.getBestCmap()
        strings = _cff(stream).topDictIndex[0].CharStrings
        for cid, text in to_unicode.items():
            if len(text) == 1 and "\u4e00" <= text <= "\u9fff":  # an ideograph: drawn as the face maps it
                assert face.getGlyphID(cmap[ord(text)]) == cid, (name, text)
                ours, theirs = RecordingPen(), RecordingPen()
                strings[f"cid{cid:05d}"].draw(ours)
                glyphs[cmap[ord(text)]].draw(theirs)
                assert ours.value == theirs.value, (name, text)
                checked += 1
    assert checked > 300


def test_compact_programs_change_no_pixel(tmp_path, monkeypatch):
    compact, _ = pdf_bytes(SAMPLE, ROOT / "templates/default", shrunk_faces(ROOT))
    monkeypatch.setattr(pdf, "compact", lambda document, written: None)
    whole, _ = pdf_bytes(SAMPLE, ROOT / "templates/default", shrunk_faces(ROOT))
    assert len(compact) < len(whole) / 2
    images = []
    for data in (compact, whole):
        (tmp_path / "sample.pdf").write_bytes(data)
        images.append(subprocess.run(["pdftoppm", "-r", "100", tmp_path / "sample.pdf"], capture_output=True, check=True).stdout)
    assert images[0] == images[1]
