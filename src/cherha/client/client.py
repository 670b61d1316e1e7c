"""QueueClient: one method per endpoint of /api/v1, typed results, refusals as ApiError."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, TypeVar
from urllib.parse import quote

import pydantic
import requests

from cherha import wire

from .errors import NotFoundError, ServerUnavailable, error_for
from .server_clock import ServerClock

R = TypeVar("R", bound=wire.Reply)

CONNECT_TIMEOUT = 3.05
READ_TIMEOUT = 15.0
USER_AGENT = "cherha-queue-client/0.1"


def _bad_response(status: int = 200) -> ServerUnavailable:
    return ServerUnavailable(
        status, "bad_response", "Незрозуміла відповідь сервера", "Unexpected server response"
    )


def _parse(model: type[R], body: Any) -> R:
    """The body as `model`; a body that is not one is the server's fault, not the caller's."""
    try:
        return model.model_validate(body)
    except pydantic.ValidationError as exc:
        raise _bad_response() from exc


def _body(request: wire.Request) -> dict[str, Any]:
    """A request body as JSON. Not validated here: the server's refusal says what is wrong, in
    Ukrainian and English, where a local check could only say it in English."""
    return request.model_dump(mode="json")


class QueueClient:
    """A client of the queue server's HTTP API on one `requests.Session`.

    `token` is a clerk's bearer token (set by `login`) or a device key (kiosk, display).
    Every call has a timeout; an unreachable server raises `ServerUnavailable`. With a `clock`,
    every answer's `Date` header keeps it in step with the server's time.
    """

    def __init__(
        self,
        base_url: str,
        token: str | None = None,
        *,
        connect_timeout: float = CONNECT_TIMEOUT,
        read_timeout: float = READ_TIMEOUT,
        session: requests.Session | None = None,
        clock: ServerClock | None = None,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.clock = clock
        self.token = token
        self.timeout = (connect_timeout, read_timeout)
        self.session = session or requests.Session()
        self.session.headers["User-Agent"] = USER_AGENT
        self.session.headers["Accept"] = "application/json"

    def close(self) -> None:
        self.session.close()

    def __enter__(self) -> QueueClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- plumbing -----------------------------------------------------------------------------

    def request(
        self,
        method: str,
        path: str,
        *,
        json: dict[str, Any] | None = None,
        params: dict[str, Any] | None = None,
        auth: bool = True,
        idempotency_key: str | None = None,
    ) -> requests.Response:
        """Send one request; a refusal raises the matching ApiError, success returns the response."""
        headers = {}
        if auth and self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        if idempotency_key is not None:
            headers["Idempotency-Key"] = idempotency_key
        try:
            response = self.session.request(
                method,
                f"{self.base_url}/api/v1{path}",
                json=json,
                params=params,
                headers=headers,
                timeout=self.timeout,
            )
        except requests.RequestException as exc:
            raise ServerUnavailable() from exc
        if self.clock is not None:
            self.clock.note(response.headers.get("Date"), self.clock.local())
        if response.status_code >= 400:
            try:
                body: Any = response.json()
            except ValueError:
                body = None
            raise error_for(response.status_code, body)
        return response

    def _get(self, path: str, model: type[R], **params: Any) -> R:
        return _parse(model, self._json(self.request("GET", path, params=params or None)))

    def _post(
        self,
        path: str,
        model: type[R],
        body: wire.Request | None = None,
        idempotency_key: str | None = None,
    ) -> R:
        json = None if body is None else _body(body)
        response = self.request("POST", path, json=json, idempotency_key=idempotency_key)
        return _parse(model, self._json(response))

    def _list(self, path: str, model: type[R], **params: Any) -> list[R]:
        body = self._json(self.request("GET", path, params=params or None))
        if not isinstance(body, list):
            raise _bad_response()
        return [_parse(model, item) for item in body]

    @staticmethod
    def _json(response: requests.Response) -> Any:
        try:
            return response.json()
        except ValueError as exc:
            raise _bad_response(response.status_code) from exc

    # -- auth ---------------------------------------------------------------------------------

    def login(self, username: str, password: str) -> wire.LoginResult:
        """Log in as staff; the token is kept for the following calls."""
        body = _body(wire.Login.model_construct(username=username, password=password))
        response = self.request("POST", "/auth/login", json=body, auth=False)
        result = _parse(wire.LoginResult, self._json(response))
        self.token = result.token
        return result

    def logout(self) -> None:
        self.request("POST", "/auth/logout")
        self.token = None

    def me(self) -> wire.User:
        return self._get("/auth/me", wire.User)

    # -- catalogue and displays ---------------------------------------------------------------

    def services(self) -> list[wire.Service]:
        return self._list("/services", wire.Service)

    def counters(self) -> list[wire.Counter]:
        return self._list("/counters", wire.Counter)

    def board(self, last: int | None = None) -> wire.Board:
        return self._get("/board", wire.Board, **({"last": last} if last else {}))

    def branch(self) -> wire.Branch:
        return self._get("/branch", wire.Branch)

    def health(self) -> wire.Health:
        return self._get("/health", wire.Health)

    # -- tickets ------------------------------------------------------------------------------

    def issue_ticket(
        self, service_id: int, priority: bool = False, *, idempotency_key: str | None = None
    ) -> wire.IssuedTicket:
        """A new ticket. With `idempotency_key` (one per tap, `new_request_key()`), sending it
        again, e.g. after a timeout, answers with the same ticket instead of a second one."""
        body = wire.IssueTicket.model_construct(service_id=service_id, priority=priority)
        return self._post("/tickets", wire.IssuedTicket, body, idempotency_key)

    def request_outcome(self, idempotency_key: str) -> wire.RequestOutcome | None:
        """What the request sent with this key made today, or None when it made nothing.

        For a device that gave up waiting: after None, that key makes nothing any more (a copy
        still on its way is refused with Conflict `request_abandoned`), so "no ticket" is true.
        """
        try:
            response = self.request("POST", f"/requests/{quote(idempotency_key, safe='')}/outcome")
        except NotFoundError as exc:
            if exc.code == "nothing_made":
                return None
            raise
        return _parse(wire.RequestOutcome, self._json(response))

    def ticket_status(self, public_token: str) -> wire.PublicTicket:
        return self._get(f"/tickets/{public_token}", wire.PublicTicket)

    # -- windows ------------------------------------------------------------------------------

    def open_counter(self, counter_id: int) -> wire.Counter:
        """Open (or, idempotently, keep open) a window for the logged-in clerk."""
        return self._post(f"/counters/{counter_id}/open", wire.Counter)

    def pause_counter(self, counter_id: int) -> wire.Counter:
        return self._post(f"/counters/{counter_id}/pause", wire.Counter)

    def close_counter(self, counter_id: int) -> wire.Counter:
        return self._post(f"/counters/{counter_id}/close", wire.Counter)

    def call_next(self, counter_id: int) -> wire.ClerkTicket | None:
        """The next visitor for this window, or None when nobody is waiting (HTTP 204)."""
        response = self.request("POST", f"/counters/{counter_id}/call-next")
        if response.status_code == 204:
            return None
        return _parse(wire.ClerkTicket, self._json(response))

    def call_ticket(self, counter_id: int, ticket_id: int, reason: str) -> wire.ClerkTicket:
        """Out of order: needs the permission and a reason."""
        body = wire.CallTicket.model_construct(ticket_id=ticket_id, reason=reason)
        return self._post(f"/counters/{counter_id}/call", wire.ClerkTicket, body)

    # -- a clerk's actions on a ticket --------------------------------------------------------

    def _act(
        self, ticket_id: int, action: str, body: wire.Request | None = None
    ) -> wire.ClerkTicket:
        return self._post(f"/tickets/{ticket_id}/{action}", wire.ClerkTicket, body)

    def recall(self, ticket_id: int) -> wire.ClerkTicket:
        return self._act(ticket_id, "recall")

    def start(self, ticket_id: int) -> wire.ClerkTicket:
        return self._act(ticket_id, "start")

    def finish(self, ticket_id: int) -> wire.ClerkTicket:
        return self._act(ticket_id, "finish")

    def no_show(self, ticket_id: int) -> wire.ClerkTicket:
        return self._act(ticket_id, "no-show")

    def return_no_show(self, ticket_id: int) -> wire.ClerkTicket:
        """Put a no-show back in the queue (within the branch's return window)."""
        return self._act(ticket_id, "return")

    def transfer(self, ticket_id: int, service_id: int) -> wire.ClerkTicket:
        """Send the ticket to another service's line; it keeps its place."""
        return self._act(
            ticket_id, "transfer", wire.Transfer.model_construct(service_id=service_id)
        )

    def cancel(self, ticket_id: int) -> wire.ClerkTicket:
        return self._act(ticket_id, "cancel")

    def staff_ticket(self, ticket_id: int) -> wire.ClerkTicket:
        return self._get(f"/staff/tickets/{ticket_id}", wire.ClerkTicket)

    def staff_today(self) -> wire.StaffToday:
        return self._get("/staff/today", wire.StaffToday)

    # -- bookings -----------------------------------------------------------------------------

    def booking_days(self, service_id: int, channel: str | None = None) -> list[wire.BookingDay]:
        """Every date open for booking now, with its free places (0: closed or full).

        `channel="kiosk"` (with a kiosk key) counts the places kept for the kiosk too.
        A service that cannot be booked ahead is refused with 422 `not_bookable`.
        """
        params = {"channel": channel} if channel else {}
        return self._list(f"/services/{service_id}/booking-days", wire.BookingDay, **params)

    def slots(self, service_id: int, day: date, channel: str | None = None) -> list[wire.Slot]:
        """The day's slots (the centre's local date), each with `start` and `free` places."""
        params: dict[str, Any] = {"date": day.isoformat()}
        if channel:
            params["channel"] = channel
        return self._list(f"/services/{service_id}/slots", wire.Slot, **params)

    def booking_rules(self, service_id: int) -> wire.BookingRules:
        return self._get(f"/services/{service_id}/booking-rules", wire.BookingRules)

    def book(
        self,
        service_id: int,
        start: datetime,
        phone: str,
        name: str,
        *,
        idempotency_key: str | None = None,
    ) -> wire.Booking:
        """Take a place in the slot starting at `start` (aware, e.g. a Slot's `start`).

        With `idempotency_key`, a repeat answers with the same booking.

        A full slot raises Conflict `slot_full` whose `next_free` lists the next free starts;
        quotas refuse with `quota_exceeded`, `booking_blocked` or `already_booked`.
        """
        if start.tzinfo is None:
            raise ValueError("start must be an aware datetime (with the centre's offset)")
        body = wire.NewBooking.model_construct(
            service_id=service_id, start=start, name=name, phone=phone
        )
        return self._post("/bookings", wire.Booking, body, idempotency_key)

    def booking(self, code: str, phone: str | None = None) -> wire.Booking:
        """A booking by its code (the public must give its phone; a kiosk or staff need not)."""
        params = {"phone": phone} if phone else {}
        return self._get(f"/bookings/{_code_path(code)}", wire.Booking, **params)

    def cancel_booking(self, code: str, phone: str | None = None) -> wire.Booking:
        body = wire.CancelBooking.model_construct(phone=phone or None)
        return self._post(f"/bookings/{_code_path(code)}/cancel", wire.Booking, body)

    def check_in(self, code: str, *, idempotency_key: str | None = None) -> wire.CheckIn:
        """At the kiosk (kiosk key): the booking's ticket; too early is Conflict `too_early`.

        With `idempotency_key`, a repeat answers with the same ticket.
        """
        return self._post(
            f"/bookings/{_code_path(code)}/check-in", wire.CheckIn, idempotency_key=idempotency_key
        )

    # -- devices ------------------------------------------------------------------------------

    def report_device_status(
        self, printer: wire.PrinterState, message: str = "", ticket_id: int | None = None
    ) -> None:
        """A kiosk tells the server its printer's state ("ok", "paper_out", …); 204."""
        body = wire.DeviceStatusReport.model_construct(
            printer=printer, message=message, ticket_id=ticket_id
        )
        self.request("POST", "/devices/me/status", json=_body(body))

    # -- branch (administrators) --------------------------------------------------------------

    def pause_branch(self, reason: str = "") -> wire.Branch:
        """Air-raid alert: calling and issuing stop, every ticket keeps its place."""
        return self._post(
            "/branch/pause", wire.Branch, wire.PauseBranch.model_construct(reason=reason)
        )

    def resume_branch(self) -> wire.Branch:
        return self._post("/branch/resume", wire.Branch)


def _code_path(code: str) -> str:
    return quote(code.strip(), safe="") or "-"


__all__ = ["CONNECT_TIMEOUT", "READ_TIMEOUT", "QueueClient"]
