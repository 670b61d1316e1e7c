"""Adding the server's routers to an app without rebuilding their routes for each app."""

from __future__ import annotations

from fastapi import APIRouter, FastAPI


def add_routes(app: FastAPI, router: APIRouter) -> None:
    """Put `router`'s routes into `app` as they are.

    Each route was built — its dependencies, its parameters' and answer's models — when its
    module was imported, with its router's prefix, tags and answers. `app.include_router`
    wraps the router instead and builds every route's state anew for each app, on the app's
    first request: about 0.2 s of CPU (py-spy, FastAPI 0.165). A server makes one app; the
    tests make one for nearly every test (issue 11). What `include_router` would also merge —
    a router's lifespan or start-up handlers — is refused: enter it in the app's lifespan.
    """
    has_lifespan = type(router.lifespan_context).__name__ != "_DefaultLifespan"
    if has_lifespan or getattr(router, "on_startup", []) or getattr(router, "on_shutdown", []):
        raise ValueError("add_routes does not run a router's lifespan: enter it in the app's")
    app.router.routes.extend(router.routes)
