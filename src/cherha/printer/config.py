"""Printer configuration: one schema for the TOML ``[printer]`` section and ``CHERHA_PRINTER``.

A device is written as a spec string, the same in both places::

    file:/path/job.bin            network:192.0.2.10:9100     usb:04b8:0202
    serial:/dev/ttyUSB0:19200     cups:QUEUE_NAME             preview-dir:/some/folder

Options may follow as a query string: ``network:192.0.2.10?profile=epson-tm-t88&mode=raster``.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Literal, get_args
from urllib.parse import parse_qsl

from .errors import PrinterConfigError
from .profiles import (
    CODEPAGES,
    DEFAULT_PROFILE,
    MODES,
    PROFILES,
    CodePage,
    Mode,
    PrinterProfile,
)

TransportKind = Literal["file", "network", "usb", "serial", "cups", "preview-dir"]
TRANSPORTS: tuple[TransportKind, ...] = get_args(TransportKind)
ENV_VAR = "CHERHA_PRINTER"
OPTION_KEYS = (
    "profile",
    "mode",
    "width_dots",
    "codepage",
    "codepage_number",
    "timeout_seconds",
    "query_status",
)
TOML_KEYS = ("device", *OPTION_KEYS)


def _bad(uk: str, en: str) -> PrinterConfigError:
    return PrinterConfigError(uk, en)


@dataclass(frozen=True, slots=True)
class PrinterConfig:
    """Where the printer is and how to talk to it.

    ``mode``, ``width_dots`` and ``codepage`` left as ``None`` come from the profile.
    """

    transport: TransportKind = "file"
    target: str = ""  # path, host, serial device, CUPS queue or folder
    port: int = 9100
    baudrate: int = 19200
    usb_vendor: int = 0
    usb_product: int = 0
    profile: str = DEFAULT_PROFILE
    mode: Mode | None = None
    width_dots: int | None = None
    codepage: CodePage | None = None
    codepage_number: int | None = None  # override ESC t n for printers with odd tables
    timeout_seconds: float = 4.0
    query_status: bool = True  # False for printers that never answer DLE EOT

    def __post_init__(self) -> None:
        if self.transport not in TRANSPORTS:
            raise _bad(
                f"невідомий транспорт «{self.transport}»", f"unknown transport {self.transport!r}"
            )
        if self.transport != "usb" and not self.target:
            raise _bad("не вказано адресу принтера", "printer address is empty")
        if self.profile not in PROFILES:
            known = ", ".join(PROFILES)
            raise _bad(
                f"невідомий профіль «{self.profile}» (є: {known})",
                f"unknown profile {self.profile!r} (known: {known})",
            )
        if self.mode is not None and self.mode not in MODES:
            raise _bad(
                f"режим «{self.mode}»: text або raster", f"mode {self.mode!r}: text or raster"
            )
        if self.width_dots is not None and not (
            128 <= self.width_dots <= 832 and self.width_dots % 8 == 0
        ):
            raise _bad(
                "width_dots має бути кратним 8 у межах 128–832",
                "width_dots must be a multiple of 8 within 128-832",
            )
        if self.codepage is not None and self.codepage not in CODEPAGES:
            raise _bad(
                f"кодова сторінка «{self.codepage}»: cp1251 або cp1125",
                f"codepage {self.codepage!r}: cp1251 or cp1125",
            )
        if self.codepage_number is not None and not 0 <= self.codepage_number <= 255:
            raise _bad("codepage_number: 0–255", "codepage_number: 0-255")
        if not 0.1 <= self.timeout_seconds <= 60:
            raise _bad("timeout_seconds: 0.1–60", "timeout_seconds: 0.1-60")
        if not 0 < self.port < 65536:
            raise _bad(f"порт {self.port}", f"port {self.port}")
        if self.codepage_number is None and self.codepage_command_missing:
            raise _bad(
                f"профіль «{self.profile}» не знає номера для {self.effective_codepage};"
                " вкажіть codepage_number",
                f"profile {self.profile!r} has no number for {self.effective_codepage};"
                " set codepage_number",
            )

    # Effective values (explicit setting, else the profile's default) -------------------

    @property
    def printer_profile(self) -> PrinterProfile:
        return PROFILES[self.profile]

    @property
    def effective_mode(self) -> Mode:
        return self.mode or self.printer_profile.mode

    @property
    def effective_width(self) -> int:
        return self.width_dots or self.printer_profile.width_dots

    @property
    def effective_codepage(self) -> CodePage:
        return self.codepage or self.printer_profile.default_codepage

    @property
    def codepage_command_missing(self) -> bool:
        return self.effective_codepage not in self.printer_profile.codepages

    @property
    def codepage_command(self) -> int:
        """The ``n`` of ``ESC t n`` that selects the code page."""
        if self.codepage_number is not None:
            return self.codepage_number
        return self.printer_profile.codepages[self.effective_codepage]

    @property
    def native_qr(self) -> bool:
        return self.printer_profile.native_qr

    def with_options(self, **changes: Any) -> PrinterConfig:
        """A copy with some fields changed (validated again)."""
        return replace(self, **changes)

    # Constructors ------------------------------------------------------------------

    @classmethod
    def parse_spec(cls, spec: str, **options: Any) -> PrinterConfig:
        """Parse ``kind:address[?key=value&...]``; keyword options override the query."""
        spec = spec.strip()
        device, _, query = spec.partition("?")
        merged: dict[str, Any] = dict(parse_qsl(query, keep_blank_values=True))
        merged.update(options)
        kind, sep, rest = device.partition(":")
        if not sep or kind not in TRANSPORTS:
            raise _bad(
                f"«{spec}»: очікується {'|'.join(TRANSPORTS)}:адреса",
                f"{spec!r}: expected {'|'.join(TRANSPORTS)}:address",
            )
        fields: dict[str, Any] = {"transport": kind}
        try:
            fields.update(_parse_address(kind, rest))
        except ValueError as exc:
            raise _bad(f"«{spec}»: {exc}", f"{spec!r}: {exc}") from exc
        fields.update(_coerce_options(merged))
        return cls(**fields)

    @classmethod
    def from_mapping(cls, section: Mapping[str, Any]) -> PrinterConfig:
        """Build from a ``[printer]`` table: ``device`` plus the option keys."""
        unknown = sorted(set(section) - set(TOML_KEYS))
        if unknown:
            raise _bad(
                f"невідомі ключі [printer]: {', '.join(unknown)}",
                f"unknown [printer] keys: {', '.join(unknown)}",
            )
        if "device" not in section:
            raise _bad("у [printer] немає ключа device", "[printer] has no device key")
        options = {k: v for k, v in section.items() if k != "device"}
        return cls.parse_spec(str(section["device"]), **options)

    @classmethod
    def from_toml(cls, path: Path | str, section: str = "printer") -> PrinterConfig:
        """Read the ``[printer]`` section of a TOML file."""
        try:
            with Path(path).open("rb") as fh:
                data = tomllib.load(fh)
        except (OSError, tomllib.TOMLDecodeError) as exc:
            raise _bad(f"не вдалося прочитати {path}: {exc}", f"cannot read {path}: {exc}") from exc
        table = data.get(section)
        if not isinstance(table, dict):
            raise _bad(f"у {path} немає розділу [{section}]", f"{path} has no [{section}] section")
        return cls.from_mapping(table)

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> PrinterConfig:
        """Read ``CHERHA_PRINTER``."""
        env = os.environ if env is None else env
        spec = env.get(ENV_VAR, "").strip()
        if not spec:
            raise _bad(f"змінну {ENV_VAR} не задано", f"{ENV_VAR} is not set")
        return cls.parse_spec(spec)

    @classmethod
    def load(
        cls, config_path: Path | str | None = None, env: Mapping[str, str] | None = None
    ) -> PrinterConfig:
        """The kiosk's rule: the TOML ``[printer]`` section, with ``CHERHA_PRINTER``
        (if set) replacing its device and overriding options given in the spec's query."""
        env = os.environ if env is None else env
        spec = env.get(ENV_VAR, "").strip()
        if config_path is None:
            return cls.from_env(env)
        if not spec:
            return cls.from_toml(config_path)
        base = cls.from_toml(config_path)
        options = {k: getattr(base, k) for k in OPTION_KEYS}
        device, _, query = spec.partition("?")
        options.update(_coerce_options(dict(parse_qsl(query))))
        return cls.parse_spec(device, **options)


