"""Everything a running server holds, made once from the settings (the app's lifespan starts
and stops what runs: the hub, the sweeper, the write lane)."""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import timedelta

from cherha.core.ratelimit import Rate, RateLimiter

from .auth import Passwords
from .hub import EventHub
from .metrics import Metrics
from .notify import Notifications
from .settings import Settings, default_data_dir
from .speech import Speaker, SpeechConfig
from .store.accounts import Accounts
from .store.bookings import BookingOps
from .store.clock import Clock, utcnow
from .store.config import ConfigOps
from .store.counters import BranchOps, CounterOps
from .store.db import Database
from .store.desk_views import DeskViews
from .store.devices import DeviceOps
from .store.floor import Floor
from .store.health import HealthCheck
from .store.holds import LOOKUPS_PER_MINUTE, HoldOps
from .store.reports import Reports
from .store.tickets import TicketOps
from .store.views import Views
from .sweeper import BookingSweeper
from .writes import WriteLane

# Transactions of different branches run side by side on PostgreSQL; one branch's wait in line
# for its row lock.
POSTGRES_WRITE_THREADS = 8


@dataclass
class Backend:
    settings: Settings
    db: Database
    tickets: TicketOps
    counters: CounterOps
    branches: BranchOps
    accounts: Accounts
    devices: DeviceOps
    views: Views
    desk: DeskViews
    config: ConfigOps
    floor: Floor
    reports: Reports
    hub: EventHub
    metrics: Metrics
    writes: WriteLane
    health: HealthCheck
    bookings: BookingOps
    booking_limiter: RateLimiter
    """Token buckets per client address for the public booking reads ("read"), and per kiosk
    for finding bookings by phone ("lookup")."""
    holds: HoldOps
    """A kiosk's slot holds and its look-up of bookings by phone."""
    sweeper: BookingSweeper
    speaker: Speaker
    """The announcement sounds of the display pages."""
    notify: Notifications
    """Notifications: the outbox hook, the Telegram bot and the webhook sender."""

    def hub_cursor(self, branch_id: int) -> int:
        """The newest event id the hub has delivered for a branch (live clients start there)."""
        return self.hub.cursor(branch_id)

    @classmethod
    def create(
        cls,
        settings: Settings,
        clock: Clock = utcnow,
        passwords: Passwords | None = None,
        speaker: Speaker | None = None,
    ) -> Backend:
        db = Database(
            settings.database_url,
            sqlite_synchronous=settings.sqlite_synchronous,
            timeout=settings.db_timeout_seconds,
        )
        views = Views(db, clock)
        hub = EventHub(views, settings.sse_poll_seconds)
        db.add_commit_listener(hub.wake)
        metrics = Metrics()
        hub.on_count_change = metrics.sse_clients.set
        tickets = TicketOps(db, clock)
        writes = WriteLane(1, db.group) if db.is_sqlite else WriteLane(POSTGRES_WRITE_THREADS)
        bookings = BookingOps(db, clock, settings.phone_hash_key())
        return cls(
            settings=settings,
            db=db,
            tickets=tickets,
            counters=CounterOps(db, clock),
            branches=BranchOps(db, clock),
            accounts=Accounts(
                db, timedelta(hours=settings.token_ttl_hours), clock, passwords or Passwords()
            ),
            devices=DeviceOps(db, clock),
            views=views,
            desk=DeskViews(db, clock),
            config=ConfigOps(db, clock, on_change=tickets.schedules.clear),
            floor=Floor(
                db,
                views,
                clock,
                device_silent=timedelta(minutes=settings.alert_device_silent_minutes),
                idle_window=timedelta(minutes=settings.alert_idle_window_minutes),
            ),
            reports=Reports(db, clock),
            hub=hub,
            metrics=metrics,
            writes=writes,
            health=HealthCheck(db, clock),
            bookings=bookings,
            # Public booking reads, per address in this process; bookings and cancellations are
            # counted in the database (api/booking_limits.py), so they hold across instances.
            booking_limiter=RateLimiter(
                {
                    "read": Rate(settings.booking_reads_per_minute, 60.0),
                    "lookup": Rate(LOOKUPS_PER_MINUTE, 60.0),
                },
                time.monotonic,
            ),
            holds=HoldOps(bookings),
            sweeper=BookingSweeper(bookings, settings.booking_sweep_seconds),
            speaker=speaker or Speaker(speech_config(settings)),
            notify=Notifications(
                settings,
                db,
                clock,
                writes,
                tickets,
                bookings,
                metrics,
                sends=settings.notify_in_server and not settings.notify_child,
            ),
        )


def speech_config(settings: Settings) -> SpeechConfig:
    """How the server speaks, from its settings."""
    return SpeechConfig(
        cache_dir=settings.speech_cache_dir or default_data_dir() / "audio-cache",
        clips_dir=settings.announcement_clips_dir,
        espeak=settings.espeak_command,
        rate=settings.speech_rate,
        english=settings.announce_english,
    )
