"""Tables of notifications: Telegram followers, the outbox, webhooks (docs/notifications.md).

Imported at the end of `models.py`, so `Base.metadata` (and Alembic) always sees them.

A chat id is personal data: it lives in `telegram_followers` only while its ticket or booking
lives, and in `outbox` only until its message is sent; it is never written to `events`.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    ForeignKey,
    Index,
    Integer,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from .models import Base
from .types import BigId, UtcDateTime


class TelegramFollower(Base):
    """One Telegram chat following one ticket or one booking (never both unknown)."""

    __tablename__ = "telegram_followers"
    __table_args__ = (
        UniqueConstraint("chat_id", "ticket_id", name="uq_telegram_followers_chat_ticket"),
        UniqueConstraint("chat_id", "booking_id", name="uq_telegram_followers_chat_booking"),
        Index("ix_telegram_followers_ticket", "ticket_id"),
        Index("ix_telegram_followers_booking", "booking_id"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    branch_id: Mapped[int] = mapped_column(ForeignKey("branches.id"))
    chat_id: Mapped[int] = mapped_column(BigInteger)
    language: Mapped[str] = mapped_column(String(2), default="uk")
    ticket_id: Mapped[int | None] = mapped_column(ForeignKey("tickets.id"), nullable=True)
    booking_id: Mapped[int | None] = mapped_column(ForeignKey("bookings.id"), nullable=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    near_sent: Mapped[bool] = mapped_column(Boolean, default=False)
    """The "N people ahead" message went out (it is sent once)."""


class OutboxMessage(Base):
    """One notification to deliver: a Telegram message or a webhook delivery.

    Written in the transaction of the change that causes it; a sender claims due rows
    (`state` pending → sending, with a lease), delivers them and marks them. Telegram rows are
    deleted once sent (they hold a chat id); webhook rows stay as the delivery log.
    """

    __tablename__ = "outbox"
    __table_args__ = (
        Index("ix_outbox_due", "channel", "state", "priority", "due_at"),
        Index("ix_outbox_booking", "booking_id"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    channel: Mapped[str] = mapped_column(String(16))
    """telegram or webhook"""
    kind: Mapped[str] = mapped_column(String(40))
    """What to say (telegram: called, near, reminder_day …) or the event type (webhook)."""
    priority: Mapped[int] = mapped_column(Integer, default=1)
    """0 goes first (a call), 2 last (reminders)."""
    state: Mapped[str] = mapped_column(String(16), default="pending")
    """pending, sending (claimed), sent, failed"""
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    due_at: Mapped[datetime] = mapped_column(UtcDateTime)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    lease_until: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    sent_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    last_status: Mapped[int | None] = mapped_column(Integer, nullable=True)
    last_error: Mapped[str] = mapped_column(String(300), default="")
    branch_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    chat_id: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    language: Mapped[str] = mapped_column(String(2), default="uk")
    webhook_id: Mapped[int | None] = mapped_column(ForeignKey("webhooks.id"), nullable=True)
    event_id: Mapped[int | None] = mapped_column(BigId, nullable=True)
    ticket_id: Mapped[int | None] = mapped_column(BigId, nullable=True)
    booking_id: Mapped[int | None] = mapped_column(BigId, nullable=True)
    follower_id: Mapped[int | None] = mapped_column(BigId, nullable=True)
    payload: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


class Webhook(Base):
    """A URL of another system that receives signed event deliveries."""

    __tablename__ = "webhooks"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    url: Mapped[str] = mapped_column(String(500))
    secret: Mapped[str] = mapped_column(String(100))
    """The HMAC-SHA256 key; kept as is because every delivery is signed with it."""
    events: Mapped[list[str]] = mapped_column(JSON, default=list)
    description: Mapped[str] = mapped_column(String(200), default="")
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
