"""Who gets into the console, and forms without their CSRF token: nobody but an administrator
or the centre head gets anything, and a refused form changes nothing."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from tests.helpers.app import Api, api_for
from tests.helpers.server import ADMIN_PASSWORD, CLERK_PASSWORD

CONSOLE = ["/admin", "/admin/services", "/admin/windows", "/admin/hours", "/admin/bookings",
           "/admin/audit", "/admin/users", "/admin/devices", "/admin/services/1", "/admin/windows/1",
           "/admin/export.toml"]  # fmt: skip
CALLS = ["/admin/floor/live", "/admin/events"]
FORMS = ["/admin/pause", "/admin/resume", "/admin/services/new", "/admin/services/1",
         "/admin/windows/new", "/admin/hours", "/admin/holidays", "/admin/users",
         "/admin/devices", "/admin/bookings/cancel", "/admin/logout"]  # fmt: skip


@pytest.fixture
def api(sqlite_url: str) -> Iterator[Api]:
    with api_for(sqlite_url) as client:
        yield client


def token_in(html: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert found is not None
    return found.group(1)


def log_in(client: TestClient, username: str, password: str) -> int:
    form = client.get("/admin")
    return client.post(
        "/admin/login",
        data={"csrf_token": token_in(form.text), "username": username, "password": password},
        follow_redirects=False,
    ).status_code


def paused(api: Api) -> bool:
    return bool(api.client.get("/api/v1/branch").json()["paused"])


def test_anonymous_visitors_get_the_login_form_and_nothing_else(api: Api) -> None:
    c = api.client
    first = c.get("/admin")
    assert first.status_code == 200
    assert 'name="username"' in first.text
    assert 'name="password"' in first.text
    for path in CONSOLE[1:]:
        r = c.get(path, follow_redirects=False)
        assert r.status_code == 303, path
        assert r.headers["location"].startswith("/admin?next=")
    for path in CALLS:
        assert c.get(path).status_code == 401, path
    for path in FORMS:
        assert c.post(path, data={"reason": "air_raid"}).status_code in (401, 403), path
    assert not paused(api)


@pytest.mark.parametrize("who", ["kiosk", "display", "clerk"])
def test_device_keys_and_clerk_tokens_get_nothing(api: Api, who: str) -> None:
    c = api.client
    if who == "clerk":
        secret = api.as_user("clerk1")["Authorization"].removeprefix("Bearer ")
    else:
        secret = api.centre.kiosk_key if who == "kiosk" else api.centre.display_key
    as_bearer = {"Authorization": f"Bearer {secret}"}
    for path in CONSOLE[1:]:
        assert c.get(path, headers=as_bearer, follow_redirects=False).status_code == 303, path
        assert c.get(f"{path}?key={secret}", follow_redirects=False).status_code == 303, path
    c.cookies.set("cherha_console", secret, path="/admin")
    for path in CONSOLE:
        r = c.get(path, follow_redirects=False)
        assert r.status_code in (303, 403), path
        assert "Зал зараз" not in r.text
    for path in CALLS:
        assert c.get(path).status_code in (401, 403), path
    assert c.post("/admin/pause", data={"reason": "air_raid"}).status_code in (401, 403)
    assert not paused(api)


def test_a_clerk_logging_in_to_the_console_is_refused_without_a_session(api: Api) -> None:
    c = api.client
    assert log_in(c, "clerk1", CLERK_PASSWORD) == 403
    assert "cherha_console" not in c.cookies
    assert c.get("/admin/floor/live").status_code == 401


def test_a_wrong_password_keeps_the_form_and_says_why(api: Api) -> None:
    c = api.client
    form = c.get("/admin")
    r = c.post(
        "/admin/login",
        data={"csrf_token": token_in(form.text), "username": "admin", "password": "wrong"},
    )
    assert r.status_code == 401
    assert "Неправильне ім'я користувача або пароль" in html.unescape(r.text)
    assert 'name="username"' in r.text


def test_forms_without_their_token_or_from_another_site_change_nothing(api: Api) -> None:
    c = api.client
    assert log_in(c, "admin", ADMIN_PASSWORD) == 303
    page = c.get("/admin")
    assert page.status_code == 200
    token = token_in(page.text)
    attempts = [
        {"reason": "air_raid"},
        {"reason": "air_raid", "csrf_token": "forged"},
        {"reason": "air_raid", "csrf_token": token[:-1] + ("0" if token[-1] != "0" else "1")},
    ]
    for data in attempts:
        r = c.post("/admin/pause", data=data)
        assert r.status_code == 403
        assert "Форма застаріла" in r.text
    evil = c.post(
        "/admin/pause",
        data={"reason": "air_raid", "csrf_token": token},
        headers={"Origin": "http://evil.example"},
    )
    assert evil.status_code == 403
    assert not paused(api)
    new_service = {
        "csrf_token": "",
        "code": "x",
        "prefix": "Х",
        "name_uk": "Х",
        "average_minutes": "5",
    }
    assert c.post("/admin/services/new", data=new_service).status_code == 403
    assert all(s["code"] != "x" for s in c.get("/api/v1/services").json())
    # … and with its token the same form works.
    ok = c.post(
        "/admin/pause", data={"reason": "air_raid", "csrf_token": token}, follow_redirects=False
    )
    assert ok.status_code == 303
    assert paused(api)


def test_the_login_form_itself_needs_its_token(api: Api) -> None:
    c = api.client
    c.get("/admin")
    r = c.post("/admin/login", data={"username": "admin", "password": ADMIN_PASSWORD})
    assert r.status_code == 403
    assert "cherha_console" not in c.cookies


def test_the_exported_file_is_the_centre_file(api: Api) -> None:
    c = api.client
    assert log_in(c, "admin", ADMIN_PASSWORD) == 303
    r = c.get("/admin/export.toml")
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("application/toml")
    assert 'code = "cnap-sample"' in r.text
    assert "attachment" in r.headers["content-disposition"]
