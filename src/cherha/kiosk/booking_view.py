"""The booking screens on the window: their pages, wired to the controller's appointments."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from .appointments import Appointments
from .booking_screens import ConfirmPage, KeyboardPage
from .screens import ChoicePage, MessagePage, Page, TicketPage
from .states import Screen


class AppointmentPages:
    """One page per booking screen (`pages`), connected to the appointments."""

    def __init__(self, appointments: Appointments) -> None:
        a = appointments
        self.code = KeyboardPage(columns=(8, 8))
        self.checking = MessagePage()
        self.checkin_refused = MessagePage(nav=True)
        self.services = ChoicePage()
        self.days = ChoicePage(columns=(2, 3))
        self.times = ChoicePage(columns=(3, 5))
        self.phone = KeyboardPage(columns=(3, 3), keys_share=2)
        self.name = KeyboardPage(columns=(8, 10))
        self.confirm = ConfirmPage()
        self.booking = MessagePage()
        self.booked = TicketPage()
        self.booked.set_number_role("code")
        self.book_refused = MessagePage(nav=True)
        self.find_phone = KeyboardPage(columns=(3, 3), keys_share=2)
        self.find_days = ChoicePage(columns=(2, 3))
        self.found = ChoicePage(columns=(1, 1))
        self.pages: dict[Screen, Page] = {
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
            Screen.FIND_PHONE: self.find_phone,
            Screen.FIND_DAYS: self.find_days,
            Screen.FOUND: self.found,
        }
        for keyboard in (self.code, self.phone, self.name, self.find_phone):
            keyboard.pressed.connect(a.type_key)
            keyboard.submit.connect(a.submit)
        self.code.find_booking.connect(a.begin_find)
        self.services.chosen.connect(lambda key: a.choose_service(int(key)))
        self.days.chosen.connect(a.choose_day)
        self.times.chosen.connect(lambda key: a.choose_time(int(key)))
        self.find_days.chosen.connect(a.choose_find_day)
        self.found.chosen.connect(lambda key: a.choose_found(int(key)))
        self.found.extra.connect(lambda _slot: a.other_day())
        self.confirm.confirmed.connect(a.confirm)

    @property
    def with_nav(self) -> list[QWidget]:
        """The pages with Back and Start over."""
        return [
            self.code,
            self.checkin_refused,
            self.services,
            self.days,
            self.times,
            self.phone,
            self.name,
            self.confirm,
            self.book_refused,
            self.find_phone,
            self.find_days,
            self.found,
        ]
