"""One way in for the API's `POST /auth/login` and the console's login form: the same
throttling (per address and per name), the same refusals, the same delay before a refusal."""

from __future__ import annotations

import asyncio

from starlette.concurrency import run_in_threadpool

from cherha.core.ratelimit import RateLimited

from ..auth import HashingBusy
from ..backend import Backend
from ..store.accounts import Login, Unauthorized
from ..store.throttle import too_many


async def attempt_login(be: Backend, username: str, password: str, address: str) -> Login:
    """Check a password for `address` (the client, as `client_address` sees it).

    Every refusal is answered only after `login_refusal_delay_seconds`, spent asleep on the
    event loop: a client guessing in a loop gets an answer or two a second, and a flood of
    refusals costs the server nearly nothing (no thread, no query, no hash).
    """
    try:
        wait = be.accounts.known_wait(username, address)
        if wait is not None:
            raise too_many(
                wait,
                what_uk="Забагато невдалих спроб входу",
                what_en="Too many failed login attempts",
            )
        if be.accounts.passwords.saturated:
            raise HashingBusy()
        return await run_in_threadpool(be.accounts.login, username, password, address)
    except (RateLimited, HashingBusy, Unauthorized):
        await asyncio.sleep(be.settings.login_refusal_delay_seconds)
        raise
