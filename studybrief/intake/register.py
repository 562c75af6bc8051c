"""Register received files: store each original under seeds/, append its articles to seeds/articles.yaml.

What is written is what a person would otherwise type by hand, and it is validated by the
registry's own loader before anything touches seeds/: on any problem nothing is written.
"""

from __future__ import annotations

import hashlib
import io
import re
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.scalarstring import DoubleQuotedScalarString

from ..errors import ConflictError, ContentError, Problem
from ..i18n import _
from ..model import ARTICLE
from ..output import write_atomic
from ..registry import REGISTRY_FILE, load_articles
from ..yamlfile import parse
from .detect import Found, Page, detect
from .extract import Received, receive

_NUMBERED = re.compile(r"^(\d+)_")
# What a reviewer may correct before anything is written; the registry's loader then holds it to its rules.
EDITABLE = ("id", "title", "outlet", "authors", "date", "page", "notes")
_ADDING = threading.Lock()


@dataclass
class Registered:
    """One received file and what the detector decided about it, ready to be written."""

    received: Received
    seed: str  # the text checks match against, under seeds/
    original: str | None  # the original beside it, when the text had to be derived
    page: Page
    ids: list[str]
    entries: str = ""  # the registry entries written for it, as YAML


def _yaml() -> YAML:
    yaml = YAML()  # round-trip: the registry's comments and layout survive the append
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.width = 4096
    yaml.preserve_quotes = True
    yaml.representer.add_representer(type(None), lambda r, _: r.represent_scalar("tag:yaml.org,2002:null", "null"))
    return yaml


def _flow(items: list[str]) -> CommentedSeq:
    seq = CommentedSeq(items)
    seq.fa.set_flow_style()
    return seq


def _ranges(noise: dict[int, tuple[str, str]], lines: list[str]) -> list[CommentedMap]:
    """Return noise lines as registry items, lines of one reason with only blank lines between joined into a range."""
    items: list[list] = []
    for n in sorted(noise):
        if items and items[-1][2] == noise[n] and not any(lines[m - 1].strip() for m in range(items[-1][1] + 1, n)):
            items[-1][1] = n
        else:
            items.append([n, n, noise[n]])
    return [CommentedMap(lines=DoubleQuotedScalarString(a) if a == b else f"{a}-{b}", kind=kind, note=reason) for a, b, (kind, reason) in items]


def _article_entry(article: Found, article_id: str, seed: str, lines: list[str]) -> CommentedMap:
    meta = article.meta
    entry = CommentedMap(id=article_id, file=seed, lines=f"{article.first}-{article.last}", title=meta["title"])
    for key in ("supplied_title", "subtitle", "kicker", "column"):
        if meta.get(key):
            entry[key] = meta[key]
    entry.update(outlet=meta["outlet"], authors=_flow(meta["authors"]) if meta["authors"] else None, date=meta["date"],
                 kind=meta["kind"], script=meta["script"])
    entry["notes"] = "; ".join(["found by build.py add-article, to be reviewed", *article.notes])
    if article.noise:
        entry["noise"] = _ranges(article.noise, lines)
    return entry


def _correct(entry: CommentedMap, values: dict[str, object]) -> None:
    """Set the values a reviewer gave for the keys of EDITABLE; an emptied one is null, or left out where optional."""
    for key in EDITABLE:
        if key not in values:
            continue
        value = values[key]
        if key == "authors":
            value = _flow(list(value)) if value else None
        elif isinstance(value, str):
            value = value.strip() or None
        if value is None and key in ("page", "notes"):
            entry.pop(key, None)
            continue
        value = DoubleQuotedScalarString(value) if key == "date" and value else value
        new = key not in entry
        entry[key] = value
        if new:  # where the registry's declaration puts it: the keys declared after it move behind it
            order = list(ARTICLE.fields)
            for later in [k for k in entry if order.index(k) > order.index(key)]:
                entry[later] = entry.pop(later)


def version(root: Path) -> str:
    """Return the version of the registry: the checksum of its bytes, so a review is written only onto what it saw."""
    return hashlib.sha256((root / REGISTRY_FILE).read_bytes()).hexdigest()[:16]


def _file_entry(item: Registered) -> CommentedMap:
    entry = CommentedMap(file=item.seed, sha256=hashlib.sha256(item.received.text.encode()).hexdigest())
    if item.original:
        entry.update(original=item.original, original_sha256=hashlib.sha256(item.received.data).hexdigest())
    if item.page.noise:
        entry["noise"] = _ranges(item.page.noise, item.received.text.split("\n"))
    return entry


def _plan(root: Path, paths: list[Path], document) -> tuple[list[Registered], list[Problem]]:
    """Return what each path would become, and every reason to refuse."""
    problems: list[Problem] = []
    known = {e.get(k) for e in document["files"] for k in ("sha256", "original_sha256")}
    ids = {a["id"] for a in document["articles"]}
    taken = [int(m[1]) for p in (root / "seeds").iterdir() if (m := _NUMBERED.match(p.name))]
    number = max(taken, default=-1) + 1
    planned: list[Registered] = []
    seen: dict[str, Path] = {}
    for path in paths:
        try:
            received = receive(path)
        except ContentError as e:
            problems += e.problems
            continue
        digest = hashlib.sha256(received.data).hexdigest()
        text_digest = hashlib.sha256(received.text.encode()).hexdigest()
        if digest in seen:
            problems.append(Problem(path, None, _("given twice (same content as {path}); nothing written").format(path=seen[digest])))
            continue
        seen[digest] = path
        if digest in known or text_digest in known:
            problems.append(Problem(path, None, _("already registered in seeds/articles.yaml (same checksum); nothing written")))
            continue
        stem = f"{number:03d}_{digest[:16]}"
        original = None if received.how == "utf-8" else stem + (".gb18030" if received.how == "gb18030" else path.suffix.lower())
        for name in filter(None, (stem + ".txt", original)):
            if (root / "seeds" / name).exists():
                problems.append(Problem(path, None, _("seeds/{name} already exists; nothing written").format(name=name)))
        page = detect(received.text.split("\n"))
        if not page.articles:
            problems.append(Problem(path, None, _("no article text found in the file; nothing written")))
            continue
        names = [f"article-{number:03d}" + (f"-{k}" if len(page.articles) > 1 else "") for k in range(1, len(page.articles) + 1)]
        problems += [Problem(path, None, _("article id '{id}' is already registered; nothing written").format(id=i)) for i in names if i in ids]
        planned.append(Registered(received, stem + ".txt", original, page, names))
        number += 1
    return planned, problems


