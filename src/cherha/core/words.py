"""Announcement text: ticket letters by their names, numbers as words, strict call parsing."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

Lang = Literal["uk", "en"]
LANGS: tuple[Lang, ...] = ("uk", "en")

PRIORITY_MARK = "П"
APOSTROPHE = "\u02bc"  # «ʼ», the Ukrainian apostrophe (пʼять)
SAMPLE_RATE = 22050  # what espeak-ng writes; clips and chimes use it too
MAX_SEQUENCE = 9999
MAX_WINDOW = 999

# -- numbers as words --------------------------------------------------------------------------

_UK_UNITS = [
    "нуль",
    "один",
    "два",
    "три",
    "чотири",
    "пʼять",
    "шість",
    "сім",
    "вісім",
    "девʼять",
    "десять",
    "одинадцять",
    "дванадцять",
    "тринадцять",
    "чотирнадцять",
    "пʼятнадцять",
    "шістнадцять",
    "сімнадцять",
    "вісімнадцять",
    "девʼятнадцять",
]
_UK_TENS = {
    20: "двадцять",
    30: "тридцять",
    40: "сорок",
    50: "пʼятдесят",
    60: "шістдесят",
    70: "сімдесят",
    80: "вісімдесят",
    90: "девʼяносто",
}
_UK_HUNDREDS = {
    100: "сто",
    200: "двісті",
    300: "триста",
    400: "чотириста",
    500: "пʼятсот",
    600: "шістсот",
    700: "сімсот",
    800: "вісімсот",
    900: "девʼятсот",
}
_UK_THOUSANDS = {
    1000: "одна тисяча",
    2000: "дві тисячі",
    3000: "три тисячі",
    4000: "чотири тисячі",
    5000: "пʼять тисяч",
    6000: "шість тисяч",
    7000: "сім тисяч",
    8000: "вісім тисяч",
    9000: "девʼять тисяч",
}
UK_NUMBER_WORDS: dict[int, str] = {
    **dict(enumerate(_UK_UNITS)),
    **_UK_TENS,
    **_UK_HUNDREDS,
    **_UK_THOUSANDS,
}
"""Every part a number 0..9999 is said with: one clip each when clips are recorded."""

_EN_UNITS = [
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
]
_EN_TENS = ["twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]
EN_NUMBER_WORDS: dict[int, str] = {
    **dict(enumerate(_EN_UNITS)),
    **{(i + 2) * 10: w for i, w in enumerate(_EN_TENS)},
    **{h * 100: f"{_EN_UNITS[h]} hundred" for h in range(1, 10)},
    **{t * 1000: f"{_EN_UNITS[t]} thousand" for t in range(1, 10)},
}


def number_parts(n: int) -> list[int]:
    """The parts a number is said in, largest first: 2021 → [2000, 20, 1]; 15 → [15]; 0 → [0]."""
    if not 0 <= n <= MAX_SEQUENCE:
        raise ValueError(f"number out of range 0..{MAX_SEQUENCE}: {n}")
    if n == 0:
        return [0]
    parts: list[int] = []
    thousands, rest = divmod(n, 1000)
    if thousands:
        parts.append(thousands * 1000)
    hundreds, rest = divmod(rest, 100)
    if hundreds:
        parts.append(hundreds * 100)
    if rest >= 20:
        tens, rest = divmod(rest, 10)
        parts.append(tens * 10)
    if rest:
        parts.append(rest)
    return parts


def number_words_uk(n: int) -> str:
    """A number 0..9999 in Ukrainian words: 15 → «пʼятнадцять», 101 → «сто один»."""
    return " ".join(UK_NUMBER_WORDS[p] for p in number_parts(n))


def number_words_en(n: int) -> str:
    """A number 0..9999 in English words: 101 → «one hundred one»."""
    return " ".join(EN_NUMBER_WORDS[p] for p in number_parts(n))


# -- letters -----------------------------------------------------------------------------------

# Latin letters as Ukrainian names them (school and maths usage); Cyrillic ones by their names.
LATIN_UK = dict(
    zip(
        "ABCDEFGHIJKLMNOPQRSTUVWXYZ",
        [
            "а",
            "бе",
            "це",
            "де",
            "е",
            "еф",
            "ге",
            "аш",
            "і",
            "йот",
            "ка",
            "ель",
            "ем",
            "ен",
            "о",
            "пе",
            "ку",
            "ер",
            "ес",
            "те",
            "у",
            "ве",
            "дубль-ве",
            "ікс",
            "ігрек",
            "зет",
        ],
        strict=True,
    )
)
CYRILLIC_UK = dict(
    zip(
        "АБВГҐДЕЄЖЗИІЇЙКЛМНОПРСТУФХЦЧШЩЬЮЯ",
        [
            "а",
            "бе",
            "ве",
            "ге",
            "ґе",
            "де",
            "е",
            "є",
            "же",
            "зе",
            "и",
            "і",
            "ї",
            "йот",
            "ка",
            "ел",
            "ем",
            "ен",
            "о",
            "пе",
            "ер",
            "ес",
            "те",
            "у",
            "еф",
            "ха",
            "це",
            "че",
            "ша",
            "ща",
            "мʼякий-знак",
            "ю",
            "я",
        ],
        strict=True,
    )
)
# ASCII names for the clip files of Cyrillic letters (cyr-zh.wav …).
CYRILLIC_ASCII = dict(
    zip(
        "АБВГҐДЕЄЖЗИІЇЙКЛМНОПРСТУФХЦЧШЩЬЮЯ",
        [
            "a",
            "b",
            "v",
            "h",
            "g",
            "d",
            "e",
            "ye",
            "zh",
            "z",
            "y",
            "i",
            "yi",
            "j",
            "k",
            "l",
            "m",
            "n",
            "o",
            "p",
            "r",
            "s",
            "t",
            "u",
            "f",
            "kh",
            "ts",
            "ch",
            "sh",
            "shch",
            "soft",
            "yu",
            "ya",
        ],
        strict=True,
    )
)
LATIN_EN = dict(
    zip(
        "ABCDEFGHIJKLMNOPQRSTUVWXYZ",
        [
            "ay",
            "bee",
            "see",
            "dee",
            "ee",
            "ef",
            "gee",
            "aitch",
            "eye",
            "jay",
            "kay",
            "el",
            "em",
            "en",
            "oh",
            "pee",
            "cue",
            "ar",
            "ess",
            "tee",
            "you",
            "vee",
            "double-you",
            "ex",
            "why",
            "zed",
        ],
        strict=True,
    )
)
LETTERS = set(LATIN_UK) | set(CYRILLIC_UK)

NUMBER_RE = re.compile(r"^(П?)((?!П)[A-ZА-ЩЬЮЯЄІЇҐ]{1,3})([0-9]{1,4})$")
"""«A015», «ПA003»: a prefix never starts with «П», the priority mark (core.numbering)."""


class BadAnnouncement(ValueError):
    """An announcement request that makes no sense; the message is for a person."""

    def __init__(self, message: str, message_en: str) -> None:
        super().__init__(message_en)
        self.message = message
        self.message_en = message_en


@dataclass(frozen=True, slots=True)
class Call:
    """A call as it is heard: priority mark, the prefix letters, the sequence, the window."""

    priority: bool
    letters: str
    sequence: int
    window: int

    @property
    def number(self) -> str:
        return f"{PRIORITY_MARK if self.priority else ''}{self.letters}{self.sequence:03d}"


def parse_call(number: str, window: str | int) -> Call:
    """Validate a ticket number («A015», «ПA003») and a window number (1..999) strictly."""
    number = number.strip()
    match = NUMBER_RE.match(number) if len(number) <= 8 else None
    if match is None:
        raise BadAnnouncement(
            f"Номер талона «{number[:20]}» не схожий на номер талона (напр. A015 або ПA003)",
            f"'{number[:20]}' is not a ticket number (e.g. A015 or ПA003)",
        )
    mark, letters, digits = match.groups()
    sequence = int(digits)
    if sequence < 1:
        raise BadAnnouncement(
            "Номер талона починається з 1", "Ticket numbers start at 1 (e.g. A001)"
        )
    text = str(window).strip()
    if not (text.isascii() and text.isdigit() and len(text) <= 3 and 1 <= int(text) <= MAX_WINDOW):
        raise BadAnnouncement(
            f"Номер вікна має бути числом від 1 до {MAX_WINDOW}",
            f"The window must be a number from 1 to {MAX_WINDOW}",
        )
    return Call(
        priority=mark == PRIORITY_MARK, letters=letters, sequence=sequence, window=int(text)
    )


def parse_lang(lang: str) -> Lang:
    if lang == "uk":
        return "uk"
    if lang == "en":
        return "en"
    raise BadAnnouncement(
        "Мова оголошення: uk або en", "The announcement language must be uk or en"
    )


def letters_uk(letters: str) -> str:
    return " ".join(
        LATIN_UK[ch] if ch in LATIN_UK else CYRILLIC_UK[ch] for ch in letters
    ).capitalize()


def letters_en(letters: str) -> str:
    spelled: list[str] = []
    for ch in letters:
        if ch in LATIN_EN:
            spelled.append(LATIN_EN[ch])
        else:  # a Cyrillic prefix: spell its transliteration
            spelled.extend(LATIN_EN[c.upper()] for c in CYRILLIC_ASCII[ch] if c.upper() in LATIN_EN)
    return " ".join(spelled)


def number_said(letters: str, sequence: int, lang: Lang) -> str:
    """A ticket number as the hall calls it: «Бе пʼятнадцять» / «bee fifteen».

    The hall display and the kiosk both say a number with this, so a visitor hears the same
    words for the letter printed on their ticket in both places.
    """
    if lang == "uk":
        return f"{letters_uk(letters)} {number_words_uk(sequence)}"
    return f"{letters_en(letters)} {number_words_en(sequence)}"


def parse_number(number: str) -> tuple[bool, str, int]:
    """«ПА015» → (True, "А", 15); anything that is not a ticket number raises BadAnnouncement."""
    call = parse_call(number, 1)
    return call.priority, call.letters, call.sequence


def spelled_number(number: str, lang: Lang) -> str:
    """Exactly what is printed, sign by sign: «пе, а, нуль, один, пʼять» / «pee, ay, zero, …»."""
    names: list[str] = []
    for ch in number:
        if ch.isdigit():
            names.append((UK_NUMBER_WORDS if lang == "uk" else EN_NUMBER_WORDS)[int(ch)])
        elif ch in LETTERS:
            names.append((letters_uk(ch) if lang == "uk" else letters_en(ch)).lower())
    return ", ".join(names)


def announcement_text(call: Call, lang: Lang) -> str:
    """What is said: «Пільговий талон А пʼятнадцять, вікно три.» / «Ticket ay 15, window 3.»"""
    said = number_said(call.letters, call.sequence, lang)
    if lang == "uk":
        head = "Пільговий талон" if call.priority else "Талон"
        return f"{head} {said}, вікно {number_words_uk(call.window)}."
    head = "Priority ticket" if call.priority else "Ticket"
    return f"{head} {said}, window {number_words_en(call.window)}."
