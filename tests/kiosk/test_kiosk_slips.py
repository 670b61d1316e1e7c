"""What the kiosk hands the printer: the server's answers become slips, the bot's link too."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from cherha.kiosk.printing import booking_slip, slip_for
from cherha.wire import Booking, IssuedTicket

KYIV = ZoneInfo("Europe/Kyiv")

LINK = "https://t.me/cherha_bot?start=tAbCdEfGhIjKlMnOpQrStUv"
TICKET = {
    "id": 1,
    "number": "A015",
    "service_id": 1,
    "service_name_uk": "Паспорт",
    "service_name_en": "Passport",
    "lane": "ordinary",
    "status": "waiting",
    "issued_at": "2026-11-24T12:00:00+02:00",
    "people_ahead": 3,
    "estimated_wait_minutes": 12,
    "public_token": "AbCdEfGhIjKlMnOpQrStUv",
    "status_url": "http://127.0.0.1:8000/t/AbCdEfGhIjKlMnOpQrStUv",
    "branch_name_uk": "ЦНАП",
    "branch_name_en": "Service centre",
}
BOOKING = {
    "code": "ABC-DEF",
    "status": "booked",
    "channel": "kiosk",
    "service_id": 1,
    "service_name_uk": "Паспорт",
    "service_name_en": "Passport",
    "branch_name_uk": "ЦНАП",
    "branch_name_en": "Service centre",
    "start": "2026-11-26T10:00:00+02:00",
    "end": "2026-11-26T10:15:00+02:00",
    "name": "",
    "phone_masked": "+380 •• ••• •• 67",
    "created_at": "2026-11-24T12:00:00+02:00",
    "check_in_from": "2026-11-26T09:45:00+02:00",
    "check_in_until": "2026-11-26T10:05:00+02:00",
    "ticket_number": None,
    "on_time": None,
    "qr_url": "http://127.0.0.1:8000/book/qr/ABC-DEF.png",
    "cancel_url": "http://127.0.0.1:8000/book/cancel?code=ABC-DEF",
}


def test_the_ticket_slip_carries_the_bot_s_link_when_the_server_gives_one() -> None:
    assert slip_for(IssuedTicket.model_validate(TICKET), KYIV).telegram_url is None
    linked = IssuedTicket.model_validate({**TICKET, "telegram_url": LINK})
    assert slip_for(linked, KYIV).telegram_url == LINK


def test_the_booking_slip_carries_the_bot_s_link_when_the_server_gives_one() -> None:
    assert booking_slip(Booking.model_validate(BOOKING)).telegram_url is None
    linked = Booking.model_validate({**BOOKING, "telegram_url": LINK})
    assert booking_slip(linked).telegram_url == LINK
    assert booking_slip(linked).qr_payload == "ABC-DEF", "the main code stays the check-in code"
