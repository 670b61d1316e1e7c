"""The text of each screen as it is read aloud (the same words the screen shows)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .i18n import day_name, minutes, people, tr, when
from .speech import ticket_speech

if TYPE_CHECKING:
    from .controller import KioskController


def _buttons(language: str, *keys: str) -> str:
    names = [tr(k, language) for k in keys]
    names += [tr(k, language) for k in ("lang_toggle", "contrast", "read_aloud")]
    return tr("say_buttons", language, buttons=", ".join(names))


def _sentence(text: str) -> str:
    text = text.strip()
    return text if text.endswith((".", "!", "?", "…")) else f"{text}."


def screen_text(c: KioskController) -> str:
    """Everything on the current screen worth hearing, in the visitor's language."""
    from .states import PrintState, Screen

    lang = c.language
    screen = c.screen
    parts: list[str] = []
    if screen == Screen.START:
        parts += [c.centre_name, tr("welcome", lang), tr("start_hint", lang)]
        if c.printer_fault:
            parts.append(tr("printer_banner", lang))
        parts.append(tr("help_desk", lang))
        if c.config.bookings:
            parts += [
                tr("scan_hint", lang),
                _buttons(lang, "take_ticket", "have_booking", "book_visit"),
            ]
        else:
            parts.append(_buttons(lang, "take_ticket"))
    elif screen == Screen.GROUPS:
        parts.append(tr("choose_group", lang))
        for g in c.groups:
            summary = tr("group_summary", lang, services=len(g.services), waiting=g.waiting)
            parts.append(f"{g.name(lang)}: {summary}")
        parts.append(_buttons(lang, "back", "cancel"))
    elif screen == Screen.SERVICES:
        group = c.group
        parts += [group.name(lang) if group else "", tr("choose_service", lang)]
        for s in group.services if group else ():
            if not s.open_now:
                detail = tr("service_closed", lang)
            else:
                detail = tr("service_waiting", lang, people=people(s.waiting, lang))
                if s.waiting:
                    wait = tr("service_wait", lang, minutes=minutes(s.estimated_wait_minutes, lang))
                    detail += f", {wait}"
            parts.append(f"{s.name(lang)}: {detail}")
        parts.append(_buttons(lang, "back", "cancel"))
    elif screen == Screen.PRIORITY:
        parts += [tr("priority_title", lang), tr("priority_hint", lang)]
        parts += [cat.label(lang) for cat in c.config.priority_categories]
        parts += [tr("priority_note", lang)]
        parts.append(_buttons(lang, "priority_yes", "priority_no", "back", "cancel"))
    elif screen == Screen.ISSUING:
        parts += [tr("issuing", lang), tr("issuing_hint", lang)]
    elif screen == Screen.TICKET and c.ticket is not None:
        t = c.ticket
        parts.append(ticket_speech(t.number, lang))
        service = t.service_name_en if lang == "en" and t.service_name_en else t.service_name_uk
        parts.append(tr("say_service", lang, service=service))
        checkin = c.appointments.checkin
        if checkin is not None and checkin.id == t.id:
            parts += [
                tr("booking_at", lang, when=when(checkin.booking.start, lang)),
                checkin.message_in(lang),
            ]
        if t.people_ahead:
            parts.append(tr("people_ahead", lang, people=people(t.people_ahead, lang)))
            parts.append(
                tr("estimated_wait", lang, minutes=minutes(t.estimated_wait_minutes, lang))
            )
        else:
            parts.append(tr("nobody_ahead", lang))
        if c.print_state == PrintState.PRINTED:
            parts.append(tr("printed", lang))
        elif c.print_state == PrintState.FAILED:
            parts += [tr("not_printed", lang), tr("not_printed_hint", lang)]
        else:
            parts.append(tr("printing", lang))
        parts += [tr("watch_board", lang), _buttons(lang, "done")]
    elif screen == Screen.REFUSED and c.refusal is not None:
        parts += [tr("refused_title", lang), c.refusal.message(lang)]
        parts += [c.refusal.what_to_do(lang), _buttons(lang, "back", "cancel")]
    elif screen == Screen.OUTAGE:
        parts += [tr("outage_title", lang), tr("outage_body", lang), tr("outage_do", lang)]
    elif screen == Screen.PAUSED:
        parts.append(tr("paused_title", lang))
        if c.pause_reason:
            parts.append(tr("paused_reason", lang, reason=c.pause_reason))
        parts += [tr("paused_do", lang), tr("paused_later", lang)]
    else:
        parts += _booking_parts(c, screen, lang)
    text = " ".join(_sentence(p) for p in parts if p.strip())
    # Voices stumble on signs: say the word.
    return text.replace("≈ ", "близько " if lang == "uk" else "about ").replace("·", ",")


