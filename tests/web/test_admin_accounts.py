"""The console's users and devices pages in a real Chromium against a real server: revoke a
kiosk's key and see its next ticket refused; change a clerk's role, hand them a generated
password, disable them; the last administrator refused on the page."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.helpers.app import Centre, ThreadedServer
from tests.web.demo import Desk, demo_server
from tests.web.test_admin import log_in

pytestmark = pytest.mark.slow


@pytest.fixture
def console(sqlite_url: str, tmp_path: Path) -> Iterator[tuple[ThreadedServer, Centre, Desk]]:
    with (
        demo_server(sqlite_url, cache_dir=tmp_path / "audio") as (server, centre),
        Desk(server.url, centre.kiosk_key) as desk,
    ):
        yield server, centre, desk


def test_a_revoked_kiosk_key_is_refused_at_the_kiosk_s_next_request(
    page: Page, console: tuple[ThreadedServer, Centre, Desk]
) -> None:
    server, centre, desk = console
    kiosk = {"Authorization": f"Bearer {centre.kiosk_key}"}
    # The kiosk has just issued a ticket: its key is remembered by the server.
    assert (
        desk.http.post("/api/v1/tickets", json={"service_id": 1}, headers=kiosk).status_code == 201
    )
    log_in(page, server.url)
    page.goto(f"{server.url}/admin/devices")
    row = page.locator("#devices tr[data-name=kiosk-1]")
    row.locator("button[data-open^=revoke-]").click()
    dialog = row.locator("dialog")
    expect(dialog).to_be_visible()
    dialog.locator("button[type=submit]").click()
    expect(page.locator(".notice.ok")).to_contain_text("Ключ відкликано")
    expect(page.locator("#devices tr[data-name=kiosk-1]")).to_have_attribute(
        "data-state", "revoked"
    )
    refused = desk.http.post("/api/v1/tickets", json={"service_id": 1}, headers=kiosk)
    assert refused.status_code == 401
    assert refused.json()["message_en"] == "This device is disabled"
    page.goto(f"{server.url}/admin/audit")
    expect(page.locator("#audit tr[data-action=device_revoked]")).to_contain_text("kiosk-1")


def test_a_clerk_promoted_given_a_password_once_and_disabled(
    page: Page, console: tuple[ThreadedServer, Centre, Desk]
) -> None:
    server, _centre, desk = console
    old_session = desk.as_user("clerk1")
    log_in(page, server.url)
    page.goto(f"{server.url}/admin/users")
    page.locator("#users tr[data-username=clerk1] a").click()
    expect(page.locator("h1#user")).to_have_attribute("data-role", "clerk")
    user_page = page.url

    page.select_option("#role", "head")
    page.check("#may-call-out-of-order")
    page.click("#save-role")
    expect(page.locator(".notice.ok")).to_contain_text("Роль і дозволи збережено")
    expect(page.locator("h1#user")).to_have_attribute("data-role", "head")
    me = desk.http.get("/api/v1/auth/me", headers=old_session).json()
    assert (me["role"], me["may_call_out_of_order"]) == ("head", True)

    page.click("#generate-password")
    password = page.locator("#generated-password").inner_text().strip()
    assert len(password) == 14
    page.goto(user_page)  # the page asked for again: the password is not there any more
    expect(page.locator("#generated-password")).to_have_count(0)
    assert desk.http.get("/api/v1/auth/me", headers=old_session).status_code == 401
    login = desk.http.post("/api/v1/auth/login", json={"username": "clerk1", "password": password})
    assert login.status_code == 200
    new_session = {"Authorization": f"Bearer {login.json()['token']}"}

    page.click("#disable-button")
    page.click("#disable-confirm")
    expect(page.locator(".notice.ok")).to_contain_text("Користувача вимкнено")
    expect(page.locator("h1#user")).to_have_attribute("data-state", "disabled")
    assert desk.http.get("/api/v1/auth/me", headers=new_session).status_code == 401
    page.click("#enable-button")
    expect(page.locator("h1#user")).to_have_attribute("data-state", "active")


def test_the_last_administrator_is_refused_on_the_page(
    page: Page, console: tuple[ThreadedServer, Centre, Desk]
) -> None:
    server, _centre, _desk = console
    log_in(page, server.url)
    page.goto(f"{server.url}/admin/users")
    page.locator("#users tr[data-username=admin] a").click()
    expect(page.locator("#generate-form")).to_have_count(0)
    page.select_option("#role", "clerk")
    page.click("#save-role")
    expect(page.locator("#form-errors")).to_contain_text("останній активний адміністратор")
    expect(page.locator("h1#user")).to_have_attribute("data-role", "admin")
    page.click("#disable-button")
    page.click("#disable-confirm")
    expect(page.locator("#form-errors")).to_contain_text("last active administrator")
    expect(page.locator("h1#user")).to_have_attribute("data-state", "active")
    # Still an administrator, still in.
    assert page.goto(f"{server.url}/admin/devices").status == 200  # type: ignore[union-attr]
