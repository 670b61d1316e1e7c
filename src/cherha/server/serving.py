"""Running the app under uvicorn so that a stop takes seconds, whatever is connected.

uvicorn's graceful shutdown waits for every open response to finish, and an event stream
never finishes by itself (a hall TV never leaves): SIGTERM waited for ever and `systemctl
restart` hung to its timeout. Here the streams are ended first — each client reconnects to the
new process and resumes from Last-Event-ID, missing nothing — and any other request still
running after `GRACE_SECONDS` is cancelled.
"""

from __future__ import annotations

import socket
import sys

import uvicorn
from fastapi import FastAPI

from .backend import Backend
from .settings import Settings

GRACE_SECONDS = 2

KEEP_ALIVE_SECONDS = 30
"""How long an idle connection stays open. uvicorn's default, 5 s, is also httpx's idle limit:
a client that reused a connection just as the server closed it met "connection reset by
peer" (20 clerks idle about 5 s while the others logged in; 2 of 240 requests in a
reproduction under load, none at 30 s). An httpx client now always closes first; the kiosk's
and the desk's `requests` keep connections without a limit and find them closed."""

SWITCH_INTERVAL_SECONDS = 0.001
"""How long a thread keeps the interpreter while another waits for it (Python's default is
5 ms). A request's thread waits for the database several times per request, and after each
wait it queued for up to 5 ms behind any thread doing Python work, such as the reports' fold:
on PostgreSQL the one request holding a branch's lock then took many times as long, and every
write of that branch waited behind it (docs/benchmarks.md: a login flood's p99 +96 and +383 ms
with the fold, +3.5 ms with 1 ms)."""


class CherhaServer(uvicorn.Server):
    def __init__(self, config: uvicorn.Config, backend: Backend) -> None:
        super().__init__(config)
        self.backend = backend

    async def shutdown(self, sockets: list[socket.socket] | None = None) -> None:
        self.backend.hub.end_streams()
        await super().shutdown(sockets)


def serve(app: FastAPI, settings: Settings) -> None:
    sys.setswitchinterval(SWITCH_INTERVAL_SECONDS)
    config = uvicorn.Config(
        app,
        host=settings.host,
        port=settings.port,
        log_level=settings.log_level,
        access_log=False,
        timeout_graceful_shutdown=GRACE_SECONDS,
        timeout_keep_alive=KEEP_ALIVE_SECONDS,
    )
    CherhaServer(config, app.state.backend).run()
