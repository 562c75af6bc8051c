"""The CJK fonts a brief embeds, where they are, and whether they can show every character."""

from __future__ import annotations

import hashlib
import json
import subprocess
import tempfile
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from .errors import FontError, Problem
from .output import write_atomic


@dataclass(frozen=True)
class Font:
    """A typeface role of GB/T 9704 and the free font that plays it."""

    role: str
    family: str
    package: str
    file: Path | None = None  # set for fonts outside fontconfig's reach, loaded with @font-face


FONTS = (
    Font("song", "Noto Serif CJK SC", "fonts-noto-cjk"),
    Font("hei", "Noto Sans CJK SC", "fonts-noto-cjk"),
    Font("kai", "FandolKai", "texlive-lang-chinese",
         Path("/usr/share/texlive/texmf-dist/fonts/opentype/public/fandol/FandolKai-Regular.otf")),
    Font("fangsong", "FandolFang", "texlive-lang-chinese",
         Path("/usr/share/texlive/texmf-dist/fonts/opentype/public/fandol/FandolFang-Regular.otf")),
)


@cache
def locate(font: Font) -> tuple[Path, int]:
    """Return the file and collection index of ``font``, or raise FontError naming its package."""
    if font.file is not None:
        if font.file.is_file():
            return font.file, 0
    else:
        found = subprocess.run(["fc-match", "-f", "%{family}|%{file}|%{index}", font.family],
                               capture_output=True, text=True, check=False).stdout
        families, _, rest = found.partition("|")
        if font.family in families.split(","):
            file, _, index = rest.partition("|")
            return Path(file), int(index or 0)
    raise FontError(Problem("fonts", None, f"font '{font.family}' ({font.role}) is not installed: "
                                           f"install the Debian package {font.package} (./setup.sh does)"))


@cache
def _covered() -> frozenset[int]:
    """Return every code point some embedded font has, cached on disk by the fonts' identity.

    Reading four CJK cmaps takes a noticeable part of a second, which a no-op build should not pay.
    """
    files = [locate(f) for f in FONTS]
    identity = hashlib.sha256(repr([(str(p), i, p.stat().st_size, p.stat().st_mtime_ns) for p, i in files]).encode())
    cache_file = Path(tempfile.gettempdir()) / f"studybrief-glyphs-{identity.hexdigest()[:16]}.json"
    try:
        return frozenset(json.loads(cache_file.read_text()))
    except (OSError, ValueError):
        pass
    from fontTools.ttLib import TTFont  # WeasyPrint's own dependency

    covered: set[int] = set()
    for file, index in files:
        with TTFont(file, fontNumber=index, lazy=True) as font:
            covered |= set(font.getBestCmap())
    write_atomic(cache_file, json.dumps(sorted(covered)).encode())
    return frozenset(covered)


def font_face_css() -> str:
    """Return @font-face rules for the fonts fontconfig does not know."""
    return "".join(f'@font-face {{ font-family: "{f.family}"; src: url("{locate(f)[0].as_uri()}"); }}\n'
                   for f in FONTS if f.file is not None)


def font_files() -> set[str]:
    """Return the URIs the PDF renderer may read: the font files themselves."""
    return {locate(f)[0].as_uri() for f in FONTS if f.file is not None}


def missing_glyphs(text: str) -> list[str]:
    """Return the characters of ``text`` that no embedded font can show."""
    covered = _covered()
    return sorted({ch for ch in text if ord(ch) not in covered and not ch.isspace() and ord(ch) >= 0x20})
