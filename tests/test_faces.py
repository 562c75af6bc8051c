"""The shrunk faces: small, named apart, and backed by the originals for a character the project never uses."""

from __future__ import annotations

import uharfbuzz as hb
from pypdf import PdfReader

from studybrief.faces import _characters, shrunk_faces
from studybrief.fonts import FONTS
from studybrief.pdf import pdf_bytes
from studybrief.pipeline import plan

from .conftest import ROOT


def _font_names(path) -> list[str]:
    reader = PdfReader(path)
    return sorted({str(f.get_object()["/BaseFont"]).split("+")[-1] for page in reader.pages
                   for f in page["/Resources"]["/Font"].values()})


def test_every_face_is_shrunk_to_the_project_and_named_apart():
    faces = shrunk_faces(ROOT)
    assert {f.original for f in faces} == {font.family for font in FONTS}
    for face in faces:
        font = hb.Face(hb.Blob.from_file_path(str(face.path)))
        assert face.family != face.original and face.family.startswith(face.original)
        assert font.glyph_count < 6000, (face.family, font.glyph_count)  # the originals hold 10,365 and 65,535
        assert len(font.unicodes) < 6000 and {ord(c) for c in "学习经验启示，。“”"} <= set(font.unicodes)


def test_every_character_of_every_brief_is_in_the_shrunk_faces(corpus, tmp_path):
    kept = set(_characters(ROOT))
    for job in plan(ROOT, tmp_path, *corpus, None, None, ("pdf",)):
        assert not {c for c in set(job.html) - kept if not c.isspace()}, job.target  # would fall back to the full face


def test_a_character_the_project_never_uses_comes_from_the_original_face(tmp_path):
    used = _characters(ROOT)
    rare = next(c for c in "鼋鼍鼐鼗鼹龃龅龆龉龊龌龠" if c not in used)  # GB2312, Noto and Fandol have them
    html = ('<!DOCTYPE html><html><head><style>body { font-family: "FandolFang"; font-size: 16pt; }</style></head>'
            f'<body><p>学习{rare}经验</p></body></html>')
    data, pages = pdf_bytes(html, ROOT / "templates/default", shrunk_faces(ROOT))
    (tmp_path / "rare.pdf").write_bytes(data)
    assert pages == 1 and f"学习{rare}经验" in PdfReader(tmp_path / "rare.pdf").pages[0].extract_text()
    assert _font_names(tmp_path / "rare.pdf") == ["FandolFang", "FandolFang-studybrief"]
