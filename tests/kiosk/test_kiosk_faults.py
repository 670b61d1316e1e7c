"""Faults a visitor may meet: server gone, printer out of paper or offline, pause, closed service."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication

from cherha.client import QueueClient
from cherha.server.store.centre_file import SAMPLE_CENTRE, HoursSpec, read_centre_file
from tests.helpers.app import Centre, make_centre
from tests.helpers.clerk_server import RestartableServer
from tests.printer.fakes import HEALTHY, PAPER_OUT, FakeNetworkPrinter, free_closed_port

from .conftest import TIMEOUT, Kiosk, KioskFactory, kiosk_config, with_categories


class SwitchablePrinter(FakeNetworkPrinter):
    """A loopback printer whose paper can run out and be put back."""

    def __init__(self) -> None:
        self.table = dict(PAPER_OUT)
        super().__init__(lambda n, _seen: self.table.get(n))

    def __enter__(self) -> SwitchablePrinter:
        super().__enter__()
        return self

    def refill(self) -> None:
        self.table = dict(HEALTHY)


@pytest.fixture
def empty_printer() -> Iterator[SwitchablePrinter]:
    with SwitchablePrinter() as printer:
        yield printer


def test_server_down_outage_screen_then_recovery(kiosk: Kiosk, server: RestartableServer) -> None:
    kiosk.to_services()
    server.stop()
    kiosk.wait_screen("outage", timeout=15_000)
    page = kiosk.w.outage_page
    assert page.title.text() == "Талони зараз не видаються"
    assert "рецепції" in " ".join(label.text() for label in page.lines)
    kiosk.tap(kiosk.w.lang_button)  # still one touch away, even here
    assert page.title.text() == "Tickets are not being issued right now"
    kiosk.tap(kiosk.w.lang_button)
    server.start()
    kiosk.wait_screen("services", timeout=15_000)  # back where the visitor was
    kiosk.tap(kiosk.w.services_page.cards[0])
    kiosk.wait_screen("ticket")
    assert kiosk.c.ticket is not None


def test_no_answer_while_issuing_shows_no_number_until_the_server_says(
    make_kiosk: KioskFactory, server: RestartableServer, centre: Centre, prints: Path
) -> None:
    """A server that accepts the connection and never answers: the worst case for "half-issued".
    The kiosk retries with the same key, then cannot even ask what the key made: it says it
    does not know yet, shows no number, and keeps asking; the server (reached again) says the
    key made nothing, and «no ticket» becomes final."""
    with socket.create_server(("127.0.0.1", 0)) as black_hole:
        kiosk = make_kiosk(issue_timeout_seconds=0.5, retry_seconds=1.5)
        kiosk.wait_ready()
        kiosk.c.sending.client.base_url = f"http://127.0.0.1:{black_hole.getsockname()[1]}"
        kiosk.to_services()
        kiosk.tap(kiosk.w.services_page.cards[0])
        kiosk.qtbot.waitUntil(lambda: kiosk.c.waiting_long, timeout=TIMEOUT)
        assert "Сервер черги відповідає повільно" in kiosk.w.issuing_page.lines[1].text()
        kiosk.wait_screen("refused")
        page = kiosk.w.refused_page
        assert kiosk.c.ticket is None
        assert page.title.text() == "Талон не видано"
        assert "поки невідомо, чи видано талон" in page.lines[0].text()
        # The settler asks the server it can reach (the watch's): nothing was made.
        kiosk.qtbot.waitUntil(lambda: "вас у черзі немає" in page.lines[0].text(), timeout=TIMEOUT)
    assert kiosk.c.ticket is None
    assert not list(prints.glob("*.bin"))
    kiosk.tap(page.nav.back_button)
    kiosk.wait_screen("services")


def kiosk_printer_status(admin: QueueClient) -> str:
    devices = admin.request("GET", "/devices").json()
    return str(next(d["printer_status"] for d in devices if d["name"] == "kiosk-1"))


def test_paper_out_ticket_stays_on_screen_server_told_banner_until_refilled(
    make_kiosk: KioskFactory, empty_printer: SwitchablePrinter, admin: QueueClient
) -> None:
    empty_printer.refill()
    kiosk = make_kiosk(printer=empty_printer.spec)
    kiosk.wait_ready()
    watch = kiosk.c.printer_watch
    kiosk.qtbot.waitUntil(lambda: (watch.last_report or ("",))[0] == "ok", timeout=TIMEOUT)
    assert not kiosk.w.start_page.banner.isVisible()

    empty_printer.table = dict(PAPER_OUT)  # the roll runs out during the day
    with kiosk.qtbot.waitSignal(kiosk.c.printer_watch.reported, timeout=TIMEOUT) as told:
        kiosk.take_ticket()
        kiosk.wait_printed()
    assert told.args is not None
    assert told.args[0] == "paper_out"
    assert told.args[1] in ("ok", "missing")  # "missing": a server without the endpoint
    if told.args[1] == "ok":  # what an administrator sees
        assert kiosk_printer_status(admin) == "paper_out"
    assert kiosk.c.print_state == "failed"
    page = kiosk.w.ticket_page
    ticket = kiosk.c.ticket
    assert ticket is not None
    assert page.number.text() == ticket.number
    assert page.qr.isVisible()
    assert page.qr.pixmap().width() >= 400
    assert page.print_state.text().startswith("Талон не надруковано: сфотографуйте номер і QR-код.")
    assert not empty_printer.job  # nothing was sent to a printer without paper

    kiosk.tap(page.done_button)
    kiosk.wait_screen("start")
    assert kiosk.w.start_page.banner.isVisible()
    assert kiosk.w.start_page.banner.text().startswith("Принтер зараз не друкує")
    with kiosk.qtbot.waitSignal(kiosk.c.printer_watch.reported, timeout=TIMEOUT) as back:
        empty_printer.refill()
        kiosk.qtbot.waitUntil(lambda: not kiosk.w.start_page.banner.isVisible(), timeout=TIMEOUT)
    assert back.args is not None
    assert back.args[0] == "ok"
    if back.args[1] == "ok":
        assert kiosk_printer_status(admin) == "ok"
    kiosk.take_ticket()
    kiosk.wait_printed()
    assert kiosk.c.print_state == "printed"
    printed = empty_printer.job.decode("cp1251", errors="replace")
    assert ticket.number not in printed  # no backlog printed later
    assert kiosk.c.ticket is not None
    assert kiosk.c.ticket.number in printed


def test_an_empty_printer_is_noticed_before_the_first_visitor(
    make_kiosk: KioskFactory, empty_printer: SwitchablePrinter
) -> None:
    kiosk = make_kiosk(printer=empty_printer.spec)
    kiosk.wait_ready()
    kiosk.qtbot.waitUntil(lambda: kiosk.w.start_page.banner.isVisible(), timeout=TIMEOUT)
    assert kiosk.c.printer_watch.state == "paper_out"


def test_printer_offline_is_said_in_english_too(make_kiosk: KioskFactory) -> None:
    kiosk = make_kiosk(printer=f"network:127.0.0.1:{free_closed_port()}")
    kiosk.wait_ready()
    kiosk.qtbot.waitUntil(lambda: kiosk.c.printer_watch.state == "offline", timeout=TIMEOUT)
    kiosk.tap(kiosk.w.lang_button)
    assert kiosk.w.start_page.banner.text().startswith("The printer is not printing now")
    kiosk.take_ticket()
    kiosk.wait_printed()
    assert kiosk.w.ticket_page.print_state.text().startswith(
        "Ticket not printed: take a photo of the number and the QR code."
    )
    # more time to take the photo than after a printed ticket
    assert kiosk.c.attendance.return_timer.interval() == 60_000


def test_branch_paused_notice_with_the_reason_then_resumed(
    kiosk: Kiosk, admin: QueueClient
) -> None:
    kiosk.to_services()
    admin.pause_branch("Повітряна тривога")
    kiosk.wait_screen("paused")
    page = kiosk.w.paused_page
    assert page.title.text() == "Прийом тимчасово призупинено"
    texts = [label.text() for label in page.lines]
    assert texts[0] == "Причина: Повітряна тривога"
    assert "пройдіть в укриття" in texts[1]
    assert "Ваше місце в черзі збережено" in texts[1]
    admin.resume_branch()
    kiosk.wait_screen("services")


def test_a_pause_the_kiosk_has_not_heard_of_yet(
    make_kiosk: KioskFactory, admin: QueueClient
) -> None:
    kiosk = make_kiosk(events=False, poll_seconds=300)
    kiosk.wait_ready()
    kiosk.to_services()
    admin.pause_branch("Повітряна тривога")
    kiosk.tap(kiosk.w.services_page.cards[0])
    kiosk.wait_screen("paused")
    assert kiosk.c.ticket is None
    assert "Повітряна тривога" in kiosk.w.paused_page.lines[0].text()


def test_a_ticket_on_show_is_not_hidden_by_a_pause(kiosk: Kiosk, admin: QueueClient) -> None:
    kiosk.take_ticket()
    kiosk.wait_printed()
    admin.pause_branch("Повітряна тривога")
    kiosk.qtbot.waitUntil(lambda: kiosk.c.paused, timeout=TIMEOUT)
    assert kiosk.c.screen == "ticket"
    kiosk.tap(kiosk.w.ticket_page.done_button)
    kiosk.wait_screen("paused")


@pytest.fixture
def closed_centre(tmp_path: Path) -> Iterator[tuple[RestartableServer, Centre]]:
    """The sample centre with no working hours at all: every service is closed now (and no
    priority categories, so a tap goes straight to the server's answer)."""
    url = f"sqlite:///{tmp_path / 'closed.db'}"
    spec = with_categories(read_centre_file(SAMPLE_CENTRE), ())
    spec = spec.model_copy(update={"hours": HoursSpec(), "exceptions": []})
    centre = make_centre(url, spec=spec)
    srv = RestartableServer(url).start()
    try:
        yield srv, centre
    finally:
        srv.stop()


def test_outside_hours_greyed_and_the_servers_message(
    qtbot: object, closed_centre: tuple[RestartableServer, Centre], tmp_path: Path
) -> None:
    from pytestqt.qtbot import QtBot

    assert isinstance(qtbot, QtBot)
    srv, centre = closed_centre
    kiosk = Kiosk(qtbot, kiosk_config(srv.url, centre.kiosk_key, f"file:{tmp_path / 'job.bin'}"))
    try:
        kiosk.wait_ready()
        kiosk.to_services()
        card = kiosk.w.services_page.cards[0]
        assert card.property("closed") is True
        assert card.detail.text() == "Зараз не працює"
        kiosk.tap(card)
        kiosk.wait_screen("refused")
        page = kiosk.w.refused_page
        assert "зараз не працює" in page.lines[0].text()
        assert "сьогодні вихідний" in page.lines[0].text()
        assert page.lines[1].text() == "Оберіть іншу послугу або приходьте в години роботи."
        kiosk.tap(kiosk.w.lang_button)
        assert "closed" in page.lines[0].text()
        kiosk.tap(page.nav.cancel_button)
        kiosk.wait_screen("start")
    finally:
        kiosk.close()


def test_a_refused_device_key_is_an_outage_for_visitors(
    make_kiosk: KioskFactory,
) -> None:
    kiosk = make_kiosk(device_key="not-a-key")
    kiosk.wait_screen("outage")
    assert "ключ цього кіоску" in kiosk.w.outage_page.lines[0].text()


def test_network_and_printing_stay_off_the_gui_thread(
    make_kiosk: KioskFactory, empty_printer: SwitchablePrinter
) -> None:
    import threading

    import requests

    from cherha.printer.device import Printer

    gui = threading.get_ident()
    seen: list[int] = []
    printing: list[int] = []
    original = requests.Session.request
    original_print, original_status = Printer.print_job, Printer.status

    def spy(self: requests.Session, *args: object, **kwargs: object) -> object:
        seen.append(threading.get_ident())
        return original(self, *args, **kwargs)  # type: ignore[arg-type]

    def print_spy(self: Printer, *args: object, **kwargs: object) -> object:
        printing.append(threading.get_ident())
        return original_print(self, *args, **kwargs)  # type: ignore[arg-type]

    def status_spy(self: Printer) -> object:
        printing.append(threading.get_ident())
        return original_status(self)

    requests.Session.request = spy  # type: ignore[method-assign,assignment]
    Printer.print_job = print_spy  # type: ignore[method-assign,assignment]
    Printer.status = status_spy  # type: ignore[method-assign,assignment]
    try:
        kiosk = make_kiosk(printer=empty_printer.spec)
        kiosk.wait_ready()
        kiosk.take_ticket()
        kiosk.wait_printed()
        empty_printer.refill()
        kiosk.qtbot.waitUntil(lambda: not kiosk.c.printer_fault, timeout=TIMEOUT)
    finally:
        requests.Session.request = original  # type: ignore[method-assign]
        Printer.print_job = original_print  # type: ignore[method-assign]
        Printer.status = original_status  # type: ignore[method-assign]
    assert seen
    assert gui not in seen
    assert len(printing) >= 3  # checks and the job
    assert gui not in printing
    assert empty_printer.connections >= 2
    assert QApplication.instance() is not None
