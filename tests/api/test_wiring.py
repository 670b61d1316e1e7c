"""The server is wired in one place: `Backend.create` makes every part and the app's lifespan
starts and stops what runs. Nothing is made later, on the first request that needs it."""

from __future__ import annotations

import threading
from pathlib import Path

from fastapi.testclient import TestClient

from cherha.server.app import create_app
from cherha.server.backend import Backend
from cherha.server.speech import Speaker, SpeechConfig
from tests.helpers.app import make_centre, settings_for

SWEEPER = "cherha-booking-sweeper"


def _sweepers() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name == SWEEPER and t.is_alive()]


def test_every_part_is_made_with_the_backend(sqlite_url: str, tmp_path: Path) -> None:
    speaker = Speaker(SpeechConfig(cache_dir=tmp_path / "audio", espeak="no-such-espeak"))
    app = create_app(settings_for(sqlite_url), migrate=True, speaker=speaker)
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
    app = create_app(settings_for(sqlite_url, booking_sweep_seconds=60), migrate=True)
    assert len(_sweepers()) == before  # made, not started
    with TestClient(app):
        assert len(_sweepers()) == before + 1
    assert len(_sweepers()) == before


def test_the_rate_limit_is_one_for_the_whole_server(sqlite_url: str) -> None:
    make_centre(sqlite_url)
    app = create_app(settings_for(sqlite_url, booking_reads_per_minute=3), migrate=True)
    with TestClient(app) as client:
        answers = [
            client.get("/api/v1/services/1/booking-days").status_code,
            client.get("/api/v1/services/1/booking-rules").status_code,
            client.get("/api/v1/services/2/booking-days").status_code,
            client.get("/api/v1/services/1/booking-rules").status_code,
        ]
    assert answers == [200, 200, 200, 429]
