"""The reports' tables: projections of the events table, kept up to date by `report_fold`.

Nothing here is the truth: every row is derived from the append-only `events` table and can
be rebuilt from it (`cherha-server reports --rebuild`). They exist so that a month's report
reads tens of thousands of rows instead of a million events (docs/reports.md, "Speed").
What a report needs to stay as it was is copied into the rows when they are made: the
service's name and wait target at the time of the visit, the window's number, the clerk.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from .models import Base
from .types import BigId, UtcDateTime


class ReportCursor(Base):
    """How far the projections of one branch have read its events."""

    __tablename__ = "report_cursor"

    branch_id: Mapped[int] = mapped_column(ForeignKey("branches.id"), primary_key=True)
    last_event_id: Mapped[int] = mapped_column(BigId, default=0)
    folded_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)


class ReportVisit(Base):
    """One visit transaction: a ticket's time in one line, from joining it to its end.

    A ticket has one per line it stood in: `seq` 0 from issuing, 1, 2 … after each transfer
    (Qmatic's «visit transaction»). Times are UTC; `day`, `week`, `month`, `weekday`, `hour`
    are the branch's local calendar of joining, so a report groups by a plain column.
    """

    __tablename__ = "report_visits"
    __table_args__ = (
        UniqueConstraint("ticket_id", "seq"),
        Index("ix_report_visits_branch_day", "branch_id", "day"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    branch_id: Mapped[int] = mapped_column(ForeignKey("branches.id"))
    ticket_id: Mapped[int] = mapped_column(BigId)
    seq: Mapped[int] = mapped_column(Integer, default=0)
    number: Mapped[str] = mapped_column(String(16), default="")
    day: Mapped[date] = mapped_column(Date)
    week: Mapped[date] = mapped_column(Date)
    """The Monday of `day`'s week."""
    month: Mapped[date] = mapped_column(Date)
    """The first of `day`'s month."""
    weekday: Mapped[int] = mapped_column(Integer)
    """0 Monday … 6 Sunday."""
    hour: Mapped[int] = mapped_column(Integer)
    service_id: Mapped[int] = mapped_column(Integer)
    service_uk: Mapped[str] = mapped_column(String(200), default="")
    service_en: Mapped[str] = mapped_column(String(200), default="")
    target_minutes: Mapped[int | None] = mapped_column(Integer, nullable=True)
    lane: Mapped[str] = mapped_column(String(16), default="ordinary")
    source: Mapped[str] = mapped_column(String(16), default="walk_in")
    """walk_in, booking (checked in on time), booking_late (became a walk-in), transfer."""
    issued_at: Mapped[datetime] = mapped_column(UtcDateTime)
    joined_at: Mapped[datetime] = mapped_column(UtcDateTime)
    """When the wait starts: issued, the slot's start for a booking checked in early, or the
    transfer."""
    first_called_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    called_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    """The last call (a recall counts): the wait ends here."""
    started_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    ended_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    outcome: Mapped[str] = mapped_column(String(16), default="waiting")
    """waiting, called, serving (not ended yet); served, no_show, cancelled, expired,
    transferred."""
    counter_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    counter_number: Mapped[int | None] = mapped_column(Integer, nullable=True)
    clerk: Mapped[str] = mapped_column(String(80), default="")
    calls: Mapped[int] = mapped_column(Integer, default=0)
    recalls: Mapped[int] = mapped_column(Integer, default=0)
    out_of_order: Mapped[int] = mapped_column(Integer, default=0)
    returned: Mapped[int] = mapped_column(Integer, default=0)
    wait_seconds: Mapped[int | None] = mapped_column(Integer, nullable=True)
    service_seconds: Mapped[int | None] = mapped_column(Integer, nullable=True)
    estimate_minutes: Mapped[int | None] = mapped_column(Integer, nullable=True)
    """The estimate given when the ticket was issued (seq 0 only)."""
    people_ahead: Mapped[int | None] = mapped_column(Integer, nullable=True)
    finish_outcome: Mapped[str] = mapped_column(String(40), default="")
    """What came of the visit, from the centre's list, when the clerk gave one."""


class ReportBooking(Base):
    """One booking as its events tell it, by its slot's local calendar."""

    __tablename__ = "report_bookings"
    __table_args__ = (Index("ix_report_bookings_branch_day", "branch_id", "day"),)

    booking_id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=False)
    branch_id: Mapped[int] = mapped_column(ForeignKey("branches.id"))
    service_id: Mapped[int] = mapped_column(Integer)
    slot_start: Mapped[datetime] = mapped_column(UtcDateTime)
    day: Mapped[date] = mapped_column(Date)
    week: Mapped[date] = mapped_column(Date)
    month: Mapped[date] = mapped_column(Date)
    weekday: Mapped[int] = mapped_column(Integer)
    hour: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    channel: Mapped[str] = mapped_column(String(16), default="")
    state: Mapped[str] = mapped_column(String(16), default="booked")
    """booked, cancelled, checked_in, no_show."""
    on_time: Mapped[bool | None] = mapped_column(Boolean, nullable=True)
    ticket_id: Mapped[int | None] = mapped_column(BigId, nullable=True)


class ReportInterval(Base):
    """A stretch of time: a window open, a window on a break, the centre paused."""

    __tablename__ = "report_intervals"
    __table_args__ = (Index("ix_report_intervals_branch_kind", "branch_id", "kind", "started_at"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    branch_id: Mapped[int] = mapped_column(ForeignKey("branches.id"))
    kind: Mapped[str] = mapped_column(String(16))
    """open (a window serving), break (a window paused), pause (the whole centre)."""
    counter_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    counter_number: Mapped[int | None] = mapped_column(Integer, nullable=True)
    clerk: Mapped[str] = mapped_column(String(80), default="")
    reason: Mapped[str] = mapped_column(String(200), default="")
    started_at: Mapped[datetime] = mapped_column(UtcDateTime)
    ended_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)


class ReportDaily(Base):
    """A finished day of one service, summarised once: the open-data file reads these."""

    __tablename__ = "report_daily"

    branch_id: Mapped[int] = mapped_column(ForeignKey("branches.id"), primary_key=True)
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    service_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    service_uk: Mapped[str] = mapped_column(String(200), default="")
    service_en: Mapped[str] = mapped_column(String(200), default="")
    issued: Mapped[int] = mapped_column(Integer, default=0)
    served: Mapped[int] = mapped_column(Integer, default=0)
    waited: Mapped[int] = mapped_column(Integer, default=0)
    """Visits whose wait is known (they were called)."""
    wait_median_seconds: Mapped[int | None] = mapped_column(Integer, nullable=True)
    wait_p90_seconds: Mapped[int | None] = mapped_column(Integer, nullable=True)
    with_target: Mapped[int] = mapped_column(Integer, default=0)
    within_target: Mapped[int] = mapped_column(Integer, default=0)
    out_of_order: Mapped[int] = mapped_column(Integer, default=0)
