"""Logins: growing waits per name and per address (kept in the database, so every instance
sees them), the same time for unknown names, hashing outside any database lock, the audit."""

from __future__ import annotations

import asyncio
import threading
import time
from pathlib import Path

import httpx
from fastapi.testclient import TestClient
from httpx2 import Response
from sqlalchemy import select

from cherha.server.auth import HASHING_NICENESS, Passwords
from cherha.server.store.db import Database
from cherha.server.store.models import AuditEntry, User
from tests.helpers.app import (
    Api,
    FakeClock,
    ThreadedServer,
    api_for,
    make_app,
    make_centre,
    settings_for,
)
from tests.helpers.server import CLERK_PASSWORD


def login(client: TestClient, username: str, password: str) -> Response:
    return client.post("/api/v1/auth/login", json={"username": username, "password": password})


def slow_passwords(passes: int) -> Passwords:
    """Argon2id with 64 MiB, one lane and this many passes: checks that take a while."""
    from argon2 import Parameters, Type

    return Passwords(
        Parameters(
            type=Type.ID,
            version=19,
            salt_len=16,
            hash_len=32,
            time_cost=passes,
            memory_cost=65536,
            parallelism=1,
        )
    )


def audit(database_url: str) -> list[AuditEntry]:
    db = Database(database_url)
    try:
        with db.read() as session:
            return list(session.scalars(select(AuditEntry).order_by(AuditEntry.id)))
    finally:
        db.dispose()


def test_after_five_wrong_passwords_the_waits_grow(api: Api, clock: FakeClock) -> None:
    for _ in range(5):
        assert login(api.client, "clerk1", "wrong-password").status_code == 401
    r = login(api.client, "clerk1", CLERK_PASSWORD)  # even the right one waits now
    assert r.status_code == 429
    assert r.json()["error"] == "rate_limited"
    assert r.headers["retry-after"] == "1"
    clock.advance(seconds=1)
    assert login(api.client, "clerk1", "wrong-again").status_code == 401
    r = login(api.client, "clerk1", CLERK_PASSWORD)
    assert r.headers["retry-after"] == "2"  # doubled
    clock.advance(seconds=2)
    assert login(api.client, "clerk1", CLERK_PASSWORD).status_code == 200
    # A success clears the name's count: five new tries before any wait.
    for _ in range(5):
        assert login(api.client, "clerk1", "wrong-password").status_code == 401
    # Another user is not held up by clerk1's waits.
    assert login(api.client, "clerk2", CLERK_PASSWORD).status_code == 200


def test_waits_hold_across_instances_and_only_for_the_name_that_must_wait(
    database_url: str, clock: FakeClock
) -> None:
    """A wait set on one instance holds on another (the counts are in the database). A try
    refused by it remembers the wait of the name that must wait, not of its address too: the
    other clerks behind the centre's one address still log in on that instance."""
    make_centre(database_url)
    first = make_app(settings_for(database_url), clock=clock)
    second = make_app(settings_for(database_url), clock=clock)
    with TestClient(first) as a, TestClient(second) as b:
        for _ in range(5):
            assert login(a, "clerk1", "wrong-password").status_code == 401
        assert login(b, "clerk1", CLERK_PASSWORD).status_code == 429  # the database's wait
        assert login(b, "clerk1", CLERK_PASSWORD).status_code == 429  # now from memory
        assert login(b, "clerk2", CLERK_PASSWORD).status_code == 200


def test_unknown_names_are_counted_like_known_ones(api: Api) -> None:
    for _ in range(5):
        r = login(api.client, "nobody", "whatever-pass")
        assert r.status_code == 401
        assert r.json()["error"] == "bad_credentials"
    assert login(api.client, "nobody", "whatever-pass").status_code == 429


def test_logins_failures_and_waits_are_in_the_audit_without_passwords(api: Api) -> None:
    assert login(api.client, "clerk1", CLERK_PASSWORD).status_code == 200
    for _ in range(5):
        login(api.client, "clerk1", "secret-guess-1")
    entries = audit(api.centre.database_url)
    actions = [e.action for e in entries]
    assert "login" in actions
    assert actions.count("login_failed") == 5
    assert "login_locked" in actions
    failed = next(e for e in entries if e.action == "login_failed")
    assert failed.target == "user:clerk1"
    assert failed.address == "testclient"
    text = repr([(e.actor, e.action, e.target, e.data) for e in entries])
    assert "secret-guess-1" not in text
    assert CLERK_PASSWORD not in text


