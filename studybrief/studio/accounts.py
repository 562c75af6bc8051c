"""Who may do what: accounts from a file, passwords hashed by Werkzeug, failed logins rate-limited.

Without an accounts file (allowed only on 127.0.0.1) everyone at this machine may do everything.
"""

from __future__ import annotations

import io
from pathlib import Path

from flask import Blueprint, abort, current_app, flash, g, redirect, render_template, request, session, url_for
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from limits import parse
from ruamel.yaml import YAML
from werkzeug.security import check_password_hash, generate_password_hash

from ..errors import ContentError, Problem
from ..i18n import N_, _
from ..output import write_atomic
from ..schema import TEXT, TEXTS, Field, Spec, validate
from ..yamlfile import load

USER = Spec(N_("user"), {
    "name": Field(TEXT, N_("login name")),
    "password": Field(TEXT, N_("password hash written by `build.py user`; never the password itself")),
    "departments": Field(TEXTS, N_("departments whose sessions the user may edit; '*' for all (an administrator)")),
})
ACCOUNTS = Spec(N_("accounts file"), {"users": Field([USER], N_("the people who may sign in"))})
EVERYTHING = "*"
OPEN = ("accounts.login", "library.healthz", "static")

LOGIN_LIMIT = "5 per minute"  # failed logins from one address
BASIC_LIMIT = parse(LOGIN_LIMIT)  # the same, for scripts signing in with HTTP Basic

blueprint = Blueprint("accounts", __name__)


def load_accounts(path: Path) -> dict[str, dict]:
    """Return the users of an accounts file by name, or raise ContentError with every problem."""
    document = load(path)
    problems = validate(document, ACCOUNTS, path)
    if problems:
        raise ContentError(problems)
    users = {}
    for user in document["users"]:
        if user["name"] in users:
            raise ContentError(Problem(path, user.line_of("name"), _("duplicate user '{name}'").format(name=user["name"])))
        users[user["name"]] = {"password": user["password"], "departments": list(user["departments"])}
    return users


def add_user(path: Path, name: str, password: str, departments: list[str]) -> None:
    """Add or replace ``name`` in the accounts file, with a salted hash of ``password``."""
    yaml = YAML()
    yaml.indent(mapping=2, sequence=4, offset=2)
    document = yaml.load(path.read_text(encoding="utf-8")) if path.exists() else None
    if document is None:
        document = {"users": []}
    users = [u for u in document["users"] if u.get("name") != name]
    users.append({"name": name, "password": generate_password_hash(password), "departments": departments})
    document["users"] = users
    buffer = io.StringIO()
    yaml.dump(document, buffer)
    write_atomic(path, buffer.getvalue().encode("utf-8"))
    path.chmod(0o600)


def _accounts() -> dict[str, dict] | None:
    return current_app.extensions["studybrief-accounts"]


def may_edit(department: str) -> bool:
    """Return whether the person asking may change the sessions of ``department``."""
    if _accounts() is None:
        return True
    allowed = g.get("departments") or []
    return EVERYTHING in allowed or department in allowed


def require_edit(department: str) -> None:
    """Refuse the request (403) unless the person asking may change ``department``."""
    if not may_edit(department):
        abort(403)


def wants_page() -> bool:
    """Return whether a browser asks (it names text/html), not a script (which takes anything)."""
    return "text/html" in request.headers.get("Accept", "")


def _verify(name: str, password: str) -> dict | None:
    user = (_accounts() or {}).get(name)
    return user if user and check_password_hash(user["password"], password) else None


@blueprint.before_app_request
def identify():
    """Know who is asking (a signed-in session, or HTTP Basic from a script); send strangers to the login page."""
    accounts = _accounts()
    if accounts is None:
        return None
    name = session.get("user")
    if name in accounts:
        g.user, g.departments = name, accounts[name]["departments"]
        return None
    auth = request.authorization
    if auth and auth.type == "basic":
        limiter, key = current_app.extensions["studybrief-limiter"].limiter, ("basic", get_remote_address())
        if not limiter.test(BASIC_LIMIT, *key):
            abort(429)  # checked before the password, so guessing learns nothing past the limit
        if _verify(auth.username or "", auth.password or ""):
            g.user, g.departments = auth.username, accounts[auth.username]["departments"]
            return None
        limiter.hit(BASIC_LIMIT, *key)
    if request.endpoint in OPEN:
        return None
    if wants_page():
        return redirect(url_for("accounts.login", next=request.full_path))
    return _("authentication required") + "\n", 401, {"WWW-Authenticate": 'Basic realm="studybrief"'}


def limit_logins(app) -> None:
    """Count failed logins per address in this application; past the limit, even a right password waits."""
    limiter = Limiter(get_remote_address, app=app, storage_uri="memory://")
    app.extensions["studybrief-limiter"] = limiter
    view = app.view_functions["accounts.login"]
    app.view_functions["accounts.login"] = limiter.limit(
        LOGIN_LIMIT, methods=["POST"], deduct_when=lambda response: response.status_code == 401)(view)


@blueprint.route("/login", methods=["GET", "POST"])
def login():
    if request.method == "POST":
        name = request.form.get("name", "")
        if _verify(name, request.form.get("password", "")):
            session.clear()
            session["user"] = name
            target = request.args.get("next", "")
            return redirect(target if target.startswith("/") and not target.startswith("//") else url_for("library.index"))
        return render_template("studio/login.html", failed=True), 401
    return render_template("studio/login.html", failed=False)


@blueprint.post("/logout")
def logout():
    session.clear()
    flash(_("You have signed out."))
    return redirect(url_for("accounts.login"))
