"""The queue server in-process: a FastAPI app on a real database, with a clock tests can move.

`make_centre()` prepares the sample centre and accounts directly through the store (fast);
`ThreadedServer` serves an app with uvicorn on a free loopback port in a thread, for clients
(Qt apps, browsers) that need a real HTTP server inside the test process.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import httpx
import uvicorn
from fastapi import FastAPI
from fastapi.testclient import TestClient
from httpx2 import Response

from cherha.server.app import create_app
from cherha.server.auth import DeviceKind, Role
from cherha.server.settings import Settings
from cherha.server.store.accounts import Accounts
from cherha.server.store.centre import load_centre
from cherha.server.store.centre_file import SAMPLE_CENTRE, CentreFile, always_open, read_centre_file
from cherha.server.store.db import Database
from cherha.server.store.migrate import upgrade

from .ports import free_port
from .server import ADMIN_PASSWORD, CLERK_PASSWORD


class FakeClock:
    """Time that moves only when the test says so (starts on a Tuesday noon in Kyiv)."""

    def __init__(self, start: datetime | None = None) -> None:
        self.now = start or datetime(2026, 11, 24, 10, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> datetime:
        self.now += timedelta(**delta)
        return self.now


@dataclass
class Centre:
    database_url: str
    kiosk_key: str
    display_key: str
    clerks: list[str] = field(default_factory=list)


def make_centre(database_url: str, *, clerks: int = 3, spec: CentreFile | None = None) -> Centre:
    db = Database(database_url)
    try:
        upgrade(db.engine)
        load_centre(db, spec or always_open(read_centre_file(SAMPLE_CENTRE)))
        accounts = Accounts(db, timedelta(hours=12))
        accounts.add_user("admin", ADMIN_PASSWORD, Role.ADMIN)
        names = [f"clerk{i}" for i in range(1, clerks + 1)]
        for name in names:
            accounts.add_user(name, CLERK_PASSWORD, Role.CLERK)
        _k, kiosk = accounts.add_device("kiosk-1", DeviceKind.KIOSK)
        _d, display = accounts.add_device("display-1", DeviceKind.DISPLAY)
        return Centre(database_url, kiosk, display, names)
    finally:
        db.dispose()


def settings_for(database_url: str, **overrides: object) -> Settings:
    values: dict[str, object] = {
        "database_url": database_url,
        "sse_keepalive_seconds": 1.0,
        "sse_poll_seconds": 0.5,
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
    clock: FakeClock | None = None,
    *,
    centre: Centre | None = None,
    **settings: object,
) -> Iterator[Api]:
    """An in-process API on the database; the sample centre (24/7) unless `centre` is given."""
    centre = centre or make_centre(database_url)
    app = create_app(settings_for(database_url, **settings), clock=clock or FakeClock())
    with TestClient(app) as client:
        yield Api(client, centre)


class ThreadedServer:
    """uvicorn serving an app in a background thread on 127.0.0.1:<free port>."""

    def __init__(self, app: FastAPI, port: int | None = None) -> None:
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        config = uvicorn.Config(
            app, host="127.0.0.1", port=self.port, log_level="warning", lifespan="on"
        )
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, name="test-uvicorn", daemon=True)

    def start(self, timeout: float = 20.0) -> ThreadedServer:
        self.thread.start()
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"{self.url}/api/v1/health", timeout=1.0).status_code == 200:
                    return self
            except httpx.HTTPError:
                time.sleep(0.05)
        raise RuntimeError("in-process server did not start")

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)


@contextmanager
def live_server(database_url: str, **settings: object) -> Iterator[tuple[ThreadedServer, Centre]]:
    """A prepared centre served over real HTTP inside the test process."""
    centre = make_centre(database_url)
    port = free_port()  # chosen first so the server's own links (status_url) point at it
    app = create_app(settings_for(database_url, port=port, **settings))
    server = ThreadedServer(app, port).start()
    try:
        yield server, centre
    finally:
        server.stop()
