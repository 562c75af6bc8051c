"""Render a brief's HTML to PDF with WeasyPrint: embedded CJK subsets, bookmarks, metadata.

WeasyPrint keeps every laid-out page in memory until it writes, about a megabyte a page. A brief
longer than PART_LESSONS lessons is therefore laid out in parts (in a fresh interpreter), each
continuing the page count of the one before, and the parts are joined: memory stays bounded and
time grows linearly. The joined brief reads like one: page numbers run on, the contents shows
every page number (a second pass fills them in), links and bookmarks reach every part, and one
structure tree tags every page.
"""

from __future__ import annotations

import atexit
import copy
import hashlib
import os
import pickle
import re
import subprocess
import sys
import threading
import zlib
from functools import cache
from pathlib import Path
from urllib.parse import urlparse
from urllib.request import url2pathname

import lxml.html

from . import contents
from .bold import embolden
from .departments import BASE
from .embedding import compact
from .errors import BriefError, Problem, TemplateError
from .faces import Face
from .fonts import font_face_css, font_files
from .i18n import _
from .join import ELSEWHERE, Mark, join
from .justify import install as justify_between_characters

PART_LESSONS = 80


def _finish(document, pdf) -> None:
    """Stroke bold FangSong (FandolFang has no bold face) and embed only the glyphs drawn."""
    embolden(document, pdf)
    compact(document, pdf)


# Tagged for screen readers and reflow (PDF/UA structure).
_OPTIONS = {"finisher": _finish, "pdf_tags": True}
# Pango lets a line end after “ or start with ” next to Chinese text (Unicode's rule LB19a);
# Chinese typesetting forbids both, so each quotation mark is tied to the character it embraces.
_TAG = re.compile(r"(<[^>]*>)")
_STYLE = re.compile(r"<style[^>]*>.*?</style>", re.S)
_QUOTED = re.compile(r"[“‘]+(?:&#?\w+;|[^&<])[”’]*|(?:&#?\w+;|[^&<“‘])[”’]+")



def _tie_quotes(html: str) -> str:
    """Return ``html`` with each quotation mark and its neighbour in an unbreakable span."""
    head, body = html.split("<body", 1)
    pieces = _TAG.split(body)
    for i in range(2, len(pieces), 2):  # the text between tags, after the <body ...> tag itself
        pieces[i] = _QUOTED.sub(lambda m: f'<span style="white-space: nowrap">{m.group()}</span>', pieces[i])
    return head + "<body" + "".join(pieces)


class _Zlib:
    """zlib as pydyf sees it: level 6 instead of its fixed 9, a tenth of a PDF's CPU for 0.3 % in size."""

    compress, error = staticmethod(zlib.compress), zlib.error

    @staticmethod
    def compressobj(level: int = 6, *args, **kwargs):
        return zlib.compressobj(6, *args, **kwargs)


@cache
def _engine(faces: tuple[Face, ...]):
    """Return the fetcher class, its refusal, the font configuration and the @font-face sheet, made once per process.

    A font configuration per document re-read every @font-face and reset Pango's caches each time.
    """
    import pydyf
    from weasyprint import CSS
    from weasyprint.text.fonts import FontConfiguration
    from weasyprint.urls import FatalURLFetchingError, URLFetcher

    pydyf.zlib = _Zlib
    justify_between_characters()
    allowed = font_files() | {face.path.as_uri() for face in faces}

    class Refused(FatalURLFetchingError):
        """Raised for any resource but the fonts and a department's files: no other file, no network."""

    class Confined(URLFetcher):
        """Fetch the font files we embed and files inside ``folders``; refuse everything else."""

        def __init__(self, folders: tuple[Path, ...] = ()) -> None:
            super().__init__(allowed_protocols={"file"})
            self.folders = tuple(folder.resolve() for folder in folders)

        def fetch(self, url, headers=None):
            if url in allowed or (url.startswith("file:") and any(
                    Path(url2pathname(urlparse(url).path)).resolve().is_relative_to(f) for f in self.folders)):
                return super().fetch(url, headers)
            raise Refused(url)

    fonts = FontConfiguration()
    css = font_face_css() + "".join(
        f'@font-face {{ font-family: "{face.family}"; font-weight: {"bold" if face.weight == "bold" else "normal"}; '
        f'src: url("{face.path.as_uri()}"); }}\n' for face in faces)
    return Confined, Refused, fonts, CSS(string=css, font_config=fonts, url_fetcher=Confined())