def test_an_unknown_name_costs_the_same_time_as_a_wrong_password(tmp_path: Path) -> None:
    """With the production hashing parameters: no way to tell which names exist. Without the
    refusal's fixed delay, which hid a missing hash (1 s against 1.3 s was within the test's
    bounds; a few milliseconds against 0.3 s is not)."""
    url = f"sqlite:///{tmp_path / 'timing.db'}"
    production = Passwords()
    make_centre(url, clerks=1, passwords=production)  # argon2 takes the cost from the hash
    settings = settings_for(url, login_refusal_delay_seconds=0)
    app = make_app(settings, clock=FakeClock(), passwords=production)
    with TestClient(app) as client:

        def seconds(username: str, n: int) -> float:
            started = time.perf_counter()
            client.post(
                "/api/v1/auth/login",
                json={"username": username, "password": f"wrong-{n}"},
            )
            return time.perf_counter() - started

        # Taken in turns, and the fastest of each: a shared machine's load comes and goes,
        # and only makes a check slower. Four each stays below the five that make a name wait.
        known_times, unknown_times = [], []
        for n in range(4):
            known_times.append(seconds("clerk1", n))
            unknown_times.append(seconds("no-such-user", n))
        known, unknown = min(known_times), min(unknown_times)
    assert known > 0.02  # a real argon2 check
    # What this catches is a check skipped for unknown names (or made twice): a few
    # milliseconds against a tenth of a second or more, a ratio under 0.05 (or 2 and up with
    # no noise). The band is wide because the hashing thread runs at nice 10: on a machine
    # whose cores are busy the fastest of four once read 1.02 against 0.28 s, and two blocks'
    # medians 0.26 against 0.78 s.
    assert 1 / 5 < unknown / known < 5, (known, unknown)


def test_a_refusal_is_answered_only_after_the_fixed_delay(database_url: str) -> None:
    """Every refusal, whatever its cause, costs a guesser the same wait (a lower bound only:
    the machine's load can only make it longer)."""
    with api_for(database_url, FakeClock(), login_refusal_delay_seconds=0.4) as api:
        for username in ("clerk1", "no-such-user"):
            started = time.perf_counter()
            assert login(api.client, username, "wrong-password").status_code == 401
            assert time.perf_counter() - started >= 0.4, username


def nice_values_of_threads(name_prefix: str) -> list[int]:
    """The nice value of each of this process's Python threads whose name starts with
    `name_prefix` (Linux: field 19 of /proc/self/task/TID/stat)."""
    values = []
    for thread in threading.enumerate():
        if thread.name.startswith(name_prefix) and thread.native_id is not None:
            stat = Path(f"/proc/self/task/{thread.native_id}/stat").read_text()
            values.append(int(stat.rsplit(")", 1)[1].split()[16]))
    return values


def test_passwords_are_hashed_below_the_queue_s_priority() -> None:
    """The queue's own threads win the cores from a flood's password checks."""
    passwords = Passwords.cheapest()
    try:
        passwords.hash("a password")
        # Other tests' idle hashing threads may still be alive: every one is as low.
        niceness = nice_values_of_threads("cherha-hash")
        assert niceness, "no hashing thread found"
        assert set(niceness) == {HASHING_NICENESS}, niceness
    finally:
        passwords.close()


