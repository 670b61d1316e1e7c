"""The visitor's way: touch → ticket → printed slip, language, text size, back/cancel, delays."""

from __future__ import annotations

from pathlib import Path

import zxingcpp
from PIL import Image
from PySide6.QtWidgets import QPushButton

from cherha.client import QueueClient
from cherha.kiosk.controller import Screen
from cherha.kiosk.widgets import qr_image
from tests.helpers.app import Centre
from tests.helpers.clerk_server import RestartableServer

from .conftest import CATEGORIES, TIMEOUT, WITH_CATEGORIES, Kiosk, KioskFactory


def decode_qr(path: Path) -> list[str]:
    return [r.text for r in zxingcpp.read_barcodes(Image.open(path))]


def test_touch_to_printed_ticket(kiosk: Kiosk, prints: Path, tmp_path: Path) -> None:
    kiosk.take_ticket(group_index=1, service_index=0)  # Паспорти → ID-картка
    ticket = kiosk.c.ticket
    assert ticket is not None
    assert ticket.number == "Б001"
    page = kiosk.w.ticket_page
    assert page.number.text() == "Б001"
    assert "ID-картка" in page.service.text()
    assert page.ahead.text() == "Перед вами нікого немає"
    kiosk.wait_printed()
    assert kiosk.c.print_state == "printed"
    assert page.print_state.text().startswith("Талон надруковано")

    jobs = sorted(prints.glob("*.bin"))
    assert len(jobs) == 1
    assert "Б001" in jobs[0].read_bytes().decode("cp1251", errors="replace")
    assert "Паспорт громадянина України" in jobs[0].read_bytes().decode("cp1251", errors="replace")
    assert decode_qr(jobs[0].with_suffix(".png")) == [ticket.status_url]

    # the QR on screen is the same link, and large enough to photograph
    pixmap = page.qr.pixmap()
    assert pixmap.width() >= 400
    shot = tmp_path / "screen-qr.png"
    pixmap.save(str(shot))
    assert decode_qr(shot) == [ticket.status_url]


def test_people_ahead_and_wait_come_from_the_server(
    kiosk: Kiosk, server: RestartableServer, centre: Centre
) -> None:
    with QueueClient(server.url, centre.kiosk_key) as other_kiosk:
        other_kiosk.issue_ticket(1)
        other_kiosk.issue_ticket(1)
    kiosk.take_ticket(group_index=0, service_index=0)
    ticket = kiosk.c.ticket
    assert ticket is not None
    assert ticket.number == "А003"
    assert kiosk.w.ticket_page.ahead.text() == "Перед вами: 2 особи"
    assert kiosk.w.ticket_page.wait.text().startswith("Орієнтовне очікування: ≈ ")


def test_waiting_counts_refresh_live(
    kiosk: Kiosk, server: RestartableServer, centre: Centre
) -> None:
    kiosk.to_services(group_index=0)
    card = kiosk.w.services_page.cards[0]
    assert "Очікують: 0 осіб" in card.detail.text()
    with QueueClient(server.url, centre.kiosk_key) as other_kiosk:
        other_kiosk.issue_ticket(1)
    kiosk.qtbot.waitUntil(lambda: "Очікують: 1 особа" in card.detail.text(), timeout=TIMEOUT)
    assert kiosk.c.screen == Screen.SERVICES  # the visitor is not moved while choosing


def test_a_second_tap_while_issuing_issues_nothing_more(kiosk: Kiosk, prints: Path) -> None:
    kiosk.to_services(group_index=0)
    card = kiosk.w.services_page.cards[0]
    kiosk.tap(card)
    kiosk.c.choose_service(1)  # the same finger again, before the answer
    kiosk.qtbot.waitUntil(lambda: kiosk.c.ticket is not None, timeout=TIMEOUT)
    kiosk.wait_printed()
    assert [p.name.split("-", 3)[3] for p in prints.glob("*.bin")] == ["ticket-А001.bin"]


