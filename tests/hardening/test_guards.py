"""Cheap ways to degrade the server, closed: body caps before reading, unknown branches
refused before subscribing, /metrics kept to its readers, security headers everywhere,
/docs without a CDN, lengths checked, errors never plain text."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import httpx
import pytest

from cherha.core.errors import Invalid
from cherha.server.auth import DeviceKind, Role
from cherha.server.store.accounts import Accounts
from cherha.server.store.db import Database
from tests.api.test_bookings import TOMORROW_10, book, booking_centre
from tests.helpers.app import (
    Api,
    FakeClock,
    api_for,
    live_server,
    make_app,
    make_centre,
    settings_for,
)
from tests.helpers.server import ServerProcess, prepare_database


def test_an_anonymous_body_over_the_cap_is_refused_unread(api: Api) -> None:
    big = b'{"username": "' + b"x" * 20_000 + b'", "password": "p"}'
    r = api.client.post(
        "/api/v1/auth/login", content=big, headers={"Content-Type": "application/json"}
    )
    assert r.status_code == 413
    assert r.json()["error"] == "body_too_large"
    assert r.json()["message"].startswith("Запит завеликий")
    # With credentials the cap is larger: the same size reaches validation (422, not 413).
    r = api.client.post(
        "/api/v1/tickets",
        content=b'{"service_id": 1, "pad": "' + b"x" * 20_000 + b'"}',
        headers={**api.kiosk(), "Content-Type": "application/json"},
    )
    assert r.status_code == 422


def test_a_streamed_body_without_length_is_cut_at_the_cap(api: Api) -> None:
    def chunks() -> Iterator[bytes]:
        for _ in range(100):
            yield b"x" * 1024

    r = api.client.post(
        "/api/v1/auth/login", content=chunks(), headers={"Content-Type": "application/json"}
    )
    assert r.status_code == 413


def rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise AssertionError("no VmRSS")


@pytest.mark.slow
def test_a_30_mb_anonymous_body_costs_the_real_server_no_memory(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'body.db'}"
    prepare_database(url, clerks=0)
    server = ServerProcess(url).start(120)
    try:
        assert server.process is not None
        before = rss_kib(server.process.pid)
        payload = b"x" * (30 * 1024 * 1024)
        statuses = []
        for _ in range(3):
            try:
                r = httpx.post(f"{server.url}/api/v1/bookings", content=payload, timeout=30)
                statuses.append(r.status_code)
            except httpx.HTTPError:  # the server may close before the body is all sent
                statuses.append(413)
        time.sleep(0.5)
        after = rss_kib(server.process.pid)
        assert statuses == [413, 413, 413]
        assert after - before < 20 * 1024, (before, after)
        assert httpx.get(f"{server.url}/api/v1/health", timeout=30).status_code == 200
    finally:
        server.stop()


def test_security_headers_on_api_pages_and_files(api: Api) -> None:
    for path in ("/api/v1/services", "/display", "/static/js/common.js", "/api/v1/nowhere"):
        r = api.client.get(path)
        assert r.headers["x-content-type-options"] == "nosniff", path
        assert r.headers["referrer-policy"] == "no-referrer", path
        assert "frame-ancestors 'none'" in r.headers["content-security-policy"], path


def test_docs_are_served_from_this_server(api: Api) -> None:
    page = api.client.get("/docs")
    assert page.status_code == 200
    assert "cdn" not in page.text.lower()
    assert "http://" not in page.text
    assert "https://" not in page.text
    for asset in ("/docs-assets/swagger-ui-bundle.js", "/docs-assets/swagger-ui.css"):
        assert api.client.get(asset).status_code == 200


def test_docs_can_be_turned_off(database_url: str) -> None:
    make_centre(database_url, clerks=0)
    from fastapi.testclient import TestClient

    with TestClient(make_app(settings_for(database_url, api_docs=False))) as client:
        assert client.get("/docs").status_code == 404
        assert client.get("/openapi.json").status_code == 200


def test_metrics_only_for_allowed_addresses_or_the_key(database_url: str) -> None:
    from fastapi.testclient import TestClient

    with live_server(database_url) as (server, _centre):  # loopback is allowed by default
        assert httpx.get(f"{server.url}/metrics").status_code == 200
        settings = settings_for(database_url, metrics_allow="10.9.9.0/24", metrics_key="m-key-1")
        with TestClient(make_app(settings)) as client:  # its address is "testclient"
            assert client.get("/metrics").status_code == 404
            assert client.get("/metrics", params={"key": "wrong"}).status_code == 404
            r = client.get("/metrics", params={"key": "m-key-1"})
            assert r.status_code == 200
            assert "cherha_http_request_seconds" in r.text
            r = client.get("/metrics", headers={"Authorization": "Bearer m-key-1"})
            assert r.status_code == 200


def test_a_stream_for_an_unknown_branch_is_refused_before_subscribing(api: Api) -> None:
    for branch in (999, 12345):
        r = api.client.get("/api/v1/events", params={"branch_id": branch})
        assert r.status_code == 404
    assert api.client.app.state.backend.hub.subscriber_count == 0  # type: ignore[attr-defined]


def test_names_of_the_longest_allowed_length_work_everywhere(database_url: str) -> None:
    """An 80-character kiosk name and username (the CLI's limit) on SQLite and PostgreSQL."""
    with live_server(database_url) as (server, _centre):
        db = Database(database_url)
        try:
            accounts = Accounts(db, token_ttl=timedelta(hours=1))
            _device, key = accounts.add_device("к" * 80, DeviceKind.KIOSK)
            accounts.add_user("u" * 80, "long-name-pass", Role.CLERK)
            with pytest.raises(Invalid, match="80"):
                accounts.add_device("к" * 81, DeviceKind.KIOSK)
            with pytest.raises(Invalid, match="80"):
                accounts.add_user("u" * 81, "long-name-pass", Role.CLERK)
        finally:
            db.dispose()
        # A real password hash, checked at the hashing's lower priority: on a machine busy with
        # other tests the login alone once took longer than httpx's default 5 s.
        with httpx.Client(base_url=server.url, timeout=60) as client:
            r = client.post(
                "/api/v1/tickets",
                json={"service_id": 1},
                headers={"Authorization": f"Bearer {key}"},
            )
            assert r.status_code == 201, r.text
            token = client.post(
                "/api/v1/auth/login",
                json={"username": "u" * 80, "password": "long-name-pass"},
            ).json()["token"]
            auth = {"Authorization": f"Bearer {token}"}
            assert client.post("/api/v1/counters/1/open", headers=auth).status_code == 200
            called = client.post("/api/v1/counters/1/call-next", headers=auth)
            assert called.status_code == 200, called.text


def test_an_unexpected_fault_is_json_not_plain_text(api: Api) -> None:
    def broken() -> None:
        raise RuntimeError("boom")

    api.client.app.state.backend.health.probe = broken  # type: ignore[attr-defined]
    with pytest.raises(RuntimeError):  # TestClient re-raises server errors by default
        api.client.get("/api/v1/health")
    from fastapi.testclient import TestClient

    quiet = TestClient(api.client.app, raise_server_exceptions=False)
    r = quiet.get("/api/v1/health")
    assert r.status_code == 500
    assert r.json()["error"] == "internal_error"
    assert r.json()["message_en"].startswith("Internal server error")


def test_x_forwarded_for_believes_only_the_configured_proxies() -> None:
    from cherha.server.api.addresses import forwarded_client, parse_networks

    proxies = parse_networks("127.0.0.1, 10.0.0.0/8")
    # The client wrote a made-up first hop; the proxy appended the real address.
    assert forwarded_client("127.0.0.1", "6.6.6.6, 203.0.113.7", proxies) == "203.0.113.7"
    assert forwarded_client("127.0.0.1", "203.0.113.7, 10.1.2.3", proxies) == "203.0.113.7"
    assert forwarded_client("198.51.100.1", "6.6.6.6", proxies) == "198.51.100.1"  # no proxy
    assert forwarded_client("127.0.0.1", "", proxies) == "127.0.0.1"
    assert forwarded_client("127.0.0.1", "not-an-ip", proxies) == "not-an-ip"


def test_a_made_up_first_hop_does_not_bypass_the_booking_limit(database_url: str) -> None:
    clock = FakeClock()
    centre = make_centre(database_url, spec=booking_centre(monthly_quota=0))
    with api_for(
        database_url,
        clock,
        centre=centre,
        booking_writes_per_hour=2,
        trust_forwarded_for=True,
        trusted_proxies="127.0.0.1",
    ) as api:
        # TestClient's peer is "testclient", not a proxy: X-Forwarded-For is not believed.
        made = [
            book(
                api,
                TOMORROW_10 + timedelta(days=n),
                phone=f"06712345{n:02d}",
                headers={"X-Forwarded-For": f"6.6.6.{n}"},
            ).status_code
            for n in range(4)
        ]
        assert made == [201, 201, 429, 429]


def test_refused_bookings_do_not_spend_a_visitor_s_budget(database_url: str) -> None:
    clock = FakeClock()
    centre = make_centre(database_url, spec=booking_centre(monthly_quota=0))
    with api_for(
        database_url, clock, centre=centre, booking_writes_per_hour=2, booking_failures_per_hour=30
    ) as api:
        for n in range(20):  # a script's (or a confused visitor's) refused attempts
            r = book(api, TOMORROW_10 + timedelta(minutes=7), phone=f"06712300{n:02d}")
            assert r.status_code == 422
            assert r.json()["error"] == "no_such_slot"
        assert book(api, TOMORROW_10).status_code == 201  # the real booking still goes through
        for _ in range(10):
            book(api, TOMORROW_10 + timedelta(minutes=7))
        r = book(api, TOMORROW_10 + timedelta(days=1), phone="0501112233")
        assert r.status_code == 429  # now the refusals' own budget is spent
        assert r.json()["message_en"].startswith("Too many refused attempts")


def test_the_booking_limit_holds_across_instances(database_url: str) -> None:
    from fastapi.testclient import TestClient

    clock = FakeClock()
    make_centre(database_url, spec=booking_centre(monthly_quota=0))
    settings = settings_for(database_url, booking_writes_per_hour=2)
    with (
        TestClient(make_app(settings, clock=clock)) as first,
        TestClient(make_app(settings, clock=clock)) as second,
    ):

        def book_on(client: TestClient, days: int) -> int:
            start = TOMORROW_10 + timedelta(days=days)
            body = {
                "service_id": 1,
                "start": start.isoformat(),
                "name": "Олена",
                "phone": f"067123456{days}",
            }
            return client.post("/api/v1/bookings", json=body).status_code

        assert [book_on(first, 0), book_on(second, 1), book_on(first, 2), book_on(second, 3)] == [
            201,
            201,
            429,
            429,
        ]
