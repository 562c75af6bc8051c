"""References in the form of GB/T 7714—2025, numbered in order of first citation.

Unknown data is never guessed: a missing outlet becomes the standard's ``[出版者不详]``, a
missing date or page is left out, a title supplied from the text stands in square brackets.
References keep the script of the publication, as the standard asks: a seed that is a
converted copy (``seed_script``) is cited in the script the article was published in.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from .matching import fold, to_simplified
from .model import Article
from .typography import punctuate

MAX_AUTHORS = 3
UNKNOWN_PUBLISHER = "[出版者不详]"
UNKNOWN_PLACE = "[出版地不详]"


def _published(article: Article, text: str) -> str:
    """Return ``text`` of the seed in the script ``article`` was published in."""
    return to_simplified(text) if article.text_script == "traditional" and article.script == "simplified" else text


def _authors(article: Article) -> str:
    names = [_published(article, a) for a in article.authors[:MAX_AUTHORS]]
    text = "，".join(names)
    return text + "，等" if len(article.authors) > MAX_AUTHORS else text


def title_of(article: Article) -> str:
    """Return the title as cited: headline, then the subtitle as other title information after ``：``.

    GB/T 7714 joins them with ``：`` even after a headline's own ``？`` (the standard's examples do so).
    A headline without a printed title gives the supplied title in brackets.
    """
    if article.title:
        title = article.title.rstrip() + (f"：{article.subtitle}" if article.subtitle else "")
    else:
        title = f"[{article.supplied_title or '无题名'}]"
    return punctuate(_published(article, title))


def reference(article: Article) -> str:
    """Return the GB/T 7714 entry for ``article``, without its number."""
    head = f"{_authors(article)}. " if article.authors else ""
    title = title_of(article)
    if article.kind == "R":
        publisher = punctuate(_published(article, article.outlet)) if article.outlet else UNKNOWN_PUBLISHER
        year = f"，{article.date[:4]}" if article.date else ""
        return f"{head}{title}[R]. {UNKNOWN_PLACE}：{publisher}{year}."
    outlet = punctuate(_published(article, article.outlet)) if article.outlet else UNKNOWN_PUBLISHER
    date = "，" + article.date.replace("-", "–") if article.date else ""
    page = f"（{article.page}）" if article.page else ""
    return f"{head}{title}[N]. {outlet}{date}{page}."


@dataclass(frozen=True)
class Reference:
    """A numbered entry of a brief's reference list."""

    number: int
    article: Article
    text: str


def number_references(cited: Iterable[str], articles: dict[str, Article]) -> dict[str, Reference]:
    """Return each cited article's reference, numbered in order of first citation among the ids ``cited``."""
    numbered: dict[str, Reference] = {}
    for article_id in cited:
        if article_id not in numbered:
            article = articles[article_id]
            numbered[article.id] = Reference(len(numbered) + 1, article, reference(article))
    return numbered


_NAMED = re.compile(r"《([^《》]+)》")


def named_articles(text: str, articles: dict[str, Article]) -> list[tuple[int, str]]:
    """Return where prose names an article of ``articles`` by its title in 《》: the end of each name and the id."""
    if "《" not in text:  # most prose names none: no title to fold
        return []
    by_title = {fold(a.title): a.id for a in articles.values() if a.title}
    return [(m.end(), by_title[fold(m.group(1))]) for m in _NAMED.finditer(text) if fold(m.group(1)) in by_title]
