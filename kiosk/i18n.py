"""Every text the kiosk shows or says, in Ukrainian (the default, by law) and English."""

from __future__ import annotations

from typing import Final

LANGUAGES: Final = ("uk", "en")

# key -> (Ukrainian, English); `{name}` fields are filled by `tr`.
TEXTS: Final[dict[str, tuple[str, str]]] = {
    # top bar
    "lang_toggle": ("English", "Українська"),
    "contrast": ("Великий шрифт", "Large text"),
    "read_aloud": ("Прочитати вголос", "Read aloud"),
    "centre_default": ("Електронна черга", "Electronic queue"),
    # navigation
    "back": ("Назад", "Back"),
    "cancel": ("На початок", "Start over"),
    "done": ("Готово", "Done"),
    # start
    "welcome": ("Вітаємо!", "Welcome!"),
    "start_hint": (
        "Торкніться кнопки, щоб отримати талон у чергу.",
        "Touch the button to take a queue ticket.",
    ),
    "take_ticket": ("Отримати талон", "Take a ticket"),
    "loading": ("Завантажуємо перелік послуг…", "Loading the list of services…"),
    "help_desk": (
        "Потрібна допомога? Зверніться до працівника на рецепції.",
        "Need help? Please ask a member of staff at the reception.",
    ),
    "printer_banner": (
        "Принтер зараз не друкує. Талон буде показано на екрані: сфотографуйте номер і QR-код.",
        "The printer is not printing now. Your ticket will be shown on screen:"
        " take a photo of the number and the QR code.",
    ),
    # groups and services
    "choose_group": ("Оберіть розділ", "Choose a section"),
    "choose_service": ("Оберіть послугу", "Choose a service"),
    "other_group": ("Інші послуги", "Other services"),
    "group_summary": (
        "Послуг: {services} · очікують: {waiting}",
        "Services: {services} · waiting: {waiting}",
    ),
    "service_waiting": ("Очікують: {people}", "Waiting: {people}"),
    "service_wait": ("Орієнтовно {minutes}", "About {minutes}"),
    "service_no_wait": ("Без очікування", "No wait"),
    "service_closed": ("Зараз не працює", "Closed now"),
    "no_services": ("Зараз немає доступних послуг.", "No services are available right now."),
    # priority
    "priority_title": (
        "Чи належите ви до пільгової категорії?",
        "Do you belong to a priority category?",
    ),
    "priority_hint": (
        "Пільгова черга — для таких відвідувачів:",
        "The priority lane is for these visitors:",
    ),
    "priority_yes": ("Так, пільгова черга", "Yes, priority lane"),
    "priority_no": ("Ні, загальна черга", "No, general queue"),
    "priority_note": (
        "Працівник може попросити документ, що підтверджує пільгу.",
        "Staff may ask for a document that confirms it.",
    ),
    # issuing and ticket
    "issuing": ("Видаємо талон…", "Issuing your ticket…"),
    "issuing_hint": ("Зачекайте, будь ласка, кілька секунд.", "Please wait a few seconds."),
    "your_ticket": ("Ваш талон", "Your ticket"),
    "your_priority_ticket": ("Ваш пільговий талон", "Your priority ticket"),
    "people_ahead": ("Перед вами: {people}", "People ahead of you: {people}"),
    "nobody_ahead": ("Перед вами нікого немає", "Nobody is ahead of you"),
    "estimated_wait": ("Орієнтовне очікування: {minutes}", "Estimated wait: {minutes}"),
    "qr_hint": (
        "Скануйте QR-код телефоном, щоб стежити за чергою",
        "Scan the QR code with your phone to follow the queue",
    ),
    "printing": ("Друкуємо талон…", "Printing your ticket…"),
    "printed": ("Талон надруковано. Візьміть його нижче.", "Ticket printed. Please take it below."),
    "not_printed": (
        "Талон не надруковано: сфотографуйте номер і QR-код.",
        "Ticket not printed: take a photo of the number and the QR code.",
    ),
    "not_printed_hint": (
        "Ваше місце в черзі збережено. Стежте за номером на табло.",
        "Your place in the queue is kept. Watch for your number on the board.",
    ),
    "watch_board": (
        "Стежте за своїм номером на табло в залі.",
        "Watch for your number on the board in the hall.",
    ),
    # refusals
    "refused_title": ("Талон не видано", "No ticket was issued"),
    "do_outside_hours": (
        "Оберіть іншу послугу або приходьте в години роботи.",
        "Choose another service or come back during opening hours.",
    ),
    "do_service_inactive": (
        "Оберіть іншу послугу або зверніться до працівника на рецепції.",
        "Choose another service or ask a member of staff at the reception.",
    ),
    "do_no_priority_lane": (
        "Для цієї послуги пільгової черги немає. Візьміть талон у загальну чергу.",
        "This service has no priority lane. Please take a ticket for the general queue.",
    ),
    "do_generic": (
        "Спробуйте ще раз або зверніться до працівника на рецепції.",
        "Please try again or ask a member of staff at the reception.",
    ),
    "not_issued_network": (
        "Немає звʼязку з сервером черги. Талон не видано — вас у черзі немає.",
        "No connection to the queue server. No ticket was issued, you are not in the queue.",
    ),
    # outage and pause
    "outage_title": ("Талони зараз не видаються", "Tickets are not being issued right now"),
    "outage_body": (
        "Немає звʼязку з сервером черги.",
        "The kiosk cannot reach the queue server.",
    ),
    "outage_do": (
        "Зверніться, будь ласка, до працівника на рецепції. Кіоск запрацює сам, щойно звʼязок відновиться.",
        "Please ask a member of staff at the reception. The kiosk will start working again"
        " by itself as soon as the connection is back.",
    ),
    "outage_refused": (
        "Сервер не приймає ключ цього кіоску. Повідомте адміністратора.",
        "The server refuses this kiosk's key. Please tell the administrator.",
    ),
    "paused_title": ("Прийом тимчасово призупинено", "Service is paused for now"),
    "paused_reason": ("Причина: {reason}", "Reason: {reason}"),
    "paused_do": (
        "Якщо оголошено повітряну тривогу — пройдіть в укриття. Ваше місце в черзі збережено:"
        " після відбою прийом продовжиться.",
        "If an air-raid alert is on, please go to the shelter. Your place in the queue is kept:"
        " service resumes after the all-clear.",
    ),
    "paused_later": (
        "Нові талони видаватимуться, щойно прийом відновиться.",
        "New tickets will be issued as soon as service resumes.",
    ),
    # admin
    "pin_title": ("Вихід для адміністратора", "Administrator exit"),
    "pin_hint": ("Введіть PIN-код", "Enter the PIN"),
    "pin_wrong": ("Неправильний PIN-код", "Wrong PIN"),
    "pin_ok": ("Вийти", "Exit"),
    "pin_clear": ("Стерти", "Clear"),
    "pin_cancel": ("Скасувати", "Cancel"),
    # speech-only phrases
    "say_ticket": ("Ваш талон: {spoken}.", "Your ticket: {spoken}."),
    "say_spelled": ("По буквах і цифрах: {spelled}.", "Letter by letter: {spelled}."),
    "say_service": ("Послуга: {service}.", "Service: {service}."),
    "say_buttons": ("Кнопки на екрані: {buttons}.", "Buttons on the screen: {buttons}."),
    "say_priority": ("Пільговий.", "Priority."),
}


