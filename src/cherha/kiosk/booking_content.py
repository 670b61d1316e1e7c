"""The content of the booking screens: check-in by code, booking a visit, finding a booking.

As kiosk/queue_content.py: each function turns the kiosk's state into a `Content` that the
pages show and speech reads. The phone number and the name are private lines: shown, and
read aloud only into headphones (an open loudspeaker says how much was typed instead).
"""

from __future__ import annotations

from datetime import date

from cherha.core.booking_rules import CODE_ALPHABET, format_typed_code
from cherha.core.words import letters_en, letters_uk
from cherha.wire import FoundBooking

from .content import Content, Control, KioskState, Line, help_text, message, nav
from .i18n import TEXTS, day_name, tr, when
from .model import (
    APOSTROPHE,
    BS,
    CLEAR,
    LATIN_LETTERS,
    LAYOUT,
    PHONE_DIGITS,
    SPACE,
    UK_LETTERS,
    BookingForm,
    phone_display,
)
from .queue_content import busy, result_tail
from .states import Screen

CODE_PLACEHOLDER = "___-___"
FIND_DAYS = 15  # today and the booking horizon's two weeks


def key_name(key: str, language: str) -> str:
    """How a key is said: a letter by its name («бе»), a sign by what it does."""
    words = {
        BS: "key_bs_said",
        CLEAR: "key_clear_said",
        SPACE: "key_space",
        LAYOUT: "key_layout_said",
        APOSTROPHE: "key_apostrophe",
        "-": "key_hyphen",
    }
    if key in words:
        return tr(words[key], language)
    if key.isdigit():
        return key
    try:
        letter = key.upper()
        return letters_en(letter) if language == "en" else letters_uk(letter).lower()
    except KeyError:  # not a letter the words know: the voice reads it as it is
        return key


def keys(chars: str, language: str, *extra: tuple[str, str]) -> list[Control]:
    """An on-screen keyboard: a key per character, then the extra (key, label) keys."""
    out = [Control("key", ch, ch, said=key_name(ch, language)) for ch in chars]
    out += [Control("key", k, label, said=key_name(k, language)) for k, label in extra]
    return out


def spelled(text: str, language: str) -> str:
    return ", ".join(key_name(ch, language) for ch in text if ch.isalnum())


def hold_line(form: BookingForm, language: str) -> list[Line]:
    """While the visitor types, the chosen time is held for them (the server's slot hold)."""
    if form.held_until is None or form.start is None:
        return []
    text = tr("hold_until", language, start=f"{form.start:%H:%M}", until=f"{form.held_until:%H:%M}")
    return [Line("hold", text)]


def code(s: KioskState) -> Content:
    lang, form = s.language, s.form
    shown = format_typed_code(form.code) if form.code else CODE_PLACEHOLDER
    said = spelled(form.code, lang) if form.code else tr("entry_empty", lang)
    lines = (
        Line("title", tr("code_title", lang)),
        Line("hint", tr("code_hint", lang)),
        Line("entry", shown, said=said),
    )
    controls = (
        *keys(CODE_ALPHABET, lang, (BS, "⌫"), (CLEAR, tr("key_clear", lang))),
        Control("submit", "submit", tr("check_in", lang), enabled=form.code_ready),
        Control("find", "find", tr("find_by_phone", lang)),
        *nav(lang),
    )
    return Content(Screen.CODE, lines, controls, help=help_text("code", lang), keyboard=True)


def refused(s: KioskState) -> Content:
    lang, p = s.language, s.form.problem
    title = "checkin_refused_title" if s.screen == Screen.CHECKIN_REFUSED else "book_refused_title"
    lines = message(tr(title, lang), p.message(lang) if p else "", p.what_to_do(lang) if p else "")
    return Content(s.screen, lines, nav(lang), help=help_text("refused", lang))


def book_services(s: KioskState) -> Content:
    lang, form = s.language, s.form
    tiles = []
    for sv in form.services(s.services):
        days = form.free_days(sv.id)
        if days:
            detail = tr("book_service_free", lang, day=day_name(days[0].date, lang))
            tiles.append(Control("tile", sv.id, sv.name(lang), detail))
        else:
            tiles.append(
                Control("tile", sv.id, sv.name(lang), tr("book_service_full", lang), closed=True)
            )
    lines = (
        Line("title", tr("book_service_title", lang)),
        Line("subtitle", tr("book_service_hint", lang)),
    )
    empty = tr("loading_short" if form.bookable is None else "no_bookable", lang)
    return Content(
        Screen.BOOK_SERVICES,
        lines,
        (*tiles, *nav(lang)),
        help=help_text("book_services", lang),
        empty=empty,
    )


