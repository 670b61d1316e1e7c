"""The centre file: a centre's services, windows, hours and holidays as TOML.

Reading (`read_centre_file`, `parse_centre_text`) checks everything before anything is written;
`centre_toml` writes a `CentreFile` back as the same TOML (the console's export). Loading it
into the database is `store/centre.py`; the console's single edits are `store/config.py`.
The sample centre is cherha/assets/centres/sample-cnap.toml.
"""

from __future__ import annotations

import tomllib
from datetime import date
from importlib.resources import files
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import tomli_w
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from cherha.core.errors import Invalid
from cherha.core.legibility import DIAGONAL_RANGE, DISTANCE_RANGE, LAST_CALLS_RANGE, Viewing
from cherha.core.numbering import validate_prefix
from cherha.core.schedule import Interval, fmt_minute, parse_hhmm

from .outcomes import OutcomeSpec, default_outcomes

SAMPLE_CENTRE: Traversable = files("cherha.assets") / "centres" / "sample-cnap.toml"
"""The sample ЦНАП, shipped as package data (`cherha-server init --sample` loads it)."""
DAY_NAMES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def parse_interval(text: str) -> Interval:
    try:
        opens, closes = text.split("-")
    except ValueError:
        raise Invalid(
            f"Інтервал «{text}» має бути у форматі ГГ:ХХ-ГГ:ХХ",
            f"Interval '{text}' must look like HH:MM-HH:MM",
        ) from None
    return Interval(parse_hhmm(opens.strip()), parse_hhmm(closes.strip()))


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class PriorityCategorySpec(_Strict):
    """One legal priority category, as the hall's legend explains it (and the kiosk asks)."""

    uk: str = Field(min_length=1, max_length=200)
    en: str = Field(default="", max_length=200)


class CentreSpec(_Strict):
    code: str = Field(min_length=1, max_length=40)
    name_uk: str = Field(min_length=1, max_length=200)
    name_en: str = Field(default="", max_length=200)
    timezone: str = "Europe/Kyiv"
    priority_cap: int = Field(default=3, ge=0, le=100)
    recall_limit: int = Field(default=2, ge=0, le=10)
    no_show_return_minutes: int = Field(default=30, ge=0, le=24 * 60)
    returned_keeps_place: bool = False
    priority_categories: list[PriorityCategorySpec] = Field(default=[], max_length=20)

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"unknown time zone {value!r} (e.g. Europe/Kyiv)") from None
        return value


class BookingSpec(_Strict):
    """The centre file's optional [booking] table (docs/appointments.md)."""

    slot_minutes: int = Field(default=15, ge=5, le=240)
    horizon_days: int = Field(default=14, ge=0, le=366)
    opens_hour: int = Field(default=6, ge=0, le=23)
    kiosk_share: float = Field(default=0.33, ge=0, le=1)
    min_lead_minutes: int = Field(default=30, ge=0, le=7 * 24 * 60)
    monthly_quota: int = Field(default=4, ge=0, le=1000)
    no_show_block: int = Field(default=4, ge=0, le=1000)
    no_show_window_days: int = Field(default=90, ge=1, le=3650)
    check_in_early_minutes: int = Field(default=15, ge=0, le=24 * 60)
    check_in_late_minutes: int = Field(default=5, ge=0, le=24 * 60)
    personal_data_days: int = Field(default=30, ge=1, le=3650)


class DisplaysSpec(_Strict):
    """The centre file's optional [displays] table: screens and viewing distances
    (docs/displays.md); a display's address can override them."""

    hall_diagonal_inches: float = Field(default=55, ge=DIAGONAL_RANGE[0], le=DIAGONAL_RANGE[1])
    hall_distance_m: float = Field(default=5, ge=DISTANCE_RANGE[0], le=DISTANCE_RANGE[1])
    window_diagonal_inches: float = Field(default=24, ge=DIAGONAL_RANGE[0], le=DIAGONAL_RANGE[1])
    window_distance_m: float = Field(default=4, ge=DISTANCE_RANGE[0], le=DISTANCE_RANGE[1])
    english_scale: float = 0.7
    last_calls: int = Field(default=8, ge=LAST_CALLS_RANGE[0], le=LAST_CALLS_RANGE[1])

    @field_validator("english_scale")
    @classmethod
    def _readable_english(cls, value: float) -> float:
        try:
            Viewing(55, 5, value, 8)
        except Invalid as exc:
            raise ValueError(exc.message_en) from None
        return value


class HoursSpec(_Strict):
    mon: list[str] = []
    tue: list[str] = []
    wed: list[str] = []
    thu: list[str] = []
    fri: list[str] = []
    sat: list[str] = []
    sun: list[str] = []

    def intervals(self) -> dict[int, list[Interval]]:
        return {i: [parse_interval(t) for t in getattr(self, d)] for i, d in enumerate(DAY_NAMES)}


class ExceptionSpec(_Strict):
    date: date
    hours: list[str] = []
    note: str = ""
    service: str | None = None


SHORT_NAME_MAX = 80
"""A service's short name for the displays, at most (the database column's width): the hall
wraps it whole, never cut, as it does a full name."""


