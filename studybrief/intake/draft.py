"""Draft lessons from a registered article: one per section the article itself numbers or heads.

Every pre-filled value is the article's own text, cut at sentence ends from lines the registry
does not mark as noise: headings become titles, sentences with figures become results, each
section's key sentences become source passages. Prose is left to a person, marked to do; the
drafts pass the package's own checks before they are written.
"""

from __future__ import annotations

import io
import re
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq

from ..checks import MIN_PASSAGE, check, substance
from ..errors import ContentError, Problem, UsageError
from ..i18n import _
from ..load import GLOSSARY_FILE, LESSONS_DIR, THEMES_FILE, load_corpus
from ..model import DRAFT, TO_DO, Article
from ..numerals import numbers
from ..output import write_atomic
from ..registry import load_articles
from ..typography import balanced
from .genre import HEAD_MAX, NUMBERED, fold

_SENTENCE = re.compile(r"[^。！？!?；;]*[。！？!?；;][”’」』)）]*")
_BOX = re.compile(r"^【[^】]{1,10}】$")  # a boxed aside such as 【记笔记】: its sentences are the section's key ones
_FIGURE = re.compile(r"(?<![第\d.])(?!(?:19|20)\d\d年)\d+(?:\.\d+)?(?:多|余)?(?:[万亿千百])?"
                     r"(?:%|倍|元|美元|人次|人|个|家|项|条|名|件|台|套|座|所|场|批|小时|天|年(?![\d度])|公里|平方米|平方公里"
                     r"|亩|吨|次|户|期|只|款|架|万元|亿元)")
_STEM = re.compile(r"^(?:[一二三四五六七八九十]+、|\([一二三四五六七八九十]+\)|\d+[.、]\s*|[一二三四五六七八九十]是)")
_PART = re.compile(r"^(?:启示|经验|建议|体会|思考|几点启示|经验启示)[::]")  # a 启示 part that runs on in its paragraph
MAX_PASSAGES, MAX_RESULTS = 4, 5


@dataclass
class Section:
    """A part of the article that becomes one draft: its heading and its lines."""

    title: str
    heading: str | None  # the heading as printed, when it is a line of its own
    lines: list[str] = field(default_factory=list)
    box: list[str] = field(default_factory=list)


def _heading(text: str) -> bool:
    folded = fold(text)
    if NUMBERED.match(folded) or _PART.match(folded):
        return True
    return len(folded) <= 20 and not folded.endswith(("。", ".", ",", ";", ":")) and not _BOX.match(text)


def sections(article: Article) -> list[Section]:
    """Return the sections of ``article`` in order; the whole article when it has no headings."""
    lines = [text.strip() for _, text in article.body if text.strip()]
    while lines and len(fold(lines[0])) <= HEAD_MAX and not fold(lines[0]).endswith(("。", ".")):
        lines.pop(0)  # the headline block: title, kicker, subtitle
    found: list[Section] = []
    in_box = False
    for line in lines:
        if _heading(line):
            folded = fold(line)
            part, first = _PART.match(folded), _SENTENCE.match(line)
            # a numbered point or a 启示 part that runs on into its paragraph
            inline = part or first and (len(folded) > HEAD_MAX or first.end() < len(line.rstrip()))
            first = part or first
            title = (line[:first.end()] if inline else line).strip()
            found.append(Section(_STEM.sub("", fold(title)).rstrip("。.;:") if inline else _STEM.sub("", title).strip(),
                                 None if inline else line, [line] if inline else []))
            in_box = False
        elif _BOX.match(line):
            in_box = True
        elif found:
            (found[-1].box if in_box else found[-1].lines).append(line)
    found = [s for s in found if s.lines or s.box]
    if not found:
        title = article.title or article.supplied_title or article.id
        return [Section(title, None, [x for x in lines if not _BOX.match(x)])]
    return found


def _sentences(lines: list[str]) -> list[str]:
    """Return the whole sentences of ``lines``: a quotation running over several sentences stays one passage,
    and a sentence too short to quote on its own (a run-in heading such as 二、以服务换市场。) runs on into the next."""
    found = []
    for line in lines:
        pending = ""
        for match in _SENTENCE.finditer(line):
            pending += match.group(0)
            if balanced(pending) and substance(pending) >= MIN_PASSAGE:
                found.append(pending.strip())
                pending = ""
    return found


