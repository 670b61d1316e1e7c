"""The network transport against fake printers on loopback."""

from __future__ import annotations

import time

import pytest

from cherha.printer.config import PrinterConfig
from cherha.printer.device import Printer
from cherha.printer.errors import PaperOut, PrinterOffline, PrinterTimeout
from cherha.printer.jobs import build_job
from tests.printer.fakes import (
    HEALTHY,
    PAPER_NEAR_END,
    PAPER_OUT,
    FakeNetworkPrinter,
    always,
    free_closed_port,
    paper_out_after_job,
    silent,
)
from tests.printer.samples import ticket

STATUS_QUERIES = b"\x10\x04\x01\x10\x04\x02\x10\x04\x04"
BOUND_SECONDS = 5.0  # generous: the configured timeout is 1 s


def printer_for(spec: str, **options: object) -> Printer:
    return Printer(PrinterConfig.parse_spec(spec, timeout_seconds=1, **options))


def test_healthy_printer_takes_the_job() -> None:
    with FakeNetworkPrinter(always(HEALTHY)) as fake:
        printer = printer_for(fake.spec, profile="generic-58")
        job = build_job(ticket(), printer.config)
        state = printer.print_job(job)
    assert state.ready
    assert state.known
    assert not state.paper_near_end
    assert fake.job == job
    assert fake.queries == [1, 2, 4, 1, 2, 4]  # before and after the job
    assert fake.recorder.raw == STATUS_QUERIES + job + STATUS_QUERIES


def test_raster_job_bytes_arrive_intact() -> None:
    with FakeNetworkPrinter(always(HEALTHY)) as fake:
        printer = printer_for(fake.spec, mode="raster")
        job = build_job(ticket(), printer.config)
        printer.print_job(job)
    assert fake.job == job  # no DLE EOT hidden in the image data
    assert fake.queries == [1, 2, 4, 1, 2, 4]


def test_paper_out_before_the_job_raises_and_sends_nothing() -> None:
    with FakeNetworkPrinter(always(PAPER_OUT)) as fake:
        printer = printer_for(fake.spec)
        with pytest.raises(PaperOut) as info:
            printer.print(ticket())
    assert fake.job == b""
    assert info.value.message_uk == "У принтері закінчився папір. Зверніться до працівника центру."
    assert info.value.message_en == "The printer is out of paper. Please ask a member of staff."
    assert str(info.value) == f"{info.value.message_uk} / {info.value.message_en}"


def test_paper_out_after_the_job_is_reported() -> None:
    with (
        FakeNetworkPrinter(paper_out_after_job) as fake,
        pytest.raises(PaperOut, match="may not have been printed"),
    ):
        printer_for(fake.spec).print(ticket())
    assert fake.job  # the job was sent, but the printer then said "no paper"


def test_paper_near_end_is_a_warning_not_an_error() -> None:
    with FakeNetworkPrinter(always(PAPER_NEAR_END)) as fake:
        state = printer_for(fake.spec).print(ticket())
        assert printer_for(fake.spec).status().paper_near_end
    assert state.paper_near_end
    assert state.ready


def test_printer_that_never_answers_times_out_within_the_bound() -> None:
    with FakeNetworkPrinter(silent) as fake:
        printer = printer_for(fake.spec)
        started = time.monotonic()
        with pytest.raises(PrinterTimeout) as info:
            printer.print(ticket())
        assert time.monotonic() - started < BOUND_SECONDS
    assert "Принтер не відповідає" in str(info.value)
    assert fake.job == b""


def test_status_query_can_be_switched_off_for_mute_printers() -> None:
    with FakeNetworkPrinter(silent) as fake:
        state = printer_for(fake.spec, query_status=False).print(ticket())
    assert not state.known
    assert fake.queries == []
    assert fake.job.startswith(b"\x1b@")


def test_closed_port_is_offline_quickly() -> None:
    printer = printer_for(f"network:127.0.0.1:{free_closed_port()}")
    started = time.monotonic()
    with pytest.raises(PrinterOffline) as info:
        printer.print(ticket())
    with pytest.raises(PrinterOffline):
        printer.status()
    assert time.monotonic() - started < BOUND_SECONDS
    assert info.value.message_en.startswith("The printer is not available")
    assert "127.0.0.1" in info.value.detail


def test_status_of_a_healthy_printer() -> None:
    with FakeNetworkPrinter(always(HEALTHY)) as fake:
        state = printer_for(fake.spec).status()
    assert state.ready
    assert state.known
    assert state.describe() == "Готовий / Ready"
