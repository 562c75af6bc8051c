"""Build the studio's Flask application from its configuration, and serve it with waitress."""

from __future__ import annotations

import ipaddress
import logging
import os
import secrets
import signal
import sys
from pathlib import Path

from flask import Flask, render_template, request
from flask_wtf.csrf import CSRFError, CSRFProtect
from werkzeug.middleware.proxy_fix import ProxyFix

from ..errors import BriefError, UsageError
from ..i18n import CHINESE, _, use
from . import accounts
from .accounts import load_accounts
from .builds import Builds
from .project import Project

ROOT = Path(__file__).resolve().parent.parent.parent
# Briefs show their own inline styles; nothing is ever loaded from another host.
POLICY = "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; frame-ancestors 'self'"
SECRET_FILE = "secret_key"


def secret_key(instance: Path) -> str:
    """Return the key that signs sign-ins, kept in ``instance`` (readable by its owner only) so they outlive a restart."""
    instance.mkdir(mode=0o700, parents=True, exist_ok=True)
    path = instance / SECRET_FILE
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)  # exclusive: two starts agree on one key
    except FileExistsError:
        return path.read_text(encoding="ascii").strip()
    key = secrets.token_hex(32)
    with os.fdopen(descriptor, "w", encoding="ascii") as file:
        file.write(key + "\n")
    return key


def create_app(config: dict | None = None) -> Flask:
    """Return the studio for ``config``.

    ROOT (project folder), OUT (build folder), USERS (accounts file or None), INSTANCE (the studio's own
    data: its secret key; default ROOT/instance), PROXIES (reverse proxies in front of it whose
    X-Forwarded-* headers are believed; 0, the default, believes none).
    """
    app = Flask(__name__)
    app.config.update(ROOT=ROOT, OUT=None, USERS=None, INSTANCE=None, PROXIES=0, MAX_CONTENT_LENGTH=2 * 1024 * 1024,
                      WTF_CSRF_TIME_LIMIT=None, SESSION_COOKIE_SAMESITE="Lax")
    app.config.update(config or {})
    app.config["ROOT"] = Path(app.config["ROOT"]).resolve()
    app.config["OUT"] = Path(app.config["OUT"] or app.config["ROOT"] / "build").resolve()
    app.config["INSTANCE"] = Path(app.config["INSTANCE"] or app.config["ROOT"] / "instance").resolve()
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = secret_key(app.config["INSTANCE"])
    if app.config["PROXIES"]:  # only then is the client's address, scheme and host taken from the proxy's headers
        hops = app.config["PROXIES"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)
    app.extensions["studybrief"] = Project(app.config["ROOT"])
    app.json.ensure_ascii = False  # scripts read Chinese titles as text, not escapes

    app.extensions["studybrief-accounts"] = load_accounts(Path(app.config["USERS"])) if app.config["USERS"] else None
    app.extensions["studybrief-builds"] = Builds(app.config["OUT"])

    @app.before_request  # first, so the refusals of CSRF and of the login limit are in Chinese too
    def chinese():
        use(CHINESE)  # the studio speaks Chinese, whatever the server's locale

    from . import builder, intake, library  # their views need the application's extensions set above

    app.before_request(intake.larger_uploads)
    CSRFProtect(app)
    for blueprint in (accounts.blueprint, library.blueprint, builder.blueprint, intake.blueprint):
        app.register_blueprint(blueprint)
    accounts.limit_logins(app)
    app.context_processor(lambda: {"may_add_articles": intake.may_add_articles})

    @app.errorhandler(BriefError)
    def invalid(error: BriefError):
        return render_template("studio/problems.html", problems=error.problems), 500

    @app.errorhandler(404)
    def missing(error):
        return render_template("studio/message.html", title=_("Not found"), message=_("There is no such page or file.")), 404

    @app.errorhandler(403)
    def forbidden(error):
        return render_template("studio/message.html", title=_("Not allowed"),
                               message=_("Your account may not edit this department's briefs. "
                                         "Ask an administrator for the permission if you need it.")), 403

    @app.errorhandler(413)
    def too_large(error):
        return render_template("studio/message.html", title=_("File too large"), message=_(
            "The upload is larger than {size} MB; nothing was written. An article's file is far smaller: "
            "check that you chose the right file.").format(size=request.max_content_length // 2**20)), 413

    @app.errorhandler(429)
    def too_many(error):
        return render_template("studio/message.html", title=_("Too many attempts"),
                               message=_("Too many failed sign-ins; try again in a minute.")), 429

    @app.errorhandler(CSRFError)
    def stale_form(error):
        return render_template("studio/message.html", title=_("Form expired"),
                               message=_("This form has expired (open too long, or sent from another site); "
                                         "go back, reload the page and submit it again.")), 400

    @app.teardown_request
    def done(error):
        use(None)  # the thread goes back to the pool speaking the source's language

    @app.after_request
    def headers(response):
        response.headers.setdefault("Content-Security-Policy", POLICY)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        return response

    return app


def _loopback(host: str) -> bool:
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return host == "localhost"


def serve(root: Path, host: str, port: int, out: Path | None = None, users: Path | None = None, proxies: int = 0) -> None:
    """Serve the studio with waitress until interrupted; refuse an open address without accounts."""
    import waitress

    if not _loopback(host) and users is None:
        raise UsageError(_("the studio listens on {host} only with accounts configured; bind it to 127.0.0.1 "
                           "or add accounts (see the README)").format(host=host))
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    if proxies < 0:
        raise UsageError(_("--trusted-proxies is a number of proxies in front of the studio, not {value}").format(value=proxies))
    app = create_app({"ROOT": root, "OUT": out, "USERS": users, "PROXIES": proxies})
    logging.getLogger("studybrief").info((_("studio on http://{host}:{port}/ (accounts from {users})") if users else
                                          _("studio on http://{host}:{port}/ (no accounts: this machine only)"))
                                         .format(host=host, port=port, users=users))
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))  # systemd's stop: leave through the finally below
    try:
        waitress.serve(app, host=host, port=port, threads=8)
    finally:
        app.extensions["studybrief-builds"].close()
