"""Kiosk configuration: a TOML file (`--config`) with `[kiosk]` and `[printer]`, env overrides.

`CHERHA_SERVER_URL`, `CHERHA_DEVICE_KEY` and `CHERHA_PRINTER` replace the file's values
(DESIGN.md fixed points). Every mistake raises `ConfigError` saying where and what. A retired
key still loads, with a warning in the log saying what took its place.
"""

from __future__ import annotations

import logging
import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from cherha.printer.config import PrinterConfig
from cherha.printer.errors import PrinterConfigError

Language = Literal["uk", "en"]
Orientation = Literal["portrait", "landscape", "auto"]
SpeechOutput = Literal["loudspeaker", "headphones"]

ENV_SERVER_URL = "CHERHA_SERVER_URL"
ENV_DEVICE_KEY = "CHERHA_DEVICE_KEY"

log = logging.getLogger(__name__)


class ConfigError(Exception):
    """A bad configuration: `where` (file and key) and what is wrong, in uk and en."""

    def __init__(self, where: str, message_uk: str, message_en: str) -> None:
        super().__init__(f"{where}: {message_uk} / {message_en}")
        self.where = where
        self.message_uk = message_uk
        self.message_en = message_en


@dataclass(frozen=True, slots=True)
class KioskConfig:
    server_url: str
    device_key: str
    printer: PrinterConfig
    language: Language = "uk"
    orientation: Orientation = "auto"
    admin_pin: str = ""  # empty: the hidden exit is disabled
    return_delay_seconds: float = 12.0
    fault_return_delay_seconds: float = 30.0  # time to photograph the number and QR
    fullscreen: bool = False  # kiosk duty: `--kiosk`, or true here (never by surprise)
    centre_name: str = ""  # on the slip; empty: the branch name the server sends
    footer: str = ""
    high_contrast: bool = False
    speech: Literal["espeak-ng", "off"] = "espeak-ng"
    speech_rate: int = 140  # espeak-ng words per minute: slower than its default 175
    # Where speech is heard: a phone number or a name is read aloud only into headphones.
    speech_output: SpeechOutput = "loudspeaker"
    idle_seconds: float = 90.0  # no touch this long: «Are you still here?» …
    idle_warning_seconds: float = 20.0  # … with this long to answer (WCAG 2.2.1: ≥ 20 s)
    poll_seconds: float = 5.0
    printer_check_seconds: float = 10.0
    issue_timeout_seconds: float = 10.0
    # A tap is sent again (with the same key) this long before the kiosk asks what it made.
    retry_seconds: float = 30.0
    events: bool = True  # listen to the server's event stream for live updates
    bookings: bool = True  # the start screen's "I have a booking" and "Book a visit"
    source: str = field(default="", compare=False)


# key -> (type(s), check, message uk, message en)
_NUMBERS = {
    "return_delay_seconds": (0.05, 600.0),
    "fault_return_delay_seconds": (0.05, 1800.0),
    "poll_seconds": (0.05, 300.0),
    "printer_check_seconds": (0.05, 600.0),
    "issue_timeout_seconds": (0.5, 60.0),
    "retry_seconds": (1.0, 300.0),
    "speech_rate": (80, 400),
    "idle_seconds": (10.0, 3600.0),
    "idle_warning_seconds": (20.0, 600.0),  # WCAG 2.2.1: at least 20 s to answer
}
_STRINGS = ("server_url", "device_key", "admin_pin", "centre_name", "footer")
_BOOLS = ("fullscreen", "high_contrast", "events", "bookings")
_CHOICES: dict[str, tuple[str, ...]] = {
    "language": ("uk", "en"),
    "orientation": ("portrait", "landscape", "auto"),
    "speech": ("espeak-ng", "off"),
    "speech_output": ("loudspeaker", "headphones"),
}
KIOSK_KEYS = (*_STRINGS, *_BOOLS, *_CHOICES, *_NUMBERS)
# Keys that no longer do anything: an old file still loads, and the log says what to do instead.
RETIRED_KEYS: dict[str, tuple[str, str]] = {
    "priority_categories": (
        "більше не діє: пільгові категорії кіоск бере з сервера — це список центру"
        " ([centre] priority_categories у файлі центру), той самий, що на табло в залі;"
        " приберіть цей ключ",
        "no longer used: the kiosk takes the priority categories from the server — the"
        " centre's list ([centre] priority_categories in the centre file), the same the hall"
        " display shows; remove this key",
    ),
}


