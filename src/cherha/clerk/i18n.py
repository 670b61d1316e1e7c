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
    "action.finish": ("Завершити", "Finish"),
    "action.no_show": ("Неявка", "No-show"),
    "action.transfer": ("Перевести", "Transfer"),
    "action.return": ("Повернути неявку", "Return no-show"),
    "action.open": ("Відкрити вікно", "Open window"),
    "action.pause": ("Перерва", "Break"),
    "action.close_window": ("Закрити вікно", "Close window"),
    "action.language": ("English", "Українська"),
    "ticket.heading": ("Поточний відвідувач", "Current visitor"),
    "ticket.none": ("—", "—"),
    "ticket.idle": ("Натисніть F2, щоб викликати наступного", "Press F2 to call the next visitor"),
    "ticket.priority": ("пільгова черга", "priority lane"),
    "ticket.waited": ("Чекав(ла): {time}", "Waited: {time}"),
    "ticket.called_for": ("Викликано {time} тому", "Called {time} ago"),
    "ticket.serving_for": ("Обслуговування: {time}", "Serving: {time}"),
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
    "status.called": ("викликано — чекаємо відвідувача", "called — waiting for the visitor"),
    "status.serving": ("обслуговується", "being served"),
    "status.done": ("обслужено", "done"),
    "status.no_show": ("неявка", "no-show"),
    "status.waiting": ("у черзі", "waiting"),
    "status.cancelled": ("скасовано", "cancelled"),
    "status.expired": ("прострочено", "expired"),
    "overview.heading": ("Черга до вікна", "Queue for this window"),
    "overview.service": ("Послуга", "Service"),
    "overview.waiting": ("Чекають", "Waiting"),
    "overview.longest": ("Найдовше", "Longest"),
    "today.heading": ("Мій день", "My day"),
    "today.served": ("Обслужено: {count}", "Served: {count}"),
    "today.average": ("Середній час: {minutes} хв", "Average time: {minutes} min"),
    "today.average_none": ("Середній час: —", "Average time: —"),
    "branch.paused": ("Обслуговування призупинено", "Service is paused"),
    "net.online": ("● На зв'язку", "● Online"),
    "net.offline": ("● Немає зв'язку з сервером — перепідключення…", "● Offline — reconnecting…"),
    "msg.nobody": ("Ніхто не чекає", "Nobody is waiting"),
    "msg.called": ("Викликано {number}", "Called {number}"),
    "msg.returned": ("Талон {number} повернуто в чергу", "Ticket {number} is back in the queue"),
    "msg.transferred": (
        "Талон {number} переведено: {service}",
        "Ticket {number} transferred: {service}",
    ),
    "msg.no_show": ("{number}: неявка (F8 — повернути)", "{number}: no-show (F8 returns it)"),
    "msg.finished": ("{number} обслужено", "{number} done"),
    "msg.unexpected": ("Неочікувана помилка: {error}", "Unexpected error: {error}"),
    "msg.choose_window": ("Спершу оберіть вікно", "Choose a window first"),
    "msg.relogged": ("Вхід поновлено", "Logged in again"),
    "transfer.title": ("Перевести до послуги", "Transfer to a service"),
    "transfer.prompt": (
        "Талон {number} збереже своє місце в черзі. Оберіть послугу:",
        "Ticket {number} keeps its place in line. Choose the service:",
    ),
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
