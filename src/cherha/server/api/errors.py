"""Every refusal as JSON a person can act on: {"error", "message" (uk), "message_en"}."""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from starlette.exceptions import HTTPException as StarletteHTTPException

from cherha.core.errors import DomainError
from cherha.wire import Problem

log = logging.getLogger(__name__)

_HTTP_MESSAGES = {
    401: ("Потрібен вхід: надішліть ключ доступу", "Authentication required: send an access key"),
    403: ("Недостатньо прав", "Not allowed"),
    404: ("Такої адреси немає", "No such address"),
    405: ("Цей метод тут не підтримується", "Method not allowed here"),
    413: ("Запит завеликий", "The request is too large"),
}


def error_body(code: str, message_uk: str, message_en: str, **extra: Any) -> dict[str, Any]:
    problem = Problem(error=code, message=message_uk, message_en=message_en, **extra)
    return problem.model_dump(mode="json")


def _describe(err: dict[str, Any]) -> tuple[str, str]:
    where = ".".join(str(p) for p in err.get("loc", ()) if p != "body") or "запит"
    kind = str(err.get("type", ""))
    if kind == "json_invalid":
        return ("Тіло запиту не є коректним JSON", "The request body is not valid JSON")
    if kind == "missing":
        return (f"Бракує поля «{where}»", f"Field '{where}' is missing")
    return (f"Поле «{where}»: {err.get('msg', '')}", f"Field '{where}': {err.get('msg', '')}")


def install(app: FastAPI) -> None:
    @app.exception_handler(DomainError)
    async def domain_error(_request: Request, exc: DomainError) -> JSONResponse:
        # Some refusals say more: a full slot its next free ones, a rate limit when to retry.
        extra: dict[str, Any] = dict(getattr(exc, "details", None) or {})
        retry_after = getattr(exc, "retry_after", None)
        headers = {"Retry-After": str(retry_after)} if retry_after is not None else None
        return JSONResponse(
            error_body(exc.code, exc.message_uk, exc.message_en, **extra),
            exc.status,
            headers=headers,
        )

    @app.exception_handler(RequestValidationError)
    async def invalid_request(_request: Request, exc: RequestValidationError) -> JSONResponse:
        problems = [_describe(dict(e)) for e in exc.errors()]
        fields = [
            {"field": ".".join(str(p) for p in e.get("loc", ())), "problem": e.get("msg", "")}
            for e in exc.errors()
        ]
        return JSONResponse(
            error_body(
                "invalid_request",
                "; ".join(p[0] for p in problems) or "Некоректний запит",
                "; ".join(p[1] for p in problems) or "Invalid request",
                fields=fields,
            ),
            422,
        )

    @app.exception_handler(StarletteHTTPException)
    async def http_error(_request: Request, exc: StarletteHTTPException) -> JSONResponse:
        uk, en = _HTTP_MESSAGES.get(exc.status_code, (str(exc.detail), str(exc.detail)))
        return JSONResponse(
            error_body(f"http_{exc.status_code}", uk, en), exc.status_code, headers=exc.headers
        )

    @app.exception_handler(OperationalError)
    @app.exception_handler(PoolTimeout)
    async def database_unavailable(_request: Request, exc: Exception) -> JSONResponse:
        log.error("database unavailable: %s", exc)
        return unavailable()

    @app.exception_handler(DBAPIError)
    async def database_error(_request: Request, exc: DBAPIError) -> JSONResponse:
        if exc.connection_invalidated:
            log.error("database connection lost: %s", exc)
            return unavailable()
        reason = str(exc.orig).lower()
        if any(word in reason for word in ("full", "readonly", "read-only")):
            log.error("database cannot write: %s", exc.orig)
            return unavailable()
        log.exception("database error")
        return internal_error()

    @app.exception_handler(Exception)
    async def unexpected(_request: Request, exc: Exception) -> JSONResponse:
        log.error("unexpected error", exc_info=exc)
        return internal_error()


def unavailable() -> JSONResponse:
    return JSONResponse(
        error_body(
            "database_unavailable",
            "База даних тимчасово недоступна; нічого не змінено. Спробуйте ще раз за хвилину",
            "The database is unavailable for a moment; nothing was changed. Try again in a minute",
        ),
        503,
        headers={"Retry-After": "5"},
    )


def internal_error() -> JSONResponse:
    """A fault of ours, still in the errors' shape (never a plain-text 500)."""
    return JSONResponse(
        error_body(
            "internal_error",
            "Внутрішня помилка сервера; нічого не змінено. Повідомте адміністратора",
            "Internal server error; nothing was changed. Please tell the administrator",
        ),
        500,
    )
