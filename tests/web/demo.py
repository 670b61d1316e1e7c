"""Driving a real server over HTTP for the browser tests, the screenshots and the benchmark:
a kiosk issues tickets, clerks open windows and call the next visitor."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx

from tests.helpers.app import Centre, ThreadedServer, make_app, make_centre, settings_for
from tests.helpers.server import ADMIN_PASSWORD, CLERK_PASSWORD


class Desk:
    """The kiosk and the clerks of one server, through its public HTTP API."""

    def __init__(self, base_url: str, kiosk_key: str) -> None:
        self.base_url = base_url
        self.kiosk_key = kiosk_key
        self.http = httpx.Client(base_url=base_url, timeout=15.0)
        self._tokens: dict[str, str] = {}
        self.at_counter: dict[int, int] = {}

    def close(self) -> None:
        self.http.close()

    def __enter__(self) -> Desk:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def token(self, user: str) -> str:
        if user not in self._tokens:
            password = ADMIN_PASSWORD if user == "admin" else CLERK_PASSWORD
            r = self.http.post("/api/v1/auth/login", json={"username": user, "password": password})
            r.raise_for_status()
            self._tokens[user] = r.json()["token"]
        return self._tokens[user]

    def forget_tokens(self) -> None:
        self._tokens.clear()

    def as_user(self, user: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token(user)}"}

    def issue(self, service_id: int, *, priority: bool = False) -> dict[str, Any]:
        r = self.http.post(
            "/api/v1/tickets",
            json={"service_id": service_id, "priority": priority},
            headers={"Authorization": f"Bearer {self.kiosk_key}"},
        )
        assert r.status_code == 201, r.text
        body: dict[str, Any] = r.json()
        return body

    def open(self, clerk: str, counter_id: int) -> None:
        r = self.http.post(f"/api/v1/counters/{counter_id}/open", headers=self.as_user(clerk))
        assert r.status_code == 200, r.text

    def call_next(self, clerk: str, counter_id: int) -> dict[str, Any]:
        r = self.http.post(f"/api/v1/counters/{counter_id}/call-next", headers=self.as_user(clerk))
        assert r.status_code == 200, r.text
        body: dict[str, Any] = r.json()
        return body

    def next(self, clerk: str, counter_id: int) -> dict[str, Any]:
        """Finish whoever is at the window (start, finish), then call the next ticket."""
        current = self.at_counter.pop(counter_id, None)
        if current is not None:
            self.act(clerk, current, "start")
            self.act(clerk, current, "finish")
        called = self.call_next(clerk, counter_id)
        self.at_counter[counter_id] = int(called["id"])
        return called

    def act(self, clerk: str, ticket_id: int, action: str) -> dict[str, Any]:
        r = self.http.post(f"/api/v1/tickets/{ticket_id}/{action}", headers=self.as_user(clerk))
        assert r.status_code == 200, r.text
        body: dict[str, Any] = r.json()
        return body

    def pause(self, reason: str) -> None:
        r = self.http.post(
            "/api/v1/branch/pause", json={"reason": reason}, headers=self.as_user("admin")
        )
        assert r.status_code == 200, r.text

    def resume(self) -> None:
        r = self.http.post("/api/v1/branch/resume", headers=self.as_user("admin"))
        assert r.status_code == 200, r.text


@contextmanager
def demo_server(
    database_url: str, *, clerks: int = 8, cache_dir: Path | None = None, **settings: object
) -> Iterator[tuple[ThreadedServer, Centre]]:
    """A prepared sample centre (open 24/7, `clerks` clerks) served in this process."""
    centre = make_centre(database_url, clerks=clerks)
    if cache_dir is not None:
        settings = {"speech_cache_dir": str(cache_dir), **settings}
    server = ThreadedServer(make_app(settings_for(database_url, **settings))).start()
    try:
        yield server, centre
    finally:
        server.stop()
