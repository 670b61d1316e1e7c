"""Each screen's content, described once as plain data: the widgets show it, speech reads it.

A `Content` is the text of one screen in reading order (`Line`s, each named by the `slot` a
page puts it in) and its controls (`Control`s: buttons, tiles, keys), with how each is said
aloud when that differs from what is shown, and which lines are private (a phone number, a
name: read only into headphones). kiosk/describe.py builds the Content of the screen the
visitor sees; the pages show it (kiosk/window.py, kiosk/booking_view.py) and kiosk/spoken.py
reads the same Content aloud. No Qt here, and no network.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from cherha.wire import IssuedTicket, PriorityCategory, Service

from .i18n import tr
from .model import BookingForm, Group, Problem
from .states import PrintState, Screen


@dataclass(frozen=True, slots=True)
class Line:
    """A text on the screen, in the page's `slot` ("title", "number", "banner" …)."""

    slot: str
    text: str
    said: str | None = None  # read aloud instead of `text`; "" = shown only
    private: bool = False  # a phone number or a name: read only into headphones
    public: str = ""  # what an open loudspeaker says instead of a private text
    alert: bool = False  # shown as a problem (a banner)

    def spoken(self, private_ok: bool) -> str:
        if self.private and not private_ok:
            return self.public
        return self.text if self.said is None else self.said


@dataclass(frozen=True, slots=True)
class Control:
    """Something to touch (or reach with the keypad): `slot` names the widget, `key` the choice."""

    slot: str
    key: object
    label: str
    detail: str = ""
    said: str | None = None  # how the control is named aloud when its label is a sign
    enabled: bool = True
    closed: bool = False  # a greyed tile: still tappable, it says why

    @property
    def name(self) -> str:
        """What speech says when the control is focused (also the widget's accessible name)."""
        name = self.label if self.said is None else self.said
        return f"{name}: {self.detail}" if self.detail else name


@dataclass(frozen=True, slots=True)
class Content:
    screen: Screen
    lines: tuple[Line, ...]
    controls: tuple[Control, ...] = ()
    help: str = ""  # what the help key says about this screen
    empty: str = ""  # a list's text while it has nothing to show
    qr: str = ""  # the QR code's payload
    keyboard: bool = False  # an on-screen keyboard: its keys are not read out one by one

    def line(self, slot: str) -> Line | None:
        return next((line for line in self.lines if line.slot == slot), None)

    def text(self, slot: str) -> str:
        line = self.line(slot)
        return line.text if line else ""

    def texts(self, slot: str) -> list[str]:
        return [line.text for line in self.lines if line.slot == slot]

    def control(self, slot: str) -> Control | None:
        return next((c for c in self.controls if c.slot == slot), None)

    def label(self, slot: str) -> str:
        control = self.control(slot)
        return control.label if control else ""

    def all(self, slot: str) -> list[Control]:
        return [c for c in self.controls if c.slot == slot]


class KioskState(Protocol):
    """What the screens are built from (the controller has all of it)."""

    @property
    def language(self) -> str: ...
    @property
    def screen(self) -> Screen: ...
    @property
    def centre_name(self) -> str: ...
    @property
    def printer_fault(self) -> bool: ...
    @property
    def bookings_enabled(self) -> bool: ...
    @property
    def priority_categories(self) -> tuple[PriorityCategory, ...]: ...
    @property
    def services(self) -> tuple[Service, ...]: ...
    @property
    def groups(self) -> list[Group]: ...
    @property
    def group(self) -> Group | None: ...
    @property
    def ticket(self) -> IssuedTicket | None: ...
    @property
    def print_state(self) -> PrintState: ...
    @property
    def problem(self) -> Problem | None: ...
    @property
    def key_refused(self) -> bool: ...
    @property
    def pause_reason(self) -> str: ...
    @property
    def form(self) -> BookingForm: ...
    @property
    def return_left(self) -> int | None: ...
    @property
    def can_reprint(self) -> bool: ...
    @property
    def idle_left(self) -> int | None: ...
    @property
    def waiting_long(self) -> bool: ...


def nav(language: str) -> tuple[Control, ...]:
    """Back and Start over, at the bottom of every choosing screen."""
    return (
        Control("back", "back", f"← {tr('back', language)}", said=tr("back", language)),
        Control("cancel", "cancel", f"⌂ {tr('cancel', language)}", said=tr("cancel", language)),
    )


def top_bar(language: str) -> tuple[Control, ...]:
    """Language, large text and read aloud: on every screen."""
    return (
        Control("language", "language", tr("lang_toggle", language)),
        Control("contrast", "contrast", tr("contrast", language)),
        Control("read", "read", tr("read_aloud", language)),
    )


def help_text(topic: str, language: str) -> str:
    """What the help key says: this screen, then how the keys work."""
    return f"{tr(f'help_{topic}', language)} {tr('help_keys', language)}"


def message(title: str, *lines: str, alert: bool = False) -> tuple[Line, ...]:
    """A notice: its title, then its lines (the empty ones left out)."""
    return (
        Line("alert" if alert else "title", title),
        *tuple(Line("line", text) for text in lines if text),
    )


__all__ = [
    "Content",
    "Control",
    "KioskState",
    "Line",
    "help_text",
    "message",
    "nav",
    "top_bar",
]
