"""Load seeds/articles.yaml: which articles each seed file holds, where, and what noise to drop."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from .errors import Problem
from .i18n import _
from .identifiers import ARTICLE_ID, identifier_problem
from .model import REGISTRY, Article
from .schema import is_date, validate
from .yamlfile import Mapping, load

REGISTRY_FILE = Path("seeds") / "articles.yaml"
_SPAN = re.compile(r"^\s*(\d+)\s*(?:-\s*(\d+))?\s*$")


def _span(text: object) -> tuple[int, int] | None:
    match = _SPAN.match(str(text))
    if not match:
        return None
    first = int(match.group(1))
    return first, int(match.group(2) or first)


def _check_files(entries: list[Mapping], root: Path, path: Path) -> tuple[dict[str, list[str]], list[Problem]]:
    """Return the lines of every listed seed file whose checksum matches, and the problems."""
    problems, files = [], {}
    listed = {e["file"] for e in entries}
    for entry in entries:
        seed = root / "seeds" / entry["file"]
        if not seed.is_file():
            problems.append(Problem(path, entry.line, _("seed file seeds/{file} is missing; copy it back unchanged").format(file=entry["file"])))
            continue
        data = seed.read_bytes()
        if hashlib.sha256(data).hexdigest() != entry["sha256"]:
            problems.append(Problem(path, entry.line_of("sha256"),
                                    _("seeds/{file} was edited: its checksum no longer matches; restore the original")
                                    .format(file=entry["file"])))
        files[entry["file"]] = data.decode("utf-8", errors="replace").split("\n")
        original = root / "seeds" / entry["original"] if entry.get("original") else None
        if original and (not original.is_file() or hashlib.sha256(original.read_bytes()).hexdigest() != entry.get("original_sha256")):
            problems.append(Problem(path, entry.line_of("original"),
                                    _("seeds/{file} is missing or was edited; restore the original as received").format(
                                        file=entry["original"])))
        for item in entry.get("noise") or []:
            part = _span(item["lines"])
            if part is None or not 1 <= part[0] <= part[1] <= len(files[entry["file"]]):
                problems.append(Problem(path, item.line_of("lines"), _("noise lines '{lines}' out of range of {file}").format(
                    lines=item["lines"], file=entry["file"])))
    for seed in sorted((root / "seeds").glob("*.txt")):
        if seed.name not in listed:
            problems.append(Problem(path, 1, _("seed file seeds/{file} is not listed under 'files'").format(file=seed.name)))
    return files, problems


def _article(entry: Mapping, files: dict[str, list[str]], path: Path) -> tuple[Article | None, list[Problem]]:
    problems = []
    lines = files.get(entry["file"])
    if lines is None:
        return None, [Problem(path, entry.line_of("file"), _("article {id}: unknown seed file '{file}'").format(
            id=entry["id"], file=entry["file"]))]
    span = _span(entry["lines"])
    if span is None or not (1 <= span[0] <= span[1] <= len(lines)):
        return None, [Problem(path, entry.line_of("lines"),
                              _("article {id}: lines '{lines}' out of range 1-{last} of {file}").format(
                                  id=entry["id"], lines=entry["lines"], last=len(lines), file=entry["file"]))]
    noise, joins = [], {}
    for item in entry.get("noise") or []:
        part = _span(item["lines"])
        if part is None or not (span[0] <= part[0] <= part[1] <= span[1]):
            problems.append(Problem(path, item.line_of("lines"),
                                    _("article {id}: noise lines '{noise}' lie outside the article's lines {lines}").format(
                                        id=entry["id"], noise=item["lines"], lines=entry["lines"])))
            continue
        if item.get("continues") is None:
            noise.append((part[0], part[1], item["kind"]))
            continue
        after = _span(item["continues"])
        if after is None or after[0] != after[1] or not span[0] <= after[0] <= span[1] or part[0] <= after[0] <= part[1]:
            problems.append(Problem(path, item.line_of("continues"), _("article {id}: continues '{line}' is not one other "
                                                                       "line of the article").format(
                                                                           id=entry["id"], line=item["continues"])))
            continue
        joins[after[0]] = part
    wrong = identifier_problem(entry["id"], ARTICLE_ID)  # lessons drafted from it are named after it
    if wrong:
        problems.append(Problem(path, entry.line_of("id"), wrong))
    if entry.get("date") is not None and not is_date(entry["date"]):
        problems.append(Problem(path, entry.line_of("date"), _("article {id}: date must be a real date written YYYY-MM-DD, "
                                                              "or null when the text does not give it, not '{value}'")
                                .format(id=entry["id"], value=entry["date"])))
    if entry["kind"] not in ("N", "R"):
        problems.append(Problem(path, entry.line_of("kind"), _("article {id}: kind must be N or R, not '{kind}'").format(
            id=entry["id"], kind=entry["kind"])))
    for key in ("script", "seed_script"):
        if entry.get(key, "simplified") not in ("simplified", "traditional"):
            problems.append(Problem(path, entry.line_of(key), _("article {id}: {key} must be simplified or traditional").format(
                id=entry["id"], key=key)))
    noisy = {n for first, last, _ in noise for n in range(first, last + 1)}
    moved = {n for first, last in joins.values() for n in range(first, last + 1)}
    body = []
    for n in range(span[0], span[1] + 1):
        if n not in noisy | moved:  # a displaced line is read right after the line it continues
            first, last = joins.get(n, (n + 1, n))
            body += [(n, lines[n - 1])] + [(m, lines[m - 1]) for m in range(first, last + 1)]
    fields = {k: entry.get(k) for k in ("title", "outlet", "date", "kind", "script", "supplied_title",
                                         "subtitle", "kicker", "column", "page", "notes", "seed_script",
                                         "obtained", "city")}
    return Article(id=entry["id"], file=entry["file"], first=span[0], last=span[1], authors=list(entry["authors"] or []),
                   noise=noise, line=entry.line, body=tuple(body), **fields), problems


def article_lines(root: Path, article: Article) -> list[tuple[int, str, str | None]]:
    """Return each line of ``article`` in its seed file: its number, its text and its noise kind (None if text)."""
    lines = (root / "seeds" / article.file).read_bytes().decode("utf-8", errors="replace").split("\n")
    kinds = {n: kind for first, last, kind in article.noise for n in range(first, last + 1)}
    return [(n, lines[n - 1].rstrip("\r"), kinds.get(n)) for n in range(article.first, article.last + 1)]


def load_articles(root: Path) -> tuple[dict[str, Article], list[Problem]]:
    """Return the articles of the registry under ``root``, and every problem found."""
    path = root / REGISTRY_FILE
    document = load(path, root)
    problems = validate(document, REGISTRY, path)
    if problems:
        return {}, problems
    files, problems = _check_files(document["files"], root, path)
    articles: dict[str, Article] = {}
    taken: dict[str, list[tuple[int, int, str]]] = {}
    for entry in document["articles"]:
        if entry["id"] in articles:
            problems.append(Problem(path, entry.line_of("id"), _("duplicate article id '{id}'").format(id=entry["id"])))
            continue
        article, found = _article(entry, files, path)
        problems += found
        if article is None:
            continue
        for first, last, other in taken.get(article.file, []):
            if first <= article.last and article.first <= last:
                problems.append(Problem(path, entry.line_of("lines"),
                                        _("article {id}: lines {first}-{last} overlap article {other}").format(
                                            id=article.id, first=article.first, last=article.last, other=other)))
        taken.setdefault(article.file, []).append((article.first, article.last, article.id))
        articles[article.id] = article
    return articles, problems
