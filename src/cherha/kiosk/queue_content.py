"""The content of the queue's screens: start, groups, services, priority, ticket, notices.

Each function turns the kiosk's state into a `Content` (kiosk/content.py); the pages show it
and speech reads it, so a screen's words exist once.
"""

from __future__ import annotations

from cherha.core.words import BadAnnouncement, Lang, number_said, parse_number, spelled_number
from cherha.wire import IssuedTicket, Service

from .content import Content, Control, KioskState, Line, help_text, message, nav
from .i18n import minutes, people, tr, when
from .states import PrintState, Screen


def said_number(number: str, language: str) -> str:
    """«Бе пʼятнадцять. По буквах і цифрах: бе, нуль, один, пʼять» — the hall's words, then
    every printed sign (the priority mark «П» too)."""
    lang: Lang = "en" if language == "en" else "uk"
    try:
        _priority, letters, sequence = parse_number(number)
    except BadAnnouncement:  # an odd number: let the voice read it as it is
        return number
    spelled = tr("say_spelled", language, spelled=spelled_number(number, lang))
    return f"{number_said(letters, sequence, lang)}. {spelled}"


def idle(language: str, seconds: int) -> Content:
    """«Are you still here?» before everything personal is cleared (WCAG 2.2.1)."""
    lines = (
        Line("title", tr("idle_title", language)),
        Line("body", tr("idle_body", language, seconds=seconds)),
    )
    controls = (
        Control("stay", "stay", tr("idle_stay", language)),
        Control("leave", "leave", f"⌂ {tr('cancel', language)}", said=tr("cancel", language)),
    )
    return Content(Screen.START, lines, controls, help=help_text("idle", language))


def start(s: KioskState) -> Content:
    lang = s.language
    lines = [
        Line("centre", s.centre_name),
        Line("title", tr("welcome", lang)),
        Line("hint", tr("start_hint", lang)),
    ]
    if not s.services:
        lines.append(Line("loading", tr("loading", lang)))
    if s.printer_fault:
        lines.append(Line("banner", tr("printer_banner", lang), alert=True))
    controls = [Control("take", "take", tr("take_ticket", lang))]
    if s.bookings_enabled:
        lines.append(Line("scan_hint", tr("scan_hint", lang)))
        controls += [
            Control("checkin", "checkin", tr("have_booking", lang)),
            Control("book", "book", tr("book_visit", lang)),
        ]
    lines.append(Line("help", tr("help_desk", lang)))
    return Content(Screen.START, tuple(lines), tuple(controls), help=help_text("start", lang))


def groups(s: KioskState) -> Content:
    lang = s.language
    tiles = [
        Control(
            "tile",
            g.key,
            g.name(lang),
            tr("group_summary", lang, services=len(g.services), waiting=g.waiting),
        )
        for g in s.groups
    ]
    return Content(
        Screen.GROUPS,
        (Line("title", tr("choose_group", lang)),),
        (*tiles, *nav(lang)),
        help=help_text("groups", lang),
        empty=tr("no_services", lang),
    )


def service_detail(service: Service, language: str) -> str:
    if not service.open_now:
        return tr("service_closed", language)
    detail = tr("service_waiting", language, people=people(service.waiting, language))
    if service.waiting:
        wait = minutes(service.estimated_wait_minutes, language)
        return f"{detail} · {tr('service_wait', language, minutes=wait)}"
    return f"{detail} · {tr('service_no_wait', language)}"


def services(s: KioskState) -> Content:
    lang = s.language
    group = s.group
    tiles = [
        Control("tile", sv.id, sv.name(lang), service_detail(sv, lang), closed=not sv.open_now)
        for sv in (group.services if group else ())
    ]
    lines = (
        Line("title", group.name(lang) if group else ""),
        Line("subtitle", tr("choose_service", lang)),
    )
    return Content(
        Screen.SERVICES,
        lines,
        (*tiles, *nav(lang)),
        help=help_text("services", lang),
        empty=tr("no_services", lang),
    )


def priority(s: KioskState) -> Content:
    lang = s.language
    categories = [c.en if lang == "en" and c.en else c.uk for c in s.priority_categories]
    lines = (
        Line("title", tr("priority_title", lang)),
        Line("hint", tr("priority_hint", lang)),
        Line("categories", "\n".join(f"•  {c}" for c in categories), said="; ".join(categories)),
        Line("note", tr("priority_note", lang)),
    )
    controls = (
        Control("no", False, tr("priority_no", lang)),
        Control("yes", True, tr("priority_yes", lang)),
        *nav(lang),
    )
    return Content(Screen.PRIORITY, lines, controls, help=help_text("priority", lang))


def busy(screen: Screen, title: str, language: str, *, slow: bool = False) -> Content:
    """Issuing, checking, booking: the second or so until the server answers (and, when it
    takes longer, that the kiosk is still waiting and makes nothing twice)."""
    lines = message(
        tr(title, language), tr("issuing_hint", language), tr("busy_slow", language) if slow else ""
    )
    return Content(screen, lines, help=help_text("busy", language))


