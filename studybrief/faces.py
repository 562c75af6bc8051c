"""The CJK faces cut down once to the characters the project uses, so that each PDF embeds a small face.

WeasyPrint subsets with retained glyph ids: a face brings every empty slot below the last glyph a
document uses into that PDF, and is read whole for every document. Cut down to printable ASCII and
every character a brief can show (glyph ids compacted, every layout feature and the BASE table kept,
so lines fall where they did), a Noto face of 65,535 glyphs keeps about 4,200 and a Fandol face of
10,365 about 2,000, so a handout embeds a fraction of the slots.

The faces are built lazily, under a lock, by the first build that needs them (a fraction of a second
each with HarfBuzz's subsetter): a setup step could be forgotten or outlived by a font upgrade, a
lazy build cannot. They live in a private cache folder keyed by the source files' checksums and the
characters kept, so a new character in the corpus gives new faces. Each gets its own family name, as
WeasyPrint would otherwise pick the system face of the same name; the PDF renderer puts it before the
original wherever a template's styles name the original, so a character it lacks (one typed nowhere
in the project) still comes from the original, at the original's size."""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from .fonts import FONTS, checksum, identity, private_cache
from .matching import to_simplified
from .output import write_atomic

SUFFIX = " studybrief"
WEIGHTS = ("regular", "bold")
KEEP = 4  # cache entries kept: one per character set in use, a few at most


@dataclass(frozen=True)
class Face:
    """A shrunk face: the family templates name, the family it goes by, its weight and its file."""

    original: str
    family: str
    weight: str
    path: Path


def _sources() -> list[tuple[str, str, Path, int]]:
    """Return (family, weight, file, index) of each installed face the briefs may use."""
    found = []
    for font in FONTS:
        if font.file is not None:  # a Fandol face: one weight, loaded by @font-face
            if font.file.is_file():
                found.append((font.family, "regular", font.file, 0))
            continue
        for weight in WEIGHTS:
            match = subprocess.run(["fc-match", "-f", "%{family}|%{weight}|%{file}|%{index}", f"{font.family}:{weight}"],
                                   capture_output=True, text=True, check=False).stdout
            families, weight_value, file, index = (match.split("|") + ["", "", ""])[:4]
            bold = int(weight_value or 0) >= 200  # fontconfig's scale: 80 regular, 200 bold
            if font.family in families.split(",") and bold == (weight == "bold"):
                found.append((font.family, weight, Path(file), int(index or 0)))
    return found


def _characters(root: Path) -> str:
    """Return printable ASCII and every character a brief can show.

    That is every character of the project's seeds, content and templates, as written and in simplified
    characters (a traditional seed is shown so), and of the package's own code and messages.
    """
    chars = {chr(c) for c in range(0x20, 0x7F)}
    files = [path for folder in ("seeds", "content", "templates") for path in (root / folder).rglob("*")]
    files += Path(__file__).parent.rglob("*")
    for path in files:
        if path.is_file() and path.suffix in (".txt", ".md", ".yaml", ".j2", ".css", ".html", ".py", ".po"):
            text = path.read_text(encoding="utf-8", errors="ignore")
            chars |= set(text) | set(to_simplified(text))
    return "".join(sorted(c for c in chars if c >= " "))  # spaces too: the page numbers are spaced


def _checksum(file: Path, index: int, memo: dict) -> str:
    """Return the SHA-256 of ``file``, remembered by its identity, so that an unchanged font is not read again."""
    known = json.dumps(identity(file, index))
    if known not in memo:
        memo[known] = checksum(file)
    return memo[known]


def _shrink(file: Path, index: int, chars: str, family: str) -> bytes:
    """Return the face at ``file``/``index`` cut down to ``chars``, under the family name ``family``."""
    import io

    import uharfbuzz as hb
    from fontTools.ttLib import TTFont

    subset = hb.SubsetInput()
    for ch in chars:
        subset.unicode_set.add(ord(ch))
    for kept in (hb.SubsetInputSets.LAYOUT_FEATURE_TAG, hb.SubsetInputSets.NAME_ID):
        subset.sets(kept).clear()
        subset.sets(kept).invert()  # all of them: every feature (vertical forms, Chinese forms, kerning), every name
    subset.sets(hb.SubsetInputSets.DROP_TABLE_TAG).clear()  # keep BASE: without it baselines move
    subset.flags = hb.SubsetFlags.NOTDEF_OUTLINE
    face = hb.subset(hb.Face(hb.Blob.from_file_path(str(file)), index), subset)
    font = TTFont(io.BytesIO(face.blob.data), lazy=True)  # only the name table is rewritten
    bold = " Bold" if font["OS/2"].usWeightClass >= 600 else ""
    for record in font["name"].names:
        if record.nameID in (1, 16):
            record.string = family
        elif record.nameID in (3, 4):
            record.string = family + bold
        elif record.nameID == 6:
            record.string = family.replace(" ", "") + ("-Bold" if bold else "-Regular")
    out = io.BytesIO()
    font.save(out)
    return out.getvalue()


def shrunk_faces(root: Path) -> tuple[Face, ...]:
    """Return the shrunk faces for the project at ``root``, building them on first use; none without a cache."""
    folder = private_cache("faces")
    if folder is None:
        return ()
    sources, chars = _sources(), _characters(root)
    with open(folder / "lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # two builds at once: one builds, the other waits and reuses
        memo_file = folder / "checksums.json"
        try:
            memo = json.loads(memo_file.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            memo = {}
        known = len(memo)
        key = hashlib.sha256(chars.encode())
        for family, weight, file, index in sources:
            key.update(f"{family}|{weight}|{index}|{_checksum(file, index, memo)}".encode())
        entry = folder / key.hexdigest()[:24]
        faces = tuple(Face(family, family + SUFFIX, weight, entry / f"{family.replace(' ', '')}-{weight}.otf")
                      for family, weight, _, _ in sources)
        if not entry.is_dir():
            building = entry.with_suffix(".building")
            shutil.rmtree(building, ignore_errors=True)
            building.mkdir()
            for face, (_, _, file, index) in zip(faces, sources, strict=True):
                write_atomic(building / face.path.name, _shrink(file, index, chars, face.family))
            building.rename(entry)
            for old in sorted((p for p in folder.iterdir() if p.is_dir() and p != entry), key=lambda p: p.stat().st_mtime)[:-KEEP + 1]:
                shutil.rmtree(old, ignore_errors=True)
        if len(memo) != known:
            write_atomic(memo_file, json.dumps(memo).encode())
        os.utime(entry)
        return faces