@WITH_CATEGORIES
def test_priority_question_when_the_centre_configures_categories(
    make_kiosk: KioskFactory,
) -> None:
    kiosk = make_kiosk()
    kiosk.wait_ready()
    kiosk.to_services(group_index=0)
    kiosk.tap(kiosk.w.services_page.cards[0])
    kiosk.wait_screen("priority")
    assert kiosk.w.priority_page.categories.text() == "\n".join(f"•  {c.uk}" for c in CATEGORIES)
    kiosk.tap(kiosk.w.priority_page.yes)
    kiosk.wait_screen("ticket")
    ticket = kiosk.c.ticket
    assert ticket is not None
    assert ticket.number.startswith("П")
    assert kiosk.w.ticket_page.heading.text() == "Ваш пільговий талон"
    kiosk.tap(kiosk.w.ticket_page.done_button)
    kiosk.wait_screen("start")
    kiosk.to_services(group_index=0)
    kiosk.tap(kiosk.w.services_page.cards[0])
    kiosk.wait_screen("priority")
    kiosk.tap(kiosk.w.priority_page.no)
    kiosk.wait_screen("ticket")
    assert kiosk.c.ticket is not None
    assert kiosk.c.ticket.number == "А001"


def test_no_priority_question_without_categories(kiosk: Kiosk) -> None:
    assert kiosk.c.branch is not None
    assert kiosk.c.branch.priority_categories == ()  # the centre lists none
    assert kiosk.c.services[0].allow_priority  # … though the service has a priority lane
    kiosk.take_ticket()
    assert kiosk.c.ticket is not None
    assert kiosk.c.ticket.lane == "ordinary"


@WITH_CATEGORIES
def test_back_and_cancel_at_every_step(make_kiosk: KioskFactory) -> None:
    kiosk = make_kiosk()
    kiosk.wait_ready()
    w = kiosk.w
    kiosk.tap(w.start_page.take)
    kiosk.wait_screen("groups")
    kiosk.tap(w.groups_page.nav.back_button)
    kiosk.wait_screen("start")
    kiosk.tap(w.start_page.take)
    kiosk.tap(w.groups_page.nav.cancel_button)
    kiosk.wait_screen("start")

    kiosk.to_services(group_index=2)
    assert w.services_page.title.text() == "Майно та бізнес"
    kiosk.tap(w.services_page.nav.back_button)
    kiosk.wait_screen("groups")
    kiosk.tap(w.groups_page.cards[2])
    kiosk.tap(w.services_page.nav.cancel_button)
    kiosk.wait_screen("start")

    kiosk.to_services(group_index=2)
    kiosk.tap(w.services_page.cards[0])
    kiosk.wait_screen("priority")
    kiosk.tap(w.priority_page.nav.back_button)
    kiosk.wait_screen("services")
    kiosk.tap(w.services_page.cards[0])
    kiosk.wait_screen("priority")
    kiosk.tap(w.priority_page.nav.cancel_button)
    kiosk.wait_screen("start")
    assert kiosk.c.ticket is None


@WITH_CATEGORIES
def test_nobody_is_timed_out_while_choosing(make_kiosk: KioskFactory) -> None:
    kiosk = make_kiosk(return_delay_seconds=0.05)
    kiosk.wait_ready()
    kiosk.to_services()
    for step in ("services", "priority"):
        if step == "priority":
            kiosk.tap(kiosk.w.services_page.cards[0])
        kiosk.wait_screen(step)
        assert not kiosk.c.attendance.return_timer.isActive()
        kiosk.qtbot.wait(300)  # six return delays: still here
        assert kiosk.c.screen == step


def test_the_ticket_screen_returns_to_start_after_the_delay(make_kiosk: KioskFactory) -> None:
    kiosk = make_kiosk(return_delay_seconds=0.3)
    kiosk.wait_ready()
    kiosk.tap(kiosk.w.lang_button)
    kiosk.tap(kiosk.w.contrast_button)
    kiosk.take_ticket()
    kiosk.wait_printed()
    assert kiosk.c.attendance.return_timer.isActive()
    kiosk.wait_screen("start", timeout=5000)
    # ready for the next visitor: default language and text size again
    assert kiosk.c.language == "uk"
    assert not kiosk.c.high_contrast
    assert kiosk.w.start_page.take.text() == "Отримати талон"


