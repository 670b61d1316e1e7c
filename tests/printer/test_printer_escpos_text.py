"""Exact ESC/POS bytes of text-mode jobs (built with python-escpos's Dummy printer)."""

from __future__ import annotations

from pathlib import Path

from PIL import Image

from cherha.printer.config import PrinterConfig
from cherha.printer.escpos_text import build_text_job
from cherha.printer.jobs import build_job
from cherha.printer.layout import Cut, Feed, Layout, QrBlock, Rule, TextLine
from tests.printer.samples import booking, ticket

ESC_INIT = b"\x1b@"
CP1251 = b"\x1bt\x2e"  # ESC t 46
CUT = b"\x1bd\x06\x1dV\x00"  # feed 6 lines, GS V 0 (full cut)
URL = "https://cherha.example/t/q8Zk3VYt1rTw"


def qr_bytes(data: bytes, module: int) -> bytes:
    """GS ( k: model 2, module size, error correction M, store, print."""
    store_len = (len(data) + 3).to_bytes(2, "little")
    return (
        b"\x1d(k\x04\x00\x31\x41\x32\x00"
        + b"\x1d(k\x03\x00\x31\x43"
        + bytes([module])
        + b"\x1d(k\x03\x00\x31\x45\x31"
        + b"\x1d(k"
        + store_len
        + b"\x31\x50\x30"
        + data
        + b"\x1d(k\x03\x00\x31\x51\x30"
    )


def test_small_layout_exact_bytes() -> None:
    layout = Layout(
        384,
        (
            TextLine("ґі", width=2, height=2, bold=True, align="center"),
            TextLine("№1", invert=True),
            Rule(),
            Feed(2),
            QrBlock("A1", 4),
            Cut(),
        ),
    )
    job = build_text_job(layout, codepage="cp1251", codepage_command=46)
    assert job == (
        ESC_INIT
        + CP1251
        + b"\x1d!\x11"  # GS ! n: 2x width, 2x height
        + b"\x1bE\x01"  # bold on
        + b"\x1ba\x01"  # centre
        + b"\xb4\xb3\n"  # ґі in CP1251
        + b"\x1d!\x00\x1bE\x00\x1ba\x00"
        + b"\x1dB\x01"  # inverted
        + b"\xb91\n"  # №1
        + b"\x1dB\x00"
        + b"-" * 32
        + b"\n"
        + b"\x1bd\x02"
        + b"\x1ba\x01"
        + qr_bytes(b"A1", 4)
        + CUT
    )


def test_ticket_text_job_selects_cp1251_after_reset_and_encodes_ukrainian() -> None:
    job = build_job(ticket(), PrinterConfig(target="x", profile="generic-58"))
    assert job.startswith(ESC_INIT + CP1251)
    assert job.count(ESC_INIT) == 1  # the only reset, and the code page follows it
    assert "і ї є ґ".encode("cp1251") == b"\xb3 \xbf \xba \xb4"
    assert b"\x1d!\x01\xc4\xee\xe2\xb3\xe4\xea\xe0 \xb3 \xbf \xba \xb4\n" in job  # 1x2 service
    assert b"\x1d!\x77\x1bE\x01A015\n" in job  # number at 8x8, bold
    assert b"\x1bt\x11" not in job  # never CP866, which has no і or ґ
    assert b"\x1ba\x01" + qr_bytes(URL.encode(), 7) in job
    assert job.endswith(CUT)
    assert len(job) < 2048


def test_cp1125_uses_its_own_table_and_number() -> None:
    config = PrinterConfig(target="x", profile="generic-80", codepage="cp1125")
    job = build_job(ticket(), config)
    assert job.startswith(ESC_INIT + b"\x1bt\x2c")  # ESC t 44
    assert "і ї є ґ".encode("cp1125") in job
    assert b"\xf7 \xf9 \xf5 \xf3" in job


def test_codepage_number_override() -> None:
    config = PrinterConfig(target="x", profile="generic-58", codepage_number=73)
    assert build_job(ticket(), config).startswith(ESC_INIT + b"\x1bt\x49")


def test_printer_without_native_qr_gets_a_raster_qr_in_text_mode() -> None:
    config = PrinterConfig(target="x", profile="xprinter-xp58", mode="text")
    job = build_job(ticket(), config)
    assert job.startswith(ESC_INIT + b"\x1c." + b"\x1bt\x49")  # FS . then ESC t 73
    assert b"\x1d(k" not in job
    assert b"\x1dv0\x00\x30\x00" in job  # GS v 0, 48 bytes (384 dots) wide
    assert "Довідка".encode("cp1251") in job


def test_booking_text_job() -> None:
    job = build_job(booking(), PrinterConfig(target="x", profile="epson-tm-t88"))
    assert job.startswith(ESC_INIT + CP1251)
    assert b"\x1d!\x66\x1bE\x01K7P4QX\n" in job  # 7x7: 42 columns / 6 letters
    assert qr_bytes(b"K7P4QX", 8) in job
    assert "понад 5 хв — у живу чергу\n".encode("cp1251") in job  # — is 0x97 in CP1251
    assert job.endswith(CUT)


def test_apostrophe_is_folded_to_a_printable_one() -> None:
    job = build_job(ticket(service_name="Вʼїзд"), PrinterConfig(target="x"))
    assert "В’їзд".encode("cp1251") in job
    job = build_job(ticket(service_name="Вʼїзд"), PrinterConfig(target="x", codepage="cp1125"))
    assert "В'їзд".encode("cp1125") in job


def test_logo_is_sent_as_raster(tmp_path: Path) -> None:
    logo = tmp_path / "logo.png"
    Image.new("L", (200, 100), 0).save(logo)
    job = build_job(ticket(logo_path=logo), PrinterConfig(target="x", profile="generic-58"))
    assert job.index(b"\x1dv0\x00\x30\x00\x64\x00") < job.index("ЦНАП".encode("cp1251"))


def test_missing_logo_is_skipped(tmp_path: Path) -> None:
    job = build_job(ticket(logo_path=tmp_path / "none.png"), PrinterConfig(target="x"))
    assert b"\x1dv0" not in job
    assert job.startswith(ESC_INIT + CP1251)
