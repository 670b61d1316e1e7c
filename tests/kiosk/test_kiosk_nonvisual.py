"""Use without sight (issue 13 items 2 and 5): a real espeak-ng reading screen after screen,
a ticket and a booking made with keys only (a tactile keypad or a keyboard) with the spoken
text checked at each step, and a phone number or a name never said on an open loudspeaker."""

from __future__ import annotations

from functools import partial
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from cherha.kiosk.speech import EspeakSpeaker

from .conftest import TIMEOUT, Kiosk, KioskFactory

ESPEAK = pytest.mark.skipif(not EspeakSpeaker.available(), reason="espeak-ng is not installed")


def key(kiosk: Kiosk, code: Qt.Key, text: str = "") -> None:
    """One key of a keypad or keyboard, pressed on the kiosk's window."""
    if text:
        for action in (QTest.KeyAction.Press, QTest.KeyAction.Release):
            QTest.sendKeyEvent(action, kiosk.w, code, text, Qt.KeyboardModifier.NoModifier)
    else:
        QTest.keyClick(kiosk.w, code)


def down_to(kiosk: Kiosk, name: str, most: int = 60) -> str:
    """Press Down until the control named `name` has the focus; each one is read aloud."""
    for _ in range(most):
        key(kiosk, Qt.Key.Key_Down)
        said = kiosk.speaker.last
        focused = kiosk.w.focus.focused(kiosk.w, kiosk.w.focus_roots())
        assert focused is not None
        assert focused.control is not None
        assert said.endswith(focused.control.name), said  # the focused control is said
        assert focused.property("focused") is True  # and outlined on the screen
        if focused.control.name.startswith(name):
            return said
    raise AssertionError(f"{name!r} was never reached")


def count_is(items: list[Any], n: int) -> bool:
    return len(items) == n


@ESPEAK
def test_twenty_screens_spoken_in_a_row_by_a_real_espeak(make_kiosk: KioskFactory) -> None:
    """Every screen starts a real espeak-ng; texts read to their end and texts cut short by
    the next screen alternate; then the ticket's automatic return to the start still works."""
    speaker = EspeakSpeaker(rate=400, extra_args=("--stdout",))  # WAV to nowhere: no sound
    started: list[str] = []
    ended: list[int] = []
    speaker.started.connect(started.append)
    speaker.finished.connect(ended.append)
    kiosk = make_kiosk(speaker=speaker, return_delay_seconds=0.3)
    kiosk.wait_ready()
    c = kiosk.c
    c.read_aloud()  # 1: the start screen
    kiosk.qtbot.waitUntil(lambda: len(ended) == 1, timeout=TIMEOUT)
    c.begin()  # 2: the groups
    kiosk.qtbot.waitUntil(lambda: len(started) == 2, timeout=TIMEOUT)
    for n in range(3, 21):
        if c.screen == "groups":
            c.choose_group(c.groups[n % len(c.groups)].key)
        else:
            c.back()
        kiosk.qtbot.waitUntil(partial(count_is, started, n), timeout=TIMEOUT)
        if n % 2:  # read to its very end (the case that used to break the next one)
            kiosk.qtbot.waitUntil(partial(count_is, ended, len(ended) + 1), timeout=TIMEOUT)
    assert len(started) == 20
    assert len(ended) >= 10
    assert set(ended) == {0}
    assert any("Оберіть послугу" in text for text in started)
    # With speech on, the ticket is read once printed, and the kiosk goes back by itself.
    c.cancel()
    kiosk.take_ticket()
    kiosk.wait_printed()
    kiosk.qtbot.waitUntil(lambda: any("Талон надруковано" in t for t in started), timeout=TIMEOUT)
    kiosk.wait_screen("start", timeout=TIMEOUT)
    assert not c.follow_speech
    assert c.ticket is None


def test_a_missing_speech_program_never_stops_the_kiosk(make_kiosk: KioskFactory) -> None:
    kiosk = make_kiosk(speaker=EspeakSpeaker("/nonexistent/espeak-ng"), return_delay_seconds=0.2)
    kiosk.wait_ready()
    kiosk.c.read_aloud()
    kiosk.take_ticket()
    kiosk.wait_printed()
    kiosk.wait_screen("start", timeout=TIMEOUT)


