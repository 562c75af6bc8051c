"""Intake from the browser: upload an article, review what the intake decided, register it, draft its lessons.

Every decision is the intake package's (``add_articles`` with ``dry_run`` for the review, then for
real with the reviewer's corrections; ``draft``); this module only stages the upload and shows them.
"""

from __future__ import annotations

import hashlib
import re
import time
from pathlib import Path, PureWindowsPath

import yaml
from flask import Blueprint, abort, current_app, g, render_template, request

from ..errors import ConflictError, ContentError, Problem
from ..i18n import N_, _
from ..intake.draft import draft
from ..intake.extract import MAX_BYTES
from ..intake.register import EDITABLE, Registered, add_articles, version
from .accounts import EVERYTHING
from .project import state

blueprint = Blueprint("intake", __name__)
UPLOADS = "uploads"
_STAGED = re.compile(r"[0-9a-f]{64}(\.[a-z0-9]{1,10})?")
_SUFFIX = re.compile(r"\.[a-z0-9]{1,10}")
KEPT = 24 * 3600  # seconds an upload waits for its review to be accepted
LIMIT = MAX_BYTES + 64 * 1024  # the intake's own limit on a file, and room for the form around it
# The registry's kinds of noise, as the review page names them (translated where shown).
NOISE_KINDS = {"spam": N_("spam"), "banner": N_("promotion"), "caption": N_("picture caption or credit"),
               "metadata": N_("byline or source"), "editor": N_("editors' line"), "footer": N_("copyright footer"),
               "layout": N_("layout error"), "furniture": N_("page furniture")}


def may_add_articles() -> bool:
    """Return whether the person asking may add articles: seeds/ and content/ serve every department, so administrators."""
    accounts = current_app.extensions["studybrief-accounts"]
    return accounts is None or EVERYTHING in (g.get("departments") or [])


@blueprint.before_request
def administrators_only():
    if not may_add_articles():
        abort(403)


def larger_uploads() -> None:
    """Let the upload of an article be as large as the intake accepts (other requests keep the small limit).

    Registered on the application before CSRF protection, which reads the form first.
    """
    if request.endpoint == "intake.review":
        request.max_content_length = LIMIT


def _uploads() -> Path:
    folder = current_app.config["INSTANCE"] / UPLOADS
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    for old in folder.iterdir():  # reviews left unfinished
        if old.stat().st_mtime < time.time() - KEPT:
            old.unlink(missing_ok=True)
    return folder


def _staged(name: str) -> Path:
    """Return the staged upload ``name`` (its checksum and suffix, never a path the browser chose), or 404."""
    path = _uploads() / name
    if not _STAGED.fullmatch(name) or not path.is_file():
        abort(404)
    return path


def _shown(problems: list[Problem], staged: Path | None, filename: str) -> list[str]:
    """Return the problems as people read them: the upload by the name it had on their PC, project files relative."""
    root, lines = current_app.config["ROOT"], []
    for p in problems:
        path = Path(p.path)
        where = filename if staged is not None and path == staged else (
            path.relative_to(root).as_posix() if path.is_absolute() and path.is_relative_to(root) else str(p.path))
        lines.append((_("{where}, line {line}: {message}") if p.line else _("{where}: {message}"))
                     .format(where=where, line=p.line, message=p.message))
    return lines


def _lines(item: Registered) -> list[tuple[int, str, str | None, str | None]]:
    """Return each line of the received text: number, text, noise reason, and the article id it opens (if any)."""
    reasons = {**item.page.noise, **{n: r for a in item.page.articles for n, r in a.noise.items()}}
    opens = {a.first: i for a, i in zip(item.page.articles, item.ids, strict=True)}
    return [(n, line, _("{kind}: {reason}").format(kind=kind(reasons[n][0]), reason=_(reasons[n][1])) if n in reasons else None,
             opens.get(n))
            for n, line in enumerate(item.received.text.split("\n"), 1)]


def kind(name: str) -> str:
    """Return the name of a kind of noise as the review page shows it."""
    return _(NOISE_KINDS[name]) if name in NOISE_KINDS else name


