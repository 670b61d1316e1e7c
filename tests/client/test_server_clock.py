"""The server's time from the `Date` header: a desk PC with a wrong clock still times visits right."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from cherha.client import QueueClient, ServerClock
from tests.helpers.app import Centre, ThreadedServer

NOON = datetime(2026, 11, 24, 10, 0, tzinfo=UTC)


def fixed(at: datetime) -> ServerClock:
    return ServerClock(lambda: at)


def test_a_clock_minutes_off_is_corrected() -> None:
    clock = fixed(NOON)
    clock.note("Tue, 24 Nov 2026 09:53:00 GMT", NOON)  # this PC runs 7 minutes fast
    assert clock.offset == timedelta(minutes=-7, milliseconds=500)
    assert abs(clock.now() - datetime(2026, 11, 24, 9, 53, tzinfo=UTC)) <= timedelta(seconds=1)


def test_within_the_header_s_precision_nothing_moves() -> None:
    clock = fixed(NOON)
    clock.note("Tue, 24 Nov 2026 10:00:01 GMT", NOON)
    clock.note("Tue, 24 Nov 2026 09:59:59 GMT", NOON)
    assert clock.offset == timedelta(0)
    assert clock.now() == NOON


def test_a_corrected_clock_stays_put_until_it_is_off_again() -> None:
    clock = fixed(NOON)
    clock.note("Tue, 24 Nov 2026 10:05:00 GMT", NOON)
    first = clock.offset
    clock.note("Tue, 24 Nov 2026 10:05:01 GMT", NOON)  # the next second: jitter, ignored
    assert clock.offset == first
    clock.note("Tue, 24 Nov 2026 10:00:00 GMT", NOON)  # the PC's clock was set right
    assert clock.offset == timedelta(milliseconds=500)


def test_missing_or_odd_headers_change_nothing() -> None:
    clock = fixed(NOON)
    clock.note("Tue, 24 Nov 2026 10:10:00 GMT", NOON)
    known = clock.offset
    for header in (None, "", "yesterday", "Tue, 24 Nov 2026 10:00:00"):  # the last: no zone
        clock.note(header, NOON)
        assert clock.offset == known


def test_a_client_keeps_the_clock_in_step_with_a_real_server(
    live: tuple[ThreadedServer, Centre],
) -> None:
    skew = timedelta(minutes=7)
    clock = ServerClock(lambda: datetime.now(UTC) + skew)  # a PC seven minutes fast
    with QueueClient(live[0].url, clock=clock) as client:
        client.health()
    assert abs(clock.offset + skew) <= timedelta(seconds=2)
    assert abs(clock.now() - datetime.now(UTC)) <= timedelta(seconds=2)
