"""The server is wired in one place: `Backend.create` makes every part and the app's lifespan
starts and stops what runs. Nothing is made later, on the first request that needs it."""

from __future__ import annotations

import gc
import threading
import weakref
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import pytest
from fastapi import APIRouter, FastAPI
from fastapi.testclient import TestClient

from cherha.server.backend import Backend
from cherha.server.routing import add_routes
from cherha.server.speech import Speaker, SpeechConfig
from tests.helpers.app import make_app, make_centre, settings_for

SWEEPER = "cherha-booking-sweeper"


def _sweepers() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name == SWEEPER and t.is_alive()]


def test_every_part_is_made_with_the_backend(sqlite_url: str, tmp_path: Path) -> None:
    speaker = Speaker(SpeechConfig(cache_dir=tmp_path / "audio", espeak="no-such-espeak"))
    app = make_app(settings_for(sqlite_url), migrate=True, speaker=speaker)
    be: Backend = app.state.backend
    try:
        # The app's state holds the backend and nothing else, before and after requests.
        assert set(vars(app.state)["_state"]) == {"backend"}
        assert be.speaker is speaker
        assert be.bookings.db is be.db
        assert be.sweeper.ops is be.bookings
        limiter = be.booking_limiter
        make_centre(sqlite_url)
        client = TestClient(app)
        assert client.get("/audio/status").json()["uk"] is False  # the speaker given: no voice
        assert client.get("/api/v1/services/1/booking-days").status_code == 200
        assert client.get("/audio/chime.wav").status_code == 200
        assert set(vars(app.state)["_state"]) == {"backend"}
        assert be.booking_limiter is limiter
    finally:
        be.db.dispose()


def test_the_lifespan_starts_and_stops_the_sweeper(sqlite_url: str) -> None:
    before = len(_sweepers())
    app = make_app(settings_for(sqlite_url, booking_sweep_seconds=60), migrate=True)
    assert len(_sweepers()) == before  # made, not started
    with TestClient(app):
        assert len(_sweepers()) == before + 1
    assert len(_sweepers()) == before


def test_the_rate_limit_is_one_for_the_whole_server(sqlite_url: str) -> None:
    make_centre(sqlite_url)
    app = make_app(settings_for(sqlite_url, booking_reads_per_minute=3), migrate=True)
    with TestClient(app) as client:
        answers = [
            client.get("/api/v1/services/1/booking-days").status_code,
            client.get("/api/v1/services/1/booking-rules").status_code,
            client.get("/api/v1/services/2/booking-days").status_code,
            client.get("/api/v1/services/1/booking-rules").status_code,
        ]
    assert answers == [200, 200, 200, 429]


def test_a_closed_app_leaves_nothing_of_its_backend_behind(sqlite_url: str) -> None:
    """FastAPI keeps every endpoint it has seen in caches for the life of the process: an
    endpoint made per app as a closure over its backend kept each closed app's engine, pools
    and statement caches alive (a test worker grew to 500 MB; issue 11)."""
    make_centre(sqlite_url)
    app = make_app(settings_for(sqlite_url, metrics_key="m-key-1"), migrate=True)
    backend = weakref.ref(app.state.backend)
    with TestClient(app) as client:
        assert client.get("/metrics", params={"key": "m-key-1"}).status_code == 200
        assert client.get("/docs").status_code == 200
        assert client.get("/api/v1/services").status_code in (200, 401)
        assert client.get("/display").status_code == 200
        assert client.get("/admin").status_code == 200  # its login page
    del app, client
    gc.collect()
    assert backend() is None


REPORTS = "cherha-report-refresh"


def test_the_lifespan_keeps_the_reports_up_to_date_and_stops_it(sqlite_url: str) -> None:
    def refreshing() -> int:
        return sum(1 for t in threading.enumerate() if t.name == REPORTS and t.is_alive())

    before = refreshing()
    app = make_app(settings_for(sqlite_url, report_refresh_seconds=60), migrate=True)
    assert refreshing() == before
    with TestClient(app):
        assert refreshing() == before + 1
    assert refreshing() == before


def test_apps_share_their_routes_built_once_at_import(sqlite_url: str) -> None:
    """A route's state (dependencies, models) is built with its module, not again per app:
    `include_router` rebuilt it on each app's first request (~0.2 s of CPU each)."""
    first, second = (make_app(settings_for(sqlite_url), migrate=True) for _ in range(2))
    try:
        theirs = {id(route) for route in second.routes}
        shared = [route for route in first.routes if id(route) in theirs]  # the same objects
        assert {getattr(route, "path", "") for route in shared} >= {
            "/api/v1/tickets",
            "/api/v1/counters/{counter_id}/call-next",
            "/display",
            "/admin/login",
        }
    finally:
        for app in (first, second):
            app.state.backend.db.dispose()


def test_a_router_with_a_lifespan_of_its_own_is_refused() -> None:
    @asynccontextmanager
    async def lifespan(_app: object) -> AsyncIterator[None]:
        yield

    app = FastAPI()
    before = len(app.routes)
    router = APIRouter(lifespan=lifespan)

    @router.get("/never")
    def never() -> None: ...

    with pytest.raises(ValueError, match="lifespan"):
        add_routes(app, router)
    assert len(app.routes) == before  # nothing added