def _check_kiosk(table: Mapping[str, Any], where: str) -> dict[str, Any]:
    for key in sorted(set(table) & set(RETIRED_KEYS)):
        uk, en = RETIRED_KEYS[key]
        log.warning("%s %s: %s / %s", where, key, uk, en)
    unknown = sorted(set(table) - set(KIOSK_KEYS) - set(RETIRED_KEYS))
    if unknown:
        raise ConfigError(
            where,
            f"невідомі ключі: {', '.join(unknown)} (є: {', '.join(KIOSK_KEYS)})",
            f"unknown keys: {', '.join(unknown)} (known: {', '.join(KIOSK_KEYS)})",
        )
    values: dict[str, Any] = {}
    for key, value in table.items():
        at = f"{where} {key}"
        if key in RETIRED_KEYS:
            continue  # said above; the value is not read
        if key in _STRINGS:
            if not isinstance(value, str):
                raise ConfigError(at, "має бути рядком", "must be a string")
            values[key] = value.strip()
        elif key in _BOOLS:
            if not isinstance(value, bool):
                raise ConfigError(at, "має бути true або false", "must be true or false")
            values[key] = value
        elif key in _CHOICES:
            if value not in _CHOICES[key]:
                choices = " | ".join(_CHOICES[key])
                raise ConfigError(at, f"одне з: {choices}", f"one of: {choices}")
            values[key] = value
        elif key in _NUMBERS:
            low, high = _NUMBERS[key]
            if isinstance(value, bool) or not isinstance(value, int | float):
                raise ConfigError(at, "має бути числом", "must be a number")
            if not low <= value <= high:
                raise ConfigError(at, f"від {low} до {high}", f"from {low} to {high}")
            values[key] = int(value) if key == "speech_rate" else float(value)
    return values


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except FileNotFoundError:
        raise ConfigError(str(path), "файл не знайдено", "file not found") from None
    except OSError as exc:
        raise ConfigError(
            str(path), f"не вдалося прочитати: {exc}", f"cannot read: {exc}"
        ) from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(
            str(path), f"помилка синтаксису TOML: {exc}", f"TOML syntax error: {exc}"
        ) from None


def load_config(path: Path | None = None, env: Mapping[str, str] | None = None) -> KioskConfig:
    """Read the file (if given) and apply the environment; raise ConfigError when unusable."""
    env = os.environ if env is None else env
    values: dict[str, Any] = {}
    source = str(path) if path else "environment"
    has_printer_section = False
    if path is not None:
        data = _read_toml(path)
        unknown = sorted(set(data) - {"kiosk", "printer"})
        if unknown:
            raise ConfigError(
                str(path),
                f"невідомі розділи: {', '.join(unknown)} (є: [kiosk], [printer])",
                f"unknown sections: {', '.join(unknown)} (known: [kiosk], [printer])",
            )
        table = data.get("kiosk", {})
        if not isinstance(table, dict):
            raise ConfigError(f"{path} [kiosk]", "має бути таблицею", "must be a table")
        values = _check_kiosk(table, f"{path} [kiosk]")
        has_printer_section = "printer" in data
    for key, var in (("server_url", ENV_SERVER_URL), ("device_key", ENV_DEVICE_KEY)):
        if env.get(var, "").strip():
            values[key] = env[var].strip()

    where = f"{source} [kiosk]"
    url = values.get("server_url", "")
    if not url:
        raise ConfigError(
            f"{where} server_url",
            f"не задано адресу сервера (або змінну {ENV_SERVER_URL})",
            f"the server URL is not set (nor {ENV_SERVER_URL})",
        )
    if not url.startswith(("http://", "https://")):
        raise ConfigError(
            f"{where} server_url",
            f"«{url}»: має починатися з http:// або https://",
            f"{url!r}: must start with http:// or https://",
        )
    values["server_url"] = url.rstrip("/")
    if not values.get("device_key"):
        raise ConfigError(
            f"{where} device_key",
            f"не задано ключ кіоску (або змінну {ENV_DEVICE_KEY}); його друкує"
            " «cherha-server add-device NAME --kind kiosk»",
            f"the kiosk's device key is not set (nor {ENV_DEVICE_KEY}); "
            "`cherha-server add-device NAME --kind kiosk` prints one",
        )
    pin = values.get("admin_pin", "")
    if pin and not (pin.isascii() and pin.isdigit() and 4 <= len(pin) <= 12):
        raise ConfigError(f"{where} admin_pin", "від 4 до 12 цифр", "4 to 12 digits")
    try:
        # Without a [printer] section the environment alone names the printer.
        printer = PrinterConfig.load(path if has_printer_section else None, env)
    except PrinterConfigError as exc:
        raise ConfigError(f"{source} [printer]", exc.message_uk, exc.message_en) from None
    return KioskConfig(printer=printer, source=source, **values)


__all__ = ["ConfigError", "KioskConfig", "load_config"]
