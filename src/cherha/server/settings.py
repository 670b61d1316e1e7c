"""Server settings from CHERHA_* environment variables and/or a TOML file."""

from __future__ import annotations

import ipaddress
import os
import tomllib
from pathlib import Path
from typing import Any

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


def default_data_dir() -> Path:
    """The user's data folder (XDG), where the default SQLite database lives."""
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "cherha"


def default_database_url() -> str:
    return f"sqlite:///{default_data_dir() / 'cherha.db'}"


class Settings(BaseSettings):
    """Everything the server can be told. Environment variables win over the TOML file."""

    model_config = SettingsConfigDict(env_prefix="CHERHA_", extra="ignore")

    database_url: str = Field(default_factory=default_database_url)
    host: str = "127.0.0.1"
    port: int = Field(default=8000, ge=1, le=65535)
    public_url: str | None = None
    """Address visitors' phones use to reach the ticket pages (QR codes); default from host/port."""
    token_ttl_hours: float = Field(default=12.0, gt=0)
    require_display_key: bool = False
    """Centres that want it: display pages and the event stream need ?key=DEVICE_KEY."""
    sse_keepalive_seconds: float = Field(default=15.0, gt=0)
    sse_poll_seconds: float = Field(default=2.0, gt=0)
    """How often the event stream also looks at the table itself (instances without NOTIFY)."""
    # The administrator console's alerts (docs/admin.md).
    alert_device_silent_minutes: int = Field(default=5, ge=1, le=24 * 60)
    """A kiosk or display that was seen, then silent this long, is an alert."""
    alert_idle_window_minutes: int = Field(default=10, ge=1, le=24 * 60)
    """An open window that called nobody this long while people wait is an alert."""
    sqlite_synchronous: str = Field(default="FULL", pattern="^(OFF|NORMAL|FULL|EXTRA)$")
    db_timeout_seconds: float = Field(default=5.0, gt=0)
    auto_migrate: bool = True
    log_level: str = "info"
    announce_english: bool = False
    """Displays also announce each call in English after the Ukrainian announcement."""
    announcement_clips_dir: Path | None = None
    """Recorded clips (uk/, en/ folders) to say calls with instead of espeak-ng; docs/displays.md."""
    speech_cache_dir: Path | None = None
    """Where made announcement sounds are kept; default: the data folder's audio-cache."""
    espeak_command: str = "espeak-ng"
    speech_rate: int = Field(default=140, ge=80, le=300)
    """espeak-ng words per minute: a little slower than usual reads better in a hall."""
    # Bookings (docs/appointments.md); the per-centre rules are in the centre file's [booking].
    booking_reads_per_minute: int = Field(default=120, ge=0)
    """Public booking reads (slots, days, look-ups) per client address per minute; 0 = no limit."""
    booking_writes_per_hour: int = Field(default=20, ge=0)
    """Public bookings and cancellations made per client address per hour; 0 = no limit."""
    booking_failures_per_hour: int = Field(default=60, ge=0)
    """Refused public booking attempts per client address per hour; 0 = no limit."""
    trust_forwarded_for: bool = False
    """Behind a reverse proxy: take the client address from X-Forwarded-For, believing only
    the hops added by `trusted_proxies`."""
    trusted_proxies: str = "127.0.0.1,::1"
    """The reverse proxies' addresses or networks, comma-separated (e.g. "10.0.0.5,10.1.0.0/16")."""
    booking_hash_key: str = ""
    """Key for the phone-number hash; empty: the secret key file's (made by `init`)."""
    secret_key_file: Path | None = None
    """The server's secret key (phone hashes); default: secret.key in the data folder."""
    metrics_allow: str = "127.0.0.1,::1"
    """Addresses or networks that may read /metrics (comma-separated); others get 404."""
    metrics_key: str = ""
    """Or a key: /metrics?key=… (or Authorization: Bearer …) from anywhere."""
    api_docs: bool = True
    """/docs (Swagger UI, served from this server, no CDN) and /redoc off with false."""
    public_body_limit: int = Field(default=8192, ge=1024)
    """Largest request body without credentials, in bytes (refused before it is read)."""
    body_limit: int = Field(default=262144, ge=1024)
    """Largest request body with credentials, in bytes."""
    login_refusal_delay_seconds: float = Field(default=1.0, ge=0, le=10)
    """A refused login (wrong password, waiting, busy) is answered after this long."""
    code_failures_per_device: int = Field(default=10, ge=1)
    """Unknown booking codes a kiosk may send before its waits start (doubling, up to 15 min)."""
    booking_sweep_seconds: float = Field(default=60.0, ge=0)
    """How often the server marks no-shows and purges old personal data; 0 = only lazily."""
    report_refresh_seconds: float = Field(default=60.0, ge=0)
    """How often the server folds new events into the reports' tables; 0 = only when a report
    is asked for (docs/reports.md)."""

    # Notifications (docs/notifications.md).
    telegram_bot_token: SecretStr = SecretStr("")
    """A Telegram bot's token (from @BotFather) turns the bot on."""
    telegram_api_url: str = "https://api.telegram.org"
    """The Bot API's base URL (a local Bot API server, or a fake one in tests)."""
    telegram_bot_username: str = Field(default="", pattern=r"^@?[A-Za-z0-9_]{0,64}$")
    """The bot's username for t.me links; default: asked from the Bot API (getMe) at start."""
    telegram_ahead_alert: int = Field(default=3, ge=0, le=50)
    """Tell a follower once when this many people (or fewer) are ahead; 0 = never."""
    telegram_messages_per_second: float = Field(default=25.0, gt=0)
    """The bot's overall pace (Telegram allows about 30 a second)."""
    telegram_chat_interval_seconds: float = Field(default=1.0, ge=0)
    """At most one message per chat in this time (Telegram allows about 1 a second)."""
    telegram_poll_timeout_seconds: int = Field(default=25, ge=0, le=50)
    """Long polling: how long one getUpdates waits for news."""
    telegram_followers_per_ticket: int = Field(default=5, ge=1, le=100)
    webhook_timeout_seconds: float = Field(default=10.0, gt=0)
    webhook_retry_hours: float = Field(default=24.0, gt=0)
    """A delivery that keeps failing is retried with backoff for this long, then failed."""
    webhook_log_days: int = Field(default=14, ge=1)
    """Delivered and failed webhook deliveries stay in the log this long."""
    notify_poll_seconds: float = Field(default=1.0, gt=0)
    """How often the senders look for due messages besides being woken by a commit."""
    notify_in_server: bool = True
    """`serve` runs the bot and the senders; false: `cherha-server notify` runs them in a
    process of their own (the server only writes the outbox)."""
    notify_child: bool = True
    """With `notify_in_server`: in a child process that `serve` starts, wakes and stops (their
    HTTP work never shares the requests' interpreter lock); false: on the server's own event
    loop (one process, as in tests with a virtual clock)."""

    @field_validator("trusted_proxies", "metrics_allow")
    @classmethod
    def _networks(cls, value: str) -> str:
        for part in value.split(","):
            if part.strip():
                ipaddress.ip_network(part.strip(), strict=False)  # ValueError names the bad one
        return value

    @property
    def secret_key_path(self) -> Path:
        return self.secret_key_file or default_data_dir() / "secret.key"

    def phone_hash_key(self) -> str:
        """`booking_hash_key` if set, else the secret key file's (made when missing)."""
        from .auth import load_or_create_secret

        return self.booking_hash_key or load_or_create_secret(self.secret_key_path)[0]

    @property
    def telegram_enabled(self) -> bool:
        return bool(self.telegram_bot_token.get_secret_value())

    @property
    def base_url(self) -> str:
        if self.public_url:
            return self.public_url.rstrip("/")
        return f"http://{self.host}:{self.port}"

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")


def load_settings(config_file: Path | None = None, **overrides: Any) -> Settings:
    """Settings from the TOML file's [server] table (or top level), then the environment."""
    values: dict[str, Any] = {}
    path = config_file or (Path(p) if (p := os.environ.get("CHERHA_CONFIG")) else None)
    if path is not None:
        with path.open("rb") as handle:
            data = tomllib.load(handle)
        table = data.get("server", data)
        values.update({k: v for k, v in table.items() if not isinstance(v, dict)})
    env = Settings()
    explicit_env = {
        name for name in Settings.model_fields if f"CHERHA_{name.upper()}" in os.environ
    }
    values.update({name: getattr(env, name) for name in explicit_env})
    values.update(overrides)
    return Settings.model_validate({**env.model_dump(), **values})
