"""A department's emblem image: checked with its configuration, drawn in PNG for Word.

Images come from whoever edits a department folder, so they are held to what a masthead needs:
PNG, JPEG or SVG, inside the folder, of bounded size, and an SVG that runs nothing and loads nothing.
"""

from __future__ import annotations

import contextlib
import hashlib
import re
import warnings
from pathlib import Path

from .errors import Problem
from .fonts import private_cache
from .i18n import _

MAX_BYTES = 1024 * 1024
MAX_PIXELS = 4000  # on each side
WORD_DPI = 300
_EXTERNAL = re.compile(r"url\(\s*['\"]?(?!#)|@import", re.I)


def _local(name: str) -> str:
    return name.rsplit("}", 1)[-1]


def _svg_problems(path: Path) -> list[Problem]:
    from defusedxml import DefusedXmlException
    from defusedxml.ElementTree import ParseError, parse

    try:
        root = parse(str(path), forbid_dtd=True).getroot()
    except (ParseError, DefusedXmlException) as e:
        return [Problem(path, None, _("not a readable SVG image: {error}").format(error=e))]
    if _local(root.tag) != "svg":
        return [Problem(path, None, _("not an SVG image: its root element is <{tag}>").format(tag=_local(root.tag)))]
    for element in root.iter():
        tag = _local(element.tag)
        if tag in ("script", "foreignObject") or any(_local(a).lower().startswith("on") for a in element.attrib):
            return [Problem(path, None, _("SVG holds a script (<{tag}> or an on… attribute); an emblem is a picture only")
                            .format(tag=tag))]
        links = [v for a, v in element.attrib.items() if _local(a) == "href" and not v.startswith("#")]
        if links or _EXTERNAL.search(element.get("style", "") + (element.text or "" if tag == "style" else "")):
            return [Problem(path, None, _("SVG refers to something outside itself ('{link}'); draw everything inside the file")
                            .format(link=(links or ["url(…)"])[0]))]
    return _drawing_problems(path)


def _drawing_problems(path: Path) -> list[Problem]:
    """Return why cairosvg cannot draw ``path``; an SVG once drawn is remembered by its checksum.

    Importing cairosvg and drawing take a sixth of a second of every build otherwise.
    """
    folder = private_cache("drawn-svg")
    mark = folder / hashlib.sha256(path.read_bytes()).hexdigest() if folder else None
    if mark and mark.exists():
        return []
    import cairosvg

    try:
        cairosvg.svg2png(url=str(path), output_width=64)
    except Exception as e:  # cairosvg raises many kinds of errors for an SVG it cannot draw
        return [Problem(path, None, _("SVG image cannot be drawn: {error}").format(error=e))]
    if mark:
        with contextlib.suppress(OSError):  # a mark that cannot be written costs time, not correctness
            mark.touch()
    return []


def _bitmap_problems(path: Path) -> list[Problem]:
    from PIL import Image

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(path) as image:
                kind, (width, height) = image.format, image.size
                if width > MAX_PIXELS or height > MAX_PIXELS:
                    return [Problem(path, None, _("image is {width}×{height} pixels; at most {limit} on each side")
                                    .format(width=width, height=height, limit=MAX_PIXELS))]
                image.load()  # decodes every pixel: a truncated or corrupt file fails here
    except (OSError, SyntaxError, ValueError, Image.DecompressionBombWarning, Image.DecompressionBombError) as e:
        return [Problem(path, None, _("not a readable PNG, JPEG or SVG image: {error}").format(error=e))]
    if kind not in ("PNG", "JPEG"):
        return [Problem(path, None, _("image is {kind}; use PNG, JPEG or SVG").format(kind=kind))]
    return []


def image_problems(folder: Path, name: str, config: Path, line: int | None) -> list[Problem]:
    """Return why the image ``name`` of a department cannot go into its briefs; ``line`` is where it is named."""
    path = folder / name
    if Path(name).is_absolute() or not path.resolve().is_relative_to(folder.resolve()):
        return [Problem(config, line, _("image '{name}' lies outside the department folder; put it next to {config}")
                        .format(name=name, config=config.name))]
    if not path.is_file():
        return [Problem(config, line, _("image '{name}' not found in {folder}").format(name=name, folder=folder))]
    size = path.stat().st_size
    if size > MAX_BYTES:
        return [Problem(path, None, _("image is {size} KiB; at most {limit} KiB")
                        .format(size=size // 1024, limit=MAX_BYTES // 1024))]
    return _svg_problems(path) if path.suffix.lower() == ".svg" else _bitmap_problems(path)


def word_picture(path: Path, height_mm: float) -> Path | bytes:
    """Return what Word can show of ``path``: the file itself, or an SVG drawn as PNG at print resolution."""
    if path.suffix.lower() != ".svg":
        return path
    import cairosvg

    return cairosvg.svg2png(url=str(path), output_height=round(height_mm / 25.4 * WORD_DPI))
