"""Administering accounts in the store, as the console and the CLI both call it: never the last
active administrator (also when two administrators act at once), role changes audited with
before and after, a revoked device key never remembered again by a lookup in flight."""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from datetime import timedelta

import pytest
from sqlalchemy import select

from cherha.core.errors import DomainError, Invalid
from cherha.server.auth import DeviceKind, Passwords, Principal, Role
from cherha.server.store.accounts import Accounts, Unauthorized
from cherha.server.store.db import Database
from cherha.server.store.models import AuditEntry, User
from cherha.server.store.user_admin import LastAdministrator
from tests.helpers.app import Centre, make_centre
from tests.helpers.server import cli


@pytest.fixture
def centre(database_url: str) -> Centre:
    return make_centre(database_url, clerks=2)


@pytest.fixture
def accounts(centre: Centre) -> Iterator[Accounts]:
    db = Database(centre.database_url)
    try:
        yield Accounts(db, timedelta(hours=1), passwords=Passwords.cheapest())
    finally:
        db.dispose()


def users(accounts: Accounts) -> dict[str, tuple[str, bool, bool]]:
    with accounts.db.read() as session:
        return {
            u.username: (u.role, u.active, u.may_call_out_of_order)
            for u in session.scalars(select(User))
        }


def audit(accounts: Accounts, action: str) -> list[AuditEntry]:
    with accounts.db.read() as session:
        return list(
            session.scalars(
                select(AuditEntry).where(AuditEntry.action == action).order_by(AuditEntry.id)
            )
        )


def test_the_last_administrator_is_never_disabled_or_demoted(accounts: Accounts) -> None:
    before = users(accounts)
    with pytest.raises(LastAdministrator, match="last active administrator") as refused:
        accounts.disable_user("admin", actor="user:admin", address="10.0.0.5")
    assert refused.value.status == 409
    assert "останній активний адміністратор" in refused.value.message_uk
    for role in ("head", "clerk"):
        with pytest.raises(LastAdministrator):
            accounts.change_user("admin", role=role, actor="user:admin")
    assert users(accounts) == before
    assert audit(accounts, "user_disabled") == []
    assert audit(accounts, "user_changed") == []
    # Its password may change, and its permission (an administrator always may anyway).
    accounts.set_password("admin", "another-pass-1", actor="user:admin")


def test_with_a_second_administrator_one_may_go_then_the_other_must_stay(
    accounts: Accounts,
) -> None:
    assert accounts.change_user("clerk1", role="admin", actor="user:admin", address="10.0.0.5")
    accounts.change_user("admin", role="head", actor="user:clerk1")
    assert users(accounts)["admin"][0] == "head"
    with pytest.raises(LastAdministrator):
        accounts.disable_user("clerk1")
    # A disabled administrator does not count: disabling the only active one is refused even
    # while another administrator account exists but is disabled.
    accounts.change_user("clerk2", role="admin")
    accounts.disable_user("clerk2")
    with pytest.raises(LastAdministrator):
        accounts.change_user("clerk1", role="clerk")
    accounts.enable_user("clerk2")
    accounts.disable_user("clerk1")
    assert users(accounts)["clerk1"][1] is False
    assert users(accounts)["clerk2"][:2] == ("admin", True)


def test_a_role_change_is_audited_with_before_and_after(accounts: Accounts) -> None:
    assert accounts.change_user(
        "clerk1", role="head", may_call_out_of_order=True, actor="user:admin", address="10.0.0.5"
    )
    [entry] = audit(accounts, "user_changed")
    assert (entry.actor, entry.target, entry.address) == ("user:admin", "user:clerk1", "10.0.0.5")
    assert entry.data == {
        "before": {"role": "clerk", "may_call_out_of_order": False},
        "after": {"role": "head", "may_call_out_of_order": True},
    }
    # The same values again change nothing and record nothing.
    assert not accounts.change_user("clerk1", role="head", may_call_out_of_order=True)
    assert len(audit(accounts, "user_changed")) == 1
    with pytest.raises(Invalid, match="admin, head or clerk"):
        accounts.change_user("clerk1", role="owner")
    assert users(accounts)["clerk1"] == ("head", True, True)


def test_a_role_change_counts_from_the_next_request(accounts: Accounts) -> None:
    login = accounts.login("clerk1", "clerk-pass-1", "10.0.0.9")
    assert accounts.resolve(login.token).role == "clerk"
    accounts.change_user("clerk1", role="head")
    assert accounts.resolve(login.token).runs_centre


