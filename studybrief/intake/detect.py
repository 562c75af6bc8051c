"""Find the articles in a page of text and the lines that are not article text, each with a reason.

Bylines and datelines start an article and the short lines above them are its headline; captions,
credits, editor lines, banners and spam are noise, and so is text the layout displaced or carried
over from another page. What each article states about itself is read by ``metadata``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..i18n import N_
from .genre import CONTINUED, HEAD_MAX, NUMBERED, PROSE, SHORT, complete, fold, marker, noise_of
from .metadata import describe


@dataclass
class Found:
    """One article found in a file: its span, its noise lines with reasons, and its metadata."""

    first: int
    last: int
    noise: dict[int, tuple[str, str]] = field(default_factory=dict)
    meta: dict[str, object] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)


@dataclass
class Page:
    """What the detector decided about one file."""

    articles: list[Found]
    noise: dict[int, tuple[str, str]]  # lines outside every article


def _heads(text: dict[int, str], numbers: list[int], noise: dict, i: int) -> int:
    """Return the first line of the headline block above the marker ``numbers[i]``, marking a column heading."""
    n = head = numbers[i]
    for m in reversed(numbers[max(0, i - 3):i]):
        if m in noise or marker(text[m]) or len(text[m]) > HEAD_MAX or complete(text[m]) and not text[m].endswith(("?", "!")):
            break
        if len(text[m]) <= 4 and head == n:  # a four-character line right above a news item is its column
            noise[m] = ("furniture", N_("column heading"))
            break
        head = m
    return head


def _displaced(text: dict[int, str], numbers: list[int], noise: dict) -> None:
    """Mark text the layout put out of place: a repeated paragraph, a stray sentence tail or caption."""
    seen: dict[str, int] = {}
    for i, n in enumerate(numbers):
        if n in noise:
            continue
        before = next((text[m] for m in reversed(numbers[:i]) if m not in noise), "")
        if len(text[n]) >= SHORT and text[n] in seen:
            first = seen[text[n]]
            earlier = next((text[m] for m in reversed(numbers[:numbers.index(first)]) if m not in noise), "")
            # the copy that interrupts a sentence is the displaced one; otherwise the earlier
            stray = n if before and not complete(before) and complete(earlier) else first
            noise[stray] = ("layout", N_("paragraph printed twice by the layout"))
            continue
        seen.setdefault(text[n], n)
        lone = len(text[n]) <= SHORT and text[n].endswith(("。", ".")) and not PROSE.search(text[n])
        after = next((m for m in numbers[i + 1:]), None)
        credited = after in noise and noise[after][1] == "photo credit"
        if lone and i > 0 and (credited or not before or complete(before) or marker(before)) and not NUMBERED.match(text[n]):
            noise[n] = ("caption", N_("a lone short sentence between paragraphs: a caption or a fragment of another text"))


PAGE_LEVEL = (N_("column heading"), N_("continuation of an article from another page"), N_("spam line"))


def detect(lines: list[str]) -> Page:
    """Return the articles of a file given as its lines (line n is ``lines[n - 1]``), their noise and metadata."""
    raw = {n: line for n, line in enumerate(lines, 1) if line.strip()}
    text = {n: fold(line) for n, line in raw.items()}
    numbers = sorted(text)
    noise: dict[int, tuple[str, str]] = {n: kind for n in numbers if (kind := noise_of(text[n]))}
    starts: list[tuple[int, int, int | None]] = []
    chained: set[int] = set()
    for i, n in enumerate(numbers):
        if n in noise or not marker(text[n]):
            continue
        if starts and i and numbers[i - 1] in chained:
            chained.add(n)
            continue  # a byline or dateline right under another marker opens the same article
        chained = {n}
        head = _heads(text, numbers, noise, i)
        starts.append((head, head, n))
    body = [n for n in numbers if n not in noise]
    if starts and any(len(text[n]) > HEAD_MAX for n in body if n < starts[0][0]):
        _, head, start = starts.pop(0)  # a headline and byline printed mid-page, in an article already under way
        noise.update({n: ("metadata", N_("headline printed inside the article")) for n in body if head <= n < start})
        starts.insert(0, (body[0], head, start))
    elif not starts and body:
        starts = [(body[0], body[0], None)]
    for n in numbers:
        if CONTINUED.match(text[n]):  # a continuation from another page runs until the next article
            following = min((h for h, _, _ in starts if h > n), default=numbers[-1] + 1)
            noise.update({m: ("layout", PAGE_LEVEL[1]) for m in numbers if n <= m < following})
    starts = [s for s in starts if s[0] not in noise]
    _displaced(text, numbers, noise)
    found = []
    for i, (first, head, start) in enumerate(starts):
        end = starts[i + 1][0] if i + 1 < len(starts) else numbers[-1] + 1
        own = [n for n in numbers if first <= n < end]
        while own and own[-1] in noise and noise[own[-1]][1] in PAGE_LEVEL:
            own.pop()
        if own:
            article = Found(first, own[-1])
            article.meta, article.notes = describe(text, raw, [n for n in own if n >= head], start, noise)
            above = next((m for m in reversed(numbers) if m < first), None)
            if above in noise and noise[above][1] == "column heading":
                article.meta["column"] = raw[above].strip()
            article.noise = {n: noise[n] for n in own if n in noise}
            found.append(article)
    inside = {n for a in found for n in range(a.first, a.last + 1)}
    return Page(found, {n: kind for n, kind in noise.items() if n not in inside})