def book_days(s: KioskState) -> Content:
    lang, form = s.language, s.form
    days = form.free_days(form.service.id) if form.service else []
    tiles = [
        Control("tile", d.date, day_name(d.date, lang), tr("book_day_free", lang, free=d.free))
        for d in days
    ]
    lines = (
        Line("title", form.service.name(lang) if form.service else ""),
        Line("subtitle", tr("book_day_title", lang)),
    )
    return Content(
        Screen.BOOK_DAYS,
        lines,
        (*tiles, *nav(lang)),
        help=help_text("book_days", lang),
        empty=tr("no_free_days", lang),
    )


def book_times(s: KioskState) -> Content:
    lang, form = s.language, s.form
    lines = [Line("title", tr("book_time_title", lang))]
    if form.taken:
        lines.append(Line("banner", tr("book_time_taken", lang), alert=True))
    elif form.day is not None:
        lines.append(Line("subtitle", day_name(form.day, lang)))
    tiles = []
    for i, start in enumerate(form.times or []):
        other_day = form.taken and start.date() != form.day
        tiles.append(Control("tile", i, when(start, lang) if other_day else f"{start:%H:%M}"))
    empty = tr("loading_short" if form.times is None else "no_free_times", lang)
    return Content(
        Screen.BOOK_TIMES,
        tuple(lines),
        (*tiles, *nav(lang)),
        help=help_text("book_times", lang),
        empty=empty,
    )


def phone_lines(form: BookingForm, language: str) -> Line:
    typed = len(form.phone)
    digits = phone_display(form.phone).replace("_", "").strip()
    return Line(
        "entry",
        phone_display(form.phone),
        said=digits if typed else tr("entry_empty", language),
        private=True,
        public=tr("phone_typed", language, typed=typed, total=PHONE_DIGITS),
    )


def phone_keys(language: str) -> list[Control]:
    return keys("123456789", language, (CLEAR, tr("key_clear", language)), ("0", "0"), (BS, "⌫"))


def phone_screen(s: KioskState, screen: Screen, title: str, hint: str, notice: str) -> Content:
    """The phone keypad (booking, and finding a booking by phone)."""
    lang, form = s.language, s.form
    lines = [
        Line("title", tr(title, lang)),
        Line("hint", tr(hint, lang)),
        Line("notice", tr(notice, lang)),
        *hold_line(form, lang),
        phone_lines(form, lang),
    ]
    controls = (
        *phone_keys(lang),
        Control("submit", "submit", tr("next", lang), enabled=form.phone_ready),
        *nav(lang),
    )
    return Content(screen, tuple(lines), controls, help=help_text("phone", lang), keyboard=True)


def book_name(s: KioskState) -> Content:
    lang, form = s.language, s.form
    letters = LATIN_LETTERS if form.latin else UK_LETTERS
    extra = [
        (APOSTROPHE, APOSTROPHE),
        ("-", "-"),
        (SPACE, tr("key_space", lang)),
        (LAYOUT, "АБВ" if form.latin else "ABC"),
        (BS, "⌫"),
        (CLEAR, tr("key_clear", lang)),
    ]
    lines = (
        Line("title", tr("name_title", lang)),
        Line("hint", tr("name_hint", lang)),
        *hold_line(form, lang),
        Line(
            "entry",
            form.name + "▏",
            said=form.name or tr("entry_empty", lang),
            private=True,
            public=tr("name_typed", lang, typed=len(form.name)),
        ),
    )
    controls = (
        *keys(letters, lang, *extra),
        Control("submit", "submit", tr("next", lang), enabled=form.name_ready),
        *nav(lang),
    )
    return Content(Screen.BOOK_NAME, lines, controls, help=help_text("name", lang), keyboard=True)


def book_confirm(s: KioskState) -> Content:
    lang, form = s.language, s.form
    if form.service is None or form.start is None:
        return Content(Screen.BOOK_CONFIRM, (), nav(lang))
    phone = tr("confirm_phone", lang, phone=phone_display(form.phone))
    name = tr("confirm_name", lang, name=form.clean_name)
    lines = (
        Line("title", tr("confirm_title", lang)),
        Line("service", tr("confirm_service", lang, service=form.service.name(lang))),
        Line("when", tr("confirm_when", lang, when=when(form.start, lang))),
        Line("phone", phone, private=True, public=tr("confirm_phone_hidden", lang)),
        Line("name", name, private=True, public=tr("confirm_name_hidden", lang)),
        *hold_line(form, lang),
    )
    controls = (Control("confirm", "confirm", tr("confirm_book", lang)), *nav(lang))
    return Content(Screen.BOOK_CONFIRM, lines, controls, help=help_text("confirm", lang))