def _corrections(ids: list[str]) -> dict[str, dict]:
    """Return the reviewer's values for each article of the form; authors are separated by commas, 、 or spaces."""
    form, found = request.form, {}
    for article_id in ids:
        values = {key: form.get(f"{article_id}.{key}", "") for key in EDITABLE}
        values["authors"] = [a for a in re.split(r"[,，、\s]+", values["authors"]) if a]
        found[article_id] = values
    return found


def _review(staged: Path, filename: str, registry: str, corrections: dict | None = None, problems: list[str] | None = None,
            status: int = 200):
    """Show what the intake decided, the form filled with its values (or the reviewer's, when they were refused)."""
    item = add_articles(state().corpus.root, [staged], dry_run=True)[0]
    entries = yaml.safe_load(item.entries)["articles"]
    values = {}
    for article_id, entry in zip(item.ids, entries, strict=True):
        given = (corrections or {}).get(article_id) or {key: entry.get(key) for key in EDITABLE}
        values[article_id] = {key: "、".join(v) if isinstance(v, list) else v or "" for key, v in given.items()}
    return render_template("studio/intake_review.html", item=item, entries=entries, values=values, lines=_lines(item),
                           filename=filename, staged=staged.name, registry=registry, problems=problems or [],
                           sha256=hashlib.sha256(item.received.data).hexdigest(), kind=kind), status


@blueprint.get("/articles/new")
def upload():
    return render_template("studio/intake_upload.html", problems=[], max_mb=MAX_BYTES // 2**20)


@blueprint.post("/articles/review")
def review():
    """Stage the upload under its checksum, then show what the intake would write, writing nothing."""
    file = request.files.get("article")
    if file is None or not file.filename:
        return render_template("studio/intake_upload.html", problems=[_("Choose the article's file to upload.")], max_mb=MAX_BYTES // 2**20), 422
    data, filename = file.read(), PureWindowsPath(file.filename).name  # a name, whichever way the PC writes paths
    suffix = PureWindowsPath(filename).suffix.lower()  # only the kind of file is kept from the name, never a path
    staged = _uploads() / (hashlib.sha256(data).hexdigest() + (suffix if _SUFFIX.fullmatch(suffix) or not suffix else ".unknown"))
    staged.write_bytes(data)
    registry = version(state().corpus.root)
    try:
        return _review(staged, filename, registry)
    except ContentError as e:
        staged.unlink(missing_ok=True)
        return render_template("studio/intake_upload.html", problems=_shown(e.problems, staged, filename),
                               max_mb=MAX_BYTES // 2**20), 422


@blueprint.post("/articles/accept")
def accept():
    """Register the reviewed upload with the reviewer's corrections, if the registry is still as it was reviewed."""
    staged, filename = _staged(request.form.get("staged", "")), request.form.get("filename", "")
    registry = request.form.get("registry", "")
    planned = request.form.getlist("planned")
    corrections = _corrections(planned)
    try:
        item = add_articles(state().corpus.root, [staged], corrections=corrections, expected=registry)[0]
    except ConflictError as e:
        staged.unlink(missing_ok=True)
        return render_template("studio/message.html", title=_("Not registered"), message=e.problems[0].message), 409
    except ContentError as e:
        return _review(staged, filename, registry, corrections, _shown(e.problems, staged, filename), 422)
    staged.unlink(missing_ok=True)
    return render_template("studio/intake_added.html", item=item, filename=filename)


@blueprint.post("/articles/<article_id>/draft")
def drafts(article_id: str):
    """Write the article's draft lessons through the package, and show them with what to do next."""
    s = state()
    if article_id not in s.corpus.articles:
        abort(404)
    try:
        written = draft(s.corpus.root, article_id)
    except ContentError as e:
        return render_template("studio/intake_drafts.html", article=s.corpus.articles[article_id], drafts=[],
                               problems=_shown(e.problems, None, "")), 422
    root = s.corpus.root
    shown = [(path.relative_to(root).as_posix(), lesson, path.read_text(encoding="utf-8")) for path, lesson in written]
    return render_template("studio/intake_drafts.html", article=s.corpus.articles[article_id], drafts=shown, problems=[])
