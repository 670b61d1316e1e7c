"""What the kiosk knows about one visitor's way, as plain data (no Qt, no network).

`Group` and `group_services` sort the server's services into the start's sections; `Problem`
is why a ticket, a check-in or a booking did not happen; `BookingForm` is everything typed and
chosen on the booking screens, with the rules of the on-screen keyboards. The screens'
content (kiosk/content.py) is built from these, and the controller drives them.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import date, datetime

from cherha.core.booking_rules import CODE_ALPHABET, CODE_LENGTH
from cherha.core.grouping import group_in_order
from cherha.wire import Booking, BookingDay, CheckIn, FoundBooking, Service

from .i18n import TEXTS, tr
from .states import Screen

PHONE_DIGITS = 9  # after +380
NAME_MAX = 40
UK_LETTERS = "АБВГҐДЕЄЖЗИІЇЙКЛМНОПРСТУФХЦЧШЩЬЮЯ"
LATIN_LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
APOSTROPHE = "ʼ"
BS, CLEAR, SPACE, LAYOUT = "<bs>", "<clear>", "<space>", "<abc>"


@dataclass(frozen=True, slots=True)
class Group:
    key: str  # the Ukrainian group name ("" for services without one)
    name_uk: str
    name_en: str
    services: tuple[Service, ...]

    def name(self, language: str) -> str:
        if not self.key:
            return tr("other_group", language)
        return self.name_en if language == "en" and self.name_en else self.name_uk

    @property
    def waiting(self) -> int:
        return sum(s.waiting for s in self.services)


def group_services(services: tuple[Service, ...]) -> list[Group]:
    """Active services by group, in the server's order."""
    active = (s for s in services if s.active)
    return [
        Group(key, key, items[0].group_en, tuple(items))
        for key, items in group_in_order(active, lambda s: s.group_uk)
    ]


@dataclass(frozen=True, slots=True)
class Problem:
    """Why a ticket, check-in or booking did not happen: the server's words, or no answer.

    `kind` is "ticket", "checkin" or "book"; what to do next is the text `do_<kind>_<code>`
    (for tickets `do_<code>`), or the kind's generic advice.
    """

    kind: str
    code: str
    message_uk: str
    message_en: str

    def message(self, language: str) -> str:
        return self.message_en if language == "en" and self.message_en else self.message_uk

    def what_to_do(self, language: str) -> str:
        prefix = "do_" if self.kind == "ticket" else f"do_{self.kind}_"
        key = f"{prefix}{self.code}"
        return tr(key if key in TEXTS else f"{prefix}generic", language)

    @classmethod
    def no_answer(cls, kind: str) -> Problem:
        """The server never got (or refused to finish) the request: nothing was made."""
        key = {"ticket": "not_issued_network", "checkin": "checkin_network"}.get(
            kind, "book_network"
        )
        return cls(kind, "network", tr(key, "uk"), tr(key, "en"))

    @classmethod
    def unsettled(cls, kind: str) -> Problem:
        """No answer at all: whether it was made is not known yet (the kiosk keeps asking)."""
        key = f"{kind}_unsettled"
        return cls(kind, "unsettled", tr(key, "uk"), tr(key, "en"))


def phone_display(digits: str) -> str:
    """«+380 67 123 45 67», with «_» for the digits still to type."""
    d = digits.ljust(PHONE_DIGITS, "_")
    return f"+380 {d[:2]} {d[2:5]} {d[5:7]} {d[7:9]}"


def name_ok(name: str) -> bool:
    """What the server accepts: 2–100 characters with a letter (and here at most 40)."""
    name = " ".join(name.split())
    return 2 <= len(name) <= NAME_MAX and any(c.isalpha() for c in name)


@dataclass(slots=True)
class BookingForm:
    """What one visitor typed and chose on the check-in and booking screens."""

    code: str = ""  # typed on the code keyboard, without the dash
    checkin: CheckIn | None = None
    problem: Problem | None = None
    problem_back: Screen | None = None
    bookable: dict[int, list[BookingDay]] | None = None  # None while loading
    service: Service | None = None
    day: date | None = None
    times: list[datetime] | None = None  # free starts shown; None while loading
    taken: bool = False  # the times are the next free ones after a slot was taken
    start: datetime | None = None
    hold: str = ""  # the server's token for the place held while the visitor types
    held_until: datetime | None = None  # … and until when
    phone: str = ""  # the digits after +380
    name: str = ""
    latin: bool = False  # the name keyboard shows Latin letters
    booking: Booking | None = None
    today: date | None = None  # the centre's date when the booking days were read
    found: list[FoundBooking] | None = None  # bookings found by phone; None while looking
    find_day: date | None = None

    @property
    def phone_ready(self) -> bool:
        return len(self.phone) == PHONE_DIGITS

    @property
    def name_ready(self) -> bool:
        return name_ok(self.name)

    @property
    def code_ready(self) -> bool:
        return len(self.code) == CODE_LENGTH

    def free_days(self, service_id: int) -> list[BookingDay]:
        """The days with free places, without today: «another day» means another day."""
        days = (self.bookable or {}).get(service_id, [])
        return [d for d in days if d.free > 0 and d.date != self.today]

    def services(self, known: tuple[Service, ...]) -> list[Service]:
        """Services that take bookings, in the server's order (empty while loading)."""
        found = self.bookable or {}
        return [s for s in known if s.active and s.id in found]

    # -- the on-screen keyboards (and a real keyboard's keys) -------------------------------

    def type_code(self, key: str) -> bool:
        """A key on the code keyboard; True when it changed the code."""
        before = self.code
        if key == BS:
            self.code = self.code[:-1]
        elif key == CLEAR:
            self.code = ""
        elif len(key) == 1 and key.upper() in CODE_ALPHABET and len(self.code) < CODE_LENGTH:
            self.code += key.upper()
        return self.code != before

    def type_phone(self, key: str) -> bool:
        before = self.phone
        if key == BS:
            self.phone = self.phone[:-1]
        elif key == CLEAR:
            self.phone = ""
        elif key.isascii() and key.isdigit() and len(key) == 1 and len(self.phone) < PHONE_DIGITS:
            self.phone += "" if key == "0" and not self.phone else key  # «0XX»: 0 is in +380
        return self.phone != before

    def type_name(self, key: str) -> bool:
        before = (self.name, self.latin)
        if key == BS:
            self.name = self.name[:-1]
        elif key == CLEAR:
            self.name = ""
        elif key == LAYOUT:
            self.latin = not self.latin
        elif len(self.name) < NAME_MAX:
            if key == SPACE:
                if self.name and not self.name.endswith(" "):
                    self.name += " "
            elif key in ("-", APOSTROPHE, "'"):
                if self.name and self.name[-1].isalpha():
                    self.name += "-" if key == "-" else APOSTROPHE
            elif len(key) == 1 and unicodedata.category(key).startswith("L"):
                # Capitals start a word (after a space or hyphen); the rest is lower case.
                first = not self.name or self.name[-1] in " -"
                self.name += key.upper() if first else key.lower()
        return (self.name, self.latin) != before

    @property
    def clean_name(self) -> str:
        return " ".join(self.name.split())


__all__ = [
    "APOSTROPHE",
    "BS",
    "CLEAR",
    "LATIN_LETTERS",
    "LAYOUT",
    "NAME_MAX",
    "PHONE_DIGITS",
    "SPACE",
    "UK_LETTERS",
    "BookingForm",
    "Group",
    "Problem",
    "group_services",
    "name_ok",
    "phone_display",
]
