"""Personal data: reasons off public streams, anonymous replay of today only, the phone hash
keyed by a secret outside the database, a kiosk key that reads no names, no names in logs."""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import stat
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text

from cherha.server.store.db import Database
from tests.api.test_bookings import (
    NAME,
    PHONE,
    TOMORROW_10,
    book,
    booked,
    booking_centre,
    booking_rows,
)
from tests.helpers.app import Api, FakeClock, api_for, make_centre
from tests.helpers.server import cli


def stream_events(api: Api, **params: Any) -> list[dict[str, Any]]:
    """Every event the stream replays now (it is read until its first keep-alive)."""
    found = []
    with api.client.stream("GET", "/api/v1/events", params=params) as r:
        assert r.status_code == 200
        for line in r.iter_lines():
            if line.startswith("data: "):
                found.append(json.loads(line[6:]))
            elif line.startswith(": keep-alive"):
                break
    return found


def test_an_out_of_order_reason_stays_off_public_streams(api: Api) -> None:
    api.issue(1)
    second = api.issue(1)
    api.open("admin", 1)
    r = api.post(
        "/api/v1/counters/1/call",
        "admin",
        {"ticket_id": second["id"], "reason": "Іваненко, інвалідність I групи"},
    )
    assert r.status_code == 200, r.text
    public = [e for e in stream_events(api, since=0) if e["type"] == "ticket_called"]
    assert public
    assert "reason" not in public[0]["data"]
    assert "Іваненко" not in json.dumps(public, ensure_ascii=False)
    token = api.as_user("admin")["Authorization"].removeprefix("Bearer ")
    staff = [e for e in stream_events(api, since=0, key=token) if e["type"] == "ticket_called"]
    assert staff[0]["data"]["reason"] == "Іваненко, інвалідність I групи"


def test_anonymous_streams_replay_only_today(api: Api, clock: FakeClock) -> None:
    yesterday = api.issue(1)
    clock.advance(days=1)
    today = api.issue(2)

    def issued(events: list[dict[str, Any]]) -> list[int]:
        return [e["ticket_id"] for e in events if e["type"] == "ticket_issued"]

    # Today's events only (yesterday's ticket appears once more, expired by today's first).
    assert issued(stream_events(api, since=0)) == [today["id"]]
    token = api.as_user("clerk1")["Authorization"].removeprefix("Bearer ")
    assert issued(stream_events(api, since=0, key=token)) == [yesterday["id"], today["id"]]


def test_the_secret_key_is_made_at_init_readable_by_its_owner_only(tmp_path: Path) -> None:
    key_file = tmp_path / "keys" / "secret.key"
    env = {
        **__import__("os").environ,
        "CHERHA_DATABASE_URL": f"sqlite:///{tmp_path / 'init.db'}",
        "CHERHA_SECRET_KEY_FILE": str(key_file),
    }
    cli(env, "init")
    mode = stat.S_IMODE(key_file.stat().st_mode)
    assert mode == 0o600
    key = key_file.read_text().strip()
    assert len(key) == 64
    cli(env, "init")  # a second init keeps the key
    assert key_file.read_text().strip() == key


def test_the_phone_hash_is_keyed_with_the_secret_file(
    database_url: str, clock: FakeClock, tmp_path: Path
) -> None:
    key_file = tmp_path / "secret.key"
    key_file.write_text("k" * 64 + "\n")
    centre = make_centre(database_url, spec=booking_centre())
    with api_for(database_url, clock, centre=centre, secret_key_file=key_file) as api:
        booked(api)
    row = booking_rows(database_url)[0]
    phone = row.phone
    unkeyed = hmac.new(b"", phone.encode(), hashlib.sha256).hexdigest()
    keyed = hmac.new(b"k" * 64, phone.encode(), hashlib.sha256).hexdigest()
    assert row.phone_hash == keyed
    assert row.phone_hash != unkeyed


