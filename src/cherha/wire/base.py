"""The two kinds of body on the wire: what the server answers, and what a client sends."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class Reply(BaseModel):
    """A response body: immutable once parsed; fields a newer server adds are ignored."""

    model_config = ConfigDict(frozen=True, extra="ignore")


class Request(BaseModel):
    """A request body: immutable; the server refuses fields it does not know."""

    model_config = ConfigDict(frozen=True, extra="forbid")


ID = 2**31 - 1
"""The largest id of a branch, service, window or user (a 32-bit column)."""
BIG_ID = 2**63 - 1
"""The largest id of a ticket, booking or event (a 64-bit column)."""


def in_language(language: str, uk: str, en: str) -> str:
    """The English text when asked for and there is one; else the Ukrainian."""
    return en if language == "en" and en else uk