def print_lines(state: PrintState, language: str, *, booking: bool = False) -> list[Line]:
    """The print state of a ticket or a booking slip."""
    if state == PrintState.FAILED:
        key, hint = (
            ("booking_not_printed", "booking_kept")
            if booking
            else (
                "not_printed",
                "not_printed_hint",
            )
        )
        return [
            Line("print", tr(key, language), alert=True),
            Line("print_hint", tr(hint, language)),
        ]
    if state == PrintState.PRINTED:
        if booking:
            return [Line("print", tr("booking_printed", language))]
        return [
            Line("print", tr("printed", language)),
            Line("print_hint", tr("watch_board", language)),
        ]
    return [Line("print", tr("booking_printing" if booking else "printing", language))]


def result_tail(s: KioskState, *, booking: bool = False) -> tuple[list[Line], list[Control]]:
    """What follows a ticket or booking on screen: the print state, a reprint once the printer
    is back, the countdown back to the start with «keep on screen», and Done."""
    lang = s.language
    lines = print_lines(s.print_state, lang, booking=booking)
    controls = []
    if s.can_reprint:
        lines.append(Line("reprint_hint", tr("printer_back", lang)))
        label = tr("reprint_booking" if booking else "reprint", lang)
        controls.append(Control("reprint", "reprint", label))
    if s.return_left is not None:
        # Counting down: shown, not read (it changes every second).
        lines.append(Line("countdown", tr("return_in", lang, seconds=s.return_left), said=""))
        if s.print_state == PrintState.FAILED:
            controls.append(Control("keep", "keep", tr("keep", lang)))
    elif s.print_state == PrintState.FAILED:
        lines.append(Line("countdown", tr("kept", lang)))
    controls.append(Control("done", "done", tr("done", lang)))
    return lines, controls


def ticket_heading(t: IssuedTicket, s: KioskState) -> tuple[str, list[Line]]:
    """The ticket's heading, and the booking it was checked in for (if it was)."""
    lang = s.language
    checkin = s.form.checkin
    if checkin is not None and checkin.id == t.id:
        at = tr("booking_at", lang, when=when(checkin.booking.start, lang))
        on_time = checkin.booking.on_time
        booked = Line("booking", f"{at}\n{checkin.message_in(lang)}", alert=not on_time)
        return ("your_booked_ticket" if on_time else "your_late_ticket"), [booked]
    return ("your_priority_ticket" if t.lane == "priority" else "your_ticket"), []


def ticket(s: KioskState) -> Content:
    lang = s.language
    t = s.ticket
    if t is None:
        return Content(Screen.TICKET, ())
    heading, booked = ticket_heading(t, s)
    service = t.service_name_en if lang == "en" and t.service_name_en else t.service_name_uk
    lines = [
        Line("heading", tr(heading, lang)),
        Line("number", t.number, said=said_number(t.number, lang)),
        Line("service", service, said=tr("say_service", lang, service=service)),
        *booked,
    ]
    if t.people_ahead:
        wait = minutes(t.estimated_wait_minutes, lang)
        lines += [
            Line("ahead", tr("people_ahead", lang, people=people(t.people_ahead, lang))),
            Line("wait", tr("estimated_wait", lang, minutes=wait)),
        ]
    else:
        lines.append(Line("ahead", tr("nobody_ahead", lang)))
    lines.append(Line("qr_hint", tr("qr_hint", lang)))
    tail, controls = result_tail(s)
    return Content(
        Screen.TICKET,
        (*lines, *tail),
        tuple(controls),
        help=help_text("ticket", lang),
        qr=t.status_url,
    )


def refused(s: KioskState) -> Content:
    lang = s.language
    p = s.problem
    lines = message(
        tr("refused_title", lang), p.message(lang) if p else "", p.what_to_do(lang) if p else ""
    )
    return Content(Screen.REFUSED, lines, nav(lang), help=help_text("refused", lang))


def outage(s: KioskState) -> Content:
    lang = s.language
    body = tr("outage_refused" if s.key_refused else "outage_body", lang)
    lines = message(tr("outage_title", lang), body, tr("outage_do", lang), alert=True)
    return Content(Screen.OUTAGE, lines, help=help_text("outage", lang))


def paused(s: KioskState) -> Content:
    lang = s.language
    reason = s.pause_reason
    lines = message(
        tr("paused_title", lang),
        tr("paused_reason", lang, reason=reason) if reason else "",
        tr("paused_do", lang),
        tr("paused_later", lang),
        alert=True,
    )
    return Content(Screen.PAUSED, lines, help=help_text("paused", lang))


__all__ = [
    "busy",
    "groups",
    "idle",
    "outage",
    "paused",
    "print_lines",
    "priority",
    "refused",
    "result_tail",
    "said_number",
    "service_detail",
    "services",
    "start",
    "ticket",
]
