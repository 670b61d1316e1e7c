"""revoke-device, disable-user, set-password: the CLI and `Accounts` (the administrator
console's calls) are one implementation, each one transaction with its audit entry."""

from __future__ import annotations

import contextlib
import os
import time
from datetime import timedelta

import httpx
import pytest
from sqlalchemy import select

from cherha.core.errors import Invalid, NotFound
from cherha.server.store.accounts import CACHE_SECONDS, Accounts
from cherha.server.store.db import Database
from cherha.server.store.models import AuditEntry
from tests.helpers.app import Api, live_server
from tests.helpers.server import CLERK_PASSWORD, cli


def audit_actions(database_url: str) -> list[tuple[str, str, str]]:
    db = Database(database_url)
    try:
        with db.read() as session:
            return [
                (e.actor, e.action, e.target)
                for e in session.scalars(select(AuditEntry).order_by(AuditEntry.id))
            ]
    finally:
        db.dispose()


def test_the_cli_revokes_disables_and_sets_passwords(database_url: str) -> None:
    env = {**os.environ, "CHERHA_DATABASE_URL": database_url}
    with contextlib.ExitStack() as stack, live_server(database_url) as (server, centre):
        api = httpx.Client(base_url=f"{server.url}/api/v1", timeout=30)
        stack.callback(api.close)
        kiosk = {"Authorization": f"Bearer {centre.kiosk_key}"}
        assert api.post("/tickets", json={"service_id": 1}, headers=kiosk).status_code == 201
        token = api.post(
            "/auth/login", json={"username": "clerk1", "password": CLERK_PASSWORD}
        ).json()["token"]
        clerk = {"Authorization": f"Bearer {token}"}

        cli(env, "revoke-device", "kiosk-1")  # another process: this server learns it within
        time.sleep(CACHE_SECONDS)  # the time it remembers a device key
        r = api.post("/tickets", json={"service_id": 1}, headers=kiosk)
        assert r.status_code == 401
        assert r.json()["message_en"] == "This device is disabled"

        cli(env, "set-password", "clerk1", stdin="a-new-password\n")
        assert api.get("/auth/me", headers=clerk).status_code == 401  # sessions ended
        old = api.post("/auth/login", json={"username": "clerk1", "password": CLERK_PASSWORD})
        assert old.status_code == 401
        new = api.post("/auth/login", json={"username": "clerk1", "password": "a-new-password"})
        assert new.status_code == 200

        cli(env, "disable-user", "clerk1")
        me = api.get("/auth/me", headers={"Authorization": f"Bearer {new.json()['token']}"})
        assert me.status_code == 401
        r = api.post("/auth/login", json={"username": "clerk1", "password": "a-new-password"})
        assert r.status_code == 401
        cli(env, "enable-user", "clerk1")
        r = api.post("/auth/login", json={"username": "clerk1", "password": "a-new-password"})
        assert r.status_code == 200
    actions = audit_actions(database_url)
    assert ("cli", "device_revoked", "device:kiosk-1") in actions
    assert ("cli", "password_set", "user:clerk1") in actions
    assert ("cli", "user_disabled", "user:clerk1") in actions
    assert ("cli", "user_enabled", "user:clerk1") in actions
    assert "a-new-password" not in repr(actions)


def test_unknown_names_and_short_passwords_change_nothing(database_url: str) -> None:
    env = {**os.environ, "CHERHA_DATABASE_URL": database_url}
    with live_server(database_url):
        with pytest.raises(RuntimeError, match="There is no device 'nope'"):
            cli(env, "revoke-device", "nope")
        with pytest.raises(RuntimeError, match="There is no user 'nope'"):
            cli(env, "disable-user", "nope")
        with pytest.raises(RuntimeError, match="at least 8 characters"):
            cli(env, "set-password", "clerk1", stdin="short\n")
        db = Database(database_url)
        try:
            accounts = Accounts(db, timedelta(hours=1))
            with pytest.raises(NotFound):
                accounts.set_password("nope", "long-enough-1")
            with pytest.raises(Invalid):
                accounts.set_password("clerk1", "x" * 201)
        finally:
            db.dispose()
    assert not [a for a in audit_actions(database_url) if a[1] in ("password_set", "user_disabled")]


def test_the_console_s_calls_name_their_actor_and_address(api: Api) -> None:
    accounts: Accounts = api.client.app.state.backend.accounts  # type: ignore[attr-defined]
    accounts.disable_user("clerk2", actor="user:admin", address="10.0.0.7")
    actions = audit_actions(api.centre.database_url)
    assert ("user:admin", "user_disabled", "user:clerk2") in actions


def test_logout_with_the_token_in_the_query_ends_the_session(api: Api) -> None:
    token = api.as_user("clerk1")["Authorization"].removeprefix("Bearer ")
    assert api.client.post("/api/v1/auth/logout", params={"key": token}).status_code == 204
    r = api.client.get("/api/v1/auth/me", params={"key": token})
    assert r.status_code == 401
    assert ("user:clerk1", "logout", "user:clerk1") in audit_actions(api.centre.database_url)
