"""Screenshots of the kiosk for the docs: python -m kiosk.screenshots [--output docs/img].

Offscreen, in Ukrainian, against a real queue server started in this process on a temporary
SQLite file with the sample centre; printing goes to a temporary preview folder. The server's
clock can be moved forward (`ShiftedClock`), so a booking made now can be checked in for.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from functools import partial
from pathlib import Path

ADMIN_PASSWORD = "screenshots-admin-1"


class ShiftedClock:
    """The real time plus `shift` (the server's clock for the check-in screenshots)."""

    def __init__(self) -> None:
        self.shift = timedelta(0)

    def __call__(self) -> datetime:
        return datetime.now(UTC) + self.shift


@contextmanager
def sample_server(
    folder: Path, clock: Callable[[], datetime] | None = None
) -> Iterator[tuple[str, str, Callable[[], None]]]:
    """(url, kiosk key, stop) of the sample centre (open 24/7) served on a free local port."""
    import socket

    import uvicorn

    from cherha.server.app import create_app
    from cherha.server.auth import DeviceKind, Role
    from cherha.server.settings import Settings
    from cherha.server.store.accounts import Accounts
    from cherha.server.store.centre import load_centre
    from cherha.server.store.centre_file import SAMPLE_CENTRE, always_open, read_centre_file
    from cherha.server.store.db import Database
    from cherha.server.store.migrate import upgrade

    url = f"sqlite:///{folder / 'cherha.db'}"
    db = Database(url)
    try:
        upgrade(db.engine)
        load_centre(db, always_open(read_centre_file(SAMPLE_CENTRE)))
        accounts = Accounts(db, timedelta(hours=12))
        accounts.add_user("admin", ADMIN_PASSWORD, Role.ADMIN)
        _id, key = accounts.add_device("kiosk-1", DeviceKind.KIOSK)
    finally:
        db.dispose()
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    settings = Settings.model_validate({"database_url": url, "sse_keepalive_seconds": 1.0})
    app = create_app(settings, clock=clock) if clock else create_app(settings)
    config = uvicorn.Config(
        app,
        host="127.0.0.1",
        port=port,
        log_level="critical",
        timeout_graceful_shutdown=1,
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.05)

    def stop() -> None:
        server.should_exit = True
        thread.join(timeout=15)

    try:
        yield f"http://127.0.0.1:{port}", key, stop
    finally:
        stop()


def render(output: Path) -> list[Path]:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QEventLoop
    from PySide6.QtWidgets import QApplication

    from cherha.client import QueueClient
    from cherha.kiosk.app import build_controller, build_window, use_kiosk_font
    from cherha.kiosk.config import KioskConfig, Orientation, PriorityCategory
    from cherha.kiosk.controller import KioskController
    from cherha.kiosk.speech import NullSpeaker
    from cherha.kiosk.window import KioskWindow
    from cherha.printer.config import PrinterConfig

    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    use_kiosk_font(app)
    output.mkdir(parents=True, exist_ok=True)
    saved: list[Path] = []

    def spin(done: Callable[[], bool], timeout: float = 20.0) -> None:
        deadline = time.monotonic() + timeout
        while not done():
            if time.monotonic() > deadline:
                raise RuntimeError("the kiosk did not get there in time")
            app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)

    clock = ShiftedClock()
    with (
        tempfile.TemporaryDirectory() as tmp,
        sample_server(Path(tmp), clock) as (url, key, stop),
    ):
        with QueueClient(url, key) as other_kiosk:  # a morning's queue, for believable numbers
            for service_id, count in ((1, 4), (2, 6), (3, 2), (4, 3), (6, 5), (10, 1)):
                for _ in range(count):
                    other_kiosk.issue_ticket(service_id)
        base = KioskConfig(
            server_url=url,
            device_key=key,
            printer=PrinterConfig.parse_spec(f"preview-dir:{tmp}"),
            fullscreen=False,
            speech="off",
            centre_name="ЦНАП Печерського району м. Києва",
            priority_categories=(
                PriorityCategory(
                    "Особи з інвалідністю I групи та їх супровідники",
                    "People with group I disabilities and their companions",
                ),
                PriorityCategory(
                    "Члени сімей загиблих захисників України", "Families of fallen defenders"
                ),
                PriorityCategory("Військовослужбовці", "Serving military"),
            ),
        )

        def kiosk(orientation: Orientation) -> tuple[KioskController, KioskWindow]:
            config = replace(base, orientation=orientation)
            controller = build_controller(config, speaker=NullSpeaker())
            window = build_window(controller)
            window.show()
            controller.start_services()
            spin(lambda: bool(controller.services))
            return controller, window

        def save(window: KioskWindow, name: str) -> None:
            app.processEvents()
            path = output / f"kiosk-{name}.png"
            window.grab().save(str(path))
            saved.append(path)

        def showing(k: KioskController, screen: str) -> Callable[[], bool]:
            return lambda: k.screen == screen

        def printed(k: KioskController) -> bool:
            return k.screen == "ticket" and k.print_state == "printed"

        def booking_screens(c: KioskController, w: KioskWindow, suffix: str) -> None:
            """Book a visit: service, day, time, phone, name, confirm, the code; the code pad."""
            a = c.appointments
            a.begin_checkin()
            for ch in "K7MP":
                a.code_key(ch)
            save(w, f"checkin-code{suffix}")
            c.cancel()
            a.begin_booking()
            spin(lambda: a.bookable is not None)
            save(w, f"booking-services{suffix}")
            a.choose_service(2)
            save(w, f"booking-days{suffix}")
            a.choose_day(a.free_days(2)[1].date)
            spin(lambda: a.times is not None)
            save(w, f"booking-times{suffix}")
            times = a.times or []
            a.choose_time(next(i for i, t in enumerate(times) if t.hour == 10))
            for digit in "671234567" if suffix else "671234568":  # one booking a day each
                a.phone_key(digit)
            save(w, f"booking-phone{suffix}")
            a.phone_next()
            for letter in "ОЛЕНА":
                a.name_key(letter)
            save(w, f"booking-name{suffix}")
            a.name_next()
            save(w, f"booking-confirm{suffix}")
            a.confirm()
            spin(lambda: c.screen == "booked" and c.print_state == "printed")
            save(w, f"booking-done{suffix}")
            c.done()

        def checkin_screens(c: KioskController, w: KioskWindow) -> None:
            """A booking checked in on time (the clock moved to just before it), too early."""
            with QueueClient(url, key) as k:
                day = k.booking_days(1, channel="kiosk")[2].date
                slots = [s for s in k.slots(1, day, channel="kiosk") if s.free]
                first = next(s for s in slots if s.start.hour == 10)
                later = next(s for s in slots if s.start.hour == 14)
                on_time = k.book(1, first.start, "0671234567", name="Олена Коваль")
                early = k.book(1, later.start, "0501234567", name="Петро Іваненко")
            clock.shift = first.start - timedelta(minutes=7) - datetime.now(UTC)
            c.appointments.scanned(on_time.code)
            spin(partial(printed, c))
            save(w, "checkin-ticket")
            c.done()
            spin(showing(c, "start"))
            c.appointments.scanned(early.code)
            spin(showing(c, "checkin_refused"))
            save(w, "checkin-refused")
            c.cancel()
            clock.shift = timedelta(0)

        orientations: tuple[Orientation, ...] = ("portrait", "landscape")
        for orientation in orientations:
            c, w = kiosk(orientation)
            suffix = "-portrait" if orientation == "portrait" else ""
            save(w, f"start{suffix}")
            c.begin()
            spin(showing(c, "groups"))
            if not suffix:
                save(w, "groups")
            c.choose_group(c.groups[1].key)
            spin(showing(c, "services"))
            if not suffix:
                save(w, "services")
            c.choose_service(c.groups[1].services[0].id)
            spin(showing(c, "priority"))
            if not suffix:
                save(w, "priority")
            c.answer_priority(False)
            spin(partial(printed, c))
            save(w, f"ticket{suffix}")
            c.done()
            c.stop()
            w.unlock()
            w.close()

        for orientation in orientations:
            c, w = kiosk(orientation)
            booking_screens(c, w, "-portrait" if orientation == "portrait" else "")
            c.stop()
            w.unlock()
            w.close()

        c, w = kiosk("landscape")
        checkin_screens(c, w)
        c.stop()
        w.unlock()
        w.close()

        c, w = kiosk("landscape")
        with QueueClient(url) as admin:
            admin.login("admin", ADMIN_PASSWORD)
            admin.pause_branch("Повітряна тривога")
            spin(lambda: c.screen == "paused")
            save(w, "paused")
            admin.resume_branch()
        spin(lambda: c.screen == "start")
        stop()
        spin(lambda: c.screen == "outage")
        save(w, "outage")
        c.stop()
        w.unlock()
        w.close()
    return saved


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Save screenshots of the kiosk for docs/")
    parser.add_argument("--output", type=Path, default=Path("docs/img"))
    args = parser.parse_args(argv)
    for path in render(args.output):
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