def _spelled(code: str) -> str:
    return ", ".join(ch for ch in code if ch.isalnum())


def _booking_parts(c: KioskController, screen: str, lang: str) -> list[str]:
    """The booking screens (kiosk/appointments.py)."""
    from .appointments import phone_display
    from .states import PrintState, Screen

    a = c.appointments
    nav = _buttons(lang, "back", "cancel")
    if screen == Screen.CODE:
        typed = _spelled(a.code) if a.code else ""
        return [tr("code_title", lang), tr("code_hint", lang), typed, nav]
    if screen == Screen.CHECKING:
        return [tr("checking", lang), tr("issuing_hint", lang)]
    if screen in (Screen.CHECKIN_REFUSED, Screen.BOOK_REFUSED) and a.problem is not None:
        title = (
            "checkin_refused_title" if screen == Screen.CHECKIN_REFUSED else "book_refused_title"
        )
        return [tr(title, lang), a.problem.message(lang), a.problem.what_to_do(lang), nav]
    if screen == Screen.BOOK_SERVICES:
        names = [s.name(lang) for s in a.services] if a.bookable is not None else []
        return [tr("book_service_title", lang), tr("book_service_hint", lang), *names, nav]
    if screen == Screen.BOOK_DAYS and a.service is not None:
        days = [day_name(d.date, lang) for d in a.free_days(a.service.id)]
        return [a.service.name(lang), tr("book_day_title", lang), *days[:5], nav]
    if screen == Screen.BOOK_TIMES:
        taken = [tr("book_time_taken", lang)] if a.taken else []
        times = [f"{t:%H:%M}" for t in (a.times or [])[:8]]
        return [tr("book_time_title", lang), *taken, ", ".join(times), nav]
    if screen == Screen.BOOK_PHONE:
        return [tr("phone_title", lang), tr("phone_hint", lang), nav]
    if screen == Screen.BOOK_NAME:
        return [tr("name_title", lang), tr("name_hint", lang), nav]
    if screen == Screen.BOOK_CONFIRM and a.service is not None and a.start is not None:
        return [
            tr("confirm_title", lang),
            tr("confirm_service", lang, service=a.service.name(lang)),
            tr("confirm_when", lang, when=when(a.start, lang)),
            tr("confirm_phone", lang, phone=phone_display(a.phone)),
            _buttons(lang, "confirm_book", "back", "cancel"),
        ]
    if screen == Screen.BOOKING:
        return [tr("booking_busy", lang), tr("issuing_hint", lang)]
    if screen == Screen.BOOKED and a.booking is not None:
        b = a.booking
        printed = {
            PrintState.PRINTED: tr("booking_printed", lang),
            PrintState.FAILED: tr("booking_not_printed", lang),
        }.get(PrintState(c.print_state), tr("booking_printing", lang))
        return [
            tr("booked_heading", lang),
            _spelled(b.code),
            b.service_name(lang),
            when(b.start, lang),
            tr("arrive_rule", lang, early=b.early_minutes, late=b.late_minutes),
            printed,
            _buttons(lang, "done"),
        ]
    return []
