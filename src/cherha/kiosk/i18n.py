"""Every text the kiosk shows or says, in Ukrainian (the default, by law) and English."""

from __future__ import annotations

from datetime import date, datetime
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
    # start: bookings
    "have_booking": ("У мене є запис", "I have a booking"),
    "book_visit": ("Записатися на інший день", "Book a visit"),
    "scan_hint": (
        "Маєте запис? Піднесіть його QR-код до сканера.",
        "Have a booking? Hold its QR code up to the scanner.",
    ),
    # check-in
    "code_title": ("Введіть код запису", "Enter your booking code"),
    "code_hint": (
        "Шість знаків з повідомлення про запис, наприклад ABC-DEF. Або піднесіть QR-код до сканера.",
        "The six characters from your booking, e.g. ABC-DEF. Or hold its QR code up to the scanner.",
    ),
    "check_in": ("Зареєструватися", "Check in"),
    "key_clear": ("Стерти", "Clear"),
    "key_space": ("пробіл", "space"),
    "checking": ("Перевіряємо запис…", "Checking your booking…"),
    "checkin_refused_title": ("Реєстрацію не виконано", "You are not checked in"),
    "not_a_code": (
        "Цей QR-код не є кодом запису.",
        "This QR code is not a booking code.",
    ),
    "checkin_network": (
        "Немає звʼязку з сервером черги: реєстрацію не виконано.",
        "No connection to the queue server: you are not checked in.",
    ),
    "do_checkin_not_a_code": (
        "Скануйте QR-код з повідомлення про запис або введіть код вручну.",
        "Scan the QR code from your booking or type the code by hand.",
    ),
    "do_checkin_booking_not_found": (
        "Перевірте код і спробуйте ще раз. Якщо не виходить — зверніться на рецепцію.",
        "Check the code and try again. If it still fails, please ask at the reception.",
    ),
    "do_checkin_too_early": (
        "Поверніться до кіоску в цей час або візьміть талон у загальну чергу.",
        "Come back to the kiosk then, or take a ticket for the general queue.",
    ),
    "do_checkin_booking_cancelled": (
        "Візьміть талон у загальну чергу або запишіться знову.",
        "Take a ticket for the general queue or book again.",
    ),
    "do_checkin_booking_checked_in": (
        "Талон за цим записом уже видано. Якщо ви його загубили — зверніться на рецепцію.",
        "Its ticket has been issued already. If you lost it, please ask at the reception.",
    ),
    "do_checkin_booking_no_show": (
        "Візьміть талон у загальну чергу або запишіться знову.",
        "Take a ticket for the general queue or book again.",
    ),
    "do_checkin_booking_expired": (
        "Візьміть талон у загальну чергу або запишіться знову.",
        "Take a ticket for the general queue or book again.",
    ),
    "do_checkin_generic": (
        "Спробуйте ще раз або зверніться до працівника на рецепції.",
        "Please try again or ask a member of staff at the reception.",
    ),
    "booking_at": ("Ваш запис: {when}", "Your booking: {when}"),
    "your_booked_ticket": ("Ваш талон за записом", "Your ticket for your booking"),
    "your_late_ticket": ("Ваш талон (загальна черга)", "Your ticket (general queue)"),
    # booking a visit
    "book_service_title": ("Запис на інший день", "Book a visit"),
    "book_service_hint": ("Оберіть послугу", "Choose a service"),
    "book_service_free": (
        "Найближчий вільний день: {day}",
        "Next free day: {day}",
    ),
    "book_service_full": ("Вільних місць немає", "No free places"),
    "no_bookable": (
        "Зараз записатися наперед немає на що. Візьміть талон у загальну чергу.",
        "Nothing can be booked ahead right now. Please take a ticket for the general queue.",
    ),
    "book_day_title": ("Оберіть день", "Choose a day"),
    "book_day_free": ("Вільних місць: {free}", "Free places: {free}"),
    "no_free_days": (
        "Вільних місць на найближчі дні немає. Оберіть іншу послугу або візьміть талон.",
        "No free places in the coming days. Choose another service or take a ticket.",
    ),
    "book_time_title": ("Оберіть час", "Choose a time"),
    "book_time_taken": (
        "Цей час щойно зайняли. Найближчий вільний час:",
        "That time was just taken. The next free times:",
    ),
    "no_free_times": (
        "На цей день вільного часу вже немає. Оберіть інший день.",
        "No free times are left on this day. Please choose another day.",
    ),
    "loading_short": ("Завантажуємо…", "Loading…"),
    "phone_title": ("Ваш номер телефону", "Your phone number"),
    "phone_hint": (
        "Український мобільний номер. Без нього запис не скасувати і не знайти.",
        "A Ukrainian mobile number. It is needed to find or cancel the booking.",
    ),
    "next": ("Далі", "Next"),
    "name_title": ("Ваше імʼя", "Your name"),
    "name_hint": (
        "Як до вас звертатися у вікні (імʼя, можна з прізвищем).",
        "How the clerk will call you (a first name, a surname too if you like).",
    ),
    "confirm_title": ("Перевірте запис", "Check your booking"),
    "confirm_service": ("Послуга: {service}", "Service: {service}"),
    "confirm_when": ("Коли: {when}", "When: {when}"),
    "confirm_phone": ("Телефон: {phone}", "Phone: {phone}"),
    "confirm_name": ("Імʼя: {name}", "Name: {name}"),
    "confirm_book": ("Записатися", "Book"),
    "booking_busy": ("Записуємо…", "Booking…"),
    "booked_heading": ("Ви записані. Ваш код:", "You are booked. Your code:"),
    "booked_qr_hint": (
        "Коли прийдете, піднесіть цей QR-код до сканера кіоску",
        "When you come, hold this QR code up to the kiosk's scanner",
    ),
    "arrive_rule": (
        "Приходьте за {early} хв до часу і зареєструйтеся в кіоску з цим кодом."
        " Запізнення понад {late} хв — талон у загальну чергу.",
        "Come {early} min before your time and check in at the kiosk with this code."
        " More than {late} min late: a ticket for the general queue.",
    ),
    "booking_printing": ("Друкуємо підтвердження…", "Printing your booking…"),
    "booking_printed": (
        "Підтвердження надруковано. Візьміть його нижче.",
        "Your booking is printed. Please take it below.",
    ),
    "booking_not_printed": (
        "Підтвердження не надруковано: сфотографуйте код і QR-код.",
        "Not printed: take a photo of the code and the QR code.",
    ),
    "booking_kept": (
        "Запис зроблено й збережено на сервері.",
        "The booking is made and kept on the server.",
    ),
    "book_refused_title": ("Запис не зроблено", "No booking was made"),
    "book_network": (
        "Немає звʼязку з сервером черги. Запис, найімовірніше, не зроблено.",
        "No connection to the queue server. Most likely no booking was made.",
    ),
    "do_book_quota_exceeded": (
        "Візьміть талон у загальну чергу або зверніться на рецепцію.",
        "Take a ticket for the general queue or ask at the reception.",
    ),
    "do_book_already_booked": (
        "Щоб змінити час, спершу скасуйте наявний запис (на сайті або на рецепції).",
        "To change the time, first cancel the booking you have (online or at the reception).",
    ),
    "do_book_bad_phone": (
        "Перевірте номер телефону.",
        "Please check the phone number.",
    ),
    "do_book_bad_name": ("Перевірте імʼя.", "Please check the name."),
    "do_book_slot_closed": ("Оберіть інший час.", "Please choose another time."),
    "do_book_generic": (
        "Спробуйте ще раз або зверніться до працівника на рецепції.",
        "Please try again or ask a member of staff at the reception.",
    ),
    # slips (no ʼ: not every printer code page has it)
    "slip_booking": ("Запис на {time} ({code})", "Booking at {time}"),
    "slip_booking_late": (
        "Запис на {time} ({code}): запізнення, загальна черга",
        "Booking at {time}: late, general queue",
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


WEEKDAYS: Final = (
    ("понеділок", "Monday"),
    ("вівторок", "Tuesday"),
    ("середа", "Wednesday"),
    ("четвер", "Thursday"),
    ("пʼятниця", "Friday"),
    ("субота", "Saturday"),
    ("неділя", "Sunday"),
)
MONTHS: Final = (  # Ukrainian in the genitive: «25 листопада»
    ("січня", "January"),
    ("лютого", "February"),
    ("березня", "March"),
    ("квітня", "April"),
    ("травня", "May"),
    ("червня", "June"),
    ("липня", "July"),
    ("серпня", "August"),
    ("вересня", "September"),
    ("жовтня", "October"),
    ("листопада", "November"),
    ("грудня", "December"),
)


def day_name(day: date, language: str) -> str:
    """«Середа, 25 листопада» / «Wednesday, 25 November»."""
    i = 1 if language == "en" else 0
    weekday = WEEKDAYS[day.weekday()][i]
    return f"{weekday[0].upper()}{weekday[1:]}, {day.day} {MONTHS[day.month - 1][i]}"


def when(moment: datetime, language: str) -> str:
    """«Середа, 25 листопада, 10:00» (the slot's own local time)."""
    return f"{day_name(moment.date(), language)}, {moment:%H:%M}"


def tr(key: str, language: str, **fields: object) -> str:
    """The text for `key` in `language` ("uk" or "en")."""
    uk, en = TEXTS[key]
    text = en if language == "en" else uk
    return text.format(**fields) if fields else text


__all__ = ["LANGUAGES", "TEXTS", "day_name", "minutes", "people", "tr", "when"]
