"""What the bot says: Ukrainian, or English for a visitor whose Telegram speaks English.

`render(kind, language, facts)` turns an outbox row's facts into the message's plain text and
its buttons. Plain text on purpose: service and window names come from the centre's file and
are never read as markup.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

Facts = Mapping[str, Any]


@dataclass(frozen=True, slots=True)
class Button:
    label: str
    data: str
    """callback data: "<action>:<follower id>" (checked against the chat that presses it)"""


@dataclass(frozen=True, slots=True)
class Message:
    text: str
    buttons: tuple[Button, ...] = field(default_factory=tuple)


def language_of(code: str | None) -> str:
    """The visitor's Telegram language: English when it is English, else Ukrainian."""
    return "en" if code and code.lower().startswith("en") else "uk"


def _en(lang: str) -> bool:
    return lang == "en"


def _name(facts: Facts, key: str, lang: str) -> str:
    uk = str(facts.get(f"{key}_uk") or "")
    en = str(facts.get(f"{key}_en") or "")
    return (en or uk) if _en(lang) else uk


def _window(facts: Facts, lang: str) -> str:
    number = facts.get("counter_number")
    name = _name(facts, "counter_name", lang)
    if _en(lang):
        return f"window {number}" + (f" ({name})" if name else "")
    return f"вікна {number}" + (f" «{name}»" if name else "")


def _when(facts: Facts, key: str = "start") -> datetime:
    return datetime.fromisoformat(str(facts[key]))


def _ahead(facts: Facts, lang: str) -> str:
    ahead, wait = facts.get("ahead"), facts.get("wait")
    if ahead is None:
        return ""
    if _en(lang):
        line = f"People ahead: {ahead}."
        return line + (f" Estimated wait: about {wait} min." if wait is not None else "")
    line = f"Перед вами: {ahead}."
    return line + (f" Орієнтовне очікування: ≈ {wait} хв." if wait is not None else "")


PRIVACY_UK = (
    "Я зберігаю лише номер цього чату і лише доки дійсний ваш талон чи запис; потім забуваю. "
    "/stop — забути зараз."
)
PRIVACY_EN = (
    "I keep only this chat's id, and only while your ticket or booking is valid; then I forget "
    "it. /stop forgets it now."
)


def ticket_buttons(follower: int, lang: str) -> tuple[Button, ...]:
    label = "Leave the queue" if _en(lang) else "Вийти з черги"
    return (Button(label, f"leave:{follower}"),)


def booking_buttons(follower: int, lang: str) -> tuple[Button, ...]:
    if _en(lang):
        return (
            Button("Cancel the booking", f"cancel:{follower}"),
            Button("I'll be late", f"late:{follower}"),
        )
    return (
        Button("Скасувати запис", f"cancel:{follower}"),
        Button("Я запізнюся", f"late:{follower}"),
    )


def _leave(facts: Facts, lang: str) -> tuple[Button, ...]:
    if facts.get("status", "waiting") != "waiting" or "follower" not in facts:
        return ()
    return ticket_buttons(int(facts["follower"]), lang)


def _booking_buttons(facts: Facts, lang: str) -> tuple[Button, ...]:
    return booking_buttons(int(facts["follower"]), lang) if "follower" in facts else ()


def _ticket_welcome(facts: Facts, lang: str) -> Message:
    number, status = facts["number"], facts.get("status", "waiting")
    service = _name(facts, "service", lang)
    if _en(lang):
        head = f"Ticket {number} — {service}. I will tell you when you are called."
        state = {
            "called": f"You are called: please go to {_window(facts, lang)}.",
            "serving": "You are being served.",
            "no_show": "You did not come when called: ask at the reception.",
        }.get(status, _ahead(facts, lang))
        return Message(f"{head}\n{state}\n\n{PRIVACY_EN}", _leave(facts, lang))
    head = f"Талон {number} — {service}. Я повідомлю, коли вас викличуть."
    state = {
        "called": f"Вас викликано: підійдіть до {_window(facts, lang)}.",
        "serving": "Вас обслуговують.",
        "no_show": "Ви не підійшли на виклик: зверніться до адміністратора.",
    }.get(status, _ahead(facts, lang))
    return Message(f"{head}\n{state}\n\n{PRIVACY_UK}", _leave(facts, lang))


