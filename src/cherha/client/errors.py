"""Refusals from the queue server as exceptions, each with the server's own plain message."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import ValidationError

from cherha.wire import Problem

UNREACHABLE_UK = "Сервер недоступний"
UNREACHABLE_EN = "Server unreachable"


class ApiError(Exception):
    """The server refused a request: HTTP status, machine code and a message in uk and en.

    `details` holds whatever else the refusal said (e.g. `next_free` of a full slot,
    `opens_at` of a check-in that is too early, `fields` of an invalid request).
    """

    def __init__(
        self,
        status: int,
        code: str,
        message_uk: str,
        message_en: str,
        details: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(f"{message_uk} / {message_en}")
        self.status = status
        self.code = code
        self.message_uk = message_uk
        self.message_en = message_en
        self.details: dict[str, Any] = dict(details or {})

    @property
    def next_free(self) -> list[datetime]:
        """A full slot's (409 `slot_full`) next free slot starts, with the centre's offset."""
        return _times(self.details.get("next_free"))

    @property
    def opens_at(self) -> datetime | None:
        """When check-in opens (409 `too_early`)."""
        times = _times([self.details.get("opens_at")])
        return times[0] if times else None

    def message(self, language: str = "uk") -> str:
        """The message for a person, in `language` ("uk" or "en")."""
        return self.message_en if language == "en" else self.message_uk

    def __str__(self) -> str:
        return f"{self.message_uk} / {self.message_en}"

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.status}, {self.code!r}, {self.message_en!r})"


def _times(values: Any) -> list[datetime]:
    out: list[datetime] = []
    for value in values if isinstance(values, list) else []:
        try:
            out.append(datetime.fromisoformat(str(value)))
        except ValueError:
            continue  # a value the client cannot read is left out, not fatal
    return out


class Unauthorized(ApiError):
    """401: no, unknown or expired credentials (code `token_expired` when the session ran out)."""

    @property
    def expired(self) -> bool:
        return self.code == "token_expired"


class Forbidden(ApiError):
    """403: the credentials are fine, but this is not allowed for them."""


class NotFoundError(ApiError):
    """404: no such ticket, window or address."""


class Conflict(ApiError):
    """409: a queue rule refused the action (ticket_pending, branch_paused, recall_limit…)."""


class InvalidRequest(ApiError):
    """422: the request was understood but its content makes no sense."""


class ServerUnavailable(ApiError):
    """503, or the server could not be reached at all (refused, timed out, reset)."""

    def __init__(
        self,
        status: int = 0,
        code: str = "server_unreachable",
        message_uk: str = UNREACHABLE_UK,
        message_en: str = UNREACHABLE_EN,
    ) -> None:
        super().__init__(status, code, message_uk, message_en)


_BY_STATUS: dict[int, type[ApiError]] = {
    401: Unauthorized,
    403: Forbidden,
    404: NotFoundError,
    409: Conflict,
    422: InvalidRequest,
    503: ServerUnavailable,
}


def error_for(status: int, body: Any) -> ApiError:
    """The exception for an error response; `body` is its parsed JSON (or anything else)."""
    try:
        problem: Problem | None = Problem.model_validate(body)
    except ValidationError:
        problem = None  # not the server's refusal: a proxy's page, a truncated body …
    if problem is None or not (problem.message or problem.message_en):
        if status in (502, 503, 504):
            return ServerUnavailable(status)
        uk, en = f"Помилка сервера (HTTP {status})", f"Server error (HTTP {status})"
        code = problem.error if problem is not None else f"http_{status}"
        return _BY_STATUS.get(status, ApiError)(status, code, uk, en)
    uk, en = problem.message, problem.message_en
    cls = _BY_STATUS.get(status, ServerUnavailable if status in (502, 504) else ApiError)
    error = cls(status, problem.error, uk or en, en or uk)
    error.details = dict(problem.model_extra or {})
    return error


__all__ = [
    "ApiError",
    "Conflict",
    "Forbidden",
    "InvalidRequest",
    "NotFoundError",
    "ServerUnavailable",
    "Unauthorized",
    "error_for",
]