def _validate(root: Path, text: str, planned: list[Registered]) -> None:
    """Raise ContentError unless the registry's own loader accepts ``text`` with the new seeds beside the old."""
    with tempfile.TemporaryDirectory() as tmp:
        seeds = Path(tmp) / "seeds"
        seeds.mkdir()
        for existing in (root / "seeds").iterdir():
            if existing.is_file():
                (seeds / existing.name).symlink_to(existing.resolve())
        for item in planned:
            (seeds / item.seed).write_text(item.received.text, encoding="utf-8")
            if item.original:
                (seeds / item.original).write_bytes(item.received.data)
        (seeds / "articles.yaml").unlink(missing_ok=True)
        (seeds / "articles.yaml").write_text(text, encoding="utf-8")
        _articles, problems = load_articles(Path(tmp))
    if problems:
        raise ContentError([Problem(root / REGISTRY_FILE, p.line, _("{message} (in the entry add-article would write; nothing written)")
                            .format(message=p.message))
                            for p in problems])


def add_articles(root: Path, paths: list[Path], dry_run: bool = False, corrections: dict[str, dict] | None = None,
                 expected: str | None = None) -> list[Registered]:
    """Register ``paths`` under ``root``; return what was decided. Raise ContentError, writing nothing, on any problem.

    ``corrections`` maps a planned article id to the values a reviewer gave (keys of EDITABLE). With
    ``expected``, raise ConflictError unless the registry is still at that version (someone else added meanwhile).
    """
    with _ADDING:
        registry = root / REGISTRY_FILE
        if expected is not None and version(root) != expected:
            raise ConflictError(Problem(registry, None, _("articles were added by someone else since you uploaded this file; "
                                                          "upload it again to review what would be written now")))
        return _add(root, paths, dry_run, corrections or {})


def _add(root: Path, paths: list[Path], dry_run: bool, corrections: dict[str, dict]) -> list[Registered]:
    registry = root / REGISTRY_FILE
    text = registry.read_text(encoding="utf-8")
    parse(text, registry)  # a registry the loader refuses is reported as the loader reports it
    yaml = _yaml()
    document = yaml.load(text)
    planned, problems = _plan(root, paths, document)
    if problems:
        raise ContentError(problems)
    for item in planned:
        added = CommentedMap(files=[_file_entry(item)], articles=[])
        document["files"].append(added["files"][0])
        for k, (article, article_id) in enumerate(zip(item.page.articles, item.ids, strict=True)):
            entry = _article_entry(article, article_id, item.seed, item.received.text.split("\n"))
            _correct(entry, corrections.get(article_id, {}))
            item.ids[k] = entry["id"]
            added["articles"].append(entry)
            document["articles"].append(entry)
            document["articles"].yaml_set_comment_before_after_key(len(document["articles"]) - 1, before="\n")
        shown = io.StringIO()
        yaml.dump(added, shown)
        item.entries = shown.getvalue()
    out = io.StringIO()
    yaml.dump(document, out)
    new_text = out.getvalue()
    _validate(root, new_text, planned)
    if dry_run:
        return planned
    written: list[Path] = []
    try:
        for item in planned:
            for name, data in ((item.seed, item.received.text.encode()), (item.original, item.received.data)):
                if name:
                    write_atomic(root / "seeds" / name, data)
                    written.append(root / "seeds" / name)
        write_atomic(registry, new_text.encode())
    except BaseException:
        for path in written:
            path.unlink(missing_ok=True)
        raise
    return planned


def report(planned: list[Registered]) -> list[str]:
    """Return the decisions a person reviews: articles, spans, noise with reasons, metadata and what stayed null."""
    out = []
    for item in planned:
        out.append(_("{path} -> seeds/{seed} (text derived from {original}, {how})").format(
            path=item.received.path, seed=item.seed, original=item.original, how=item.received.how) if item.original else
            _("{path} -> seeds/{seed}").format(path=item.received.path, seed=item.seed))
        for n, (kind, reason) in sorted(item.page.noise.items()):
            out.append(_("  line {line}: noise outside every article ({kind}): {reason}").format(line=n, kind=kind, reason=reason))
        for article, article_id in zip(item.page.articles, item.ids, strict=True):
            out.append(_("  article {id}: lines {first}-{last}").format(id=article_id, first=article.first, last=article.last))
            for key, value in article.meta.items():
                shown = "null" if value is None else ", ".join(value) if isinstance(value, list) else value
                out.append(f"    {key}: {shown}")
            for n, (kind, reason) in sorted(article.noise.items()):
                out.append(_("    line {line}: noise ({kind}): {reason}").format(line=n, kind=kind, reason=reason))
            out += [_("    note: {note}").format(note=note) for note in article.notes]
    return out