def _plural_uk(n: int, one: str, few: str, many: str) -> str:
    if n % 10 == 1 and n % 100 != 11:
        return one
    if 2 <= n % 10 <= 4 and not 12 <= n % 100 <= 14:
        return few
    return many


def people(n: int, language: str) -> str:
    """«3 особи» / «3 people»."""
    if language == "en":
        return f"{n} {'person' if n == 1 else 'people'}"
    return f"{n} {_plural_uk(n, 'особа', 'особи', 'осіб')}"


def minutes(n: int, language: str) -> str:
    """«≈ 15 хвилин» / «≈ 15 minutes»; an hour or more as hours and minutes."""
    if language == "en":
        if n >= 60:
            h, m = divmod(n, 60)
            return f"≈ {h} h {m} min" if m else f"≈ {h} h"
        return f"≈ {n} {'minute' if n == 1 else 'minutes'}"
    if n >= 60:
        h, m = divmod(n, 60)
        return f"≈ {h} год {m} хв" if m else f"≈ {h} год"
    return f"≈ {n} {_plural_uk(n, 'хвилина', 'хвилини', 'хвилин')}"


def tr(key: str, language: str, **fields: object) -> str:
    """The text for `key` in `language` ("uk" or "en")."""
    uk, en = TEXTS[key]
    text = en if language == "en" else uk
    return text.format(**fields) if fields else text


__all__ = ["LANGUAGES", "TEXTS", "minutes", "people", "tr"]
