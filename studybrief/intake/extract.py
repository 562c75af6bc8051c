"""Read what staff receive (text, a saved web page, Word, PDF) into the text lines that checks match against.

The original is kept byte for byte; the text is derived from it deterministically, so the same
file always gives the same lines, and a person can see both side by side under seeds/.
"""

from __future__ import annotations

import io
import re
import subprocess
import zipfile
from dataclasses import dataclass
from pathlib import Path

import docx
import lxml.html
from lxml import etree

from ..errors import ContentError, Problem
from ..i18n import _

MAX_BYTES = 20 * 1024 * 1024  # a newspaper page is a few hundred KB; anything this big is not one article
# Elements that are never article text on a saved page: code, styling, navigation and page furniture.
_DROP = ("script", "style", "noscript", "template", "nav", "header", "footer", "aside", "form", "iframe", "svg",
         "button", "select", "head")
_BLOCKS = {"p", "div", "section", "article", "h1", "h2", "h3", "h4", "h5", "h6", "li", "tr", "blockquote", "pre",
           "figcaption", "caption", "dt", "dd", "td", "main", "table", "ul", "ol", "figure", "center"}


_CHARSET = re.compile(rb"""<meta[^>]+charset=["']?([A-Za-z0-9_-]+)""", re.IGNORECASE)


@dataclass(frozen=True)
class Received:
    """A file as received: its bytes, the text derived from them, and how."""

    path: Path
    data: bytes
    text: str
    how: str  # "utf-8", "gb18030", "html", "docx" or "pdf": how the text was derived


def _refuse(path: Path, message: str, line: int | None = None) -> ContentError:
    return ContentError(Problem(path, line, _("{message}; nothing written").format(message=message)))


def _plain(path: Path, data: bytes) -> tuple[str, str]:
    body = data[3:] if data.startswith(b"\xef\xbb\xbf") else data
    try:
        return body.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as e:
        try:
            return body.decode("gb18030"), "gb18030"
        except UnicodeDecodeError:
            line = body[: e.start].count(b"\n") + 1
            raise _refuse(path, _("neither UTF-8 nor GB18030/GBK text: a binary file?"), line) from None


def _html(path: Path, data: bytes) -> str:
    declared = _CHARSET.search(data[:4096])
    encoding = declared.group(1).decode("ascii") if declared else _plain(path, data)[1]
    try:
        tree = lxml.html.document_fromstring(data, parser=lxml.html.HTMLParser(encoding=encoding))
    except (etree.ParserError, ValueError, LookupError) as e:
        raise _refuse(path, _("cannot read the web page: {error}").format(error=e)) from e
    for element in tree.xpath("|".join(f"//{tag}" for tag in _DROP)):
        element.drop_tree()
    for comment in tree.xpath("//comment()"):
        comment.drop_tree()
    for br in tree.iter("br"):
        br.tail = "\n" + (br.tail or "")
    for element in tree.iter():
        if isinstance(element.tag, str) and element.tag in _BLOCKS:
            element.tail = "\n" + (element.tail or "")
            if element.text:
                element.text = "\n" + element.text
    return tree.text_content()


def _docx(path: Path, data: bytes) -> str:
    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise _refuse(path, _("not a Word document: a .docx file is a zip archive and this one is not"))
    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as e:  # python-docx raises several unrelated types for a damaged package
        raise _refuse(path, _("damaged Word document: {error}").format(error=e)) from e
    return "\n".join(p.text for p in document.paragraphs)


def _pdf(path: Path) -> str:
    try:
        done = subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, check=True, timeout=120)
    except FileNotFoundError as e:
        raise _refuse(path, _("reading a PDF needs pdftotext (Debian package poppler-utils)")) from e
    except subprocess.CalledProcessError as e:
        raise _refuse(path, _("cannot read the PDF: {error}").format(error=e.stderr.decode(errors="replace").strip())) from e
    return _unwrap(done.stdout.decode("utf-8"))


def _unwrap(text: str) -> str:
    """Return PDF text with the lines a paragraph was wrapped into joined: a full line not ending a sentence goes on."""
    lines = [line.strip() for line in text.replace("\f", "\n\n").split("\n")]
    widths = sorted(len(line) for line in lines if line)
    full = widths[int(len(widths) * 0.9)] * 0.85 if widths else 0
    out: list[str] = []
    joining = False
    for line in lines:
        if joining and line:
            out[-1] += line
        else:
            out.append(line)
        joining = bool(line) and len(line) >= full and not line.endswith(("。", "！", "？", "”", "!", "?", "…"))
    return "\n".join(out)


def _normalize(text: str) -> str:
    """Return ``text`` with one paragraph per line, blank lines between them, as the seeds are laid out."""
    lines = [" ".join(line.replace("\u3000", " ").split()) for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    kept = [line for line in lines if line]
    return "\n\n".join(kept) + "\n" if kept else ""


def receive(path: Path) -> Received:
    """Return ``path`` read and converted to text, or raise ContentError naming it."""
    if not path.is_file():
        raise _refuse(path, _("no such file"))
    size = path.stat().st_size
    if size > MAX_BYTES:
        raise _refuse(path, _("file is {size:.0f} MB; an article is far smaller (limit {limit} MB)").format(
            size=size / 1024 / 1024, limit=MAX_BYTES // 1024 // 1024))
    data = path.read_bytes()
    if not data.strip():
        raise _refuse(path, _("file is empty"))
    suffix = path.suffix.lower()
    if suffix in (".html", ".htm"):
        text, how = _html(path, data), "html"
    elif suffix == ".docx":
        text, how = _docx(path, data), "docx"
    elif suffix == ".pdf":
        text, how = _pdf(path), "pdf"
    elif suffix in (".txt", ".text", ""):
        if b"\x00" in data:
            raise _refuse(path, _("binary file: it holds NUL bytes, text never does"), data[: data.index(b"\x00")].count(b"\n") + 1)
        text, how = _plain(path, data)
    else:
        raise _refuse(path, _("unknown kind of file '{suffix}': give a .txt, .html, .docx or .pdf file").format(suffix=suffix))
    text = _normalize(text) if how != "utf-8" else text
    if not any(ch.isalpha() for ch in text):
        raise _refuse(path, _("no article text found in the file"))
    return Received(path, data, text, how)
