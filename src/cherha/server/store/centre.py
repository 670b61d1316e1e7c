"""A centre in the database: load a whole centre file, or export the current set-up as one.

Loading applies the same steps the console's single edits use (`store/config.py`), so a centre
file and the console can never disagree on what a service or a window is. Reading and writing
the file itself is `store/centre_file.py`.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from cherha.core.schedule import Interval

from .audit import record_audit
from .centre_file import (
    BookingSpec,
    CentreFile,
    CentreSpec,
    ExceptionSpec,
    HoursSpec,
    ServiceSpec,
    WindowSpec,
    format_interval,
)
from .clock import utcnow
from .config import (
    apply_booking,
    apply_centre,
    hours_spec,
    replace_exceptions,
    replace_hours,
    upsert_service,
    upsert_window,
)
from .db import Database
from .models import Branch, Counter, CounterService, ScheduleException, Service, WorkingHours


def load_centre(db: Database, spec: CentreFile, *, actor: str = "cli") -> int:
    """Create or update the centre in one transaction; returns the branch id.

    Services are matched by code and windows by number; a service or a window the file no
    longer lists is retired (kept for history), never deleted. The audit log keeps the centre
    as it was and as it became.
    """
    with db.write(None) as session:
        c = spec.centre
        branch = session.scalars(select(Branch).where(Branch.code == c.code)).first()
        before = None if branch is None else centre_spec(session, branch).model_dump(mode="json")
        if branch is None:
            branch = Branch(code=c.code, paused=False, pause_reason="")
            session.add(branch)
        apply_centre(branch, c)
        apply_booking(branch, spec.booking)
        session.flush()

        services: dict[str, Service] = {}
        for position, s in enumerate(spec.services):
            services[s.code] = upsert_service(
                session, branch.id, s, position, new_only_average=True
            )
        for row in session.scalars(select(Service).where(Service.branch_id == branch.id)):
            if row.code not in services:
                row.active = False  # kept for history; tickets refer to it
        listed = set()
        for w in spec.windows:
            upsert_window(session, branch.id, w, [services[code].id for code in w.services])
            listed.add(w.number)
        for counter in session.scalars(select(Counter).where(Counter.branch_id == branch.id)):
            if counter.number not in listed:
                counter.active = False

        replace_hours(session, branch.id, None, spec.hours)
        for s in spec.services:
            replace_hours(session, branch.id, services[s.code].id, s.hours)
        replace_exceptions(
            session,
            branch.id,
            [(services[e.service].id if e.service else None, e) for e in spec.exceptions],
        )
        session.flush()
        record_audit(
            session,
            at=utcnow(),
            actor=actor,
            action="centre_loaded",
            target=f"centre:{c.code}",
            branch_id=branch.id,
            data={"before": before, "after": centre_spec(session, branch).model_dump(mode="json")},
        )
        return branch.id


def export_centre(db: Database, branch_id: int) -> CentreFile:
    """The branch's current set-up as a centre file (what `centre_toml` writes out)."""
    with db.read() as session:
        branch = session.get(Branch, branch_id)
        assert branch is not None
        return centre_spec(session, branch)


def centre_spec(session: Session, branch: Branch) -> CentreFile:
    services = list(
        session.scalars(
            select(Service)
            .where(Service.branch_id == branch.id)
            .order_by(Service.position, Service.id)
        )
    )
    codes = {s.id: s.code for s in services}
    weekly: dict[int | None, list[WorkingHours]] = defaultdict(list)
    for row in session.scalars(
        select(WorkingHours)
        .where(WorkingHours.branch_id == branch.id)
        .order_by(WorkingHours.weekday, WorkingHours.opens)
    ):
        weekly[row.service_id].append(row)
    dated: dict[tuple[date, int | None], list[ScheduleException]] = defaultdict(list)
    for exc in session.scalars(
        select(ScheduleException)
        .where(ScheduleException.branch_id == branch.id)
        .order_by(ScheduleException.day, ScheduleException.id)
    ):
        dated[(exc.day, exc.service_id)].append(exc)
    links: dict[int, list[str]] = defaultdict(list)
    for counter_id, service_id in session.execute(
        select(CounterService.counter_id, CounterService.service_id)
        .join(Service, Service.id == CounterService.service_id)
        .order_by(Service.position, Service.id)
    ):
        links[counter_id].append(codes[service_id])
    windows = [
        WindowSpec(
            number=c.number,
            # A default name is left out, as a centre file would leave it.
            name_uk="" if c.name_uk == f"Вікно {c.number}" else c.name_uk,
            name_en="" if c.name_en == f"Window {c.number}" else c.name_en,
            services=links[c.id],
        )
        for c in session.scalars(
            select(Counter)
            .where(Counter.branch_id == branch.id, Counter.active.is_(True))
            .order_by(Counter.number)
        )
        if links[c.id]
    ]
    return CentreFile(
        centre=CentreSpec(
            code=branch.code,
            name_uk=branch.name_uk,
            name_en=branch.name_en,
            timezone=branch.timezone,
            priority_cap=branch.priority_cap,
            recall_limit=branch.recall_limit,
            no_show_return_minutes=branch.no_show_return_minutes,
            returned_keeps_place=branch.returned_keeps_place,
        ),
        booking=booking_spec(branch),
        hours=hours_spec(weekly.get(None, [])) or HoursSpec(),
        exceptions=[
            ExceptionSpec(
                date=day,
                hours=[
                    format_interval(Interval(e.opens, e.closes))
                    for e in rows
                    if e.opens is not None and e.closes is not None
                ],
                note=rows[0].note,
                service=codes[service_id] if service_id else None,
            )
            for (day, service_id), rows in dated.items()
        ],
        services=[service_spec(s, hours_spec(weekly.get(s.id, []))) for s in services],
        windows=windows,
    )


def service_spec(s: Service, hours: HoursSpec | None) -> ServiceSpec:
    return ServiceSpec(
        code=s.code,
        prefix=s.prefix,
        name_uk=s.name_uk,
        name_en=s.name_en,
        group_uk=s.group_uk,
        group_en=s.group_en,
        average_minutes=round(s.average_seconds / 60, 2),
        allow_priority=s.allow_priority,
        active=s.active,
        hours=hours,
        bookable=s.bookable,
        slot_minutes=s.slot_minutes,
        wait_target_minutes=s.wait_target_minutes,
    )


def booking_spec(b: Branch) -> BookingSpec:
    return BookingSpec(
        slot_minutes=b.booking_slot_minutes,
        horizon_days=b.booking_horizon_days,
        opens_hour=b.booking_opens_hour,
        kiosk_share=b.booking_kiosk_share,
        min_lead_minutes=b.booking_min_lead_minutes,
        monthly_quota=b.booking_monthly_quota,
        no_show_block=b.booking_no_show_block,
        no_show_window_days=b.booking_no_show_window_days,
        check_in_early_minutes=b.check_in_early_minutes,
        check_in_late_minutes=b.check_in_late_minutes,
        personal_data_days=b.personal_data_days,
    )
