"""Bookings on SQLite and PostgreSQL: personal data (events without it, the purge) and the
rate limits of the public endpoints."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient

from cherha.server.app import create_app
from cherha.server.store.bookings import BookingOps
from cherha.server.store.db import Database
from tests.api.test_bookings import (
    NAME,
    TOMORROW_10,
    book,
    booked,
    booking_api,
    booking_centre,
    booking_rows,
    events,
    slots,
)
from tests.helpers.app import Api, FakeClock, api_for, make_centre, settings_for

__all__ = ["booking_api"]  # the fixture, shared with test_bookings.py


# -- personal data --------------------------------------------------------------------------------


def test_events_carry_no_name_phone_or_code(booking_api: Api, clock: FakeClock) -> None:
    code = booked(booking_api)["code"]
    other = booked(booking_api, TOMORROW_10 + timedelta(hours=1), phone="0501112233")["code"]
    booking_api.client.post(f"/api/v1/bookings/{other}/cancel", json={"phone": "0501112233"})
    clock.now = TOMORROW_10 - timedelta(minutes=10)
    assert booking_api.post(f"/api/v1/bookings/{code}/check-in", "kiosk").status_code == 201
    all_events = events(booking_api.centre.database_url)
    types = {e.type for e in all_events}
    assert {"booking_created", "booking_cancelled", "booking_checked_in"} <= types
    text = repr([(e.type, e.data, e.actor) for e in all_events])
    for secret in ("Олена", "Коваль", "671234567", "501112233", code, code.replace("-", "")):
        assert secret not in text


def test_purge_blanks_name_and_phone_after_the_configured_days(
    booking_api: Api, clock: FakeClock
) -> None:
    booked(booking_api)
    later = booked(booking_api, TOMORROW_10 + timedelta(days=5), phone="0501112233")
    url = booking_api.centre.database_url
    db = Database(url)
    try:
        ops = BookingOps(db, clock)
        clock.now = TOMORROW_10 + timedelta(days=30, minutes=14)
        assert ops.purge() == 0  # 30 days after the slot's end, not yet
        clock.now = TOMORROW_10 + timedelta(days=30, minutes=16)
        assert ops.purge() == 1
        rows = booking_rows(url)
        assert (rows[0].name, rows[0].phone) == ("", "")
        assert rows[0].phone_hash  # kept: the no-show block still counts it
        assert rows[0].purged_at is not None
        assert rows[1].name == NAME
        assert ops.purge() == 0  # nothing left to purge
        clock.now = TOMORROW_10 + timedelta(days=91)
        ops.purge()
        rows = booking_rows(url)
        assert rows[0].phone_hash == ""
        assert rows[1].name == ""
    finally:
        db.dispose()
    # The booking itself stays for the statistics; the page says who it was no more.
    r = booking_api.client.get(f"/api/v1/bookings/{later['code']}", headers=booking_api.kiosk())
    assert r.json()["name"] == ""
    assert r.json()["phone_masked"] == ""


def test_the_purge_command(database_url: str, monkeypatch: pytest.MonkeyPatch, capsys: Any) -> None:
    from cherha.server import cli

    make_centre(database_url)
    monkeypatch.setenv("CHERHA_DATABASE_URL", database_url)
    assert cli.run(["purge"]) == 0
    assert "0" in capsys.readouterr().out


# -- rate limits ----------------------------------------------------------------------------------


def test_public_writes_are_rate_limited_per_address(database_url: str, clock: FakeClock) -> None:
    centre = make_centre(database_url, spec=booking_centre(monthly_quota=0))
    with api_for(database_url, clock, centre=centre, booking_writes_per_hour=2) as api:
        booked(api, TOMORROW_10)
        booked(api, TOMORROW_10 + timedelta(days=1))
        r = book(api, TOMORROW_10 + timedelta(days=2))
        assert r.status_code == 429
        assert r.json()["error"] == "rate_limited"
        assert r.json()["message"].startswith("Забагато запитів")
        assert int(r.headers["Retry-After"]) == 1800
        assert len(booking_rows(database_url)) == 2
        booked(api, TOMORROW_10 + timedelta(days=2), headers=api.kiosk())  # kiosks are not limited


def test_public_reads_are_rate_limited_per_address(database_url: str, clock: FakeClock) -> None:
    centre = make_centre(database_url, spec=booking_centre())
    with api_for(database_url, clock, centre=centre, booking_reads_per_minute=3) as api:
        for _ in range(3):
            slots(api)
        r = api.client.get("/api/v1/services/1/slots", params={"date": "2026-11-25"})
        assert r.status_code == 429
        assert r.headers["Retry-After"] == "20"
        assert slots(api, channel="kiosk")


def test_forwarded_addresses_count_only_when_trusted(database_url: str, clock: FakeClock) -> None:
    """Behind the configured proxy (127.0.0.1 here, adding 10.0.0.1's hop) each visitor is
    counted by their own address; without trust, by the proxy's."""
    make_centre(database_url, spec=booking_centre())
    for trusted in (False, True):
        settings = settings_for(
            database_url,
            booking_reads_per_minute=1,
            trust_forwarded_for=trusted,
            trusted_proxies="127.0.0.1,10.0.0.0/8",
        )
        with TestClient(create_app(settings, clock=clock), client=("127.0.0.1", 50000)) as client:
            statuses = [
                client.get(
                    "/api/v1/services/1/slots",
                    params={"date": "2026-11-25"},
                    headers={"X-Forwarded-For": f"198.51.100.{i}, 10.0.0.1"},
                ).status_code
                for i in range(2)
            ]
            assert statuses == ([200, 200] if trusted else [200, 429])
