"""Slip values and their JSON form."""

from __future__ import annotations

from datetime import datetime

import pytest

from cherha.printer.slips import (
    DEFAULT_ARRIVE_RULE,
    BookingSlip,
    TestPage,
    TicketSlip,
    document_from_mapping,
)
from tests.printer.samples import ISSUED, ticket


def test_naive_times_are_refused() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        ticket(issued_at=datetime(2025, 5, 12, 9, 41))


def test_ticket_from_mapping() -> None:
    slip = document_from_mapping(
        {
            "centre_name": "ЦНАП",
            "number": "A015",
            "service_name": "Довідка",
            "issued_at": ISSUED.isoformat(),
            "people_ahead": 2,
            "estimated_wait_minutes": 8,
            "status_url": "https://cherha.example/t/x",
            "logo_path": "/srv/logo.png",
        }
    )
    assert isinstance(slip, TicketSlip)
    assert slip.issued_at == ISSUED
    assert slip.service_name_en is None
    assert not slip.priority
    assert str(slip.logo_path) == "/srv/logo.png"


def test_booking_from_mapping_defaults() -> None:
    slip = document_from_mapping(
        {"code": "K7", "centre_name": "Ц", "service_name": "С", "slot_start": ISSUED.isoformat()}
    )
    assert isinstance(slip, BookingSlip)
    assert (slip.qr_payload, slip.arrive_rule) == ("K7", DEFAULT_ARRIVE_RULE)
    assert isinstance(document_from_mapping({"kind": "test-page"}), TestPage)


@pytest.mark.parametrize(
    "data",
    [{"kind": "receipt"}, {"number": "A1"}, {"code": "K", "slot_start": "tomorrow"}],
)
def test_bad_mappings(data: dict[str, object]) -> None:
    with pytest.raises(ValueError, match="bad slip JSON"):
        document_from_mapping(data)