class ServiceSpec(_Strict):
    code: str = Field(min_length=1, max_length=40)
    prefix: str
    name_uk: str = Field(min_length=1, max_length=200)
    name_en: str = Field(default="", max_length=200)
    group_uk: str = ""
    group_en: str = ""
    short_name_uk: str = Field(default="", max_length=SHORT_NAME_MAX)
    """What the displays show where the full name is long; empty: the full name."""
    short_name_en: str = Field(default="", max_length=SHORT_NAME_MAX)
    average_minutes: float = Field(default=10, gt=0, le=480)
    allow_priority: bool = True
    active: bool = True
    hours: HoursSpec | None = None
    bookable: bool = True
    slot_minutes: int | None = Field(default=None, ge=5, le=240)
    wait_target_minutes: int | None = Field(default=None, ge=1, le=480)
    """The longest wait the centre aims for; past it the console shows an alert."""


class WindowSpec(_Strict):
    number: int = Field(ge=1, le=999)
    name_uk: str = ""
    name_en: str = ""
    services: list[str] = Field(min_length=1)


class CentreFile(_Strict):
    centre: CentreSpec
    booking: BookingSpec = BookingSpec()
    displays: DisplaysSpec = DisplaysSpec()
    hours: HoursSpec = HoursSpec()
    exceptions: list[ExceptionSpec] = []
    services: list[ServiceSpec] = Field(min_length=1)
    windows: list[WindowSpec] = Field(min_length=1)
    outcomes: list[OutcomeSpec] = Field(default_factory=default_outcomes, min_length=1)
    """What came of a visit, for the clerk to pick when finishing (store/outcomes.py)."""

    @model_validator(mode="after")
    def _consistent(self) -> CentreFile:
        if len({o.code for o in self.outcomes}) != len(self.outcomes):
            raise ValueError("outcome codes must be unique")
        codes = [s.code for s in self.services]
        if len(set(codes)) != len(codes):
            raise ValueError("service codes must be unique")
        prefixes = [s.prefix for s in self.services]
        if len(set(prefixes)) != len(prefixes):
            raise ValueError("service prefixes must be unique")
        numbers = [w.number for w in self.windows]
        if len(set(numbers)) != len(numbers):
            raise ValueError("window numbers must be unique")
        for window in self.windows:
            unknown = set(window.services) - set(codes)
            if unknown:
                raise ValueError(f"window {window.number} names unknown services {sorted(unknown)}")
        for exc in self.exceptions:
            if exc.service is not None and exc.service not in codes:
                raise ValueError(f"exception on {exc.date} names unknown service {exc.service!r}")
        return self


def read_centre_file(path: Path | Traversable) -> CentreFile:
    """Parse and check a centre file; every mistake is reported with where it is."""
    try:
        with path.open("rb") as handle:
            text = handle.read().decode("utf-8")
    except OSError as exc:
        raise Invalid(
            f"Не вдалося прочитати {path}: {exc.strerror}", f"Cannot read {path}: {exc.strerror}"
        ) from None
    except UnicodeDecodeError:
        raise Invalid(f"{path}: файл не в UTF-8", f"{path}: the file is not UTF-8") from None
    return parse_centre_text(text, str(path))


def parse_centre_text(text: str, where: str = "centre.toml") -> CentreFile:
    """A centre file's text, parsed and checked (`where` names it in the messages)."""
    try:
        raw: dict[str, Any] = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise Invalid(f"{where}: помилка TOML: {exc}", f"{where}: TOML error: {exc}") from None
    try:
        spec = CentreFile.model_validate(raw)
    except ValidationError as exc:
        lines = validation_lines(exc)
        raise Invalid(
            f"{where}: помилки у файлі центру: {lines}",
            f"{where}: errors in the centre file: {lines}",
        ) from None
    check_centre(spec)
    return spec


def validation_lines(exc: ValidationError) -> str:
    """pydantic's errors as «field: message; …»."""
    return "; ".join(
        f"{'.'.join(str(p) for p in err['loc'])}: {err['msg']}" for err in exc.errors()
    )


def check_centre(spec: CentreFile) -> None:
    """The checks a model cannot make itself: prefixes, and every interval parsed now, so a bad
    one stops the load before anything is written."""
    for service in spec.services:
        validate_prefix(service.prefix)
    spec.hours.intervals()
    for service in spec.services:
        if service.hours:
            service.hours.intervals()
    for exception in spec.exceptions:
        for interval_text in exception.hours:
            parse_interval(interval_text)


def format_interval(interval: Interval) -> str:
    return f"{fmt_minute(interval.opens)}-{fmt_minute(interval.closes)}"


def centre_toml(spec: CentreFile) -> str:
    """The centre as the TOML `cherha-server load-centre` reads (defaults and empties left out)."""
    data = spec.model_dump(mode="json", exclude_none=True, exclude_defaults=True)
    # The required tables stay even when every key has its default.
    data.setdefault("centre", spec.centre.model_dump(mode="json", exclude_defaults=True))
    for exc, dumped in zip(spec.exceptions, data.get("exceptions", []), strict=True):
        dumped["date"] = exc.date  # a TOML date, not a string
    head = (
        "# Центр, вивантажений з консолі Черги / a centre exported from the Cherha console.\n"
        "# Load it with: cherha-server load-centre FILE\n\n"
    )
    return head + tomli_w.dumps(data)


def always_open(spec: CentreFile) -> CentreFile:
    """The same centre, open every day around the clock (demos and tests at any hour)."""
    every_day = ["00:00-24:00"]
    return spec.model_copy(
        update={
            "hours": HoursSpec(**dict.fromkeys(DAY_NAMES, every_day)),
            "exceptions": [],
            "services": [s.model_copy(update={"hours": None}) for s in spec.services],
        }
    )
