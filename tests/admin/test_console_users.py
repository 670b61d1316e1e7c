"""The console's users and devices pages over HTTP: each form is one audited account operation
naming the administrator and the client's address; forms without their token, and the centre
head, change nothing; the console's login counts failures per address like the API's."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from cherha.server.store.db import Database
from cherha.server.store.models import AuditEntry, Device, User
from tests.admin.test_console_access import log_in, token_in
from tests.helpers.app import Api, api_for, live_server
from tests.helpers.server import ADMIN_PASSWORD, CLERK_PASSWORD


@pytest.fixture
def api(sqlite_url: str) -> Iterator[Api]:
    with api_for(sqlite_url, login_refusal_delay_seconds=0) as client:
        yield client


@pytest.fixture
def admin(api: Api) -> TestClient:
    assert log_in(api.client, "admin", ADMIN_PASSWORD) == 303
    return api.client


def user_id(api: Api, username: str) -> int:
    with _db(api) as db, db.read() as session:
        found = session.scalar(select(User.id).where(User.username == username))
    assert found is not None
    return found


def user_row(api: Api, username: str) -> tuple[str, bool, bool, str]:
    with _db(api) as db, db.read() as session:
        u = session.scalars(select(User).where(User.username == username)).one()
        return u.role, u.active, u.may_call_out_of_order, u.password_hash


def device_active(api: Api, name: str) -> bool:
    with _db(api) as db, db.read() as session:
        return bool(session.scalars(select(Device).where(Device.name == name)).one().active)


def audit(api: Api) -> list[tuple[str, str, str, str]]:
    with _db(api) as db, db.read() as session:
        return [
            (a.actor, a.action, a.target, a.address)
            for a in session.scalars(select(AuditEntry).order_by(AuditEntry.id))
        ]


@contextmanager
def database(url: str) -> Iterator[Database]:
    db = Database(url)
    try:
        yield db
    finally:
        db.dispose()


def _db(api: Api) -> AbstractContextManager[Database]:
    return database(api.centre.database_url)


def post(client: TestClient, path: str, **fields: str) -> tuple[int, str]:
    """A console form as the page sends it: with the CSRF token from a console page."""
    token = token_in(client.get("/admin/users").text)
    r = client.post(path, data={"csrf_token": token, **fields}, follow_redirects=True)
    return r.status_code, html.unescape(r.text)


def test_disabling_a_clerk_ends_their_api_session_at_once(api: Api, admin: TestClient) -> None:
    clerk = api.as_user("clerk1")
    assert api.client.get("/api/v1/auth/me", headers=clerk).status_code == 200
    status, page = post(admin, f"/admin/users/{user_id(api, 'clerk1')}/disable")
    assert status == 200
    assert "Користувача вимкнено" in page
    r = api.client.get("/api/v1/auth/me", headers=clerk)
    assert r.status_code == 401
    assert r.json()["message"] in (
        "Обліковий запис вимкнено",
        "Невідомий ключ доступу: увійдіть знову або перевірте ключ пристрою",
    )
    login = api.client.post(
        "/api/v1/auth/login", json={"username": "clerk1", "password": CLERK_PASSWORD}
    )
    assert login.status_code == 401
    assert ("user:admin", "user_disabled", "user:clerk1", "testclient") in audit(api)
    status, page = post(admin, f"/admin/users/{user_id(api, 'clerk1')}/enable")
    assert "Користувача увімкнено" in page
    assert user_row(api, "clerk1")[1] is True


def test_the_last_administrator_is_refused_with_a_message_and_nothing_changes(
    api: Api, admin: TestClient
) -> None:
    me = user_id(api, "admin")
    before = user_row(api, "admin")
    status, page = post(admin, f"/admin/users/{me}/disable")
    assert status == 409
    assert "останній активний адміністратор" in page
    assert "Не збережено" in page
    status, page = post(admin, f"/admin/users/{me}/role", role="head")
    assert status == 409
    assert "last active administrator" in page
    assert user_row(api, "admin") == before
    assert admin.get("/admin/users").status_code == 200  # still an administrator, still in


def test_a_role_change_is_audited_and_counts_at_once(api: Api, admin: TestClient) -> None:
    token = api.as_user("clerk1")
    status, page = post(
        admin,
        f"/admin/users/{user_id(api, 'clerk1')}/role",
        role="head",
        may_call_out_of_order="on",
    )
    assert status == 200
    assert "Роль і дозволи збережено" in page
    assert user_row(api, "clerk1")[:3] == ("head", True, True)
    me = api.client.get("/api/v1/auth/me", headers=token).json()
    assert (me["role"], me["may_call_out_of_order"]) == ("head", True)
    assert ("user:admin", "user_changed", "user:clerk1", "testclient") in audit(api)
    status, page = post(admin, f"/admin/users/{user_id(api, 'clerk1')}/role", role="owner")
    assert status == 422
    assert user_row(api, "clerk1")[0] == "head"


def test_a_typed_password_is_never_shown_and_must_match(api: Api, admin: TestClient) -> None:
    clerk = user_id(api, "clerk2")
    old_hash = user_row(api, "clerk2")[3]
    status, page = post(
        admin, f"/admin/users/{clerk}/password", password="new-pass-22", password_again="other-22"
    )
    assert status == 422
    assert "мають збігатися" in page
    assert user_row(api, "clerk2")[3] == old_hash
    status, page = post(
        admin,
        f"/admin/users/{clerk}/password",
        password="new-pass-22",
        password_again="new-pass-22",
    )
    assert status == 200
    assert "new-pass-22" not in page
    r = api.client.post(
        "/api/v1/auth/login", json={"username": "clerk2", "password": "new-pass-22"}
    )
    assert r.status_code == 200


def test_a_generated_password_is_shown_once_and_works(api: Api, admin: TestClient) -> None:
    clerk = user_id(api, "clerk2")
    token = token_in(admin.get(f"/admin/users/{clerk}").text)
    r = admin.post(f"/admin/users/{clerk}/generate-password", data={"csrf_token": token})
    assert r.status_code == 200
    assert r.headers["cache-control"] == "no-store"
    found = re.search(r'id="generated-password">([^<]+)<', r.text)
    assert found is not None
    password = found.group(1)
    assert re.fullmatch(r"[A-Za-z2-9]{4}-[A-Za-z2-9]{4}-[A-Za-z2-9]{4}", password)
    assert password not in admin.get(f"/admin/users/{clerk}").text
    login = api.client.post("/api/v1/auth/login", json={"username": "clerk2", "password": password})
    assert login.status_code == 200
    assert password not in repr(audit(api))


def test_an_administrator_cannot_generate_their_own_password(api: Api, admin: TestClient) -> None:
    """It would end their session before the page could show it: refused, nothing changed."""
    me = user_id(api, "admin")
    own_page = admin.get(f"/admin/users/{me}").text
    assert 'id="generate-form"' not in own_page
    assert 'id="password-form"' in own_page
    old_hash = user_row(api, "admin")[3]
    status, page = post(admin, f"/admin/users/{me}/generate-password")
    assert status == 422
    assert "Свій пароль введіть у поля вище" in page
    assert 'id="generated-password"' not in page
    assert user_row(api, "admin")[3] == old_hash
    assert not [a for a in audit(api) if a[1] == "password_set"]
    assert admin.get("/admin/users").status_code == 200  # the session goes on


def test_revoking_a_kiosk_key_refuses_its_next_request(api: Api, admin: TestClient) -> None:
    assert (
        api.client.post("/api/v1/tickets", json={"service_id": 1}, headers=api.kiosk()).status_code
        == 201
    )
    with _db(api) as db, db.read() as session:
        kiosk = session.scalars(select(Device).where(Device.name == "kiosk-1")).one().id
    status, page = post(admin, f"/admin/devices/{kiosk}/revoke")
    assert status == 200
    assert "Ключ відкликано" in page
    r = api.client.post("/api/v1/tickets", json={"service_id": 1}, headers=api.kiosk())
    assert r.status_code == 401
    assert r.json()["message_en"] == "This device is disabled"
    assert ("user:admin", "device_revoked", "device:kiosk-1", "testclient") in audit(api)


def test_console_adds_are_audited_with_the_administrator_and_address(
    api: Api, admin: TestClient
) -> None:
    post(admin, "/admin/users", username="mykola", password="mykola-pass-1", role="clerk")
    post(admin, "/admin/devices", name="display-2", kind="display")
    entries = audit(api)
    assert ("user:admin", "user_added", "user:mykola", "testclient") in entries
    assert ("user:admin", "device_added", "device:display-2", "testclient") in entries
    # The audit page shows them, with what was added (an add has an «after» and no «before»).
    page = admin.get("/admin/audit")
    assert page.status_code == 200
    added = re.search(
        r'<tr data-action="user_added">(?:(?!</tr>).)*user:mykola.*?</tr>', page.text, re.S
    )
    assert added is not None
    assert "після / after" in added.group(0)
    assert "до / before" not in added.group(0)


NEW_FORMS = ["/admin/users/{clerk}/disable", "/admin/users/{clerk}/enable",
             "/admin/users/{clerk}/role", "/admin/users/{clerk}/password",
             "/admin/users/{clerk}/generate-password", "/admin/devices/{kiosk}/revoke",
             "/admin/devices/{kiosk}/rename"]  # fmt: skip


def test_the_new_forms_without_their_token_change_nothing(api: Api, admin: TestClient) -> None:
    ids = {"clerk": user_id(api, "clerk1"), "kiosk": 1}
    before = user_row(api, "clerk1"), device_active(api, "kiosk-1"), len(audit(api))
    fields = {
        "role": "admin",
        "password": "x-pass-1234",
        "password_again": "x-pass-1234",
        "name": "k",
    }
    for path in NEW_FORMS:
        url = path.format(**ids)
        for token in (None, "forged"):
            data = fields if token is None else {**fields, "csrf_token": token}
            r = admin.post(url, data=data)
            assert r.status_code == 403, url
            assert "Форма застаріла" in html.unescape(r.text)
        good = token_in(admin.get("/admin/users").text)
        evil = admin.post(
            url, data={**fields, "csrf_token": good}, headers={"Origin": "http://evil.example"}
        )
        assert evil.status_code == 403, url
    assert (user_row(api, "clerk1"), device_active(api, "kiosk-1"), len(audit(api))) == before


def test_the_centre_head_gets_no_user_or_device_page_or_form(api: Api) -> None:
    api.client.app.state.backend.accounts.change_user("clerk1", role="head")  # type: ignore[attr-defined]
    c = api.client
    assert log_in(c, "clerk1", CLERK_PASSWORD) == 303
    token = token_in(c.get("/admin/services").text)
    admin_id = user_id(api, "admin")
    for path in (f"/admin/users/{admin_id}", "/admin/users", "/admin/devices"):
        assert c.get(path).status_code == 403, path
    for path in NEW_FORMS:
        r = c.post(
            path.format(clerk=admin_id, kiosk=1), data={"csrf_token": token, "role": "clerk"}
        )
        assert r.status_code == 403, path
    assert user_row(api, "admin")[:2] == ("admin", True)
    assert device_active(api, "kiosk-1")


def test_a_disabled_head_s_console_session_ends_on_the_next_page(api: Api) -> None:
    accounts = api.client.app.state.backend.accounts  # type: ignore[attr-defined]
    accounts.change_user("clerk2", role="head")
    c = api.client
    assert log_in(c, "clerk2", CLERK_PASSWORD) == 303
    assert c.get("/admin/services").status_code == 200
    accounts.disable_user("clerk2", actor="user:admin")
    r = c.get("/admin/services", follow_redirects=False)
    assert r.status_code == 303
    assert r.headers["location"].startswith("/admin?next=")
    assert c.get("/admin/floor/live").status_code == 401


def test_the_console_login_counts_failures_per_client_address(sqlite_url: str) -> None:
    """Behind the centre's proxy the address is the forwarded client's, as for the API."""
    with (
        live_server(
            sqlite_url,
            login_refusal_delay_seconds=0,
            trust_forwarded_for=True,
            trusted_proxies="127.0.0.1",
        ) as (server, centre),
        httpx.Client(base_url=server.url, timeout=30) as c,
    ):

        def console_login(name: str, password: str, address: str) -> httpx.Response:
            hop = {"X-Forwarded-For": address}
            form = c.get("/admin", headers=hop)
            return c.post(
                "/admin/login",
                data={"csrf_token": token_in(form.text), "username": name, "password": password},
                headers=hop,
            )

        # Twenty names, one wrong try each: no single name is held, only the address counts.
        for i in range(20):
            refused = console_login(f"nobody{i}", "wrong", "198.51.100.7")
            assert refused.status_code == 401
            assert "Неправильне ім'я користувача або пароль" in html.unescape(refused.text)
        # The address (not any one name) has used its free tries: even the right password waits.
        held = console_login("admin", ADMIN_PASSWORD, "198.51.100.7")
        assert held.status_code == 401
        assert "Забагато невдалих спроб входу" in html.unescape(held.text)
        # Another address is not held back: logged in, sent on to the console.
        let_in = console_login("admin", ADMIN_PASSWORD, "198.51.100.8")
        assert let_in.status_code == 303
        assert let_in.headers["location"].startswith("/admin")
        with database(centre.database_url) as db, db.read() as session:
            failed = list(
                session.scalars(select(AuditEntry).where(AuditEntry.action == "login_failed"))
            )
            logged_in = session.scalars(
                select(AuditEntry).where(AuditEntry.action == "login")
            ).one()
        assert len(failed) == 20
        assert {a.address for a in failed} == {"198.51.100.7"}
        assert logged_in.address == "198.51.100.8"
