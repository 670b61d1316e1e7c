"""What the bot's commands do in the database: follow, leave the queue, cancel, "I'll be late".

Each is one write transaction; its answer to the chat goes through the outbox like every
other message (the sender paces it). A payload is checked here: unknown or ended → the chat
is told the link is not valid, and nothing is stored about it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Literal
from zoneinfo import ZoneInfo

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from cherha.core.booking_rules import format_code
from cherha.core.errors import DomainError, InvalidTransition, NotFound
from cherha.core.model import BookingStatus, EventType, TicketStatus

from ..auth import Principal
from ..store.booking_slots import window_of
from ..store.booking_upkeep import booking_event
from ..store.bookings import BookingOps
from ..store.clock import Clock
from ..store.db import Database
from ..store.issuing import estimate_for
from ..store.models import Booking, Branch, Service, Ticket
from ..store.notify_models import OutboxMessage, TelegramFollower
from ..store.tickets import TicketOps
from . import outbox
from .fanout import ticket_facts
from .links import Payload

FOLLOWABLE = (
    TicketStatus.WAITING.value,
    TicketStatus.CALLED.value,
    TicketStatus.SERVING.value,
    TicketStatus.NO_SHOW.value,
)
REMIND_BEFORE = {"reminder_day": timedelta(days=1), "reminder_hour": timedelta(hours=1)}


def reminder_too_late(kind: str, facts: dict[str, Any], now: datetime) -> bool:
    """Whether a reminder's words ("tomorrow", "in an hour") would no longer be true: less
    than half its lead is left before the visit (the server was down, or the Bot API was,
    when it fell due). Such a reminder is dropped unsent rather than sent wrong."""
    before = REMIND_BEFORE.get(kind)
    if before is None:
        return False
    return datetime.fromisoformat(facts["start"]) - now < before / 2


Result = Literal["followed", "invalid", "too_many"]


def bot_principal(branch_id: int) -> Principal:
    """How the event log names the bot's changes ("telegram:bot"); never a chat id."""
    return Principal(kind="telegram", id=0, name="bot", role="visitor", branch_id=branch_id)


@dataclass(frozen=True, slots=True)
class Chat:
    id: int
    language: str


