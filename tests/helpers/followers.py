"""Telegram followers written straight into the database, without the bot's /start: for tests
and benchmarks of what the event hook does with them."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy.orm import Session

from cherha.server.store.notify_models import TelegramFollower


def follow_directly(
    session: Session, ticket_ids: Iterable[int], *, first_chat: int, at: datetime
) -> None:
    """One chat per ticket of branch 1 (numbered from `first_chat`), in Ukrainian, no notice
    sent yet."""
    session.add_all(
        TelegramFollower(
            branch_id=1,
            chat_id=first_chat + n,
            language="uk",
            ticket_id=ticket_id,
            created_at=at,
            near_sent=False,
        )
        for n, ticket_id in enumerate(ticket_ids)
    )