def test_a_ticket_with_keys_only(make_kiosk: KioskFactory) -> None:
    kiosk = make_kiosk()
    kiosk.wait_ready()
    said = down_to(kiosk, "Отримати талон")
    # The first key turned speech on: the screen was read before the focused button.
    assert said.startswith("Центр надання адміністративних послуг. Вітаємо!")
    key(kiosk, Qt.Key.Key_Return)
    kiosk.wait_screen("groups")
    assert kiosk.speaker.last.startswith("Оберіть розділ.")
    down_to(kiosk, "Паспорти")
    key(kiosk, Qt.Key.Key_Return)
    kiosk.wait_screen("services")
    assert kiosk.speaker.last.startswith("Паспорти. Оберіть послугу.")
    key(kiosk, Qt.Key.Key_Escape)  # Back
    kiosk.wait_screen("groups")
    down_to(kiosk, "Паспорти")
    key(kiosk, Qt.Key.Key_Return)
    kiosk.wait_screen("services")
    down_to(kiosk, "Паспорт громадянина України (ID-картка)")
    key(kiosk, Qt.Key.Key_Return)
    kiosk.wait_screen("ticket")
    kiosk.wait_printed()
    kiosk.qtbot.waitUntil(lambda: "Талон надруковано" in kiosk.speaker.last, timeout=TIMEOUT)
    assert kiosk.speaker.last.startswith(
        "Ваш талон. Бе один. По буквах і цифрах: бе, нуль, нуль, один."
    )
    key(kiosk, Qt.Key.Key_F1)  # Help
    assert kiosk.speaker.last.startswith("Ваш талон: номер, послуга")
    assert "Enter — натиснути" in kiosk.speaker.last
    down_to(kiosk, "Готово")
    key(kiosk, Qt.Key.Key_Return)
    kiosk.wait_screen("start")


def shown(kiosk: Kiosk, page_name: str) -> None:
    """Wait until the page's tiles are loaded and on the screen (reachable by the keys)."""
    page = getattr(kiosk.w.bookings, page_name)
    kiosk.qtbot.waitUntil(lambda: bool(page.cards) and page.cards[-1].isVisible(), timeout=TIMEOUT)


def book_with_keys(kiosk: Kiosk) -> list[str]:
    """Start → «Book a visit» → … → the booked code, with keys; the speech at each step."""
    steps: list[str] = []
    down_to(kiosk, "Записатися на інший день")
    key(kiosk, Qt.Key.Key_Return)
    kiosk.wait_screen("book_services")
    shown(kiosk, "services")
    down_to(kiosk, "Реєстрація / зняття з реєстрації місця проживання")
    key(kiosk, Qt.Key.Key_Return)
    kiosk.wait_screen("book_days")
    shown(kiosk, "days")
    steps.append(kiosk.speaker.last)
    down_to(kiosk, "Середа, 25 листопада")
    key(kiosk, Qt.Key.Key_Return)
    kiosk.wait_screen("book_times")
    shown(kiosk, "times")
    down_to(kiosk, "00:00")
    key(kiosk, Qt.Key.Key_Return)
    kiosk.wait_screen("book_phone")
    steps.append(kiosk.speaker.last)
    for digit in "0671234567":  # as people say it: the 0 is swallowed, it is in +380
        key(kiosk, Qt.Key(Qt.Key.Key_0 + int(digit)))
        steps.append(kiosk.speaker.last)
    key(kiosk, Qt.Key.Key_Return)
    kiosk.wait_screen("book_name")
    for letter in "Олена":
        key(kiosk, Qt.Key.Key_unknown, letter)
    steps.append(kiosk.speaker.last)
    key(kiosk, Qt.Key.Key_Return)
    kiosk.wait_screen("book_confirm")
    steps.append(kiosk.speaker.last)
    down_to(kiosk, "Записатися")
    key(kiosk, Qt.Key.Key_Return)
    kiosk.wait_screen("booked")
    kiosk.wait_printed()
    kiosk.qtbot.waitUntil(
        lambda: "Підтвердження надруковано" in kiosk.speaker.last, timeout=TIMEOUT
    )
    steps.append(kiosk.speaker.last)
    return steps


def test_a_booking_with_keys_only_never_says_the_phone_or_name_on_a_loudspeaker(
    booking_kiosk: Kiosk,
) -> None:
    kiosk = booking_kiosk
    steps = book_with_keys(kiosk)
    days, phone, *digits, name, confirm, booked = steps
    assert days.startswith("Реєстрація / зняття з реєстрації місця проживання. Оберіть день.")
    assert phone.startswith("Ваш номер телефону.")
    assert "Час 00:00 тримаємо для вас" in phone
    assert "Введено цифр: 0 з 9." in phone
    assert digits[0] == phone  # the leading 0 is swallowed: nothing typed, nothing said
    assert digits[1] == "Введено цифр: 1 з 9."  # how many, never which
    assert digits[-1] == "Введено цифр: 9 з 9."
    assert name == "Введено знаків: 5."
    assert "Телефон введено." in confirm
    assert "Імʼя введено." in confirm
    booking = kiosk.c.form.booking
    assert booking is not None
    assert booking.name == "Олена"
    assert booked.startswith("Ви записані. Ваш код:")
    everything = " ".join(kiosk.speaker.said[i][1] for i in range(len(kiosk.speaker.said)))
    assert "Олена" not in everything
    assert "67 123" not in everything
    assert "сім, один" not in everything


def test_with_headphones_the_phone_and_name_are_read_back(make_booking_kiosk: KioskFactory) -> None:
    kiosk = make_booking_kiosk(speech_output="headphones")
    steps = book_with_keys(kiosk)
    _days, _phone, *digits, name, confirm, _booked = steps
    assert digits[1:4] == ["6", "7", "1"]  # each digit as it is typed
    assert name == "а"  # each letter too
    # the confirmation shows the name and now reads it too (it used to show but not say it)
    assert "Телефон: +380 67 123 45 67." in confirm
    assert "Імʼя: Олена." in confirm
