"""``cherha-print`` through ``main([...])``."""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path

import pytest
import zxingcpp
from PIL import Image

from cherha.printer.cli import main
from tests.printer.fakes import HEALTHY, PAPER_OUT, FakeNetworkPrinter, always, free_closed_port

TICKET = {
    "kind": "ticket",
    "centre_name": "ЦНАП Печерського району",
    "number": "Б007",
    "service_name": "Реєстрація місця проживання",
    "service_name_en": "Registration of residence",
    "issued_at": "2025-05-12T09:41:00+03:00",
    "people_ahead": 0,
    "estimated_wait_minutes": None,
    "priority": True,
    "status_url": "https://cherha.example/t/abc",
}
BOOKING = {
    "centre_name": "ЦНАП",
    "code": "K7P4QX",
    "service_name": "Паспорт",
    "slot_start": "2025-05-14T10:30:00+03:00",
}


@pytest.fixture(autouse=True)
def _no_env_printer(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CHERHA_PRINTER", raising=False)


def write_json(path: Path, data: Mapping[str, object]) -> Path:
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def test_test_page_output_text_and_raster(tmp_path: Path) -> None:
    text, raster = tmp_path / "text.bin", tmp_path / "raster.bin"
    assert main(["test-page", "--output", str(text)]) == 0
    assert main(["test-page", "--mode", "raster", "--output", str(raster)]) == 0
    assert text.read_bytes().startswith(b"\x1b@\x1bt\x2e")
    assert "і ї є ґ І Ї Є Ґ".encode("cp1251") in text.read_bytes()
    assert b"\x1dv0\x00" in raster.read_bytes()
    assert b"\x1dv0\x00" not in text.read_bytes()


def test_test_page_mode_from_config(tmp_path: Path) -> None:
    config = tmp_path / "kiosk.toml"
    config.write_text('[printer]\ndevice = "file:/dev/null"\nprofile = "xprinter-xp58"\n')
    out = tmp_path / "page.bin"
    assert main(["test-page", "--config", str(config), "--output", str(out)]) == 0
    assert b"\x1dv0\x00\x30\x00" in out.read_bytes()  # raster, 384 dots


def test_preview_test_page_ticket_and_booking(tmp_path: Path) -> None:
    page, ticket, booking = tmp_path / "page.png", tmp_path / "t.png", tmp_path / "b.png"
    assert main(["preview", "test-page", "--output", str(page)]) == 0
    ticket_json = write_json(tmp_path / "ticket.json", TICKET)
    assert (
        main(["preview", str(ticket_json), "--profile", "generic-58", "--output", str(ticket)]) == 0
    )
    assert (
        main(["preview", str(write_json(tmp_path / "b.json", BOOKING)), "--output", str(booking)])
        == 0
    )
    with Image.open(ticket) as image:
        assert image.width == 384
        assert [c.text for c in zxingcpp.read_barcodes(image)] == ["https://cherha.example/t/abc"]
    with Image.open(booking) as image:
        assert [c.text for c in zxingcpp.read_barcodes(image)] == ["K7P4QX"]
    with Image.open(page) as image:
        assert image.width == 576


def test_print_to_a_file_printer(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "job.bin"
    ticket_json = write_json(tmp_path / "ticket.json", TICKET)
    assert main(["print", str(ticket_json), "--printer", f"file:{out}"]) == 0
    assert "Б007".encode("cp1251") in out.read_bytes()
    assert "Надруковано / Printed" in capsys.readouterr().out


def test_print_uses_cherha_printer(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CHERHA_PRINTER", f"preview-dir:{tmp_path}")
    assert main(["print", "test-page"]) == 0
    assert sorted(p.suffix for p in tmp_path.iterdir()) == [".bin", ".png"]


def test_status_and_print_against_network_fakes(capsys: pytest.CaptureFixture[str]) -> None:
    with FakeNetworkPrinter(always(HEALTHY)) as fake:
        assert main(["status", "--printer", fake.spec]) == 0
        assert "Готовий / Ready" in capsys.readouterr().out
    with FakeNetworkPrinter(always(PAPER_OUT)) as fake:
        assert main(["status", "--printer", fake.spec]) == 1
        assert main(["print", "test-page", "--printer", fake.spec]) == 1
    err = capsys.readouterr().err
    assert "У принтері закінчився папір." in err
    assert "/ The printer is out of paper." in err


def test_offline_printer_exit_code(capsys: pytest.CaptureFixture[str]) -> None:
    spec = f"network:127.0.0.1:{free_closed_port()}?timeout_seconds=1"
    assert main(["print", "test-page", "--printer", spec]) == 1
    assert "Принтер недоступний" in capsys.readouterr().err


def test_bad_input_exit_code(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["print", "test-page"]) == 2  # no printer configured
    assert "CHERHA_PRINTER" in capsys.readouterr().err
    assert main(["status", "--printer", "lpt:1"]) == 2
    bad = write_json(tmp_path / "bad.json", {"number": "A1"})
    assert main(["preview", str(bad), "--output", str(tmp_path / "x.png")]) == 2
    assert "bad slip JSON" in capsys.readouterr().err


def test_profiles_listing(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["profiles"]) == 0
    assert "epson-tm-t88" in capsys.readouterr().out
