"""The desk's rules without Qt: what is on screen, and which actions make sense now."""

from __future__ import annotations

from dataclasses import dataclass

from cherha.client import ApiError, QueueClient, Unauthorized
from cherha.wire import Branch, ClerkTicket, Counter, Service, StaffToday, User


@dataclass(frozen=True, slots=True)
class OverviewRow:
    """One line of the live overview: a service this window serves."""

    service_id: int
    name: str
    waiting: int
    longest_wait_seconds: int


@dataclass(frozen=True, slots=True)
class Snapshot:
    """Everything the desk shows, read from the server in one go."""

    counters: list[Counter]
    services: list[Service]
    branch: Branch
    today: StaffToday
    current: ClerkTicket | None
    last_no_show: ClerkTicket | None


def held_counter(user_id: int, counters: list[Counter]) -> Counter | None:
    """The window this clerk holds (open or on a break), as the server sees it."""
    return next((c for c in counters if c.clerk_id == user_id and c.state != "closed"), None)


def read_snapshot(client: QueueClient, user_id: int, no_show_id: int | None) -> Snapshot:
    """Runs on a worker thread: the window held, its visitor, the last no-show, the figures."""
    counters = client.counters()
    held = held_counter(user_id, counters)
    current = None
    if held is not None and held.current is not None:
        current = client.staff_ticket(held.current.id)
    no_show = None
    if no_show_id is not None:
        try:
            candidate = client.staff_ticket(no_show_id)
        except Unauthorized:
            raise
        except ApiError:
            pass  # gone (another day, another database): nothing to return
        else:
            no_show = candidate if candidate.status == "no_show" else None
    return Snapshot(
        counters, client.services(), client.branch(), client.staff_today(), current, no_show
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
    counter: Counter | None,
    ticket: ClerkTicket | None,
    branch: Branch | None,
    has_no_show: bool,
) -> dict[str, bool]:
    """Action name -> can be done now. `ready`: logged in and no action under way."""
    mine = holds(user, counter)
    is_open = mine and counter is not None and counter.state == "open"
    called = ticket is not None and ticket.status == "called"
    at_desk = ticket is not None and ticket.status in ("called", "serving")
    paused = branch is not None and branch.paused
    recalls_left = ticket is not None and ticket.recall_count < ticket.recall_limit
    return {
        # a called visitor must be dealt with first; a served one is finished by the next call
        "call_next": ready and is_open and not called and not paused,
        "recall": ready and called and recalls_left and not paused,
        "start": ready and called,
        "finish": ready and at_desk,
        "no_show": ready and called,
        "transfer": ready and at_desk,
        "return": ready and has_no_show,
        "toggle_window": ready and counter is not None,
        "close_window": ready and mine and not at_desk,
        "choose_window": user is not None and not mine and ready,
        "language": True,
    }


def overview_rows(
    services: list[Service], counter: Counter | None, language: str
) -> list[OverviewRow]:
    served = set(counter.service_ids) if counter is not None else set()
    return [
        OverviewRow(s.id, s.name(language), s.waiting, s.longest_wait_seconds)
        for s in services
        if s.id in served
    ]
