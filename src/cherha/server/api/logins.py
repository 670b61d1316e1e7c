"""One way in for the API's `POST /auth/login` and the console's login form: the same
throttling (per address and per name), the same refusals, the same delay before a refusal."""

from __future__ import annotations

import asyncio

from starlette.concurrency import run_in_threadpool

from cherha.core.ratelimit import RateLimited

from ..auth import HashingBusy
from ..backend import Backend
from ..store.logins import Login, Unauthorized, too_many_logins


async def attempt_login(be: Backend, username: str, password: str, address: str) -> Login:
    """Check a password for `address` (the client, as `client_address` sees it).

    The waits and the password are checked on a worker thread (the hash on the hashing pool);
    the outcome — a session, or the failure counted — is written on the write lane, in turn
    with the queue's writes (from the worker threads, a burst of failures took SQLite's one
    writer from as many threads at once).

    Every refusal is answered only after `login_refusal_delay_seconds`, spent asleep on the
    event loop: a client guessing in a loop gets an answer or two a second, and a flood of
    refusals costs the server nearly nothing (no thread, no query, no hash).
    """
    try:
        with be.accounts.attempt(username, address) as wait:
            if wait is not None:
                raise too_many_logins(wait)
            if be.accounts.passwords.saturated:
                raise HashingBusy()
            checked = await run_in_threadpool(be.accounts.check_login, username, password, address)
            return await be.writes.run(be.accounts.finish_login, checked)
    except (RateLimited, HashingBusy, Unauthorized):
        await asyncio.sleep(be.settings.login_refusal_delay_seconds)
        raise
