"""The queue server in-process: a FastAPI app on a real database, with a clock tests can move.

`make_centre()` prepares the sample centre and accounts (a copy of this run's template database,
see templates.py); `make_app()` is `create_app` with the tests' cheap password hasher;
`ThreadedServer` serves an app with uvicorn on a free loopback port in a thread, for clients
(Qt apps, browsers) that need a real HTTP server inside the test process.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta

import uvicorn
from fastapi import FastAPI
from fastapi.testclient import TestClient
from httpx2 import Response

from cherha.server import app as server_app
from cherha.server.auth import Passwords
from cherha.server.backend import Backend
from cherha.server.serving import CherhaServer
from cherha.server.settings import Settings
from cherha.server.speech import Speaker
from cherha.server.store.clock import Clock, utcnow

from .health import wait_until_answers
from .ports import free_port
from .templates import ADMIN_PASSWORD, CLERK_PASSWORD, TEST_PASSWORDS
from .templates import Centre as Centre  # re-exported: tests import them from here
from .templates import make_centre as make_centre


class FakeClock:
    """Time that moves only when the test says so (starts on a Tuesday noon in Kyiv)."""

    def __init__(self, start: datetime | None = None) -> None:
        self.now = start or datetime(2026, 11, 24, 10, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> datetime:
        self.now += timedelta(**delta)
        return self.now


def make_app(
    settings: Settings,
    *,
    clock: Clock = utcnow,
    migrate: bool | None = None,
    passwords: Passwords = TEST_PASSWORDS,
    speaker: Speaker | None = None,
) -> FastAPI:
    """`cherha.server.app.create_app` with the tests' cheap password hasher.

    Use it wherever a test makes an app: argon2 at production cost takes a second or more per
    password on a busy machine (see tests/README.md).
    """
    return server_app.create_app(
        settings, clock=clock, migrate=migrate, passwords=passwords, speaker=speaker
    )


def settings_for(database_url: str, **overrides: object) -> Settings:
    values: dict[str, object] = {
        "database_url": database_url,
        "sse_keepalive_seconds": 1.0,
        "sse_poll_seconds": 0.5,
        # In-process apps run on a virtual clock that a child process could not follow: their
        # notifications run on the app's own loop (tests/notify/test_child_process.py and the
        # server-process tests cover `serve`'s default, the child).
        "notify_child": False,
        **overrides,
    }
    return Settings.model_validate(values)


class Api:
    """A TestClient with helpers for the usual steps."""

    def __init__(self, client: TestClient, centre: Centre) -> None:
        self.client = client
        self.centre = centre
        self._tokens: dict[str, str] = {}

    def kiosk(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.centre.kiosk_key}"}

    def as_user(self, name: str) -> dict[str, str]:
        if name not in self._tokens:
            password = ADMIN_PASSWORD if name == "admin" else CLERK_PASSWORD
            r = self.client.post(
                "/api/v1/auth/login", json={"username": name, "password": password}
            )
            assert r.status_code == 200, r.text
            self._tokens[name] = r.json()["token"]
        return {"Authorization": f"Bearer {self._tokens[name]}"}

    def issue(self, service_id: int, *, priority: bool = False) -> dict[str, object]:
        r = self.client.post(
            "/api/v1/tickets",
            json={"service_id": service_id, "priority": priority},
            headers=self.kiosk(),
        )
        assert r.status_code == 201, r.text
        body: dict[str, object] = r.json()
        return body

    def open(self, clerk: str, counter_id: int) -> None:
        r = self.client.post(f"/api/v1/counters/{counter_id}/open", headers=self.as_user(clerk))
        assert r.status_code == 200, r.text

    def post(self, path: str, who: str, json: object = None) -> Response:
        """POST as a user ("clerk1", "admin") or as the kiosk ("kiosk")."""
        headers = self.kiosk() if who == "kiosk" else self.as_user(who)
        return self.client.post(path, headers=headers, json=json)

    def call_next_raw(self, clerk: str, counter_id: int) -> Response:
        return self.post(f"/api/v1/counters/{counter_id}/call-next", clerk)

    def call_next(self, clerk: str, counter_id: int) -> dict[str, object] | None:
        r = self.call_next_raw(clerk, counter_id)
        if r.status_code == 204:
            return None
        assert r.status_code == 200, r.text
        body: dict[str, object] = r.json()
        return body


@contextmanager
def api_for(
    database_url: str,
    clock: Clock | None = None,
    *,
    centre: Centre | None = None,
    **settings: object,
) -> Iterator[Api]:
    """An in-process API on the database; the sample centre (24/7) unless `centre` is given."""
    centre = centre or make_centre(database_url)
    app = make_app(settings_for(database_url, **settings), clock=clock or FakeClock())
    with TestClient(app) as client:
        yield Api(client, centre)


def uvicorn_server(app: FastAPI, port: int) -> uvicorn.Server:
    """uvicorn for `app` on 127.0.0.1:`port`, stopping as `cherha-server serve` does.

    A Cherha app runs under the server's own `CherhaServer`: a stop ends the event streams (a
    browser's, a desk's) at once and their clients reconnect, as after a real restart; any
    other request still running after a second is cancelled. Other apps (the fake Bot API)
    run under plain uvicorn.
    """
    config = uvicorn.Config(
        app,
        host="127.0.0.1",
        port=port,
        log_level="warning",
        lifespan="on",
        timeout_graceful_shutdown=1,
    )
    backend = getattr(app.state, "backend", None)
    if isinstance(backend, Backend):
        return CherhaServer(config, backend)
    return uvicorn.Server(config)


class ThreadedServer:
    """uvicorn serving an app in a background thread on 127.0.0.1:<free port>."""

    def __init__(
        self, app: FastAPI, port: int | None = None, health_path: str = "/api/v1/health"
    ) -> None:
        self.health_path = health_path
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.server = uvicorn_server(app, self.port)
        self.thread = threading.Thread(target=self.server.run, name="test-uvicorn", daemon=True)

    def start(self, timeout: float = 20.0) -> ThreadedServer:
        self.thread.start()
        # uvicorn sets `started` once it listens and the app's start-up has run.
        if wait_until_answers(
            self.port,
            timeout,
            path=self.health_path,
            ready=lambda: self.server.started,
            alive=self.thread.is_alive,
        ):
            return self
        raise RuntimeError("in-process server did not start")

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)


@contextmanager
def live_server(
    database_url: str, *, centre: Centre | None = None, **settings: object
) -> Iterator[tuple[ThreadedServer, Centre]]:
    """A prepared centre (the sample, unless `centre` is given) served over real HTTP inside
    the test process."""
    centre = centre or make_centre(database_url)
    port = free_port()  # chosen first so the server's own links (status_url) point at it
    app = make_app(settings_for(database_url, port=port, **settings))
    server = ThreadedServer(app, port).start()
    try:
        yield server, centre
    finally:
        server.stop()
