"""The CJK fonts a brief embeds, where they are, and whether they can show every character."""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import stat
import subprocess
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from .errors import FontError, OutputError, Problem
from .i18n import _
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
        families, _bar, rest = found.partition("|")
        if font.family in families.split(","):
            file, _bar, index = rest.partition("|")
            return Path(file), int(index or 0)
    raise FontError(Problem("fonts", None, _("font '{family}' ({role}) is not installed: "
                                             "install the Debian package {package} (./setup.sh does)").format(
                                               family=font.family, role=font.role, package=font.package)))


def private_cache(*parts: str) -> Path | None:
    """Return a cache folder only this user can write (no shared temporary folder), or None if there is none."""
    folder = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache", "studybrief", *parts)
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        info = folder.lstat()
    except OSError:
        return None
    private = stat.S_ISDIR(info.st_mode) and info.st_uid == os.getuid() and not info.st_mode & 0o022
    return folder if private else None


def identity(file: Path, index: int) -> list:
    """Return what tells a font file unchanged without reading it; ctime moves on every change, even a touch -m."""
    info = file.stat()
    return [str(file), index, info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_ino]


def checksum(file: Path) -> str:
    with file.open("rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


def _read_cache(cache_file: Path) -> dict | None:
    """Return the cached glyph coverage if it has the shape we write and is plausible; else None."""
    try:
        data = json.loads(cache_file.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not (isinstance(data, dict) and isinstance(data.get("fonts"), list) and isinstance(data.get("covered"), list)
            and all(isinstance(f, list) and len(f) == 7 for f in data["fonts"])):
        return None
    covered = data["covered"]
    if not all(isinstance(c, int) and 0 <= c <= 0x10FFFF for c in covered) or not _PLAUSIBLE <= set(covered):
        return None  # an empty or truncated list would report every character as missing
    return data


# Every CJK font we embed has printable ASCII and the commonest Chinese characters.
_PLAUSIBLE = set(range(0x21, 0x7F)) | {ord(c) for c in "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动"}


@cache
def _covered() -> frozenset[int]:
    """Return every code point some embedded font has.

    Reading four CJK cmaps takes a noticeable part of a second, which a no-op build should not pay: the
    coverage is cached in a private folder, keyed by the fonts' checksums, and validated when read back.
    """
    files = [locate(f) for f in FONTS]
    identities = [identity(p, i) for p, i in files]
    folder = private_cache()
    cache_file = folder / "glyphs.json" if folder else None
    cached = _read_cache(cache_file) if cache_file else None
    if cached and [f[:-1] for f in cached["fonts"]] == identities:
        return frozenset(cached["covered"])
    checksums = [checksum(p) for p, _ in files]
    fonts = [identity + [checksum] for identity, checksum in zip(identities, checksums, strict=True)]
    if cached and [f[-1] for f in cached["fonts"]] == checksums:  # same fonts, touched or copied
        covered = set(cached["covered"])
    else:
        from fontTools.ttLib import TTFont  # WeasyPrint's own dependency

        covered = set()
        for file, index in files:
            with TTFont(file, fontNumber=index, lazy=True) as font:
                covered |= set(font.getBestCmap())
    if cache_file:
        with contextlib.suppress(OutputError):  # a cache that cannot be written costs time, not correctness
            write_atomic(cache_file, json.dumps({"fonts": fonts, "covered": sorted(covered)}).encode())
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
    return sorted(ch for ch in set(text) if ord(ch) not in covered and not ch.isspace() and ord(ch) >= 0x20)
