"""Screenshots of the clerk desk for the docs: python -m scripts.screenshots.clerk [--output docs/img].

Offscreen, in Ukrainian, against a real queue server started in this process on a temporary
SQLite file with the sample centre (`scripts.screenshots.kiosk.sample_server`): a morning's
queue from the kiosk, a booked visitor, a colleague at window 2 handing visitors over, then the
desk of window 1 doing its day. The server's clock runs 20 minutes behind while the tickets are
taken, so the waits look like a morning's.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

from .kiosk import ADMIN_PASSWORD, sample_server

CLERK_PASSWORD = "screenshots-clerk-1"


class ShiftedClock:
    """The real time plus `shift`: the server's clock, moved on for the afternoon's pictures."""

    def __init__(self) -> None:
        self.shift = timedelta(0)

    def __call__(self) -> datetime:
        return datetime.now(UTC) + self.shift


def _accounts(folder: Path) -> None:
    """Two clerks beside the sample server's administrator; bookings at short notice."""
    from sqlalchemy import update

    from cherha.server.auth import Role
    from cherha.server.store.accounts import Accounts
    from cherha.server.store.db import Database
    from cherha.server.store.models import Branch

    db = Database(f"sqlite:///{folder / 'cherha.db'}")
    try:
        accounts = Accounts(db, timedelta(hours=12))
        accounts.add_user("olena", CLERK_PASSWORD, Role.CLERK)
        accounts.add_user("petro", CLERK_PASSWORD, Role.CLERK)
        with db.sessions() as session, session.begin():
            session.execute(update(Branch).values(booking_min_lead_minutes=0))
    finally:
        db.dispose()


def _morning(url: str, key: str, clock: ShiftedClock) -> None:
    """Tickets, two bookings (one checked in), and window 2 handing two visitors to window 1."""
    from cherha.client import QueueClient

    clock.shift = timedelta(minutes=-20)  # the morning was 20 minutes ago
    with QueueClient(url, key) as kiosk, QueueClient(url) as public, QueueClient(url) as petro:
        for service_id, priority in [(8, False), (1, False), (9, False), (1, False), (10, True)]:
            kiosk.issue_ticket(service_id, priority=priority)
        now = clock()
        slots = [
            s
            for day in (now.date(), now.date() + timedelta(days=1))
            for s in public.slots(1, day)
            if s.free > 0 and s.start > now
        ]
        soon = public.book(1, slots[0].start, "067 123 45 67", "Олена Коваль")
        kiosk.check_in(soon.code)
        later = next(s for s in slots if s.start > slots[0].start + timedelta(minutes=30))
        public.book(1, later.start, "050 765 43 21", "Іван Петренко")
        for service_id, priority in [(9, False), (1, True), (10, False), (1, False)]:
            kiosk.issue_ticket(service_id, priority=priority)
        petro.login("petro", CLERK_PASSWORD)
        petro.open_counter(2)
        olena = next(a for a in petro.clerks_at_work() if a.name == "olena")
        for target, note in (
            ({"counter_id": 1}, "Потрібен підпис керівника на заяві"),
            ({"clerk_id": olena.id}, "Документи перевірено, залишилось видати довідку"),
        ):
            visitor = petro.call_next(2)
            assert visitor is not None
            petro.start(visitor.id)
            petro.transfer(visitor.id, note=note, **target)
    clock.shift = timedelta(0)


def render(output: Path) -> list[Path]:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QEventLoop, QPoint, Qt
    from PySide6.QtGui import QPainter
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication, QDialog

    from cherha.clerk.controller import DeskController
    from cherha.clerk.dialogs import ChoiceDialog
    from cherha.clerk.i18n import Translator
    from cherha.clerk.settings import StateStore
    from cherha.clerk.window import MainWindow
    from cherha.client import QueueClient

    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    output.mkdir(parents=True, exist_ok=True)
    saved: list[Path] = []

    def spin(done: Callable[[], bool], timeout: float = 20.0) -> None:
        deadline = time.monotonic() + timeout
        while not done():
            if time.monotonic() > deadline:
                raise RuntimeError("the desk did not get there in time")
            app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)

    clock = ShiftedClock()
    with (
        tempfile.TemporaryDirectory() as tmp,
        sample_server(Path(tmp), clock) as (url, key),
    ):
        _accounts(Path(tmp))
        controller = DeskController(
            StateStore(Path(tmp) / "desk"), Translator(), server_url=url, refresh_delay_ms=50
        )
        window = MainWindow(controller)
        window.resize(1280, 800)
        window.show()
        live, actions = controller.live, controller.actions

        def settled() -> None:
            spin(lambda: not controller.busy)
            refreshed = [False]
            live.refreshed.connect(lambda: refreshed.__setitem__(0, True))
            live.refresh()
            spin(lambda: refreshed[0])

        def save(name: str, dialog: QDialog | None = None) -> None:
            app.processEvents()
            picture = window.grab()
            if dialog is not None:  # a dialog is a window of its own: drawn where it stands
                shot = dialog.grab()
                painter = QPainter(picture)
                corner = QPoint(
                    (picture.width() - shot.width()) // 2, (picture.height() - shot.height()) // 3
                )
                painter.drawPixmap(corner, shot)
                painter.end()
            path = output / f"clerk-{name}.png"
            picture.save(str(path))
            saved.append(path)

        window.login_view.set_values(url, "olena")
        save("login")
        controller.session.login(url, "olena", CLERK_PASSWORD)
        spin(lambda: controller.session.online and bool(live.counters))
        live.choose_counter(1)
        actions.open_counter()
        settled()
        _morning(url, key, clock)
        settled()
        actions.call_next()  # the visitor window 2 handed over, with the note
        settled()
        actions.start()
        settled()
        time.sleep(2)  # a running timer
        live.tick()
        save("desk")

        window.trigger("transfer")
        dialog = window.dialog
        assert isinstance(dialog, ChoiceDialog)
        dialog.select(("counter", 2))
        assert dialog.note is not None
        dialog.note.setText("Документи перевірено, потрібна реєстрація шлюбу")
        save("transfer", dialog)
        dialog.reject()

        actions.finish("served", "")
        settled()
        window.trigger("toggle_window")
        dialog = window.dialog
        assert isinstance(dialog, ChoiceDialog)
        save("break-reason", dialog)
        dialog.select("lunch")
        QTest.keyClick(dialog.list, Qt.Key.Key_Return)
        settled()
        time.sleep(2)
        live.tick()
        save("break")

        with QueueClient(url) as admin, QueueClient(url, key) as kiosk:
            admin.login("admin", ADMIN_PASSWORD)
            kiosk.request("POST", "/devices/me/status", json={"printer": "paper_out"})
            actions.open_counter()
            settled()
            actions.call_next()
            settled()
            admin.pause_branch("Повітряна тривога")
            spin(lambda: live.branch is not None and live.branch.paused)
            settled()
            save("desk-paused")
            admin.resume_branch()
        controller.shutdown()
        window.close()
    return saved


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--output", type=Path, default=Path("docs/img"))
    args = parser.parse_args(argv)
    for path in render(args.output):
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
