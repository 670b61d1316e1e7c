"""The bot's username for the t.me links: one `getMe` over plain HTTP, retried until known.

With the bot in `serve`'s child process (or in `cherha-server notify`) the server itself only
makes links, and this tells it the username without loading the Telegram library into its
memory (~8 MB). The bot (telegram.py) learns its own the same way before it leads.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging

import httpx

from .links import Links

log = logging.getLogger(__name__)


async def learn_username(api_url: str, token: str, links: Links, stop: asyncio.Event) -> None:
    """Ask until the username is known or `stop` is set (doubling waits, up to a minute)."""
    url = f"{api_url.rstrip('/')}/bot{token}/getMe"
    # The request log would show the token in the URL.
    logging.getLogger("httpx").setLevel(logging.WARNING)
    delay = 1.0
    async with httpx.AsyncClient(timeout=10) as client:
        while not links.known and not stop.is_set():
            try:
                answer = await client.get(url)
                result = answer.json().get("result") or {}
                if answer.status_code == 200 and isinstance(result, dict):
                    links.learn(result.get("username"))
                    if links.known:
                        log.info("Telegram bot @%s", links.username)
                        return
                log.error("Telegram refused the bot token (CHERHA_TELEGRAM_BOT_TOKEN); retrying")
            except (httpx.HTTPError, ValueError) as exc:  # never the message: it has the URL
                log.warning("Telegram Bot API not reachable (%s); retrying", type(exc).__name__)
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(delay):
                    await stop.wait()
            delay = min(60.0, delay * 2)
