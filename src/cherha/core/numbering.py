"""Ticket numbers: a prefix per service, counting from 1 each local day, a separate priority series."""

from __future__ import annotations

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from .errors import Invalid
from .model import Lane

PRIORITY_MARK = "П"
"""Priority numbers start with «П» (пільговий): a visibly different series, e.g. «ПA003»."""

DEFAULT_TIMEZONE = "Europe/Kyiv"


def local_day(moment: datetime, timezone: str | ZoneInfo) -> date:
    """The branch's calendar day of an aware moment; numbering restarts at local midnight."""
    if moment.tzinfo is None:
        raise ValueError("moment must be timezone-aware")
    zone = ZoneInfo(timezone) if isinstance(timezone, str) else timezone
    return moment.astimezone(zone).date()


def start_of_local_day(moment: datetime, timezone: str | ZoneInfo) -> datetime:
    """Local midnight of the branch's day of `moment`, as an aware moment (DST-safe)."""
    zone = ZoneInfo(timezone) if isinstance(timezone, str) else timezone
    day = local_day(moment, zone)
    return datetime.combine(day, time(0), zone)


def next_sequence(last: int | None) -> int:
    """The next number of a series; the first of a day is 1. Gap-free by construction."""
    if last is not None and last < 0:
        raise ValueError("a series never goes below zero")
    return 1 if last is None else last + 1


def format_number(prefix: str, sequence: int, lane: Lane) -> str:
    """The number a visitor sees and hears: «A015», or «ПA003» in the priority series."""
    if sequence < 1:
        raise ValueError("sequence numbers start at 1")
    validate_prefix(prefix)
    body = f"{prefix}{sequence:03d}"
    return f"{PRIORITY_MARK}{body}" if lane is Lane.PRIORITY else body


def validate_prefix(prefix: str) -> None:
    """A prefix is one to three capital letters, not starting with the priority mark."""
    if not (1 <= len(prefix) <= 3 and prefix.isalpha() and prefix.isupper()):
        raise Invalid(
            f"Префікс «{prefix}» має складатися з 1–3 великих літер",
            f"Prefix '{prefix}' must be 1 to 3 capital letters",
        )
    if prefix.startswith(PRIORITY_MARK):
        raise Invalid(
            f"Префікс «{prefix}» не може починатися з «{PRIORITY_MARK}»: це знак пільгової черги",
            f"Prefix '{prefix}' cannot start with '{PRIORITY_MARK}', the priority series mark",
        )
