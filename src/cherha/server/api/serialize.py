"""From store rows and views to the wire models (`cherha.wire`): the server's side of the API.

`build` fills a model's fields from the objects given, by name, so a field is declared once
(in `cherha.wire`) and only what is renamed or computed is written here.
"""

from __future__ import annotations

from functools import cache
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

from cherha import wire
from cherha.core.booking_rules import format_code, mask_phone
from cherha.core.model import BookingStatus

from ..auth import Principal
from ..store.booking_slots import window_of
from ..store.bookings import BookingView, CheckedIn
from ..store.clerk_view import ClerkView
from ..store.desk_views import StaffDayView
from ..store.issuing import Issued
from ..store.models import Booking, Branch, Service, Ticket
from ..store.views import BoardView, CounterView, ServiceView, TicketView

M = TypeVar("M", bound=wire.Reply)


@cache
def _field_names(model: type[wire.Reply]) -> tuple[str, ...]:
    return tuple(model.model_fields)  # a property that costs microseconds on every access


def build(model: type[M], *sources: object, **values: Any) -> M:
    """`model` with each field from `values`, else from the first source with that attribute."""
    for name in _field_names(model):
        if name not in values:
            for source in sources:
                if hasattr(source, name):
                    values[name] = getattr(source, name)
                    break
    return model.model_validate(values)


def _names(prefix: str, row: Service | Branch) -> dict[str, str]:
    return {f"{prefix}_name_uk": row.name_uk, f"{prefix}_name_en": row.name_en}


def user(p: Principal) -> wire.User:
    return build(wire.User, p, username=p.name)


def branch(b: Branch) -> wire.Branch:
    return build(
        wire.Branch,
        b,
        priority_categories=[
            wire.PriorityCategory(uk=str(p.get("uk", "")), en=str(p.get("en") or ""))
            for p in b.priority_categories or []
        ],
    )


def service(v: ServiceView) -> wire.Service:
    return build(
        wire.Service,
        v,
        v.service,
        average_service_minutes=round(v.service.average_seconds / 60, 1),
    )


def brief(t: Ticket) -> wire.TicketBrief:
    return wire.TicketBrief.model_validate(t, from_attributes=True)


def counter(v: CounterView) -> wire.Counter:
    return build(wire.Counter, v.counter, v, current=brief(v.current) if v.current else None)


def issued(i: Issued, base_url: str, telegram_url: str | None = None) -> wire.IssuedTicket:
    """`telegram_url`: the bot's link to follow this ticket, when the centre has a bot."""
    return build(
        wire.IssuedTicket,
        i,
        i.ticket,
        **_names("service", i.service),
        **_names("branch", i.branch),
        status_url=f"{base_url}/t/{i.ticket.public_token}",
        telegram_url=telegram_url,
    )


def clerk_booking(b: Booking | None, timezone: str) -> wire.ClerkBooking | None:
    """What the desk shows about a booked visitor: code, slot (local time), name, on time."""
    if b is None:
        return None
    return build(
        wire.ClerkBooking,
        b,
        code=format_code(b.code),
        start=b.slot_start.astimezone(ZoneInfo(timezone)),
        on_time=bool(b.on_time),
    )


def clerk_view(v: ClerkView) -> wire.ClerkTicket:
    """A ticket as a clerk's desk shows it, from what one transaction read."""
    t, b = v.ticket, v.branch
    waited_until = t.called_at or v.now
    return build(
        wire.ClerkTicket,
        t,
        **_names("service", v.service),
        counter_number=v.counter_number,
        waited_seconds=max(0, int((waited_until - t.issued_at).total_seconds())),
        recall_limit=b.recall_limit,
        booking=clerk_booking(v.booking, b.timezone),
        note=t.note,
        note_by=t.note_by,
        outcome=t.outcome,
        cancel_reason=t.cancel_reason,
        target_counter_id=t.target_counter_id,
        target_clerk_id=t.target_clerk_id,
    )


def ticket_status(v: TicketView) -> wire.PublicTicket:
    return build(
        wire.PublicTicket,
        v,
        v.ticket,
        **_names("service", v.service),
        **_names("branch", v.branch),
        branch_paused=v.branch.paused,
        branch_pause_reason=v.branch.pause_reason if v.branch.paused else "",
    )


def board(v: BoardView) -> wire.Board:
    return build(
        wire.Board,
        v,
        branch=branch(v.branch),
        current=[build(wire.Call, c) for c in v.current],
        last_calls=[build(wire.Call, c) for c in v.last_calls],
        services=[build(wire.BoardService, s, s.service) for s in v.services if s.service.active],
    )


def staff_today(day: StaffDayView) -> wire.StaffToday:
    average = day.average_service_seconds
    return build(
        wire.StaffToday,
        day,
        average_service_minutes=None if average is None else round(average / 60, 1),
    )


def booking(v: BookingView, base_url: str, telegram_url: str | None = None) -> wire.Booking:
    """`telegram_url`: the bot's link for reminders, offered while the booking stands."""
    b, window = v.booking, window_of(v.branch)
    tz = ZoneInfo(v.branch.timezone)
    start = b.slot_start.astimezone(tz)
    code = format_code(b.code)
    return build(
        wire.Booking,
        b,
        v,
        **_names("service", v.service),
        **_names("branch", v.branch),
        code=code,
        service_id=v.service.id,
        start=start,
        end=b.slot_end.astimezone(tz),
        phone_masked=mask_phone(b.phone),
        check_in_from=start - window.early,
        check_in_until=start + window.late,
        qr_url=f"{base_url}/book/qr/{code}.png",
        cancel_url=f"{base_url}/book/cancel?code={code}",
        telegram_url=telegram_url if b.status == BookingStatus.BOOKED else None,
    )


def check_in(done: CheckedIn, base_url: str, telegram_url: str | None = None) -> wire.CheckIn:
    """The checked-in booking's ticket, where it stands, and a message for the visitor."""
    number = done.issued.ticket.number
    late = int(window_of(done.issued.branch).late.total_seconds() // 60)
    if done.on_time:
        uk = f"Ви зареєструвалися вчасно: ваш талон {number} займає місце вашого запису"
        en = f"You are on time: ticket {number} keeps your booking's place in line"
    else:
        uk = (
            f"Ви запізнилися більш ніж на {late} хв, тому талон {number} — у загальну "
            "чергу, за часом реєстрації"
        )
        en = f"You are more than {late} min late, so ticket {number} joins the general queue as of now"
    booked = clerk_booking(done.booking, done.issued.branch.timezone)
    return build(
        wire.CheckIn,
        issued(done.issued, base_url, telegram_url),
        booking=build(wire.CheckInBooking, booked, on_time=done.on_time),
        message=uk,
        message_en=en,
    )


def booking_rules(b: Branch, service_slot_minutes: int | None) -> wire.BookingRules:
    """The branch's `booking_*` settings by their names without the prefix; a service's own
    slot length over the branch's."""
    settings = {
        name: getattr(b, f"booking_{name}")
        for name in wire.BookingRules.model_fields
        if hasattr(b, f"booking_{name}")
    }
    settings["slot_minutes"] = service_slot_minutes or settings["slot_minutes"]
    return build(wire.BookingRules, b, **settings)
