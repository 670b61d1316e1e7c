"""The desk's parts without a server: words, settings, remembered state, rules, booking display."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from cherha.clerk import __main__ as entry
from cherha.clerk.desk import (
    available_actions,
    idle_hint,
    local_time,
    timer_reading,
    waiting_rows,
)
from cherha.clerk.i18n import TEXTS, Translator, clock, format_duration
from cherha.clerk.panels import TicketPanel
from cherha.clerk.settings import DeskState, StateStore, load_config
from cherha.clerk.views import SHORTCUTS
from cherha.clerk.window import MainWindow
from cherha.wire import Branch, ClerkBooking, ClerkTicket, Counter, User, WaitingList

NOW = datetime(2026, 11, 24, 10, 0, tzinfo=UTC)
CLERK = User(id=2, username="clerk1", role="clerk", may_call_out_of_order=False)


def ticket(status: str = "called", **changes: object) -> ClerkTicket:
    base = ClerkTicket(
        id=5,
        number="А005",
        service_id=1,
        service_name_uk="Реєстрація",
        service_name_en="Registration",
        lane="ordinary",
        status=status,
        counter_id=1,
        counter_number=1,
        recall_count=0,
        recall_limit=2,
        waited_seconds=754,
        issued_at=NOW,
        called_at=NOW,
        started_at=NOW if status == "serving" else None,
    )
    return ClerkTicket.model_validate({**base.model_dump(), **changes})


def counter(state: str = "open", clerk_id: int | None = 2) -> Counter:
    return Counter(
        id=1,
        number=1,
        name_uk="Вікно 1",
        name_en="Window 1",
        state=state,
        clerk_id=clerk_id,
        opened_at=NOW,
        service_ids=(1, 9, 10),
        current=None,
    )


def branch(paused: bool = False) -> Branch:
    return Branch(
        id=1,
        code="c",
        name_uk="Центр",
        name_en="Centre",
        timezone="Europe/Kyiv",
        paused=paused,
        pause_reason="",
        paused_at=None,
    )


def test_every_text_in_both_languages() -> None:
    for key, (uk, en) in TEXTS.items():
        assert uk.strip(), key
        assert en.strip(), key
        assert set(re.findall(r"{(\w+)", uk)) == set(re.findall(r"{(\w+)", en)), key


def test_translator_switches_and_formats(qtbot: QtBot) -> None:
    i18n = Translator("de")
    assert i18n.language == "uk"
    with qtbot.waitSignal(i18n.changed) as changed:
        i18n.toggle()
    assert changed.args == ["en"]
    assert i18n.t("msg.called", number="А001") == "Called А001"
    assert i18n.duration(125) == "2 min 05 s"
    assert format_duration(3725) == "1 год 02 хв"
    assert clock(75) == "01:15"
    assert clock(3675) == "1:01:15"


def test_state_is_remembered_without_the_password(tmp_path: Path) -> None:
    store = StateStore(tmp_path / "cfg")
    assert store.load() == DeskState()
    state = DeskState("http://q:8000", "clerk1", 3, "en")
    store.save(state)
    assert store.load() == state
    assert "pass" not in store.path.read_text(encoding="utf-8").lower()
    store.path.write_text("{not json", encoding="utf-8")
    assert store.load() == DeskState()
    store.path.write_text('{"counter_id": "x", "language": "fr"}', encoding="utf-8")
    assert store.load() == DeskState()


def test_config_precedence(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    toml = tmp_path / "desk.toml"
    toml.write_text('[clerk]\nserver_url = "http://from-file:8000/"\n', encoding="utf-8")
    assert load_config(toml).server_url == "http://from-file:8000"
    monkeypatch.setenv("CHERHA_SERVER_URL", "http://from-env:8000")
    assert load_config(toml).server_url == "http://from-env:8000"
    assert load_config(toml, "http://from-flag:8000").server_url == "http://from-flag:8000"
    monkeypatch.delenv("CHERHA_SERVER_URL")
    assert load_config(None).server_url is None
    assert load_config(None).state_dir == tmp_path / "state"  # CHERHA_CLERK_STATE_DIR


def test_available_actions_follow_the_visitor() -> None:
    def avail(**kw: object) -> dict[str, bool]:
        args: dict[str, object] = {
            "user": CLERK,
            "ready": True,
            "counter": counter(),
            "ticket": None,
            "branch": branch(),
            "has_no_show": False,
        }
        args.update(kw)
        return available_actions(**args)  # type: ignore[arg-type]

    idle = avail()
    assert idle["call_next"]
    assert idle["close_window"]
    assert idle["logout"]
    assert not any(
        idle[a] for a in ("recall", "start", "finish", "no_show", "transfer", "return", "cancel")
    )
    called = avail(ticket=ticket("called"))
    assert [called[a] for a in ("call_next", "recall", "start", "finish", "no_show")] == [
        False,
        True,
        True,
        True,
        True,
    ]
    assert called["cancel"]  # the visitor at the window says they are leaving
    assert not avail(ticket=ticket("called", recall_count=2))["recall"]
    serving = avail(ticket=ticket("serving"))
    assert serving["call_next"]
    assert serving["finish"]
    assert not serving["no_show"]
    assert not serving["close_window"]
    assert not serving["cancel"]
    assert not avail(branch=branch(paused=True))["call_next"]
    assert not avail(counter=counter("paused"))["call_next"]
    assert not avail(counter=counter(clerk_id=9))["call_next"]
    assert avail(counter=counter("closed", None))["choose_window"]
    assert not avail(ready=False)["call_next"]
    assert avail(has_no_show=True)["return"]
    offline = avail(online=False, ticket=ticket("called"), has_no_show=True, selected=7)
    assert not any(offline[a] for a in offline if a not in ("language", "logout", "waiting_list"))
    assert avail(selected=7)["cancel"]
    assert not avail(selected=7)["call_selected"]  # the permission is needed
    boss = User(id=1, username="admin", role="admin", may_call_out_of_order=True)
    assert avail(user=boss, counter=counter(clerk_id=1), selected=7)["call_selected"]
    assert not avail(user=boss, counter=counter(clerk_id=1))["call_selected"]  # nothing chosen


def test_the_idle_hint_never_names_a_key_that_is_off() -> None:
    def hint(**kw: object) -> str:
        args: dict[str, object] = {
            "online": True,
            "counter": counter(),
            "mine": True,
            "branch": branch(),
        }
        args.update(kw)
        return idle_hint(**args)  # type: ignore[arg-type]

    assert hint() == "idle.call"
    assert hint(online=False) == "idle.offline"
    assert hint(branch=branch(paused=True)) == "idle.branch_paused"
    assert hint(counter=None) == "idle.choose_window"
    assert hint(mine=False) == "idle.open_window"
    assert hint(counter=counter("paused")) == "idle.on_break"
    for key in ("idle.call", "idle.offline", "idle.open_window", "idle.on_break"):
        assert key in TEXTS


def test_times_are_the_branch_s_not_the_desk_pc_s(monkeypatch: pytest.MonkeyPatch) -> None:
    import time

    monkeypatch.setenv("TZ", "America/New_York")  # the desk PC in another zone
    time.tzset()
    try:
        assert local_time(datetime(2026, 11, 24, 8, 30, tzinfo=UTC), "Europe/Kyiv") == "10:30"
        assert local_time(datetime(2026, 7, 1, 8, 30, tzinfo=UTC), "Europe/Kyiv") == "11:30"
        assert local_time(NOW, "No/Such_Zone") == "12:00"  # Kyiv when the name is wrong
    finally:
        monkeypatch.delenv("TZ")
        time.tzset()


def test_the_visit_timer_leaves_out_air_raid_pauses() -> None:
    from datetime import timedelta

    serving = ticket("serving")  # started at NOW
    later = NOW + timedelta(minutes=10)
    assert timer_reading(serving, later, []).seconds == 600
    alert = (NOW + timedelta(minutes=2), NOW + timedelta(minutes=5))
    assert timer_reading(serving, later, [alert]).seconds == 7 * 60
    ongoing = timer_reading(serving, later, [(NOW + timedelta(minutes=4), None)])
    assert (ongoing.seconds, ongoing.frozen) == (4 * 60, True)
    before = (NOW - timedelta(minutes=30), NOW - timedelta(minutes=20))  # before the visit
    assert timer_reading(serving, later, [before]).seconds == 600
    assert timer_reading(None, later, []).kind == ""
    assert timer_reading(ticket("called"), later, []).kind == "called"


def test_waiting_rows_in_the_server_s_order_with_marks_and_the_branch_s_time() -> None:
    waiting = WaitingList.model_validate(
        {
            "counter_id": 1,
            "counter_number": 1,
            "generated_at": NOW.isoformat(),
            "tickets": [
                {
                    "id": 9,
                    "number": "М004",
                    "service_id": 10,
                    "lane": "ordinary",
                    "issued_at": NOW.isoformat(),
                    "waited_seconds": 30,
                    "handed_over": True,
                    "note": "<b>підпис</b>",
                    "note_by": "clerk2",
                    "booking": None,
                },
                {
                    "id": 3,
                    "number": "ПА001",
                    "service_id": 1,
                    "lane": "priority",
                    "issued_at": NOW.isoformat(),
                    "waited_seconds": 90,
                    "handed_over": False,
                    "note": "",
                    "note_by": "",
                    "booking": {
                        "code": "ABC-DEF",
                        "start": "2026-11-24T08:30:00+00:00",
                        "name": "Олена",
                        "on_time": True,
                    },
                },
            ],
            "bookings_due": [],
        }
    )
    rows = waiting_rows(waiting, [], "uk", "Europe/Kyiv")
    assert [(r.ticket_id, r.number, r.priority, r.handed_over) for r in rows] == [
        (9, "М004", False, True),
        (3, "ПА001", True, False),
    ]
    assert rows[0].note == "<b>підпис</b>"
    assert rows[1].booking == "10:30 · Олена"
    assert waiting_rows(None, [], "uk", None) == []


def test_ticket_panel_shows_a_booking_only_when_there_is_one(qtbot: QtBot) -> None:
    panel = TicketPanel(Translator())
    qtbot.addWidget(panel)
    panel.set_ticket(ticket())
    assert panel.booking.isHidden()
    panel.set_timezone("Europe/Kyiv")
    slot = datetime(2026, 11, 24, 9, 30, tzinfo=UTC)
    booked = ticket(booking=ClerkBooking(code="K7Q-2AB", start=slot, name="", on_time=True))
    panel.set_ticket(booked)
    assert not panel.booking.isHidden()
    # Kyiv, whatever the PC's zone
    assert panel.booking.text() == "Запис: K7Q-2AB, на 11:30 · прийшов(ла) вчасно"
    late = ClerkBooking(code="K7Q-2AB", start=slot, name="Олена Коваль", on_time=False)
    panel.set_ticket(ticket(booking=late))
    assert "Олена Коваль" in panel.booking.text()
    assert panel.booking.text().endswith("запізнився(лась): став(ла) у загальну чергу")
    panel.set_ticket(
        ticket(booking=ClerkBooking(code="K7Q-2AB", start=slot, name="Олена", on_time=True))
    )
    assert panel.booking.text().endswith("прийшов(ла) вчасно")
    assert panel.waited.text() == "Чекав(ла): 12 хв 34 с"
    panel.set_ticket(ticket(lane="priority"))
    assert panel.status.text() == "викликано — чекаємо відвідувача · пільгова черга"


def test_shortcuts_are_distinct() -> None:
    assert len(set(SHORTCUTS.values())) == len(SHORTCUTS)
    assert SHORTCUTS["call_next"] == "F2"


def test_entry_point(monkeypatch: pytest.MonkeyPatch, qapp: QApplication) -> None:
    """cherha-clerk shows the desk's login for the server it was given, hands the event loop's
    exit code back, and closes the window after the loop."""
    args = entry.parse_args(["--server", "http://q:1", "--config", "x.toml"])
    assert (args.server, args.config) == ("http://q:1", Path("x.toml"))
    shown: list[MainWindow] = []

    def event_loop(app: QApplication) -> int:
        """What the desk looks like while the event loop would run; the clerk quits with 3."""
        windows = [w for w in app.topLevelWidgets() if isinstance(w, MainWindow) and w.isVisible()]
        assert len(windows) == 1
        window = windows[0]
        assert app.applicationName() == "cherha-clerk"
        assert window.pages.currentWidget() is window.login_view
        assert window.login_view.server.text() == "http://127.0.0.1:9"
        shown.append(window)
        return 3

    monkeypatch.setattr(QApplication, "exec", event_loop)
    assert entry.main(["--server", "http://127.0.0.1:9/"]) == 3
    assert len(shown) == 1
    assert not shown[0].isVisible()
    shown[0].deleteLater()
