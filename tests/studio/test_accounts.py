"""Who may do what: accounts, login, per-department rights, failed-login rate limit."""

from __future__ import annotations

import base64

import pytest

from studybrief.errors import ContentError
from studybrief.studio import create_app
from studybrief.studio.accounts import load_accounts

from .conftest import PASSWORD, form_of, login, three_lessons


def test_passwords_are_stored_hashed(users):
    text = users.read_text(encoding="utf-8")
    assert PASSWORD not in text and "scrypt:" in text
    assert load_accounts(users)["wang"]["departments"] == ["organization"]


def test_strangers_are_sent_to_login_and_scripts_asked_to_authenticate(guarded):
    client = guarded.test_client()
    page = client.get("/", headers={"Accept": "text/html"})
    assert page.status_code == 302 and "/login" in page.headers["Location"]
    assert client.get("/healthz").status_code == 200
    assert client.get("/search?q=拼箱").status_code == 401
    token = base64.b64encode(f"wang:{PASSWORD}".encode()).decode()
    assert client.get("/search?q=拼箱", headers={"Authorization": f"Basic {token}"}).json["count"] == 1


def test_a_user_edits_only_their_departments(guarded, project):
    client = guarded.test_client()
    assert login(client, "wang").status_code == 302
    assert client.post("/department/organization/save", data=three_lessons(client)).status_code == 302
    before = (project / "templates/commerce/department.yaml").read_bytes()
    assert client.get("/department/commerce/new").status_code == 403
    form = {**three_lessons(client), **form_of(client, "/department/commerce/session/investment-2026")}
    response = client.post("/department/commerce/save", data=form)
    assert response.status_code == 403 and "无权操作" in response.get_data(as_text=True)
    assert (project / "templates/commerce/department.yaml").read_bytes() == before
    admin = guarded.test_client()
    login(admin, "admin")
    form = {**three_lessons(admin), **form_of(admin, "/department/commerce/session/investment-2026"), "original": ""}
    assert admin.post("/department/commerce/save", data=form).status_code == 302


def test_failed_logins_are_rate_limited(guarded):
    client = guarded.test_client()
    for _ in range(5):
        assert login(client, "wang", "wrong password").status_code == 401
    response = login(client, "wang")
    assert response.status_code == 429 and "请一分钟后再试" in response.get_data(as_text=True)


def test_an_accounts_file_with_a_plain_password_field_missing_is_refused(tmp_path):
    path = tmp_path / "users.yaml"
    path.write_text("users:\n  - name: wang\n    departments: [organization]\n", encoding="utf-8")
    with pytest.raises(ContentError, match="required key 'password' is missing"):
        load_accounts(path)


def test_each_application_counts_its_own_failures(guarded, project, tmp_path, users):
    client = guarded.test_client()
    for _ in range(5):
        login(client, "wang", "wrong password")
    other = create_app({"TESTING": True, "ROOT": project, "OUT": tmp_path / "other", "USERS": users})
    assert login(other.test_client(), "wang").status_code == 302


def test_failed_basic_authentication_is_rate_limited_before_the_password_is_tried(guarded):
    client = guarded.test_client()

    def basic(password: str) -> dict:
        return {"Authorization": "Basic " + base64.b64encode(f"wang:{password}".encode()).decode()}

    for _ in range(5):
        assert client.get("/search?q=拼箱", headers=basic("wrong password")).status_code == 401
    assert client.get("/search?q=拼箱", headers=basic(PASSWORD)).status_code == 429


def _failures_then_login(app, addresses: list[str], last: str) -> int:
    """Fail five logins from ``addresses`` (X-Forwarded-For, in turn), then sign in rightly from ``last``; return its status."""
    client = app.test_client()
    for n in range(5):
        form = {**form_of(client, "/login"), "name": "wang", "password": "wrong password"}
        assert client.post("/login", data=form, headers={"X-Forwarded-For": addresses[n % len(addresses)]}).status_code == 401
    form = {**form_of(client, "/login"), "name": "wang", "password": PASSWORD}
    return client.post("/login", data=form, headers={"X-Forwarded-For": last}).status_code


def test_without_trusted_proxies_x_forwarded_for_is_ignored(guarded):
    """A client cannot escape the limit by naming a new address in the header each time."""
    assert _failures_then_login(guarded, ["10.0.0.1", "10.0.0.2"], "10.0.0.3") == 429


def test_behind_a_trusted_proxy_the_limit_keys_on_the_client(project, tmp_path, users):
    app = create_app({"TESTING": True, "ROOT": project, "OUT": tmp_path / "build", "USERS": users, "PROXIES": 1})
    try:
        assert _failures_then_login(app, ["10.0.0.1"], "10.0.0.2") == 302, "another office PC behind the same proxy signs in"
        assert _failures_then_login(app, ["10.0.0.7"], "10.0.0.7") == 429, "the guessing client waits"
        # one hop: only the address the proxy appended counts, not one the client wrote before it
        assert _failures_then_login(app, ["1.2.3.4, 10.0.0.9"], "5.6.7.8, 10.0.0.9") == 429
    finally:
        app.extensions["studybrief-builds"].close()


def test_sign_ins_outlive_a_restart_with_the_key_kept_private(guarded, project, tmp_path, users):
    client = guarded.test_client()
    assert login(client, "wang").status_code == 302
    key = project / "instance" / "secret_key"
    assert key.stat().st_mode & 0o777 == 0o600 and (project / "instance").stat().st_mode & 0o777 == 0o700
    restarted = create_app({"TESTING": True, "ROOT": project, "OUT": tmp_path / "build", "USERS": users})
    try:
        assert restarted.config["SECRET_KEY"] == key.read_text(encoding="ascii").strip()
        cookie = client.get_cookie("session")
        again = restarted.test_client()
        again.set_cookie("session", cookie.value)
        assert again.get("/", headers={"Accept": "text/html"}).status_code == 200
    finally:
        restarted.extensions["studybrief-builds"].close()
