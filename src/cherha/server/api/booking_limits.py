"""Limits on the public booking endpoints and on kiosks guessing codes, shared by instances.

- Reads (slots, days, look-ups): a token bucket per address in this process's memory
  (`booking_reads_per_minute`); cheap, and a read changes nothing.
- Bookings and cancellations from the public: `booking_writes_per_hour` per address, counted in
  the database inside the booking's own transaction, so only a booking that is made spends it
  (a refused one rolls back). Refused attempts have a budget of their own
  (`booking_failures_per_hour`), so a script's refusals do not lock out a visitor's booking
  until it has spent that too.
- Unknown booking codes from a kiosk: after `code_failures_per_device` each doubles the wait.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Annotated, TypeVar

from fastapi import Depends, Request

from cherha.core.errors import DomainError, NotFound
from cherha.core.ratelimit import Rate, RateLimited

from ..auth import Principal
from ..backend import Backend
from ..store import throttle
from ..store.bookings import channel_of
from ..store.throttle import Policy, Quota
from .addresses import client_address
from .deps import BackendDep, optional_principal

T = TypeVar("T")

OptionalPrincipal = Annotated[Principal | None, Depends(optional_principal)]


def is_public(who: Principal | None) -> bool:
    return who is None or channel_of(who) == "online"


async def read_limited(
    request: Request, be: BackendDep, who: OptionalPrincipal
) -> Principal | None:
    if is_public(who):
        be.booking_limiter.take("read", client_address(request))
    return who


ReadLimited = Annotated[Principal | None, Depends(read_limited)]


class PublicWrite:
    """What a public booking or cancellation is allowed, and how its outcome is counted."""

    def __init__(self, be: Backend, address: str) -> None:
        s = be.settings
        self.be = be
        self.quota = Quota(f"booking:made:{address}", Rate(s.booking_writes_per_hour, 3600.0))
        self.refusals = Quota(
            f"booking:refused:{address}", Rate(s.booking_failures_per_hour, 3600.0)
        )

    async def run(self, operation: Callable[[Quota | None], T]) -> T:
        """Refuse at once if this address has spent its refusals; count a refusal."""
        counted = self.refusals.rate.count > 0
        if counted:
            wait = await asyncio.to_thread(self._refusals_wait)
            if wait is not None:
                raise throttle.too_many(
                    wait,
                    what_uk="Забагато відхилених спроб з вашої адреси",
                    what_en="Too many refused attempts from your address",
                )
        try:
            return await self.be.writes.run(operation, self.quota)
        except RateLimited:
            raise
        except DomainError:
            if counted:
                await self.be.writes.run(self._count_refusal)
            raise

    def _refusals_wait(self) -> int | None:
        with self.be.db.read() as session:
            return throttle.wait_for(
                session, self.refusals.key, self.refusals.rate, self.be.tickets.clock()
            )

    def _count_refusal(self) -> None:
        with self.be.db.write(None) as session:
            throttle.take(session, self.refusals.key, self.refusals.rate, self.be.tickets.clock())


async def public_write(
    request: Request, be: BackendDep, who: OptionalPrincipal
) -> PublicWrite | None:
    """For the public (or a display key): the address's write limits; None for kiosks, staff."""
    if not is_public(who):
        return None
    return PublicWrite(be, client_address(request))


PublicWriteDep = Annotated[PublicWrite | None, Depends(public_write)]


# -- kiosks guessing codes ---------------------------------------------------------------------


def code_key(who: Principal) -> str:
    return f"code:{who.kind}:{who.id}"


async def guarded_codes(be: Backend, who: Principal, attempt: Callable[[], Awaitable[T]]) -> T:
    """Run a look-up by booking code for a device; unknown codes are counted and slowed."""
    if who.kind != "device":
        return await attempt()
    key = code_key(who)
    policy = Policy(free=be.settings.code_failures_per_device)

    def blocked() -> int | None:
        with be.db.read() as session:
            return throttle.blocked_for(session, [key], be.tickets.clock())

    def failed() -> None:
        with be.db.write(None) as session:
            throttle.note_failure(session, key, policy, be.tickets.clock())

    wait = await asyncio.to_thread(blocked)
    if wait is not None:
        raise throttle.too_many(
            wait,
            what_uk="Забагато невідомих кодів з цього кіоску",
            what_en="Too many unknown codes from this kiosk",
        )
    try:
        return await attempt()
    except NotFound:
        await be.writes.run(failed)
        raise
