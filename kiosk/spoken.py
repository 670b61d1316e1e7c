"""The text of each screen as it is read aloud (the same words the screen shows)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .i18n import minutes, people, tr
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
    from .controller import PrintState, Screen  # a cycle at import time otherwise

    lang = c.language
    screen = c.screen
    parts: list[str] = []
    if screen == Screen.START:
        parts += [c.centre_name, tr("welcome", lang), tr("start_hint", lang)]
        if c.printer_fault:
            parts.append(tr("printer_banner", lang))
        parts += [tr("help_desk", lang), _buttons(lang, "take_ticket")]
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
    text = " ".join(_sentence(p) for p in parts if p.strip())
    # Voices stumble on signs: say the word.
    return text.replace("≈ ", "близько " if lang == "uk" else "about ").replace("·", ",")
