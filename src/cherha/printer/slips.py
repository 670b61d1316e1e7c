"""What goes on paper: a walk-in ticket, a booking slip, a test page.

These are plain values (no I/O). ``document_from_mapping`` reads the JSON form used by
``cherha-print preview`` and ``print``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

DEFAULT_ARRIVE_RULE = "Прийдіть за 15 хв до часу; запізнення понад 5 хв — у живу чергу"
DEFAULT_ARRIVE_RULE_EN = "Come 15 min early; more than 5 min late — join the walk-in queue"


def _require_aware(value: datetime, field: str) -> None:
    # A naive time would print in whatever zone the kiosk PC happens to use.
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"{field} must be timezone-aware")


@dataclass(frozen=True, slots=True)
class TicketSlip:
    """A walk-in ticket."""

    centre_name: str
    number: str
    service_name: str
    service_name_en: str | None
    issued_at: datetime
    people_ahead: int
    estimated_wait_minutes: int | None
    priority: bool
    status_url: str
    footer: str | None = None
    logo_path: Path | None = None
    telegram_url: str | None = None
    """The Telegram bot's link: printed as a second, small QR code."""

    def __post_init__(self) -> None:
        _require_aware(self.issued_at, "issued_at")
        if not self.number.strip():
            raise ValueError("number must not be empty")
        if self.people_ahead < 0:
            raise ValueError("people_ahead must be >= 0")


@dataclass(frozen=True, slots=True)
class BookingSlip:
    """A booking confirmation printed at the kiosk."""

    centre_name: str
    code: str
    service_name: str
    service_name_en: str | None
    slot_start: datetime
    arrive_rule: str
    qr_payload: str
    footer: str | None = None
    arrive_rule_en: str | None = None
    logo_path: Path | None = None
    telegram_url: str | None = None
    """The Telegram bot's link (reminders): printed as a second, small QR code."""

    def __post_init__(self) -> None:
        _require_aware(self.slot_start, "slot_start")
        if not self.code.strip():
            raise ValueError("code must not be empty")


@dataclass(frozen=True, slots=True)
class TestPage:
    """A page that shows every Ukrainian letter, sizes, alignment and a QR code."""

    __test__ = False  # not a pytest test class despite the name

    centre_name: str | None = None
    qr_payload: str = "https://cherha.example/test-page"


Document = TicketSlip | BookingSlip | TestPage


def _opt_str(data: Mapping[str, Any], key: str) -> str | None:
    value = data.get(key)
    return None if value is None else str(value)


def _opt_path(data: Mapping[str, Any], key: str) -> Path | None:
    value = data.get(key)
    return None if value in (None, "") else Path(str(value))


def _when(data: Mapping[str, Any], key: str) -> datetime:
    return datetime.fromisoformat(str(data[key]))


def document_from_mapping(data: Mapping[str, Any]) -> Document:
    """Build a slip from its JSON form; ``kind`` is ``ticket``, ``booking`` or ``test-page``.

    Without ``kind``, a ``number`` means a ticket and a ``code`` a booking.
    Raises ``ValueError`` on missing or malformed fields.
    """
    kind = data.get("kind") or ("ticket" if "number" in data else "booking")
    try:
        if kind == "test-page":
            return TestPage(centre_name=_opt_str(data, "centre_name"))
        if kind == "ticket":
            wait = data.get("estimated_wait_minutes")
            return TicketSlip(
                centre_name=str(data["centre_name"]),
                number=str(data["number"]),
                service_name=str(data["service_name"]),
                service_name_en=_opt_str(data, "service_name_en"),
                issued_at=_when(data, "issued_at"),
                people_ahead=int(data.get("people_ahead", 0)),
                estimated_wait_minutes=None if wait is None else int(wait),
                priority=bool(data.get("priority", False)),
                status_url=str(data["status_url"]),
                footer=_opt_str(data, "footer"),
                logo_path=_opt_path(data, "logo_path"),
                telegram_url=_opt_str(data, "telegram_url"),
            )
        if kind == "booking":
            code = str(data["code"])
            return BookingSlip(
                centre_name=str(data["centre_name"]),
                code=code,
                service_name=str(data["service_name"]),
                service_name_en=_opt_str(data, "service_name_en"),
                slot_start=_when(data, "slot_start"),
                arrive_rule=str(data.get("arrive_rule", DEFAULT_ARRIVE_RULE)),
                arrive_rule_en=_opt_str(data, "arrive_rule_en"),
                qr_payload=str(data.get("qr_payload", code)),
                footer=_opt_str(data, "footer"),
                logo_path=_opt_path(data, "logo_path"),
                telegram_url=_opt_str(data, "telegram_url"),
            )
    except (KeyError, TypeError, ValueError) as exc:
        raise ValueError(f"bad slip JSON: {exc!r}") from exc
    raise ValueError(f"bad slip JSON: unknown kind {kind!r}")
