"""A queue server in-process that can be stopped and started again on the same port and database.

For the clerk desk's and the client's reconnect tests: "the server restarts" without the cost
of a separate process. `ThreadedServer` picks a new port each time, so it cannot do this.
"""

from __future__ import annotations

import threading

import uvicorn

from .app import make_app, settings_for, uvicorn_server
from .health import wait_until_answers
from .ports import free_port


class RestartableServer:
    """uvicorn in a thread on a fixed 127.0.0.1 port; start() / stop() as often as needed."""

    def __init__(self, database_url: str, **settings: object) -> None:
        self.database_url = database_url
        self.settings = settings
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def start(self, timeout: float = 20.0) -> RestartableServer:
        app = make_app(settings_for(self.database_url, **self.settings))
        self._server = uvicorn_server(app, self.port)
        self._thread = threading.Thread(target=self._server.run, name="test-uvicorn", daemon=True)
        self._thread.start()
        server = self._server
        if wait_until_answers(
            self.port, timeout, ready=lambda: server.started, alive=self._thread.is_alive
        ):
            return self
        raise RuntimeError("in-process server did not start")

    def stop(self) -> None:
        if self._server is not None and self._thread is not None:
            self._server.should_exit = True
            self._thread.join(timeout=15)
            if self._thread.is_alive():
                raise RuntimeError("in-process server did not stop")
        self._server = self._thread = None


def expire_tokens(database_url: str) -> None:
    """Make every login session of the database expired (the server then answers token_expired)."""
    from datetime import UTC, datetime

    from sqlalchemy import update

    from cherha.server.store.db import Database
    from cherha.server.store.models import AuthToken

    db = Database(database_url)
    try:
        with db.sessions() as session, session.begin():
            session.execute(update(AuthToken).values(expires_at=datetime(2000, 1, 1, tzinfo=UTC)))
    finally:
        db.dispose()
