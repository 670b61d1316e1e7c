"""What a booking is made of and who may make one: codes, phone numbers, names, quotas.

Pure functions, no I/O (the store counts; these decide).
"""

from __future__ import annotations

import re
import secrets
import unicodedata
from dataclasses import dataclass

from .errors import DomainError, Invalid

CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
"""No 0/O, 1/I/L: a code read aloud or copied from paper is typed right."""
CODE_LENGTH = 6
_DASH_AFTER = CODE_LENGTH // 2
_SEPARATOR = r"[\s\-–—_.]"
_SEPARATORS = re.compile(_SEPARATOR + "+")
# A code at the very end of a scanned payload: «ABC-DEF», «abcdef», «…/book/qr/ABC-DEF.png»,
# «…/book/cancel?code=ABC-DEF»; preceded by nothing or by a character that is not part of it.
_HALF = f"([0-9A-Z]{{{_DASH_AFTER}}})"
_CODE_AT_END = re.compile(f"(?:^|[^0-9A-Z]){_HALF}{_SEPARATOR}?{_HALF}$")
_PHONE_NOISE = re.compile(r"[\s\-–—().]+")


class QuotaExceeded(DomainError):
    code = "quota_exceeded"


class BookingBlocked(DomainError):
    code = "booking_blocked"


def new_code() -> str:
    """A fresh code in its stored form, «ABCDEF»."""
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def parse_code(text: str) -> str | None:
    """Any case, with or without the dash or spaces → the stored form; None if it cannot be one."""
    code = _SEPARATORS.sub("", text.strip()).upper()
    if len(code) != CODE_LENGTH or any(c not in CODE_ALPHABET for c in code):
        return None
    return code


def format_code(code: str) -> str:
    """A whole stored code «ABCDEF» → «ABC-DEF», the form shown, printed and read out.

    Anything that is not a whole code is refused (ValueError); a code still being typed is
    shown with `format_typed_code`.
    """
    if parse_code(code) != code:
        raise ValueError(f"not a booking code: {code!r}")
    return format_typed_code(code)


def format_typed_code(typed: str) -> str:
    """What a visitor has typed so far, shown as the code will look: «AB», «ABC-D», «ABC-DEF»."""
    return typed if len(typed) <= _DASH_AFTER else f"{typed[:_DASH_AFTER]}-{typed[_DASH_AFTER:]}"


def find_code(payload: str) -> str | None:
    """The booking code (stored form) a scanned QR code or a typed text holds, or None.

    Accepts the code in any case, with or without the dash, and links that end with it (the
    booking page's QR picture `/book/qr/ABC-DEF.png`, `/book/cancel?code=ABC-DEF`).
    """
    text = payload.strip().rstrip("/").upper().removesuffix(".PNG")
    direct = parse_code(text)
    if direct is not None:
        return direct
    match = _CODE_AT_END.search(text)
    if match is None:
        return None
    return parse_code(match.group(1) + match.group(2))


def normalise_phone(text: str) -> str:
    """A Ukrainian number in any usual spelling → «+380XXXXXXXXX»; anything else is refused.

    Accepted: +380 67 123 45 67, 380671234567, 067-123-45-67, (067) 123 45 67, 8 067 123 45 67.
    """
    digits = _PHONE_NOISE.sub("", text.strip())
    if digits.startswith("+"):
        digits = digits[1:]
        if not digits.startswith("380"):
            raise _bad_phone(text)
    if not digits.isascii() or not digits.isdigit():
        raise _bad_phone(text)
    if digits.startswith("380") and len(digits) == 12:
        national = digits[3:]
    elif digits.startswith("80") and len(digits) == 11:
        national = digits[2:]
    elif digits.startswith("0") and len(digits) == 10:
        national = digits[1:]
    else:
        raise _bad_phone(text)
    if national[0] == "0":
        raise _bad_phone(text)
    return f"+380{national}"


def _bad_phone(text: str) -> Invalid:
    shown = text.strip()[:30]
    return Invalid(
        f"Номер телефону «{shown}» не схожий на український: вкажіть його як 0XX XXX XX XX "
        "або +380 XX XXX XX XX",
        f"The phone number '{shown}' does not look Ukrainian: give it as 0XX XXX XX XX "
        "or +380 XX XXX XX XX",
        code="bad_phone",
    )


def mask_phone(phone: str) -> str:
    """«+380671234567» → «+380 ** *** 45 67» (enough to recognise, not to misuse)."""
    if len(phone) != 13:
        return ""
    return f"+380 ** *** {phone[-4:-2]} {phone[-2:]}"


NAME_MIN, NAME_MAX = 2, 100


def normalise_name(text: str) -> str:
    """Trimmed, inner spaces collapsed, 2–100 characters with at least one letter."""
    name = " ".join(unicodedata.normalize("NFC", text).split())
    if any(unicodedata.category(c)[0] == "C" for c in name):
        raise Invalid(
            "Імʼя містить недозволені символи",
            "The name has characters that are not allowed",
            code="bad_name",
        )
    if not (NAME_MIN <= len(name) <= NAME_MAX) or not any(c.isalpha() for c in name):
        raise Invalid(
            f"Вкажіть імʼя: від {NAME_MIN} до {NAME_MAX} символів",
            f"Give a name of {NAME_MIN} to {NAME_MAX} characters",
            code="bad_name",
        )
    return name


@dataclass(frozen=True, slots=True)
class Limits:
    monthly_quota: int = 4
    """Bookings per phone number per calendar month (cancelled ones count); 0 = no limit."""
    no_show_block: int = 4
    """No-shows (since the last visit in person, within the window) that block online booking;
    0 = never block."""
    no_show_window_days: int = 90


def ensure_within_quota(made_this_month: int, limits: Limits) -> None:
    if limits.monthly_quota and made_this_month >= limits.monthly_quota:
        raise QuotaExceeded(
            f"З цього номера телефону цього місяця вже зроблено {made_this_month} записів "
            f"(більше {limits.monthly_quota} не можна; скасовані теж рахуються). "
            "Візьміть талон у терміналі в центрі",
            f"This phone number has already made {made_this_month} bookings this month "
            f"(the limit is {limits.monthly_quota}; cancelled ones count too). "
            "Take a ticket at the kiosk in the centre",
        )


def ensure_not_blocked(no_shows: int, limits: Limits) -> None:
    if limits.no_show_block and no_shows >= limits.no_show_block:
        raise BookingBlocked(
            f"Онлайн-запис для цього номера заблоковано: {no_shows} пропущених візитів за "
            f"{limits.no_show_window_days} днів. Запишіться в центрі особисто — після візиту "
            "блокування зніметься",
            f"Online booking is blocked for this number: {no_shows} missed visits in "
            f"{limits.no_show_window_days} days. Book in person at the centre; the block is "
            "lifted after a visit",
        )
