"""The kiosk's own booking calls: hold a slot while the visitor types, book with the hold, and
find a visitor's bookings by phone number and day (kiosk key; no name or phone comes back).

    POST   /api/v1/holds                {"service_id", "start"}  → wire.SlotHold (409 slot_full)
    DELETE /api/v1/holds/{token}                                 → 204
    POST   /api/v1/bookings             {…, "hold": token}       → wire.Booking
    POST   /api/v1/bookings/lookup      {"phone", "date"?}       → wire.FoundBookings (429)

The phone number travels in a POST body, never in an address (access logs keep addresses).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, TypeVar
from urllib.parse import quote

import pydantic

from cherha import wire

from .client import QueueClient
from .errors import ServerUnavailable

R = TypeVar("R", bound=wire.Reply)


def _bad_response(status: int) -> ServerUnavailable:
    return ServerUnavailable(
        status, "bad_response", "Незрозуміла відповідь сервера", "Unexpected server response"
    )


def _post(
    client: QueueClient,
    path: str,
    model: type[R],
    body: wire.Request,
    idempotency_key: str | None = None,
) -> R:
    json: dict[str, Any] = body.model_dump(mode="json", exclude_none=True)
    response = client.request("POST", path, json=json, idempotency_key=idempotency_key)
    try:
        return model.model_validate(response.json())
    except (ValueError, pydantic.ValidationError) as exc:
        raise _bad_response(response.status_code) from exc


def _aware(start: datetime) -> datetime:
    if start.tzinfo is None:
        raise ValueError("start must be an aware datetime (with the centre's offset)")
    return start


def hold_slot(client: QueueClient, service_id: int, start: datetime) -> wire.SlotHold:
    """Keep a place in the slot at `start` for a few minutes (kiosk key)."""
    body = wire.NewHold.model_construct(service_id=service_id, start=_aware(start))
    return _post(client, "/holds", wire.SlotHold, body)


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
) -> wire.Booking:
    """`QueueClient.book` that takes the place held for this visitor (when `hold` is given);
    with `idempotency_key`, a repeat answers with the booking the key made."""
    body = wire.NewBooking.model_construct(
        service_id=service_id, start=_aware(start), name=name, phone=phone, hold=hold or None
    )
    return _post(client, "/bookings", wire.Booking, body, idempotency_key)


def find_bookings(client: QueueClient, phone: str, day: date | None = None) -> wire.FoundBookings:
    """The bookings of `phone` on `day` (default: the centre's today), kiosk key only."""
    body = wire.FindBookings.model_construct(phone=phone, date=day)
    return _post(client, "/bookings/lookup", wire.FoundBookings, body)


__all__ = ["book_held", "find_bookings", "hold_slot", "release_hold"]
