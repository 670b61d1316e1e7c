"""Benchmark: reports over a month of a busy centre, and the open-data file for a year.

1. **month** — 60,000 tickets in November 2026 (Monday to Saturday, 08:00–20:00, 40 windows,
   40 clerks, the sample centre's 10 services) with their whole lives as the store writes them:
   issued, called, recalled (10 %), started, finished, no-shows (5 %), cancelled (2 %),
   transferred (5 %, then called and served again), out-of-order calls (1 %), bookings made,
   checked in and missed, windows opening, breaking and closing, an air-raid pause every third
   day. The rest up to 1,000,000 events are events no report reads (kiosks' ``device_status``
   reports), so the events table has the size the issue names. Events are inserted directly (the store's
   own operations would take hours for a million), in time order, with the store's data.
2. **fold** — the projections built from nothing (``report_fold.rebuild``): a one-off, what a
   centre pays once after upgrading (then every minute only the new events).
3. **reports** — every report × every grouping in time × every breakdown it allows, for the
   whole month (``Reports.table``; the projections already up to date, as the server keeps
   them). Target: each < 1 s. Baseline in the same run: reading the month's ticket events
   from the events table alone (what any report would have to do without the projections).
4. **open data, a year** — the month's visits copied into the other eleven months (720,000
   visits), the finished days summarised (a one-off, timed), then ``GET
   /open-data/daily.csv?year=2026`` through the app. Target: < 2 s. Baseline in the same run:
   the same rows computed from the visits without the daily summaries.

Run: ``.venv/bin/python bench/bench_reports.py [--postgres] [--tickets 60000] [--events 1000000]``.
"""

from __future__ import annotations

import argparse
import math
import platform
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from datetime import time as clock_time
from functools import partial
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from fastapi.testclient import TestClient  # noqa: E402
from sqlalchemy import delete, func, insert, select  # noqa: E402

from cherha.core.model import EventType  # noqa: E402
from cherha.core.periods import Bucket, Period  # noqa: E402
from cherha.server.app import create_app  # noqa: E402
from cherha.server.settings import Settings  # noqa: E402
from cherha.server.store.centre import load_centre  # noqa: E402
from cherha.server.store.centre_file import SAMPLE_CENTRE, always_open, read_centre_file  # noqa: E402
from cherha.server.store.db import Database  # noqa: E402
from cherha.server.store.migrate import upgrade  # noqa: E402
from cherha.server.store.models import Event, Service  # noqa: E402
from cherha.server.store.report_daily import daily_rows  # noqa: E402
from cherha.server.store.report_fold import rebuild, summarise_days  # noqa: E402
from cherha.server.store.report_models import ReportDaily, ReportVisit  # noqa: E402
from cherha.server.store.report_query import ReportQuery  # noqa: E402
from cherha.server.store.reports import REPORTS, Reports  # noqa: E402
from tests.helpers.postgres import ThrowawayPostgres  # noqa: E402

ZONE = ZoneInfo("Europe/Kyiv")
MONTH = Period(date(2026, 11, 1), date(2026, 11, 30))
WINDOWS = 40
HOUR_WEIGHTS = [6, 9, 11, 11, 10, 9, 9, 9, 8, 7, 6, 5]  # 08:00 … 19:00


def working_days() -> list[date]:
    return [d for d in MONTH.dates() if d.weekday() != 6]


def at(day: date, minutes: float) -> datetime:
    return datetime.combine(day, clock_time(0), ZONE).astimezone(UTC) + timedelta(minutes=minutes)


