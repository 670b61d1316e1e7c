"""The set-up edits the console makes (store/config.py), the centre file's round trip, and the
floor's alerts — on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from cherha.core.errors import DomainError, Invalid, InvalidTransition
from cherha.server.auth import Principal
from cherha.server.store.centre import export_centre, load_centre
from cherha.server.store.centre_file import (
    SAMPLE_CENTRE,
    CentreFile,
    ExceptionSpec,
    HoursSpec,
    ServiceSpec,
    WindowSpec,
    centre_toml,
    parse_centre_text,
    read_centre_file,
)
from cherha.server.store.db import Database
from cherha.server.store.migrate import upgrade
from cherha.server.store.models import AuditEntry, Event, Service, Ticket
from tests.helpers.app import FakeClock, api_for

ADMIN = Principal(kind="user", id=1, name="admin", role="admin")


def _normalised(spec: CentreFile) -> CentreFile:
    """Windows list their services as a set: their order means nothing."""
    return spec.model_copy(
        update={
            "windows": [w.model_copy(update={"services": sorted(w.services)}) for w in spec.windows]
        }
    )


def test_the_exported_centre_loads_back_as_the_same_centre(
    database_url: str, tmp_path: Path
) -> None:
    db = Database(database_url)
    try:
        upgrade(db.engine)
        spec = read_centre_file(SAMPLE_CENTRE)
        branch_id = load_centre(db, spec)
        text = centre_toml(export_centre(db, branch_id))
        assert _normalised(parse_centre_text(text)) == _normalised(spec)
        # … and what `load-centre` reads from a file is the same again.
        path = tmp_path / "exported.toml"
        path.write_text(text, encoding="utf-8")
        assert _normalised(read_centre_file(path)) == _normalised(spec)
        # Loading a file is audited: the centre as it was (nothing, the first time) and became.
        load_centre(db, spec.model_copy(update={"windows": spec.windows[:2]}))
        with db.read() as session:
            loads = list(
                session.scalars(
                    select(AuditEntry)
                    .where(AuditEntry.action == "centre_loaded")
                    .order_by(AuditEntry.id)
                )
            )
        assert [e.actor for e in loads] == ["cli", "cli"]
        assert loads[0].data["before"] is None
        assert len(loads[1].data["before"]["windows"]) == len(spec.windows)
        assert len(loads[1].data["after"]["windows"]) == 2
    finally:
        db.dispose()


def test_a_new_service_takes_tickets_at_once_and_is_audited(database_url: str) -> None:
    with api_for(database_url) as api:
        be = api.client.app.state.backend  # type: ignore[attr-defined]
        spec = ServiceSpec(
            code="pensions",
            prefix="Р",
            name_uk="Пенсії",
            name_en="Pensions",
            wait_target_minutes=15,
        )
        saved = be.config.save_service(ADMIN, 1, None, spec)
        assert saved.warnings == []  # Cyrillic Р: nothing to warn about
        window = WindowSpec(number=9, services=["pensions"])
        be.config.save_window(ADMIN, 1, None, window, [saved.id])
        ticket = api.issue(saved.id)
        assert str(ticket["number"]).startswith("Р")
        with be.db.read() as session:
            entry = session.scalars(
                select(AuditEntry).where(AuditEntry.action == "service_added")
            ).one()
            assert entry.actor == "user:admin"
            assert entry.data["before"] is None
            assert entry.data["after"]["prefix"] == "Р"
            assert entry.data["after"]["wait_target_minutes"] == 15
            assert (
                session.scalar(select(func.count(Event.id)).where(Event.type == "config_changed"))
                == 2
            )


def test_a_prefix_in_use_or_looking_the_same_is_refused_and_nothing_changes(
    database_url: str,
) -> None:
    with api_for(database_url) as api:
        be = api.client.app.state.backend  # type: ignore[attr-defined]

        def counts() -> tuple[int, int]:
            with be.db.read() as session:
                return (
                    session.scalar(select(func.count(Service.id))) or 0,
                    session.scalar(select(func.count(AuditEntry.id))) or 0,
                )

        before = counts()
        for prefix in ("A", "А"):  # Latin A is taken by «residence»; Cyrillic А looks the same
            with pytest.raises(Invalid) as refused:
                be.config.save_service(
                    ADMIN, 1, None, ServiceSpec(code=f"x{prefix}", prefix=prefix, name_uk="Х")
                )
            assert refused.value.code == "prefix_taken"
        with pytest.raises(Invalid):
            be.config.save_service(
                ADMIN, 1, None, ServiceSpec(code="residence", prefix="Ж", name_uk="Ж")
            )
        assert counts() == before


def test_a_latin_letter_that_looks_cyrillic_is_saved_with_a_warning(database_url: str) -> None:
    with api_for(database_url) as api:
        be = api.client.app.state.backend  # type: ignore[attr-defined]
        saved = be.config.save_service(
            ADMIN, 1, None, ServiceSpec(code="x", prefix="X", name_uk="Х")
        )
        assert saved.warnings
        assert "X" in saved.warnings[0][0]
        assert "Latin" in saved.warnings[0][1]


def test_editing_windows_and_services_never_reorders_waiting_tickets(database_url: str) -> None:
    with api_for(database_url) as api:
        be = api.client.app.state.backend  # type: ignore[attr-defined]
        issued = [api.issue(1), api.issue(2), api.issue(1)]

        def keys() -> list[tuple[int, object]]:
            with be.db.read() as session:
                return [
                    (t.id, t.order_key) for t in session.scalars(select(Ticket).order_by(Ticket.id))
                ]

        before = keys()
        be.config.save_window(ADMIN, 1, 1, WindowSpec(number=1, services=["id-card"]), [2, 1])
        service = ServiceSpec(
            code="residence", prefix="A", name_uk="Нова назва", average_minutes=30
        )
        be.config.save_service(ADMIN, 1, 1, service)
        assert keys() == before
        api.open("clerk1", 1)
        called = []
        for _ in issued:
            ticket = api.call_next("clerk1", 1)
            assert ticket is not None
            called.append(ticket["id"])
            for step in ("start", "finish"):
                assert (
                    api.post(f"/api/v1/tickets/{ticket['id']}/{step}", "clerk1").status_code == 200
                )
        assert called == [t["id"] for t in issued]


def test_retiring_a_service_while_people_wait_is_refused(database_url: str) -> None:
    with api_for(database_url) as api:
        be = api.client.app.state.backend  # type: ignore[attr-defined]
        api.issue(1)
        retired = ServiceSpec(code="residence", prefix="A", name_uk="Реєстрація", active=False)
        with pytest.raises(InvalidTransition) as refused:
            be.config.save_service(ADMIN, 1, 1, retired)
        assert refused.value.code == "service_has_waiting"


def test_closing_hours_and_holidays_take_effect_for_the_next_ticket(database_url: str) -> None:
    clock = FakeClock()  # Tuesday 2026-11-24, 12:00 in Kyiv
    with api_for(database_url, clock) as api:
        be = api.client.app.state.backend  # type: ignore[attr-defined]
        assert (
            api.client.post(
                "/api/v1/tickets", json={"service_id": 1}, headers=api.kiosk()
            ).status_code
            == 201
        )
        be.config.set_exception(ADMIN, 1, ExceptionSpec(date=clock.now.date(), note="Свято"))
        refused = api.client.post("/api/v1/tickets", json={"service_id": 1}, headers=api.kiosk())
        assert refused.status_code == 409
        assert refused.json()["error"] == "outside_hours"
        be.config.remove_exception(ADMIN, 1, clock.now.date(), None)
        week = HoursSpec(tue=["08:00-20:00"])
        be.config.set_hours(ADMIN, 1, None, week)
        assert (
            api.client.post(
                "/api/v1/tickets", json={"service_id": 1}, headers=api.kiosk()
            ).status_code
            == 201
        )
        with pytest.raises(DomainError):
            be.config.set_hours(ADMIN, 1, None, HoursSpec(tue=["20:00-08:00"]))
        with be.db.read() as session:
            actions = list(session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)))
        # The centre's load audits itself and each account it adds; then come these edits.
        assert actions[0] == "centre_loaded"
        assert set(actions[1:-3]) == {"user_added", "device_added"}
        assert actions[-3:] == ["holiday_added", "holiday_removed", "hours_changed"]


def test_the_floor_raises_each_alert_with_its_start(sqlite_url: str) -> None:
    clock = FakeClock()
    with api_for(sqlite_url, clock) as api:
        be = api.client.app.state.backend  # type: ignore[attr-defined]
        be.config.save_service(
            ADMIN,
            1,
            1,
            ServiceSpec(code="residence", prefix="A", name_uk="Р", wait_target_minutes=15),
        )
        r = api.client.post(
            "/api/v1/devices/me/status", json={"printer": "paper_out"}, headers=api.kiosk()
        )
        assert r.status_code == 204
        api.issue(1)
        api.open("clerk1", 2)  # window 2 serves A, B and C
        assert {a.kind for a in be.floor.view(1).alerts} == {"printer"}
        clock.advance(minutes=16)
        alerts = {a.kind: a for a in be.floor.view(1).alerts}
        assert set(alerts) == {"printer", "wait_target", "idle_window", "device_silent"}
        assert alerts["wait_target"].since == clock.now - timedelta(minutes=1)
        assert alerts["device_silent"].subject == "kiosk-1"
        api.call_next("clerk1", 2)
        assert "idle_window" not in {a.kind for a in be.floor.view(1).alerts}