class Followers:
    def __init__(
        self,
        db: Database,
        clock: Clock,
        tickets: TicketOps,
        bookings: BookingOps,
        *,
        ahead_alert: int,
        per_ticket: int,
    ) -> None:
        self.db = db
        self.clock = clock
        self.tickets = tickets
        self.bookings = bookings
        self.ahead_alert = ahead_alert
        self.per_ticket = per_ticket

    # -- following -------------------------------------------------------------------------

    def follow(self, chat: Chat, payload: Payload | None) -> Result:
        """Start following what the payload names, and answer with it at once."""
        branch_id = self._branch_of(payload) if payload is not None else None
        with self.db.write(branch_id) as session:
            now = self.clock()
            if payload is None or branch_id is None:
                return self._refuse(session, chat, now, "link_invalid")
            if payload.kind == "ticket":
                return self._follow_ticket(session, chat, payload.token, now)
            return self._follow_booking(session, chat, payload.token, now)

    def help(self, chat: Chat) -> None:
        with self.db.write(None) as session:
            self._refuse(session, chat, self.clock(), "help")

    def _branch_of(self, payload: Payload) -> int | None:
        with self.db.read() as session:
            if payload.kind == "ticket":
                query = select(Ticket.branch_id).where(Ticket.public_token == payload.token)
            else:
                query = select(Booking.branch_id).where(Booking.link_token == payload.token)
            return session.scalar(query)

    def _refuse(self, session: Session, chat: Chat, now: datetime, kind: str) -> Result:
        outbox.add_telegram(
            session, chat_id=chat.id, language=chat.language, kind=kind, facts={}, now=now
        )
        return "invalid" if kind == "link_invalid" else "too_many"

    def _follow_ticket(self, session: Session, chat: Chat, token: str, now: datetime) -> Result:
        ticket = session.scalars(select(Ticket).where(Ticket.public_token == token)).first()
        if ticket is None or ticket.status not in FOLLOWABLE:
            return self._refuse(session, chat, now, "link_invalid")
        follower = session.scalars(
            select(TelegramFollower).where(
                TelegramFollower.chat_id == chat.id, TelegramFollower.ticket_id == ticket.id
            )
        ).first()
        if follower is None:
            count = session.scalar(
                select(func.count(TelegramFollower.id)).where(
                    TelegramFollower.ticket_id == ticket.id
                )
            )
            if (count or 0) >= self.per_ticket:
                return self._refuse(session, chat, now, "too_many")
            follower = TelegramFollower(
                branch_id=ticket.branch_id,
                chat_id=chat.id,
                language=chat.language,
                ticket_id=ticket.id,
                booking_id=ticket.booking_id,
                created_at=now,
                near_sent=False,
            )
            session.add(follower)
            session.flush()
        follower.language = chat.language
        facts = ticket_facts(session, ticket, None)
        if ticket.status == TicketStatus.WAITING:
            facts["ahead"], facts["wait"], _inputs = estimate_for(session, ticket, now)
            if facts["ahead"] <= self.ahead_alert:
                follower.near_sent = True  # the answer already says how close it is
        self._answer(session, follower, "ticket_welcome", facts, now)
        return "followed"

    def _follow_booking(self, session: Session, chat: Chat, token: str, now: datetime) -> Result:
        booking = session.scalars(select(Booking).where(Booking.link_token == token)).first()
        if booking is None:
            return self._refuse(session, chat, now, "link_invalid")
        if booking.status == BookingStatus.CHECKED_IN.value and booking.ticket_id is not None:
            ticket = session.get(Ticket, booking.ticket_id)
            assert ticket is not None
            return self._follow_ticket(session, chat, ticket.public_token, now)
        if booking.status != BookingStatus.BOOKED.value:
            return self._refuse(session, chat, now, "link_invalid")
        follower = session.scalars(
            select(TelegramFollower).where(
                TelegramFollower.chat_id == chat.id, TelegramFollower.booking_id == booking.id
            )
        ).first()
        new = follower is None
        if follower is None:
            follower = TelegramFollower(
                branch_id=booking.branch_id,
                chat_id=chat.id,
                language=chat.language,
                booking_id=booking.id,
                created_at=now,
                near_sent=False,
            )
            session.add(follower)
            session.flush()
        follower.language = chat.language
        facts = booking_facts(session, booking)
        self._answer(session, follower, "booking_welcome", facts, now)
        if new:
            for kind, before in REMIND_BEFORE.items():
                due = booking.slot_start - before
                if due > now:
                    self._answer(session, follower, kind, facts, now, due_at=due)
        return "followed"

    def _answer(
        self,
        session: Session,
        follower: TelegramFollower,
        kind: str,
        facts: dict[str, Any],
        now: datetime,
        due_at: datetime | None = None,
    ) -> None:
        outbox.add_telegram(
            session,
            chat_id=follower.chat_id,
            language=follower.language,
            kind=kind,
            facts={**facts, "follower": follower.id},
            now=now,
            due_at=due_at,
            branch_id=follower.branch_id,
            ticket_id=follower.ticket_id,
            booking_id=follower.booking_id,
            follower_id=follower.id,
        )

    # -- buttons ---------------------------------------------------------------------------

    def follower(self, follower_id: int, chat_id: int) -> TelegramFollower:
        """The follower a button names, if it is this chat's (a button cannot be forged into
        another chat's ticket)."""
        with self.db.read() as session:
            found = session.get(TelegramFollower, follower_id)
        if found is None or found.chat_id != chat_id:
            raise NotFound("Ця кнопка вже не діє", "This button no longer works")
        return found

    def leave_queue(self, follower_id: int, chat_id: int) -> None:
        """Cancel the followed ticket (the same rule as a clerk's cancel: only while waiting)."""
        found = self.follower(follower_id, chat_id)
        if found.ticket_id is None:
            raise InvalidTransition("Талона ще немає", "There is no ticket yet")
        self.tickets.cancel(bot_principal(found.branch_id), found.ticket_id)

    def cancel_booking(self, follower_id: int, chat_id: int) -> None:
        """Cancel the followed booking with the cancel page's rules (not once its time came)."""
        found = self.follower(follower_id, chat_id)
        code = self._booking_code(found)
        self.bookings.cancel(bot_principal(found.branch_id), code, None)

    def running_late(self, follower_id: int, chat_id: int) -> None:
        """Note that the visitor will be late (an event staff and webhooks see) and tell the
        chat until when an arrival keeps the booking's place."""
        found = self.follower(follower_id, chat_id)
        if found.booking_id is None:
            raise InvalidTransition("Запису немає", "There is no booking")
        with self.db.write(found.branch_id) as session:
            now = self.clock()
            booking = session.get(Booking, found.booking_id)
            follower = session.get(TelegramFollower, found.id)
            if booking is None or follower is None:
                raise NotFound("Ця кнопка вже не діє", "This button no longer works")
            if booking.status != BookingStatus.BOOKED.value:
                raise InvalidTransition(
                    "Цей запис уже не чинний",
                    "This booking is no longer open",
                    code="booking_ended",
                )
            branch = session.get(Branch, booking.branch_id)
            assert branch is not None
            until = (booking.slot_start + window_of(branch).late).astimezone(
                ZoneInfo(branch.timezone)
            )
            booking_event(
                session, booking, EventType.BOOKING_RUNNING_LATE, now, bot_principal(branch.id)
            )
            self._answer(session, follower, "late_noted", {"until": f"{until:%H:%M}"}, now)

    def _booking_code(self, follower: TelegramFollower) -> str:
        with self.db.read() as session:
            booking = session.get(Booking, follower.booking_id) if follower.booking_id else None
            if booking is None:
                raise InvalidTransition("Запису немає", "There is no booking")
            return booking.code

    def forget_chat(self, chat_id: int) -> None:
        forget_chat(self.db, chat_id)

    def stop(self, chat: Chat) -> int:
        """/stop: forget this chat now (its followers and anything still to send it)."""
        with self.db.write(None) as session:
            now = self.clock()
            gone = session.execute(
                delete(TelegramFollower).where(TelegramFollower.chat_id == chat.id)
            )
            session.execute(
                delete(OutboxMessage).where(
                    OutboxMessage.chat_id == chat.id, OutboxMessage.state == outbox.PENDING
                )
            )
            self._refuse(session, chat, now, "stopped")
            return int(getattr(gone, "rowcount", 0) or 0)


