"""Fixtures: one studio over the real project for reading, and one over a private copy for editing."""

from __future__ import annotations

import re

import pytest

from studybrief.cli import main
from studybrief.studio import create_app

from ..conftest import ROOT

PASSWORD = "correct horse battery"
THREE = {"yiwu-consolidated-export": "义乌如何为企业降成本？", "hefei-fund-building": "合肥怎样用国有资本带动产业集聚？",
         "deqing-app-slimming": "德清如何给数字化应用“减肥增肌”？"}


@pytest.fixture(scope="session")
def reader(tmp_path_factory):
    """Return a test client of a studio over the real project; tests must not change anything."""
    app = create_app({"TESTING": True, "ROOT": ROOT, "OUT": tmp_path_factory.mktemp("studio-build"),
                      "INSTANCE": tmp_path_factory.mktemp("studio-instance")})
    yield app.test_client()
    app.extensions["studybrief-builds"].close()


@pytest.fixture
def studio(project, tmp_path):
    """Return a studio over a private copy of the project, without accounts."""
    app = create_app({"TESTING": True, "ROOT": project, "OUT": tmp_path / "build"})
    yield app
    app.extensions["studybrief-builds"].close()


def form_of(client, url: str) -> dict:
    """Return the hidden fields of the form at ``url``: the CSRF token and, in the session form, the file's version."""
    page = client.get(url).get_data(as_text=True)
    return dict(re.findall(r'<input type="hidden" name="(csrf_token|version|original)" value="([^"]*)"', page))


def three_lessons(client, department: str = "organization", **fields) -> dict:
    """Return the form of a new session of three lessons chosen one by one, in the order of THREE."""
    form = form_of(client, f"/department/{department}/new")
    form.update(id="three", title="三地经验专题学习会", issue="第13期", date="2026-12-01", audience="全体干部")
    for n, lesson in enumerate(THREE, 1):
        form[f"pick-{lesson}"], form[f"order-{lesson}"] = "lesson", str(n)
    form.update(fields)
    return form


@pytest.fixture
def users(tmp_path, monkeypatch):
    """Return an accounts file, written by the command line: wang edits organization, admin edits everything."""
    path = tmp_path / "users.yaml"
    monkeypatch.setenv("STUDYBRIEF_PASSWORD", PASSWORD)
    assert main(["user", "wang", "--users", str(path), "--department", "organization"]) == 0
    assert main(["user", "admin", "--users", str(path), "--admin"]) == 0
    return path


@pytest.fixture
def guarded(project, tmp_path, users):
    """Return a studio over a private copy of the project, with the accounts of ``users``."""
    app = create_app({"TESTING": True, "ROOT": project, "OUT": tmp_path / "build", "USERS": users})
    yield app
    app.extensions["studybrief-builds"].close()


def login(client, name: str, password: str = PASSWORD):
    """Sign ``client`` in through the login form."""
    return client.post("/login", data={**form_of(client, "/login"), "name": name, "password": password})
