"""The database schema as typed SQLAlchemy 2 models. Alembic migrations follow this file."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    UniqueConstraint,
    text,
    true,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from cherha.core.model import BookingStatus, CounterState, EventType, Lane, TicketStatus

from ..auth import DeviceKind, Role
from .types import BigId, EnumText, UtcDateTime

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class Branch(Base):
    """One service centre (ЦНАП, its remote office, a vehicle service centre …)."""

    __tablename__ = "branches"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name_uk: Mapped[str] = mapped_column(String(200))
    name_en: Mapped[str] = mapped_column(String(200), default="")
    timezone: Mapped[str] = mapped_column(String(64), default="Europe/Kyiv")
    paused: Mapped[bool] = mapped_column(Boolean, default=False)
    pause_reason: Mapped[str] = mapped_column(String(200), default="")
    paused_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    priority_cap: Mapped[int] = mapped_column(Integer, default=3)
    recall_limit: Mapped[int] = mapped_column(Integer, default=2)
    no_show_return_minutes: Mapped[int] = mapped_column(Integer, default=30)
    returned_keeps_place: Mapped[bool] = mapped_column(Boolean, default=False)
    # Bookings (the centre file's [booking] table; docs/appointments.md).
    booking_slot_minutes: Mapped[int] = mapped_column(Integer, default=15, server_default="15")
    booking_horizon_days: Mapped[int] = mapped_column(Integer, default=14, server_default="14")
    booking_opens_hour: Mapped[int] = mapped_column(Integer, default=6, server_default="6")
    booking_kiosk_share: Mapped[float] = mapped_column(Float, default=0.33, server_default="0.33")
    booking_min_lead_minutes: Mapped[int] = mapped_column(Integer, default=30, server_default="30")
    booking_monthly_quota: Mapped[int] = mapped_column(Integer, default=4, server_default="4")
    booking_no_show_block: Mapped[int] = mapped_column(Integer, default=4, server_default="4")
    booking_no_show_window_days: Mapped[int] = mapped_column(
        Integer, default=90, server_default="90"
    )
    check_in_early_minutes: Mapped[int] = mapped_column(Integer, default=15, server_default="15")
    check_in_late_minutes: Mapped[int] = mapped_column(Integer, default=5, server_default="5")
    personal_data_days: Mapped[int] = mapped_column(Integer, default=30, server_default="30")
    # Displays (the centre file's [displays] table; docs/displays.md): the screens and how far
    # people read them from; a display's address may say otherwise.
    display_hall_diagonal_inches: Mapped[float] = mapped_column(
        Float, default=55.0, server_default="55"
    )
    display_hall_distance_m: Mapped[float] = mapped_column(Float, default=5.0, server_default="5")
    display_window_diagonal_inches: Mapped[float] = mapped_column(
        Float, default=24.0, server_default="24"
    )
    display_window_distance_m: Mapped[float] = mapped_column(Float, default=4.0, server_default="4")
    display_english_scale: Mapped[float] = mapped_column(Float, default=0.7, server_default="0.7")
    """English lines' size as a share of the Ukrainian (0.67–1); 0 hides them."""
    display_last_calls: Mapped[int] = mapped_column(Integer, default=8, server_default="8")
    priority_categories: Mapped[list[dict[str, str]]] = mapped_column(
        JSON, default=list, server_default="[]"
    )
    """The legal priority categories as visitors read them: [{"uk": …, "en": …}, …]."""
    open_data: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())
    """Publish the daily statistics at /open-data/ (docs/reports.md)."""