def _prefer(html: str, faces: tuple[Face, ...]) -> str:
    """Return ``html`` with each family its styles name preceded by its shrunk face.

    The original stays in the list, so a character the shrunk face lacks still comes from it.
    """
    families = {face.original: face.family for face in faces}
    if not families:
        return html
    named = re.compile("|".join(f'"{re.escape(original)}"' for original in families))
    return _STYLE.sub(lambda style: named.sub(lambda m: f'"{families[m.group()[1:-1]]}", {m.group()}', style.group()), html)


atexit.register(_engine.cache_clear)  # the configuration removes its font folder while the interpreter still can


def _render(html: str, source: Path, faces: tuple[Face, ...], extra_css: str = ""):
    """Return the laid-out WeasyPrint document of ``html``, its contents closed up if a few lines would spill."""
    document = _layout(html, source, faces, extra_css)
    if closer := contents.tighter(document):
        closed = _layout(html, source, faces, extra_css + closer)
        if len(contents.spread(closed)) < len(contents.spread(document)):
            return closed
    return document


def _layout(html: str, source: Path, faces: tuple[Face, ...], extra_css: str = ""):
    """Return the laid-out WeasyPrint document of ``html`` as it stands."""
    from weasyprint import CSS, HTML

    fetcher_class, refused, fonts, sheet = _engine(faces)
    fetcher = fetcher_class((source, source.parent / BASE))  # a department's emblem, nothing beyond
    sheets = [sheet, CSS(string=extra_css, font_config=fonts, url_fetcher=fetcher)] if extra_css else [sheet]
    try:
        return HTML(string=_tie_quotes(_prefer(html, faces)), url_fetcher=fetcher, base_url=None).render(
            stylesheets=sheets, font_config=fonts)
    except refused as e:
        raise TemplateError(Problem(source, None, _("template may not load '{url}': no files, no network").format(url=e))) from e


def _identifier(html: str) -> bytes:
    """Return the PDF identifier: derived from the HTML, so the same brief always gives the same bytes."""
    return hashlib.sha256(html.encode()).hexdigest()[:32].encode()


def pdf_bytes(html: str, source: Path, faces: tuple[Face, ...] = ()) -> tuple[bytes, int]:
    """Return ``html`` rendered as a PDF, and its number of pages; ``source`` names the template folder."""
    parts = split(html)
    if len(parts) == 1:
        document = _render(html, source, faces)
        return document.write_pdf(pdf_identifier=_identifier(html), **_OPTIONS), len(document.pages)
    return _join(parts, html, source, faces)


def page_count(html: str, source: Path, faces: tuple[Face, ...] = ()) -> int:
    """Return how many pages ``html`` lays out to, without writing the PDF (the shrunk faces lay out alike)."""
    return len(_render(html, source, faces).pages)


def split(html: str, size: int | None = None) -> list[str]:
    """Return ``html`` cut into documents of at most ``size`` lessons each; a short brief stays whole.

    What stands between lessons (masthead and contents before the first, index and references after
    the last) goes with the lesson before it; a section cut in two keeps its heading where it starts.
    A link to an anchor in another part is marked to be joined (see join.ELSEWHERE).
    """
    size = size or PART_LESSONS
    tree = lxml.html.document_fromstring(html)
    lessons = tree.findall(".//article")
    if len(lessons) <= size:
        return [html]
    for index, lesson in enumerate(lessons):
        lesson.set("data-n", str(index))
    anchors = set(tree.xpath("//@id"))
    parts = []
    for start in range(0, len(lessons), size):
        part = copy.deepcopy(tree)
        body, seen = part.find("body"), -1
        for top in list(body):
            held = [int(x.get("data-n")) for x in top.iter("article")]
            if not held:
                if max(seen, 0) // size != start // size:
                    body.remove(top)
                continue
            seen = held[-1]
            if not any(start <= n < start + size for n in held):
                body.remove(top)
                continue
            for lesson in list(top.iter("article")):
                if not start <= int(lesson.get("data-n")) < start + size:
                    lesson.getparent().remove(lesson)
            if held[0] < start:  # this part continues a section begun in the part before
                for heading in top.findall("h1"):
                    top.remove(heading)
        for lesson in part.iter("article"):
            del lesson.attrib["data-n"]
        here = set(part.xpath("//@id"))
        for link in part.xpath("//a[starts-with(@href, '#')]"):
            if (target := link.get("href")[1:]) not in here and target in anchors:
                link.set("href", ELSEWHERE + target)
        parts.append(lxml.html.tostring(part, encoding="unicode", doctype="<!DOCTYPE html>"))
    return parts