def forget_chat(db: Database, chat_id: int) -> None:
    """The chat blocked the bot: forget it and what was still to be sent to it."""
    with db.write(None) as session:
        session.execute(delete(TelegramFollower).where(TelegramFollower.chat_id == chat_id))
        session.execute(
            delete(OutboxMessage).where(
                OutboxMessage.chat_id == chat_id, OutboxMessage.state == outbox.PENDING
            )
        )


ENDED_TICKET = (
    TicketStatus.DONE.value,
    TicketStatus.CANCELLED.value,
    TicketStatus.EXPIRED.value,
)


def forget_ended(db: Database, now: datetime) -> int:
    """Followers whose ticket or booking has ended, and Telegram messages that can no longer
    matter (due more than 12 hours ago): a chat id lives no longer than its visit.

    The events delete most of them at once (fanout.py); this catches the rest - a no-show
    left at the end of the day, a booking purged, a ticket of an earlier day.
    """
    with db.write(None) as session:
        ended_tickets = select(Ticket.id).where(
            (Ticket.status.in_(ENDED_TICKET)) | (Ticket.issued_at < now - timedelta(hours=24))
        )
        gone = session.execute(
            delete(TelegramFollower).where(TelegramFollower.ticket_id.in_(ended_tickets))
        )
        ended_bookings = select(Booking.id).where(Booking.status != BookingStatus.BOOKED.value)
        gone_b = session.execute(
            delete(TelegramFollower).where(
                TelegramFollower.ticket_id.is_(None),
                TelegramFollower.booking_id.in_(ended_bookings),
            )
        )
        session.execute(
            delete(OutboxMessage).where(
                OutboxMessage.channel == outbox.TELEGRAM,
                OutboxMessage.due_at < now - timedelta(hours=12),
            )
        )
        return int(getattr(gone, "rowcount", 0) or 0) + int(getattr(gone_b, "rowcount", 0) or 0)


def booking_facts(session: Session, booking: Booking) -> dict[str, Any]:
    service = session.get(Service, booking.service_id)
    branch = session.get(Branch, booking.branch_id)
    assert service is not None
    assert branch is not None
    zone = ZoneInfo(branch.timezone)
    window = window_of(branch)
    start = booking.slot_start.astimezone(zone)
    return {
        "code": format_code(booking.code),
        "service_uk": service.name_uk,
        "service_en": service.name_en,
        "branch_uk": branch.name_uk,
        "branch_en": branch.name_en,
        "start": start.isoformat(),
        "check_in_from": (start - window.early).isoformat(),
        "check_in_until": (start + window.late).isoformat(),
    }


def refusal_text(error: DomainError, language: str) -> str:
    return error.message_en if language == "en" else error.message_uk
