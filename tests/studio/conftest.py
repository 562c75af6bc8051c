"""Fixtures: one studio over the real project for reading, and one over a private copy for editing."""

from __future__ import annotations

import pytest

from studybrief.studio import create_app

from ..conftest import ROOT


@pytest.fixture(scope="session")
def reader(tmp_path_factory):
    """Return a test client of a studio over the real project; tests must not change anything."""
    app = create_app({"TESTING": True, "ROOT": ROOT, "OUT": tmp_path_factory.mktemp("studio-build")})
    return app.test_client()
