"""The ASGI application: create_app(settings) wires the backend, the API and the pages."""

from __future__ import annotations

import logging
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI, Request, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from . import __version__
from .api import bookings, desk, errors, kiosk_bookings, outcomes, reports, routes, stream
from .api.deps import backend_of
from .auth import Passwords
from .backend import Backend
from .guards import Guards
from .hub import PostgresListener, libpq_dsn
from .notify import OUTBOX_CHANNEL
from .routing import add_routes
from .settings import Settings
from .speech import Speaker
from .store.clock import Clock, utcnow
from .store.migrate import upgrade

log = logging.getLogger(__name__)

DESCRIPTION = """Cherha («черга»): електронна черга для центрів надання послуг.
Electronic queue and appointments for public service centres.

Помилки / errors: `{"error": code, "message": "українською", "message_en": "in English"}`.
"""


def create_app(
    settings: Settings,
    *,
    clock: Clock = utcnow,
    migrate: bool | None = None,
    passwords: Passwords | None = None,
    speaker: Speaker | None = None,
) -> FastAPI:
    backend = Backend.create(settings, clock, passwords, speaker)
    if settings.auto_migrate if migrate is None else migrate:
        upgrade(backend.db.engine)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        await backend.hub.start()
        await backend.notify.start()
        child = None
        if settings.notify_in_server and settings.notify_child:
            from .notify.child import NotifierChild

            child = NotifierChild(settings)
            await child.start(at_once=backend.notify.has_work())
            backend.notify.forward_wakes(child.wake)
        listener = None
        if backend.db.dialect == "postgresql":
            sends = backend.notify.sends
            wake_senders = {OUTBOX_CHANNEL: backend.notify.wake_from_thread} if sends else {}
            listener = PostgresListener(libpq_dsn(backend.db.url), backend.hub, wake_senders)
            listener.start()
        backend.sweeper.start()
        try:
            async with reports.lifespan(_app):  # the reports' projections kept up meanwhile
                yield
        finally:
            await backend.sweeper.stop()
            if child is not None:
                backend.notify.forward_wakes(None)
                await child.stop()
            await backend.notify.stop()
            await backend.hub.stop()
            if listener is not None:
                listener.stop()
            backend.writes.close()
            backend.db.dispose()

    app = FastAPI(
        title="Cherha",
        version=__version__,
        description=DESCRIPTION,
        lifespan=lifespan,
        openapi_url="/openapi.json",
        docs_url=None,  # ours below: Swagger UI from this server, never from a CDN
        redoc_url=None,
    )
    app.state.backend = backend
    errors.install(app)
    for router in (
        routes.router,
        bookings.router,
        desk.router,
        outcomes.router,
        reports.router,
        kiosk_bookings.router,
        stream.router,
    ):
        add_routes(app, router)
    from . import api_docs, pages

    for router in pages.ROUTERS:
        add_routes(app, router)
    app.mount("/static", pages.static_files(), name="static")
    from . import admin, opendata

    admin.install(app)
    if settings.api_docs:
        api_docs.install(app)
    add_routes(app, opendata.router)

    app.add_api_route("/metrics", metrics, include_in_schema=False)
    app.add_middleware(MetricsMiddleware, backend=backend)
    app.add_middleware(Guards, settings=settings)
    return app


def metrics(request: Request) -> Response:
    """Prometheus text; the guards let only `metrics_allow` addresses or the key in.

    Not a closure over the backend: FastAPI keeps each endpoint in caches of its own for the
    life of the process, and an endpoint that held the backend kept every closed app's database
    engine, pools and caches alive with it (issue 11).
    """
    text = backend_of(request).metrics.render()
    return Response(text, media_type="text/plain; version=0.0.4")


class MetricsMiddleware:
    """Request latency per route template (a plain ASGI middleware: streams pass untouched)."""

    def __init__(self, app: ASGIApp, backend: Backend) -> None:
        self.app = app
        self.backend = backend

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500

        async def send_and_note(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = int(message["status"])
            await send(message)

        try:
            await self.app(scope, receive, send_and_note)
        finally:
            route = getattr(scope.get("route"), "path", "unmatched")
            if route != "/api/v1/events":
                self.backend.metrics.requests.labels(scope["method"], route, str(status)).observe(
                    time.perf_counter() - started
                )
