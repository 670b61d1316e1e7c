"""Load a centre's services, windows and hours from a TOML file (the sample: cherha/assets/centres/)."""

from __future__ import annotations

import tomllib
from datetime import date
from importlib.resources import files
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator
from sqlalchemy import delete, select

from cherha.core.errors import Invalid
from cherha.core.numbering import validate_prefix
from cherha.core.schedule import MINUTES_PER_DAY, Interval, parse_hhmm

from .db import Database
from .models import Branch, Counter, CounterService, ScheduleException, Service, WorkingHours
from .outcomes import OutcomeSpec, apply_outcomes, default_outcomes

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


class CentreSpec(_Strict):
    code: str = Field(min_length=1, max_length=40)
    name_uk: str = Field(min_length=1, max_length=200)
    name_en: str = Field(default="", max_length=200)
    timezone: str = "Europe/Kyiv"
    priority_cap: int = Field(default=3, ge=0, le=100)
    recall_limit: int = Field(default=2, ge=0, le=10)
    no_show_return_minutes: int = Field(default=30, ge=0, le=24 * 60)
    returned_keeps_place: bool = False

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


class ServiceSpec(_Strict):
    code: str = Field(min_length=1, max_length=40)
    prefix: str
    name_uk: str = Field(min_length=1, max_length=200)
    name_en: str = Field(default="", max_length=200)
    group_uk: str = ""
    group_en: str = ""
    average_minutes: float = Field(default=10, gt=0, le=480)
    allow_priority: bool = True
    active: bool = True
    hours: HoursSpec | None = None
    bookable: bool = True
    slot_minutes: int | None = Field(default=None, ge=5, le=240)


class WindowSpec(_Strict):
    number: int = Field(ge=1, le=999)
    name_uk: str = ""
    name_en: str = ""
    services: list[str] = Field(min_length=1)


class CentreFile(_Strict):
    centre: CentreSpec
    booking: BookingSpec = BookingSpec()
    hours: HoursSpec = HoursSpec()
    exceptions: list[ExceptionSpec] = []
    services: list[ServiceSpec] = Field(min_length=1)
    windows: list[WindowSpec] = Field(min_length=1)
    outcomes: list[OutcomeSpec] = Field(default_factory=default_outcomes, min_length=1)

    @model_validator(mode="after")
    def _consistent(self) -> CentreFile:
        codes = [s.code for s in self.services]
        if len(set(codes)) != len(codes):
            raise ValueError("service codes must be unique")
        prefixes = [s.prefix for s in self.services]
        if len(set(prefixes)) != len(prefixes):
            raise ValueError("service prefixes must be unique")
        if len({o.code for o in self.outcomes}) != len(self.outcomes):
            raise ValueError("outcome codes must be unique")
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
            raw: dict[str, Any] = tomllib.load(handle)
    except OSError as exc:
        raise Invalid(
            f"Не вдалося прочитати {path}: {exc.strerror}", f"Cannot read {path}: {exc.strerror}"
        ) from None
    except tomllib.TOMLDecodeError as exc:
        raise Invalid(f"{path}: помилка TOML: {exc}", f"{path}: TOML error: {exc}") from None
    try:
        spec = CentreFile.model_validate(raw)
    except ValidationError as exc:
        lines = "; ".join(
            f"{'.'.join(str(p) for p in err['loc'])}: {err['msg']}" for err in exc.errors()
        )
        raise Invalid(
            f"{path}: помилки у файлі центру: {lines}",
            f"{path}: errors in the centre file: {lines}",
        ) from None
    for service in spec.services:
        validate_prefix(service.prefix)
    # Parse every interval now, so a bad one stops the load before anything is written.
    spec.hours.intervals()
    for service in spec.services:
        if service.hours:
            service.hours.intervals()
    for exception in spec.exceptions:
        for interval_text in exception.hours:
            parse_interval(interval_text)
    return spec


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


