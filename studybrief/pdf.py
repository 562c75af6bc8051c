"""Render a brief's HTML to PDF with WeasyPrint: embedded CJK subsets, bookmarks, metadata."""

from __future__ import annotations

import hashlib
from pathlib import Path

from .errors import Problem, TemplateError
from .fonts import font_face_css, font_files

# Pango breaks lines by Unicode rules, which class “ ” ‘ ’ as ambiguous quotes that may end or
# start a line. Chinese typesetting forbids both, so a word joiner ties each quote to its text.
_KINSOKU = str.maketrans({"“": "“\u2060", "‘": "‘\u2060", "”": "\u2060”", "’": "\u2060’"})


def _fetcher_class():
    from weasyprint.urls import FatalURLFetchingError, URLFetcher

    class Refused(FatalURLFetchingError):
        """Raised for any resource but the font files: templates reach no file and no network."""

    class FontsOnly(URLFetcher):
        """Fetch the font files we embed and refuse everything else."""

        def fetch(self, url, headers=None):
            if url in font_files():
                return super().fetch(url, headers)
            raise Refused(url)

    return FontsOnly, Refused


def pdf_bytes(html: str, source: Path) -> tuple[bytes, int]:
    """Return ``html`` rendered as a PDF, and its number of pages.

    ``source`` names the template folder in error messages. The PDF identifier is derived from
    the HTML, so the same brief always gives the same bytes.
    """
    from weasyprint import CSS, HTML
    from weasyprint.text.fonts import FontConfiguration

    fetcher_class, refused = _fetcher_class()
    fetcher = fetcher_class(allowed_protocols={"file"})
    fonts = FontConfiguration()
    try:
        document = HTML(string=html.translate(_KINSOKU), url_fetcher=fetcher, base_url=None).render(
            stylesheets=[CSS(string=font_face_css(), font_config=fonts, url_fetcher=fetcher)], font_config=fonts)
        data = document.write_pdf(pdf_identifier=hashlib.sha256(html.encode()).hexdigest()[:32].encode())
    except refused as e:
        raise TemplateError(Problem(source, None, f"template may not load '{e}': no files, no network")) from e
    return data, len(document.pages)
