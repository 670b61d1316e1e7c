"""The administrator console at /admin: server-rendered pages (Jinja2) with a little JavaScript,
everything served from the package. See docs/admin.md; a page's pattern is in `admin/web.py`."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, Response
from fastapi.staticfiles import StaticFiles

from ..api.errors import error_body
from ..routing import add_routes
from . import calendar, devices, entry, floor, records, reports, setup, users
from .web import FormRefused, LoginNeeded, NotForYou, message

STATIC = Path(__file__).resolve().parent / "static"


def install(app: FastAPI) -> None:
    """Add the console's pages, its static files and the pages its refusals turn into."""
    for module in (entry, floor, setup, calendar, records, users, devices, reports):
        add_routes(app, module.router)
    app.mount("/admin/static", StaticFiles(directory=STATIC), name="admin-static")

    @app.exception_handler(LoginNeeded)
    async def login_needed(request: Request, exc: LoginNeeded) -> Response:
        if exc.page and request.method == "GET":
            return entry.login_redirect(request)
        return JSONResponse(
            error_body(
                "console_login",
                "Увійдіть у консоль: сеанс завершився або його немає",
                "Log in to the console: there is no session or it has ended",
            ),
            401,
        )

    @app.exception_handler(NotForYou)
    async def not_for_you(request: Request, _exc: NotForYou) -> Response:
        return message(
            request,
            None,
            403,
            ("Немає доступу", "No access"),
            (
                "Ця сторінка не для вашої ролі. Користувачів і пристрої веде адміністратор.",
                "This page is not for your role. Users and devices are an administrator's.",
            ),
        )

    @app.exception_handler(FormRefused)
    async def form_refused(request: Request, _exc: FormRefused) -> Response:
        return message(
            request,
            None,
            403,
            ("Форма застаріла", "The form has expired"),
            (
                "Сторінку треба відкрити знову: форма без чинного ключа захисту нічого не змінює.",
                "Open the page again: a form without a valid protection token changes nothing.",
            ),
        )
