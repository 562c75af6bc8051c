"""Build the studio's Flask application from its configuration, and serve it with waitress."""

from __future__ import annotations

import ipaddress
import logging
import secrets
from pathlib import Path

from flask import Flask, current_app, render_template

from ..errors import BriefError, UsageError
from .project import Project, State

ROOT = Path(__file__).resolve().parent.parent.parent
# Briefs show their own inline styles; nothing is ever loaded from another host.
POLICY = "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; frame-ancestors 'self'"


def state() -> State:
    """Return the checked inputs of the project this application serves."""
    return current_app.extensions["studybrief"].state()


def create_app(config: dict | None = None) -> Flask:
    """Return the studio for ``config`` (ROOT: project folder, OUT: build folder, SECRET_KEY)."""
    app = Flask(__name__)
    app.config.update(ROOT=ROOT, OUT=None, SECRET_KEY=secrets.token_hex(32), MAX_CONTENT_LENGTH=2 * 1024 * 1024)
    app.config.update(config or {})
    app.config["ROOT"] = Path(app.config["ROOT"]).resolve()
    app.config["OUT"] = Path(app.config["OUT"] or app.config["ROOT"] / "build").resolve()
    app.extensions["studybrief"] = Project(app.config["ROOT"])
    app.json.ensure_ascii = False  # scripts read Chinese titles as text, not escapes

    from . import library

    app.register_blueprint(library.blueprint)

    @app.errorhandler(BriefError)
    def invalid(error: BriefError):
        return render_template("studio/problems.html", problems=error.problems), 500

    @app.errorhandler(404)
    def missing(error):
        return render_template("studio/message.html", title="未找到", message="没有这个页面。"), 404

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


def serve(root: Path, host: str, port: int, out: Path | None = None) -> None:
    """Serve the studio with waitress until interrupted; refuse an open address without accounts."""
    import waitress

    if not _loopback(host):
        raise UsageError(f"the studio listens on {host} only with accounts configured; bind it to 127.0.0.1 "
                         "or add accounts (see the README)")
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    app = create_app({"ROOT": root, "OUT": out})
    logging.getLogger("studybrief").info("studio on http://%s:%d/", host, port)
    waitress.serve(app, host=host, port=port, threads=8)