def _slot(facts: Facts, lang: str) -> str:
    start = _when(facts)
    service = _name(facts, "service", lang)
    branch = _name(facts, "branch", lang)
    if _en(lang):
        return f"{service}, {start:%d.%m.%Y} at {start:%H:%M}, {branch}. Code {facts['code']}."
    return f"{service}, {start:%d.%m.%Y} о {start:%H:%M}, {branch}. Код {facts['code']}."


def _check_in(facts: Facts, lang: str) -> str:
    early, late = _when(facts, "check_in_from"), _when(facts, "check_in_until")
    if _en(lang):
        return (
            f"Check in at the kiosk between {early:%H:%M} and {late:%H:%M}; later, you join "
            "the walk-in queue."
        )
    return f"Зареєструйтеся в кіоску з {early:%H:%M} до {late:%H:%M}; пізніше — у загальну чергу."


def _booking_welcome(facts: Facts, lang: str) -> Message:
    if _en(lang):
        text = f"Your booking is confirmed: {_slot(facts, lang)}\n{_check_in(facts, lang)}\n"
        text += "I will remind you the day before and an hour before.\n\n" + PRIVACY_EN
    else:
        text = f"Ваш запис підтверджено: {_slot(facts, lang)}\n{_check_in(facts, lang)}\n"
        text += "Я нагадаю за день і за годину.\n\n" + PRIVACY_UK
    return Message(text, _booking_buttons(facts, lang))


def _reminder(when_uk: str, when_en: str) -> Callable[[Facts, str], Message]:
    def build(facts: Facts, lang: str) -> Message:
        if _en(lang):
            text = f"Reminder: your visit is {when_en}. {_slot(facts, lang)}"
        else:
            text = f"Нагадування: ваш візит {when_uk}. {_slot(facts, lang)}"
        return Message(f"{text}\n{_check_in(facts, lang)}", _booking_buttons(facts, lang))

    return build


def _simple(uk: str, en: str, buttons: bool = False) -> Callable[[Facts, str], Message]:
    def build(facts: Facts, lang: str) -> Message:
        values = dict(facts)
        values["window"] = _window(facts, lang)
        values["service"] = _name(facts, "service", lang)
        values["ahead_line"] = _ahead(facts, lang)
        text = (en if _en(lang) else uk).format_map(values).strip()
        return Message(text, _leave(facts, lang) if buttons else ())

    return build


def _paused(facts: Facts, lang: str) -> Message:
    reason = str(facts.get("reason") or "")
    if _en(lang):
        text = "Service is paused" + (f" ({reason})" if reason else "")
        return Message(f"⚠ {text}. Ticket {facts['number']} keeps its place in the queue.")
    text = "Обслуговування призупинено" + (f" ({reason})" if reason else "")
    return Message(f"⚠ {text}. Талон {facts['number']} зберігає своє місце в черзі.")


