""" "Book a visit": service → day → time → phone → name → confirm → the slip with its QR; a slot
taken meanwhile, quota refusals, back and start over on every step."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest

from cherha.client import Conflict
from cherha.core.words import LATIN_UK
from tests.api.test_bookings import TOMORROW_10

from .booking_helpers import book_at, decode_qr, slip_text, touch, wait_job
from .conftest import TIMEOUT, BookingCentre, Kiosk, KioskFactory

PHONE_KEYS = "0671234567"  # typed as people say it; the leading 0 is already in +380
NAME_KEYS = "ОЛЕНА"


RESIDENCE = "Реєстрація / зняття з реєстрації місця проживання"


def tap_card(kiosk: Kiosk, page_name: str, title: str) -> None:
    """Tap the card with this title once the page has its cards (they load) laid out."""
    page = getattr(kiosk.w.bookings, page_name)

    def laid_out() -> bool:
        cards = page.cards
        return bool(cards) and all(c.isVisible() and not c.rect().isEmpty() for c in cards)

    kiosk.qtbot.waitUntil(laid_out, timeout=TIMEOUT)
    titles = [card.title.text() for card in page.cards]
    assert title in titles, titles
    card = page.cards[titles.index(title)]
    page.area.verticalScrollBar().setValue(card.y() - 20)  # the visitor scrolls to it
    touch(card)


def to_times(kiosk: Kiosk, day: str = "Середа, 25 листопада", service: str = RESIDENCE) -> None:
    """Start → «Book a visit» → «Реєстрація … місця проживання» → the day."""
    kiosk.tap(kiosk.w.start_page.book)
    kiosk.wait_screen("book_services")
    tap_card(kiosk, "services", service)
    kiosk.wait_screen("book_days")
    tap_card(kiosk, "days", day)
    kiosk.wait_screen("book_times")


def to_confirm(kiosk: Kiosk, time: str = "10:00") -> None:
    to_times(kiosk)
    pages = kiosk.w.bookings
    tap_card(kiosk, "times", time)
    kiosk.wait_screen("book_phone")
    for digit in PHONE_KEYS:
        kiosk.tap(pages.phone.keys[digit])
    assert pages.phone.entry.text() == "+380 67 123 45 67"
    kiosk.tap(pages.phone.submit_button)
    kiosk.wait_screen("book_name")
    for letter in NAME_KEYS:
        kiosk.tap(pages.name.keys[letter])
    assert pages.name.entry.text().startswith("Олена")
    kiosk.tap(pages.name.submit_button)
    kiosk.wait_screen("book_confirm")


def test_book_a_visit_end_to_end(
    booking_kiosk: Kiosk, booking_server: BookingCentre, prints: Path, tmp_path: Path
) -> None:
    kiosk = booking_kiosk
    kiosk.tap(kiosk.w.start_page.book)
    kiosk.wait_screen("book_services")
    pages = kiosk.w.bookings
    kiosk.qtbot.waitUntil(
        lambda: bool(pages.services.cards) and pages.services.cards[0].isVisible(), timeout=TIMEOUT
    )
    # Only «residence» has a window of its own here; every service takes bookings.
    # «Another day»: today (Tuesday 24th) is not offered, even with free places left.
    assert pages.services.cards[0].detail.text() == "Найближчий вільний день: Середа, 25 листопада"
    kiosk.tap(pages.services.cards[0])
    kiosk.wait_screen("book_days")
    assert pages.days.cards[0].title.text() == "Середа, 25 листопада"
    assert pages.days.cards[0].detail.text() == "Вільних місць: 96"
    kiosk.tap(kiosk.w.bookings.days.nav.back_button)
    kiosk.wait_screen("book_services")
    kiosk.tap(kiosk.w.bookings.services.nav.back_button)
    kiosk.wait_screen("start")

    to_confirm(kiosk)
    confirm = pages.confirm
    assert confirm.lines["when"].text() == "Коли: Середа, 25 листопада, 10:00"
    assert confirm.lines["phone"].text() == "Телефон: +380 67 123 45 67"
    assert confirm.lines["name"].text() == "Імʼя: Олена"
    kiosk.tap(confirm.confirm_button)
    kiosk.wait_screen("booked")
    booking = kiosk.c.appointments.form.booking
    assert booking is not None
    assert booking.channel == "kiosk"
    assert booking.start == TOMORROW_10
    assert booking.name == "Олена"
    assert booking.phone_masked == "+380 ** *** 45 67"
    page = pages.booked
    assert page.number.text() == booking.code
    assert page.heading.text() == "Ви записані. Ваш код:"
    assert page.ahead.text() == "Середа, 25 листопада, 10:00"
    assert "за 15 хв" in page.wait.text()
    job = wait_job(kiosk, prints)
    assert kiosk.c.print_state == "printed"
    assert page.print_state.text().startswith("Підтвердження надруковано")
    assert job.name.endswith(f"booking-{booking.code}.bin")
    text = slip_text(job)
    assert booking.code in text
    assert "25.11.2026" in text
    assert "10:00" in text
    assert "Приходьте за 15 хв до часу" in text
    assert decode_qr(job.with_suffix(".png")) == [booking.code]
    shot = tmp_path / "booked-qr.png"
    page.qr.pixmap().save(str(shot))
    assert decode_qr(shot) == [booking.code]
    # The code checks in at this kiosk on the day.
    with booking_server.as_kiosk() as client:
        assert client.booking(booking.code).status == "booked"
    kiosk.tap(page.done_button)
    kiosk.wait_screen("start")
    assert kiosk.c.appointments.form.phone == ""  # nothing of this visitor is left for the next


def test_the_chosen_time_is_held_while_the_visitor_types(
    booking_kiosk: Kiosk, booking_server: BookingCentre, prints: Path
) -> None:
    kiosk = booking_kiosk
    to_confirm(kiosk)
    # The kiosk holds 10:00 for this visitor: someone online cannot take it meanwhile.
    assert kiosk.c.appointments.form.hold
    assert kiosk.w.bookings.confirm.lines["hold"].text() == "Час 10:00 тримаємо для вас до 12:05."
    with pytest.raises(Conflict) as refused:
        book_at(booking_server, TOMORROW_10, phone="0501112233")
    assert refused.value.code == "slot_full"
    kiosk.tap(kiosk.w.bookings.confirm.confirm_button)
    kiosk.wait_screen("booked")
    booking = kiosk.c.appointments.form.booking
    assert booking is not None
    assert booking.start == TOMORROW_10
    assert not kiosk.c.appointments.form.hold  # the hold became the booking
    wait_job(kiosk, prints)


def test_going_back_from_the_phone_gives_the_held_time_back(
    booking_kiosk: Kiosk, booking_server: BookingCentre
) -> None:
    kiosk = booking_kiosk
    to_times(kiosk)
    tap_card(kiosk, "times", "10:00")
    kiosk.wait_screen("book_phone")
    assert "Час 10:00 тримаємо для вас" in kiosk.w.bookings.phone.hold.text()
    kiosk.tap(kiosk.w.bookings.phone.nav.back_button)
    kiosk.wait_screen("book_times")
    with booking_server.as_kiosk() as client:  # the release is sent off the GUI thread

        def free() -> bool:
            return (
                next(s for s in client.slots(1, TOMORROW_10.date()) if s.start == TOMORROW_10).free
                == 1
            )

        kiosk.qtbot.waitUntil(free, timeout=TIMEOUT)


def test_a_slot_taken_meanwhile_offers_the_next_free_ones(
    booking_kiosk: Kiosk, booking_server: BookingCentre, prints: Path
) -> None:
    kiosk = booking_kiosk
    to_times(kiosk)
    book_at(booking_server, TOMORROW_10, phone="0501112233")  # someone online was quicker
    tap_card(kiosk, "times", "10:00")
    times = kiosk.w.bookings.times
    kiosk.qtbot.waitUntil(lambda: times.banner.isVisible(), timeout=TIMEOUT)
    assert kiosk.c.screen == "book_times"
    kiosk.qtbot.waitUntil(lambda: bool(times.cards) and times.cards[0].isVisible(), timeout=TIMEOUT)
    assert times.banner.text() == "Цей час щойно зайняли. Найближчий вільний час:"
    assert [c.title.text() for c in times.cards] == ["10:15", "10:30", "10:45", "11:00", "11:15"]
    tap_card(kiosk, "times", "10:15")
    kiosk.wait_screen("book_phone")
    assert "Час 10:15 тримаємо для вас" in kiosk.w.bookings.phone.hold.text()


def test_the_next_free_times_lead_back_to_the_chosen_day(
    booking_kiosk: Kiosk, booking_server: BookingCentre
) -> None:
    kiosk = booking_kiosk
    to_times(kiosk)
    times = kiosk.w.bookings.times
    # The day's times are on screen (their request has come back) before someone else books 10:00.
    kiosk.qtbot.waitUntil(lambda: "10:00" in [c.title.text() for c in times.cards], timeout=TIMEOUT)
    book_at(booking_server, TOMORROW_10, phone="0501112233")
    tap_card(kiosk, "times", "10:00")
    kiosk.qtbot.waitUntil(lambda: times.banner.isVisible(), timeout=TIMEOUT)
    kiosk.tap(times.nav.back_button)  # back: the whole day again, without the taken time
    kiosk.qtbot.waitUntil(lambda: len(times.cards) == 95, timeout=TIMEOUT)
    assert not times.banner.isVisible()
    assert "10:00" not in [c.title.text() for c in times.cards]


def test_quota_refusal_is_the_server_s_message(
    booking_kiosk: Kiosk, booking_server: BookingCentre, prints: Path
) -> None:
    kiosk = booking_kiosk
    for days in range(2, 6):  # four bookings this month from the same number
        book_at(booking_server, TOMORROW_10 + timedelta(days=days))
    to_confirm(kiosk)
    kiosk.tap(kiosk.w.bookings.confirm.confirm_button)
    kiosk.wait_screen("book_refused")
    page = kiosk.w.bookings.book_refused
    assert page.title.text() == "Запис не зроблено"
    assert page.lines[0].text().startswith("З цього номера телефону цього місяця вже зроблено 4")
    assert "талон у загальну чергу" in page.lines[1].text()
    kiosk.tap(page.nav.back_button)
    kiosk.wait_screen("book_phone")  # another number may be used
    assert not list(prints.glob("*.bin"))


def test_back_and_start_over_on_every_booking_screen(booking_kiosk: Kiosk) -> None:
    kiosk = booking_kiosk
    pages = kiosk.w.bookings
    # code → back / start over
    kiosk.tap(kiosk.w.start_page.checkin)
    kiosk.wait_screen("code")
    kiosk.tap(pages.code.keys["A"])
    kiosk.tap(pages.code.nav.back_button)
    kiosk.wait_screen("start")
    kiosk.tap(kiosk.w.start_page.checkin)
    kiosk.wait_screen("code")
    assert pages.code.entry.text() == "___-___"  # a new visitor starts empty
    kiosk.tap(pages.code.nav.cancel_button)
    kiosk.wait_screen("start")
    # every booking step: back one step, then forward again; start over from each
    to_confirm(kiosk)
    steps: list[tuple[str, Any, str]] = [
        ("book_confirm", pages.confirm, "book_name"),
        ("book_name", pages.name, "book_phone"),
        ("book_phone", pages.phone, "book_times"),
        ("book_times", pages.times, "book_days"),
        ("book_days", pages.days, "book_services"),
        ("book_services", pages.services, "start"),
    ]
    for screen, page, previous in steps:
        kiosk.wait_screen(screen)
        kiosk.tap(page.nav.back_button)
        kiosk.wait_screen(previous)
    assert kiosk.c.appointments.form.phone == ""
    screens: list[tuple[str, Any]] = [
        ("book_services", pages.services),
        ("book_days", pages.days),
        ("book_times", pages.times),
        ("book_phone", pages.phone),
        ("book_name", pages.name),
        ("book_confirm", pages.confirm),
    ]
    for screen, page in screens:
        to_confirm(kiosk)
        while kiosk.c.screen != screen:
            kiosk.c.back()
        kiosk.tap(page.nav.cancel_button)
        kiosk.wait_screen("start")
        assert kiosk.c.appointments.form.service is None


def test_the_keypads_edit_and_check_what_is_typed(booking_kiosk: Kiosk) -> None:
    kiosk = booking_kiosk
    pages = kiosk.w.bookings
    to_times(kiosk)
    kiosk.qtbot.waitUntil(
        lambda: bool(pages.times.cards) and pages.times.cards[0].isVisible(), timeout=TIMEOUT
    )
    kiosk.tap(pages.times.cards[0])
    kiosk.wait_screen("book_phone")
    phone = pages.phone
    assert phone.entry.text() == "+380 __ ___ __ __"
    assert not phone.submit_button.isEnabled()
    for digit in "501234":
        kiosk.tap(phone.keys[digit])
    assert phone.entry.text() == "+380 50 123 4_ __"
    kiosk.tap(phone.keys["<bs>"])
    assert phone.entry.text() == "+380 50 123 __ __"
    kiosk.tap(phone.keys["<clear>"])
    for digit in "380501112233":
        kiosk.tap(phone.keys[digit])
    assert phone.entry.text() == "+380 38 050 11 12"  # nine digits at most
    kiosk.tap(phone.keys["<clear>"])
    for digit in "501112233":
        kiosk.tap(phone.keys[digit])
    kiosk.tap(phone.submit_button)
    kiosk.wait_screen("book_name")
    name = pages.name
    assert not name.submit_button.isEnabled()
    for key in ["<space>", "-", "О"]:  # no leading space or hyphen
        kiosk.tap(name.keys[key])
    assert not name.submit_button.isEnabled()  # one letter is not a name
    for key in ["Л", "Я", "ʼ", "Н", "А", "-", "М", "<space>", "<space>", "К"]:
        kiosk.tap(name.keys[key])
    assert kiosk.c.appointments.form.name == "Оляʼна-М К"
    kiosk.tap(name.keys["<abc>"])
    kiosk.qtbot.waitUntil(lambda: name.keys["Q"].isVisible(), timeout=TIMEOUT)
    assert "Q" in name.keys
    assert "Ї" not in name.keys
    kiosk.tap(name.keys["I"])
    assert kiosk.c.appointments.form.name == "Оляʼна-М Кi"
    assert name.submit_button.isEnabled()


@pytest.mark.parametrize("orientation", ["portrait", "landscape"])
def test_the_booking_screens_in_english(make_booking_kiosk: KioskFactory, orientation: str) -> None:
    kiosk = make_booking_kiosk(orientation=orientation)
    kiosk.tap(kiosk.w.lang_button)
    assert kiosk.w.start_page.checkin.text() == "I have a booking"
    assert kiosk.w.start_page.book.text() == "Book a visit"
    # The first column: the offscreen test screen is 800 px wide, taps beyond it are lost.
    to_times(kiosk, "Wednesday, 25 November", "Registration / deregistration of residence")
    assert kiosk.w.bookings.times.title.text() == "Choose a time"
    tap_card(kiosk, "times", "12:30")
    kiosk.wait_screen("book_phone")
    assert kiosk.w.bookings.phone.title.text() == "Your phone number"
    assert kiosk.w.bookings.phone.keys["<clear>"].text() == "Clear"


def test_read_aloud_on_the_booked_screen(booking_kiosk: Kiosk, prints: Path) -> None:
    kiosk = booking_kiosk
    to_confirm(kiosk)
    kiosk.tap(kiosk.w.read_button)
    assert "Записатися" in kiosk.speaker.last
    kiosk.tap(kiosk.w.bookings.confirm.confirm_button)
    kiosk.wait_screen("booked")
    wait_job(kiosk, prints)
    booking = kiosk.c.appointments.form.booking
    assert booking is not None
    # the code sign by sign, each letter by the name the hall uses for it («ка», «ем» …)
    spelled = ", ".join(LATIN_UK.get(ch, ch) for ch in booking.code if ch != "-")
    kiosk.qtbot.waitUntil(lambda: spelled in kiosk.speaker.last.lower(), timeout=TIMEOUT)
    assert "Підтвердження надруковано" in kiosk.speaker.last


def test_another_day_is_another_day_and_only_free_times_are_offered(
    booking_kiosk: Kiosk, booking_server: BookingCentre
) -> None:
    kiosk = booking_kiosk
    book_at(booking_server, TOMORROW_10 + timedelta(hours=2))
    kiosk.tap(kiosk.w.start_page.book)
    kiosk.wait_screen("book_services")
    tap_card(kiosk, "services", RESIDENCE)
    kiosk.wait_screen("book_days")
    days = [c.title.text() for c in kiosk.w.bookings.days.cards]
    assert days[0] == "Середа, 25 листопада"
    assert "Вівторок, 24 листопада" not in days  # today has free places, but it is today
    tap_card(kiosk, "days", "Середа, 25 листопада")
    kiosk.wait_screen("book_times")
    assert kiosk.c.appointments.form.day == date(2026, 11, 25)
    times = kiosk.w.bookings.times
    kiosk.qtbot.waitUntil(lambda: len(times.cards) == 95, timeout=TIMEOUT)
    titles = [c.title.text() for c in times.cards]
    assert "12:00" not in titles
    assert titles[0] == "00:00"


def _booking_days_requests(url: str) -> float:
    """How many times the server was asked for a service's booking days (from /metrics)."""
    text = httpx.get(f"{url}/metrics", timeout=10).text
    route = 'route="/api/v1/services/{service_id}/booking-days"'
    return sum(
        float(line.rsplit(" ", 1)[1])
        for line in text.splitlines()
        if line.startswith("cherha_http_request_seconds_count{") and route in line
    )


def test_walk_in_only_services_are_neither_offered_nor_asked_about(
    booking_kiosk: Kiosk, booking_server: BookingCentre
) -> None:
    kiosk = booking_kiosk
    services = httpx.get(f"{booking_server.url}/api/v1/services", timeout=10).json()
    bookable = {s["name_uk"] for s in services if s["active"] and s["bookable"]}
    assert "Консультація" not in bookable  # walk in only, in the sample centre
    asked_before = _booking_days_requests(booking_server.url)
    kiosk.tap(kiosk.w.start_page.book)
    kiosk.wait_screen("book_services")
    page = kiosk.w.bookings.services
    kiosk.qtbot.waitUntil(lambda: bool(page.cards) and page.cards[0].isVisible(), timeout=TIMEOUT)
    assert {card.title.text() for card in page.cards} == bookable
    # One question per service that takes bookings, none for the walk-in-only one.
    assert _booking_days_requests(booking_server.url) - asked_before == len(bookable)