def _parse_address(kind: str, rest: str) -> dict[str, Any]:
    if not rest:
        raise ValueError("empty address")
    if kind == "network":
        host, port = _split_host_port(rest)
        return {"target": host, "port": port}
    if kind == "usb":
        vendor, sep, product = rest.partition(":")
        if not sep:
            raise ValueError("expected usb:VENDOR:PRODUCT in hex, e.g. usb:04b8:0202")
        return {"target": rest, "usb_vendor": int(vendor, 16), "usb_product": int(product, 16)}
    if kind == "serial":
        device, sep, baud = rest.rpartition(":")
        if sep and baud.isdigit():
            return {"target": device, "baudrate": int(baud)}
        return {"target": rest}
    return {"target": rest}  # file, cups, preview-dir


def _split_host_port(rest: str) -> tuple[str, int]:
    if rest.startswith("["):  # [IPv6]:port
        host, _, tail = rest[1:].partition("]")
        return host, int(tail[1:]) if tail.startswith(":") else 9100
    host, sep, port = rest.rpartition(":")
    if sep and port.isdigit() and ":" not in host:
        return host, int(port)
    return rest, 9100


def _coerce_options(raw: Mapping[str, Any]) -> dict[str, Any]:
    """Type option values that may come as strings from a query string."""
    out: dict[str, Any] = {}
    for key, value in raw.items():
        if key not in OPTION_KEYS:
            raise _bad(f"невідомий параметр «{key}»", f"unknown option {key!r}")
        try:
            if value is None or value == "":
                out[key] = None if key in ("mode", "width_dots", "codepage") else value
            elif key in ("width_dots", "codepage_number"):
                out[key] = int(value)
            elif key == "timeout_seconds":
                out[key] = float(value)
            elif key == "query_status":
                out[key] = value if isinstance(value, bool) else str(value).lower() in _TRUE
            else:
                out[key] = str(value).lower()
        except (TypeError, ValueError) as exc:
            raise _bad(f"«{key}»: {value!r}", f"{key}: {value!r}") from exc
    return out


_TRUE = ("1", "true", "yes", "on")