class Month:
    """The events of a busy month, made in time order day by day."""

    def __init__(self, tickets: int, seed: int = 1) -> None:
        self.rng = random.Random(seed)
        self.tickets = tickets
        self.ticket_id = 0
        self.booking_id = 0
        self.count = 0

    def day_events(
        self, day: date, services: dict[int, tuple[str, str, str]], quota: int
    ) -> list[dict[str, Any]]:
        rng = self.rng
        out: list[tuple[datetime, int, dict[str, Any]]] = []
        seq = 0

        def add(
            moment: datetime,
            kind: str,
            ticket: int | None = None,
            counter: int | None = None,
            actor: str = "device:kiosk-1",
            **data: Any,
        ) -> None:
            nonlocal seq
            seq += 1
            out.append(
                (
                    moment,
                    seq,
                    {
                        "at": moment,
                        "branch_id": 1,
                        "type": kind,
                        "ticket_id": ticket,
                        "counter_id": counter,
                        "actor": actor,
                        "data": data,
                    },
                )
            )

        for window in range(1, WINDOWS + 1):
            clerk = f"user:clerk{window:02d}"
            at_window = {"counter_id": window, "counter_number": window}
            add(
                at(day, 8 * 60),
                "counter_open",
                counter=window,
                actor=clerk,
                state="open",
                **at_window,
            )
            add(
                at(day, 12 * 60 + window % 4 * 30),
                "counter_paused",
                counter=window,
                actor=clerk,
                state="paused",
                **at_window,
            )
            add(
                at(day, 12 * 60 + window % 4 * 30 + 30),
                "counter_open",
                counter=window,
                actor=clerk,
                state="open",
                **at_window,
            )
            add(
                at(day, 20 * 60),
                "counter_closed",
                counter=window,
                actor=clerk,
                state="closed",
                **at_window,
            )
        if day.day % 3 == 0:
            add(at(day, 11 * 60), "branch_paused", actor="user:admin", reason="Повітряна тривога")
            add(at(day, 11 * 60 + 30), "branch_resumed", actor="user:admin", paused_seconds=1800)
        ids = list(services)
        for _ in range(quota):
            self.ticket_id += 1
            tid = self.ticket_id
            hour = rng.choices(range(12), weights=HOUR_WEIGHTS)[0]
            issued = at(day, (8 + hour) * 60 + rng.uniform(0, 60))
            service = rng.choice(ids)
            _code, uk, en = services[service]
            lane = "priority" if rng.random() < 0.05 else "ordinary"
            number = f"А{tid % 1000:03d}"
            base: dict[str, Any] = {"number": number, "service_id": service, "lane": lane}
            booked = rng.random() < 0.15
            if booked:
                self.booking_id += 1
                slot = issued + timedelta(minutes=rng.uniform(0, 15))
                booking: dict[str, Any] = {
                    "booking_id": self.booking_id,
                    "service_id": service,
                    "slot_start": slot.isoformat(),
                    "status": "booked",
                }
                add(at(day, 6 * 60), "booking_created", actor="public", channel="online", **booking)
            add(
                issued,
                "ticket_issued",
                tid,
                status="waiting",
                people_ahead=rng.randint(0, 30),
                estimated_wait_minutes=rng.randint(0, 60),
                source="booking" if booked else "kiosk",
                service_name_uk=uk,
                service_name_en=en,
                wait_target_minutes=15,
                **base,
            )
            if booked:
                add(
                    issued,
                    "booking_checked_in",
                    tid,
                    actor="device:kiosk-1",
                    on_time=True,
                    **booking,
                )
            if rng.random() < 0.02:
                add(
                    issued + timedelta(minutes=rng.uniform(1, 20)),
                    "ticket_cancelled",
                    tid,
                    actor="user:admin",
                    status="cancelled",
                    **base,
                )
                continue
            window = rng.randint(1, WINDOWS)
            clerk = f"user:clerk{window:02d}"
            called = issued + timedelta(minutes=min(180.0, rng.expovariate(1 / 15)))
            ooo = rng.random() < 0.01
            add(
                called,
                "ticket_called",
                tid,
                window,
                clerk,
                status="called",
                counter_number=window,
                waited_seconds=int((called - issued).total_seconds()),
                **({"out_of_order": True} if ooo else {}),
                **base,
            )
            if rng.random() < 0.1:
                called += timedelta(minutes=1)
                add(
                    called,
                    "ticket_recalled",
                    tid,
                    window,
                    clerk,
                    status="called",
                    counter_number=window,
                    **base,
                )
            if rng.random() < 0.05:
                add(
                    called + timedelta(minutes=2),
                    "ticket_no_show",
                    tid,
                    window,
                    clerk,
                    status="no_show",
                    counter_number=window,
                    **base,
                )
                continue
            started = called + timedelta(seconds=30)
            add(
                started,
                "ticket_started",
                tid,
                window,
                clerk,
                status="serving",
                counter_number=window,
                **base,
            )
            took = timedelta(minutes=rng.lognormvariate(math.log(12) - 0.15, 0.55))
            if rng.random() < 0.05:
                to = rng.choice(ids)
                add(
                    started + took,
                    "ticket_transferred",
                    tid,
                    window,
                    clerk,
                    status="waiting",
                    counter_number=window,
                    from_service_id=service,
                    to_service_id=to,
                    to_service_name_uk=services[to][1],
                    to_service_name_en=services[to][2],
                    to_wait_target_minutes=15,
                    **base,
                )
                window2 = rng.randint(1, WINDOWS)
                again = started + took + timedelta(minutes=rng.expovariate(1 / 10))
                base2: dict[str, Any] = {**base, "service_id": to}
                add(
                    again,
                    "ticket_called",
                    tid,
                    window2,
                    f"user:clerk{window2:02d}",
                    status="called",
                    counter_number=window2,
                    **base2,
                )
                add(
                    again + timedelta(seconds=30),
                    "ticket_started",
                    tid,
                    window2,
                    f"user:clerk{window2:02d}",
                    status="serving",
                    counter_number=window2,
                    **base2,
                )
                add(
                    again + timedelta(minutes=8),
                    "ticket_finished",
                    tid,
                    window2,
                    f"user:clerk{window2:02d}",
                    status="done",
                    counter_number=window2,
                    **base2,
                )
                continue
            add(
                started + took,
                "ticket_finished",
                tid,
                window,
                clerk,
                status="done",
                counter_number=window,
                **base,
            )
        out.sort(key=lambda e: (e[0], e[1]))
        return [e[2] for e in out]


