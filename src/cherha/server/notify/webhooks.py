"""Webhooks: registering other systems' URLs, signing deliveries, the delivery log.

A delivery is a JSON POST with these headers:

- `X-Cherha-Event`: the event name (ticket_called …), `X-Cherha-Delivery`: the delivery's id
  (the same on every retry: a receiver that saw it already answers 2xx and does nothing),
- `X-Cherha-Timestamp`: Unix seconds when it was sent,
- `X-Cherha-Signature`: `sha256=` + hex HMAC-SHA256 with the webhook's secret over
  `<timestamp>.<body>` (the timestamp, a dot, the raw body bytes).

A receiver recomputes the HMAC, compares in constant time and refuses a timestamp more than
five minutes off (docs/notifications.md has a ten-line example).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from urllib.parse import urlsplit

from sqlalchemy import select

from cherha.core.errors import Invalid, NotFound

from ..store.audit import record_audit
from ..store.clock import Clock, utcnow
from ..store.db import Database
from ..store.notify_models import OutboxMessage, Webhook
from ..webhook_events import WEBHOOK_EVENTS
from . import outbox

SIGNATURE_HEADER = "X-Cherha-Signature"
TIMESTAMP_HEADER = "X-Cherha-Timestamp"
DELIVERY_HEADER = "X-Cherha-Delivery"
EVENT_HEADER = "X-Cherha-Event"
TOLERANCE_SECONDS = 300

FIRST_RETRY = timedelta(seconds=10)
LONGEST_WAIT = timedelta(hours=2)


def sign(secret: str, timestamp: int, body: bytes) -> str:
    mac = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    return "sha256=" + mac.hexdigest()


def verify(secret: str, timestamp: str, body: bytes, signature: str, now: float) -> bool:
    """What a receiver does (tests use it as the receiver)."""
    if not timestamp.isdigit() or abs(now - int(timestamp)) > TOLERANCE_SECONDS:
        return False
    return hmac.compare_digest(sign(secret, int(timestamp), body), signature)


def backoff(attempts: int) -> timedelta:
    """Wait after the `attempts`-th failure: 10 s, 30 s, 90 s … at most two hours."""
    factor = int(3 ** max(0, attempts - 1))
    return min(LONGEST_WAIT, FIRST_RETRY * factor)


@dataclass(frozen=True, slots=True)
class WebhookView:
    id: int
    url: str
    events: tuple[str, ...]
    description: str
    active: bool
    created_at: datetime


@dataclass(frozen=True, slots=True)
class DeliveryView:
    id: int
    webhook_id: int | None
    event: str
    event_id: int | None
    state: str
    attempts: int
    last_status: int | None
    last_error: str
    created_at: datetime
    due_at: datetime
    sent_at: datetime | None


def _view(w: Webhook) -> WebhookView:
    return WebhookView(w.id, w.url, tuple(w.events), w.description, w.active, w.created_at)


def check_url(url: str) -> str:
    url = url.strip()
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname or len(url) > 500:
        raise Invalid(
            f"Адреса вебхука має бути http(s)://…, до 500 знаків: «{url[:80]}»",
            f"A webhook URL must be http(s)://…, at most 500 characters: '{url[:80]}'",
            code="bad_webhook_url",
        )
    return url


def check_events(events: Sequence[str]) -> list[str]:
    chosen = sorted({e.strip() for e in events if e.strip()})
    unknown = [e for e in chosen if e != "*" and e not in WEBHOOK_EVENTS]
    if not chosen or unknown:
        known = ", ".join(WEBHOOK_EVENTS)
        raise Invalid(
            f"Невідомі події: {', '.join(unknown) or '(жодної)'}. Відомі: {known} або *",
            f"Unknown events: {', '.join(unknown) or '(none)'}. Known: {known} or *",
            code="bad_webhook_events",
        )
    return chosen


class WebhookRegistry:
    """Adding, listing and removing webhooks; the delivery log (CLI, later the console)."""

    def __init__(self, db: Database, clock: Clock = utcnow) -> None:
        self.db = db
        self.clock = clock

    def add(
        self,
        url: str,
        events: Sequence[str],
        *,
        secret: str | None = None,
        description: str = "",
        actor: str = "cli",
    ) -> tuple[WebhookView, str]:
        """Register a URL; returns it and its signing secret (made here unless given)."""
        url, chosen = check_url(url), check_events(events)
        secret = secret or secrets.token_urlsafe(32)
        if len(secret) < 16 or len(secret) > 100:
            raise Invalid(
                "Секрет вебхука має бути 16-100 знаків",
                "A webhook secret must be 16-100 characters long",
                code="bad_webhook_secret",
            )
        with self.db.write(None) as session:
            now = self.clock()
            hook = Webhook(
                url=url,
                secret=secret,
                events=chosen,
                description=description.strip()[:200],
                active=True,
                created_at=now,
            )
            session.add(hook)
            session.flush()
            record_audit(
                session,
                at=now,
                actor=actor,
                action="webhook_added",
                target=f"webhook:{hook.id}",
                data={"url": url, "events": chosen},
            )
            return _view(hook), secret

    def webhooks(self) -> list[WebhookView]:
        with self.db.read() as session:
            return [_view(w) for w in session.scalars(select(Webhook).order_by(Webhook.id))]

    def remove(self, webhook_id: int, *, actor: str = "cli") -> WebhookView:
        """Stop deliveries to a webhook (its log stays); pending deliveries are failed."""
        with self.db.write(None) as session:
            now = self.clock()
            hook = session.get(Webhook, webhook_id)
            if hook is None:
                raise NotFound(
                    f"Вебхука з номером {webhook_id} немає",
                    f"There is no webhook {webhook_id}",
                )
            hook.active = False
            for row in session.scalars(
                select(OutboxMessage).where(
                    OutboxMessage.webhook_id == webhook_id,
                    OutboxMessage.state == outbox.PENDING,
                )
            ):
                row.state, row.last_error = outbox.FAILED, "webhook removed"
            record_audit(
                session, at=now, actor=actor, action="webhook_removed", target=f"webhook:{hook.id}"
            )
            return _view(hook)

    def deliveries(self, webhook_id: int | None = None, limit: int = 50) -> list[DeliveryView]:
        """The newest deliveries first."""
        with self.db.read() as session:
            query = select(OutboxMessage).where(OutboxMessage.channel == outbox.WEBHOOK)
            if webhook_id is not None:
                query = query.where(OutboxMessage.webhook_id == webhook_id)
            rows = session.scalars(query.order_by(OutboxMessage.id.desc()).limit(limit))
            return [
                DeliveryView(
                    r.id,
                    r.webhook_id,
                    r.kind,
                    r.event_id,
                    r.state,
                    r.attempts,
                    r.last_status,
                    r.last_error,
                    r.created_at,
                    r.due_at,
                    r.sent_at,
                )
                for r in rows
            ]

    def secrets(self) -> dict[int, tuple[str, str, bool]]:
        """id → (url, secret, active): what the sender needs."""
        with self.db.read() as session:
            return {w.id: (w.url, w.secret, w.active) for w in session.scalars(select(Webhook))}
