"""Screenshots of the kiosk for the docs: `python -m scripts.screenshots.kiosk [--output docs/img]`.

Offscreen, in Ukrainian, against a real queue server started in this process on a temporary
SQLite file with the sample centre (open around the clock) and a clock fixed on a Tuesday at
noon in Kyiv, so the pictures are the same every time. Every screen is taken at 1080 × 1920
(an upright 21.5" totem) by the tour the layout tests use (tests/kiosk/tour.py); the start
and the ticket also at 1920 × 1080 and in large text. Printing goes to a temporary folder.
"""

from __future__ import annotations

import argparse
import os
import socket
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from cherha.kiosk.controller import KioskController

ADMIN_PASSWORD = "screenshots-admin-1"
CENTRE_NAME = "ЦНАП Печерського району м. Києва"


class FixedClock:
    """The server's time: a Tuesday noon in Kyiv until the tour moves it."""

    def __init__(self) -> None:
        self.now = datetime(2026, 11, 24, 10, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now


@contextmanager
def sample_server(
    folder: Path, clock: Callable[[], datetime] | None = None
) -> Iterator[tuple[str, str]]:
    """(url, kiosk key) of the sample centre (open 24/7) served on a free local port."""
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
    server = uvicorn.Server(
        uvicorn.Config(
            create_app(settings, clock=clock) if clock else create_app(settings),
            host="127.0.0.1",
            port=port,
            log_level="critical",
            timeout_graceful_shutdown=1,
        )
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}", key
    finally:
        server.should_exit = True
        thread.join(timeout=15)


def showing(c: KioskController, screen: str) -> bool:
    return c.screen == screen


def printed(c: KioskController) -> bool:
    return c.screen == "ticket" and c.print_state == "printed"


def render(output: Path) -> list[Path]:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from dataclasses import replace

    from PySide6.QtWidgets import QApplication

    from cherha.client import QueueClient
    from cherha.kiosk.app import build_controller, build_window, use_kiosk_font
    from cherha.kiosk.config import KioskConfig
    from cherha.kiosk.speech import NullSpeaker
    from cherha.kiosk.window import KioskWindow
    from cherha.printer.config import PrinterConfig
    from tests.kiosk.tour import every_screen, settle, spin

    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    use_kiosk_font(app)
    output.mkdir(parents=True, exist_ok=True)
    saved: list[Path] = []
    clock = FixedClock()

    def move(moment: datetime) -> None:
        clock.now = moment

    with tempfile.TemporaryDirectory() as tmp, sample_server(Path(tmp), clock) as (url, key):
        with QueueClient(url, key) as other_kiosk:  # a morning's queue, for believable numbers
            for service_id, count in ((1, 4), (2, 6), (3, 2), (4, 3), (6, 5), (10, 1)):
                for _ in range(count):
                    other_kiosk.issue_ticket(service_id)
        base = KioskConfig(
            server_url=url,
            device_key=key,
            printer=PrinterConfig.parse_spec(f"preview-dir:{tmp}"),
            speech="off",
            centre_name=CENTRE_NAME,
        )  # the priority question lists the sample centre's categories, from the server

        def kiosk(
            size: tuple[int, int], *, large: bool = False
        ) -> tuple[KioskController, KioskWindow]:
            config = replace(base, high_contrast=large)
            controller = build_controller(config, speaker=NullSpeaker())
            window = build_window(controller)
            window.resize(*size)
            window.show()
            controller.start_services()
            spin(lambda: bool(controller.services))
            return controller, window

        def save(window: KioskWindow, name: str) -> None:
            settle()
            path = output / f"kiosk-{name}.png"
            window.grab().save(str(path))
            saved.append(path)

        def close(c: KioskController, w: KioskWindow) -> None:
            c.stop()
            w.unlock()
            w.close()

        # Every screen, upright at 1080 × 1920.
        c, w = kiosk((1080, 1920))
        seen: dict[str, int] = {}
        for name in every_screen(c, w, url, key, move, clock, ADMIN_PASSWORD):
            seen[name] = seen.get(name, 0) + 1
            suffix = {"ticket": "-checkin", "book_name": "-latin"}.get(name, "")
            save(w, name.replace("_", "-") + (suffix if seen[name] > 1 else ""))
        close(c, w)
        # The start and a ticket, wide and in large text.
        for size, large, suffix in (
            ((1920, 1080), False, "-landscape"),
            ((1080, 1920), True, "-large"),
        ):
            c, w = kiosk(size, large=large)
            save(w, f"start{suffix}")
            c.begin()
            spin(partial(showing, c, "groups"))
            c.choose_group(c.groups[1].key)
            c.choose_service(c.groups[1].services[0].id)
            c.answer_priority(False)
            spin(partial(printed, c))
            save(w, f"ticket{suffix}")
            close(c, w)
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