def test_adding_users_and_devices_is_audited_with_who_and_what(accounts: Accounts) -> None:
    accounts.add_user(
        "oksana",
        "oksana-pass-1",
        Role.HEAD,
        display_name="Оксана Коваль",
        actor="user:admin",
        address="10.0.0.5",
    )
    [entry] = [e for e in audit(accounts, "user_added") if e.target == "user:oksana"]
    assert (entry.actor, entry.address) == ("user:admin", "10.0.0.5")
    assert entry.data["after"] == {
        "role": "head",
        "display_name": "Оксана Коваль",
        "active": True,
        "may_call_out_of_order": False,
    }
    assert "oksana-pass-1" not in repr(entry.data)
    accounts.add_device("kiosk-2", DeviceKind.KIOSK, actor="user:admin")
    [device] = [e for e in audit(accounts, "device_added") if e.target == "device:kiosk-2"]
    assert device.actor == "user:admin"
    assert device.data["after"] == {"name": "kiosk-2", "kind": "kiosk"}


def test_two_administrators_disabling_each_other_at_once_leave_one(accounts: Accounts) -> None:
    """Whatever the timing, one of the two changes is refused (PostgreSQL: the active
    administrators are locked first; SQLite: one writer at a time)."""
    survivor = "admin"
    for round_ in range(4):
        a, b = f"boss-a{round_}", f"boss-b{round_}"
        for name in (a, b):
            accounts.add_user(name, "boss-pass-1", Role.ADMIN)
        accounts.disable_user(survivor)  # a and b are the only active administrators
        start = threading.Barrier(2)
        outcomes: dict[str, str] = {}

        def disable(
            actor: str, target: str, start: threading.Barrier, outcomes: dict[str, str]
        ) -> None:
            start.wait()
            try:
                accounts.disable_user(target, actor=f"user:{actor}")
                outcomes[actor] = "done"
            except DomainError as exc:
                outcomes[actor] = exc.code

        threads = [
            threading.Thread(target=disable, args=(a, b, start, outcomes)),
            threading.Thread(target=disable, args=(b, a, start, outcomes)),
        ]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=30)
        assert sorted(outcomes.values()) == ["done", "last_admin"], outcomes
        active_admins = [
            n for n, (role, active, _p) in users(accounts).items() if role == "admin" and active
        ]
        assert len(active_admins) == 1
        survivor = active_admins[0]


def test_a_lookup_in_flight_never_brings_a_revoked_key_back(
    accounts: Accounts, centre: Centre
) -> None:
    """A kiosk's request read its device as active just before the key was revoked: its answer
    must not be remembered, so the kiosk's next request is refused at once."""
    read = threading.Event()
    go_on = threading.Event()
    lookup = accounts._lookup

    def slow_lookup(hashed: str) -> Principal:
        found = lookup(hashed)
        read.set()
        go_on.wait(10)
        return found

    accounts._lookup = slow_lookup  # type: ignore[method-assign]
    in_flight: list[Principal] = []
    worker = threading.Thread(target=lambda: in_flight.append(accounts.resolve(centre.kiosk_key)))
    worker.start()
    assert read.wait(10)
    accounts.revoke_device("kiosk-1", actor="user:admin")
    go_on.set()
    worker.join(10)
    accounts._lookup = lookup  # type: ignore[method-assign]
    assert [p.name for p in in_flight] == ["kiosk-1"]  # that request was already under way
    assert accounts.cached(centre.kiosk_key) is None
    with pytest.raises(Unauthorized, match="This device is disabled"):
        accounts.resolve(centre.kiosk_key)


def test_revoking_here_refuses_the_next_request_without_waiting(
    accounts: Accounts, centre: Centre
) -> None:
    assert accounts.resolve(centre.kiosk_key).name == "kiosk-1"
    assert accounts.cached(centre.kiosk_key) is not None  # remembered for CACHE_SECONDS
    accounts.revoke_device("kiosk-1")
    assert accounts.cached(centre.kiosk_key) is None
    with pytest.raises(Unauthorized):
        accounts.resolve(centre.kiosk_key)


def test_the_cli_obeys_the_last_administrator_rule(centre: Centre, accounts: Accounts) -> None:
    env = {**os.environ, "CHERHA_DATABASE_URL": centre.database_url}
    with pytest.raises(RuntimeError, match="last active administrator"):
        cli(env, "disable-user", "admin")
    with pytest.raises(RuntimeError, match="last active administrator"):
        cli(env, "set-role", "admin", "--role", "clerk")
    assert users(accounts)["admin"] == ("admin", True, True)
    cli(env, "set-role", "clerk1", "--role", "head", "--may-call-out-of-order")
    assert users(accounts)["clerk1"] == ("head", True, True)
    cli(env, "set-role", "clerk1", "--no-may-call-out-of-order")
    assert users(accounts)["clerk1"] == ("head", True, False)
    assert [e.actor for e in audit(accounts, "user_changed")] == ["cli", "cli"]