def test_a_password_check_holds_no_database_lock(tmp_path: Path) -> None:
    """While slow password checks run, tickets are issued as usual (SQLite's one writer)."""
    slow = slow_passwords(passes=40)
    url = f"sqlite:///{tmp_path / 'lock.db'}"
    centre = make_centre(url, clerks=1, passwords=slow)  # argon2 takes the cost from the hash
    app = make_app(settings_for(url), passwords=slow)
    server = ThreadedServer(app).start()
    try:
        kiosk = {"Authorization": f"Bearer {centre.kiosk_key}"}
        started = time.perf_counter()
        check = threading.Thread(
            target=lambda: httpx.post(
                f"{server.url}/api/v1/auth/login",
                json={"username": "clerk1", "password": "wrong-password"},
                timeout=60,
            )
        )
        check.start()
        time.sleep(0.2)  # the check is under way
        issue_times = []
        for _ in range(5):
            t0 = time.perf_counter()
            r = httpx.post(f"{server.url}/api/v1/tickets", json={"service_id": 1}, headers=kiosk)
            issue_times.append(time.perf_counter() - t0)
            assert r.status_code == 201
        still_checking = check.is_alive()
        check.join(60)
        check_seconds = time.perf_counter() - started
        # Every ticket was issued while the check still ran: it held no write lock.
        assert still_checking, f"the password check took only {check_seconds:.2f} s"
        assert sum(issue_times) < check_seconds, (issue_times, check_seconds)
    finally:
        server.stop()


def test_waits_are_forgotten_after_a_quiet_quarter_hour(api: Api, clock: FakeClock) -> None:
    for _ in range(4):
        login(api.client, "clerk1", "wrong-password")
    clock.advance(minutes=16)
    for _ in range(4):
        assert login(api.client, "clerk1", "wrong-password").status_code == 401
    assert login(api.client, "clerk1", CLERK_PASSWORD).status_code == 200


def test_when_a_wait_ends_many_tries_at_once_get_one_guess(
    database_url: str, clock: FakeClock
) -> None:
    """Twenty guessers try again together the moment a name's wait ends: one try is checked,
    the others are refused at once as during a wait. (Each used to pass the check of the waits
    before any had failed: guesses per wait as many as the hashing pool took, and a burst of
    failure writes from as many threads at SQLite's one writer.)"""
    slow = slow_passwords(passes=3)  # slow enough that the twenty tries overlap
    make_centre(database_url, clerks=1, passwords=slow)
    settings = settings_for(database_url, login_refusal_delay_seconds=0)
    server = ThreadedServer(make_app(settings, clock=clock, passwords=slow)).start()
    wrong = {"username": "clerk1", "password": "wrong-password"}
    try:
        for _ in range(5):  # the free tries
            assert httpx.post(f"{server.url}/api/v1/auth/login", json=wrong).status_code == 401
        assert httpx.post(f"{server.url}/api/v1/auth/login", json=wrong).status_code == 429
        clock.advance(seconds=1)  # the wait ends

        async def together() -> list[int]:
            async with httpx.AsyncClient(base_url=server.url, timeout=60) as client:
                answers = await asyncio.gather(
                    *(client.post("/api/v1/auth/login", json=wrong) for _ in range(20))
                )
            return sorted(r.status_code for r in answers)

        assert asyncio.run(together()) == [401] + [429] * 19
    finally:
        server.stop()
    failed = [e for e in audit(database_url) if e.action == "login_failed"]
    assert len(failed) == 6


def test_a_right_password_stored_with_older_parameters_is_hashed_again(
    database_url: str, clock: FakeClock
) -> None:
    """A hash made with other argon2 parameters (an older default) is replaced by one made
    with the current ones at the next login with the right password; a wrong one changes
    nothing."""
    import dataclasses

    from argon2 import profiles

    older = Passwords(dataclasses.replace(profiles.CHEAPEST, memory_cost=16, parallelism=2))
    current = Passwords.cheapest()
    make_centre(database_url, clerks=1, passwords=older)

    def stored() -> str:
        db = Database(database_url)
        try:
            with db.read() as session:
                user = session.scalars(select(User).where(User.username == "clerk1")).one()
                return user.password_hash
        finally:
            db.dispose()

    before = stored()
    assert current.needs_rehash(before)
    with TestClient(make_app(settings_for(database_url), clock=clock, passwords=current)) as c:
        assert login(c, "clerk1", "wrong-password").status_code == 401
        assert stored() == before
        assert login(c, "clerk1", CLERK_PASSWORD).status_code == 200
        after = stored()
        assert after != before
        assert not current.needs_rehash(after)
        assert login(c, "clerk1", CLERK_PASSWORD).status_code == 200  # the new hash works
        assert stored() == after