def test_hashes_made_under_another_key_are_made_again_at_start(
    database_url: str, clock: FakeClock, tmp_path: Path
) -> None:
    centre = make_centre(database_url, spec=booking_centre())
    old = tmp_path / "old.key"
    old.write_text("o" * 64)
    with api_for(database_url, clock, centre=centre, secret_key_file=old) as api:
        booked(api)
    new = tmp_path / "new.key"
    new.write_text("n" * 64)
    with api_for(database_url, clock, centre=centre, secret_key_file=new) as api:
        # The quota still knows this phone: a second booking the same day is refused.
        r = book(api, TOMORROW_10 + timedelta(hours=1))
        assert r.status_code == 409
        assert r.json()["error"] == "already_booked"
    row = booking_rows(database_url)[0]
    assert row.phone_hash == hmac.new(b"n" * 64, row.phone.encode(), hashlib.sha256).hexdigest()


def test_a_kiosk_key_reads_no_names_and_cancels_only_with_the_phone(
    database_url: str, clock: FakeClock
) -> None:
    centre = make_centre(database_url, spec=booking_centre())
    with api_for(database_url, clock, centre=centre) as api:
        code = booked(api)["code"]
        r = api.client.get(f"/api/v1/bookings/{code}", headers=api.kiosk())
        assert r.status_code == 200
        assert r.json()["name"] == ""
        r = api.client.get(f"/api/v1/bookings/{code}", params={"phone": PHONE}, headers=api.kiosk())
        assert r.json()["name"] == NAME
        r = api.post(f"/api/v1/bookings/{code}/cancel", "kiosk", {})
        assert r.status_code == 422
        assert r.json()["error"] == "phone_required"
        assert booking_rows(database_url)[0].status == "booked"
        r = api.post(f"/api/v1/bookings/{code}/cancel", "clerk1", {})  # staff may
        assert r.status_code == 200


def test_unknown_codes_from_a_kiosk_are_slowed(database_url: str, clock: FakeClock) -> None:
    centre = make_centre(database_url, spec=booking_centre())
    with api_for(database_url, clock, centre=centre, code_failures_per_device=3) as api:
        code = booked(api)["code"]
        clock.now = TOMORROW_10 - timedelta(minutes=10)
        for guess in ("AAA-AAA", "BBB-BBB", "CCC-CCC"):
            r = api.post(f"/api/v1/bookings/{guess}/check-in", "kiosk")
            assert r.status_code == 404
        r = api.post(f"/api/v1/bookings/{code}/check-in", "kiosk")  # even a right one waits
        assert r.status_code == 429
        assert int(r.headers["retry-after"]) >= 1
        clock.advance(seconds=int(r.headers["retry-after"]))
        assert api.post(f"/api/v1/bookings/{code}/check-in", "kiosk").status_code == 201


def test_a_display_key_cannot_write_printer_status(api: Api) -> None:
    display = {"Authorization": f"Bearer {api.centre.display_key}"}
    r = api.client.post("/api/v1/devices/me/status", json={"printer": "ok"}, headers=display)
    assert r.status_code == 403
    r = api.client.post("/api/v1/devices/me/status", json={"printer": "ok"}, headers=api.kiosk())
    assert r.status_code == 204


def test_a_failed_booking_write_logs_neither_name_nor_phone(
    sqlite_url: str, clock: FakeClock, caplog: pytest.LogCaptureFixture
) -> None:
    centre = make_centre(sqlite_url, spec=booking_centre())
    db = Database(sqlite_url)
    with db.engine.begin() as connection:  # the disk refuses the booking's insert
        connection.execute(
            text(
                "CREATE TRIGGER refuse BEFORE INSERT ON bookings "
                "BEGIN SELECT RAISE(FAIL, 'database or disk is full'); END"
            )
        )
    db.dispose()
    with caplog.at_level(logging.DEBUG), api_for(sqlite_url, clock, centre=centre) as api:
        r = book(api)
        assert r.status_code == 503
    logged = caplog.text
    assert "Олена" not in logged
    assert "671234567" not in logged
    assert "067 123 45 67" not in logged
