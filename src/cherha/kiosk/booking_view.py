"""The booking screens on the window: their pages, wired to the controller, filled from it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QWidget

from cherha.core.booking_rules import CODE_ALPHABET, format_typed_code

from .appointments import (
    APOSTROPHE,
    BS,
    CLEAR,
    LATIN_LETTERS,
    LAYOUT,
    SPACE,
    UK_LETTERS,
    phone_display,
)
from .booking_screens import ConfirmPage, KeyboardPage
from .controller import KioskController
from .i18n import day_name, tr, when
from .screens import ChoicePage, MessagePage, TicketPage, Tile
from .states import PrintState, Screen

if TYPE_CHECKING:
    from .appointments import Appointments

CODE_PLACEHOLDER = "___-___"


def _code_keys(language: str) -> list[tuple[str, str, int]]:
    keys = [(c, c, 1) for c in CODE_ALPHABET]
    return [*keys, (BS, "⌫", 1), (CLEAR, tr("key_clear", language), 2)]


def _phone_keys(language: str) -> list[tuple[str, str, int]]:
    keys = [(d, d, 1) for d in "123456789"]
    return [*keys, (CLEAR, tr("key_clear", language), 1), ("0", "0", 1), (BS, "⌫", 1)]


def _name_keys(language: str, latin: bool) -> list[tuple[str, str, int]]:
    letters = LATIN_LETTERS if latin else UK_LETTERS
    keys = [(c, c, 1) for c in letters]
    keys += [(APOSTROPHE, APOSTROPHE, 1), ("-", "-", 1), (SPACE, tr("key_space", language), 2)]
    keys += [
        (LAYOUT, "АБВ" if latin else "ABC", 2),
        (BS, "⌫", 1),
        (CLEAR, tr("key_clear", language), 2),
    ]
    return keys


class AppointmentPages:
    """One page per booking screen (`pages`), connected to the controller."""

    def __init__(self, controller: KioskController) -> None:
        self.c = controller
        self.code = KeyboardPage(columns=(8, 10))
        self.checking = MessagePage()
        self.checkin_refused = MessagePage(nav=True)
        self.services = ChoicePage()
        self.days = ChoicePage(columns=(2, 3))
        self.times = ChoicePage(columns=(3, 5))
        self.phone = KeyboardPage(columns=(3, 3))
        self.name = KeyboardPage(columns=(8, 10))
        self.confirm = ConfirmPage()
        self.booking = MessagePage()
        self.booked = TicketPage()
        self.booked.set_number_role("code")
        self.book_refused = MessagePage(nav=True)
        self.pages: dict[Screen, QWidget] = {
            Screen.CODE: self.code,
            Screen.CHECKING: self.checking,
            Screen.CHECKIN_REFUSED: self.checkin_refused,
            Screen.BOOK_SERVICES: self.services,
            Screen.BOOK_DAYS: self.days,
            Screen.BOOK_TIMES: self.times,
            Screen.BOOK_PHONE: self.phone,
            Screen.BOOK_NAME: self.name,
            Screen.BOOK_CONFIRM: self.confirm,
            Screen.BOOKING: self.booking,
            Screen.BOOKED: self.booked,
            Screen.BOOK_REFUSED: self.book_refused,
        }
        a = controller.appointments
        self.code.pressed.connect(a.code_key)
        self.code.submit.connect(a.submit_code)
        self.phone.pressed.connect(a.phone_key)
        self.phone.submit.connect(a.phone_next)
        self.name.pressed.connect(a.name_key)
        self.name.submit.connect(a.name_next)
        self.services.chosen.connect(lambda key: a.choose_service(int(key)))
        self.days.chosen.connect(a.choose_day)
        self.times.chosen.connect(lambda key: a.choose_time(int(key)))
        self.confirm.confirmed.connect(a.confirm)
        self.booked.done.connect(controller.done)
        for page in (
            self.code,
            self.checkin_refused,
            self.services,
            self.days,
            self.times,
            self.phone,
            self.name,
            self.confirm,
            self.book_refused,
        ):
            page.back.connect(controller.back)
            page.cancel.connect(controller.cancel)

    def render(self, screen: Screen, language: str) -> None:
        """Fill the page of `screen` (one of `pages`) from the controller."""
        a, lang = self.c.appointments, language
        back, cancel = tr("back", lang), tr("cancel", lang)
        if screen == Screen.CODE:
            page = self.code
            page.set_texts(
                tr("code_title", lang), tr("code_hint", lang), tr("check_in", lang), back, cancel
            )
            page.set_keys(_code_keys(lang))
            shown = format_typed_code(a.code) if a.code else ""
            page.set_entry(shown or CODE_PLACEHOLDER, ready=len(a.code) == 6)
        elif screen == Screen.CHECKING:
            self.checking.set_texts(tr("checking", lang), tr("issuing_hint", lang))
        elif screen in (Screen.CHECKIN_REFUSED, Screen.BOOK_REFUSED) and a.problem is not None:
            notice = self.checkin_refused if screen == Screen.CHECKIN_REFUSED else self.book_refused
            title = (
                "checkin_refused_title"
                if screen == Screen.CHECKIN_REFUSED
                else "book_refused_title"
            )
            notice.set_texts(
                tr(title, lang),
                a.problem.message(lang),
                a.problem.what_to_do(lang),
                back=back,
                cancel=cancel,
            )
        elif screen == Screen.BOOK_SERVICES:
            self._render_services(lang, back, cancel)
        elif screen == Screen.BOOK_DAYS:
            self._render_days(a, lang, back, cancel)
        elif screen == Screen.BOOK_TIMES:
            self._render_times(a, lang, back, cancel)
        elif screen == Screen.BOOK_PHONE:
            page = self.phone
            page.set_texts(
                tr("phone_title", lang), tr("phone_hint", lang), tr("next", lang), back, cancel
            )
            page.set_keys(_phone_keys(lang))
            page.set_entry(phone_display(a.phone), ready=a.phone_ready)
        elif screen == Screen.BOOK_NAME:
            page = self.name
            page.set_texts(
                tr("name_title", lang), tr("name_hint", lang), tr("next", lang), back, cancel
            )
            page.set_keys(_name_keys(lang, a.latin))
            page.set_entry(a.name + "▏", ready=a.name_ready)
        elif screen == Screen.BOOK_CONFIRM and a.service is not None and a.start is not None:
            lines = [
                tr("confirm_service", lang, service=a.service.name(lang)),
                tr("confirm_when", lang, when=when(a.start, lang)),
                tr("confirm_phone", lang, phone=phone_display(a.phone)),
                tr("confirm_name", lang, name=" ".join(a.name.split())),
            ]
            self.confirm.set_texts(
                tr("confirm_title", lang), lines, "", tr("confirm_book", lang), back, cancel
            )
        elif screen == Screen.BOOKING:
            self.booking.set_texts(tr("booking_busy", lang), tr("issuing_hint", lang))
        elif screen == Screen.BOOKED and a.booking is not None:
            self._render_booked(a, lang)

    def _render_services(self, lang: str, back: str, cancel: str) -> None:
        a = self.c.appointments
        page = self.services
        page.set_texts(tr("book_service_title", lang), tr("book_service_hint", lang), back, cancel)
        if a.bookable is None:
            page.set_tiles([], tr("loading_short", lang))
            return
        tiles = []
        for s in a.services:
            days = a.free_days(s.id)
            if days:
                detail = tr("book_service_free", lang, day=day_name(days[0].date, lang))
                tiles.append(Tile(s.id, s.name(lang), detail))
            else:
                tiles.append(Tile(s.id, s.name(lang), tr("book_service_full", lang), closed=True))
        page.set_tiles(tiles, tr("no_bookable", lang))

    def _render_days(self, a: Appointments, lang: str, back: str, cancel: str) -> None:
        page = self.days
        title = a.service.name(lang) if a.service else ""
        page.set_texts(title, tr("book_day_title", lang), back, cancel)
        days = a.free_days(a.service.id) if a.service else []
        tiles = [
            Tile(d.date, day_name(d.date, lang), tr("book_day_free", lang, free=d.free))
            for d in days
        ]
        page.set_tiles(tiles, tr("no_free_days", lang))

    def _render_times(self, a: Appointments, lang: str, back: str, cancel: str) -> None:
        page = self.times
        day = day_name(a.day, lang) if a.day else ""
        page.set_texts(tr("book_time_title", lang), "" if a.taken else day, back, cancel)
        page.set_banner(tr("book_time_taken", lang) if a.taken else "")
        if a.times is None:
            page.set_tiles([], tr("loading_short", lang))
            return
        tiles = []
        for i, start in enumerate(a.times):
            other_day = a.taken and start.date() != a.day
            title = when(start, lang) if other_day else f"{start:%H:%M}"
            tiles.append(Tile(i, title, ""))
        page.set_tiles(tiles, tr("no_free_times", lang))

    def _render_booked(self, a: Appointments, lang: str) -> None:
        booking = a.booking
        assert booking is not None
        page = self.booked
        rule = tr("arrive_rule", lang, early=booking.early_minutes, late=booking.late_minutes)
        page.set_ticket(
            tr("booked_heading", lang),
            booking.code,
            booking.service_name(lang),
            when(booking.start, lang),
            rule,
            booking.code,
        )
        page.set_texts(tr("booked_qr_hint", lang), tr("done", lang))
        if self.c.print_state == PrintState.FAILED:
            text = f"{tr('booking_not_printed', lang)}\n{tr('booking_kept', lang)}"
            page.set_print_state(text, problem=True)
        elif self.c.print_state == PrintState.PRINTED:
            page.set_print_state(tr("booking_printed", lang), problem=False)
        else:
            page.set_print_state(tr("booking_printing", lang), problem=False)
