"""File, preview folder, serial (on a pty), CUPS (a fake lp) and USB lookup."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest
from PIL import Image

from cherha.printer.config import PrinterConfig
from cherha.printer.device import Printer, open_transport
from cherha.printer.errors import PaperOut, PrinterOffline
from cherha.printer.jobs import build_job
from cherha.printer.transports import UsbTransport
from tests.printer.fakes import HEALTHY, PAPER_OUT, FakeSerialPrinter, always
from tests.printer.samples import booking, ticket


def test_file_transport_writes_the_job(tmp_path: Path) -> None:
    target = tmp_path / "out" / "job.bin"
    printer = Printer(PrinterConfig.parse_spec(f"file:{target}"))
    state = printer.print(ticket())
    assert target.read_bytes() == build_job(ticket(), printer.config)
    assert not state.known
    assert state.online
    assert printer.status() == state
    assert list(target.parent.iterdir()) == [target]  # no temp file left behind


def test_file_transport_into_a_missing_folder_that_cannot_be_made(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(PrinterOffline):
        Printer(PrinterConfig.parse_spec(f"file:{blocker}/job.bin")).print(ticket())


def test_preview_dir_writes_bin_and_png(tmp_path: Path) -> None:
    printer = Printer(PrinterConfig.parse_spec(f"preview-dir:{tmp_path}"))
    printer.print(ticket())
    printer.print(booking())
    names = sorted(p.name for p in tmp_path.iterdir())
    assert len(names) == 4
    assert names[0].endswith("-ticket-A015.bin")
    assert names[1].endswith("-ticket-A015.png")
    assert names[2].endswith("-booking-K7P4QX.bin")
    with Image.open(tmp_path / names[1]) as png:
        assert png.width == 576


def test_serial_printer_on_a_pty() -> None:
    with FakeSerialPrinter(always(HEALTHY)) as fake:
        printer = Printer(PrinterConfig.parse_spec(f"serial:{fake.device}:115200"))
        job = build_job(ticket(), printer.config)
        state = printer.print_job(job)
    assert state.known
    assert state.ready
    assert fake.job == job


def test_serial_printer_out_of_paper() -> None:
    with FakeSerialPrinter(always(PAPER_OUT)) as fake:
        printer = Printer(PrinterConfig.parse_spec(f"serial:{fake.device}", timeout_seconds=1))
        with pytest.raises(PaperOut):
            printer.print(ticket())


def test_cups_hands_the_job_to_lp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    received = tmp_path / "lp-input.bin"
    lp = tmp_path / "lp"
    lp.write_text(f'#!/bin/sh\necho "$@" > {tmp_path}/lp-args\ncat > {received}\n')
    lp.chmod(lp.stat().st_mode | stat.S_IEXEC)
    monkeypatch.setenv("PATH", f"{tmp_path}{os.pathsep}{os.environ['PATH']}")
    printer = Printer(PrinterConfig.parse_spec("cups:Kiosk"))
    printer.print(ticket())
    assert received.read_bytes() == build_job(ticket(), printer.config)
    assert (tmp_path / "lp-args").read_text().split() == ["-d", "Kiosk", "-o", "raw"]


def test_cups_failure_is_offline(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    lp = tmp_path / "lp"
    lp.write_text(
        "#!/bin/sh\ncat >/dev/null\necho 'lp: The printer or class does not exist.' >&2\nexit 1\n"
    )
    lp.chmod(lp.stat().st_mode | stat.S_IEXEC)
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(PrinterOffline) as info:
        Printer(PrinterConfig.parse_spec("cups:Nope")).print(ticket())
    assert "does not exist" in info.value.detail


def test_usb_without_a_matching_device_is_offline(tmp_path: Path) -> None:
    transport = open_transport(PrinterConfig.parse_spec("usb:04b8:0202"))
    assert isinstance(transport, UsbTransport)
    transport.SYSFS = tmp_path  # an empty sysfs: no printers attached
    with pytest.raises(PrinterOffline, match="not available"):
        Printer(PrinterConfig.parse_spec("usb:04b8:0202"), transport).print(ticket())


def test_usb_finds_its_usblp_node(tmp_path: Path) -> None:
    usb_device = tmp_path / "devices" / "1-1"
    (usb_device / "1-1:1.0").mkdir(parents=True)
    (usb_device / "idVendor").write_text("04b8\n")
    (usb_device / "idProduct").write_text("0202\n")
    sysfs = tmp_path / "usbmisc" / "lp3"
    sysfs.mkdir(parents=True)
    (sysfs / "device").symlink_to(usb_device / "1-1:1.0")
    transport = UsbTransport(0x04B8, 0x0202)
    transport.SYSFS = tmp_path / "usbmisc"
    assert transport.find_device() == Path("/dev/usb/lp3")
    other = UsbTransport(0x0416, 0x5011)
    other.SYSFS = tmp_path / "usbmisc"
    assert other.find_device() is None
