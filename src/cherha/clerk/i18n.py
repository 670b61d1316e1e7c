"""The desk's words in Ukrainian (first) and English; a dictionary is all a desk needs."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

LANGUAGES = ("uk", "en")

# key: (Ukrainian, English). Placeholders in braces are filled by str.format.
TEXTS: dict[str, tuple[str, str]] = {
    "app.title": ("Черга — робоче місце", "Cherha — clerk desk"),
    "login.title": ("Вхід працівника", "Staff login"),
    "login.server": ("Сервер", "Server"),
    "login.username": ("Ім'я користувача", "Username"),
    "login.password": ("Пароль", "Password"),
    "login.submit": ("Увійти", "Log in"),
    "login.busy": ("Вхід…", "Logging in…"),
    "login.missing": ("Вкажіть сервер, ім'я і пароль", "Enter the server, username and password"),
    "relogin.title": ("Сеанс завершився", "Session expired"),
    "relogin.prompt": (
        "Сеанс завершився. Введіть пароль ще раз — поточний відвідувач залишається.",
        "Your session has expired. Enter the password again — the current visitor stays.",
    ),
    "relogin.user": ("Користувач: {username}", "User: {username}"),
    "relogin.cancelled": (
        "Вхід не поновлено: дію не виконано",
        "Not logged in again: the action was not done",
    ),
    "dialog.ok": ("Гаразд", "OK"),
    "dialog.cancel": ("Скасувати", "Cancel"),
    "window.label": ("Вікно", "Window"),
    "window.item": ("Вікно {number}", "Window {number}"),
    "window.none": ("Вікно не обрано", "No window chosen"),
    "state.open": ("відкрите", "open"),
    "state.paused": ("перерва", "on a break"),
    "state.closed": ("зачинене", "closed"),
    "state.taken": ("веде інший працівник", "held by another clerk"),
    "action.call_next": ("Викликати наступного", "Call next"),
    "action.recall": ("Повторно", "Recall"),
    "action.start": ("Почати", "Start"),
    "action.finish": ("Завершити…", "Finish…"),
    "action.no_show": ("Неявка", "No-show"),
    "action.transfer": ("Перевести…", "Transfer…"),
    "action.return": ("Повернути неявку…", "Return a no-show…"),
    "action.open": ("Відкрити вікно", "Open window"),
    "action.pause": ("Перерва…", "Break…"),
    "action.close_window": ("Закрити вікно", "Close window"),
    "action.waiting_list": ("До черги", "To the queue"),
    "action.cancel": ("Скасувати талон…", "Cancel ticket…"),
    "action.call_selected": ("Викликати обраний…", "Call selected…"),
    "action.logout": ("Вийти", "Log out"),
    "action.language": ("English", "Українська"),
    "ticket.heading": ("Поточний відвідувач", "Current visitor"),
    "ticket.none": ("—", "—"),
    "idle.call": ("Натисніть F2, щоб викликати наступного", "Press F2 to call the next visitor"),
    "idle.offline": (
        "Немає зв'язку з сервером: дії стануть доступні, щойно він відповість",
        "No connection to the server: actions come back as soon as it answers",
    ),
    "idle.branch_paused": (
        "Обслуговування призупинено: виклик відновиться після відбою",
        "Service is paused: calling resumes after the all-clear",
    ),
    "idle.choose_window": ("Оберіть вікно у списку вгорі", "Choose a window in the list above"),
    "idle.open_window": ("Відкрийте вікно: F9", "Open the window: F9"),
    "idle.on_break": ("Перерва. F9 — відкрити вікно", "On a break. F9 opens the window"),
    "ticket.priority": ("пільгова черга", "priority lane"),
    "ticket.waited": ("Чекав(ла): {time}", "Waited: {time}"),
    "ticket.called_for": ("Викликано {time} тому", "Called {time} ago"),
    "ticket.serving_for": ("Обслуговування: {time}", "Serving: {time}"),
    "ticket.frozen": ("{time} · зупинено", "{time} · stopped"),
    "ticket.recalls": ("Повторних викликів: {count} з {limit}", "Recalls: {count} of {limit}"),
    "ticket.booking": (
        "Запис: {code}, на {time}",
        "Booking: {code}, for {time}",
    ),
    "ticket.booking_name": ("{name}", "{name}"),
    "ticket.booking_on_time": ("прийшов(ла) вчасно", "came on time"),
    "ticket.booking_late": (
        "запізнився(лась): став(ла) у загальну чергу",
        "came late: joined the general queue",
    ),
    "ticket.note": ("Примітка ({by}): {note}", "Note ({by}): {note}"),
    "status.called": ("викликано — чекаємо відвідувача", "called — waiting for the visitor"),
    "status.serving": ("обслуговується", "being served"),
    "status.done": ("обслужено", "done"),
    "status.no_show": ("неявка", "no-show"),
    "status.waiting": ("у черзі", "waiting"),
    "status.cancelled": ("скасовано", "cancelled"),
    "status.expired": ("прострочено", "expired"),
    "waiting.heading": ("Чекають: {count}", "Waiting: {count}"),
    "waiting.number": ("Талон", "Ticket"),
    "waiting.service": ("Послуга", "Service"),
    "waiting.waited": ("Чекає", "Waiting"),
    "waiting.about": ("Примітки", "Notes"),
    "waiting.priority": ("пільга", "priority"),
    "waiting.handed_over": ("до вас", "for you"),
    "waiting.booking": ("запис {booking}", "booked {booking}"),
    "due.heading": ("Записи на найближчу годину", "Bookings due within the hour"),
    "due.item": ("{time} · {code} · {name}", "{time} · {code} · {name}"),
    "due.none": ("—", "—"),
    "today.heading": ("Мій день", "My day"),
    "today.served": ("Обслужено: {count}", "Served: {count}"),
    "today.average": ("Середній час: {minutes} хв", "Average time: {minutes} min"),
    "today.average_none": ("Середній час: —", "Average time: —"),
    "today.no_shows": ("Неявки: {count}", "No-shows: {count}"),
    "today.moved": (
        "Переведено: {transferred} · скасовано: {cancelled}",
        "Transferred: {transferred} · cancelled: {cancelled}",
    ),
    "today.breaks": ("На перервах: {time}", "On breaks: {time}"),
    "today.wait": (
        "Зараз чекають на моє вікно: {count}, найдовше {time}",
        "Waiting for my window now: {count}, longest {time}",
    ),
    "today.wait_none": ("Зараз чекають на моє вікно: —", "Waiting for my window now: —"),
    "break.lunch": ("Обід", "Lunch"),
    "break.technical": ("Технічна перерва", "Technical break"),
    "break.other": ("Інше", "Other"),
    "break.state": ("перерва: {reason} · {time}", "on a break: {reason} · {time}"),
    "break.title": ("Перерва", "Break"),
    "break.prompt": (
        "Причина перерви (стрілки або цифра, Enter):",
        "Why the break (arrows or a digit, Enter):",
    ),
    "outcome.title": ("Завершити", "Finish"),
    "outcome.prompt": (
        "Талон {number}: результат (стрілки або цифра, Enter):",
        "Ticket {number}: the outcome (arrows or a digit, Enter):",
    ),
    "outcome.none": ("Без результату", "No outcome"),
    "dialog.note": ("Примітка (необов'язково):", "Note (optional):"),
    "cancel.title": ("Скасувати талон", "Cancel a ticket"),
    "cancel.prompt": (
        "Скасувати талон {number} на прохання відвідувача. Причина (оберіть або введіть):",
        "Cancel ticket {number} at the visitor's request. Reason (pick or type):",
    ),
    "cancel.reasons": (
        "Відвідувач передумав|Відвідувач пішов|Талон узято помилково",
        "The visitor changed their mind|The visitor left|The ticket was taken by mistake",
    ),
    "call.title": ("Викликати поза чергою", "Call out of order"),
    "call.prompt": (
        "Викликати {number} поза чергою. Причина (оберіть або введіть; її буде записано):",
        "Call {number} out of order. Reason (pick or type; it is recorded):",
    ),
    "call.reasons": (
        "Відвідувач з дитиною|Повторний візит за результатом|Стан здоров'я відвідувача",
        "A visitor with a child|A return visit for a result|The visitor's health",
    ),
    "reason.short": (
        "Вкажіть причину (щонайменше 3 символи)",
        "Give a reason (3 characters or more)",
    ),
    "noshow.title": ("Повернути неявку", "Return a no-show"),
    "noshow.prompt": (
        "Сьогоднішні неявки (новіші вгорі). Enter повертає обраний талон у чергу:",
        "Today's no-shows (newest first). Enter puts the chosen ticket back in line:",
    ),
    "noshow.item": (
        "{number} · {service} · о {time} · повернути до {until}",
        "{number} · {service} · at {time} · return until {until}",
    ),
    "noshow.late": (
        "{number} · {service} · о {time} · час повернення минув",
        "{number} · {service} · at {time} · too late to return",
    ),
    "logout.title": ("Вийти", "Log out"),
    "logout.prompt": (
        "Ви ведете вікно {number}. Що з ним зробити?",
        "You hold window {number}. What becomes of it?",
    ),
    "logout.close": ("Закрити вікно і вийти", "Close the window and log out"),
    "logout.break": ("Залишити вікно на перерві і вийти", "Leave the window on a break, log out"),
    "branch.paused": ("Обслуговування призупинено", "Service is paused"),
    "net.online": ("● На зв'язку", "● Online"),
    "net.offline": ("● Немає зв'язку з сервером — перепідключення…", "● Offline — reconnecting…"),
    "fault.item": ("⚠ {device}: {problem}", "⚠ {device}: {problem}"),
    "printer.paper_out": ("закінчився папір", "out of paper"),
    "printer.paper_near_end": ("папір закінчується", "paper running low"),
    "printer.cover_open": ("відкрита кришка принтера", "printer cover open"),
    "printer.offline": ("принтер не відповідає", "printer not answering"),
    "printer.error": ("помилка принтера", "printer error"),
    "msg.nobody": ("Ніхто не чекає", "Nobody is waiting"),
    "msg.called": ("Викликано {number}", "Called {number}"),
    "msg.recalled": (
        "Повторний виклик {number} ({count} з {limit})",
        "Recalled {number} ({count} of {limit})",
    ),
    "msg.started": ("{number}: обслуговування почато", "{number}: service started"),
    "msg.returned": ("Талон {number} повернуто в чергу", "Ticket {number} is back in the queue"),
    "msg.transferred": (
        "Талон {number} переведено: {service}",
        "Ticket {number} transferred: {service}",
    ),
    "msg.handed_over": (
        "Талон {number} передано до вікна {window}",
        "Ticket {number} handed over to window {window}",
    ),
    "msg.cancelled": ("Талон {number} скасовано", "Ticket {number} cancelled"),
    "msg.no_show": ("{number}: неявка (F8 — повернути)", "{number}: no-show (F8 returns it)"),
    "msg.finished": ("{number} обслужено", "{number} done"),
    "msg.on_break": ("Перерва: {reason}", "On a break: {reason}"),
    "msg.window_open": ("Вікно {number} відкрите", "Window {number} is open"),
    "msg.window_closed": ("Вікно {number} зачинене", "Window {number} is closed"),
    "msg.reconnected": ("Зв'язок із сервером відновлено", "Connection to the server is back"),
    "msg.unexpected": ("Неочікувана помилка: {error}", "Unexpected error: {error}"),
    "msg.choose_window": ("Спершу оберіть вікно", "Choose a window first"),
    "msg.relogged": ("Вхід поновлено", "Logged in again"),
    "msg.finish_first": (
        "Спершу завершіть обслуговування {number}",
        "Finish serving {number} first",
    ),
    "transfer.title": ("Перевести", "Transfer"),
    "transfer.prompt": (
        "Талон {number} збереже своє місце в черзі. Куди (стрілки, Enter)?",
        "Ticket {number} keeps its place in line. Where to (arrows, Enter)?",
    ),
    "transfer.services": ("— До послуги —", "— To a service —"),
    "transfer.windows": ("— До вікна (викличуть наступним) —", "— To a window (called next) —"),
    "transfer.clerks": (
        "— До працівника (викличе наступним) —",
        "— To a clerk (called next) —",
    ),
    "transfer.window": ("Вікно {number}", "Window {number}"),
    "transfer.window_of": ("Вікно {number} · {name}", "Window {number} · {name}"),
    "transfer.clerk": ("{name} · вікно {number}", "{name} · window {number}"),
    "transfer.on_break": ("(перерва)", "(on a break)"),
    "duration.ms": ("{m} хв {s:02d} с", "{m} min {s:02d} s"),
    "duration.hms": ("{h} год {m:02d} хв", "{h} h {m:02d} min"),
}


def format_duration(seconds: int, language: str = "uk") -> str:
    seconds = max(0, int(seconds))
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    index = 1 if language == "en" else 0
    if hours:
        return TEXTS["duration.hms"][index].format(h=hours, m=minutes)
    return TEXTS["duration.ms"][index].format(m=minutes, s=secs)


def clock(seconds: int) -> str:
    """A running timer: 03:12 or 1:03:12."""
    seconds = max(0, int(seconds))
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes:02d}:{secs:02d}"


class Translator(QObject):
    """The current language; `changed` tells the views to re-read their words."""

    changed = Signal(str)

    def __init__(self, language: str = "uk", parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._language = language if language in LANGUAGES else "uk"

    @property
    def language(self) -> str:
        return self._language

    def set_language(self, language: str) -> None:
        if language in LANGUAGES and language != self._language:
            self._language = language
            self.changed.emit(language)

    def toggle(self) -> None:
        self.set_language("en" if self._language == "uk" else "uk")

    def t(self, key: str, **values: object) -> str:
        pair = TEXTS[key]
        text = pair[1] if self._language == "en" else pair[0]
        return text.format(**values) if values else text

    def duration(self, seconds: int) -> str:
        return format_duration(seconds, self._language)