def _lesson(article: Article, section: Section, lesson_id: str) -> CommentedMap:
    sentences = _sentences(section.lines + section.box)
    results = []
    for sentence in sentences:
        folded = fold(sentence)
        figure = _FIGURE.search(folded)
        if figure and len(results) < MAX_RESULTS:  # with its hedge (近, 超, 以上) as the number is read
            start, end = figure.span()
            for n in numbers(folded):
                if n.start <= start < n.end:
                    start, end = min(start, n.start), max(end, n.end)
            results.append(CommentedMap(figure=folded[start:end], meaning=TO_DO, quote=sentence))
    keys = _sentences(section.box) or [s for line in section.lines for s in _sentences([line])[:1]]
    heading = [section.heading] if section.heading and re.search(r"\d", section.heading) and balanced(section.heading) else []
    passages = heading + keys[:MAX_PASSAGES]
    to_do = CommentedSeq([TO_DO])
    lesson = CommentedMap(id=lesson_id, status=DRAFT, title=section.title, places=to_do, themes=CommentedSeq([TO_DO]),
                          background=TO_DO, actions=CommentedSeq([TO_DO]))
    if results:
        lesson["results"] = results
    lesson.update(takeaways=CommentedSeq([TO_DO]), questions=CommentedSeq([TO_DO]),
                  sources=[CommentedMap(article=article.id, passages=CommentedSeq(passages or sentences[:1]))])
    lesson.yaml_set_start_comment(f"Draft from article {article.id} (seeds/{article.file}, lines {article.first}-{article.last}).\n"
                                  f"Fill in every {TO_DO}, keep or trim the passages, then delete 'status: draft' to publish.")
    return lesson


def _dump(lesson: CommentedMap) -> str:
    yaml = YAML()
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.width = 4096
    out = io.StringIO()
    yaml.dump(lesson, out)
    return out.getvalue()


def _validate(root: Path, texts: dict[str, str]) -> None:
    """Raise ContentError unless the package's loader and checks accept the drafts beside the real seeds."""
    with tempfile.TemporaryDirectory() as tmp:
        (Path(tmp) / "seeds").symlink_to((root / "seeds").resolve())
        (Path(tmp) / LESSONS_DIR).mkdir(parents=True)
        for name in (THEMES_FILE, GLOSSARY_FILE):  # copied: the loader reads no link leading out of content/
            if (root / name).exists():
                shutil.copyfile(root / name, Path(tmp) / name)
        for name, text in texts.items():
            (Path(tmp) / LESSONS_DIR / name).write_text(text, encoding="utf-8")
        corpus, problems = load_corpus(Path(tmp))
        problems += [] if problems else check(corpus)
    if problems:
        raise ContentError([Problem(root / LESSONS_DIR / Path(str(p.path)).name, p.line, _("{message} (in a draft; nothing written)").format(
                                message=p.message))
                            for p in problems])


def draft(root: Path, article_id: str) -> list[tuple[Path, CommentedMap]]:
    """Write the draft lessons of ``article_id`` under content/lessons/; return them. Raise, writing nothing, on any problem."""
    articles, problems = load_articles(root)
    if problems:
        raise ContentError(problems)
    if article_id not in articles:
        raise UsageError(_("no article '{id}' in seeds/articles.yaml (known: {known})").format(id=article_id, known=", ".join(articles)))
    article = articles[article_id]
    parts = sections(article)
    lessons = [_lesson(article, s, f"{article_id}-{k:02d}") for k, s in enumerate(parts, 1)]
    texts = {f"{lesson['id']}.yaml": _dump(lesson) for lesson in lessons}
    existing = [Problem(root / LESSONS_DIR / name, None, _("already exists; a draft never replaces a lesson; nothing written"))
                for name in texts if (root / LESSONS_DIR / name).exists()]
    if existing:
        raise ContentError(existing)
    _validate(root, texts)
    for name, text in texts.items():
        write_atomic(root / LESSONS_DIR / name, text.encode())
    return [(root / LESSONS_DIR / f"{lesson['id']}.yaml", lesson) for lesson in lessons]
