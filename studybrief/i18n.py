"""Messages in the reader's language: gettext catalogs under studybrief/locale, read from their .po files.

The command line follows the locale (``LANG=zh_CN.UTF-8`` gives Chinese, anything else English);
the studio speaks Chinese. The language is held per thread of work, so one server answers each
request in its own. ``pybabel extract`` finds every message marked with ``_``.
"""

from __future__ import annotations

import contextvars
import gettext
import io
import os
from functools import cache
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

LOCALES = Path(__file__).parent / "locale"
DOMAIN = "studybrief"
CHINESE = "zh_CN"
_language: contextvars.ContextVar[str | None] = contextvars.ContextVar("language", default=None)


@cache
def translations(language: str) -> gettext.NullTranslations:
    """Return the catalog of ``language``, compiled in memory from its .po file (no build step, no stale .mo)."""
    po = LOCALES / language / "LC_MESSAGES" / f"{DOMAIN}.po"
    if not po.is_file():
        return gettext.NullTranslations()
    with po.open("rb") as file:
        catalog = read_po(file, locale=language)
    compiled = io.BytesIO()
    write_mo(compiled, catalog)
    compiled.seek(0)
    return gettext.GNUTranslations(compiled)


def use(language: str | None) -> None:
    """Speak ``language`` (e.g. zh_CN; None: the source's English) in this thread of work from now on."""
    _language.set(language)


def from_environment() -> str | None:
    """Return the language the locale asks for: Chinese for any zh locale, else None (English)."""
    for variable in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(variable)
        if value:
            return CHINESE if value.lower().startswith("zh") else None
    return None


def _(message: str) -> str:
    """Return ``message`` in the current language."""
    language = _language.get()
    return translations(language).gettext(message) if language else message


def ngettext(singular: str, plural: str, count: int) -> str:
    """Return the form of the message for ``count`` in the current language."""
    language = _language.get()
    if language:
        return translations(language).ngettext(singular, plural, count)
    return singular if count == 1 else plural


def N_(message: str) -> str:
    """Mark ``message`` for the catalog, to be translated where it is shown (a declared key's documentation)."""
    return message
