"""A clerk's day at a real desk against a real server, by keyboard only: the waiting list in
calling order, a hand-over to another window, cancelling, calling out of order, returning any
no-show, outcomes, breaks, logging out, my day, printer faults, and the public's words shown
as plain text."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot
from sqlalchemy import select, update

from cherha.clerk.dialogs import ChoiceDialog, ReasonDialog
from cherha.clerk.views import SHORTCUTS
from cherha.client import QueueClient
from cherha.server.store.db import Database
from cherha.server.store.models import Branch, Ticket
from cherha.wire import CheckIn
from tests.helpers.app import Centre, ThreadedServer
from tests.helpers.clerk_desk import TIMEOUT, Desk, type_text, waiting_numbers, waiting_shown
from tests.helpers.server import ADMIN_PASSWORD

from .conftest import DeskFactory

Key = Qt.Key
HTML_NAME = '<b style="color:red;font-size:40px">ВІКНО ЗАЧИНЕНО</b>'


def ticket_row(centre: Centre, ticket_id: int) -> Ticket:
    db = Database(centre.database_url)
    try:
        with db.read() as session:
            row = session.scalars(select(Ticket).where(Ticket.id == ticket_id)).one()
            session.expunge(row)
            return row
    finally:
        db.dispose()


def check_in_now(live: tuple[ThreadedServer, Centre], kiosk: QueueClient, name: str) -> CheckIn:
    """A booking for the next slot (bookable at once here), checked in at the kiosk."""
    db = Database(live[1].database_url)
    try:
        with db.sessions() as session, session.begin():
            session.execute(update(Branch).values(booking_min_lead_minutes=0))
    finally:
        db.dispose()
    now = datetime.now(UTC)
    kyiv = now.astimezone(ZoneInfo("Europe/Kyiv"))
    with QueueClient(live[0].url) as public:
        starts = [
            slot.start
            for day in (kyiv.date(), kyiv.date() + timedelta(days=1))
            for slot in public.slots(1, day)
            if slot.free > 0 and now < slot.start <= now + timedelta(minutes=15)
        ]
        booking = public.book(1, starts[0], "067 123 45 67", name)
    return kiosk.check_in(booking.code)


def open_window(desk: Desk, window: int) -> None:
    desk.controller.live.choose_counter(window)
    desk.act(Key.Key_F9)
    assert desk.controller.live.holds_counter()


def test_the_waiting_list_is_the_order_f2_calls_in_while_tickets_arrive(
    desk: Desk, kiosk: QueueClient, qtbot: QtBot
) -> None:
    for service, priority in [(1, False), (9, False), (10, True), (1, True), (9, False)]:
        kiosk.issue_ticket(service, priority=priority)
    qtbot.waitUntil(lambda: waiting_shown(desk) == "5", timeout=TIMEOUT)
    assert desk.view.waiting.heading.text() == "Чекають: 5"
    arrivals = iter([(10, False), (1, True), (9, False)])
    called = 0
    while (shown := waiting_numbers(desk)) != []:
        desk.act(Key.Key_F2)
        assert desk.view.ticket_panel.number.text() == shown[0], (called, shown)
        desk.act(Key.Key_F4)
        called += 1
        arrival = next(arrivals, None)
        if arrival is not None:
            kiosk.issue_ticket(arrival[0], priority=arrival[1])
            expected = len(shown)  # one called, one arrived

            def arrived(expected: int = expected) -> bool:
                return len(waiting_numbers(desk)) == expected

            qtbot.waitUntil(arrived, timeout=TIMEOUT)
    assert called == 8
    desk.act(Key.Key_F2)
    assert desk.message() == "Ніхто не чекає"


def test_arrows_move_in_the_list_and_esc_leaves_it(
    desk: Desk, kiosk: QueueClient, qtbot: QtBot
) -> None:
    first, second = kiosk.issue_ticket(1), kiosk.issue_ticket(9)
    qtbot.waitUntil(lambda: waiting_shown(desk) == "2", timeout=TIMEOUT)
    table = desk.view.waiting.table
    assert "[F10]" in desk.view.buttons["waiting_list"].text()
    desk.press(Key.Key_F10)
    assert table.hasFocus()
    assert desk.controller.selected == first.id
    QTest.keyClick(table, Key.Key_Down)
    assert desk.controller.selected == second.id
    assert desk.view.key_actions["cancel"].isEnabled()
    assert not desk.view.key_actions["call_selected"].isEnabled()  # clerk1 has no permission
    QTest.keyClick(table, Key.Key_Escape)
    assert desk.view.buttons["call_next"].hasFocus()


def test_a_booked_name_in_html_shows_literally(
    live: tuple[ThreadedServer, Centre], desk: Desk, kiosk: QueueClient, qtbot: QtBot
) -> None:
    checked_in = check_in_now(live, kiosk, HTML_NAME)
    qtbot.waitUntil(lambda: waiting_shown(desk) == "1", timeout=TIMEOUT)
    about = desk.view.waiting.table.item(0, 3)
    assert about is not None
    assert HTML_NAME in about.text()
    desk.act(Key.Key_F2)
    assert desk.view.ticket_panel.number.text() == checked_in.number
    booking = desk.view.ticket_panel.booking
    assert HTML_NAME in booking.text()
    slot = checked_in.booking.start.astimezone(ZoneInfo("Europe/Kyiv")).strftime("%H:%M")
    assert booking.text().startswith(f"Запис: {checked_in.booking.code}, на {slot}")
    labels = desk.window.findChildren(QLabel)
    assert len(labels) > 20
    rich = [label.objectName() for label in labels if label.textFormat() != Qt.TextFormat.PlainText]
    assert rich == [], "every label of the desk shows plain text"


def test_a_transfer_to_a_window_is_called_there_next(
    live: tuple[ThreadedServer, Centre],
    make_desk: DeskFactory,
    kiosk: QueueClient,
    tmp_path: object,
    qtbot: QtBot,
) -> None:
    from pathlib import Path

    assert isinstance(tmp_path, Path)
    one = make_desk(live[0].url, tmp_path / "one")
    two = make_desk(live[0].url, tmp_path / "two")
    one.login("clerk1")
    open_window(one, 1)
    two.login("clerk2")
    open_window(two, 2)
    moving = kiosk.issue_ticket(8)  # civil status: window 2 only
    two.act(Key.Key_F2)
    assert two.view.ticket_panel.number.text() == moving.number
    earlier = [kiosk.issue_ticket(1), kiosk.issue_ticket(10, priority=True)]
    qtbot.waitUntil(lambda: waiting_shown(one) == "2", timeout=TIMEOUT)
    one.settle()

    two.press(Key.Key_F7)
    dialog = two.dialog()
    assert isinstance(dialog, ChoiceDialog)
    assert ("counter", 1) in dialog.values()
    assert ("clerk", 2) in dialog.values()  # clerk1 (id 2) at window 1
    dialog.select(("counter", 1))
    assert dialog.note is not None
    dialog.note.setFocus()
    two.answer(Key.Key_Return, text="Потрібна печатка <i>керівника</i>")
    assert two.message() == f"Талон {moving.number} передано до вікна 1"
    assert two.controller.live.ticket is None

    qtbot.waitUntil(lambda: waiting_numbers(one)[:1] == [moving.number], timeout=TIMEOUT)
    about = one.view.waiting.table.item(0, 3)
    assert about is not None
    assert about.text().startswith("до вас")
    assert waiting_numbers(one)[1:] == [earlier[1].number, earlier[0].number]
    one.act(Key.Key_F2)
    assert one.view.ticket_panel.number.text() == moving.number  # before those who came earlier
    assert one.view.ticket_panel.note.text() == (
        "Примітка (clerk2): Потрібна печатка <i>керівника</i>"
    )
    assert one.view.ticket_panel.note.textFormat() == Qt.TextFormat.PlainText
    assert moving.number not in waiting_numbers(two)


def test_cancel_from_the_list_with_a_reason(
    live: tuple[ThreadedServer, Centre], desk: Desk, kiosk: QueueClient, qtbot: QtBot
) -> None:
    kiosk.issue_ticket(1)
    leaving = kiosk.issue_ticket(1)
    qtbot.waitUntil(lambda: waiting_shown(desk) == "2", timeout=TIMEOUT)
    desk.press(Key.Key_F10)
    QTest.keyClick(desk.view.waiting.table, Key.Key_Down)
    desk.press(Key.Key_F11)
    dialog = desk.dialog()
    assert isinstance(dialog, ReasonDialog)
    assert leaving.number in dialog.prompt.text()
    QTest.keyClick(dialog.reason, Key.Key_Return)  # no reason yet: refused, stays open
    assert dialog.error.text() == "Вкажіть причину (щонайменше 3 символи)"
    assert desk.window.dialog is dialog
    QTest.keyClick(dialog.reason, Key.Key_Down)  # the first reason offered
    desk.answer(Key.Key_Return)
    assert desk.message() == f"Талон {leaving.number} скасовано"
    row = ticket_row(live[1], leaving.id)
    assert (row.status, row.cancel_reason) == ("cancelled", "Відвідувач передумав")
    assert waiting_shown(desk) == "1"
    assert desk.view.day.moved.text() == "Переведено: 0 · скасовано: 1"


def test_calling_a_chosen_ticket_out_of_order_needs_the_permission(
    live: tuple[ThreadedServer, Centre], make_desk: DeskFactory, kiosk: QueueClient, qtbot: QtBot
) -> None:
    desk = make_desk(live[0].url)
    desk.login("admin", ADMIN_PASSWORD)
    open_window(desk, 1)
    kiosk.issue_ticket(1)
    later = kiosk.issue_ticket(9)
    qtbot.waitUntil(lambda: waiting_shown(desk) == "2", timeout=TIMEOUT)
    assert "[F12]" in desk.view.buttons["call_selected"].text()
    desk.press(Key.Key_F10)
    table = desk.view.waiting.table
    QTest.keyClick(table, Key.Key_Down)
    assert desk.view.key_actions["call_selected"].isEnabled()
    QTest.keyClick(table, Key.Key_Return)  # Enter on a line: the same as F12
    dialog = desk.dialog()
    assert isinstance(dialog, ReasonDialog)
    type_text(dialog.reason, "Відвідувач з немовлям")
    desk.answer(Key.Key_Return)
    assert desk.view.ticket_panel.number.text() == later.number


def test_any_of_today_s_no_shows_returns(desk: Desk, kiosk: QueueClient) -> None:
    missed = []
    for _ in range(2):
        kiosk.issue_ticket(9)
        desk.act(Key.Key_F2)
        missed.append(desk.view.ticket_panel.number.text())
        desk.act(Key.Key_F6)
    assert desk.view.day.no_shows.text() == "Неявки: 2"
    desk.press(Key.Key_F8)
    dialog = desk.dialog()
    assert isinstance(dialog, ChoiceDialog)
    items = [dialog.list.item(i).text() for i in range(dialog.list.count())]
    assert [item.split(" · ")[0] for item in items] == [f"1. {missed[1]}", f"2. {missed[0]}"]
    desk.answer(Key.Key_2)  # the older one, not the last
    assert desk.message() == f"Талон {missed[0]} повернуто в чергу"
    assert waiting_numbers(desk) == [missed[0]]


def test_finish_with_an_outcome_and_a_note(
    live: tuple[ThreadedServer, Centre], desk: Desk, kiosk: QueueClient
) -> None:
    issued = kiosk.issue_ticket(1)
    desk.act(Key.Key_F2)
    desk.act(Key.Key_F4)
    desk.press(Key.Key_F5)
    dialog = desk.dialog()
    assert isinstance(dialog, ChoiceDialog)
    assert dialog.values() == ["served", "another_visit", "documents_missing", "redirected", None]
    dialog.select("documents_missing")
    QTest.keyClick(dialog.list, Key.Key_Tab)
    desk.answer(Key.Key_Return, text="Бракує довідки про доходи")
    assert desk.message() == f"{issued.number} обслужено"
    row = ticket_row(live[1], issued.id)
    assert (row.status, row.outcome, row.note) == (
        "done",
        "documents_missing",
        "Бракує довідки про доходи",
    )


def test_a_break_with_its_reason_and_time(desk: Desk, qtbot: QtBot) -> None:
    assert desk.view.buttons["toggle_window"].text() == "Перерва…  [F9]"
    desk.press(Key.Key_F9)
    desk.answer(Key.Key_2)
    view = desk.view
    assert view.counter_state.text().startswith("перерва: Технічна перерва · 00:0")
    assert view.ticket_panel.service.text() == "Перерва. F9 — відкрити вікно"
    assert not view.key_actions["call_next"].isEnabled()
    qtbot.waitUntil(lambda: view.counter_state.text().endswith("00:02"), timeout=TIMEOUT)
    desk.act(Key.Key_F9)
    assert view.counter_state.text() == "відкрите"
    assert view.day.breaks.text().startswith("На перервах: 0 хв 0")
    assert view.day.breaks.text() != "На перервах: 0 хв 00 с"


def test_log_out_closes_the_window_or_asks(
    live: tuple[ThreadedServer, Centre], desk: Desk, kiosk: QueueClient, admin: QueueClient
) -> None:
    kiosk.issue_ticket(1)
    desk.act(Key.Key_F2)
    desk.press(Key.Key_Q, Qt.KeyboardModifier.ControlModifier)
    assert desk.window.dialog is None
    assert desk.message().startswith("Спершу завершіть обслуговування")
    desk.press(Key.Key_F5)
    desk.answer(Key.Key_Return)
    desk.press(Key.Key_Q, Qt.KeyboardModifier.ControlModifier)
    dialog = desk.dialog()
    assert isinstance(dialog, ChoiceDialog)
    assert dialog.values() == ["close", "break"]
    QTest.keyClick(dialog.list, Key.Key_Return)
    desk.qtbot.waitUntil(
        lambda: desk.window.pages.currentWidget() is desk.window.login_view, timeout=TIMEOUT
    )
    assert desk.window.login_view.username.text() == "clerk1"
    assert desk.window.login_view.password.text() == ""
    assert next(c for c in admin.counters() if c.id == 1).state == "closed"
    desk.login("clerk1")  # and back
    assert desk.view.counter_state.text() == "зачинене"


def test_my_day_and_the_wait_for_my_window(desk: Desk, kiosk: QueueClient, qtbot: QtBot) -> None:
    for service in (1, 9, 10):
        kiosk.issue_ticket(service)
    qtbot.waitUntil(lambda: waiting_shown(desk) == "3", timeout=TIMEOUT)
    desk.act(Key.Key_F2)
    desk.act(Key.Key_F6)
    day = desk.view.day
    assert day.heading.text() == "Мій день · clerk1"
    assert day.no_shows.text() == "Неявки: 1"
    assert day.wait.text().startswith("Зараз чекають на моє вікно: 2, найдовше ")


def test_a_printer_fault_at_a_kiosk_reaches_the_desk(
    desk: Desk, kiosk: QueueClient, qtbot: QtBot
) -> None:
    faults = desk.window.faults_label
    assert faults.isHidden()
    kiosk.request("POST", "/devices/me/status", json={"printer": "paper_out", "message": ""})
    qtbot.waitUntil(lambda: not faults.isHidden(), timeout=TIMEOUT)
    assert faults.text() == "⚠ kiosk-1: закінчився папір"
    kiosk.request("POST", "/devices/me/status", json={"printer": "ok"})
    qtbot.waitUntil(faults.isHidden, timeout=TIMEOUT)


def test_every_action_has_its_key_and_every_dialog_closes_with_esc(
    desk: Desk, kiosk: QueueClient, qtbot: QtBot
) -> None:
    for name, keys in SHORTCUTS.items():
        assert desk.view.buttons[name].text().endswith(f"[{keys}]"), name
    kiosk.issue_ticket(1)
    qtbot.waitUntil(lambda: waiting_shown(desk) == "1", timeout=TIMEOUT)
    desk.act(Key.Key_F2)
    for key, modifier in [
        (Key.Key_F5, Qt.KeyboardModifier.NoModifier),
        (Key.Key_F7, Qt.KeyboardModifier.NoModifier),
        (Key.Key_F11, Qt.KeyboardModifier.NoModifier),
    ]:
        desk.press(key, modifier)
        dialog = desk.dialog()
        QTest.keyClick(dialog.focusWidget() or dialog, Key.Key_Escape)
        qtbot.waitUntil(lambda: desk.window.dialog is None, timeout=TIMEOUT)
    assert desk.controller.live.ticket is not None  # nothing was done
    desk.press(Key.Key_F4)
    desk.settle()
    desk.press(Key.Key_F5)
    desk.answer(Key.Key_1)
    for key, modifier in [
        (Key.Key_F9, Qt.KeyboardModifier.NoModifier),
        (Key.Key_Q, Qt.KeyboardModifier.ControlModifier),
    ]:
        desk.press(key, modifier)
        dialog = desk.dialog()
        QTest.keyClick(dialog.focusWidget() or dialog, Key.Key_Escape)
        qtbot.waitUntil(lambda: desk.window.dialog is None, timeout=TIMEOUT)
    assert desk.view.counter_state.text() == "відкрите"


def test_the_visit_timer_stands_still_during_an_air_raid_pause(
    desk: Desk, kiosk: QueueClient, admin: QueueClient, qtbot: QtBot
) -> None:
    kiosk.issue_ticket(1)
    desk.act(Key.Key_F2)
    desk.act(Key.Key_F4)
    admin.pause_branch("Повітряна тривога")
    timer = desk.view.ticket_panel.timer
    qtbot.waitUntil(lambda: timer.text().endswith(" · зупинено"), timeout=TIMEOUT)
    assert desk.view.ticket_panel.service.text().startswith("Реєстрація")
    stopped = timer.text()
    qtbot.wait(2200)
    assert timer.text() == stopped
    admin.resume_branch()
    qtbot.waitUntil(lambda: "зупинено" not in timer.text(), timeout=TIMEOUT)
    assert timer.text().startswith("Обслуговування: 00:0")
