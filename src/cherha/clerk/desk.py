"""The desk's rules without Qt: what is read from the server, which actions make sense now,
what the idle panel says, the waiting list's rows, the visit's timer."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from cherha.client import ApiError, QueueClient, Unauthorized
from cherha.wire import (
    Branch,
    ClerkAtWork,
    ClerkTicket,
    Counter,
    DeviceFault,
    NoShow,
    Outcome,
    Service,
    StaffToday,
    User,
    WaitingList,
)


@dataclass(frozen=True, slots=True)
class Snapshot:
    """Everything the desk shows, read from the server in one go (on a worker thread)."""

    counters: list[Counter]
    services: list[Service]
    branch: Branch
    today: StaffToday
    current: ClerkTicket | None
    waiting: WaitingList | None
    no_shows: list[NoShow]
    faults: list[DeviceFault]
    at_work: list[ClerkAtWork]
    outcomes: list[Outcome] | None
    """None: not read this time (they change rarely; read at login)."""


def held_counter(user_id: int, counters: Sequence[Counter]) -> Counter | None:
    """The window this clerk holds (open or on a break), as the server sees it."""
    return next((c for c in counters if c.clerk_id == user_id and c.state != "closed"), None)


def read_snapshot(
    client: QueueClient, user_id: int, chosen_counter: int | None, with_outcomes: bool
) -> Snapshot:
    """The window held (else the one chosen), its visitor, its line, the figures, the faults."""
    counters = client.counters()
    held = held_counter(user_id, counters)
    counter_id = held.id if held is not None else chosen_counter
    current = None
    if held is not None and held.current is not None:
        try:
            current = client.staff_ticket(held.current.id)
        except Unauthorized:
            raise
        except ApiError:
            current = None  # gone between the two reads: the next refresh knows
    waiting = client.waiting_list(counter_id) if counter_id is not None else None
    no_shows = client.no_shows(counter_id) if counter_id is not None else []
    return Snapshot(
        counters=counters,
        services=client.services(),
        branch=client.branch(),
        today=client.staff_today(),
        current=current,
        waiting=waiting,
        no_shows=no_shows,
        faults=client.device_faults(),
        at_work=client.clerks_at_work(),
        outcomes=client.outcomes() if with_outcomes else None,
    )


def holds(user: User | None, counter: Counter | None) -> bool:
    return (
        user is not None
        and counter is not None
        and counter.clerk_id == user.id
        and counter.state != "closed"
    )


def available_actions(
    *,
    user: User | None,
    ready: bool,
    online: bool = True,
    counter: Counter | None,
    ticket: ClerkTicket | None,
    branch: Branch | None,
    has_no_show: bool,
    selected: int | None = None,
) -> dict[str, bool]:
    """Action name -> can be done now. `ready`: logged in and no action under way; `online`:
    the server is reachable (offline, nothing that needs it is offered); `selected`: the
    ticket chosen in the waiting list."""
    can = ready and online
    mine = holds(user, counter)
    is_open = mine and counter is not None and counter.state == "open"
    called = ticket is not None and ticket.status == "called"
    at_desk = ticket is not None and ticket.status in ("called", "serving")
    paused = branch is not None and branch.paused
    recalls_left = ticket is not None and ticket.recall_count < ticket.recall_limit
    may_pick = user is not None and (user.may_call_out_of_order or user.role == "admin")
    return {
        # a called visitor must be dealt with first; a served one is finished by the next call
        "call_next": can and is_open and not called and not paused,
        "recall": can and called and recalls_left and not paused,
        "start": can and called,
        "finish": can and at_desk,
        "no_show": can and called,
        "transfer": can and at_desk,
        "return": can and has_no_show,
        "toggle_window": can and counter is not None,
        "close_window": can and mine and not at_desk,
        "waiting_list": user is not None,
        "cancel": can and (called or selected is not None),
        "call_selected": can
        and may_pick
        and is_open
        and not called
        and not paused
        and selected is not None,
        "choose_window": can and user is not None and not mine,
        "logout": ready and user is not None,
        "language": True,
    }


def idle_hint(
    *,
    online: bool,
    counter: Counter | None,
    mine: bool,
    branch: Branch | None,
) -> str:
    """The words under "no visitor": what the clerk can do now (never a key that is off)."""
    if not online:
        return "idle.offline"
    if branch is not None and branch.paused:
        return "idle.branch_paused"
    if counter is None:
        return "idle.choose_window"
    if not mine:
        return "idle.open_window"
    if counter.state == "paused":
        return "idle.on_break"
    return "idle.call"


def zone(timezone: str | None) -> ZoneInfo:
    try:
        return ZoneInfo(timezone or "Europe/Kyiv")
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("Europe/Kyiv")


def local_time(moment: datetime, timezone: str | None) -> str:
    """HH:MM in the branch's time zone (not the desk PC's)."""
    return moment.astimezone(zone(timezone)).strftime("%H:%M")


@dataclass(frozen=True, slots=True)
class WaitingRow:
    """One line of the waiting list as shown: all plain text, from the server's data."""

    ticket_id: int
    number: str
    service: str
    waited_seconds: int
    priority: bool
    handed_over: bool
    booking: str
    """«10:00 · name» for a booked visitor, else empty."""
    note: str


def waiting_rows(
    waiting: WaitingList | None, services: Sequence[Service], language: str, timezone: str | None
) -> list[WaitingRow]:
    if waiting is None:
        return []
    names = {s.id: s.name(language) for s in services}
    rows = []
    for t in waiting.tickets:
        booking = ""
        if t.booking is not None:
            booking = " · ".join(
                part for part in (local_time(t.booking.start, timezone), t.booking.name) if part
            )
        rows.append(
            WaitingRow(
                ticket_id=t.id,
                number=t.number,
                service=names.get(t.service_id, str(t.service_id)),
                waited_seconds=t.waited_seconds,
                priority=t.lane == "priority",
                handed_over=t.handed_over,
                booking=booking,
                note=t.note,
            )
        )
    return rows


Pause = tuple[datetime, datetime | None]
"""A branch pause the desk saw: its start and end (None: still on)."""


@dataclass(frozen=True, slots=True)
class TimerReading:
    kind: str  # "called" | "serving" | ""
    seconds: int
    frozen: bool
    """The branch is paused: the visit's clock stands still."""


def timer_reading(
    ticket: ClerkTicket | None, now: datetime, pauses: Sequence[Pause]
) -> TimerReading:
    """How long the visitor has been called / served, not counting air-raid pauses."""
    if ticket is None:
        return TimerReading("", 0, False)
    if ticket.status == "serving" and ticket.started_at is not None:
        kind, since = "serving", ticket.started_at
    elif ticket.called_at is not None:
        kind, since = "called", ticket.called_at
    else:
        return TimerReading("", 0, False)
    stopped = timedelta()
    frozen = False
    for start, end in pauses:
        until = now if end is None else end
        frozen = frozen or end is None
        overlap = min(until, now) - max(start, since)
        if overlap > timedelta():
            stopped += overlap
    return TimerReading(kind, max(0, int((now - since - stopped).total_seconds())), frozen)
