"""The desk's parts without a server: words, settings, remembered state, rules, booking display."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from cherha.clerk import __main__ as entry
from cherha.clerk.desk import available_actions, overview_rows
from cherha.clerk.i18n import TEXTS, Translator, clock, format_duration
from cherha.clerk.settings import DeskState, StateStore, load_config
from cherha.clerk.views import SHORTCUTS, TicketPanel
from cherha.wire import Branch, ClerkBooking, ClerkTicket, Counter, Service, User

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
    state = DeskState("http://q:8000", "clerk1", 3, "en", 17)
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
    assert not any(idle[a] for a in ("recall", "start", "finish", "no_show", "transfer", "return"))
    called = avail(ticket=ticket("called"))
    assert [called[a] for a in ("call_next", "recall", "start", "finish", "no_show")] == [
        False,
        True,
        True,
        True,
        True,
    ]
    assert not avail(ticket=ticket("called", recall_count=2))["recall"]
    serving = avail(ticket=ticket("serving"))
    assert serving["call_next"]
    assert serving["finish"]
    assert not serving["no_show"]
    assert not serving["close_window"]
    assert not avail(branch=branch(paused=True))["call_next"]
    assert not avail(counter=counter("paused"))["call_next"]
    assert not avail(counter=counter(clerk_id=9))["call_next"]
    assert avail(counter=counter("closed", None))["choose_window"]
    assert not avail(ready=False)["call_next"]
    assert avail(has_no_show=True)["return"]


def test_overview_rows_are_this_windows_services() -> None:
    def service(sid: int) -> Service:
        return Service(
            id=sid,
            code="c",
            prefix="A",
            name_uk=f"Послуга {sid}",
            name_en=f"Service {sid}",
            group_uk="",
            group_en="",
            active=True,
            open_now=True,
            allow_priority=False,
            bookable=True,
            waiting=sid,
            estimated_wait_minutes=5,
            average_service_minutes=10.0,
            counter_ids=(),
            longest_wait_seconds=60,
        )

    rows = overview_rows([service(i) for i in range(1, 11)], counter(), "en")
    assert [(r.service_id, r.name, r.waiting) for r in rows] == [
        (1, "Service 1", 1),
        (9, "Service 9", 9),
        (10, "Service 10", 10),
    ]


def test_ticket_panel_shows_a_booking_only_when_there_is_one(qtbot: QtBot) -> None:
    panel = TicketPanel(Translator())
    qtbot.addWidget(panel)
    panel.set_ticket(ticket())
    assert panel.booking.isHidden()
    slot = datetime(2026, 11, 24, 9, 30, tzinfo=UTC)
    booked = ticket(booking=ClerkBooking(code="K7Q-2AB", start=slot, name="", on_time=True))
    panel.set_ticket(booked)
    assert not panel.booking.isHidden()
    assert panel.booking.text().startswith("Запис: K7Q-2AB, на ")
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
    args = entry.parse_args(["--server", "http://q:1", "--config", "x.toml"])
    assert (args.server, args.config) == ("http://q:1", Path("x.toml"))
    monkeypatch.setattr(QApplication, "exec", lambda _self: 0)
    assert entry.main(["--server", "http://127.0.0.1:9"]) == 0
