"""The kiosk's own booking calls: hold a slot while the visitor types, book with the hold, and
find a visitor's bookings by phone number and day (kiosk key; no name or phone comes back).

    POST   /api/v1/holds                {"service_id", "start"}  → SlotHold (409 slot_full)
    DELETE /api/v1/holds/{token}                                 → 204
    POST   /api/v1/bookings             {…, "hold": token}       → Booking
    POST   /api/v1/bookings/lookup      {"phone", "date"?}       → Lookup (429 when too many)

The phone number travels in a POST body, never in an address (access logs keep addresses).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Self
from urllib.parse import quote

from .bookings import Booking
from .client import QueueClient
from .errors import ServerUnavailable
from .models import Json


def _dt(value: Any) -> datetime:
    return datetime.fromisoformat(str(value))


def _body(
    client: QueueClient,
    method: str,
    path: str,
    body: dict[str, Any],
    idempotency_key: str | None = None,
) -> Json:
    response = client.request(method, path, json=body, idempotency_key=idempotency_key)
    try:
        data = response.json()
    except ValueError as exc:
        raise ServerUnavailable(
            response.status_code,
            "bad_response",
            "Незрозуміла відповідь сервера",
            "Unexpected server response",
        ) from exc
    if not isinstance(data, dict):
        raise ServerUnavailable(
            200, "bad_response", "Незрозуміла відповідь сервера", "Unexpected server response"
        )
    return data


@dataclass(frozen=True, slots=True)
class SlotHold:
    """A place in a slot kept for one kiosk's visitor until `expires_at`."""

    token: str
    service_id: int
    start: datetime  # with the centre's offset
    expires_at: datetime  # with the centre's offset

    @classmethod
    def from_json(cls, d: Json) -> Self:
        return cls(str(d["token"]), int(d["service_id"]), _dt(d["start"]), _dt(d["expires_at"]))


@dataclass(frozen=True, slots=True)
class FoundBooking:
    """One of the bookings of a phone number on a day, as a kiosk may show it."""

    code: str
    service_id: int
    service_name_uk: str
    service_name_en: str
    start: datetime  # with the centre's offset
    status: str
    can_check_in: bool  # now, at this kiosk
    check_in_from: datetime

    def service_name(self, language: str = "uk") -> str:
        if language == "en" and self.service_name_en:
            return self.service_name_en
        return self.service_name_uk

    @classmethod
    def from_json(cls, d: Json) -> Self:
        return cls(
            code=str(d["code"]),
            service_id=int(d["service_id"]),
            service_name_uk=str(d["service_name_uk"]),
            service_name_en=str(d.get("service_name_en") or ""),
            start=_dt(d["start"]),
            status=str(d["status"]),
            can_check_in=bool(d["can_check_in"]),
            check_in_from=_dt(d["check_in_from"]),
        )


@dataclass(frozen=True, slots=True)
class Lookup:
    day: date  # the day asked about (the centre's today when none was given)
    today: date  # the centre's date now
    bookings: tuple[FoundBooking, ...]

    @classmethod
    def from_json(cls, d: Json) -> Self:
        found = d.get("bookings") or []
        return cls(
            date.fromisoformat(str(d["date"])),
            date.fromisoformat(str(d["today"])),
            tuple(FoundBooking.from_json(b) for b in found if isinstance(b, dict)),
        )


def hold_slot(client: QueueClient, service_id: int, start: datetime) -> SlotHold:
    """Keep a place in the slot at `start` for a few minutes (kiosk key)."""
    if start.tzinfo is None:
        raise ValueError("start must be an aware datetime (with the centre's offset)")
    body = {"service_id": service_id, "start": start.isoformat()}
    return SlotHold.from_json(_body(client, "POST", "/holds", body))


def release_hold(client: QueueClient, token: str) -> None:
    """Give a held place back (the visitor went back or left)."""
    client.request("DELETE", f"/holds/{quote(token, safe='')}")


def book_held(
    client: QueueClient,
    service_id: int,
    start: datetime,
    phone: str,
    name: str,
    hold: str | None,
    *,
    idempotency_key: str | None = None,
) -> Booking:
    """`QueueClient.book` that takes the place held for this visitor (when `hold` is given);
    with `idempotency_key`, a repeat answers with the booking the key made."""
    body: dict[str, Any] = {
        "service_id": service_id,
        "start": start.isoformat(),
        "name": name,
        "phone": phone,
    }
    if hold:
        body["hold"] = hold
    return Booking.from_json(_body(client, "POST", "/bookings", body, idempotency_key))


def find_bookings(client: QueueClient, phone: str, day: date | None = None) -> Lookup:
    """The bookings of `phone` on `day` (default: the centre's today), kiosk key only."""
    body: dict[str, Any] = {"phone": phone}
    if day is not None:
        body["date"] = day.isoformat()
    return Lookup.from_json(_body(client, "POST", "/bookings/lookup", body))


__all__ = [
    "FoundBooking",
    "Lookup",
    "SlotHold",
    "book_held",
    "find_bookings",
    "hold_slot",
    "release_hold",
]
