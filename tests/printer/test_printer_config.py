"""Configuration: device specs, the TOML [printer] section, CHERHA_PRINTER, profiles."""

from __future__ import annotations

from pathlib import Path

import pytest

from cherha.printer.config import PrinterConfig
from cherha.printer.errors import PrinterConfigError
from cherha.printer.profiles import PROFILES


@pytest.mark.parametrize(
    ("spec", "expected"),
    [
        ("file:/tmp/job.bin", {"transport": "file", "target": "/tmp/job.bin"}),
        ("network:192.0.2.10:9100", {"transport": "network", "target": "192.0.2.10", "port": 9100}),
        ("network:printer.local", {"target": "printer.local", "port": 9100}),
        ("network:[2001:db8::7]:9101", {"target": "2001:db8::7", "port": 9101}),
        ("usb:04b8:0202", {"transport": "usb", "usb_vendor": 0x04B8, "usb_product": 0x0202}),
        ("serial:/dev/ttyUSB0:19200", {"target": "/dev/ttyUSB0", "baudrate": 19200}),
        ("serial:/dev/ttyS1", {"target": "/dev/ttyS1", "baudrate": 19200}),
        ("cups:Kiosk_Printer", {"transport": "cups", "target": "Kiosk_Printer"}),
        ("preview-dir:/srv/demo", {"transport": "preview-dir", "target": "/srv/demo"}),
        (
            "network:192.0.2.10?profile=epson-tm-t88&mode=raster&timeout_seconds=2",
            {"profile": "epson-tm-t88", "mode": "raster", "timeout_seconds": 2.0},
        ),
    ],
)
def test_parse_spec(spec: str, expected: dict[str, object]) -> None:
    config = PrinterConfig.parse_spec(spec)
    for key, value in expected.items():
        assert getattr(config, key) == value


@pytest.mark.parametrize(
    "spec",
    [
        "",
        "lpt:1",
        "network:",
        "usb:04b8",
        "usb:zz:01",
        "file:/x?profile=nope",
        "file:/x?mode=colour",
        "file:/x?width_dots=500",
        "file:/x?colour=red",
        "file:/x?profile=epson-tm-t88&codepage=cp1125",  # no number known for it
    ],
)
def test_bad_specs_raise_a_bilingual_config_error(spec: str) -> None:
    with pytest.raises(PrinterConfigError) as info:
        PrinterConfig.parse_spec(spec)
    assert "Неправильні налаштування принтера" in info.value.message_uk
    assert "Invalid printer settings" in info.value.message_en


def test_profile_defaults_and_overrides() -> None:
    config = PrinterConfig.parse_spec("file:/x?profile=xprinter-xp58")
    assert (config.effective_mode, config.effective_width, config.codepage_command) == (
        "raster",
        384,
        73,
    )
    config = PrinterConfig.parse_spec("file:/x", width_dots=512, codepage="cp1125")
    assert (config.effective_mode, config.effective_width, config.codepage_command) == (
        "text",
        512,
        44,
    )


def test_every_profile_can_print_ukrainian_in_text_mode() -> None:
    for profile in PROFILES.values():
        assert "cp1251" in profile.codepages or "cp1125" in profile.codepages
        assert profile.width_dots in (384, 512, 576)


def test_from_toml(tmp_path: Path) -> None:
    path = tmp_path / "kiosk.toml"
    path.write_text(
        '[kiosk]\nname = "Зал 1"\n\n[printer]\ndevice = "network:192.0.2.10:9100"\n'
        'profile = "epson-tm-t20"\nmode = "raster"\ntimeout_seconds = 3\n',
        encoding="utf-8",
    )
    config = PrinterConfig.from_toml(path)
    assert (config.transport, config.target, config.port) == ("network", "192.0.2.10", 9100)
    assert (config.profile, config.mode, config.timeout_seconds) == ("epson-tm-t20", "raster", 3)


def test_from_toml_rejects_unknown_keys_and_missing_section(tmp_path: Path) -> None:
    path = tmp_path / "kiosk.toml"
    path.write_text('[printer]\ndevice = "file:/x"\nspeed = 3\n', encoding="utf-8")
    with pytest.raises(PrinterConfigError, match="speed"):
        PrinterConfig.from_toml(path)
    path.write_text("[kiosk]\n", encoding="utf-8")
    with pytest.raises(PrinterConfigError, match=r"\[printer\]"):
        PrinterConfig.from_toml(path)


def test_from_env_and_load_precedence(tmp_path: Path) -> None:
    assert PrinterConfig.from_env({"CHERHA_PRINTER": "usb:04b8:0202"}).transport == "usb"
    with pytest.raises(PrinterConfigError, match="CHERHA_PRINTER"):
        PrinterConfig.from_env({})
    path = tmp_path / "kiosk.toml"
    path.write_text('[printer]\ndevice = "file:/a"\nprofile = "generic-58"\n', encoding="utf-8")
    assert PrinterConfig.load(path, {}).target == "/a"
    # The environment replaces the device but keeps the file's options unless it names them.
    config = PrinterConfig.load(path, {"CHERHA_PRINTER": "file:/b?mode=raster"})
    assert (config.target, config.profile, config.mode) == ("/b", "generic-58", "raster")
