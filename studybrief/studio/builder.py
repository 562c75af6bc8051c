"""The session builder: a department's sessions, edited in a form, previewed live, saved, downloaded."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, send_file, url_for

from ..context import session_context
from ..departments import CONFIG, Department, Session
from ..editing import candidate, save_session, version
from ..errors import ConflictError
from ..i18n import _
from ..pipeline import DEFAULT, FORMATS, plan
from ..selection import select
from ..templating import render
from .accounts import may_edit, require_edit, wants_page
from .project import state

blueprint = Blueprint("builder", __name__)
TEXT_FIELDS = ("id", "title", "issue", "date", "audience")


def _department(department_id: str) -> Department:
    department = state().departments.get(department_id)
    if department is None:
        abort(404)
    return department


def _session(department: Department, session_id: str) -> Session:
    session = next((s for s in department.sessions if s.id == session_id), None)
    if session is None:
        abort(404)
    return session


def _values() -> dict:
    """Return the session the form describes: lessons picked one by one in their order, themes, exclusions."""
    form = request.form
    values = {key: form.get(key, "").strip() for key in TEXT_FIELDS}
    lessons = state().corpus.lessons
    picked = [(form.get(f"order-{i}", type=float) or 1e9, n, i) for n, i in enumerate(lessons) if form.get(f"pick-{i}") == "lesson"]
    values["lessons"] = [i for _, _, i in sorted(picked)]
    values["exclude"] = [i for i in lessons if form.get(f"pick-{i}") == "exclude"]
    values["themes"] = [t for t in form.getlist("themes") if t in state().corpus.themes]
    return values


def _form(department: Department, values: dict, original: str | None, errors: dict | None = None, status: int = 200,
          current: str | None = None):
    s = state()
    session = Session(values.get("id", ""), "", "", "", "", values["themes"], values["lessons"], values["exclude"], 0)
    selected = [lesson.id for lesson in select(session, s.corpus, s.order)]
    return render_template("studio/session.html", department=department, values=values, original=original,
                           errors=errors or {}, selected=selected, corpus=s.corpus, may_edit=may_edit(department.id),
                           version=current or version(department.config)), status


@blueprint.get("/departments")
def departments():
    return render_template("studio/departments.html", departments=state().departments.values(), may_edit=may_edit,
                           formats=FORMATS)


@blueprint.get("/department/<department_id>/session/<session_id>")
def edit(department_id: str, session_id: str):
    department = _department(department_id)
    session = _session(department, session_id)
    values = {key: getattr(session, key) for key in (*TEXT_FIELDS, "themes", "lessons", "exclude")}
    return _form(department, values, session.id)


@blueprint.get("/department/<department_id>/new")
def new(department_id: str):
    department = _department(department_id)
    require_edit(department.id)
    values = dict.fromkeys(TEXT_FIELDS, "") | {"themes": [], "lessons": [], "exclude": []}
    return _form(department, values, None)


@blueprint.post("/department/<department_id>/save")
def save(department_id: str):
    department = _department(department_id)
    require_edit(department.id)
    original = request.form.get("original") or None
    if original is not None:
        _session(department, original)
    values = _values()
    try:
        saved, errors = save_session(department.folder, original, values, request.form.get("version", ""), state().corpus)
    except ConflictError:
        errors = {None: [_("Not saved: someone else changed and saved this department's configuration after you "
                           "opened this page. To keep their changes, nothing was written. Open the session again "
                           "and make your change once more.")]}
        return _form(department, values, original, errors, 409, request.form.get("version", ""))
    if saved is None:
        return _form(department, values, original, errors, 422, request.form.get("version", ""))
    flash(_("Saved to templates/{department}/{config}.").format(department=department.id, config=CONFIG))
    return redirect(url_for(".edit", department_id=department.id, session_id=values["id"]))


@blueprint.post("/department/<department_id>/preview")
def preview(department_id: str):
    """The brief of the session the form describes, unsaved: the very HTML its PDF would be made from."""
    department = _department(department_id)
    s = state()
    changed, text, index, problems = candidate(department.folder, request.form.get("original") or None, _values(), s.corpus)
    if problems:
        return render_template("studio/preview_problems.html", problems=problems), 422
    session = changed.sessions[index]
    return render(s.corpus.root, changed, "session", session_context(changed, session, select(session, s.corpus, s.order),
                                                                     s.corpus))


@blueprint.get("/department/<department_id>/session/<session_id>/preview")
def saved_preview(department_id: str, session_id: str):
    """The brief of a saved session, as its PDF is made from it."""
    s, department = state(), _department(department_id)
    session = _session(department, session_id)
    return render(s.corpus.root, department, "session",
                  session_context(department, session, select(session, s.corpus, s.order), s.corpus))


def _job(department: Department, target_id: str, fmt: str, handout: bool):
    s, out = state(), current_app.config["OUT"]
    if fmt not in FORMATS:
        abort(404)
    if handout:
        if target_id not in s.corpus.lessons or DEFAULT not in s.departments:
            abort(404)
        target = out / DEFAULT / "handouts" / f"{target_id}.{fmt}"
        jobs = plan(s.corpus.root, out, s.corpus, s.departments, DEFAULT, target_id, (fmt,))
    else:
        _session(department, target_id)
        target = out / department.id / f"{target_id}.{fmt}"
        jobs = plan(s.corpus.root, out, s.corpus, s.departments, department.id, None, (fmt,))
    job = next((j for j in jobs if j.target == target), None)
    if job is None:
        abort(404)
    return job


def _download(job, name: str):
    builds = current_app.extensions["studybrief-builds"]
    build = builds.request(job)
    if build is not None and not wants_page():
        build.future.result()  # a script waits for its document; pages do not
        build = None
    if build is not None and build.done and build.future.exception() is None:
        build = None
    if build is not None:
        failed = build.done and build.future.exception()
        return render_template("studio/building.html", build=build, name=name, failed=failed), 500 if failed else 202
    return send_file(job.target, as_attachment=True, download_name=name, max_age=0)


@blueprint.get("/download/handouts/<lesson_id>.<fmt>")
def download_handout(lesson_id: str, fmt: str):
    return _download(_job(None, lesson_id, fmt, True), f"{lesson_id}.{fmt}")


@blueprint.get("/download/<department_id>/<session_id>.<fmt>")
def download(department_id: str, session_id: str, fmt: str):
    return _download(_job(_department(department_id), session_id, fmt, False), f"{department_id}-{session_id}.{fmt}")


@blueprint.get("/download/<path:anything>")
def download_nothing(anything: str):
    abort(404)