def _join(parts: list[str], html: str, source: Path, faces: tuple[Face, ...]) -> tuple[bytes, int]:
    """Lay out the parts in a fresh interpreter, then join them here.

    WeasyPrint's heap outlives its documents (some 400 MiB after a part of 80 lessons, of which
    malloc gives little back); laid out elsewhere, it ends with that process instead of lying
    under the join's (some 400 MiB more for 2,600 pages).
    """
    package = str(Path(__file__).resolve().parent.parent)  # the child imports this very package
    command = [sys.executable, "-c", "import sys; sys.path.insert(0, sys.argv[1]); from studybrief.pdf import _child; _child()", package]
    with subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE) as child:
        pickle.dump((parts, _identifier(html), source, faces), child.stdin)
        child.stdin.flush()  # but left open until the child is done: it ends when this process does
        laid_out = child.stdout.read()
    if child.returncode:  # anything unexpected: its traceback is on stderr
        raise subprocess.CalledProcessError(child.returncode, command)
    laid_out = pickle.loads(laid_out)
    if isinstance(laid_out, BriefError):
        raise laid_out
    blobs, marks, pages = laid_out
    return join(blobs, marks), pages


def _child() -> None:
    """Lay out the parts as _join's child: arguments from stdin, results to stdout; end at once if stdin closes first.

    Stdin closes when the parent ends, even killed (a build worker the pool terminates): no layout goes on for nobody.
    """
    arguments = pickle.load(sys.stdin.buffer)
    threading.Thread(target=lambda: (sys.stdin.buffer.read(), os._exit(1)), daemon=True).start()
    sys.stdout.buffer.write(pickle.dumps(_lay_out_parts(*arguments)))
    sys.stdout.buffer.flush()
    os._exit(0)  # not a normal exit, which would wait on stdin's lock, held by the thread above


def _lay_out_parts(parts: list[str], identifier: bytes, source: Path,
                   faces: tuple[Face, ...]) -> tuple[list[bytes], list[Mark], int] | BriefError:
    """Return the PDF of each part, numbered on from the one before, their bookmarks and the pages in all (or the error).

    The first part is laid out again once every part's pages are known, to fill in its contents' page numbers.
    """
    try:
        pages_of: dict[str, int] = {}
        blobs, marks, offset = [], [], 0
        for index, part in enumerate(parts):
            css = "" if index == 0 else _continue_at(offset + 1)
            document = _render(part, source, faces, css)
            for number, page in enumerate(document.pages, offset + 1):
                for name in page.anchors:  # a box split over pages is anchored on each: keep the first
                    pages_of.setdefault(name, number)
            blobs.append(document.write_pdf(**_OPTIONS))
            marks.append(_marks(document, offset))
            offset += len(document.pages)
            del document
        document = _render(parts[0], source, faces, _contents_numbers(parts[0], pages_of))
        blobs[0], marks[0] = document.write_pdf(pdf_identifier=identifier, **_OPTIONS), _marks(document, 0)
    except BriefError as e:  # goes back to the parent, which raises it
        return e
    return blobs, [mark for part in marks for mark in part], offset


def _marks(document, offset: int) -> list[Mark]:
    """Return the bookmarks of a part laid out from page ``offset`` on, placed as WeasyPrint places them (0.75 pt a px)."""
    return [Mark(number, level, label, x * 0.75, (page.height - y) * 0.75, state == "closed")
            for number, page in enumerate(document.pages, offset) for level, label, (x, y), state in page.bookmarks]


def _continue_at(page: int) -> str:
    """Return CSS starting a part at ``page``: its number, and its side (even pages are left pages)."""
    side = "left" if page % 2 == 0 else "right"
    return f"@page :first {{ counter-reset: page {page}; }} html {{ break-before: {side}; }}"


def _contents_numbers(first_part: str, pages_of: dict[str, int]) -> str:
    """Return CSS writing each contents entry's page number, found by laying out every part."""
    tree = lxml.html.document_fromstring(first_part)
    rules = []
    for link in tree.findall(".//nav//a"):
        href = link.get("href", "")
        if (target := href.removeprefix("#").removeprefix(ELSEWHERE)) in pages_of:
            rules.append(f'nav a[href="{href}"]::after {{ content: leader("·") "{pages_of[target]}" !important; }}')
    return "\n".join(rules)
