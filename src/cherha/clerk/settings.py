"""Where the desk finds its server, and what it remembers between runs (never the password)."""

from __future__ import annotations

import json
import logging
import os
import tomllib
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

DEFAULT_SERVER = "http://127.0.0.1:8000"
STATE_FILE = "clerk-state.json"


def default_state_dir() -> Path:
    """CHERHA_CLERK_STATE_DIR, else the user's config folder (XDG)."""
    if override := os.environ.get("CHERHA_CLERK_STATE_DIR"):
        return Path(override)
    base = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / "cherha"


@dataclass
class DeskState:
    """What a restart brings back: server, username, chosen window, language."""

    server_url: str = ""
    username: str = ""
    counter_id: int | None = None
    language: str = "uk"

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> DeskState:
        def opt_int(value: Any) -> int | None:
            return int(value) if isinstance(value, int) and value > 0 else None

        language = str(data.get("language", "uk"))
        return cls(
            server_url=str(data.get("server_url", "")),
            username=str(data.get("username", "")),
            counter_id=opt_int(data.get("counter_id")),
            language=language if language in ("uk", "en") else "uk",
        )


@dataclass
class StateStore:
    """DeskState in a small JSON file, written atomically (a power cut leaves the old one)."""

    directory: Path = field(default_factory=default_state_dir)

    @property
    def path(self) -> Path:
        return self.directory / STATE_FILE

    def load(self) -> DeskState:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return DeskState()
        except (OSError, ValueError) as exc:
            log.warning("desk state %s unreadable, starting afresh: %s", self.path, exc)
            return DeskState()
        return DeskState.from_json(data) if isinstance(data, dict) else DeskState()

    def save(self, state: DeskState) -> None:
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
            tmp = self.path.with_suffix(".tmp")
            tmp.write_text(json.dumps(asdict(state), ensure_ascii=False, indent=2), "utf-8")
            tmp.replace(self.path)
        except OSError as exc:  # a read-only profile must not stop the desk
            log.warning("cannot save desk state to %s: %s", self.path, exc)


@dataclass(frozen=True)
class ClerkConfig:
    """The server address (None: not configured) and the state folder."""

    server_url: str | None
    state_dir: Path


def load_config(config_file: Path | None = None, server: str | None = None) -> ClerkConfig:
    """--server, then CHERHA_SERVER_URL, then the TOML file ([clerk] or top level)."""
    table: dict[str, Any] = {}
    if config_file is not None:
        with config_file.open("rb") as handle:
            data = tomllib.load(handle)
        clerk = data.get("clerk")
        table = clerk if isinstance(clerk, dict) else data
    url = server or os.environ.get("CHERHA_SERVER_URL") or table.get("server_url")
    state_dir = (
        Path(str(table["state_dir"]))
        if "state_dir" in table and not os.environ.get("CHERHA_CLERK_STATE_DIR")
        else default_state_dir()
    )
    return ClerkConfig(str(url).rstrip("/") if url else None, state_dir)