def load_centre(db: Database, spec: CentreFile) -> int:
    """Create or update the centre in one transaction; returns the branch id."""
    with db.write(None) as session:
        c = spec.centre
        branch = session.scalars(select(Branch).where(Branch.code == c.code)).first()
        if branch is None:
            branch = Branch(code=c.code, paused=False, pause_reason="")
            session.add(branch)
        branch.name_uk, branch.name_en, branch.timezone = c.name_uk, c.name_en, c.timezone
        branch.priority_cap, branch.recall_limit = c.priority_cap, c.recall_limit
        branch.no_show_return_minutes = c.no_show_return_minutes
        branch.returned_keeps_place = c.returned_keeps_place
        _apply_booking(branch, spec.booking)
        session.flush()
        apply_outcomes(session, branch.id, spec.outcomes)

        existing = {
            s.code: s
            for s in session.scalars(select(Service).where(Service.branch_id == branch.id))
        }
        services: dict[str, Service] = {}
        for position, s in enumerate(spec.services):
            row = existing.get(s.code)
            if row is None:
                row = Service(
                    branch_id=branch.id, code=s.code, average_seconds=s.average_minutes * 60
                )
                session.add(row)
            row.prefix, row.name_uk, row.name_en = s.prefix, s.name_uk, s.name_en
            row.group_uk, row.group_en = s.group_uk, s.group_en
            row.allow_priority, row.active, row.position = s.allow_priority, s.active, position
            row.bookable, row.slot_minutes = s.bookable, s.slot_minutes
            services[s.code] = row
        for code, row in existing.items():
            if code not in services:
                row.active = False  # kept for history; tickets refer to it
        session.flush()

        counters = {
            c.number: c
            for c in session.scalars(select(Counter).where(Counter.branch_id == branch.id))
        }
        listed = set()
        for w in spec.windows:
            counter = counters.get(w.number)
            if counter is None:
                counter = Counter(
                    branch_id=branch.id, number=w.number, state="closed", priority_streak=0
                )
                session.add(counter)
            counter.name_uk = w.name_uk or f"Вікно {w.number}"
            counter.name_en = w.name_en or f"Window {w.number}"
            counter.active = True
            listed.add(w.number)
        for number, counter in counters.items():
            if number not in listed:
                counter.active = False
        session.flush()
        counter_ids = [
            c.id for c in session.scalars(select(Counter).where(Counter.branch_id == branch.id))
        ]
        session.execute(delete(CounterService).where(CounterService.counter_id.in_(counter_ids)))
        by_number = {
            c.number: c
            for c in session.scalars(select(Counter).where(Counter.branch_id == branch.id))
        }
        for w in spec.windows:
            for code in dict.fromkeys(w.services):
                session.add(
                    CounterService(counter_id=by_number[w.number].id, service_id=services[code].id)
                )

        session.execute(delete(WorkingHours).where(WorkingHours.branch_id == branch.id))
        _add_hours(session, branch.id, None, spec.hours)
        for s in spec.services:
            if s.hours is not None:
                _add_hours(session, branch.id, services[s.code].id, s.hours)
        session.execute(delete(ScheduleException).where(ScheduleException.branch_id == branch.id))
        for exc in spec.exceptions:
            service_id = services[exc.service].id if exc.service else None
            intervals = [parse_interval(t) for t in exc.hours]
            if not intervals:
                session.add(
                    ScheduleException(
                        branch_id=branch.id, service_id=service_id, day=exc.date, note=exc.note
                    )
                )
            for interval in intervals:
                session.add(
                    ScheduleException(
                        branch_id=branch.id,
                        service_id=service_id,
                        day=exc.date,
                        opens=interval.opens,
                        closes=interval.closes,
                        note=exc.note,
                    )
                )
        return branch.id


def _add_hours(session: Any, branch_id: int, service_id: int | None, hours: HoursSpec) -> None:
    for weekday, intervals in hours.intervals().items():
        for interval in intervals:
            assert 0 <= interval.opens < interval.closes <= MINUTES_PER_DAY
            session.add(
                WorkingHours(
                    branch_id=branch_id,
                    service_id=service_id,
                    weekday=weekday,
                    opens=interval.opens,
                    closes=interval.closes,
                )
            )


def _apply_booking(branch: Branch, b: BookingSpec) -> None:
    branch.booking_slot_minutes = b.slot_minutes
    branch.booking_horizon_days = b.horizon_days
    branch.booking_opens_hour = b.opens_hour
    branch.booking_kiosk_share = b.kiosk_share
    branch.booking_min_lead_minutes = b.min_lead_minutes
    branch.booking_monthly_quota = b.monthly_quota
    branch.booking_no_show_block = b.no_show_block
    branch.booking_no_show_window_days = b.no_show_window_days
    branch.check_in_early_minutes = b.check_in_early_minutes
    branch.check_in_late_minutes = b.check_in_late_minutes
    branch.personal_data_days = b.personal_data_days
