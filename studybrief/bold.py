"""Bold for a face that has none: FangSong text drawn with fill and stroke, without a second font.

FandolFang, the free FangSong, has no bold face, and WeasyPrint neither synthesises one nor knows
a CSS way to ask for it: a bold request embeds a second copy of the regular face, printed regular.
The stylesheet therefore sets such text in the regular weight, marked by a fill opacity of MARK
(an opacity nobody writes), and this ``write_pdf`` finisher turns each marked run into fill+stroke
text (``2 Tr``) stroked at 1/32 em in its own colour, and the mark back into full opacity.
"""

from __future__ import annotations

import re

import pydyf

MARK = 0.999  # the opacity brief.css gives bold FangSong; see .synthetic-bold there
STROKE = 1 / 32  # of the font size: about the stem a bold face adds
_TF = re.compile(rb"/\S+ ([\d.]+) Tf$")
_GS = re.compile(rb"/(\S+) gs$")
_FILL = re.compile(rb"([\d.]+ [\d.]+ [\d.]+) rg$")
_STROKE = re.compile(rb"([\d.]+ [\d.]+ [\d.]+) RG$")
_WIDTH = re.compile(rb"([\d.]+) w$")


def embolden(document, pdf: pydyf.PDF) -> None:
    """Draw the text marked MARK as fill+stroke text, and make the mark's opacity full again."""
    marks = set()
    for item in pdf.objects:
        states = item.get("ExtGState") if isinstance(item, pydyf.Dictionary) else None
        for name, state in (states or {}).items():
            if isinstance(state, pydyf.Dictionary) and state.get("ca") == MARK:
                state["ca"] = 1
                marks.add(name.encode())
    if marks:
        for item in pdf.objects:
            if isinstance(item, pydyf.Stream) and b"BT" in item.stream:
                item.stream = _stroked(item.stream, marks)


def _stroked(commands: list, marks: set[bytes]) -> list:
    """Return content-stream ``commands`` with the runs drawn under a marked state stroked as well."""
    out: list = []
    marked, fill, stroke, width, size = False, b"0 0 0", b"0 0 0", b"1", 16.0
    saved = []
    for command in commands:
        line = command.encode() if isinstance(command, str) else command
        out.append(command)
        if not isinstance(line, bytes):
            continue
        if line == b"q":
            saved.append((marked, fill, stroke, width))
        elif line == b"Q" and saved:
            marked, fill, stroke, width = saved.pop()
        elif m := _GS.match(line):
            if (m.group(1) in marks) != marked:
                marked = not marked
                out += [b"2 Tr", fill + b" RG", f"{size * STROKE:.3f} w".encode()] if marked else \
                    [b"0 Tr", stroke + b" RG", width + b" w"]
        elif m := _FILL.match(line):
            fill = m.group(1)
            if marked:
                out.append(fill + b" RG")
        elif m := _STROKE.match(line):
            stroke = m.group(1)
        elif m := _WIDTH.match(line):
            width = m.group(1)
        elif m := _TF.match(line):
            size = float(m.group(1))
            if marked:
                out.append(f"{size * STROKE:.3f} w".encode())
    return out
