"""Sample slips shared by the printer tests."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from cherha.printer.slips import BookingSlip, TicketSlip

KYIV_SUMMER = timezone(timedelta(hours=3))
ISSUED = datetime(2025, 5, 12, 9, 41, tzinfo=KYIV_SUMMER)
LONG_SERVICE = "Реєстрація місця проживання та зняття з реєстрації місця проживання особи"


def ticket(**changes: object) -> TicketSlip:
    fields: dict[str, object] = {
        "centre_name": "ЦНАП Печерського району",
        "number": "A015",
        "service_name": "Довідка і ї є ґ",
        "service_name_en": "Certificate",
        "issued_at": ISSUED,
        "people_ahead": 3,
        "estimated_wait_minutes": 12,
        "priority": False,
        "status_url": "https://cherha.example/t/q8Zk3VYt1rTw",
        "footer": "Дякуємо! / Thank you!",
    }
    fields.update(changes)
    return TicketSlip(**fields)  # type: ignore[arg-type]


def booking(**changes: object) -> BookingSlip:
    fields: dict[str, object] = {
        "centre_name": "ЦНАП м. Житомир",
        "code": "K7P4QX",
        "service_name": "Оформлення паспорта громадянина України у формі ID-картки",
        "service_name_en": "ID card passport",
        "slot_start": datetime(2025, 5, 14, 10, 30, tzinfo=KYIV_SUMMER),
        "arrive_rule": "Прийдіть за 15 хв до часу; запізнення понад 5 хв — у живу чергу",
        "qr_payload": "K7P4QX",
        "footer": None,
    }
    fields.update(changes)
    return BookingSlip(**fields)  # type: ignore[arg-type]