def insert_month(db: Database, tickets: int, events: int) -> int:
    with db.read() as session:
        services = {s.id: (s.code, s.name_uk, s.name_en) for s in session.scalars(select(Service))}
    days = working_days()
    month = Month(tickets)
    lifecycle: list[list[dict[str, Any]]] = []
    for index, day in enumerate(days):
        quota = tickets // len(days) + (1 if index < tickets % len(days) else 0)
        lifecycle.append(month.day_events(day, services, quota))
    made = sum(len(d) for d in lifecycle)
    filler_per_day = max(0, events - made) // len(days)
    total = 0
    for day, day_events in zip(days, lifecycle, strict=True):
        rows = day_events
        if filler_per_day:
            fill: list[dict[str, Any]] = [
                {
                    "at": at(day, 8 * 60 + i * 720 / filler_per_day),
                    "branch_id": 1,
                    "type": EventType.DEVICE_STATUS,
                    "ticket_id": None,
                    "counter_id": None,
                    "actor": "system",
                    "data": {},
                }
                for i in range(filler_per_day)
            ]
            rows = sorted([*day_events, *fill], key=lambda e: e["at"])
        for start in range(0, len(rows), 20_000):
            with db.engine.begin() as connection:
                connection.execute(insert(Event), rows[start : start + 20_000])
        total += len(rows)
    return total


def timed(action: Callable[[], Any], repeat: int = 1) -> tuple[float, Any]:
    best = math.inf
    result = None
    for _ in range(repeat):
        started = time.perf_counter()
        result = action()
        best = min(best, time.perf_counter() - started)
    return best, result


def copy_year(db: Database) -> int:
    """The month's visits copied into every other month of 2026 (shifted by whole weeks)."""
    columns = [c.name for c in ReportVisit.__table__.columns if c.name != "id"]
    with db.read() as session:
        rows = [
            dict(r._mapping)
            for r in session.execute(select(*[ReportVisit.__table__.c[c] for c in columns]))
        ]
    with db.write(None) as session:  # summarised again from nothing below, as after an upgrade
        session.execute(delete(ReportDaily).where(ReportDaily.branch_id == 1))
    made = 0
    for weeks in range(-44, 8, 4):
        if weeks == 0:
            continue
        shift = timedelta(weeks=weeks)
        copies = []
        for r in rows:
            c = dict(r)
            c["ticket_id"] = r["ticket_id"] + (weeks + 100) * 10_000_000
            for name in ("day", "week", "month"):
                c[name] = r[name] + shift
            c["month"] = c["day"].replace(day=1)
            for name in (
                "issued_at",
                "joined_at",
                "first_called_at",
                "called_at",
                "started_at",
                "ended_at",
            ):
                if c[name] is not None:
                    c[name] = c[name] + shift
            if c["day"].year == 2026:
                copies.append(c)
        for start in range(0, len(copies), 20_000):
            with db.engine.begin() as connection:
                connection.execute(insert(ReportVisit), copies[start : start + 20_000])
        made += len(copies)
    return made


