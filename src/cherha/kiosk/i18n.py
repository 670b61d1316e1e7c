"""Every text the kiosk shows or says, in Ukrainian (the default, by law) and English."""

from __future__ import annotations

import math
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
    "service_wait": ("Очікування {minutes}", "Wait {minutes}"),
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
    "ticket_unsettled": (
        "Сервер черги не відповідає: поки невідомо, чи видано талон. Кіоск перевіряє сам —"
        " якщо талон є, він зʼявиться тут і надрукується.",
        "The queue server does not answer: it is not known yet whether a ticket was issued."
        " The kiosk keeps checking; if there is one, it will appear here and be printed.",
    ),
    "do_unsettled": (
        "Зачекайте тут хвилину або зверніться до працівника на рецепції.",
        "Please wait here a minute, or ask a member of staff at the reception.",
    ),
    "busy_slow": (
        "Сервер черги відповідає повільно. Ми чекаємо й повторюємо запит — двічі нічого не буде.",
        "The queue server is slow to answer. We keep waiting and asking — nothing is made twice.",
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
    "checkin_unsettled": (
        "Сервер черги не відповідає: поки невідомо, чи виконано реєстрацію. Кіоск перевіряє"
        " сам — якщо талон є, він зʼявиться тут і надрукується.",
        "The queue server does not answer: it is not known yet whether you are checked in."
        " The kiosk keeps checking; if there is a ticket, it will appear here and be printed.",
    ),
    "do_checkin_unsettled": (
        "Зачекайте тут хвилину або зверніться до працівника на рецепції.",
        "Please wait here a minute, or ask a member of staff at the reception.",
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
        "Немає звʼязку з сервером черги. Запис не зроблено.",
        "No connection to the queue server. No booking was made.",
    ),
    "book_unsettled": (
        "Сервер черги не відповідає: поки невідомо, чи зроблено запис. Кіоск перевіряє сам —"
        " якщо запис є, його код зʼявиться тут.",
        "The queue server does not answer: it is not known yet whether the booking was made."
        " The kiosk keeps checking; if it was, its code will appear here.",
    ),
    "do_book_unsettled": (
        "Зачекайте тут хвилину або зверніться до працівника на рецепції.",
        "Please wait here a minute, or ask a member of staff at the reception.",
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
    "say_spelled": ("По буквах і цифрах: {spelled}.", "Letter by letter: {spelled}."),
    "say_service": ("Послуга: {service}.", "Service: {service}."),
    "say_buttons": ("Кнопки на екрані: {buttons}.", "Buttons on the screen: {buttons}."),
    "say_more": ("І ще {count}.", "And {count} more."),
    "say_keyboard": (
        "Клавіатура на екрані: клавішами вгору і вниз оберіть знак, Enter — ввести.",
        "A keyboard on the screen: choose a key with up and down, Enter types it.",
    ),
    "unavailable": ("недоступно", "unavailable"),
    "entry_empty": ("Ще нічого не введено.", "Nothing typed yet."),
    "phone_typed": ("Введено цифр: {typed} з {total}.", "Digits typed: {typed} of {total}."),
    "name_typed": ("Введено знаків: {typed}.", "Characters typed: {typed}."),
    "key_bs_said": ("Стерти останній знак", "Delete the last character"),
    "key_clear_said": ("Стерти все", "Clear everything"),
    "key_layout_said": ("Інша абетка", "Other alphabet"),
    "key_apostrophe": ("апостроф", "apostrophe"),
    "key_hyphen": ("дефіс", "hyphen"),
    # help (the keypad's help key): what the screen is, then how the keys work
    "help_keys": (
        "Клавіші: вгору і вниз — до попередньої і наступної кнопки, Enter — натиснути,"
        " Назад — на крок назад, Довідка — ця підказка. Зверніться до працівника на рецепції,"
        " якщо потрібна допомога.",
        "Keys: up and down move to the previous and next button, Enter presses it, Back goes"
        " one step back, Help repeats this. Staff at the reception will help you too.",
    ),
    "help_start": (
        "Це кіоск електронної черги. Отримати талон — стати в чергу сьогодні. У мене є запис"
        " — зареєструватися за кодом запису. Записатися на інший день — обрати день і час.",
        "This is the queue kiosk. Take a ticket joins today's queue. I have a booking checks"
        " you in with your booking code. Book a visit picks another day and time.",
    ),
    "help_groups": (
        "Оберіть розділ послуг; далі буде перелік послуг розділу.",
        "Choose a section; its services come next.",
    ),
    "help_services": (
        "Оберіть послугу; для кожної сказано, скільки людей очікують. Талон видається одразу.",
        "Choose a service; each says how many people wait. The ticket is issued at once.",
    ),
    "help_priority": (
        "Пільгова черга — лише для названих категорій. Оберіть так або ні.",
        "The priority lane is only for the categories listed. Choose yes or no.",
    ),
    "help_busy": (
        "Кіоск чекає відповіді сервера черги, кілька секунд.",
        "The kiosk is waiting a few seconds for the queue server.",
    ),
    "help_ticket": (
        "Ваш талон: номер, послуга і скільки людей перед вами. Номер викличуть на табло і"
        " голосом. Готово — повернутися на початок.",
        "Your ticket: its number, the service and how many people are ahead. The number will"
        " be called on the board and aloud. Done returns to the start.",
    ),
    "help_refused": (
        "Талон або запис не вдалося отримати; сказано чому і що робити далі.",
        "The ticket or booking could not be made; the reason and what to do are read out.",
    ),
    "help_outage": (
        "Кіоск зараз не може видати талон. Зверніться до працівника на рецепції.",
        "The kiosk cannot issue tickets now. Please ask staff at the reception.",
    ),
    "help_paused": (
        "Прийом призупинено, ваше місце в черзі збережено.",
        "Service is paused; your place in the queue is kept.",
    ),
    "help_idle": (
        "Кіоск питає, чи ви ще тут. Натисніть будь-яку клавішу або торкніться екрана, щоб"
        " продовжити.",
        "The kiosk asks whether you are still here. Press any key or touch the screen to go on.",
    ),
    "help_code": (
        "Введіть шість знаків коду запису або піднесіть QR-код до сканера. Немає коду —"
        " кнопка «Знайти за номером телефону».",
        "Type the six characters of your booking code or hold its QR code to the scanner."
        " No code: the button «Find by phone number».",
    ),
    "help_book_services": (
        "Оберіть послугу, на яку хочете записатися.",
        "Choose the service to book.",
    ),
    "help_book_days": ("Оберіть день візиту.", "Choose the day of your visit."),
    "help_book_times": ("Оберіть час візиту.", "Choose the time of your visit."),
    "help_phone": (
        "Введіть девʼять цифр номера після +380; кожну цифру буде промовлено в навушники.",
        "Type the nine digits after +380; each digit is read into the headphones.",
    ),
    "help_name": (
        "Введіть імʼя, за яким до вас звертатимуться у вікні.",
        "Type the name the clerk will call you by.",
    ),
    "help_confirm": (
        "Перевірте послугу, день і час, тоді натисніть «Записатися».",
        "Check the service, the day and the time, then press Book.",
    ),
    "help_booked": (
        "Ви записані: код запису і QR-код надруковано. Готово — повернутися на початок.",
        "You are booked: the code and QR code are printed. Done returns to the start.",
    ),
    "help_find_days": ("Оберіть день запису.", "Choose the day of the booking."),
    "help_found": (
        "Записи на цей номер у цей день. Оберіть сьогоднішній запис, щоб отримати талон.",
        "The bookings of this number on this day. Choose today's to get its ticket.",
    ),
    # «still here?» (inactivity)
    "idle_title": ("Ви ще тут?", "Are you still here?"),
    "idle_body": (
        "Якщо ніхто не торкнеться екрана, через {seconds} с кіоск повернеться на початок і"
        " зітре все введене.",
        "If nobody touches the screen, in {seconds} s the kiosk returns to the start and"
        " clears everything typed.",
    ),
    "idle_stay": ("Так, я тут", "Yes, I am here"),
    # a result on screen: countdown, keep, reprint
    "return_in": ("На початок через {seconds} с", "Back to the start in {seconds} s"),
    "keep": ("Залишити на екрані", "Keep on screen"),
    "kept": (
        "Екран залишиться, доки ви не натиснете «Готово».",
        "The screen stays until you press Done.",
    ),
    "printer_back": (
        "Принтер знову працює: можна надрукувати.",
        "The printer works again: you can print now.",
    ),
    "reprint": ("Надрукувати талон", "Print the ticket"),
    "reprint_booking": ("Надрукувати підтвердження", "Print the booking"),
    # booking: the held time and the personal-data notice
    "hold_until": (
        "Час {start} тримаємо для вас до {until}.",
        "The time {start} is held for you until {until}.",
    ),
    "privacy_notice": (
        "Номер і імʼя потрібні лише для цього запису; їх видаляють після візиту.",
        "The number and name are used only for this booking and deleted after the visit.",
    ),
    "confirm_phone_hidden": ("Телефон введено.", "Phone number entered."),
    "confirm_name_hidden": ("Імʼя введено.", "Name entered."),
    # finding a booking by phone
    "find_by_phone": ("Немає коду? Пошук за телефоном", "No code? Find it by phone"),
    "find_title": ("Пошук запису", "Find your booking"),
    "find_phone_hint": (
        "Номер телефону, на який ви записувалися.",
        "The phone number you booked with.",
    ),
    "find_notice": (
        "Ми покажемо лише час і послугу ваших записів, без імені й номера.",
        "Only the time and service of your bookings are shown, no name or number.",
    ),
    "find_day_title": ("Оберіть день запису", "Choose the day of the booking"),
    "found_title": ("Ваші записи", "Your bookings"),
    "found_none": (
        "На цей номер у цей день записів немає. Перевірте номер або оберіть інший день.",
        "No bookings of this number on this day. Check the number or choose another day.",
    ),
    "found_check_in": ("Торкніться, щоб отримати талон", "Touch to get your ticket"),
    "found_later": ("Реєстрація — у день запису", "Check in on the day of the booking"),
    "found_opens": ("Реєстрація відкриється о {time}", "Check-in opens at {time}"),
    "found_checked_in": ("Талон уже видано", "Ticket already issued"),
    "found_cancelled": ("Скасовано", "Cancelled"),
    "found_no_show": ("Візит пропущено", "Missed"),
    "found_expired": ("Недійсний", "No longer valid"),
    "other_day": ("Інший день", "Another day"),
    "today": ("сьогодні", "today"),
    "tomorrow": ("завтра", "tomorrow"),
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


def minutes(n: float, language: str) -> str:
    """«≈ 15 хвилин» / «≈ 15 minutes»; an hour or more as hours and minutes; never «0.0»."""
    n = max(0, math.ceil(n))
    if n == 0:
        return "менше хвилини" if language != "en" else "under a minute"
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