RENDERERS: dict[str, Callable[[Facts, str], Message]] = {
    "ticket_welcome": _ticket_welcome,
    "booking_welcome": _booking_welcome,
    "called": _simple(
        "🔔 Талон {number}: вас запрошують до {window}.",
        "🔔 Ticket {number}: please go to {window}.",
    ),
    "recalled": _simple(
        "🔔 Повторний виклик! Талон {number}: підійдіть до {window}.",
        "🔔 Called again! Ticket {number}: please go to {window}.",
    ),
    "near": _simple(
        "Талон {number}: скоро ваша черга. {ahead_line} Будьте поруч із залом.",
        "Ticket {number}: your turn is near. {ahead_line} Please stay close to the hall.",
        buttons=True,
    ),
    "transferred": _simple(
        "Талон {number} передано до послуги «{service}». {ahead_line}",
        "Ticket {number} was transferred to '{service}'. {ahead_line}",
    ),
    "no_show": _simple(
        "Талон {number}: ви не підійшли на виклик. Зверніться до адміністратора: талон можна "
        "повернути в чергу протягом короткого часу.",
        "Ticket {number}: you did not come when called. Ask at the reception: the ticket can "
        "be put back in line for a short while.",
    ),
    "returned": _simple(
        "Талон {number} повернуто в чергу. Я повідомлю, коли вас викличуть.",
        "Ticket {number} is back in the queue. I will tell you when you are called.",
    ),
    "finished": _simple(
        "Дякуємо за візит! Талон {number} завершено; я більше не зберігаю цей чат.",
        "Thank you for your visit! Ticket {number} is done; I no longer keep this chat.",
    ),
    "cancelled": _simple(
        "Талон {number} скасовано: ви вийшли з черги.",
        "Ticket {number} is cancelled: you have left the queue.",
    ),
    "paused": _paused,
    "resumed": _simple(
        "Обслуговування відновлено. Талон {number} — на своєму місці в черзі.",
        "Service has resumed. Ticket {number} is in its place in the queue.",
    ),
    "booking_cancelled": _simple("Запис {code} скасовано.", "The booking {code} is cancelled."),
    "booking_no_show": _simple(
        "Час запису {code} минув: візит пропущено. Запишіться знову на сторінці запису.",
        "The time of booking {code} has passed: the visit was missed. Book again on the "
        "booking page.",
    ),
    "checked_in": _simple(
        "Ви зареєструвалися за записом {code}: ваш талон {number}. {ahead_line} "
        "Я повідомлю, коли вас викличуть.",
        "You checked in for booking {code}: your ticket is {number}. {ahead_line} "
        "I will tell you when you are called.",
        buttons=True,
    ),
    "reminder_day": _reminder("завтра", "tomorrow"),
    "reminder_hour": _reminder("за годину", "in an hour"),
    "late_noted": _simple(
        "Дякуємо, що попередили. Зареєструйтеся в кіоску до {until}: пізніше талон буде в "
        "загальну чергу, за часом реєстрації.",
        "Thank you for letting us know. Check in at the kiosk by {until}: later, your ticket "
        "joins the general queue as of then.",
    ),
    "link_invalid": _simple(
        "Це посилання недійсне або застаріле: талон чи запис уже завершено. Відкрийте "
        "посилання з нового талона чи запису.",
        "This link is not valid or has expired: the ticket or booking has ended. Open the link "
        "of a current ticket or booking.",
    ),
    "too_many": _simple(
        "За цим талоном уже стежить забагато чатів.",
        "Too many chats already follow this ticket.",
    ),
    "help": _simple(
        "Я — бот електронної черги. Відкрийте посилання «Telegram» зі сторінки вашого талона "
        "чи запису (або зі скану QR-коду на талоні), і я повідомлю, коли вас викличуть.\n\n"
        + PRIVACY_UK,
        "I am the queue's bot. Open the 'Telegram' link of your ticket's or booking's page (or "
        "scan the QR code on your ticket), and I will tell you when you are called.\n\n"
        + PRIVACY_EN,
    ),
    "stopped": _simple(
        "Готово: я забув цей чат і більше нічого не надсилатиму.",
        "Done: I have forgotten this chat and will send nothing more.",
    ),
}


def render(kind: str, language: str, facts: Facts) -> Message:
    return RENDERERS[kind](facts, language)


# Short answers to a pressed button (shown by Telegram as a small notice).
CONFIRM_LEAVE = (
    "Точно вийти з черги? Талон буде скасовано.",
    "Leave the queue? The ticket will be cancelled.",
)
CONFIRM_CANCEL = ("Точно скасувати запис?", "Cancel the booking?")
YES = ("Так", "Yes")
NO = ("Ні", "No")
KEPT = ("Гаразд, усе лишається як було.", "All right, nothing has changed.")
DONE = ("Готово.", "Done.")
NOT_YOURS = ("Ця кнопка вже не діє.", "This button no longer works.")


def pick(pair: tuple[str, str], language: str) -> str:
    return pair[1] if _en(language) else pair[0]