def booked(s: KioskState) -> Content:
    lang, b = s.language, s.form.booking
    if b is None:
        return Content(Screen.BOOKED, ())
    lines = [
        Line("heading", tr("booked_heading", lang)),
        Line("number", b.code, said=spelled(b.code, lang)),
        Line("service", b.service_name(lang)),
        Line("when", when(b.start, lang)),
        Line("rule", tr("arrive_rule", lang, early=b.early_minutes, late=b.late_minutes)),
        Line("qr_hint", tr("booked_qr_hint", lang)),
    ]
    tail, controls = result_tail(s, booking=True)
    return Content(
        Screen.BOOKED,
        (*lines, *tail),
        tuple(controls),
        help=help_text("booked", lang),
        qr=b.code,
    )


def find_days(s: KioskState) -> Content:
    lang, form = s.language, s.form
    today = form.today
    tiles = []
    if today is not None:
        for i in range(FIND_DAYS):
            day = date.fromordinal(today.toordinal() + i)
            label = day_name(day, lang)
            detail = tr("today", lang) if i == 0 else (tr("tomorrow", lang) if i == 1 else "")
            tiles.append(Control("tile", day, label, detail))
    lines = (Line("title", tr("find_title", lang)), Line("subtitle", tr("find_day_title", lang)))
    return Content(
        Screen.FIND_DAYS,
        lines,
        (*tiles, *nav(lang)),
        help=help_text("find_days", lang),
        empty=tr("loading_short", lang),
    )


def found_detail(b: FoundBooking, form: BookingForm, language: str) -> str:
    """What a found booking's tile says: touch to check in, or why not (yet)."""
    if b.can_check_in:
        return tr("found_check_in", language)
    if b.status == "booked":
        if form.find_day == form.today:
            return tr("found_opens", language, time=f"{b.check_in_from:%H:%M}")
        return tr("found_later", language)
    key = f"found_{b.status}"
    return tr(key, language) if key in TEXTS else b.status


def found(s: KioskState) -> Content:
    lang, form = s.language, s.form
    day = day_name(form.find_day, lang) if form.find_day else ""
    lines = [Line("title", tr("found_title", lang)), Line("subtitle", day)]
    tiles = []
    for i, b in enumerate(form.found or []):
        tiles.append(
            Control(
                "tile",
                i,
                f"{b.start:%H:%M} · {b.service_name(lang)}",
                found_detail(b, form, lang),
                closed=not b.can_check_in,
            )
        )
    empty = tr("loading_short" if form.found is None else "found_none", lang)
    other = [Control("other_day", "other_day", tr("other_day", lang))] if form.today else []
    return Content(
        Screen.FOUND,
        tuple(lines),
        (*tiles, *other, *nav(lang)),
        help=help_text("found", lang),
        empty=empty,
    )


def describe_booking(s: KioskState) -> Content:
    screen = s.screen
    lang = s.language
    if screen == Screen.CODE:
        return code(s)
    if screen == Screen.CHECKING:
        return busy(Screen.CHECKING, "checking", lang, slow=s.waiting_long)
    if screen in (Screen.CHECKIN_REFUSED, Screen.BOOK_REFUSED):
        return refused(s)
    if screen == Screen.BOOK_SERVICES:
        return book_services(s)
    if screen == Screen.BOOK_DAYS:
        return book_days(s)
    if screen == Screen.BOOK_TIMES:
        return book_times(s)
    if screen == Screen.BOOK_PHONE:
        return phone_screen(s, screen, "phone_title", "phone_hint", "privacy_notice")
    if screen == Screen.FIND_PHONE:
        return phone_screen(s, screen, "find_title", "find_phone_hint", "find_notice")
    if screen == Screen.BOOK_NAME:
        return book_name(s)
    if screen == Screen.BOOK_CONFIRM:
        return book_confirm(s)
    if screen == Screen.BOOKING:
        return busy(Screen.BOOKING, "booking_busy", lang, slow=s.waiting_long)
    if screen == Screen.BOOKED:
        return booked(s)
    if screen == Screen.FIND_DAYS:
        return find_days(s)
    if screen == Screen.FOUND:
        return found(s)
    raise ValueError(f"not a booking screen: {screen}")


__all__ = ["CODE_PLACEHOLDER", "describe_booking", "key_name", "spelled"]
