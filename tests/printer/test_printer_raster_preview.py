"""Raster jobs (GS v 0) and PNG previews: same layout, QR codes that decode back."""

from __future__ import annotations

import pytest
import zxingcpp
from PIL import Image, ImageChops

from cherha.printer.config import PrinterConfig
from cherha.printer.jobs import build_job, render_preview
from cherha.printer.raster import BAND_ROWS, defuse_realtime, raster_bytes
from cherha.printer.slips import Document, TestPage
from tests.printer.fakes import decode_raster
from tests.printer.samples import LONG_SERVICE, booking, ticket

PROFILES = ["generic-58", "epson-tm-t88", "generic-80"]  # 384, 512, 576 dots


def decoded(image: Image.Image) -> list[str]:
    return [code.text for code in zxingcpp.read_barcodes(image)]


def test_raster_bytes_exact_for_a_tiny_image() -> None:
    image = Image.new("1", (10, 2), 1)
    image.putpixel((0, 0), 0)
    image.putpixel((9, 1), 0)
    # 10 dots pad to 2 bytes per row; bit 7 of byte 0 is the leftmost dot.
    assert raster_bytes(image) == b"\x1dv0\x00\x02\x00\x02\x00" + b"\x80\x00" + b"\x00\x40"


def test_raster_is_sent_in_bands() -> None:
    job = raster_bytes(Image.new("1", (384, BAND_ROWS + 10), 0))
    assert job.count(b"\x1dv0\x00") == 2
    assert job.startswith(b"\x1dv0\x00\x30\x00\x00\x01")  # 48 bytes x 256 rows
    assert b"\x1dv0\x00\x30\x00\x0a\x00" in job


def test_realtime_commands_never_appear_in_image_data() -> None:
    assert defuse_realtime(b"\x10\x04\x01\x10\x05\x02\x10\x14\x08\x10\x20") == (
        b"\x00\x04\x01\x00\x05\x02\x00\x14\x08\x10\x20"
    )


@pytest.mark.parametrize("profile", PROFILES)
def test_raster_job_is_the_preview(profile: str) -> None:
    config = PrinterConfig(target="x", profile=profile, mode="raster")
    job = build_job(ticket(service_name=LONG_SERVICE), config)
    assert job.startswith(b"\x1b@\x1dv0\x00")
    assert job.endswith(b"\x1bd\x06\x1dV\x00")
    printed = decode_raster(job)
    preview = render_preview(ticket(service_name=LONG_SERVICE), config).convert("1")
    assert printed.width == config.effective_width
    # Identical except where a real-time command sequence had one dot cleared.
    difference = ImageChops.logical_xor(printed, preview.crop((0, 0, *printed.size)))
    assert difference.convert("L").histogram()[255] <= 8


@pytest.mark.parametrize("profile", PROFILES)
@pytest.mark.parametrize("mode", ["text", "raster"])
@pytest.mark.parametrize(
    ("document", "payload"),
    [
        (ticket(), "https://cherha.example/t/q8Zk3VYt1rTw"),
        (booking(), "K7P4QX"),
        (TestPage(), "https://cherha.example/test-page"),
    ],
)
def test_preview_qr_decodes_back(profile: str, mode: str, document: Document, payload: str) -> None:
    config = PrinterConfig(target="x", profile=profile, mode=mode)  # type: ignore[arg-type]
    assert decoded(render_preview(document, config)) == [payload]


def test_raster_job_qr_decodes_back() -> None:
    config = PrinterConfig(target="x", profile="xprinter-xp58")
    assert config.effective_mode == "raster"
    image = decode_raster(build_job(ticket(), config)).convert("L")
    assert decoded(image) == ["https://cherha.example/t/q8Zk3VYt1rTw"]


def test_preview_is_paper_width_and_greyscale() -> None:
    image = render_preview(ticket(), PrinterConfig(target="x", profile="generic-58"))
    assert image.mode == "L"
    assert image.width == 384
    assert image.height > 600


@pytest.mark.parametrize("profile", ["generic-58", "generic-80"])
def test_both_codes_of_a_ticket_with_the_telegram_link_decode(profile: str) -> None:
    link = "https://t.me/cherha_bot?start=tAbCdEfGhIjKlMnOpQrStUv"
    config = PrinterConfig(target="x", profile=profile)
    image = render_preview(ticket(telegram_url=link), config)
    assert sorted(decoded(image)) == sorted([ticket().status_url, link])
