"""The event hook: which notifications an event makes, written in the event's transaction.

`record_event` (store/records.py) calls the hooks of its database for every event it adds, in
the same session; this one adds the outbox rows: Telegram messages to the chats following the
ticket or booking (a call, a recall, a pause …) and one delivery per webhook that asked for the
event. It also ends what ends with the event: a finished or cancelled ticket's followers are
deleted (a chat id lives only as long as its ticket or booking). The "few people ahead" notice
is not the event's but the queue's: a queue move only wakes the Telegram sender, which works it
out (near.py). Nothing here talks to the network; the senders do that after the commit.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, delete, select, text
from sqlalchemy.orm import Session
from sqlalchemy.orm.util import identity_key

from cherha.core.booking_rules import format_code
from cherha.core.model import TicketStatus

from ..store.db import after_commit
from ..store.issuing import estimate_for
from ..store.models import Booking, Counter, Event, Service, Ticket
from ..store.notify_models import OutboxMessage, TelegramFollower, Webhook
from ..store.statements import connection, fetch
from . import outbox

# Ticket events a follower hears about, as the message kind they make.
TICKET_NOTICES = {
    "ticket_called": "called",
    "ticket_recalled": "recalled",
    "ticket_transferred": "transferred",
    "ticket_no_show": "no_show",
    "ticket_returned": "returned",
    "ticket_finished": "finished",
    "ticket_cancelled": "cancelled",
}
# After these the ticket is over: its followers are forgotten.
TICKET_ENDS = {"ticket_finished", "ticket_cancelled", "ticket_expired"}
# These can bring waiting tickets closer to the front.
QUEUE_MOVES = {
    "ticket_called",
    "ticket_cancelled",
    "ticket_transferred",
    "ticket_no_show",
    "ticket_expired",
}
BOOKING_ENDS = {"booking_cancelled": "booking_cancelled", "booking_no_show": "booking_no_show"}
REMINDERS = ("reminder_day", "reminder_hour")
LIVE = (TicketStatus.WAITING.value, TicketStatus.CALLED.value)

PRINTER_FAULTS = {"paper_out", "cover_open", "offline", "error"}


def webhook_names(event: Event) -> set[str]:
    """The webhook event names an event answers to."""
    names: set[str] = {event.type}
    if event.type == "device_status" and event.data.get("printer") in PRINTER_FAULTS:
        names.add("printer_fault")
    return names


def webhook_body(event: Event, name: str) -> dict[str, Any]:
    """What a webhook receives: the event as the event stream has it (no personal data)."""
    return {
        "event_id": event.id,
        "type": name,
        "at": event.at.isoformat(),
        "branch_id": event.branch_id,
        "ticket_id": event.ticket_id,
        "counter_id": event.counter_id,
        "data": event.data,
    }


@dataclass(frozen=True, slots=True)
class Recipient:
    """A follower as a message to it needs it (read by a Core statement, no ORM object)."""

    id: int
    chat_id: int
    language: str
    branch_id: int
    ticket_id: int | None
    booking_id: int | None


RECIPIENT = select(
    TelegramFollower.id,
    TelegramFollower.chat_id,
    TelegramFollower.language,
    TelegramFollower.branch_id,
    TelegramFollower.ticket_id,
    TelegramFollower.booking_id,
)
_FOLLOWERS_OF_TICKET = RECIPIENT.where(TelegramFollower.ticket_id == bindparam("of_ticket"))
_FORGET = delete(TelegramFollower).where(
    TelegramFollower.id.in_(bindparam("of_followers", expanding=True))
)


def forget_followers(session: Session, ids: list[int]) -> None:
    """Delete these followers (their ticket is over): one prepared Core statement on the
    event's connection. As an ORM bulk delete built anew for each event it was, with the
    near notice's update (then the hook's), a fifth of what a call's notices cost in a profile
    (issue 18). A follower the session holds as an object leaves the session, as the ORM's
    delete had it."""
    connection(session).execute(_FORGET, {"of_followers": ids})
    for row in _held(session, ids):
        session.expunge(row)


def _held(session: Session, ids: list[int]) -> list[TelegramFollower]:
    found = (session.identity_map.get(identity_key(TelegramFollower, i)) for i in ids)
    return [row for row in found if isinstance(row, TelegramFollower)]


class WebhookDirectory:
    """The active webhooks, looked up at most every `ttl` seconds (a registration made in
    another process takes effect within that time)."""

    def __init__(self, ttl: float = 2.0, clock: Callable[[], float] = time.monotonic) -> None:
        self.ttl = ttl
        self.clock = clock
        self._hooks: list[tuple[int, frozenset[str]]] = []
        self._at = float("-inf")
        self._lock = threading.Lock()

    def invalidate(self) -> None:
        with self._lock:
            self._at = float("-inf")

    def active(self, session: Session) -> list[tuple[int, frozenset[str]]]:
        now = self.clock()
        with self._lock:
            if now - self._at < self.ttl:
                return self._hooks
        rows = session.execute(select(Webhook.id, Webhook.events).where(Webhook.active.is_(True)))
        hooks = [(int(i), frozenset(events or ())) for i, events in rows]
        with self._lock:
            self._hooks, self._at = hooks, now
        return hooks


class Fanout:
    """Called by `record_event` with the session and the new event."""

    def __init__(
        self,
        *,
        telegram: bool,
        ahead_alert: int,
        webhooks: WebhookDirectory,
        on_commit: Callable[[frozenset[str]], None],
        notify_channel: str | None = None,
    ) -> None:
        self.notify_channel = notify_channel
        self.telegram = telegram
        self.ahead_alert = ahead_alert
        self.webhooks = webhooks
        self.on_commit = on_commit

    def __call__(self, session: Session, event: Event) -> None:
        added: set[str] = set()
        if self.telegram and self._telegram(session, event):
            added.add(outbox.TELEGRAM)
        hooks = self.webhooks.active(session)
        if hooks and self._webhooks(session, event, hooks):
            added.add(outbox.WEBHOOK)
        if not added:
            return
        channels: set[str] | None = session.info.get("cherha_outbox")
        if channels is None:
            # Wake the senders once this transaction has committed (not before: a sender
            # could not see the rows yet) — only those with news: with a webhook taking every
            # event, waking the Telegram sender too had it look at its empty outbox for every
            # ticket issued.
            channels = session.info["cherha_outbox"] = set()
            after_commit(session, lambda: self.on_commit(frozenset(channels)))
            if self.notify_channel is not None:
                # PostgreSQL delivers it at commit: the other instances' senders wake too.
                session.execute(text("SELECT pg_notify(:c, '')"), {"c": self.notify_channel})
        channels |= added

    # -- webhooks ------------------------------------------------------------------------------

    def _webhooks(
        self, session: Session, event: Event, hooks: list[tuple[int, frozenset[str]]]
    ) -> bool:
        names = webhook_names(event)
        wanted = [(hook, name) for hook, events in hooks for name in sorted(names & events)]
        wanted += [(hook, event.type) for hook, events in hooks if "*" in events]
        if not wanted:
            return False
        if event.id is None:
            session.flush()  # the delivery carries the event's id
        for hook, name in dict.fromkeys(wanted):
            outbox.add_webhook(
                session,
                webhook_id=hook,
                kind=name,
                body=webhook_body(event, name),
                now=event.at,
                event_id=event.id,
                branch_id=event.branch_id,
            )
        return True

    # -- Telegram ------------------------------------------------------------------------------

    def _telegram(self, session: Session, event: Event) -> bool:
        kind = event.type
        if kind.startswith("booking_"):
            return self._booking(session, event)
        if kind in ("branch_paused", "branch_resumed"):
            return self._branch(session, event)
        if event.ticket_id is not None and (kind in TICKET_NOTICES or kind in TICKET_ENDS):
            sent = self._ticket(session, event)
            # A queue move may bring followed tickets close to the front: the Telegram sender
            # works out those notices from the queue (near.py), so it is woken.
            return sent or (self.ahead_alert > 0 and kind in QUEUE_MOVES)
        # Issued, started, paused and the like: no follower hears of them (not even read).
        return False

    def _ticket(self, session: Session, event: Event) -> bool:
        followers = [
            Recipient(*row)
            for row in connection(session).execute(
                _FOLLOWERS_OF_TICKET, {"of_ticket": event.ticket_id}
            )
        ]
        if not followers:
            return False
        notice = TICKET_NOTICES.get(event.type)
        if notice is not None:
            assert event.ticket_id is not None
            ticket = fetch(session, Ticket, event.ticket_id)
            assert ticket is not None
            facts = ticket_facts(session, ticket, event.counter_id)
            if notice == "transferred":
                facts["ahead"], facts["wait"], _inputs = estimate_for(session, ticket, event.at)
            for f in followers:
                send_notice(session, f, notice, {**facts, "follower": f.id}, event.at)
        if event.type in TICKET_ENDS:
            # The followers just read are all of the ticket's (same transaction).
            forget_followers(session, [f.id for f in followers])
        return notice is not None

    def _branch(self, session: Session, event: Event) -> bool:
        rows = session.execute(
            select(TelegramFollower, Ticket.number)
            .join(Ticket, Ticket.id == TelegramFollower.ticket_id)
            .where(Ticket.branch_id == event.branch_id, Ticket.status.in_(LIVE))
        ).all()
        notice = "paused" if event.type == "branch_paused" else "resumed"
        for follower, number in rows:
            facts = {"number": number, "reason": event.data.get("reason", "")}
            send_notice(session, follower, notice, facts, event.at)
        return bool(rows)

    def _booking(self, session: Session, event: Event) -> bool:
        booking_id = event.data.get("booking_id")
        if booking_id is None:
            return False
        followers = session.scalars(
            select(TelegramFollower).where(
                TelegramFollower.booking_id == booking_id, TelegramFollower.ticket_id.is_(None)
            )
        ).all()
        if not followers:
            return False
        booking = session.get(Booking, booking_id)
        assert booking is not None
        sent = False
        if event.type in BOOKING_ENDS or event.type == "booking_checked_in":
            forget_reminders(session, booking_id)
        if event.type in BOOKING_ENDS:
            for f in followers:
                code = format_code(booking.code)
                send_notice(session, f, BOOKING_ENDS[event.type], {"code": code}, event.at)
                session.delete(f)
            sent = True
        elif event.type == "booking_checked_in" and event.ticket_id is not None:
            ticket = session.get(Ticket, event.ticket_id)
            assert ticket is not None
            ahead, wait, _inputs = estimate_for(session, ticket, event.at)
            facts = {
                "code": format_code(booking.code),
                "number": ticket.number,
                "ahead": ahead,
                "wait": wait,
            }
            for f in followers:
                # The chat follows the visit on: from now on it hears the ticket's calls.
                f.ticket_id = ticket.id
                f.near_sent = ahead <= self.ahead_alert
                send_notice(session, f, "checked_in", {**facts, "follower": f.id}, event.at)
            sent = True
        return sent


def ticket_facts(session: Session, ticket: Ticket, counter_id: int | None) -> dict[str, Any]:
    """A ticket's number, service and window as a message needs them."""
    service = fetch(session, Service, ticket.service_id)
    assert service is not None
    facts: dict[str, Any] = {
        "number": ticket.number,
        "status": ticket.status,
        "service_uk": service.name_uk,
        "service_en": service.name_en,
    }
    counter_id = counter_id or ticket.counter_id
    counter = fetch(session, Counter, counter_id) if counter_id else None
    if counter is not None:
        facts.update(
            counter_number=counter.number,
            counter_name_uk=counter.name_uk,
            counter_name_en=counter.name_en,
        )
    return facts


def send_notice(
    session: Session,
    follower: TelegramFollower | Recipient,
    kind: str,
    facts: dict[str, Any],
    now: datetime,
) -> None:
    outbox.add_telegram(
        session,
        chat_id=follower.chat_id,
        language=follower.language,
        kind=kind,
        facts=facts,
        now=now,
        branch_id=follower.branch_id,
        ticket_id=follower.ticket_id,
        booking_id=follower.booking_id,
        follower_id=follower.id,
    )


def forget_reminders(session: Session, booking_id: int) -> None:
    session.execute(
        delete(OutboxMessage).where(
            OutboxMessage.booking_id == booking_id,
            OutboxMessage.channel == outbox.TELEGRAM,
            OutboxMessage.state == outbox.PENDING,
            OutboxMessage.kind.in_(REMINDERS),
        )
    )
