"""Screenshots of the desk for the docs: python -m clerk.screenshots [--output docs/img].

Renders offscreen (no display, no server): the views are dumb, so sample data is set straight
on them. Sample data only here; the desk itself never shows anything the server did not send.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

from cherha.clerk.desk import OverviewRow, available_actions
from cherha.clerk.i18n import Translator
from cherha.clerk.settings import StateStore
from cherha.wire import Branch, ClerkTicket, Counter, StaffToday, User

CLERK = User(id=2, username="clerk1", role="clerk", may_call_out_of_order=False)


def _sample(now: datetime) -> tuple[list[Counter], ClerkTicket, list[OverviewRow]]:
    def window(i: int, state: str = "closed", clerk_id: int | None = None) -> Counter:
        return Counter(
            id=i,
            number=i,
            name_uk=f"Вікно {i}",
            name_en=f"Window {i}",
            state=state,
            clerk_id=clerk_id,
            opened_at=now if clerk_id else None,
            service_ids=(1, 9, 10) if clerk_id else (),
            current=None,
        )

    counters = [window(i) for i in range(1, 9)]
    counters[0] = window(1, "open", clerk_id=2)
    ticket = ClerkTicket(
        id=15,
        number="А015",
        service_id=1,
        service_name_uk="Реєстрація / зняття з реєстрації місця проживання",
        service_name_en="Registration / deregistration of residence",
        lane="ordinary",
        status="called",
        counter_id=1,
        counter_number=1,
        recall_count=1,
        recall_limit=2,
        waited_seconds=17 * 60 + 42,
        issued_at=now - timedelta(minutes=18),
        called_at=now - timedelta(seconds=35),
        started_at=None,
    )
    rows = [
        OverviewRow(1, "Реєстрація / зняття з реєстрації місця проживання", 6, 21 * 60 + 5),
        OverviewRow(9, "Видача довідок", 3, 9 * 60 + 40),
        OverviewRow(10, "Консультація", 0, 0),
    ]
    return counters, ticket, rows


def render(output: Path) -> list[Path]:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    from cherha.clerk.controller import DeskController
    from cherha.clerk.window import MainWindow

    app = QApplication.instance() or QApplication(sys.argv[:1])
    output.mkdir(parents=True, exist_ok=True)
    saved: list[Path] = []
    with tempfile.TemporaryDirectory() as state:
        controller = DeskController(
            StateStore(Path(state)), Translator(), server_url="http://cnap.local:8000"
        )
        window = MainWindow(controller)
        window.resize(1280, 800)
        window.login_view.set_values("http://cnap.local:8000", "clerk1")
        window.show()
        app.processEvents()

        def save(name: str) -> None:
            app.processEvents()
            path = output / f"clerk-{name}.png"
            window.grab().save(str(path))
            saved.append(path)

        save("login")
        now = datetime.now(UTC)
        counters, ticket, rows = _sample(now)
        desk = window.desk_view
        window.pages.setCurrentWidget(desk)
        desk.set_user("clerk1", 2)
        desk.set_counters(counters)
        desk.set_counter(counters[0])
        desk.set_ticket(ticket)
        desk.set_timer("called", 35)
        desk.set_overview(rows)
        desk.set_today(StaffToday(served=23, average_service_minutes=11.4))
        open_branch = Branch(
            id=1,
            code="c",
            name_uk="ЦНАП",
            name_en="ASC",
            timezone="Europe/Kyiv",
            paused=False,
            pause_reason="",
            paused_at=None,
        )
        desk.set_branch(open_branch)
        desk.set_available(
            available_actions(
                user=None,
                ready=True,
                counter=counters[0],
                ticket=ticket,
                branch=None,
                has_no_show=False,
            )
            | {"choose_window": False}
        )
        desk.set_message("info", "Викликано А015")
        window._online(True)
        window.online_label.show()
        save("desk")
        paused = open_branch.model_copy(
            update={"paused": True, "pause_reason": "Повітряна тривога", "paused_at": now}
        )
        desk.set_branch(paused)
        desk.set_available(
            available_actions(
                user=None,
                ready=True,
                counter=counters[0],
                ticket=ticket,
                branch=paused,
                has_no_show=False,
            )
        )
        desk.set_message("error", "Обслуговування призупинено: повітряна тривога")
        window._online(False)
        save("desk-paused")
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