def run(url: str, label: str, tickets: int, events: int) -> None:
    db = Database(url, sqlite_synchronous="OFF")
    upgrade(db.engine)
    load_centre(db, always_open(read_centre_file(SAMPLE_CENTRE)))
    print(f"\n== {label}: {url.split('@')[-1]}", flush=True)
    seconds, made = timed(lambda: insert_month(db, tickets, events))
    with db.read() as session:
        n_events = session.scalar(select(func.count(Event.id)))
    print(f"inserted {made:,} events ({n_events:,} in the table) in {seconds:.1f} s", flush=True)

    def clock() -> datetime:
        return datetime(2026, 12, 2, 10, 0, tzinfo=UTC)

    seconds, folded = timed(lambda: rebuild(db, 1, clock))
    with db.read() as session:
        visits = session.scalar(select(func.count(ReportVisit.id)))
    print(f"fold (one-off): {folded:,} events → {visits:,} visit transactions in {seconds:.1f} s")

    def raw_scan() -> int:
        start, end = MONTH.utc_range(ZONE)
        with db.read() as session:
            return len(
                session.execute(
                    select(Event.type, Event.ticket_id, Event.at, Event.data).where(
                        Event.branch_id == 1,
                        Event.at >= start,
                        Event.at < end,
                        Event.type.in_([t for t in EventType if t.startswith("ticket_")]),
                    )
                ).all()
            )

    baseline, scanned = timed(raw_scan)
    print(
        f"baseline: reading the month's ticket events from the events table ({scanned:,} rows): {baseline * 1000:.0f} ms"
    )
    reports = Reports(db, clock)
    results: list[tuple[str, str, str, float]] = []
    for spec in REPORTS.values():
        for bucket in Bucket:
            for breakdown in spec.breakdowns:
                q = ReportQuery(1, "Europe/Kyiv", MONTH, bucket, breakdown)
                seconds, _table = timed(partial(reports.table, spec.name, q), repeat=2)
                results.append((spec.name, bucket.value, breakdown.value, seconds))
    for spec in REPORTS.values():
        mine = [r[3] for r in results if r[0] == spec.name]
        worst = max(results, key=lambda r: r[3] if r[0] == spec.name else -1)
        print(
            f"  {spec.name:<14} {len(mine):>3} groupings: median {statistics.median(mine) * 1000:6.0f} ms, worst {max(mine) * 1000:6.0f} ms ({worst[1]}, {worst[2]})"
        )
    seconds, _plan = timed(lambda: reports.staffing(1, weekday=1, weeks=4), repeat=2)
    print(f"  staffing (Tuesday, 4 weeks): {seconds * 1000:.0f} ms")
    overall = max(r[3] for r in results)
    print(
        f"reports: worst of {len(results)} = {overall * 1000:.0f} ms (target < 1000 ms); baseline scan {baseline * 1000:.0f} ms"
    )

    seconds, copied = timed(lambda: copy_year(db))
    print(f"\nyear: {copied:,} more visits copied in {seconds:.1f} s")

    def year_clock() -> datetime:
        return datetime(2027, 1, 2, 10, 0, tzinfo=UTC)

    seconds, days = timed(lambda: summarise_days(db, 1, year_clock))
    print(f"summaries (one-off): {days} days in {seconds:.1f} s")

    def from_visits() -> int:
        with db.read() as session:
            return len(
                daily_rows(
                    session,
                    1,
                    date(2026, 1, 1),
                    date(2026, 12, 31),
                    {date(2026, 1, 1) + timedelta(days=i) for i in range(365)},
                )
            )

    baseline, n_rows = timed(from_visits)
    app = create_app(
        Settings(database_url=url, report_refresh_seconds=0, auto_migrate=False), clock=year_clock
    )
    client = TestClient(app)
    seconds, response = timed(
        lambda: client.get("/open-data/daily.csv", params={"year": 2026}), repeat=3
    )
    lines = response.text.count("\n")
    print(
        f"open data, a year: GET /open-data/daily.csv?year=2026 → {lines - 1:,} rows, {len(response.content) / 1024:.0f} KiB in {seconds * 1000:.0f} ms (target < 2000 ms); baseline from the visits without summaries ({n_rows:,} rows): {baseline * 1000:.0f} ms"
    )
    client.close()
    db.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--tickets", type=int, default=60_000)
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--postgres", action="store_true", help="also on a throwaway PostgreSQL")
    parser.add_argument("--only-postgres", action="store_true")
    args = parser.parse_args()
    print(
        f"Python {platform.python_version()} on {platform.machine()}, {args.tickets:,} tickets, {args.events:,} events"
    )
    if not args.only_postgres:
        with tempfile.TemporaryDirectory() as folder:
            run(f"sqlite:///{Path(folder) / 'bench.db'}", "SQLite", args.tickets, args.events)
    if args.postgres or args.only_postgres:
        cluster = ThrowawayPostgres().start()
        try:
            run(cluster.create_database("bench_reports"), "PostgreSQL", args.tickets, args.events)
        finally:
            cluster.stop()


if __name__ == "__main__":
    main()