@WITH_CATEGORIES
def test_language_one_touch_away_on_every_screen(make_kiosk: KioskFactory) -> None:
    kiosk = make_kiosk()
    kiosk.wait_ready()
    w = kiosk.w
    assert w.lang_button.text() == "English"
    kiosk.tap(w.lang_button)
    assert w.start_page.take.text() == "Take a ticket"
    assert w.lang_button.text() == "Українська"
    kiosk.to_services(group_index=1)
    assert w.services_page.title.text() == "Passports"
    assert w.services_page.cards[0].title.text() == "Ukrainian national passport (ID card)"
    assert w.services_page.nav.back_button.text().endswith("Back")
    kiosk.tap(w.lang_button)
    assert w.services_page.title.text() == "Паспорти"
    kiosk.tap(w.lang_button)
    kiosk.tap(w.services_page.cards[0])
    kiosk.wait_screen("priority")
    assert w.priority_page.title.text() == "Do you belong to a priority category?"
    assert w.priority_page.categories.text() == "\n".join(f"•  {c.en}" for c in CATEGORIES)
    kiosk.tap(w.priority_page.no)
    kiosk.wait_screen("ticket")
    kiosk.wait_printed()
    assert w.ticket_page.heading.text() == "Your ticket"
    assert w.ticket_page.ahead.text() == "Nobody is ahead of you"
    assert w.ticket_page.print_state.text().startswith("Ticket printed")
    kiosk.tap(w.lang_button)
    assert w.ticket_page.heading.text() == "Ваш талон"


def test_high_contrast_large_text_one_touch_away(kiosk: Kiosk) -> None:
    w = kiosk.w
    title_size = w.start_page.title.font().pixelSize()
    assert "#FFE500" not in w.styleSheet()
    kiosk.tap(w.contrast_button)
    assert kiosk.c.high_contrast
    assert w.contrast_button.isChecked()
    assert "#FFE500" in w.styleSheet()  # yellow on black
    assert w.start_page.title.font().pixelSize() > title_size
    kiosk.to_services()
    kiosk.tap(w.contrast_button)
    assert not kiosk.c.high_contrast
    assert kiosk.c.screen == Screen.SERVICES


def test_read_aloud_the_screen_and_the_ticket(kiosk: Kiosk) -> None:
    w = kiosk.w
    kiosk.tap(w.read_button)
    assert kiosk.speaker.said[-1][0] == "uk"
    assert "Торкніться кнопки, щоб отримати талон у чергу." in kiosk.speaker.last
    assert "Отримати талон" in kiosk.speaker.last
    kiosk.tap(w.start_page.take)
    kiosk.wait_screen("groups")
    # once asked, each new screen is read for this visitor
    assert "Оберіть розділ." in kiosk.speaker.last
    assert "Паспорти: Послуг: 2" in kiosk.speaker.last
    kiosk.tap(w.groups_page.cards[1])
    kiosk.wait_screen("services")
    assert "Закордонний паспорт" in kiosk.speaker.last
    kiosk.tap(w.services_page.cards[0])
    kiosk.wait_screen("ticket")
    kiosk.wait_printed()
    kiosk.qtbot.waitUntil(lambda: "Талон надруковано" in kiosk.speaker.last, timeout=TIMEOUT)
    text = kiosk.speaker.last
    assert "Ваш талон. Бе один." in text
    assert "По буквах і цифрах: бе, нуль, нуль, один." in text
    assert "Послуга: Паспорт громадянина України (ID-картка)." in text
    assert "Перед вами нікого немає." in text
    kiosk.tap(w.lang_button)
    assert kiosk.speaker.said[-1][0] == "en"
    assert "Your ticket. Bee one." in kiosk.speaker.last
    assert "Letter by letter: bee, zero, zero, one." in kiosk.speaker.last
    kiosk.tap(w.ticket_page.done_button)
    kiosk.wait_screen("start")
    n = len(kiosk.speaker.said)
    kiosk.tap(w.start_page.take)
    kiosk.wait_screen("groups")
    assert len(kiosk.speaker.said) == n  # the next visitor did not ask for speech


def test_qr_image_is_large_and_decodes(tmp_path: Path) -> None:
    image = qr_image("http://127.0.0.1:8000/t/abcdefghijklmnopqrstuv", 480)
    assert 400 <= image.width() <= 520
    path = tmp_path / "qr.png"
    image.save(str(path))
    assert decode_qr(path) == ["http://127.0.0.1:8000/t/abcdefghijklmnopqrstuv"]


def test_every_button_has_a_text(kiosk: Kiosk) -> None:
    kiosk.to_services()
    for b in kiosk.w.findChildren(QPushButton):
        if b.isVisible():
            assert b.text().strip()
