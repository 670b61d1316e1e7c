"""The bot's deep links: https://t.me/<bot>?start=<payload>.

A payload is a letter and the unguessable token of one ticket or booking: `t` + the ticket's
public token (the key of its phone page), `b` + the booking's link token. Both are 128 random
bits, so a payload cannot be guessed; it grants only what its ticket or booking allows and
stops working when the ticket or booking ends. Telegram allows 1-64 characters of
A-Z a-z 0-9 _ - in a start payload.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

PAYLOAD = re.compile(r"^[tb][A-Za-z0-9_-]{16,40}$")
USERNAME = re.compile(r"^[A-Za-z0-9_]{4,64}$")

Kind = Literal["ticket", "booking"]


@dataclass(frozen=True, slots=True)
class Payload:
    kind: Kind
    token: str


def parse_payload(text: str) -> Payload | None:
    """A start payload, or None when it cannot be one of ours (refused without a look-up)."""
    text = text.strip()
    if not PAYLOAD.match(text):
        return None
    return Payload("ticket" if text[0] == "t" else "booking", text[1:])


def make_payload(kind: Kind, token: str) -> str:
    payload = ("t" if kind == "ticket" else "b") + token
    if not PAYLOAD.match(payload):
        raise ValueError("a token of 16-40 characters A-Z a-z 0-9 _ - is needed")
    return payload


class Links:
    """Makes the links once the bot's username is known (from settings or from getMe)."""

    def __init__(self, username: str = "") -> None:
        self.username = username.lstrip("@")

    def learn(self, username: str | None) -> None:
        if username and USERNAME.match(username):
            self.username = username

    @property
    def known(self) -> bool:
        return bool(self.username)

    def link(self, kind: Kind, token: str | None) -> str | None:
        if not self.username or not token:
            return None
        return f"https://t.me/{self.username}?start={make_payload(kind, token)}"

    def ticket(self, public_token: str) -> str | None:
        return self.link("ticket", public_token)

    def booking(self, link_token: str | None) -> str | None:
        return self.link("booking", link_token)
