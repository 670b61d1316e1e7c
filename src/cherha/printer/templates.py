"""The slips' layouts: what is printed, in which order and size, Ukrainian first."""

from __future__ import annotations

from pathlib import Path

from .layout import Composer, Layout
from .qr import module_size
from .slips import DEFAULT_ARRIVE_RULE, DEFAULT_ARRIVE_RULE_EN, BookingSlip, TicketSlip

LOGO_MAX_HEIGHT = 120  # dots; about 15 mm, so the number stays the eye-catcher

UK_UPPER = "А Б В Г Ґ Д Е Є Ж З И І Ї Й К Л М Н О П Р С Т У Ф Х Ц Ч Ш Щ Ь Ю Я"
UK_PANGRAM = "Жебракують філософи при ґанку церкви в Гадячі, ще й шатро їхнє пʼяне знаємо."


def _header(c: Composer, centre_name: str | None, logo: Path | None) -> None:
    if logo is not None:
        c.image(logo, LOGO_MAX_HEIGHT)
    if centre_name:
        c.line(centre_name, bold=True, align="center")
    c.rule()


def _service(c: Composer, name: str, name_en: str | None) -> None:
    c.line(name, height=2, bold=True, align="center")
    if name_en:
        c.line(name_en, align="center")


TELEGRAM_QR_MODULE = 3  # dots per module: about 15 mm, a second code that stays small


def _telegram(c: Composer, url: str | None) -> None:
    """The bot's link as a small second QR code and one line (the slip stays short)."""
    if not url:
        return
    c.qr(url, min(TELEGRAM_QR_MODULE, module_size(url, c.width_dots)))
    c.bilingual("Telegram: сповіщення", "alerts", align="center")


def _footer(c: Composer, footer: str | None) -> None:
    if footer:
        c.rule()
        c.line(footer, align="center")
    c.cut()


def ticket_layout(slip: TicketSlip, c: Composer) -> Layout:
    """A walk-in ticket."""
    _header(c, slip.centre_name, slip.logo_path)
    c.bilingual("Ваш номер", "Your number", align="center")
    c.big(slip.number)
    if slip.priority:
        c.bilingual("ПРІОРИТЕТ", "PRIORITY", height=2, bold=True, align="center", invert=True)
    c.feed()
    _service(c, slip.service_name, slip.service_name_en)
    c.rule()
    c.pair("Дата / Date", slip.issued_at.strftime("%d.%m.%Y"))
    c.pair("Час / Time", slip.issued_at.strftime("%H:%M"))
    n = slip.people_ahead
    c.bilingual(f"Перед вами: {n}", f"People ahead: {n}")
    if slip.estimated_wait_minutes is not None:
        w = slip.estimated_wait_minutes
        c.bilingual(f"Очікування ≈ {w} хв", f"Wait ≈ {w} min")
    c.feed()
    c.qr(slip.status_url, module_size(slip.status_url, c.width_dots))
    c.feed()
    c.bilingual("Черга онлайн: скануйте QR", "Live queue: scan the QR", align="center")
    _telegram(c, slip.telegram_url)
    _footer(c, slip.footer)
    return c.build()


def booking_layout(slip: BookingSlip, c: Composer) -> Layout:
    """A booking slip: the code, the slot and the lateness rule."""
    _header(c, slip.centre_name, slip.logo_path)
    c.bilingual("Бронювання", "Booking", bold=True, align="center")
    c.bilingual("Код", "Code", align="center")
    c.big(slip.code)
    c.feed()
    _service(c, slip.service_name, slip.service_name_en)
    c.rule()
    c.pair("Дата / Date", slip.slot_start.strftime("%d.%m.%Y"))
    c.pair("Час / Time", slip.slot_start.strftime("%H:%M"), bold=True)
    c.feed()
    c.line(slip.arrive_rule)
    rule_en = slip.arrive_rule_en
    if rule_en is None and slip.arrive_rule == DEFAULT_ARRIVE_RULE:
        rule_en = DEFAULT_ARRIVE_RULE_EN
    if rule_en:
        c.line(rule_en)
    c.feed()
    c.qr(slip.qr_payload, module_size(slip.qr_payload, c.width_dots))
    c.feed()
    c.bilingual("Покажіть код у кіоску", "Show this code at the kiosk", align="center")
    _telegram(c, slip.telegram_url)
    _footer(c, slip.footer)
    return c.build()


def test_page_layout(
    c: Composer,
    *,
    centre_name: str | None,
    qr_payload: str,
    profile: str,
    mode: str,
    codepage: str,
) -> Layout:
    """Every Ukrainian letter, ʼ and №, sizes, styles, alignment and a QR code."""
    c.bilingual("Тестова сторінка", "Test page", height=2, bold=True, align="center")
    if centre_name:
        c.line(centre_name, align="center")
    c.rule()
    c.pair("Профіль / Profile", profile)
    c.pair("Ширина / Width", f"{c.width_dots} dots, {c.columns} col")
    c.pair("Режим / Mode", mode)
    c.pair("Кодування / Code page", codepage)
    c.rule()
    c.bilingual("Українські літери", "Ukrainian letters", bold=True)
    c.line(UK_UPPER)
    c.line(UK_UPPER.lower())
    c.line("і ї є ґ І Ї Є Ґ", width=2, height=2, bold=True)
    c.line("Апостроф / Apostrophe: ʼ (мʼята, пʼять)")
    c.line("Знак номера / Numero sign: № 15")
    c.line(UK_PANGRAM)
    c.rule()
    c.bilingual("Розміри", "Sizes", bold=True)
    c.line("1x1 Черга")
    c.line("1x2 Черга", height=2)
    c.line("2x2 Черга", width=2, height=2)
    c.line("3x3 Ґ Ї", width=3, height=3)
    c.bilingual("Жирний", "Bold", bold=True)
    c.bilingual("Інверсія", "Inverted", invert=True)
    c.rule()
    c.bilingual("Ліворуч", "Left", align="left")
    c.bilingual("По центру", "Centre", align="center")
    c.bilingual("Праворуч", "Right", align="right")
    c.rule()
    c.feed()
    c.qr(qr_payload, module_size(qr_payload, c.width_dots))
    c.feed()
    c.bilingual("QR-код", "QR code", align="center")
    c.cut()
    return c.build()