class Service(Base):
    __tablename__ = "services"
    __table_args__ = (UniqueConstraint("branch_id", "code"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    branch_id: Mapped[int] = mapped_column(ForeignKey("branches.id"))
    code: Mapped[str] = mapped_column(String(40))
    prefix: Mapped[str] = mapped_column(String(3))
    name_uk: Mapped[str] = mapped_column(String(200))
    name_en: Mapped[str] = mapped_column(String(200), default="")
    group_uk: Mapped[str] = mapped_column(String(200), default="")
    group_en: Mapped[str] = mapped_column(String(200), default="")
    short_name_uk: Mapped[str] = mapped_column(String(80), default="", server_default="")
    """What displays show where the full name is too long; empty: the full name."""
    short_name_en: Mapped[str] = mapped_column(String(80), default="", server_default="")
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    allow_priority: Mapped[bool] = mapped_column(Boolean, default=True)
    average_seconds: Mapped[float] = mapped_column(Float, default=600.0)
    position: Mapped[int] = mapped_column(Integer, default=0)
    bookable: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())
    slot_minutes: Mapped[int | None] = mapped_column(Integer, nullable=True)
    """Its own slot length; NULL: the branch's booking_slot_minutes."""
    wait_target_minutes: Mapped[int | None] = mapped_column(Integer, nullable=True)
    """The longest wait the centre aims for (the console alerts past it); NULL: none."""


class Counter(Base):
    """A window (вікно) where a clerk serves visitors."""

    __tablename__ = "counters"
    __table_args__ = (UniqueConstraint("branch_id", "number"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    branch_id: Mapped[int] = mapped_column(ForeignKey("branches.id"))
    number: Mapped[int] = mapped_column(Integer)
    name_uk: Mapped[str] = mapped_column(String(200), default="")
    name_en: Mapped[str] = mapped_column(String(200), default="")
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    state: Mapped[CounterState] = mapped_column(
        EnumText(CounterState, 16), default=CounterState.CLOSED
    )
    clerk_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    opened_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    priority_streak: Mapped[int] = mapped_column(Integer, default=0)
    # A break (state "paused"): why (core BreakReason) and since when.
    pause_reason: Mapped[str] = mapped_column(String(16), default="", server_default="")
    paused_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)


class CounterService(Base):
    __tablename__ = "counter_services"

    counter_id: Mapped[int] = mapped_column(ForeignKey("counters.id"), primary_key=True)
    service_id: Mapped[int] = mapped_column(ForeignKey("services.id"), primary_key=True)


class WorkingHours(Base):
    """Weekly opening intervals; service_id NULL means the whole branch."""

    __tablename__ = "working_hours"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    branch_id: Mapped[int] = mapped_column(ForeignKey("branches.id"))
    service_id: Mapped[int | None] = mapped_column(ForeignKey("services.id"), nullable=True)
    weekday: Mapped[int] = mapped_column(Integer)
    opens: Mapped[int] = mapped_column(Integer)
    closes: Mapped[int] = mapped_column(Integer)


class ScheduleException(Base):
    """A holiday or one-off change for one date; opens/closes NULL means closed all day."""

    __tablename__ = "schedule_exceptions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    branch_id: Mapped[int] = mapped_column(ForeignKey("branches.id"))
    service_id: Mapped[int | None] = mapped_column(ForeignKey("services.id"), nullable=True)
    day: Mapped[date] = mapped_column(Date)
    opens: Mapped[int | None] = mapped_column(Integer, nullable=True)
    closes: Mapped[int | None] = mapped_column(Integer, nullable=True)
    note: Mapped[str] = mapped_column(String(200), default="")


class NumberSeries(Base):
    """The last number given in one series (prefix, lane) on one local day."""

    __tablename__ = "number_series"

    branch_id: Mapped[int] = mapped_column(ForeignKey("branches.id"), primary_key=True)
    prefix: Mapped[str] = mapped_column(String(3), primary_key=True)
    lane: Mapped[Lane] = mapped_column(EnumText(Lane, 16), primary_key=True)
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    last: Mapped[int] = mapped_column(Integer)


_HANDED_TO_COUNTER = "status = 'waiting' AND target_counter_id IS NOT NULL"
_HANDED_TO_CLERK = "status = 'waiting' AND target_clerk_id IS NOT NULL"


class Ticket(Base):
    __tablename__ = "tickets"
    __table_args__ = (
        UniqueConstraint("branch_id", "day", "number"),
        # The waiting line: people ahead and the next to call read this index alone.
        Index("ix_tickets_line", "branch_id", "status", "service_id", "lane", "order_key", "id"),
        # Who is at a window: read by every call, recall, start and finish.
        Index("ix_tickets_at_window", "counter_id", "status"),
        # The waiting tickets in place order, whatever their service: the few placed after a
        # newcomer (bookings checked in early) are a short range of it (estimating.py).
        Index(
            "ix_tickets_waiting_order",
            "branch_id",
            "order_key",
            "id",
            "service_id",
            "lane",
            sqlite_where=text("status = 'waiting'"),
            postgresql_where=text("status = 'waiting'"),
        ),
        # Handed over to a window or to a clerk: the few call-next takes first (lines.heads;
        # without these it read every waiting ticket of the branch for every call).
        Index(
            "ix_tickets_to_counter",
            "target_counter_id",
            "order_key",
            "id",
            sqlite_where=text(_HANDED_TO_COUNTER),
            postgresql_where=text(_HANDED_TO_COUNTER),
        ),
        Index(
            "ix_tickets_to_clerk",
            "target_clerk_id",
            "order_key",
            "id",
            sqlite_where=text(_HANDED_TO_CLERK),
            postgresql_where=text(_HANDED_TO_CLERK),
        ),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    branch_id: Mapped[int] = mapped_column(ForeignKey("branches.id"))
    service_id: Mapped[int] = mapped_column(ForeignKey("services.id"))
    lane: Mapped[Lane] = mapped_column(EnumText(Lane, 16))
    number: Mapped[str] = mapped_column(String(16))
    sequence: Mapped[int] = mapped_column(Integer)
    day: Mapped[date] = mapped_column(Date)
    issued_at: Mapped[datetime] = mapped_column(UtcDateTime)
    order_key: Mapped[datetime] = mapped_column(UtcDateTime)
    status: Mapped[TicketStatus] = mapped_column(EnumText(TicketStatus, 16))
    counter_id: Mapped[int | None] = mapped_column(ForeignKey("counters.id"), nullable=True)
    recall_count: Mapped[int] = mapped_column(Integer, default=0)
    called_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    started_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    finished_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    no_show_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    public_token: Mapped[str] = mapped_column(String(64), unique=True)
    source: Mapped[str] = mapped_column(String(16), default="kiosk")
    device_id: Mapped[int | None] = mapped_column(ForeignKey("devices.id"), nullable=True)
    booking_id: Mapped[int | None] = mapped_column(BigId, nullable=True)
    """The booking this ticket was checked in for (bookings.ticket_id points back)."""
    # Handed over to one window or one clerk (called there next; core TicketState).
    target_counter_id: Mapped[int | None] = mapped_column(ForeignKey("counters.id"), nullable=True)
    target_clerk_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    # Staff only, never in an event (the event stream is public): the note for the next clerk
    # (or on finishing), who wrote it, the outcome code and a cancellation's reason.
    note: Mapped[str] = mapped_column(String(500), default="", server_default="")
    note_by: Mapped[str] = mapped_column(String(80), default="", server_default="")
    outcome: Mapped[str] = mapped_column(String(40), default="", server_default="")
    cancel_reason: Mapped[str] = mapped_column(String(200), default="", server_default="")
    estimated_wait_minutes: Mapped[int | None] = mapped_column(Integer, nullable=True)
    """The wait estimate printed on the ticket when it was issued (the reports compare it)."""


class WaitingLine(Base):
    """How many tickets wait in one lane of one service: kept by triggers on `tickets` in
    every transaction that writes a ticket (migration 0015_waiting_lines), so people ahead is
    a few rows read, not a count of the whole line. Never written by the application."""

    __tablename__ = "waiting_lines"

    branch_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    service_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    lane: Mapped[Lane] = mapped_column(EnumText(Lane, 16), primary_key=True)
    waiting: Mapped[int] = mapped_column(Integer)


class Outcome(Base):
    """What came of a visit, from the centre's short list (the centre file's [[outcomes]])."""

    __tablename__ = "outcomes"
    __table_args__ = (UniqueConstraint("branch_id", "code"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    branch_id: Mapped[int] = mapped_column(ForeignKey("branches.id"))
    code: Mapped[str] = mapped_column(String(40))
    name_uk: Mapped[str] = mapped_column(String(200))
    name_en: Mapped[str] = mapped_column(String(200), default="", server_default="")
    position: Mapped[int] = mapped_column(Integer, default=0)
    active: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())


class Event(Base):
    """Append-only history: every state change writes one row in its own transaction."""

    __tablename__ = "events"
    __table_args__ = (Index("ix_events_branch_id_id", "branch_id", "id"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    at: Mapped[datetime] = mapped_column(UtcDateTime)
    branch_id: Mapped[int] = mapped_column(ForeignKey("branches.id"))
    type: Mapped[EventType] = mapped_column(EnumText(EventType, 40))
    ticket_id: Mapped[int | None] = mapped_column(BigId, nullable=True)
    counter_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    actor: Mapped[str] = mapped_column(String(120), default="")
    data: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


class User(Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(80), unique=True)
    password_hash: Mapped[str] = mapped_column(String(200))
    role: Mapped[Role] = mapped_column(EnumText(Role, 16))
    display_name: Mapped[str] = mapped_column(String(200), default="")
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    may_call_out_of_order: Mapped[bool] = mapped_column(Boolean, default=False)


class AuthToken(Base):
    """A login session; only the SHA-256 of the bearer token is kept."""

    __tablename__ = "auth_tokens"

    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    expires_at: Mapped[datetime] = mapped_column(UtcDateTime)


class Device(Base):
    """A kiosk or a display; only the SHA-256 of its key is kept."""

    __tablename__ = "devices"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(80), unique=True)
    kind: Mapped[DeviceKind] = mapped_column(EnumText(DeviceKind, 16))
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    branch_id: Mapped[int] = mapped_column(ForeignKey("branches.id"))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    printer_status: Mapped[str] = mapped_column(
        String(20), default="unknown", server_default="unknown"
    )
    status_message: Mapped[str] = mapped_column(String(300), default="", server_default="")
    status_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    last_seen_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    """When the device last used its key (kept to the minute; the console's «not seen» alert)."""
    app_version: Mapped[str] = mapped_column(String(80), default="", server_default="")


class Booking(Base):
    """An appointment: a place in one slot of one service. Name and phone are purged later."""

    __tablename__ = "bookings"
    __table_args__ = (
        Index("ix_bookings_slot", "service_id", "slot_start"),
        Index("ix_bookings_phone_hash", "phone_hash"),
        Index("ix_bookings_branch_status", "branch_id", "status", "slot_start"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    branch_id: Mapped[int] = mapped_column(ForeignKey("branches.id"))
    service_id: Mapped[int] = mapped_column(ForeignKey("services.id"))
    slot_start: Mapped[datetime] = mapped_column(UtcDateTime)
    slot_end: Mapped[datetime] = mapped_column(UtcDateTime)
    code: Mapped[str] = mapped_column(String(12), unique=True)
    name: Mapped[str] = mapped_column(String(100), default="")
    phone: Mapped[str] = mapped_column(String(16), default="")
    phone_hash: Mapped[str] = mapped_column(String(64), default="")
    """Keyed SHA-256 of the phone: quotas and no-show blocks still count after the purge."""
    status: Mapped[BookingStatus] = mapped_column(EnumText(BookingStatus, 16))
    channel: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    ticket_id: Mapped[int | None] = mapped_column(ForeignKey("tickets.id"), nullable=True)
    checked_in_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    on_time: Mapped[bool | None] = mapped_column(Boolean, nullable=True)
    cancelled_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    cancel_reason: Mapped[str] = mapped_column(String(200), default="", server_default="")
    """Why the centre cancelled it (the visitor's page shows it); empty when they cancelled."""
    no_show_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    purged_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    link_token: Mapped[str | None] = mapped_column(String(32), nullable=True, unique=True)
    """Unguessable key of the booking's Telegram link (t.me/<bot>?start=b<token>)."""


class AuditEntry(Base):
    """Who did what outside the queue's own events: logins, accounts, devices, configuration.

    The queue's changes are in `events`; this table holds what an audit needs beside them
    (failed logins, a disabled user, a revoked key, a service edited with its before/after).
    It never holds a password, a token or a visitor's personal data.
    """

    __tablename__ = "audit_log"
    __table_args__ = (Index("ix_audit_log_at", "at"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    at: Mapped[datetime] = mapped_column(UtcDateTime)
    branch_id: Mapped[int | None] = mapped_column(ForeignKey("branches.id"), nullable=True)
    actor: Mapped[str] = mapped_column(String(120), default="")
    """`user:NAME`, `device:NAME`, `cli`, `system`, or `anonymous` (a failed login)."""
    action: Mapped[str] = mapped_column(String(40))
    """e.g. login, login_failed, logout, user_disabled, device_revoked, service_changed."""
    target: Mapped[str] = mapped_column(String(200), default="")
    address: Mapped[str] = mapped_column(String(64), default="")
    """The client's network address, where there is one."""
    data: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


class RequestKey(Base):
    """An `Idempotency-Key` and what its request made, remembered for the centre's local day.

    Unique per (branch, who asked, day, key): a repeat under the branch's write lock finds the
    row and answers with the same ticket or booking. `action = "abandoned"` is a key the device
    asked about after giving up, when it had made nothing: a late copy of it makes nothing.
    """

    __tablename__ = "request_keys"
    __table_args__ = (UniqueConstraint("branch_id", "scope", "day", "key"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    branch_id: Mapped[int] = mapped_column(ForeignKey("branches.id"))
    scope: Mapped[str] = mapped_column(String(40))
    """`device:ID`, `user:ID` or `public`."""
    day: Mapped[date] = mapped_column(Date)
    key: Mapped[str] = mapped_column(String(100))
    action: Mapped[str] = mapped_column(String(20))
    """ticket, booking, check_in or abandoned."""
    fingerprint: Mapped[str] = mapped_column(String(64), default="")
    """SHA-256 of what was asked (a key sent again with another request is refused)."""
    ticket_id: Mapped[int | None] = mapped_column(BigId, nullable=True)
    booking_id: Mapped[int | None] = mapped_column(BigId, nullable=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)


class Throttle(Base):
    """Failed attempts per key (`login:addr:…`, `login:user:…`, `code:device:…`), shared by
    every server instance: after the free attempts each failure doubles the wait."""

    __tablename__ = "throttles"

    key: Mapped[str] = mapped_column(String(200), primary_key=True)
    failures: Mapped[int] = mapped_column(Integer, default=0)
    last_failure_at: Mapped[datetime] = mapped_column(UtcDateTime)
    blocked_until: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)


class RateBucket(Base):
    """A token bucket per key (public bookings per address), shared by every instance."""

    __tablename__ = "rate_buckets"

    key: Mapped[str] = mapped_column(String(200), primary_key=True)
    tokens: Mapped[float] = mapped_column(Float)
    at: Mapped[datetime] = mapped_column(UtcDateTime)


class HealthProbe(Base):
    """One row per server instance, rewritten by /health: proof that a write can commit."""

    __tablename__ = "health_probes"

    instance: Mapped[str] = mapped_column(String(100), primary_key=True)
    at: Mapped[datetime] = mapped_column(UtcDateTime)


class SlotHold(Base):
    """A place in a booking slot kept for a visitor at a kiosk while they type their phone and
    name (a few minutes); the booking made with its token takes it, or it expires."""

    __tablename__ = "slot_holds"
    __table_args__ = (Index("ix_slot_holds_slot", "service_id", "slot_start"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    token: Mapped[str] = mapped_column(String(64), unique=True)
    branch_id: Mapped[int] = mapped_column(ForeignKey("branches.id"))
    service_id: Mapped[int] = mapped_column(ForeignKey("services.id"))
    slot_start: Mapped[datetime] = mapped_column(UtcDateTime)
    device_id: Mapped[int | None] = mapped_column(ForeignKey("devices.id"), nullable=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    expires_at: Mapped[datetime] = mapped_column(UtcDateTime)


# Notifications' tables (Telegram followers, the outbox, webhooks) live in their own module.
from . import notify_models as notify_models  # noqa: E402

# The reports' projections share this metadata (Alembic compares the whole schema).
from . import report_models  # noqa: E402, F401
