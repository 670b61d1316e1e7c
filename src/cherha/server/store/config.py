"""Editing a centre's set-up: services, windows, weekly hours, holidays.

Two callers share these steps: `load_centre` (a whole centre file) and `ConfigOps` (one edit
from the console). Each `ConfigOps` edit is one transaction under the branch's write lock: it
checks everything first (a refusal changes nothing), applies the change, records an audit
entry with the before and after, and writes a `config_changed` event so live pages refresh.
Waiting tickets keep their order keys: an edit never reorders the line.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from cherha.core.errors import Invalid, InvalidTransition, NotFound
from cherha.core.model import CounterState, EventType, TicketStatus
from cherha.core.numbering import validate_prefix
from cherha.core.prefixes import latin_lookalikes, looks_like
from cherha.core.schedule import Interval

from ..auth import Principal
from .audit import record_audit
from .centre_file import (
    DAY_NAMES,
    BookingSpec,
    CentreSpec,
    DisplaysSpec,
    ExceptionSpec,
    HoursSpec,
    ServiceSpec,
    WindowSpec,
    format_interval,
    parse_interval,
)
from .clock import Clock, utcnow
from .db import Database
from .models import (
    Branch,
    Counter,
    CounterService,
    ScheduleException,
    Service,
    Ticket,
    WorkingHours,
)
from .records import get_branch, record_event

# -- the steps load_centre and the console share -------------------------------------------------


def apply_centre(branch: Branch, c: CentreSpec) -> None:
    branch.name_uk, branch.name_en, branch.timezone = c.name_uk, c.name_en, c.timezone
    branch.priority_cap, branch.recall_limit = c.priority_cap, c.recall_limit
    branch.no_show_return_minutes = c.no_show_return_minutes
    branch.returned_keeps_place = c.returned_keeps_place
    branch.priority_categories = [{"uk": p.uk, "en": p.en} for p in c.priority_categories]


def apply_displays(branch: Branch, d: DisplaysSpec) -> None:
    branch.display_hall_diagonal_inches = d.hall_diagonal_inches
    branch.display_hall_distance_m = d.hall_distance_m
    branch.display_window_diagonal_inches = d.window_diagonal_inches
    branch.display_window_distance_m = d.window_distance_m
    branch.display_english_scale = d.english_scale
    branch.display_last_calls = d.last_calls


def apply_booking(branch: Branch, b: BookingSpec) -> None:
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


def upsert_service(
    session: Session,
    branch_id: int,
    s: ServiceSpec,
    position: int | None,
    *,
    new_only_average: bool,
) -> Service:
    """Create or update the service with this code (its own hours are `replace_hours`).

    A centre file sets the average time only for a new service (the server learns it from
    finished tickets afterwards); the console sets it when an administrator edits it.
    """
    row = session.scalars(
        select(Service).where(Service.branch_id == branch_id, Service.code == s.code)
    ).first()
    if row is None:
        if position is None:  # a new service goes last
            last = session.scalar(
                select(func.max(Service.position)).where(Service.branch_id == branch_id)
            )
            position = (last or 0) + 1
        row = Service(branch_id=branch_id, code=s.code, average_seconds=s.average_minutes * 60)
        session.add(row)
    elif not new_only_average:
        row.average_seconds = s.average_minutes * 60
    row.prefix, row.name_uk, row.name_en = s.prefix, s.name_uk, s.name_en
    row.group_uk, row.group_en = s.group_uk, s.group_en
    row.short_name_uk, row.short_name_en = s.short_name_uk, s.short_name_en
    row.allow_priority, row.active = s.allow_priority, s.active
    row.bookable, row.slot_minutes = s.bookable, s.slot_minutes
    row.wait_target_minutes = s.wait_target_minutes
    if position is not None:
        row.position = position
    session.flush()
    return row


def upsert_window(
    session: Session, branch_id: int, w: WindowSpec, service_ids: Sequence[int], active: bool = True
) -> Counter:
    """Create or update the window with this number, serving exactly these services."""
    counter = session.scalars(
        select(Counter).where(Counter.branch_id == branch_id, Counter.number == w.number)
    ).first()
    if counter is None:
        counter = Counter(
            branch_id=branch_id, number=w.number, state=CounterState.CLOSED, priority_streak=0
        )
        session.add(counter)
    counter.name_uk = w.name_uk or f"Вікно {w.number}"
    counter.name_en = w.name_en or f"Window {w.number}"
    counter.active = active
    session.flush()
    session.execute(delete(CounterService).where(CounterService.counter_id == counter.id))
    for service_id in dict.fromkeys(service_ids):
        session.add(CounterService(counter_id=counter.id, service_id=service_id))
    session.flush()
    return counter


def replace_hours(
    session: Session, branch_id: int, service_id: int | None, hours: HoursSpec | None
) -> None:
    """The weekly hours of the branch (service_id None) or of one service (None: the branch's)."""
    owner = (
        WorkingHours.service_id.is_(None)
        if service_id is None
        else WorkingHours.service_id == service_id
    )
    session.execute(delete(WorkingHours).where(WorkingHours.branch_id == branch_id, owner))
    if hours is None:
        return
    for weekday, intervals in hours.intervals().items():
        for interval in intervals:
            session.add(
                WorkingHours(
                    branch_id=branch_id,
                    service_id=service_id,
                    weekday=weekday,
                    opens=interval.opens,
                    closes=interval.closes,
                )
            )


def hours_spec(rows: Iterable[WorkingHours]) -> HoursSpec | None:
    """Weekly rows as an HoursSpec; None when there are none."""
    days: dict[str, list[str]] = {}
    for row in sorted(rows, key=lambda r: (r.weekday, r.opens)):
        days.setdefault(DAY_NAMES[row.weekday], []).append(
            format_interval(Interval(row.opens, row.closes))
        )
    return HoursSpec(**days) if days else None


def replace_exceptions(
    session: Session, branch_id: int, exceptions: Iterable[tuple[int | None, ExceptionSpec]]
) -> None:
    session.execute(delete(ScheduleException).where(ScheduleException.branch_id == branch_id))
    for service_id, exc in exceptions:
        add_exception_rows(session, branch_id, service_id, exc)


def add_exception_rows(
    session: Session, branch_id: int, service_id: int | None, exc: ExceptionSpec
) -> None:
    """One dated exception: a row per interval, or one row without hours for a closed day."""
    intervals: list[Interval | None] = [parse_interval(t) for t in exc.hours]
    for interval in intervals or [None]:
        session.add(
            ScheduleException(
                branch_id=branch_id,
                service_id=service_id,
                day=exc.date,
                opens=interval.opens if interval else None,
                closes=interval.closes if interval else None,
                note=exc.note,
            )
        )


# -- the console's edits -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Saved:
    """What an edit changed, and what the administrator should know about it."""

    id: int
    warnings: list[tuple[str, str]] = field(default_factory=list)


class ConfigOps:
    def __init__(
        self, db: Database, clock: Clock = utcnow, on_change: Callable[[], None] = lambda: None
    ) -> None:
        self.db = db
        self.clock = clock
        self.on_change = on_change
        """Called after each committed edit (the ticket issuer forgets its cached hours)."""

    # services

    def save_service(
        self, who: Principal, branch_id: int, service_id: int | None, spec: ServiceSpec
    ) -> Saved:
        """Add (service_id None) or edit a service. Its code never changes once made."""
        validate_prefix(spec.prefix)
        with self.db.write(branch_id) as session:
            get_branch(session, branch_id)
            others = list(session.scalars(select(Service).where(Service.branch_id == branch_id)))
            before: dict[str, Any] | None = None
            if service_id is None:
                if any(s.code == spec.code for s in others):
                    raise Invalid(
                        f"Послуга з кодом «{spec.code}» уже є",
                        f"A service with code '{spec.code}' already exists",
                        code="code_taken",
                    )
            else:
                row = next((s for s in others if s.id == service_id), None)
                if row is None:
                    raise NotFound(f"Послуги {service_id} немає", f"No service {service_id}")
                spec = spec.model_copy(update={"code": row.code})
                before = service_record(row)
                if row.active and not spec.active:
                    _ensure_nobody_waits(session, row)
            rivals = [s for s in others if s.id != service_id and s.active]
            if spec.active:
                _ensure_prefix_free(spec.prefix, rivals)
            row = upsert_service(session, branch_id, spec, None, new_only_average=False)
            after = service_record(row)
            self._record(session, who, branch_id, "service", row.id, row.code, before, after)
            warnings = _prefix_warnings(spec.prefix)
            result = Saved(row.id, warnings)
        self.on_change()
        return result

    # windows

    def save_window(
        self,
        who: Principal,
        branch_id: int,
        counter_id: int | None,
        spec: WindowSpec,
        service_ids: Sequence[int],
        *,
        active: bool = True,
    ) -> Saved:
        """Add or edit a window: its number, names, the services it serves, active or not."""
        if not service_ids:
            raise Invalid(
                "Вікно має обслуговувати хоча б одну послугу",
                "A window must serve at least one service",
                code="no_services",
            )
        with self.db.write(branch_id) as session:
            get_branch(session, branch_id)
            known = {
                s.id for s in session.scalars(select(Service).where(Service.branch_id == branch_id))
            }
            if not set(service_ids) <= known:
                raise Invalid("Невідома послуга", "Unknown service", code="unknown_service")
            same_number = session.scalars(
                select(Counter).where(Counter.branch_id == branch_id, Counter.number == spec.number)
            ).first()
            before: dict[str, Any] | None = None
            if counter_id is None:
                if same_number is not None:
                    raise Invalid(
                        f"Вікно {spec.number} уже є",
                        f"Window {spec.number} already exists",
                        code="number_taken",
                    )
            else:
                row = session.get(Counter, counter_id)
                if row is None or row.branch_id != branch_id:
                    raise NotFound(f"Вікна {counter_id} немає", f"No window {counter_id}")
                if same_number is not None and same_number.id != counter_id:
                    raise Invalid(
                        f"Номер {spec.number} уже має інше вікно",
                        f"Another window already has number {spec.number}",
                        code="number_taken",
                    )
                before = window_record(session, row)
                if not active and row.state != CounterState.CLOSED:
                    raise InvalidTransition(
                        f"Вікно {row.number} зараз працює: спершу його має закрити працівник",
                        f"Window {row.number} is working now: its clerk must close it first",
                        code="window_in_use",
                    )
                row.number = spec.number
                session.flush()
            counter = upsert_window(session, branch_id, spec, service_ids, active)
            after = window_record(session, counter)
            self._record(
                session, who, branch_id, "window", counter.id, str(counter.number), before, after
            )
            warnings = _orphan_warnings(session, branch_id)
            result = Saved(counter.id, warnings)
        self.on_change()
        return result

    # hours and holidays

    def set_hours(
        self, who: Principal, branch_id: int, service_id: int | None, hours: HoursSpec | None
    ) -> Saved:
        """The branch's weekly hours, or a service's own (None: it follows the branch's)."""
        if hours is not None:
            hours.intervals()  # refuses a bad interval before the transaction
        if service_id is None and hours is None:
            raise Invalid("Години центру потрібні", "The centre needs its hours", code="no_hours")
        with self.db.write(branch_id) as session:
            target = "centre"
            if service_id is not None:
                service = session.get(Service, service_id)
                if service is None or service.branch_id != branch_id:
                    raise NotFound(f"Послуги {service_id} немає", f"No service {service_id}")
                target = f"service:{service.code}"
            before = _hours_record(session, branch_id, service_id)
            replace_hours(session, branch_id, service_id, hours)
            session.flush()
            after = _hours_record(session, branch_id, service_id)
            self._record(session, who, branch_id, "hours", service_id, target, before, after)
        self.on_change()
        return Saved(service_id or branch_id)

    def set_exception(self, who: Principal, branch_id: int, exc: ExceptionSpec) -> Saved:
        """A holiday (no hours) or a shortened day for the centre or one service; replaces any
        exception of the same day and service."""
        for text in exc.hours:
            parse_interval(text)
        with self.db.write(branch_id) as session:
            service_id = self._service_id(session, branch_id, exc.service)
            before = self._drop_exception(session, branch_id, exc.date, service_id)
            add_exception_rows(session, branch_id, service_id, exc)
            after = exc.model_dump(mode="json")
            self._record(session, who, branch_id, "holiday", None, str(exc.date), before, after)
        self.on_change()
        return Saved(branch_id)

    def remove_exception(
        self, who: Principal, branch_id: int, day: date, service_code: str | None
    ) -> None:
        with self.db.write(branch_id) as session:
            service_id = self._service_id(session, branch_id, service_code)
            before = self._drop_exception(session, branch_id, day, service_id)
            if before is None:
                raise NotFound(f"На {day} змін немає", f"There is no exception on {day}")
            self._record(session, who, branch_id, "holiday", None, str(day), before, None)
        self.on_change()

    # helpers

    @staticmethod
    def _service_id(session: Session, branch_id: int, code: str | None) -> int | None:
        if code is None:
            return None
        found = session.scalar(
            select(Service.id).where(Service.branch_id == branch_id, Service.code == code)
        )
        if found is None:
            raise NotFound(f"Послуги «{code}» немає", f"No service '{code}'")
        return found

    @staticmethod
    def _drop_exception(
        session: Session, branch_id: int, day: date, service_id: int | None
    ) -> dict[str, Any] | None:
        owner = (
            ScheduleException.service_id.is_(None)
            if service_id is None
            else ScheduleException.service_id == service_id
        )
        rows = list(
            session.scalars(
                select(ScheduleException).where(
                    ScheduleException.branch_id == branch_id, ScheduleException.day == day, owner
                )
            )
        )
        if not rows:
            return None
        for row in rows:
            session.delete(row)
        session.flush()
        return {
            "date": str(day),
            "hours": [
                format_interval(Interval(r.opens, r.closes))
                for r in rows
                if r.opens is not None and r.closes is not None
            ],
            "note": rows[0].note,
        }

    def _record(
        self,
        session: Session,
        who: Principal,
        branch_id: int,
        what: str,
        item_id: int | None,
        target: str,
        before: dict[str, Any] | None,
        after: dict[str, Any] | None,
    ) -> None:
        now = self.clock()
        verb = "added" if before is None else "removed" if after is None else "changed"
        record_audit(
            session,
            at=now,
            actor=who.actor,
            action=f"{what}_{verb}",
            target=f"{what}:{target}" if not target.startswith(what) else target,
            branch_id=branch_id,
            data={"before": before, "after": after},
        )
        record_event(
            session,
            branch_id=branch_id,
            type_=EventType.CONFIG_CHANGED,
            at=now,
            actor=who.actor,
            data={"what": what, "id": item_id},
        )


def service_record(row: Service) -> dict[str, Any]:
    """A service's settings as the audit log keeps them (its own hours are audited apart)."""
    return {
        "code": row.code,
        "prefix": row.prefix,
        "name_uk": row.name_uk,
        "name_en": row.name_en,
        "short_name_uk": row.short_name_uk,
        "short_name_en": row.short_name_en,
        "group_uk": row.group_uk,
        "group_en": row.group_en,
        "average_minutes": round(row.average_seconds / 60, 2),
        "allow_priority": row.allow_priority,
        "active": row.active,
        "bookable": row.bookable,
        "slot_minutes": row.slot_minutes,
        "wait_target_minutes": row.wait_target_minutes,
    }


def window_record(session: Session, row: Counter) -> dict[str, Any]:
    codes = session.scalars(
        select(Service.code)
        .join(CounterService, CounterService.service_id == Service.id)
        .where(CounterService.counter_id == row.id)
        .order_by(Service.position, Service.id)
    )
    return {
        "number": row.number,
        "name_uk": row.name_uk,
        "name_en": row.name_en,
        "active": row.active,
        "services": list(codes),
    }


def _hours_record(
    session: Session, branch_id: int, service_id: int | None
) -> dict[str, Any] | None:
    owner = (
        WorkingHours.service_id.is_(None)
        if service_id is None
        else WorkingHours.service_id == service_id
    )
    spec = hours_spec(
        session.scalars(select(WorkingHours).where(WorkingHours.branch_id == branch_id, owner))
    )
    return None if spec is None else spec.model_dump(exclude_defaults=True)


def _ensure_prefix_free(prefix: str, rivals: Iterable[Service]) -> None:
    for other in rivals:
        if looks_like(other.prefix) == looks_like(prefix):
            same = other.prefix == prefix
            raise Invalid(
                f"Префікс «{prefix}» уже має послуга «{other.name_uk}»"
                + ("" if same else f" («{other.prefix}» виглядає так само)"),
                f"Prefix '{prefix}' is already used by '{other.name_en or other.name_uk}'"
                + ("" if same else f" ('{other.prefix}' looks the same)"),
                code="prefix_taken",
            )


def _prefix_warnings(prefix: str) -> list[tuple[str, str]]:
    latin = latin_lookalikes(prefix)
    if not latin:
        return []
    letters = ", ".join(latin)
    return [
        (
            f"Латинські літери {letters} у префіксі «{prefix}» виглядають як кириличні: "
            "табло покаже й озвучить їх як українські. Якщо це не задумано, введіть кириличні.",
            f"The Latin letters {letters} in prefix '{prefix}' look like Cyrillic ones: the "
            "hall shows and announces them as Ukrainian. If that is not meant, type Cyrillic ones.",
        )
    ]


def _ensure_nobody_waits(session: Session, service: Service) -> None:
    waiting = session.scalar(
        select(func.count(Ticket.id)).where(
            Ticket.service_id == service.id, Ticket.status == TicketStatus.WAITING
        )
    )
    if waiting:
        raise InvalidTransition(
            f"На послугу «{service.name_uk}» ще чекають {waiting} відвідувачів: вимкніть її, "
            "коли черга спорожніє (нові талони можна зупинити, прибравши її з годин роботи)",
            f"{waiting} visitors still wait for '{service.name_en or service.name_uk}': retire "
            "it when its line is empty",
            code="service_has_waiting",
        )


def _orphan_warnings(session: Session, branch_id: int) -> list[tuple[str, str]]:
    """Active services no active window serves: their tickets would never be called."""
    served = set(
        session.scalars(
            select(CounterService.service_id)
            .join(Counter, Counter.id == CounterService.counter_id)
            .where(Counter.branch_id == branch_id, Counter.active.is_(True))
        )
    )
    orphans = session.scalars(
        select(Service).where(
            Service.branch_id == branch_id, Service.active.is_(True), Service.id.not_in(served)
        )
    ).all()
    return [
        (
            f"Послугу «{s.name_uk}» не обслуговує жодне вікно: її талони ніхто не викличе",
            f"No window serves '{s.name_en or s.name_uk}': its tickets would never be called",
        )
        for s in orphans
    ]
